/**
 * Migration `2026-11-21T20:00_occupancy_by_end`, frozen: the DDL it ran when it was released, per dialect, to the letter.
 * Occupancy indexes keyed by where an occupation ends, so reservations walk only what ends after the window starts, not a resource's whole history.
 * Never edit a released migration (a test checks its hash); add a new one instead.
 * @module
 */
import type { FrozenMigration } from './frozen.js';

export default {
  sqlite: [
    'drop index "seshn_bookings_occupancy"',
    'create index "seshn_bookings_occupancy" on "seshn_bookings" ("organization_id", "mode", "resource_id", "occupied_end")',
    'drop index "seshn_allocations_resource"',
    'create index "seshn_allocations_resource" on "seshn_allocations" ("organization_id", "mode", "resource_id", "end_time")',
    'drop index "seshn_slot_seats_occupancy"',
    'create index "seshn_slot_seats_occupancy" on "seshn_slot_seats" ("organization_id", "mode", "resource_id", "occupied_end")',
  ],
  postgres: [
    'drop index "seshn_bookings_occupancy"',
    'create index "seshn_bookings_occupancy" on "seshn_bookings" ("organization_id", "mode", "resource_id", "occupied_end")',
    'drop index "seshn_allocations_resource"',
    'create index "seshn_allocations_resource" on "seshn_allocations" ("organization_id", "mode", "resource_id", "end_time")',
    'drop index "seshn_slot_seats_occupancy"',
    'create index "seshn_slot_seats_occupancy" on "seshn_slot_seats" ("organization_id", "mode", "resource_id", "occupied_end")',
  ],
  mysql: [
    'drop index `seshn_bookings_occupancy` on `seshn_bookings`',
    'create index `seshn_bookings_occupancy` on `seshn_bookings` (`organization_id`, `mode`, `resource_id`, `occupied_end`)',
    'drop index `seshn_allocations_resource` on `seshn_allocations`',
    'create index `seshn_allocations_resource` on `seshn_allocations` (`organization_id`, `mode`, `resource_id`, `end_time`)',
    'drop index `seshn_slot_seats_occupancy` on `seshn_slot_seats`',
    'create index `seshn_slot_seats_occupancy` on `seshn_slot_seats` (`organization_id`, `mode`, `resource_id`, `occupied_end`)',
  ],
} satisfies FrozenMigration;
