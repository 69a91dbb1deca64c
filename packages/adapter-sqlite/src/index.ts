/**
 * `@seshn/adapter-sqlite`: Seshn on SQLite through better-sqlite3, or Node's built-in node:sqlite
 * (`driver: 'node:sqlite'`, Node 22.13+) — the zero-setup default.
 *
 * WAL journal (readers never block the writer), a busy timeout (writers from other processes
 * wait instead of failing), and `BEGIN IMMEDIATE` for every write transaction: it takes the write
 * lock up front, so a transaction that reads and then writes cannot fail half-way with
 * SQLITE_BUSY, and reservations serialise across processes sharing the file.
 *
 * @example
 * import { createSeshn } from '@seshn/core';
 * import { sqliteAdapter } from '@seshn/adapter-sqlite';
 * const seshn = createSeshn({ adapter: sqliteAdapter({ filename: 'seshn.db' }) });
 * await seshn.migrate();
 * @module
 */
import { createRequire } from 'node:module';
import type { SeshnAdapter } from '@seshn/core';
import { createSqlAdapter, type DialectProfile } from '@seshn/sql';
import type Database from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import { openNodeSqlite, type SqliteConnection } from './node-sqlite.js';
import { cachingDatabase } from './statement-cache.js';

export { openNodeSqlite, type SqliteConnection, type SqliteStatementLike } from './node-sqlite.js';

export type SqliteAdapterOptions = (
  | {
      filename: string;
      /**
       * `better-sqlite3` (default; the peer dependency) or Node's built-in `node:sqlite`
       * (Node 22.13+, nothing to install or compile).
       */
      driver?: 'better-sqlite3' | 'node:sqlite';
    }
  | { database: Database.Database | SqliteConnection }
  // biome-ignore lint/suspicious/noExplicitAny: any Kysely instance on a SQLite dialect
  | { kysely: Kysely<any> }
) & {
  /** How long a writer waits for another process's write lock, in ms. Default 5000. */
  busyTimeoutMs?: number;
  /** `synchronous` pragma; `NORMAL` is durable against process crashes in WAL mode. Default NORMAL. */
  synchronous?: 'OFF' | 'NORMAL' | 'FULL';
};

const BUSY_CODES = new Set(['SQLITE_BUSY', 'SQLITE_BUSY_SNAPSHOT', 'SQLITE_LOCKED', 'SQLITE_BUSY_RECOVERY']);

export const sqliteProfile = (multiProcess: boolean): DialectProfile => ({
  capabilities: { dialect: 'sqlite', multiProcess },
  // BEGIN IMMEDIATE takes the database's one write lock up front: it stands for every row lock.
  locking: { rowLocks: false, skipLocked: false },
  ddl: ['sqlite'],
  encodeInstant: (ms) => ms,
  decodeInstant: (v) => Number(v),
  beginStatements: ['BEGIN IMMEDIATE'],
  isTransient: (e) => BUSY_CODES.has((e as { code?: string })?.code ?? ''),
  maxAttempts: 20,
  conflictStyle: 'on_conflict',
});

/**
 * Creates the SQLite adapter from a file name (`':memory:'` for a private in-memory database),
 * an open better-sqlite3 `Database`, or an existing Kysely instance.
 */
export function sqliteAdapter(options: SqliteAdapterOptions): SeshnAdapter {
  const busyTimeoutMs = options.busyTimeoutMs ?? 5000;
  let kysely: Kysely<unknown>;
  let filename = '';
  let ownsDb = true;
  let raw: SqliteConnection | null = null;
  if ('kysely' in options) {
    kysely = options.kysely;
    ownsDb = false;
  } else {
    if ('database' in options) {
      raw = options.database;
      ownsDb = false;
    } else {
      raw =
        options.driver === 'node:sqlite'
          ? openNodeSqlite(options.filename)
          : openBetterSqlite3(options.filename);
    }
    filename = raw.name;
    raw.pragma(`busy_timeout = ${Math.max(0, Math.floor(busyTimeoutMs))}`);
    if (filename !== ':memory:' && filename !== '') raw.pragma('journal_mode = WAL');
    raw.pragma(`synchronous = ${options.synchronous ?? 'NORMAL'}`);
    raw.pragma('foreign_keys = ON');
    // Kysely's driver prepares every query afresh; the cache makes repeated queries skip that.
    kysely = new Kysely({ dialect: new SqliteDialect({ database: cachingDatabase(raw) }) });
  }
  const multiProcess = filename !== ':memory:' && filename !== '';
  return createSqlAdapter({ name: 'sqlite', db: kysely, profile: sqliteProfile(multiProcess), ownsDb });
}

/**
 * better-sqlite3, loaded only when used: with `driver: 'node:sqlite'` it need not be installed.
 * It is an optional peer dependency, so that no package manager installs it on its own: the
 * newest (13) needs Node 22, and Node 20 needs 12.
 */
function openBetterSqlite3(filename: string): SqliteConnection {
  let BetterSqlite3: typeof Database;
  try {
    BetterSqlite3 = createRequire(import.meta.url)('better-sqlite3') as typeof Database;
  } catch (error) {
    if ((error as { code?: string }).code !== 'MODULE_NOT_FOUND') throw error;
    throw new Error(
      "@seshn/adapter-sqlite: better-sqlite3 is not installed. Install better-sqlite3@13 (Node 22+) or @12 (Node 20), or pass driver: 'node:sqlite' (Node 22.13+)",
      { cause: error },
    );
  }
  return new BetterSqlite3(filename);
}
