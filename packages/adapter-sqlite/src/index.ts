/**
 * `@seshn/adapter-sqlite`: Seshn on SQLite through better-sqlite3 — the zero-setup default.
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
import type { SeshnAdapter } from '@seshn/core';
import { createSqlAdapter, type DialectProfile } from '@seshn/sql';
import Database from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import { cachingDatabase } from './statement-cache.js';

export type SqliteAdapterOptions = (
  | { filename: string }
  | { database: Database.Database }
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
  let raw: Database.Database | null = null;
  if ('kysely' in options) {
    kysely = options.kysely;
    ownsDb = false;
  } else {
    if ('database' in options) {
      raw = options.database;
      ownsDb = false;
    } else {
      raw = new Database(options.filename);
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
