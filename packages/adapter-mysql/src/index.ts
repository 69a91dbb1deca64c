/**
 * `@seshn/adapter-mysql`: Seshn on MySQL 8 and MariaDB (10.6+) through `mysql2` and Kysely's
 * MysqlDialect.
 *
 * Written to MySQL 8 semantics and tested on MariaDB 10.11: InnoDB tables with a binary
 * collation (ids and idempotency keys compare exactly, as on the other databases), instants as
 * `DATETIME(3)` in UTC, documents as `LONGTEXT`, no `RETURNING`. Every write transaction runs at
 * READ COMMITTED. `reserve` locks the resource rows it books (`SELECT … FOR UPDATE`, in id order),
 * then reads the live occupations — a plain read at READ COMMITTED sees the previous lock
 * holder's commit — and inserts. Deadlocks (1213) and lock wait timeouts (1205) retry a bounded
 * number of times, then surface as `SeshnError('storage_error')`. Migrations take Kysely's
 * `GET_LOCK` named lock. `FOR UPDATE SKIP LOCKED` (MySQL 8, MariaDB 10.6+) is available to outbox
 * workers.
 *
 * @example
 * import { createSeshn } from '@seshn/core';
 * import { mysqlAdapter } from '@seshn/adapter-mysql';
 * const seshn = createSeshn({ adapter: mysqlAdapter({ uri: 'mysql://root@127.0.0.1:3306/app' }) });
 * await seshn.migrate();
 * @module
 */
import { type SeshnAdapter, SeshnError } from '@seshn/core';
import { createSqlAdapter, type DialectProfile } from '@seshn/sql';
import { CompiledQuery, Kysely, MysqlDialect } from 'kysely';
import mysql from 'mysql2';

export type MysqlAdapterOptions = (
  | {
      /** `mysql://user:password@host:3306/database`; the adapter owns (and closes) the pool. */
      uri: string;
      /** Connections in the pool. Default 10. */
      poolSize?: number;
    }
  /**
   * Your own callback-style pool from `mysql2`'s `createPool` (closed by you). It must read
   * `DATETIME` as UTC: create it with {@link mysqlPoolOptions} (or at least `timezone: 'Z'`).
   */
  | { pool: mysql.Pool }
  /** An existing Kysely instance on a MysqlDialect whose pool reads `DATETIME` as UTC (closed by you). */
  // biome-ignore lint/suspicious/noExplicitAny: any Kysely instance on a MySQL dialect
  | { kysely: Kysely<any> }
) & {
  /** Attempts of a transaction that hits deadlocks or lock wait timeouts. Default 8. */
  maxAttempts?: number;
};

/**
 * ER_LOCK_DEADLOCK, ER_LOCK_WAIT_TIMEOUT, and ER_CHECKREAD (MariaDB's "record has changed since
 * last read", raised by `innodb_snapshot_isolation` — a write conflict like Postgres' 40001).
 */
const TRANSIENT = new Set([1213, 1205, 1020]);

const errno = (error: unknown): number => Number((error as { errno?: unknown })?.errno ?? 0);

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/** `DATETIME(3)` literal in UTC: independent of the pool's `timezone` setting. */
function encodeInstant(ms: number): string {
  const d = new Date(ms);
  return `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${pad(
    d.getUTCHours(),
  )}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}.${pad(d.getUTCMilliseconds(), 3)}`;
}

/** Reads a `DATETIME(3)`: a `Date` (pool in UTC) or its text (`dateStrings`), both UTC. */
function decodeInstant(value: unknown): number {
  if (value instanceof Date) return value.getTime();
  if (typeof value === 'number') return value;
  return Date.parse(`${String(value).replace(' ', 'T')}Z`);
}

/**
 * The pool settings Seshn needs: `DATETIME` read as UTC `Date`s, exact big integers, utf8mb4.
 * Spread your own settings over them when you create the pool yourself.
 *
 * @example
 * const pool = mysql.createPool({ ...mysqlPoolOptions('mysql://root@127.0.0.1/app'), connectionLimit: 20 });
 */
export function mysqlPoolOptions(uri: string): mysql.PoolOptions {
  return {
    uri,
    timezone: 'Z',
    dateStrings: false,
    supportBigNumbers: true,
    bigNumberStrings: false,
    charset: 'utf8mb4',
  };
}

/**
 * The MySQL dialect profile: `DATETIME(3)` instants, `LONGTEXT` documents, READ COMMITTED with
 * row locks, `INSERT IGNORE`, InnoDB tables in `utf8mb4_bin`. With `sessionIsolation` the pool
 * already set READ COMMITTED on each connection, so a transaction opens in one round trip.
 */
export function mysqlProfile(
  options: { maxAttempts?: number; sessionIsolation?: boolean } = {},
): DialectProfile {
  return {
    capabilities: { dialect: 'mysql', multiProcess: true },
    // MySQL has no exclusion constraint; MariaDB's `WITHOUT OVERLAPS` keys cannot express
    // "different slot" nor hold expiry. Row locks alone enforce the rule (invariant 1).
    locking: { rowLocks: true, skipLocked: true },
    // InnoDB tables in `utf8mb4_bin` (ids and slot keys compare byte for byte; the server default
    // is case-insensitive), idempotency keys `varbinary` (no PAD SPACE): see the frozen migrations.
    ddl: ['mysql'],
    encodeInstant,
    decodeInstant,
    beginStatements: options.sessionIsolation
      ? ['START TRANSACTION']
      : ['SET TRANSACTION ISOLATION LEVEL READ COMMITTED', 'START TRANSACTION'],
    isTransient: (e) => TRANSIENT.has(errno(e)),
    maxAttempts: options.maxAttempts ?? 8,
    conflictStyle: 'insert_ignore',
  };
}

/** A pool that would hand back `DATETIME` values shifted by the process's local time zone. */
function assertUtcPool(pool: mysql.Pool): void {
  const config = (pool as unknown as { config?: { connectionConfig?: Record<string, unknown> } }).config
    ?.connectionConfig;
  if (!config || config.dateStrings) return;
  const tz = String(config.timezone ?? 'local');
  if (tz === 'Z' || tz === 'z' || tz === '+00:00' || tz === '-00:00') return;
  throw SeshnError.validation([
    {
      path: 'pool',
      message: `The mysql2 pool reads DATETIME in time zone "${tz}"; create it with timezone: 'Z' (see mysqlPoolOptions)`,
    },
  ]);
}

/**
 * Creates the MySQL/MariaDB adapter from a URI (the adapter owns a `mysql2` pool), your own
 * `mysql2` pool, or an existing Kysely instance.
 *
 * @example
 * const adapter = mysqlAdapter({ uri: 'mysql://root@127.0.0.1:3306/app', poolSize: 20 });
 */
export function mysqlAdapter(options: MysqlAdapterOptions): SeshnAdapter {
  const maxAttempts = options.maxAttempts;
  if ('kysely' in options) {
    return createSqlAdapter({
      name: 'mysql',
      db: options.kysely,
      profile: mysqlProfile({ maxAttempts }),
      ownsDb: false,
    });
  }
  if ('pool' in options) {
    assertUtcPool(options.pool);
    // The pool is shared with the embedding app: its sessions keep their own settings, so each
    // transaction sets its isolation level itself.
    const db = new Kysely({ dialect: new MysqlDialect({ pool: options.pool }) });
    return createSqlAdapter({ name: 'mysql', db, profile: mysqlProfile({ maxAttempts }), ownsDb: false });
  }
  const pool = mysql.createPool({
    ...mysqlPoolOptions(options.uri),
    connectionLimit: options.poolSize ?? 10,
  });
  const db = new Kysely({
    dialect: new MysqlDialect({
      pool,
      // Our own pool: set the session once per connection instead of once per transaction.
      onCreateConnection: async (connection) => {
        await connection.executeQuery(
          CompiledQuery.raw('SET SESSION TRANSACTION ISOLATION LEVEL READ COMMITTED'),
        );
      },
    }),
  });
  return createSqlAdapter({
    name: 'mysql',
    db,
    profile: mysqlProfile({ maxAttempts, sessionIsolation: true }),
    ownsDb: true,
  });
}
