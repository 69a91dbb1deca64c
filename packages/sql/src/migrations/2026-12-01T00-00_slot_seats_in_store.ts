/**
 * Migration `2026-12-01T00:00_slot_seats_in_store`, frozen (see frozen.ts). `seshn_slot_seats`
 * is kept by the store's own writes from now on (`store/slot-seats.ts`, inside reserve, move,
 * confirm and release), written once for every database: the three hand-written trigger sets go,
 * and the counter is recounted from the bookings so a database upgraded from any earlier state
 * starts exact.
 * Never edit a released migration (a test checks its hash); add a new one instead.
 * @module
 */
import type { FrozenMigration } from './frozen.js';

const RECOUNT = [
  'DELETE FROM seshn_slot_seats',
  `INSERT INTO seshn_slot_seats (organization_id, mode, resource_id, slot_key, start_time, end_time, occupied_start, occupied_end, seats, booking_id)
     SELECT organization_id, mode, resource_id, slot_key, start_time, end_time, occupied_start, occupied_end, sum(seats), min(id)
       FROM seshn_bookings WHERE status = 'confirmed'
      GROUP BY organization_id, mode, resource_id, slot_key, start_time, end_time, occupied_start, occupied_end`,
];

export default {
  sqlite: [
    'DROP TRIGGER IF EXISTS seshn_slot_seats_insert',
    'DROP TRIGGER IF EXISTS seshn_slot_seats_update',
    'DROP TRIGGER IF EXISTS seshn_slot_seats_delete',
    ...RECOUNT,
  ],
  postgres: [
    'DROP TRIGGER IF EXISTS seshn_slot_seats_sync ON seshn_bookings',
    'DROP FUNCTION IF EXISTS seshn_slot_seats_sync()',
    ...RECOUNT,
  ],
  mysql: [
    'DROP TRIGGER IF EXISTS seshn_slot_seats_insert',
    'DROP TRIGGER IF EXISTS seshn_slot_seats_update',
    'DROP TRIGGER IF EXISTS seshn_slot_seats_delete',
    ...RECOUNT,
  ],
} satisfies FrozenMigration;
