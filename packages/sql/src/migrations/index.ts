/**
 * Seshn's schema history: every migration ever released, by date, frozen as the literal DDL it
 * ran on each database (see frozen.ts). Add a new dated file to change the schema; never edit one.
 * @module
 */
import type { Migration, MigrationProvider } from 'kysely';
import initial from './2026-11-21T00-00_initial.js';
import slotSeats from './2026-11-21T12-00_slot_seats.js';
import outboxLeases from './2026-11-21T18-00_outbox_leases.js';
import occupancyByEnd from './2026-11-21T20-00_occupancy_by_end.js';
import slotSeatsInStore from './2026-12-01T00-00_slot_seats_in_store.js';
import idempotencyKeysExact from './2026-12-01T01-00_idempotency_keys_exact.js';
import eventDeliveries from './2026-12-01T02-00_event_deliveries.js';
import tenancy from './2026-12-01T03-00_tenancy.js';
import ledger from './2026-12-01T04-00_ledger.js';
import waitlist from './2026-12-02T00-00_waitlist.js';
import { type DdlTarget, type FrozenMigration, runFrozen } from './frozen.js';

export type { DdlTarget, FrozenMigration } from './frozen.js';

/** Every released migration in order. Names are ISO dates so they sort as they were written. */
export const FROZEN_MIGRATIONS: Readonly<Record<string, FrozenMigration>> = {
  '2026-11-21T00:00_initial': initial,
  '2026-11-21T12:00_slot_seats': slotSeats,
  '2026-11-21T18:00_outbox_leases': outboxLeases,
  '2026-11-21T20:00_occupancy_by_end': occupancyByEnd,
  '2026-12-01T00:00_slot_seats_in_store': slotSeatsInStore,
  '2026-12-01T01:00_idempotency_keys_exact': idempotencyKeysExact,
  '2026-12-01T02:00_event_deliveries': eventDeliveries,
  '2026-12-01T03:00_tenancy': tenancy,
  '2026-12-01T04:00_ledger': ledger,
  '2026-12-02T00:00_waitlist': waitlist,
};

/** All migrations for a profile's DDL targets, in order. */
export function seshnMigrations(profile: { ddl: readonly DdlTarget[] }): Record<string, Migration> {
  return Object.fromEntries(
    Object.entries(FROZEN_MIGRATIONS).map(([name, frozen]) => [name, runFrozen(frozen, profile.ddl)]),
  );
}

export function migrationProvider(profile: { ddl: readonly DdlTarget[] }): MigrationProvider {
  return { getMigrations: async () => seshnMigrations(profile) };
}
