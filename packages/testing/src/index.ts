/**
 * `@seshn/testing`: the adapter conformance suite every Seshn adapter runs (also as the
 * `seshn-conformance` command, against your own database server), and the pieces the adapters'
 * own server tests share with it (fixture catalog, seeded randomness, transaction hooks, scratch
 * databases on the real servers).
 *
 * @example
 * // packages/adapter-x/test/conformance.test.ts
 * import { runConformanceSuite } from '@seshn/testing';
 * runConformanceSuite({ name: 'x', createAdapter: async () => xAdapter(...), raw: () => kysely, decodeInstant: Number });
 * @module
 */

export { afterReserve, wrapTransactionMethod } from './adapter-hooks.js';
export {
  createMysqlDatabase,
  createPostgresDatabase,
  createScratchDatabase,
  DEFAULT_SERVER_URLS,
  type DriverFor,
  isCi,
  type MysqlDriver,
  openScratchDatabase,
  type PgDriver,
  redact,
  type ScratchDatabase,
  type ServerKind,
  scratchDatabaseName,
  serverUrl,
  serverUrlVariable,
  withDatabase,
} from './databases.js';
export {
  ALL_WEEK,
  HOUR,
  iso,
  MINUTE,
  type MovableClock,
  makeWorld,
  movableClock,
  sleep,
  T0,
  uniqueOrg,
  type World,
  type WorldOptions,
} from './fixtures.js';
export { seededRandom } from './random.js';
export { runRandomLifecycle } from './random-lifecycle.js';
export { compareMigrationPaths, migrateStepByStep, type SchemaDialect, schemaSnapshot } from './schema.js';
export { runConformanceSuite } from './suite.js';
export {
  type MysqlTarget,
  mysqlConformance,
  type PostgresTarget,
  postgresConformance,
  type SqliteTarget,
  sqliteConformance,
  type TargetOptions,
} from './targets.js';
export type { ConformanceTarget, ProcessAdapterSpec } from './types.js';
