/**
 * The conformance suite wired to the three published adapters, as one call each: the adapters'
 * own test files and the `seshn-conformance` command both run exactly these.
 *
 * Drivers and adapter modules are passed in (not imported here), so the caller's copies are the
 * ones tested — the ones its application runs.
 * @module
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SeshnAdapter } from '@seshn/core';
import fc from 'fast-check';
import { Kysely, MysqlDialect, PostgresDialect, SqliteDialect } from 'kysely';
import { expect, it } from 'vitest';
import {
  createScratchDatabase,
  type MysqlDriver,
  openScratchDatabase,
  type PgDriver,
  type ScratchDatabase,
  type ServerKind,
  serverUrl,
} from './databases.js';
import { fastCheckSeed } from './fast-check-seed.js';
import { runConformanceSuite } from './suite.js';

/** Common options of the targets below. */
export interface TargetOptions {
  /**
   * Absolute path (or file URL) of the adapter module, for the race worker processes, which
   * import it by path. Without it the cross-process races are skipped.
   */
  entry?: string;
  /**
   * `true`: an unreachable server fails the run. `false` (default): a local run without the
   * server registers one test saying so, unless `CI=true`.
   */
  required?: boolean;
}

function seedFastCheck(): void {
  const seed = fastCheckSeed(process.env.FC_SEED);
  if (seed !== undefined) fc.configureGlobal({ ...fc.readConfigureGlobal(), seed });
}

async function scratch(kind: ServerKind, driver: PgDriver | MysqlDriver, required: boolean) {
  if (required) return createScratchDatabase(kind, driver as never, { server: serverUrl(kind) });
  return openScratchDatabase(kind, driver as never);
}

function unavailable(kind: ServerKind, db: ScratchDatabase | null): db is null {
  if (db) return false;
  it(`${kind} server unavailable locally — skipped (set CI=true to fail)`, () => expect(db).toBeNull());
  return true;
}

// biome-ignore lint/suspicious/noExplicitAny: driver constructors are typed by their own packages
type AnyConstructor = new (...args: any[]) => any;

/** `sqliteConformance`: better-sqlite3 and `@seshn/adapter-sqlite`. */
export interface SqliteTarget extends Omit<TargetOptions, 'required'> {
  /** better-sqlite3's default export. */
  Database: AnyConstructor;
  adapter: { sqliteAdapter(options: { filename: string }): SeshnAdapter };
  /** Database file; default: a fresh file in a temporary directory, removed afterwards. */
  filename?: string;
  /** More options for `sqliteAdapter` (JSON, also handed to the race workers), e.g. `{ driver }`. */
  adapterOptions?: Record<string, unknown>;
  /** Suite name; default `sqlite (file, WAL)`. */
  name?: string;
}

/** The suite on a SQLite file (WAL), with cross-process races when `entry` is given. */
export function sqliteConformance(target: SqliteTarget): void {
  seedFastCheck();
  const dir = target.filename ? null : mkdtempSync(join(tmpdir(), 'seshn-sqlite-'));
  const filename = target.filename ?? join(dir!, 'seshn.db');
  let rawDb: { close(): void } | undefined;
  const options = { ...target.adapterOptions, filename };
  runConformanceSuite({
    name: target.name ?? 'sqlite (file, WAL)',
    createAdapter: async () => target.adapter.sqliteAdapter(options),
    raw: () => {
      const db = new target.Database(filename, { readonly: true });
      rawDb = db;
      return new Kysely({ dialect: new SqliteDialect({ database: db }) });
    },
    decodeInstant: Number,
    ...(target.entry
      ? { processAdapter: { module: target.entry, exportName: 'sqliteAdapter', options } }
      : {}),
    teardown: async () => {
      rawDb?.close();
      if (dir) rmSync(dir, { recursive: true, force: true });
    },
  });
}

/** `postgresConformance`: `pg` and `@seshn/adapter-postgres`. */
export interface PostgresTarget extends TargetOptions {
  /** `pg`'s default export (`Client` and `Pool` are used). */
  pg: PgDriver & { Pool: AnyConstructor };
  adapter: {
    postgresAdapter(options: { connectionString: string }): SeshnAdapter;
    postgresProfile(): { decodeInstant(value: unknown): number };
  };
}

/**
 * The suite on a fresh database created on `SESHN_TEST_POSTGRES_URL`'s server (default
 * `postgres://postgres@127.0.0.1:5432/test`) and dropped afterwards.
 */
export async function postgresConformance(target: PostgresTarget): Promise<void> {
  seedFastCheck();
  const db = await scratch('postgres', target.pg, target.required ?? false);
  if (unavailable('postgres', db)) return;
  let rawPool: { end(): Promise<void>; on(event: string, listener: () => void): unknown } | undefined;
  runConformanceSuite({
    name: 'postgres',
    createAdapter: async () => target.adapter.postgresAdapter({ connectionString: db.url }),
    raw: () => {
      const pool = new target.pg.Pool({ connectionString: db.url, max: 2 });
      pool.on('error', () => undefined);
      rawPool = pool;
      return new Kysely({ dialect: new PostgresDialect({ pool }) });
    },
    decodeInstant: target.adapter.postgresProfile().decodeInstant,
    ...(target.entry
      ? {
          processAdapter: {
            module: target.entry,
            exportName: 'postgresAdapter',
            options: { connectionString: db.url },
          },
        }
      : {}),
    teardown: async () => {
      await rawPool?.end();
      await db.drop();
    },
  });
}

/** `mysqlConformance`: `mysql2`, `mysql2/promise` and `@seshn/adapter-mysql`. */
export interface MysqlTarget extends TargetOptions {
  /** `mysql2`'s default export (`createPool` is used for the raw reader). */
  mysql: { createPool(options: object): { end(callback: () => void): void } };
  /** `mysql2/promise`'s default export (creates and drops the scratch database). */
  mysqlPromise: MysqlDriver;
  adapter: {
    mysqlAdapter(options: { uri: string }): SeshnAdapter;
    mysqlPoolOptions(uri: string): object;
    mysqlProfile(): { decodeInstant(value: unknown): number };
  };
}

/**
 * The suite on a fresh database created on `SESHN_TEST_MYSQL_URL`'s server (default
 * `mysql://root@127.0.0.1:3306/test`; MySQL 8 or MariaDB 10.11+) and dropped afterwards.
 */
export async function mysqlConformance(target: MysqlTarget): Promise<void> {
  seedFastCheck();
  const db = await scratch('mysql', target.mysqlPromise, target.required ?? false);
  if (unavailable('mysql', db)) return;
  let rawPool: { end(callback: () => void): void } | undefined;
  runConformanceSuite({
    name: 'mysql',
    createAdapter: async () => target.adapter.mysqlAdapter({ uri: db.url }),
    raw: () => {
      const pool = target.mysql.createPool({
        ...target.adapter.mysqlPoolOptions(db.url),
        connectionLimit: 2,
      });
      rawPool = pool;
      // biome-ignore lint/suspicious/noExplicitAny: mysql2's pool type is the driver's own
      return new Kysely({ dialect: new MysqlDialect({ pool: pool as any }) });
    },
    decodeInstant: target.adapter.mysqlProfile().decodeInstant,
    ...(target.entry
      ? { processAdapter: { module: target.entry, exportName: 'mysqlAdapter', options: { uri: db.url } } }
      : {}),
    teardown: async () => {
      await new Promise<void>((resolve) => (rawPool ? rawPool.end(() => resolve()) : resolve()));
      await db.drop();
    },
  });
}
