/**
 * The Kysely table types of Seshn's schema. Instants are dialect-encoded (see DialectProfile), so
 * their column type is `unknown`; JSON documents are stored as text.
 * @module
 */
export interface ScopedRow {
  organization_id: string;
  mode: string;
}

export interface ResourcesTable extends ScopedRow {
  id: string;
  name: string;
  timezone: string;
  capacity: number | null;
  metadata: string;
  availability: string;
  archived_at: unknown;
  created_at: unknown;
  updated_at: unknown;
}

export interface ServicesTable extends ScopedRow {
  id: string;
  name: string;
  kind: string;
  config: string;
  archived_at: unknown;
  created_at: unknown;
  updated_at: unknown;
}

export interface AllocationsTable extends ScopedRow {
  id: string;
  resource_id: string;
  start_time: unknown;
  end_time: unknown;
  reason: string | null;
  metadata: string;
  created_at: unknown;
}

export interface ContactsTable extends ScopedRow {
  id: string;
  name: string;
  email: string | null;
  email_lower: string | null;
  phone: string | null;
  metadata: string;
  created_at: unknown;
  updated_at: unknown;
}

export interface BookingsTable extends ScopedRow {
  id: string;
  service_id: string;
  resource_id: string;
  contact_id: string;
  slot_key: string;
  start_time: unknown;
  end_time: unknown;
  occupied_start: unknown;
  occupied_end: unknown;
  seats: number;
  status: string;
  attendance: string;
  expires_at: unknown;
  price_amount: number | null;
  price_currency: string | null;
  series_id: string | null;
  occurrence_index: number | null;
  entitlement_id: string | null;
  notes: string | null;
  metadata: string;
  cancellation_reason: string | null;
  cancelled_at: unknown;
  created_at: unknown;
  updated_at: unknown;
}

export interface BookingSeriesTable extends ScopedRow {
  id: string;
  service_id: string;
  resource_id: string;
  contact_id: string;
  seats: number;
  recurrence: string;
  status: string;
  metadata: string;
  created_at: unknown;
  updated_at: unknown;
}

export interface EventsTable extends ScopedRow {
  id: string;
  type: string;
  data: string;
  created_at: unknown;
}

/** One consumer's delivery of one event (outbox.ts): its lease, attempts and when it settled. */
export interface EventDeliveriesTable extends ScopedRow {
  consumer: string;
  event_id: string;
  lease_owner: string | null;
  lease_until: unknown;
  attempts: number;
  settled_at: unknown;
}

export interface IdempotencyKeysTable extends ScopedRow {
  idem_key: string;
  operation: string;
  fingerprint: string;
  result_id: string;
  created_at: unknown;
}

/** Confirmed seats per slot, kept by the booking primitives' own writes (store/slot-seats.ts). */
export interface SlotSeatsTable extends ScopedRow {
  resource_id: string;
  slot_key: string;
  start_time: unknown;
  end_time: unknown;
  occupied_start: unknown;
  occupied_end: unknown;
  seats: number;
  booking_id: string;
}

/** An organization: stored in the scope `(id, 'live')`. */
export interface OrganizationsTable extends ScopedRow {
  id: string;
  name: string;
  metadata: string;
  created_at: unknown;
}

/** An API key (scope `(organization, 'live')`; `key_mode` is the mode it opens). Only the secret's hash. */
export interface ApiKeysTable extends ScopedRow {
  id: string;
  name: string;
  key_type: string;
  role: string | null;
  key_mode: string;
  scopes: string | null;
  hash: string;
  redacted: string;
  created_at: unknown;
  revoked_at: unknown;
}

export interface AuditLogTable extends ScopedRow {
  id: string;
  actor_type: string;
  actor_id: string;
  action: string;
  target_id: string | null;
  request_id: string | null;
  changes_before: string | null;
  changes_after: string | null;
  created_at: unknown;
}

/** The test clock of an organization's test scope: one row, id `test_clock`. */
export interface TestClocksTable extends ScopedRow {
  id: string;
  offset_ms: number | string;
  updated_at: unknown;
}

/** HTTP idempotency keys and their stored responses (store/requests.ts). */
export interface HttpRequestsTable extends ScopedRow {
  idem_key: string;
  fingerprint: string;
  operation: string;
  /** `null` while in flight. */
  status: number | null;
  body: string | null;
  /** Bumped by every claim: a takeover is a compare-and-set on it. */
  attempt: number;
  lease_until: unknown;
  created_at: unknown;
}

export interface ProductsTable extends ScopedRow {
  id: string;
  name: string;
  product_type: string;
  /** credits, validDays, serviceIds, period, price, creditsPerSeat (JSON). */
  config: string;
  metadata: string;
  archived_at: unknown;
  created_at: unknown;
  updated_at: unknown;
}

export interface EntitlementsTable extends ScopedRow {
  id: string;
  contact_id: string;
  product_id: string;
  account_id: string;
  status: string;
  expires_at: unknown;
  /** The product's terms copied at grant, and the source (JSON). */
  terms: string;
  metadata: string;
  created_at: unknown;
  updated_at: unknown;
}

/** A ledger account; posted counters are kept on customer accounts only (see core's AccountRecord). */
export interface LedgerAccountsTable extends ScopedRow {
  id: string;
  kind: string;
  code: string;
  contact_id: string | null;
  entitlement_id: string | null;
  limited: number;
  debits_posted: number | string;
  credits_posted: number | string;
  created_at: unknown;
  updated_at: unknown;
}

export interface LedgerTransfersTable extends ScopedRow {
  id: string;
  debit_account_id: string;
  credit_account_id: string;
  amount: number | string;
  status: string;
  expires_at: unknown;
  code: string;
  entitlement_id: string;
  booking_id: string | null;
  metadata: string;
  created_at: unknown;
  updated_at: unknown;
}

/** A place in a slot's queue (core's WaitlistEntryRecord); the slot stored as a booking's is. */
export interface WaitlistEntriesTable extends ScopedRow {
  id: string;
  service_id: string;
  resource_id: string;
  contact_id: string;
  slot_key: string;
  start_time: unknown;
  end_time: unknown;
  occupied_start: unknown;
  occupied_end: unknown;
  seats: number;
  /** 1, 2, 3… per slot, never reused (unique per scope, resource and slot key). */
  position: number;
  status: string;
  use_credits: string | null;
  booking_id: string | null;
  reason: string | null;
  notes: string | null;
  metadata: string;
  promoted_at: unknown;
  created_at: unknown;
  updated_at: unknown;
}

export interface SeshnDatabase {
  seshn_resources: ResourcesTable;
  seshn_services: ServicesTable;
  seshn_allocations: AllocationsTable;
  seshn_contacts: ContactsTable;
  seshn_bookings: BookingsTable;
  seshn_booking_series: BookingSeriesTable;
  seshn_events: EventsTable;
  seshn_event_deliveries: EventDeliveriesTable;
  seshn_idempotency_keys: IdempotencyKeysTable;
  seshn_slot_seats: SlotSeatsTable;
  seshn_organizations: OrganizationsTable;
  seshn_api_keys: ApiKeysTable;
  seshn_audit_log: AuditLogTable;
  seshn_test_clocks: TestClocksTable;
  seshn_http_requests: HttpRequestsTable;
  seshn_products: ProductsTable;
  seshn_entitlements: EntitlementsTable;
  seshn_ledger_accounts: LedgerAccountsTable;
  seshn_ledger_transfers: LedgerTransfersTable;
  seshn_waitlist_entries: WaitlistEntriesTable;
}
