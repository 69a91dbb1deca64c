/**
 * `@seshn/sql` (internal): Seshn's adapter written once on Kysely, for every SQL dialect.
 * @module
 */
export { createSqlAdapter, type SqlAdapterOptions } from './adapter.js';
export {
  type DdlTarget,
  FROZEN_MIGRATIONS,
  type FrozenMigration,
  migrationProvider,
  seshnMigrations,
} from './migrations/index.js';
export { type DialectProfile, errorChain, type LockingProfile, num, numOrNull } from './profile.js';
export { RECORD_TABLES, type RecordTable, SqlStore } from './store/index.js';
export type { SeshnDatabase } from './tables.js';
