/**
 * The adapter contract: the storage port of Seshn. An adapter stores records and carries out the
 * few operations that hold an invariant atomically (`reserve`, guarded booking transitions). Core
 * owns every decision; an adapter owns durability, locking and the SQL dialect.
 *
 * Conventions every method follows:
 * - Every read and write is scoped by `scope` (organization + mode): a row of another scope is
 *   invisible — reads return `null`, guarded writes return `null`, lists omit it (invariant 7).
 * - Instants are UTC epoch milliseconds (integers). Money is integer minor units.
 * - Lists are cursor-paginated newest first (`id` descending); `startingAfter` is an id from the
 *   previous page; `limit + 1` rows are read so `hasMore` is exact.
 * - Methods called on the handle passed to {@link SeshnAdapter.transaction} run in that
 *   transaction; called on the adapter itself each runs in its own.
 * @module
 */
import type { Attendance, BookingStatus } from '../schema/booking.js';
import type { Page } from '../schema/common.js';

export interface Scope {
  organizationId: string;
  mode: 'live' | 'test';
}

export interface PageParams {
  limit: number;
  startingAfter?: string | undefined;
}

export interface ResourceRecord {
  id: string;
  name: string;
  timezone: string;
  capacity: number | null;
  metadata: Record<string, unknown>;
  /** Weekly hours and overrides, stored as a document. */
  availability: unknown;
  archivedAt: number | null;
  createdAt: number;
  updatedAt: number;
}

export interface ServiceRecord {
  id: string;
  name: string;
  kind: 'appointment' | 'class';
  /** The full validated service configuration (durations, buffers, pricing, timetable…). */
  config: Record<string, unknown>;
  archivedAt: number | null;
  createdAt: number;
  updatedAt: number;
}

export interface AllocationRecord {
  id: string;
  resourceId: string;
  startTime: number;
  endTime: number;
  reason: string | null;
  metadata: Record<string, unknown>;
  createdAt: number;
}

export interface ContactRecord {
  id: string;
  name: string;
  email: string | null;
  phone: string | null;
  metadata: Record<string, unknown>;
  createdAt: number;
  updatedAt: number;
}

export interface BookingRecord {
  id: string;
  serviceId: string;
  resourceId: string;
  contactId: string;
  /** Identity of the slot (`serviceId|resourceId|start|end`): same-slot bookings share seats. */
  slotKey: string;
  startTime: number;
  endTime: number;
  /** `[startTime − bufferBefore, endTime + bufferAfter)`: what the booking blocks on its resource. */
  occupiedStart: number;
  occupiedEnd: number;
  seats: number;
  /** As stored: a `held` row whose `expiresAt` has passed is expired even before a sweeper marks it. */
  status: BookingStatus;
  attendance: Attendance;
  expiresAt: number | null;
  priceAmount: number | null;
  priceCurrency: string | null;
  seriesId: string | null;
  occurrenceIndex: number | null;
  entitlementId: string | null;
  notes: string | null;
  metadata: Record<string, unknown>;
  cancellationReason: string | null;
  cancelledAt: number | null;
  createdAt: number;
  updatedAt: number;
}

export interface BookingSeriesRecord {
  id: string;
  serviceId: string;
  resourceId: string;
  contactId: string;
  seats: number;
  /** The recurrence as given and as compiled (`rrule`, `dtstart`, `timezone`). */
  recurrence: Record<string, unknown>;
  status: 'active' | 'cancelled';
  metadata: Record<string, unknown>;
  createdAt: number;
  updatedAt: number;
}

/** A live occupation of a resource, as `reserve` and availability see it. */
export interface OccupationRecord {
  kind: 'booking' | 'allocation';
  id: string;
  resourceId: string;
  /** Booking: the slot; allocation: the block. */
  start: number;
  end: number;
  /** Booking: buffered interval; allocation: same as start/end. */
  occupiedStart: number;
  occupiedEnd: number;
  slotKey: string | null;
  seats: number;
}

/** One booking to reserve. The adapter checks it against live occupations and inserts it. */
export interface ReserveItem {
  booking: BookingRecord;
  /** Seats the slot has in total (the service's capacity). */
  capacity: number;
}

/**
 * The instant a primitive judges liveness at: a number, or a clock the store reads once it holds
 * its locks (inside the transaction, after any wait for another writer), which is what the engine
 * passes: a clock read before the lock was granted can be stale by the time the check runs.
 */
export type StoreNow = number | (() => number);

/** Resolves a {@link StoreNow}: call it after the locks are taken. */
export function resolveNow(now: StoreNow): number {
  return typeof now === 'function' ? now() : now;
}

export interface ReserveRequest {
  /** The clock: holds with `expiresAt <= now` no longer occupy anything (invariant 2). */
  now: StoreNow;
  items: ReserveItem[];
  /** `all` (default): every item or none. `skip`: insert the items that fit, report the rest. */
  policy?: 'all' | 'skip';
  /** Bookings that do not count as occupations (the booking being rescheduled). */
  ignoreBookingIds?: string[];
  /**
   * Move existing bookings instead of inserting new ones: each accepted item updates the slot
   * columns of the booking with its id, only while that booking is still live (held and
   * unexpired, or confirmed). Items whose booking is no longer live are left out of `bookings`.
   */
  replaceExisting?: boolean;
}

export type ReserveConflictReason = 'full' | 'conflict' | 'buffer_conflict' | 'allocation';

export interface ReserveConflict {
  /** Index into `items`. */
  index: number;
  reason: ReserveConflictReason;
  /** Seats left in the slot (for `full`). */
  remaining?: number;
  /** The booking or allocation it collides with. */
  withId?: string;
}

export type ReserveResult =
  | { ok: true; bookings: BookingRecord[]; skipped: ReserveConflict[] }
  | { ok: false; conflicts: ReserveConflict[] };

/** One hold to make permanent, with the seats its slot has in total (the service's capacity). */
export interface ConfirmItem {
  bookingId: string;
  capacity: number;
}

export interface ConfirmRequest {
  /** Read once the locks are held; a hold with `expiresAt <= now` is lapsed and is not confirmed. */
  now: StoreNow;
  items: ConfirmItem[];
  /** Applied with the status change (e.g. `updatedAt`). */
  updatedAt?: number;
}

/** Why a hold was not confirmed. */
export interface ConfirmRefusal {
  /** The booking as stored when it was refused. */
  booking: BookingRecord;
  /**
   * `not_held`: not a live hold at `now` (confirmed, cancelled, expired, or lapsed);
   * `seats_taken`: a live hold whose seats or time another booking now occupies — sold by a writer
   * whose clock saw the hold lapse, or the capacity shrank since it was taken.
   */
  reason: 'not_held' | 'seats_taken' | 'not_found';
  conflict?: ReserveConflict;
}

export interface ConfirmResult {
  /** The instant the check ran at (the clock as read under the locks). */
  now: number;
  /** The bookings confirmed, as stored afterwards; empty when anything was refused (all or none). */
  confirmed: BookingRecord[];
  refused: ConfirmRefusal[];
}

export interface BookingFilter {
  contactId?: string | undefined;
  serviceId?: string | undefined;
  resourceId?: string | undefined;
  seriesId?: string | undefined;
  /** Effective statuses: `held` means held and unexpired at `now`; `expired` includes lapsed holds. */
  statuses?: BookingStatus[] | undefined;
  /** Bookings whose slot overlaps `[from, to)`. */
  from?: number | undefined;
  to?: number | undefined;
  now: number;
}

/** A guarded transition: the update applies only if the booking is currently in one of these states. */
export interface BookingGuard {
  /** Effective statuses allowed (at `now`). */
  statuses: BookingStatus[];
  now: number;
  /** When set, the update applies only while the attendance is not this value (idempotent marks). */
  notAttendance?: Attendance;
}

export type BookingPatch = Partial<
  Pick<
    BookingRecord,
    | 'status'
    | 'attendance'
    | 'expiresAt'
    | 'cancellationReason'
    | 'cancelledAt'
    | 'updatedAt'
    | 'metadata'
    | 'notes'
  >
>;

export interface EventRecord {
  id: string;
  type: string;
  /** The object the event is about, as the API shows it. */
  data: Record<string, unknown>;
  createdAt: number;
}

/** An event leased to an outbox worker, with the tenant it belongs to. */
export interface ClaimedEvent extends EventRecord {
  scope: Scope;
}

export interface IdempotencyRecord {
  key: string;
  /** The operation the key was used for, e.g. `bookings.create`. */
  operation: string;
  /** Fingerprint of the request: a retry must send the same request. */
  fingerprint: string;
  /** Id of the object the first request created. */
  resultId: string;
  createdAt: number;
}

export interface AdapterCapabilities {
  /** Dialect name, for logs and test matrices. */
  dialect: string;
  /**
   * `SELECT … FOR UPDATE` row locks exist. Without them (SQLite) a write transaction locks the
   * whole database (`BEGIN IMMEDIATE`), which is at least as strong.
   */
  rowLocks: boolean;
  /** `FOR UPDATE SKIP LOCKED` exists, so outbox workers can claim rows without blocking each other. */
  skipLocked: boolean;
  /** Several OS processes can share the database (false for SQLite `:memory:`). */
  multiProcess: boolean;
  /** A database constraint backs up the no-overlap rule of exclusive resource time. */
  exclusionConstraint: boolean;
}

/** The operations available both on the adapter and inside a transaction. */
export interface SeshnStore {
  insertResource(scope: Scope, record: ResourceRecord): Promise<void>;
  getResource(scope: Scope, id: string): Promise<ResourceRecord | null>;
  getResources(scope: Scope, ids: string[]): Promise<ResourceRecord[]>;
  updateResource(scope: Scope, record: ResourceRecord): Promise<boolean>;
  listResources(scope: Scope, page: PageParams): Promise<Page<ResourceRecord>>;

  insertService(scope: Scope, record: ServiceRecord): Promise<void>;
  getService(scope: Scope, id: string): Promise<ServiceRecord | null>;
  updateService(scope: Scope, record: ServiceRecord): Promise<boolean>;
  listServices(scope: Scope, page: PageParams): Promise<Page<ServiceRecord>>;

  insertAllocation(scope: Scope, record: AllocationRecord): Promise<void>;
  getAllocation(scope: Scope, id: string): Promise<AllocationRecord | null>;
  deleteAllocation(scope: Scope, id: string): Promise<boolean>;
  listAllocations(
    scope: Scope,
    filter: { resourceId?: string | undefined; from?: number | undefined; to?: number | undefined },
    page: PageParams,
  ): Promise<Page<AllocationRecord>>;

  insertContact(scope: Scope, record: ContactRecord): Promise<void>;
  getContact(scope: Scope, id: string): Promise<ContactRecord | null>;
  updateContact(scope: Scope, record: ContactRecord): Promise<boolean>;
  listContacts(scope: Scope, page: PageParams): Promise<Page<ContactRecord>>;
  /** Exact (case-insensitive) email match, or a substring of name/email/phone. */
  findContacts(
    scope: Scope,
    query: { email?: string | undefined; query?: string | undefined },
    limit: number,
  ): Promise<ContactRecord[]>;

  getBooking(scope: Scope, id: string): Promise<BookingRecord | null>;
  listBookings(scope: Scope, filter: BookingFilter, page: PageParams): Promise<Page<BookingRecord>>;
  /**
   * Applies `patch` only when the booking's effective status (at `guard.now`) is one of
   * `guard.statuses`; returns the updated record, or `null` when the guard failed or the booking
   * does not exist in this scope. Exactly one of two concurrent callers with the same guard wins.
   */
  updateBooking(
    scope: Scope,
    id: string,
    patch: BookingPatch,
    guard: BookingGuard,
  ): Promise<BookingRecord | null>;

  /**
   * Live occupations of the given resources overlapping `[from, to)` by their occupied
   * (buffered) interval: confirmed bookings, held bookings with `expiresAt > now`, allocations.
   */
  listOccupations(
    scope: Scope,
    resourceIds: string[],
    from: number,
    to: number,
    now: number,
  ): Promise<OccupationRecord[]>;

  /**
   * **The no-overbooking invariant (DESIGN.md 1, 2, 3).** Atomically checks every item against
   * the live occupations of its resource — seats of the same slot (`slotKey`) must stay within
   * `capacity`; any other overlap of occupied intervals, or with an allocation, is a conflict;
   * items of one request are checked against each other too — and inserts the bookings that fit.
   * With policy `all` (default) either every item is inserted or none and `conflicts` names each
   * failing item. Holds count until `expiresAt` (`> now`), with or without a sweeper.
   *
   * Must hold against any number of concurrent callers in any number of processes: the database
   * serialises reservations per resource (row locks taken in resource-id order, or a database
   * write lock), never an in-memory lock. Runs in the caller's transaction when called on a
   * transaction handle, otherwise in its own.
   */
  reserve(scope: Scope, request: ReserveRequest): Promise<ReserveResult>;

  /**
   * **Confirming a hold keeps its seats, so it is checked like a reservation (invariant 1).**
   * Under the same locks as {@link SeshnStore.reserve} (the bookings' resource rows in id order,
   * or the database write lock), with `now` read after they are held: each item must still be a
   * live hold (`held`, `expiresAt > now`), and its seats must still fit its slot next to every
   * confirmed booking of its resource — a writer whose clock saw the hold lapse may have sold
   * them. Other holds do not refuse it (they were counted when this hold was taken, and each meets
   * this check when it is confirmed), nor do allocations made after it (a block stops new
   * bookings only). All or none: when any item is refused nothing changes.
   */
  confirm(scope: Scope, request: ConfirmRequest): Promise<ConfirmResult>;

  /**
   * Marks the given bookings `expired` where they are holds that lapsed at `now` and are still
   * stored as `held`; returns those it changed. A booking is marked at most once, so the
   * `booking.expired` event the caller writes for each returned record is never written twice.
   */
  expireHolds(scope: Scope, ids: string[], now: number): Promise<BookingRecord[]>;

  insertSeries(scope: Scope, record: BookingSeriesRecord): Promise<void>;
  /**
   * With `{ lock: true }` inside a transaction, the series row stays locked until it ends, so
   * changes to one series (cancelling its occurrences, settling its status) serialise.
   */
  getSeries(scope: Scope, id: string, options?: { lock?: boolean }): Promise<BookingSeriesRecord | null>;
  updateSeries(scope: Scope, record: BookingSeriesRecord): Promise<boolean>;
  listSeries(
    scope: Scope,
    filter: { contactId?: string | undefined },
    page: PageParams,
  ): Promise<Page<BookingSeriesRecord>>;

  /** Appends events to the transactional outbox (delivered by later workers). */
  insertEvents(scope: Scope, events: EventRecord[]): Promise<void>;
  /** One event of this scope (a list cursor is checked with it), or null. */
  getEvent(scope: Scope, id: string): Promise<EventRecord | null>;
  listEvents(
    scope: Scope,
    filter: { type?: string | undefined },
    page: PageParams,
  ): Promise<Page<EventRecord>>;

  /**
   * Leases up to `limit` undispatched events of every scope, oldest first, to `owner` until
   * `now + leaseMs`. Safe with many workers at once: concurrent claimers get disjoint events
   * (`FOR UPDATE SKIP LOCKED` where the database has it; SQLite's write lock otherwise). Events
   * whose lease ran out without {@link SeshnStore.markEventsDispatched} are claimable again.
   */
  claimEvents(request: {
    now: number;
    limit: number;
    leaseMs: number;
    owner: string;
  }): Promise<ClaimedEvent[]>;
  /** Marks leased events dispatched (only those still leased to `owner`); returns how many. */
  markEventsDispatched(owner: string, ids: string[], now: number): Promise<number>;

  getIdempotencyKey(scope: Scope, key: string): Promise<IdempotencyRecord | null>;
  /** Inserts the key; returns false (and changes nothing) when the key already exists in the scope. */
  insertIdempotencyKey(scope: Scope, record: IdempotencyRecord): Promise<boolean>;
}

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

/** Every method name `createSeshn` checks an adapter for. */
export const ADAPTER_METHODS = [
  'migrate',
  'transaction',
  'close',
  'insertResource',
  'getResource',
  'getResources',
  'updateResource',
  'listResources',
  'insertService',
  'getService',
  'updateService',
  'listServices',
  'insertAllocation',
  'getAllocation',
  'deleteAllocation',
  'listAllocations',
  'insertContact',
  'getContact',
  'updateContact',
  'listContacts',
  'findContacts',
  'getBooking',
  'listBookings',
  'updateBooking',
  'listOccupations',
  'reserve',
  'confirm',
  'expireHolds',
  'insertSeries',
  'getSeries',
  'updateSeries',
  'listSeries',
  'insertEvents',
  'getEvent',
  'listEvents',
  'claimEvents',
  'markEventsDispatched',
  'getIdempotencyKey',
  'insertIdempotencyKey',
] as const satisfies readonly (keyof SeshnAdapter)[];
