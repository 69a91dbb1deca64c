/**
 * The adapter contract: the storage port of Seshn, cut by aggregate. An adapter is
 * - a generic, scope-checked **record store** for plain entities (records.ts: insert / get /
 *   getMany / update / list / archive / remove, by kind);
 * - the **booking primitives** that carry the no-overbooking invariant, each atomic and all under
 *   one lock protocol (bookings.ts: reserve / move / confirm / release, and attendance marks);
 * - **idempotency keys** (idempotency.ts: claimIdempotencyKey) and the HTTP response store
 *   (beginRequest / finishRequest / abandonRequest);
 * - **tenancy** lookups across scopes (records.ts: findApiKey);
 * - the **outbox** (outbox.ts: enqueue / claim / settle, per consumer);
 * - the **waitlist** queues read under the lock protocol (waitlist.ts: readQueues);
 * - **background work** found and claimed without waiting (work.ts: findDueWork /
 *   tryLockResources / markNoShows);
 * - the **ledger** primitives (ledger.ts: openAccounts / postTransfers / getBalances), which carry
 *   the "no customer account goes negative" invariant;
 * - transactions and lifecycle (this file).
 * Core owns every decision; an adapter owns durability, locking and the SQL dialect.
 *
 * Conventions every method follows:
 * - Every read and write is scoped by `scope` (organization + mode): a row of another scope is
 *   invisible (invariant 7).
 * - Instants are UTC epoch milliseconds (integers). Money is integer minor units.
 * - Methods called on the handle passed to {@link SeshnAdapter.transaction} run in that
 *   transaction; called on the adapter itself each runs in its own.
 * @module
 */
import type { BookingStore } from './bookings.js';
import type { IdempotencyStore, RequestStore } from './idempotency.js';
import type { LedgerStore } from './ledger.js';
import type { OutboxStore } from './outbox.js';
import type { RecordStore, TenancyStore } from './records.js';
import type { WaitlistStore } from './waitlist.js';
import type { WorkStore } from './work.js';

export * from './bookings.js';
export type * from './idempotency.js';
export * from './ledger.js';
export type * from './outbox.js';
export type * from './records.js';
export type * from './waitlist.js';
export type * from './work.js';

/** What core needs to know about the storage behind an adapter. */
export interface AdapterCapabilities {
  /** Dialect name, for logs and test matrices. */
  dialect: string;
  /** Several OS processes can share the database (false for SQLite `:memory:`). */
  multiProcess: boolean;
}

/** The operations available both on the adapter and inside a transaction. */
export interface SeshnStore
  extends RecordStore,
    BookingStore,
    IdempotencyStore,
    RequestStore,
    OutboxStore,
    TenancyStore,
    LedgerStore,
    WaitlistStore,
    WorkStore {}

/** A storage adapter: {@link SeshnStore} plus transactions and lifecycle. */
export interface SeshnAdapter extends SeshnStore {
  readonly name: string;
  readonly capabilities: AdapterCapabilities;
  /**
   * Creates or upgrades the schema. Idempotent, and safe when several processes call it at once
   * (a database-level lock serialises them).
   */
  migrate(): Promise<void>;
  /**
   * Runs `fn` in one database transaction: all its writes commit together or not at all.
   * Transient failures (deadlock, serialization failure, busy) retry `fn` a bounded number of
   * times, so `fn` must be free of side effects outside the transaction.
   */
  transaction<T>(fn: (tx: SeshnStore) => Promise<T>): Promise<T>;
  /** Releases connections. */
  close(): Promise<void>;
}

type MethodName<T> = { [K in keyof T]-?: T[K] extends (...args: never[]) => unknown ? K : never }[keyof T];

/**
 * Every method of the contract, with the part of the port it belongs to. Typed against
 * {@link SeshnAdapter}: a method added to an interface and missing here, or listed here and not
 * in an interface, fails to compile, so {@link ADAPTER_METHODS} cannot drift from the contract.
 */
export const ADAPTER_CONTRACT = {
  migrate: 'lifecycle',
  transaction: 'lifecycle',
  close: 'lifecycle',
  insert: 'records',
  get: 'records',
  getMany: 'records',
  update: 'records',
  list: 'records',
  archive: 'records',
  remove: 'records',
  listOccupations: 'bookings',
  reserve: 'bookings',
  move: 'bookings',
  confirm: 'bookings',
  release: 'bookings',
  setAttendance: 'bookings',
  getIdempotencyKey: 'idempotency',
  claimIdempotencyKey: 'idempotency',
  beginRequest: 'idempotency',
  finishRequest: 'idempotency',
  abandonRequest: 'idempotency',
  findApiKey: 'tenancy',
  enqueue: 'outbox',
  claim: 'outbox',
  settle: 'outbox',
  openAccounts: 'ledger',
  postTransfers: 'ledger',
  getBalances: 'ledger',
  readQueues: 'waitlist',
  findDueWork: 'work',
  tryLockResources: 'work',
  markNoShows: 'work',
} as const satisfies Record<
  MethodName<SeshnAdapter>,
  'lifecycle' | 'records' | 'bookings' | 'idempotency' | 'outbox' | 'tenancy' | 'ledger' | 'waitlist' | 'work'
>;

/** Every method name `createSeshn` checks an adapter for (derived from {@link ADAPTER_CONTRACT}). */
export const ADAPTER_METHODS = Object.keys(ADAPTER_CONTRACT) as readonly MethodName<SeshnAdapter>[];
