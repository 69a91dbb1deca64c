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
}
