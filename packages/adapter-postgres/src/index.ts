/**
 * `@seshn/adapter-postgres`: Seshn on PostgreSQL through `pg` and Kysely's PostgresDialect.
 *
 * Every write transaction runs at READ COMMITTED. `reserve` locks the resource rows it books
 * (`SELECT … FOR UPDATE`, in id order, so concurrent multi-resource reservations cannot
 * deadlock), then reads the live occupations — a fresh snapshot per statement, so it sees what
 * the previous lock holder committed — and inserts. An exclusion constraint on `seshn_bookings`
 * (`btree_gist`) backs that up inside the database: no two live bookings of different slots may
 * overlap on a resource. Deadlocks and serialization failures retry a bounded number of times and
 * then surface as `SeshnError('storage_error')`. Migrations take Kysely's advisory lock.
 *
 * @example
 * import { createSeshn } from '@seshn/core';
 * import { postgresAdapter } from '@seshn/adapter-postgres';
 * const seshn = createSeshn({ adapter: postgresAdapter({ connectionString: process.env.DATABASE_URL! }) });
 * await seshn.migrate();
 * @module
 */
import type { SeshnAdapter } from '@seshn/core';
import { createSqlAdapter, type DialectProfile } from '@seshn/sql';
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';

export type PostgresAdapterOptions = (
  | {
      /** `postgres://user:password@host:5432/database`; the adapter owns (and closes) the pool. */
      connectionString: string;
      /** Connections in the pool. Default 10. */
      poolSize?: number;
    }
  /**
   * Your own `pg.Pool` (closed by you, not by `seshn.close()`). Listen for `error` on it and on
   * each client (`pool.on('connect', c => c.on('error', …))`): a connection the server drops is
   * otherwise an unhandled `error` event that ends the process.
   */
  | { pool: pg.Pool }
  /** An existing Kysely instance on a PostgresDialect (closed by you). */
  // biome-ignore lint/suspicious/noExplicitAny: any Kysely instance on a Postgres dialect
  | { kysely: Kysely<any> }
) & {
  /**
   * Create the `btree_gist` exclusion constraint that backs up the no-overlap rule in the
   * database (needs `CREATE` on the database; `btree_gist` is a trusted extension since
   * Postgres 13). Decided by the first `migrate()`. Default true.
   */
  exclusionConstraint?: boolean;
  /** Attempts of a transaction that hits deadlocks or serialization failures. Default 8. */
  maxAttempts?: number;
};

/** SQLSTATEs worth retrying the whole transaction for: serialization_failure, deadlock_detected. */
const TRANSIENT = new Set(['40001', '40P01']);

const sqlState = (error: unknown): string => String((error as { code?: unknown })?.code ?? '');

/** Reads a `timestamptz`: a `Date` from `pg`, or text when a custom type parser is installed. */
function decodeInstant(value: unknown): number {
  if (value instanceof Date) return value.getTime();
  if (typeof value === 'number') return value;
  // Postgres text output: `2026-03-09 08:00:00.123+00` (offset without minutes).
  const iso = String(value)
    .replace(' ', 'T')
    .replace(/([+-]\d\d)$/, '$1:00');
  return Date.parse(iso);
}

/**
 * The Postgres dialect profile: `timestamptz(3)` instants, `text` documents, READ COMMITTED with
 * row locks, `ON CONFLICT DO NOTHING`, and (by default) the exclusion constraint.
 */
export function postgresProfile(
  options: { exclusionConstraint?: boolean; maxAttempts?: number } = {},
): DialectProfile {
  const exclusion = options.exclusionConstraint ?? true;
  return {
    capabilities: { dialect: 'postgres', multiProcess: true },
    locking: { rowLocks: true, skipLocked: true },
    // The exclusion constraint is part of the frozen initial migration's optional DDL.
    ddl: exclusion ? ['postgres', 'postgres:exclusion'] : ['postgres'],
    encodeInstant: (ms) => new Date(ms),
    decodeInstant,
    // Explicit, so a server or role default of REPEATABLE READ / SERIALIZABLE does not change
    // the locking protocol `reserve` relies on (read after lock must see the latest commit).
    beginStatements: ['BEGIN ISOLATION LEVEL READ COMMITTED'],
    isTransient: (e) => TRANSIENT.has(sqlState(e)),
    ...(exclusion ? { isExclusionViolation: (e: unknown) => sqlState(e) === '23P01' } : {}),
    maxAttempts: options.maxAttempts ?? 8,
    conflictStyle: 'on_conflict',
    writableCte: true,
  };
}

/**
 * Creates the Postgres adapter from a connection string (the adapter owns a `pg.Pool`), your own
 * `pg.Pool`, or an existing Kysely instance.
 *
 * @example
 * const adapter = postgresAdapter({ connectionString: 'postgres://postgres@127.0.0.1:5432/app', poolSize: 20 });
 */
export function postgresAdapter(options: PostgresAdapterOptions): SeshnAdapter {
  const profile = postgresProfile(options);
  if ('kysely' in options) {
    return createSqlAdapter({ name: 'postgres', db: options.kysely, profile, ownsDb: false });
  }
  let pool: pg.Pool;
  let ownsPool = false;
  if ('pool' in options) {
    pool = options.pool;
  } else {
    pool = new pg.Pool({ connectionString: options.connectionString, max: options.poolSize ?? 10 });
    ownsPool = true;
    // A connection the server closes (restart, pg_terminate_backend, network) emits `error`:
    // on the pool while idle, on the client while checked out between two statements of a
    // transaction. Unheard, either crashes the process; heard, the next statement fails, the
    // transaction surfaces `storage_error`, and the pool discards the dead client.
    pool.on('error', () => undefined);
    pool.on('connect', (client) => client.on('error', () => undefined));
  }
  const db = new Kysely({ dialect: new PostgresDialect({ pool }) });
  return createSqlAdapter({ name: 'postgres', db, profile, ownsDb: ownsPool });
}
