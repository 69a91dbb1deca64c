/**
 * Postgres DDL for `seshn_slot_seats` (see `@seshn/sql` slot-seats): confirmed seats per slot,
 * kept equal to `seshn_bookings` by one row trigger, so `reserve` reads one row per slot instead
 * of one per booking.
 * @module
 */

const KEY = ['organization_id', 'mode', 'resource_id', 'slot_key', 'occupied_start', 'occupied_end'];
const COLS = [...KEY.slice(0, 4), 'start_time', 'end_time', ...KEY.slice(4)];

const matches = (row: 'OLD' | 'NEW', alias = '') =>
  KEY.map((c) => `${alias}${c} = ${row}.${c}`).join(' AND ');

/**
 * Table, indexes, backfill and trigger. The trigger takes the old version's seats out of its slot
 * (naming another confirmed booking of the slot when the named one leaves) and adds the new
 * version's, for every insert, delete and update of a column the count depends on.
 */
export function postgresSlotSeatsSql(): string[] {
  return [
    `CREATE TABLE seshn_slot_seats (
       organization_id varchar(64) NOT NULL, mode varchar(8) NOT NULL,
       resource_id varchar(64) NOT NULL, slot_key varchar(255) NOT NULL,
       start_time timestamptz(3) NOT NULL, end_time timestamptz(3) NOT NULL,
       occupied_start timestamptz(3) NOT NULL, occupied_end timestamptz(3) NOT NULL,
       seats integer NOT NULL, booking_id varchar(64) NOT NULL,
       PRIMARY KEY (${KEY.join(', ')}))`,
    'CREATE INDEX seshn_slot_seats_occupancy ON seshn_slot_seats (organization_id, mode, resource_id, occupied_start)',
    // Live holds of a resource without walking its confirmed bookings or its lapsed holds.
    // Partial, like SQLite's: on a fresh table without statistics the planner otherwise walks the
    // whole hot slot through the exclusion constraint's index.
    "CREATE INDEX seshn_bookings_holds ON seshn_bookings (organization_id, mode, resource_id, expires_at) WHERE status = 'held'",
    `INSERT INTO seshn_slot_seats (${COLS.join(', ')}, seats, booking_id)
       SELECT ${COLS.join(', ')}, sum(seats), min(id) FROM seshn_bookings WHERE status = 'confirmed'
       GROUP BY ${COLS.join(', ')}`,
    `CREATE FUNCTION seshn_slot_seats_sync() RETURNS trigger LANGUAGE plpgsql AS $$
     BEGIN
       IF TG_OP IN ('UPDATE', 'DELETE') AND OLD.status = 'confirmed' THEN
         UPDATE seshn_slot_seats SET seats = seats - OLD.seats,
           booking_id = CASE WHEN booking_id <> OLD.id THEN booking_id ELSE coalesce((
             SELECT b.id FROM seshn_bookings b WHERE b.status = 'confirmed' AND b.id <> OLD.id
               AND ${matches('OLD', 'b.')} LIMIT 1), booking_id) END
         WHERE ${matches('OLD')};
         DELETE FROM seshn_slot_seats WHERE seats <= 0 AND ${matches('OLD')};
       END IF;
       IF TG_OP IN ('INSERT', 'UPDATE') AND NEW.status = 'confirmed' THEN
         INSERT INTO seshn_slot_seats (${COLS.join(', ')}, seats, booking_id)
           VALUES (${COLS.map((c) => `NEW.${c}`).join(', ')}, NEW.seats, NEW.id)
           ON CONFLICT (${KEY.join(', ')}) DO UPDATE SET seats = seshn_slot_seats.seats + excluded.seats;
       END IF;
       RETURN NULL;
     END $$`,
    `CREATE TRIGGER seshn_slot_seats_sync
       AFTER INSERT OR DELETE OR UPDATE OF status, seats, ${COLS.join(', ')} ON seshn_bookings
       FOR EACH ROW EXECUTE FUNCTION seshn_slot_seats_sync()`,
  ];
}
