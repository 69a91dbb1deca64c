/**
 * Migration `2026-12-01T02:00_event_deliveries`, frozen (see frozen.ts). Outbox delivery state
 * moves off the event row into one row per (consumer, event): a consumer (a worker pool, later
 * each webhook endpoint) leases, settles and retries its own deliveries, so one event fans out to
 * many consumers. Events dispatched or leased under the old columns become deliveries of the
 * consumer `default`; the old columns and their index go.
 * Never edit a released migration (a test checks its hash); add a new one instead.
 * @module
 */
import type { FrozenMigration } from './frozen.js';

const table = (instant: string, options = '') =>
  `CREATE TABLE seshn_event_deliveries (
     consumer varchar(64) NOT NULL, event_id varchar(64) NOT NULL,
     organization_id varchar(64) NOT NULL, mode varchar(8) NOT NULL,
     lease_owner varchar(64), lease_until ${instant}, attempts integer NOT NULL,
     settled_at ${instant},
     PRIMARY KEY (consumer, event_id))${options}`;

const MOVE = [
  'CREATE INDEX seshn_event_deliveries_scope ON seshn_event_deliveries (organization_id, mode, consumer, event_id)',
  `INSERT INTO seshn_event_deliveries (consumer, event_id, organization_id, mode, lease_owner, lease_until, attempts, settled_at)
     SELECT 'default', id, organization_id, mode, lease_owner, lease_until, 1, dispatched_at
       FROM seshn_events WHERE dispatched_at IS NOT NULL OR lease_owner IS NOT NULL`,
];

const DROP_COLUMNS = [
  'ALTER TABLE seshn_events DROP COLUMN dispatched_at',
  'ALTER TABLE seshn_events DROP COLUMN lease_until',
  'ALTER TABLE seshn_events DROP COLUMN lease_owner',
];

export default {
  sqlite: [table('bigint'), ...MOVE, 'DROP INDEX seshn_events_undispatched', ...DROP_COLUMNS],
  postgres: [table('timestamptz(3)'), ...MOVE, 'DROP INDEX seshn_events_undispatched', ...DROP_COLUMNS],
  mysql: [
    table('datetime(3)', ' ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin'),
    ...MOVE,
    'DROP INDEX seshn_events_undispatched ON seshn_events',
    ...DROP_COLUMNS,
  ],
} satisfies FrozenMigration;
