/**
 * The generic record store: plain entities (no invariant beyond "scoped, by id"), read and written
 * the same way whatever their kind. A new entity is a record type here, a line in
 * {@link RecordTypes} (and {@link RecordFilters}), and a table definition plus one line in the
 * SQL store (see packages/sql/README.md); no new adapter method.
 *
 * Every call is scoped: a row of another scope is invisible — `get` returns `null`, `update`,
 * `archive` and `remove` return `false`/`null`, lists omit it (invariant 7). Lists are
 * cursor-paginated newest first (`id` descending); `startingAfter` is an id from the previous
 * page; `limit + 1` rows are read so `hasMore` is exact.
 * @module
 */
import type { Attendance, BookingStatus } from '../schema/booking.js';
import type { Page } from '../schema/common.js';
import type { AccountRecord, TransferRecord } from './ledger.js';

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

/** `waiting` → `promoted` (a booking was made for it) | `left` (the contact left) | `expired`. */
export type WaitlistEntryStatus = 'waiting' | 'promoted' | 'left' | 'expired';

/**
 * A place in a slot's queue (`wl_…`). The slot is stored as a booking's is (key, times, occupied
 * interval), so a reservation can count the entry's seats as demand for exactly that slot.
 */
export interface WaitlistEntryRecord {
  id: string;
  serviceId: string;
  resourceId: string;
  contactId: string;
  slotKey: string;
  startTime: number;
  endTime: number;
  occupiedStart: number;
  occupiedEnd: number;
  seats: number;
  /** 1, 2, 3… per slot in the order of joining; never reused (unique per slot). */
  position: number;
  status: WaitlistEntryStatus;
  /** How a promotion pays: `null` (no credits), `'auto'` (the best entitlement) or an entitlement id. */
  useCredits: string | null;
  /** The booking a promotion made (`promoted`, and an `expired` offer). */
  bookingId: string | null;
  /** Why it ended: `left`, `offer_lapsed`, `insufficient_credits`, … (`null` while waiting or promoted). */
  reason: string | null;
  notes: string | null;
  metadata: Record<string, unknown>;
  promotedAt: number | null;
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

export interface EventRecord {
  id: string;
  type: string;
  /** The object the event is about, as the API shows it. */
  data: Record<string, unknown>;
  createdAt: number;
}

/** An organization (tenancy): stored in the scope `{ organizationId: id, mode: 'live' }`. */
export interface OrganizationRecord {
  id: string;
  name: string;
  metadata: Record<string, unknown>;
  createdAt: number;
}

/**
 * An API key. Keys belong to the organization, not to a mode: every key is stored in the scope
 * `{ organizationId, mode: 'live' }` and `mode` says which mode it opens. Only the SHA-256 hash
 * of the secret is stored.
 */
export interface ApiKeyRecord {
  id: string;
  name: string;
  type: 'secret' | 'publishable';
  role: 'owner' | 'admin' | 'staff' | 'readonly' | null;
  mode: 'live' | 'test';
  scopes: string[] | null;
  /** SHA-256 of the secret, lowercase hex. */
  hash: string;
  /** Prefix and last four characters of the secret, e.g. `sk_test_…abcd`. */
  redacted: string;
  createdAt: number;
  revokedAt: number | null;
}

/** One audit entry: who changed what, written in the transaction of the change. */
export interface AuditRecord {
  id: string;
  actorType: 'api_key' | 'user';
  actorId: string;
  action: string;
  targetId: string | null;
  requestId: string | null;
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
  createdAt: number;
}

/** The test clock of an organization (one record, id `test_clock`, in its test scope). */
export interface TestClockRecord {
  id: string;
  offsetMs: number;
  updatedAt: number;
}

/** A product studios sell: a pack of credits, a membership or a single pass. */
export interface ProductRecord {
  id: string;
  name: string;
  type: 'pack' | 'membership' | 'pass';
  /** Credits granted (pack: N, pass: 1); `null` for a membership (unlimited or period-limited). */
  credits: number | null;
  /** Days an entitlement is valid from its grant; `null` = no expiry. */
  validDays: number | null;
  /** Services it covers; `null` = all. */
  serviceIds: string[] | null;
  /** A membership's cap: `limit` bookings per calendar week or month (`null` limit = unlimited). */
  period: { every: 'week' | 'month'; limit: number | null } | null;
  /** Integer minor units. */
  price: { amount: number; currency: string } | null;
  creditsPerSeat: number;
  metadata: Record<string, unknown>;
  archivedAt: number | null;
  createdAt: number;
  updatedAt: number;
}

/**
 * One contact's right to book, granted from a product: the product's terms are copied at grant
 * (a later product update changes no entitlement already sold). Its credits live on its
 * customer account (`accountId`). Stored status: `active`, `revoked`, or `expired` once the
 * expiry ran; `exhausted` and a lapsed-but-not-yet-swept expiry are derived when read.
 */
export interface EntitlementRecord {
  id: string;
  contactId: string;
  productId: string;
  accountId: string;
  type: ProductRecord['type'];
  source: 'purchase' | 'comp';
  status: 'active' | 'revoked' | 'expired';
  /** Credits granted; `null` = unlimited (a membership). */
  credits: number | null;
  creditsPerSeat: number;
  serviceIds: string[] | null;
  period: ProductRecord['period'];
  /** The product's price when sold (deferred revenue); `null` for a comp or a free product. */
  price: ProductRecord['price'];
  validFrom: number;
  expiresAt: number | null;
  metadata: Record<string, unknown>;
  revokedAt: number | null;
  createdAt: number;
  updatedAt: number;
}

/** Filters a list of resources or services accepts: none yet. */
export type NoFilter = Record<string, never>;

/** Every kind of the record store and its record type. Bookings and events are read here and written by primitives. */
export interface RecordTypes {
  resource: ResourceRecord;
  service: ServiceRecord;
  allocation: AllocationRecord;
  contact: ContactRecord;
  series: BookingSeriesRecord;
  booking: BookingRecord;
  event: EventRecord;
  organization: OrganizationRecord;
  apiKey: ApiKeyRecord;
  audit: AuditRecord;
  testClock: TestClockRecord;
  product: ProductRecord;
  entitlement: EntitlementRecord;
  account: AccountRecord;
  transfer: TransferRecord;
  waitlistEntry: WaitlistEntryRecord;
}

/** What `list` of each kind filters by (all optional; `{}` lists everything of the scope). */
export interface RecordFilters {
  resource: NoFilter;
  service: NoFilter;
  allocation: { resourceId?: string | undefined; from?: number | undefined; to?: number | undefined };
  /** Exact (case-insensitive) email match, and/or a substring of name/email/phone. */
  contact: { email?: string | undefined; query?: string | undefined };
  series: { contactId?: string | undefined };
  booking: BookingFilter;
  event: { type?: string | undefined };
  organization: NoFilter;
  apiKey: NoFilter;
  audit: { action?: string | undefined; targetId?: string | undefined };
  testClock: NoFilter;
  product: { includeArchived?: boolean | undefined };
  entitlement: {
    contactId?: string | undefined;
    productId?: string | undefined;
    status?: EntitlementRecord['status'] | undefined;
    /** Active entitlements whose `expiresAt` is at or before this instant (the expiry's due work). */
    dueBy?: number | undefined;
  };
  account: { contactId?: string | undefined; entitlementId?: string | undefined };
  /** `accountId` matches either side of the transfer. */
  transfer: {
    accountId?: string | undefined;
    entitlementId?: string | undefined;
    bookingId?: string | undefined;
  };
  waitlistEntry: {
    contactId?: string | undefined;
    serviceId?: string | undefined;
    resourceId?: string | undefined;
    slotKey?: string | undefined;
    status?: WaitlistEntryStatus | undefined;
    /** Entries whose promotion made one of these bookings. */
    bookingIds?: readonly string[] | undefined;
  };
}

export type RecordKind = keyof RecordTypes;
/**
 * Kinds written through the record store. Bookings are written by the booking primitives, events
 * by `enqueue`, accounts and transfers by the ledger primitives (ledger.ts).
 */
export type WritableKind = Exclude<RecordKind, 'booking' | 'event' | 'account' | 'transfer'>;
/** Kinds that are archived (kept, marked `archivedAt`) rather than removed. */
export type ArchivableKind = 'resource' | 'service' | 'product';
/** Kinds that are removed outright. */
export type RemovableKind = 'allocation';

/** An API key found by the hash of its secret, with the organization it belongs to. */
export interface FoundApiKey {
  organizationId: string;
  key: ApiKeyRecord;
}

/** Lookups that cross tenant scopes (authentication: the scope is what they find). */
export interface TenancyStore {
  /** The key whose secret hashes to `hash` (any organization), or `null`. */
  findApiKey(hash: string): Promise<FoundApiKey | null>;
}

export interface RecordStore {
  /** Inserts a new record (its id must be new). */
  insert<K extends WritableKind>(kind: K, scope: Scope, record: RecordTypes[K]): Promise<void>;
  /**
   * One record, or `null`. With `{ lock: true }` inside a transaction the row stays locked until
   * the transaction ends (`FOR UPDATE`; the database write lock on SQLite), so changes to one
   * record serialise — e.g. cancelling a series' occurrences and settling its status.
   */
  get<K extends RecordKind>(
    kind: K,
    scope: Scope,
    id: string,
    options?: { lock?: boolean },
  ): Promise<RecordTypes[K] | null>;
  /** The records of these ids that exist in the scope, in no particular order. */
  getMany<K extends RecordKind>(kind: K, scope: Scope, ids: string[]): Promise<RecordTypes[K][]>;
  /** Replaces the stored record with this id; `false` when there is none in the scope. */
  update<K extends WritableKind>(kind: K, scope: Scope, record: RecordTypes[K]): Promise<boolean>;
  list<K extends RecordKind>(
    kind: K,
    scope: Scope,
    filter: RecordFilters[K],
    page: PageParams,
  ): Promise<Page<RecordTypes[K]>>;
  /**
   * Marks the record archived at `at` (kept once set) and updated at `at`; returns it as stored
   * afterwards, or `null` when there is none in the scope.
   */
  archive<K extends ArchivableKind>(
    kind: K,
    scope: Scope,
    id: string,
    at: number,
  ): Promise<RecordTypes[K] | null>;
  /** Removes the record; `false` when there was none in the scope. */
  remove<K extends RemovableKind>(kind: K, scope: Scope, id: string): Promise<boolean>;
}
