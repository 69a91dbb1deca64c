/**
 * Migration `2026-11-21T12:00_slot_seats`, frozen: the DDL it ran when it was released, per dialect, to the letter.
 * `seshn_slot_seats`, confirmed seats per slot, as first released: kept by triggers (dropped again by `2026-12-01T00:00_slot_seats_in_store`), the live-holds index and the backfill.
 * Never edit a released migration (a test checks its hash); add a new one instead.
 * @module
 */
import type { FrozenMigration } from './frozen.js';

export default {
  sqlite: [
    `CREATE TABLE seshn_slot_seats (
       organization_id varchar(64) NOT NULL, mode varchar(8) NOT NULL,
       resource_id varchar(64) NOT NULL, slot_key varchar(255) NOT NULL,
       start_time bigint NOT NULL, end_time bigint NOT NULL,
       occupied_start bigint NOT NULL, occupied_end bigint NOT NULL,
       seats integer NOT NULL, booking_id varchar(64) NOT NULL,
       PRIMARY KEY (organization_id, mode, resource_id, slot_key, occupied_start, occupied_end))`,
    'CREATE INDEX seshn_slot_seats_occupancy ON seshn_slot_seats (organization_id, mode, resource_id, occupied_start)',
    "CREATE INDEX seshn_bookings_holds ON seshn_bookings (organization_id, mode, resource_id, expires_at) WHERE status = 'held'",
    `INSERT INTO seshn_slot_seats (organization_id, mode, resource_id, slot_key, start_time, end_time, occupied_start, occupied_end, seats, booking_id)
       SELECT organization_id, mode, resource_id, slot_key, start_time, end_time, occupied_start, occupied_end, sum(seats), min(id) FROM seshn_bookings WHERE status = 'confirmed'
       GROUP BY organization_id, mode, resource_id, slot_key, start_time, end_time, occupied_start, occupied_end`,
    `CREATE TRIGGER seshn_slot_seats_insert AFTER INSERT ON seshn_bookings
       WHEN NEW.status = 'confirmed' BEGIN INSERT INTO seshn_slot_seats (organization_id, mode, resource_id, slot_key, start_time, end_time, occupied_start, occupied_end, seats, booking_id)
       SELECT NEW.organization_id, NEW.mode, NEW.resource_id, NEW.slot_key, NEW.start_time, NEW.end_time, NEW.occupied_start, NEW.occupied_end, NEW.seats, NEW.id WHERE NEW.status = 'confirmed'
       ON CONFLICT (organization_id, mode, resource_id, slot_key, occupied_start, occupied_end) DO UPDATE SET seats = seats + excluded.seats; END`,
    `CREATE TRIGGER seshn_slot_seats_update
       AFTER UPDATE OF status, seats, organization_id, mode, resource_id, slot_key, start_time, end_time, occupied_start, occupied_end ON seshn_bookings
       WHEN OLD.status = 'confirmed' OR NEW.status = 'confirmed'
       BEGIN UPDATE seshn_slot_seats SET seats = seats - OLD.seats,
         booking_id = CASE WHEN booking_id <> OLD.id THEN booking_id ELSE coalesce((
           SELECT b.id FROM seshn_bookings b WHERE b.status = 'confirmed' AND b.id <> OLD.id
             AND b.organization_id = OLD.organization_id AND b.mode = OLD.mode AND b.resource_id = OLD.resource_id AND b.slot_key = OLD.slot_key AND b.occupied_start = OLD.occupied_start AND b.occupied_end = OLD.occupied_end LIMIT 1), booking_id) END
       WHERE OLD.status = 'confirmed' AND organization_id = OLD.organization_id AND mode = OLD.mode AND resource_id = OLD.resource_id AND slot_key = OLD.slot_key AND occupied_start = OLD.occupied_start AND occupied_end = OLD.occupied_end;
     DELETE FROM seshn_slot_seats WHERE seats <= 0 AND organization_id = OLD.organization_id AND mode = OLD.mode AND resource_id = OLD.resource_id AND slot_key = OLD.slot_key AND occupied_start = OLD.occupied_start AND occupied_end = OLD.occupied_end; INSERT INTO seshn_slot_seats (organization_id, mode, resource_id, slot_key, start_time, end_time, occupied_start, occupied_end, seats, booking_id)
       SELECT NEW.organization_id, NEW.mode, NEW.resource_id, NEW.slot_key, NEW.start_time, NEW.end_time, NEW.occupied_start, NEW.occupied_end, NEW.seats, NEW.id WHERE NEW.status = 'confirmed'
       ON CONFLICT (organization_id, mode, resource_id, slot_key, occupied_start, occupied_end) DO UPDATE SET seats = seats + excluded.seats; END`,
    `CREATE TRIGGER seshn_slot_seats_delete AFTER DELETE ON seshn_bookings
       WHEN OLD.status = 'confirmed' BEGIN UPDATE seshn_slot_seats SET seats = seats - OLD.seats,
         booking_id = CASE WHEN booking_id <> OLD.id THEN booking_id ELSE coalesce((
           SELECT b.id FROM seshn_bookings b WHERE b.status = 'confirmed' AND b.id <> OLD.id
             AND b.organization_id = OLD.organization_id AND b.mode = OLD.mode AND b.resource_id = OLD.resource_id AND b.slot_key = OLD.slot_key AND b.occupied_start = OLD.occupied_start AND b.occupied_end = OLD.occupied_end LIMIT 1), booking_id) END
       WHERE OLD.status = 'confirmed' AND organization_id = OLD.organization_id AND mode = OLD.mode AND resource_id = OLD.resource_id AND slot_key = OLD.slot_key AND occupied_start = OLD.occupied_start AND occupied_end = OLD.occupied_end;
     DELETE FROM seshn_slot_seats WHERE seats <= 0 AND organization_id = OLD.organization_id AND mode = OLD.mode AND resource_id = OLD.resource_id AND slot_key = OLD.slot_key AND occupied_start = OLD.occupied_start AND occupied_end = OLD.occupied_end; END`,
  ],
  postgres: [
    `CREATE TABLE seshn_slot_seats (
       organization_id varchar(64) NOT NULL, mode varchar(8) NOT NULL,
       resource_id varchar(64) NOT NULL, slot_key varchar(255) NOT NULL,
       start_time timestamptz(3) NOT NULL, end_time timestamptz(3) NOT NULL,
       occupied_start timestamptz(3) NOT NULL, occupied_end timestamptz(3) NOT NULL,
       seats integer NOT NULL, booking_id varchar(64) NOT NULL,
       PRIMARY KEY (organization_id, mode, resource_id, slot_key, occupied_start, occupied_end))`,
    'CREATE INDEX seshn_slot_seats_occupancy ON seshn_slot_seats (organization_id, mode, resource_id, occupied_start)',
    "CREATE INDEX seshn_bookings_holds ON seshn_bookings (organization_id, mode, resource_id, expires_at) WHERE status = 'held'",
    `INSERT INTO seshn_slot_seats (organization_id, mode, resource_id, slot_key, start_time, end_time, occupied_start, occupied_end, seats, booking_id)
       SELECT organization_id, mode, resource_id, slot_key, start_time, end_time, occupied_start, occupied_end, sum(seats), min(id) FROM seshn_bookings WHERE status = 'confirmed'
       GROUP BY organization_id, mode, resource_id, slot_key, start_time, end_time, occupied_start, occupied_end`,
    `CREATE FUNCTION seshn_slot_seats_sync() RETURNS trigger LANGUAGE plpgsql AS $$
     BEGIN
       IF TG_OP IN ('UPDATE', 'DELETE') AND OLD.status = 'confirmed' THEN
         UPDATE seshn_slot_seats SET seats = seats - OLD.seats,
           booking_id = CASE WHEN booking_id <> OLD.id THEN booking_id ELSE coalesce((
             SELECT b.id FROM seshn_bookings b WHERE b.status = 'confirmed' AND b.id <> OLD.id
               AND b.organization_id = OLD.organization_id AND b.mode = OLD.mode AND b.resource_id = OLD.resource_id AND b.slot_key = OLD.slot_key AND b.occupied_start = OLD.occupied_start AND b.occupied_end = OLD.occupied_end LIMIT 1), booking_id) END
         WHERE organization_id = OLD.organization_id AND mode = OLD.mode AND resource_id = OLD.resource_id AND slot_key = OLD.slot_key AND occupied_start = OLD.occupied_start AND occupied_end = OLD.occupied_end;
         DELETE FROM seshn_slot_seats WHERE seats <= 0 AND organization_id = OLD.organization_id AND mode = OLD.mode AND resource_id = OLD.resource_id AND slot_key = OLD.slot_key AND occupied_start = OLD.occupied_start AND occupied_end = OLD.occupied_end;
       END IF;
       IF TG_OP IN ('INSERT', 'UPDATE') AND NEW.status = 'confirmed' THEN
         INSERT INTO seshn_slot_seats (organization_id, mode, resource_id, slot_key, start_time, end_time, occupied_start, occupied_end, seats, booking_id)
           VALUES (NEW.organization_id, NEW.mode, NEW.resource_id, NEW.slot_key, NEW.start_time, NEW.end_time, NEW.occupied_start, NEW.occupied_end, NEW.seats, NEW.id)
           ON CONFLICT (organization_id, mode, resource_id, slot_key, occupied_start, occupied_end) DO UPDATE SET seats = seshn_slot_seats.seats + excluded.seats;
       END IF;
       RETURN NULL;
     END $$`,
    `CREATE TRIGGER seshn_slot_seats_sync
       AFTER INSERT OR DELETE OR UPDATE OF status, seats, organization_id, mode, resource_id, slot_key, start_time, end_time, occupied_start, occupied_end ON seshn_bookings
       FOR EACH ROW EXECUTE FUNCTION seshn_slot_seats_sync()`,
  ],
  mysql: [
    `CREATE TABLE seshn_slot_seats (
       organization_id varchar(64) NOT NULL, mode varchar(8) NOT NULL,
       resource_id varchar(64) NOT NULL, slot_key varchar(255) NOT NULL,
       start_time datetime(3) NOT NULL, end_time datetime(3) NOT NULL,
       occupied_start datetime(3) NOT NULL, occupied_end datetime(3) NOT NULL,
       seats integer NOT NULL, booking_id varchar(64) NOT NULL,
       PRIMARY KEY (organization_id, mode, resource_id, slot_key, occupied_start, occupied_end),
       KEY seshn_slot_seats_occupancy (organization_id, mode, resource_id, occupied_start)
     ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin`,
    'CREATE INDEX seshn_bookings_holds ON seshn_bookings (organization_id, mode, resource_id, status, expires_at)',
    `INSERT INTO seshn_slot_seats (organization_id, mode, resource_id, slot_key, start_time, end_time, occupied_start, occupied_end, seats, booking_id)
       SELECT organization_id, mode, resource_id, slot_key, start_time, end_time, occupied_start, occupied_end, sum(seats), min(id) FROM seshn_bookings WHERE status = 'confirmed'
       GROUP BY organization_id, mode, resource_id, slot_key, start_time, end_time, occupied_start, occupied_end`,
    `CREATE TRIGGER seshn_slot_seats_insert AFTER INSERT ON seshn_bookings FOR EACH ROW
     BEGIN IF NEW.status = 'confirmed' THEN
     INSERT INTO seshn_slot_seats (organization_id, mode, resource_id, slot_key, start_time, end_time, occupied_start, occupied_end, seats, booking_id)
       VALUES (NEW.organization_id, NEW.mode, NEW.resource_id, NEW.slot_key, NEW.start_time, NEW.end_time, NEW.occupied_start, NEW.occupied_end, NEW.seats, NEW.id)
       ON DUPLICATE KEY UPDATE seats = seats + NEW.seats;
   END IF; END`,
    `CREATE TRIGGER seshn_slot_seats_update AFTER UPDATE ON seshn_bookings FOR EACH ROW
     BEGIN IF NOT (OLD.organization_id <=> NEW.organization_id) OR NOT (OLD.mode <=> NEW.mode) OR NOT (OLD.resource_id <=> NEW.resource_id) OR NOT (OLD.slot_key <=> NEW.slot_key) OR NOT (OLD.start_time <=> NEW.start_time) OR NOT (OLD.end_time <=> NEW.end_time) OR NOT (OLD.occupied_start <=> NEW.occupied_start) OR NOT (OLD.occupied_end <=> NEW.occupied_end) OR NOT (OLD.status <=> NEW.status) OR NOT (OLD.seats <=> NEW.seats) THEN IF OLD.status = 'confirmed' THEN
     UPDATE seshn_slot_seats SET seats = seats - OLD.seats,
       booking_id = CASE WHEN booking_id <> OLD.id THEN booking_id ELSE coalesce((
         SELECT b.id FROM seshn_bookings b WHERE b.status = 'confirmed' AND b.id <> OLD.id
           AND b.organization_id = OLD.organization_id AND b.mode = OLD.mode AND b.resource_id = OLD.resource_id AND b.slot_key = OLD.slot_key AND b.occupied_start = OLD.occupied_start AND b.occupied_end = OLD.occupied_end LIMIT 1), booking_id) END
     WHERE organization_id = OLD.organization_id AND mode = OLD.mode AND resource_id = OLD.resource_id AND slot_key = OLD.slot_key AND occupied_start = OLD.occupied_start AND occupied_end = OLD.occupied_end;
     DELETE FROM seshn_slot_seats WHERE seats <= 0 AND organization_id = OLD.organization_id AND mode = OLD.mode AND resource_id = OLD.resource_id AND slot_key = OLD.slot_key AND occupied_start = OLD.occupied_start AND occupied_end = OLD.occupied_end;
   END IF; IF NEW.status = 'confirmed' THEN
     INSERT INTO seshn_slot_seats (organization_id, mode, resource_id, slot_key, start_time, end_time, occupied_start, occupied_end, seats, booking_id)
       VALUES (NEW.organization_id, NEW.mode, NEW.resource_id, NEW.slot_key, NEW.start_time, NEW.end_time, NEW.occupied_start, NEW.occupied_end, NEW.seats, NEW.id)
       ON DUPLICATE KEY UPDATE seats = seats + NEW.seats;
   END IF; END IF; END`,
    `CREATE TRIGGER seshn_slot_seats_delete AFTER DELETE ON seshn_bookings FOR EACH ROW
     BEGIN IF OLD.status = 'confirmed' THEN
     UPDATE seshn_slot_seats SET seats = seats - OLD.seats,
       booking_id = CASE WHEN booking_id <> OLD.id THEN booking_id ELSE coalesce((
         SELECT b.id FROM seshn_bookings b WHERE b.status = 'confirmed' AND b.id <> OLD.id
           AND b.organization_id = OLD.organization_id AND b.mode = OLD.mode AND b.resource_id = OLD.resource_id AND b.slot_key = OLD.slot_key AND b.occupied_start = OLD.occupied_start AND b.occupied_end = OLD.occupied_end LIMIT 1), booking_id) END
     WHERE organization_id = OLD.organization_id AND mode = OLD.mode AND resource_id = OLD.resource_id AND slot_key = OLD.slot_key AND occupied_start = OLD.occupied_start AND occupied_end = OLD.occupied_end;
     DELETE FROM seshn_slot_seats WHERE seats <= 0 AND organization_id = OLD.organization_id AND mode = OLD.mode AND resource_id = OLD.resource_id AND slot_key = OLD.slot_key AND occupied_start = OLD.occupied_start AND occupied_end = OLD.occupied_end;
   END IF; END`,
  ],
} satisfies FrozenMigration;
