/**
 * `@seshn/sql` (internal): Seshn's adapter written once on Kysely, for every SQL dialect.
 * @module
 */
export { createSqlAdapter, type SqlAdapterOptions } from './adapter.js';
export { migrationProvider, seshnMigrations } from './migrations.js';
export { type DialectProfile, errorChain, num, numOrNull } from './profile.js';
export { type SlotSeatsProfile, slotSeatsMigration, sqliteSlotSeatsSql } from './slot-seats.js';
export { SqlStore } from './store.js';
export type { SeshnDatabase } from './tables.js';
