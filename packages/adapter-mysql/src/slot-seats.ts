/**
 * MySQL/MariaDB DDL for `seshn_slot_seats` (see `@seshn/sql` slot-seats): confirmed seats per
 * slot, kept equal to `seshn_bookings` by row triggers, so `reserve` reads one row per slot
 * instead of one per booking.
 *
 * Creating triggers needs the TRIGGER privilege and, on a server that writes a binary log, SUPER
 * or `log_bin_trust_function_creators = 1` (managed MySQL services usually expose the latter).
 * @module
 */

const KEY = ['organization_id', 'mode', 'resource_id', 'slot_key', 'occupied_start', 'occupied_end'];
const COLS = [...KEY.slice(0, 4), 'start_time', 'end_time', ...KEY.slice(4)];

const matches = (row: 'OLD' | 'NEW', alias = '') =>
  KEY.map((c) => `${alias}${c} = ${row}.${c}`).join(' AND ');

/** The key or the count of a booking row changed between OLD and NEW. */
const changed = [...COLS, 'status', 'seats'].map((c) => `NOT (OLD.${c} <=> NEW.${c})`).join(' OR ');

const add = (row: 'NEW') =>
  `IF ${row}.status = 'confirmed' THEN
     INSERT INTO seshn_slot_seats (${COLS.join(', ')}, seats, booking_id)
       VALUES (${COLS.map((c) => `${row}.${c}`).join(', ')}, ${row}.seats, ${row}.id)
       ON DUPLICATE KEY UPDATE seats = seats + ${row}.seats;
   END IF;`;

// Taking seats away: if the named booking leaves, name another confirmed one of the slot.
const remove = (row: 'OLD') =>
  `IF ${row}.status = 'confirmed' THEN
     UPDATE seshn_slot_seats SET seats = seats - ${row}.seats,
       booking_id = CASE WHEN booking_id <> ${row}.id THEN booking_id ELSE coalesce((
         SELECT b.id FROM seshn_bookings b WHERE b.status = 'confirmed' AND b.id <> ${row}.id
           AND ${matches(row, 'b.')} LIMIT 1), booking_id) END
     WHERE ${matches(row)};
     DELETE FROM seshn_slot_seats WHERE seats <= 0 AND ${matches(row)};
   END IF;`;

/** Table, indexes, backfill and the three triggers (MySQL allows one event per trigger). */
export function mysqlSlotSeatsSql(tableOptions: string): string[] {
  return [
    `CREATE TABLE seshn_slot_seats (
       organization_id varchar(64) NOT NULL, mode varchar(8) NOT NULL,
       resource_id varchar(64) NOT NULL, slot_key varchar(255) NOT NULL,
       start_time datetime(3) NOT NULL, end_time datetime(3) NOT NULL,
       occupied_start datetime(3) NOT NULL, occupied_end datetime(3) NOT NULL,
       seats integer NOT NULL, booking_id varchar(64) NOT NULL,
       PRIMARY KEY (${KEY.join(', ')}),
       KEY seshn_slot_seats_occupancy (organization_id, mode, resource_id, occupied_start)
     ) ${tableOptions}`,
    // Live holds of a resource without walking its confirmed bookings or its lapsed holds.
    'CREATE INDEX seshn_bookings_holds ON seshn_bookings (organization_id, mode, resource_id, status, expires_at)',
    `INSERT INTO seshn_slot_seats (${COLS.join(', ')}, seats, booking_id)
       SELECT ${COLS.join(', ')}, sum(seats), min(id) FROM seshn_bookings WHERE status = 'confirmed'
       GROUP BY ${COLS.join(', ')}`,
    `CREATE TRIGGER seshn_slot_seats_insert AFTER INSERT ON seshn_bookings FOR EACH ROW
     BEGIN ${add('NEW')} END`,
    `CREATE TRIGGER seshn_slot_seats_update AFTER UPDATE ON seshn_bookings FOR EACH ROW
     BEGIN IF ${changed} THEN ${remove('OLD')} ${add('NEW')} END IF; END`,
    `CREATE TRIGGER seshn_slot_seats_delete AFTER DELETE ON seshn_bookings FOR EACH ROW
     BEGIN ${remove('OLD')} END`,
  ];
}
