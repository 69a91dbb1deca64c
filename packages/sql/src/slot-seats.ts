/**
 * Confirmed seats per slot, kept by the database itself (`seshn_slot_seats`), so `reserve` reads
 * one row per slot instead of one row per booking. Without it, booking a popular slot gets slower
 * with every seat sold: the capacity check sums every booking of the slot, in every transaction.
 *
 * The table is derived data: triggers on `seshn_bookings` maintain it in the same transaction as
 * every write (insert, any status or slot change, delete), so no code path can forget it. Only
 * confirmed bookings are counted: a hold stops occupying at `expiresAt` without any write
 * (invariant 2), so live holds are still read one by one, through an index that skips lapsed ones.
 *
 * A dialect opts in with {@link SlotSeatsProfile.slotSeatsSql} (its DDL: table, index, triggers,
 * backfill); dialects without it keep summing bookings.
 * @module
 */
import { type Kysely, type Migration, sql } from 'kysely';

export interface SlotSeatsProfile {
  /**
   * DDL that creates and fills `seshn_slot_seats` and the triggers that keep it equal to
   * "confirmed seats of `seshn_bookings` grouped by (scope, resource, slot, occupied interval)",
   * plus an index on live holds. When set, `reserve` reads confirmed seats from that table.
   */
  slotSeatsSql?: string[];
}

/**
 * SQLite's DDL for `seshn_slot_seats` (see the module comment). `booking_id` names one confirmed
 * booking of the slot, reported as `withId` when another slot collides with it.
 * @example
 * const profile = { ...base, slotSeatsSql: sqliteSlotSeatsSql() };
 */
export function sqliteSlotSeatsSql(): string[] {
  const key = ['organization_id', 'mode', 'resource_id', 'slot_key', 'occupied_start', 'occupied_end'];
  const cols = [...key.slice(0, 4), 'start_time', 'end_time', ...key.slice(4)];
  const of = (row: 'NEW' | 'OLD', names: string[]) => names.map((c) => `${row}.${c}`).join(', ');
  const matches = (row: 'NEW' | 'OLD') => key.map((c) => `${c} = ${row}.${c}`).join(' AND ');
  const add = (row: 'NEW') =>
    `INSERT INTO seshn_slot_seats (${cols.join(', ')}, seats, booking_id)
       SELECT ${of(row, cols)}, ${row}.seats, ${row}.id WHERE ${row}.status = 'confirmed'
       ON CONFLICT (${key.join(', ')}) DO UPDATE SET seats = seats + excluded.seats;`;
  // Taking seats away: if the named booking leaves, name another confirmed one of the slot.
  const remove = (row: 'OLD') =>
    `UPDATE seshn_slot_seats SET seats = seats - ${row}.seats,
         booking_id = CASE WHEN booking_id <> ${row}.id THEN booking_id ELSE coalesce((
           SELECT b.id FROM seshn_bookings b WHERE b.status = 'confirmed' AND b.id <> ${row}.id
             AND ${key.map((c) => `b.${c} = ${row}.${c}`).join(' AND ')} LIMIT 1), booking_id) END
       WHERE ${row}.status = 'confirmed' AND ${matches(row)};
     DELETE FROM seshn_slot_seats WHERE seats <= 0 AND ${matches(row)};`;
  return [
    `CREATE TABLE seshn_slot_seats (
       organization_id varchar(64) NOT NULL, mode varchar(8) NOT NULL,
       resource_id varchar(64) NOT NULL, slot_key varchar(255) NOT NULL,
       start_time bigint NOT NULL, end_time bigint NOT NULL,
       occupied_start bigint NOT NULL, occupied_end bigint NOT NULL,
       seats integer NOT NULL, booking_id varchar(64) NOT NULL,
       PRIMARY KEY (${key.join(', ')}))`,
    'CREATE INDEX seshn_slot_seats_occupancy ON seshn_slot_seats (organization_id, mode, resource_id, occupied_start)',
    // Live holds of a resource without walking its confirmed bookings or its lapsed holds. Partial:
    // with a plain (…, status, expires_at) index and no statistics, SQLite's planner prefers the
    // occupancy index and walks every booking of the hot slot. The store spells 'held' as a literal
    // so the planner can match this index's WHERE.
    "CREATE INDEX seshn_bookings_holds ON seshn_bookings (organization_id, mode, resource_id, expires_at) WHERE status = 'held'",
    `INSERT INTO seshn_slot_seats (${cols.join(', ')}, seats, booking_id)
       SELECT ${cols.join(', ')}, sum(seats), min(id) FROM seshn_bookings WHERE status = 'confirmed'
       GROUP BY ${cols.join(', ')}`,
    `CREATE TRIGGER seshn_slot_seats_insert AFTER INSERT ON seshn_bookings
       WHEN NEW.status = 'confirmed' BEGIN ${add('NEW')} END`,
    // Every column the key or the count depends on; other updates (notes, attendance) skip it.
    `CREATE TRIGGER seshn_slot_seats_update
       AFTER UPDATE OF status, seats, ${cols.join(', ')} ON seshn_bookings
       WHEN OLD.status = 'confirmed' OR NEW.status = 'confirmed'
       BEGIN ${remove('OLD')} ${add('NEW')} END`,
    `CREATE TRIGGER seshn_slot_seats_delete AFTER DELETE ON seshn_bookings
       WHEN OLD.status = 'confirmed' BEGIN ${remove('OLD')} END`,
  ];
}

/** The migration that runs the profile's slot-seats DDL (nothing for dialects without it). */
export function slotSeatsMigration(profile: SlotSeatsProfile): Migration {
  return {
    async up(db: Kysely<unknown>) {
      for (const statement of profile.slotSeatsSql ?? []) await sql.raw(statement).execute(db);
    },
  };
}
