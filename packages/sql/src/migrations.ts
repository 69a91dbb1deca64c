/**
 * Seshn's schema as Kysely migrations shipped as code: frozen in time, named by date, never
 * edited once released (add a new one instead). Column types come from the dialect profile so
 * the DDL is written once for every database.
 * @module
 */
import { type Kysely, type Migration, type MigrationProvider, sql } from 'kysely';
import type { DialectProfile } from './profile.js';
import { slotSeatsMigration } from './slot-seats.js';

const ID = 'varchar(64)';

function initial(profile: DialectProfile): Migration {
  const instant = sql.raw(profile.instantType);
  const text = sql.raw(profile.textType);
  return {
    async up(db: Kysely<unknown>) {
      const createTable = (name: string) => {
        const builder = db.schema.createTable(name);
        return profile.tableOptions ? builder.modifyEnd(sql.raw(profile.tableOptions)) : builder;
      };
      // Every entity row has an id and belongs to one tenant scope (invariant 7).
      const createEntityTable = (name: string) =>
        createTable(name)
          .addColumn('id', sql.raw(ID), (c) => c.primaryKey())
          .addColumn('organization_id', sql.raw(ID), (c) => c.notNull())
          .addColumn('mode', 'varchar(8)', (c) => c.notNull());
      await createEntityTable('seshn_resources')
        .addColumn('name', 'varchar(200)', (c) => c.notNull())
        .addColumn('timezone', 'varchar(64)', (c) => c.notNull())
        .addColumn('capacity', 'integer')
        .addColumn('metadata', text, (c) => c.notNull())
        .addColumn('availability', text, (c) => c.notNull())
        .addColumn('archived_at', instant)
        .addColumn('created_at', instant, (c) => c.notNull())
        .addColumn('updated_at', instant, (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex('seshn_resources_scope')
        .on('seshn_resources')
        .columns(['organization_id', 'mode', 'id'])
        .execute();

      await createEntityTable('seshn_services')
        .addColumn('name', 'varchar(200)', (c) => c.notNull())
        .addColumn('kind', 'varchar(16)', (c) => c.notNull())
        .addColumn('config', text, (c) => c.notNull())
        .addColumn('archived_at', instant)
        .addColumn('created_at', instant, (c) => c.notNull())
        .addColumn('updated_at', instant, (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex('seshn_services_scope')
        .on('seshn_services')
        .columns(['organization_id', 'mode', 'id'])
        .execute();

      await createEntityTable('seshn_allocations')
        .addColumn('resource_id', sql.raw(ID), (c) => c.notNull())
        .addColumn('start_time', instant, (c) => c.notNull())
        .addColumn('end_time', instant, (c) => c.notNull())
        .addColumn('reason', 'varchar(500)')
        .addColumn('metadata', text, (c) => c.notNull())
        .addColumn('created_at', instant, (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex('seshn_allocations_resource')
        .on('seshn_allocations')
        .columns(['organization_id', 'mode', 'resource_id', 'start_time'])
        .execute();

      await createEntityTable('seshn_contacts')
        .addColumn('name', 'varchar(200)', (c) => c.notNull())
        .addColumn('email', 'varchar(320)')
        .addColumn('email_lower', 'varchar(320)')
        .addColumn('phone', 'varchar(40)')
        .addColumn('metadata', text, (c) => c.notNull())
        .addColumn('created_at', instant, (c) => c.notNull())
        .addColumn('updated_at', instant, (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex('seshn_contacts_email')
        .on('seshn_contacts')
        .columns(['organization_id', 'mode', 'email_lower'])
        .execute();

      await createEntityTable('seshn_bookings')
        .addColumn('service_id', sql.raw(ID), (c) => c.notNull())
        .addColumn('resource_id', sql.raw(ID), (c) => c.notNull())
        .addColumn('contact_id', sql.raw(ID), (c) => c.notNull())
        .addColumn('slot_key', 'varchar(255)', (c) => c.notNull())
        .addColumn('start_time', instant, (c) => c.notNull())
        .addColumn('end_time', instant, (c) => c.notNull())
        .addColumn('occupied_start', instant, (c) => c.notNull())
        .addColumn('occupied_end', instant, (c) => c.notNull())
        .addColumn('seats', 'integer', (c) => c.notNull().check(sql`seats > 0`))
        .addColumn('status', 'varchar(16)', (c) => c.notNull())
        .addColumn('attendance', 'varchar(16)', (c) => c.notNull())
        .addColumn('expires_at', instant)
        .addColumn('price_amount', 'bigint')
        .addColumn('price_currency', 'varchar(3)')
        .addColumn('series_id', sql.raw(ID))
        .addColumn('occurrence_index', 'integer')
        .addColumn('entitlement_id', sql.raw(ID))
        .addColumn('notes', text)
        .addColumn('metadata', text, (c) => c.notNull())
        .addColumn('cancellation_reason', 'varchar(1000)')
        .addColumn('cancelled_at', instant)
        .addColumn('created_at', instant, (c) => c.notNull())
        .addColumn('updated_at', instant, (c) => c.notNull())
        .addCheckConstraint('seshn_bookings_order', sql`end_time > start_time`)
        .execute();
      await db.schema
        .createIndex('seshn_bookings_occupancy')
        .on('seshn_bookings')
        .columns(['organization_id', 'mode', 'resource_id', 'occupied_start'])
        .execute();
      await db.schema
        .createIndex('seshn_bookings_contact')
        .on('seshn_bookings')
        .columns(['organization_id', 'mode', 'contact_id'])
        .execute();
      await db.schema
        .createIndex('seshn_bookings_series')
        .on('seshn_bookings')
        .columns(['organization_id', 'mode', 'series_id'])
        .execute();

      await createEntityTable('seshn_booking_series')
        .addColumn('service_id', sql.raw(ID), (c) => c.notNull())
        .addColumn('resource_id', sql.raw(ID), (c) => c.notNull())
        .addColumn('contact_id', sql.raw(ID), (c) => c.notNull())
        .addColumn('seats', 'integer', (c) => c.notNull())
        .addColumn('recurrence', text, (c) => c.notNull())
        .addColumn('status', 'varchar(16)', (c) => c.notNull())
        .addColumn('metadata', text, (c) => c.notNull())
        .addColumn('created_at', instant, (c) => c.notNull())
        .addColumn('updated_at', instant, (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex('seshn_booking_series_contact')
        .on('seshn_booking_series')
        .columns(['organization_id', 'mode', 'contact_id'])
        .execute();

      await createEntityTable('seshn_events')
        .addColumn('type', 'varchar(64)', (c) => c.notNull())
        .addColumn('data', text, (c) => c.notNull())
        .addColumn('created_at', instant, (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex('seshn_events_scope')
        .on('seshn_events')
        .columns(['organization_id', 'mode', 'id'])
        .execute();

      await createTable('seshn_idempotency_keys')
        .addColumn('organization_id', sql.raw(ID), (c) => c.notNull())
        .addColumn('mode', 'varchar(8)', (c) => c.notNull())
        .addColumn('idem_key', 'varchar(255)', (c) => c.notNull())
        .addColumn('operation', 'varchar(64)', (c) => c.notNull())
        .addColumn('fingerprint', 'varchar(64)', (c) => c.notNull())
        .addColumn('result_id', sql.raw(ID), (c) => c.notNull())
        .addColumn('created_at', instant, (c) => c.notNull())
        .addPrimaryKeyConstraint('seshn_idempotency_keys_pk', ['organization_id', 'mode', 'idem_key'])
        .execute();

      for (const statement of profile.extraMigrationSql ?? []) await sql.raw(statement).execute(db);
    },
  };
}

/**
 * Outbox dispatch state: a worker leases undispatched events (`lease_until`, `lease_owner`) and
 * marks them `dispatched_at` once handed on; a lease that runs out makes them claimable again, so
 * a crashed worker delays events but never loses them.
 */
function outboxLeases(profile: DialectProfile): Migration {
  const instant = sql.raw(profile.instantType);
  return {
    async up(db: Kysely<unknown>) {
      await db.schema.alterTable('seshn_events').addColumn('dispatched_at', instant).execute();
      await db.schema.alterTable('seshn_events').addColumn('lease_until', instant).execute();
      await db.schema.alterTable('seshn_events').addColumn('lease_owner', 'varchar(64)').execute();
      await db.schema
        .createIndex('seshn_events_undispatched')
        .on('seshn_events')
        .columns(['dispatched_at', 'id'])
        .execute();
    },
  };
}

/**
 * Occupancy indexes keyed by where an occupation *ends*. Reservations and availability ask for
 * occupations with `start < to AND end > from` of a window that is almost always in the future;
 * an index on the start makes that walk a resource's whole history (every past booking starts
 * before `to`), one on the end walks only what ends after `from` — bounded by the horizon, not by
 * the age of the deployment. Names are kept, so query plans read the same.
 */
function occupancyByEnd(profile: DialectProfile): Migration {
  const indexes = [
    ['seshn_bookings', 'seshn_bookings_occupancy', 'occupied_end'],
    ['seshn_allocations', 'seshn_allocations_resource', 'end_time'],
    ...(profile.slotSeatsSql ? [['seshn_slot_seats', 'seshn_slot_seats_occupancy', 'occupied_end']] : []),
  ] as const;
  return {
    async up(db: Kysely<unknown>) {
      for (const [table, name, end] of indexes) {
        const drop = db.schema.dropIndex(name);
        await (profile.dropIndexNamesTable ? drop.on(table) : drop).execute();
        await db.schema
          .createIndex(name)
          .on(table)
          .columns(['organization_id', 'mode', 'resource_id', end])
          .execute();
      }
    },
  };
}

/** All migrations, in order. Names are ISO dates so they sort as they were written. */
export function seshnMigrations(profile: DialectProfile): Record<string, Migration> {
  return {
    '2026-11-21T00:00_initial': initial(profile),
    '2026-11-21T12:00_slot_seats': slotSeatsMigration(profile),
    '2026-11-21T18:00_outbox_leases': outboxLeases(profile),
    '2026-11-21T20:00_occupancy_by_end': occupancyByEnd(profile),
  };
}

export function migrationProvider(profile: DialectProfile): MigrationProvider {
  return { getMigrations: async () => seshnMigrations(profile) };
}
