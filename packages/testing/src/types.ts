/**
 * What an adapter's test file hands the conformance suite.
 * @module
 */
import type { SeshnAdapter } from '@seshn/core';
import type { Kysely } from 'kysely';

/**
 * How a child process builds the same adapter on the same database, for cross-process races:
 * `(await import(module))[exportName](options)`. `module` is an absolute path or file URL of the
 * adapter entry (the worker lives in this package and cannot resolve the adapter by name).
 * Options must be JSON.
 */
export interface ProcessAdapterSpec {
  module: string;
  exportName: string;
  options: Record<string, unknown>;
}

export interface ConformanceTarget {
  /** Sentence-friendly name, e.g. `sqlite (file)`. */
  name: string;
  /** A fresh adapter on a fresh, migrated-or-not database (the suite calls `migrate`). */
  createAdapter(): Promise<SeshnAdapter>;
  /**
   * A Kysely instance on the same database on its own connection, for raw readers that check
   * what is stored (not what the adapter says). Instants are decoded with `decodeInstant`.
   */
  // biome-ignore lint/suspicious/noExplicitAny: raw readers query Seshn's tables untyped
  raw(): Kysely<any>;
  decodeInstant(value: unknown): number;
  /** Present when several OS processes can share the database; enables the process races. */
  processAdapter?: ProcessAdapterSpec;
  /** Called once after the suite. */
  teardown?(): Promise<void>;
}
