/**
 * Migration `2026-12-02T00:00_waitlist`, frozen (see frozen.ts). The waitlist and background work:
 * - `seshn_waitlist_entries`, one row per place in a slot's queue. The slot is stored as a
 *   booking's is (key, times, buffered interval), so the occupation read counts a waiting entry
 *   as demand for exactly its slot. `position` is unique per slot (1, 2, 3… never reused); the
 *   waiting-entries index serves the occupation read (partial on `status = 'waiting'` where the
 *   database has partial indexes, as `seshn_bookings_holds` is), the others a contact's entries
 *   and the entry a booking was promoted from.
 * - on `seshn_bookings`, the runner's discovery scans (partial where the database has partial
 *   indexes): lapsed holds across a scope by `expires_at` (the live-holds index leads with the
 *   resource), and confirmed bookings still `pending` attendance by service and `end_time` (the
 *   automatic no-show: the service leads so that bookings of services without automatic
 *   no-shows, which stay `pending` for ever, are never scanned).
 * Never edit a released migration (a test checks its hash); add a new one instead.
 * @module
 */
import type { FrozenMigration } from './frozen.js';

const table = (t: { instant: string; text: string; options: string }) =>
  `CREATE TABLE seshn_waitlist_entries (
     id varchar(64) PRIMARY KEY, organization_id varchar(64) NOT NULL, mode varchar(8) NOT NULL,
     service_id varchar(64) NOT NULL, resource_id varchar(64) NOT NULL, contact_id varchar(64) NOT NULL,
     slot_key varchar(255) NOT NULL, start_time ${t.instant} NOT NULL, end_time ${t.instant} NOT NULL,
     occupied_start ${t.instant} NOT NULL, occupied_end ${t.instant} NOT NULL,
     seats integer NOT NULL CHECK (seats > 0), position integer NOT NULL, status varchar(16) NOT NULL,
     use_credits varchar(64), booking_id varchar(64), reason varchar(64), notes ${t.text},
     metadata ${t.text} NOT NULL, promoted_at ${t.instant}, created_at ${t.instant} NOT NULL,
     updated_at ${t.instant} NOT NULL)${t.options}`;

const INDEXES = [
  'CREATE INDEX seshn_waitlist_entries_scope ON seshn_waitlist_entries (organization_id, mode, id)',
  'CREATE UNIQUE INDEX seshn_waitlist_entries_position ON seshn_waitlist_entries (organization_id, mode, resource_id, slot_key, position)',
  'CREATE INDEX seshn_waitlist_entries_contact ON seshn_waitlist_entries (organization_id, mode, contact_id)',
  'CREATE INDEX seshn_waitlist_entries_booking ON seshn_waitlist_entries (organization_id, mode, booking_id)',
];

const PARTIAL = [
  "CREATE INDEX seshn_waitlist_entries_waiting ON seshn_waitlist_entries (organization_id, mode, resource_id, start_time) WHERE status = 'waiting'",
  "CREATE INDEX seshn_bookings_lapsed ON seshn_bookings (organization_id, mode, expires_at) WHERE status = 'held'",
  "CREATE INDEX seshn_bookings_attendance_due ON seshn_bookings (organization_id, mode, service_id, end_time) WHERE status = 'confirmed' AND attendance = 'pending'",
];

export default {
  sqlite: [table({ instant: 'bigint', text: 'text', options: '' }), ...INDEXES, ...PARTIAL],
  postgres: [table({ instant: 'timestamptz(3)', text: 'text', options: '' }), ...INDEXES, ...PARTIAL],
  mysql: [
    table({
      instant: 'datetime(3)',
      text: 'longtext',
      options: ' ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin',
    }),
    ...INDEXES,
    'CREATE INDEX seshn_waitlist_entries_waiting ON seshn_waitlist_entries (organization_id, mode, resource_id, status, start_time)',
    'CREATE INDEX seshn_bookings_lapsed ON seshn_bookings (organization_id, mode, status, expires_at)',
    'CREATE INDEX seshn_bookings_attendance_due ON seshn_bookings (organization_id, mode, status, attendance, service_id, end_time)',
  ],
} satisfies FrozenMigration;
