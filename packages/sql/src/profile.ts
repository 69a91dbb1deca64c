/**
 * What differs between SQL databases, as data. Shared code asks the profile; it never branches on
 * a dialect name (Kysely's `DialectAdapter` capability-flag idea).
 * @module
 */
import type { AdapterCapabilities } from '@seshn/core';
import type { SlotSeatsProfile } from './slot-seats.js';

export interface DialectProfile extends DialectProfileExtras, SlotSeatsProfile {
  capabilities: AdapterCapabilities;
  /** Column type for instants; values go through `encodeInstant` / `decodeInstant`. */
  instantType: 'bigint' | 'timestamptz(3)' | 'datetime(3)';
  encodeInstant(epochMs: number): unknown;
  decodeInstant(value: unknown): number;
  /** Column type for JSON documents and long text. */
  textType: 'text' | 'longtext';
  /** Statements that open a write transaction (e.g. `BEGIN IMMEDIATE` on SQLite). */
  beginStatements: string[];
  /** A failure worth retrying the whole transaction for (deadlock, serialization, busy). */
  isTransient(error: unknown): boolean;
  /** A unique-constraint violation (idempotency keys, duplicate ids). */
  isUniqueViolation(error: unknown): boolean;
  /** Max transaction attempts before a transient failure surfaces as `storage_error`. */
  maxAttempts: number;
  /** Extra DDL run by the initial migration (e.g. Postgres' exclusion constraint). */
  extraMigrationSql?: string[];
}

/** Reads a numeric column that a driver may return as a string (Postgres `bigint`). */
export function num(value: unknown): number {
  return typeof value === 'number' ? value : Number(value);
}

export function numOrNull(value: unknown): number | null {
  return value === null || value === undefined ? null : num(value);
}

export interface DialectProfileExtras {
  /** How an insert skips a row whose key exists: `ON CONFLICT DO NOTHING` or MySQL's `INSERT IGNORE`. */
  conflictStyle: 'on_conflict' | 'insert_ignore';
  /**
   * The database's overlap constraint (`capabilities.exclusionConstraint`) rejected a write. The
   * store reports it as a conflict instead of a crash; it only fires if the row-lock check was
   * bypassed, so the transaction is already aborted and the caller must not write more in it.
   */
  isExclusionViolation?(error: unknown): boolean;
  /** Appended to every `CREATE TABLE` (e.g. MySQL's engine and a binary collation for ids and keys). */
  tableOptions?: string;
  /** `DROP INDEX` names its table (MySQL: `DROP INDEX i ON t`); elsewhere index names are global. */
  dropIndexNamesTable?: boolean;
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
