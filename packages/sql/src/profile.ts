/**
 * What differs between SQL databases, as data. Shared code asks the profile; it never branches on
 * a dialect name (Kysely's `DialectAdapter` capability-flag idea).
 * @module
 */
import type { AdapterCapabilities } from '@seshn/core';
import type { DdlTarget } from './migrations/index.js';

/** How the database serialises writers: what the lock protocol (README) is built from. */
export interface LockingProfile {
  /**
   * `SELECT … FOR UPDATE` row locks exist. Without them (SQLite) a write transaction locks the
   * whole database (`BEGIN IMMEDIATE`), which is at least as strong, and the store takes none.
   */
  rowLocks: boolean;
  /** `FOR UPDATE SKIP LOCKED` exists, so outbox workers claim deliveries without queueing behind each other. */
  skipLocked: boolean;
}

export interface DialectProfile {
  /** What core sees: the dialect name and whether several processes can share the database. */
  capabilities: AdapterCapabilities;
  locking: LockingProfile;
  /**
   * The frozen migrations' statement lists this database runs, in order (e.g. `['postgres',
   * 'postgres:exclusion']`; see migrations/frozen.ts).
   */
  ddl: readonly DdlTarget[];
  encodeInstant(epochMs: number): unknown;
  decodeInstant(value: unknown): number;
  /** Statements that open a write transaction (e.g. `BEGIN IMMEDIATE` on SQLite). */
  beginStatements: string[];
  /** A failure worth retrying the whole transaction for (deadlock, serialization, busy). */
  isTransient(error: unknown): boolean;
  /** Max transaction attempts before a transient failure surfaces as `storage_error`. */
  maxAttempts: number;
  /**
   * `WITH … AS (INSERT …) INSERT …` runs (Postgres): `reserve` then writes a booking and its
   * slot-seat row in one statement, one round trip, as the hot path had when a trigger kept the
   * counter. Elsewhere the two are consecutive statements of the same transaction.
   */
  writableCte?: boolean;
  /** How an insert skips a row whose key exists: `ON CONFLICT DO NOTHING` or MySQL's `INSERT IGNORE`. */
  conflictStyle: 'on_conflict' | 'insert_ignore';
  /**
   * A database constraint backing up the no-overlap rule of exclusive resource time rejected a
   * write (Postgres' exclusion constraint). The store reports it as a conflict instead of a
   * crash; it only fires if the row-lock check was bypassed, so the transaction is already
   * aborted and the caller must not write more in it. Absent where there is no such constraint.
   */
  isExclusionViolation?(error: unknown): boolean;
}

/** Reads a numeric column that a driver may return as a string (Postgres `bigint`). */
export function num(value: unknown): number {
  return typeof value === 'number' ? value : Number(value);
}

export function numOrNull(value: unknown): number | null {
  return value === null || value === undefined ? null : num(value);
}

/** The error and the errors it wraps (`cause`), outermost first: core wraps driver errors. */
export function errorChain(error: unknown): unknown[] {
  const chain: unknown[] = [];
  let current = error;
  while (current !== null && current !== undefined && chain.length < 8 && !chain.includes(current)) {
    chain.push(current);
    current = (current as { cause?: unknown }).cause;
  }
  return chain;
}
