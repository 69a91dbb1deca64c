/**
 * Migration `2026-11-21T18:00_outbox_leases`, frozen: the DDL it ran when it was released, per dialect, to the letter.
 * Outbox dispatch state as first released: a lease on the event row (`lease_until`, `lease_owner`) and `dispatched_at` (replaced by delivery rows in `2026-12-01T02:00_event_deliveries`).
 * Never edit a released migration (a test checks its hash); add a new one instead.
 * @module
 */
import type { FrozenMigration } from './frozen.js';

export default {
  sqlite: [
    'alter table "seshn_events" add column "dispatched_at" bigint',
    'alter table "seshn_events" add column "lease_until" bigint',
    'alter table "seshn_events" add column "lease_owner" varchar(64)',
    'create index "seshn_events_undispatched" on "seshn_events" ("dispatched_at", "id")',
  ],
  postgres: [
    'alter table "seshn_events" add column "dispatched_at" timestamptz(3)',
    'alter table "seshn_events" add column "lease_until" timestamptz(3)',
    'alter table "seshn_events" add column "lease_owner" varchar(64)',
    'create index "seshn_events_undispatched" on "seshn_events" ("dispatched_at", "id")',
  ],
  mysql: [
    'alter table `seshn_events` add column `dispatched_at` datetime(3)',
    'alter table `seshn_events` add column `lease_until` datetime(3)',
    'alter table `seshn_events` add column `lease_owner` varchar(64)',
    'create index `seshn_events_undispatched` on `seshn_events` (`dispatched_at`, `id`)',
  ],
} satisfies FrozenMigration;
