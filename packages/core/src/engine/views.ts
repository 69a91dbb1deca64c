/**
 * Records (storage shape, epoch ms) → API objects (wire shape, ISO strings). The only place that
 * decides how an entity looks to callers.
 * @module
 */
import { encodeSlotId } from '../booking/slot-id.js';
import type {
  AllocationRecord,
  BookingRecord,
  BookingSeriesRecord,
  ContactRecord,
  ResourceRecord,
  ServiceRecord,
} from '../ports/adapter.js';
import type { Booking, BookingStatus } from '../schema/booking.js';
import type { Allocation, Contact, Resource, Service } from '../schema/catalog.js';
import type { ResourceAvailability } from '../schema/hours.js';
import type { BookingSeriesResult } from '../schema/objects.js';
import { toIso } from '../time/zone.js';

const isoOrNull = (ms: number | null) => (ms === null ? null : toIso(ms));

export function resourceView(r: ResourceRecord): Resource {
  return {
    id: r.id,
    object: 'resource',
    name: r.name,
    timezone: r.timezone,
    capacity: r.capacity,
    metadata: r.metadata,
    availability: r.availability as ResourceAvailability,
    archived: r.archivedAt !== null,
    createdAt: toIso(r.createdAt),
    updatedAt: toIso(r.updatedAt),
  };
}

export function serviceView(s: ServiceRecord): Service {
  const config = s.config as unknown as Omit<
    Service,
    'id' | 'object' | 'archived' | 'createdAt' | 'updatedAt'
  >;
  return {
    ...config,
    durations: config.durations ?? null,
    id: s.id,
    object: 'service',
    name: s.name,
    kind: s.kind,
    archived: s.archivedAt !== null,
    createdAt: toIso(s.createdAt),
    updatedAt: toIso(s.updatedAt),
  };
}

export function allocationView(a: AllocationRecord): Allocation {
  return {
    id: a.id,
    object: 'allocation',
    resourceId: a.resourceId,
    startTime: toIso(a.startTime),
    endTime: toIso(a.endTime),
    reason: a.reason,
    metadata: a.metadata,
    createdAt: toIso(a.createdAt),
  };
}

export function contactView(c: ContactRecord): Contact {
  return {
    id: c.id,
    object: 'contact',
    name: c.name,
    email: c.email,
    phone: c.phone,
    metadata: c.metadata,
    createdAt: toIso(c.createdAt),
    updatedAt: toIso(c.updatedAt),
  };
}

/** A hold whose `expiresAt` has passed is expired, whether or not a sweeper has marked it. */
export function effectiveStatus(b: Pick<BookingRecord, 'status' | 'expiresAt'>, now: number): BookingStatus {
  if (b.status === 'held' && b.expiresAt !== null && b.expiresAt <= now) return 'expired';
  return b.status;
}

/**
 * A booking as the API returns it. `credits` says what a booking paid with credits holds and what
 * its entitlement has left (engine/booking-credits.ts reads it); `null` for a booking without.
 */
export function bookingView(
  b: BookingRecord,
  now: number,
  credits: { used: number; remaining: number | null } | null = null,
): Booking {
  return {
    id: b.id,
    object: 'booking',
    status: effectiveStatus(b, now),
    attendance: b.attendance,
    slotId: encodeSlotId({
      serviceId: b.serviceId,
      resourceId: b.resourceId,
      start: b.startTime,
      end: b.endTime,
    }),
    serviceId: b.serviceId,
    resourceId: b.resourceId,
    contactId: b.contactId,
    seats: b.seats,
    startTime: toIso(b.startTime),
    endTime: toIso(b.endTime),
    expiresAt: isoOrNull(b.expiresAt),
    price:
      b.priceAmount === null || b.priceCurrency === null
        ? null
        : { amount: b.priceAmount, currency: b.priceCurrency },
    payment: null,
    entitlementId: b.entitlementId,
    credits: b.entitlementId === null ? null : credits,
    seriesId: b.seriesId,
    occurrenceIndex: b.occurrenceIndex,
    notes: b.notes,
    metadata: b.metadata,
    cancellationReason: b.cancellationReason,
    cancelledAt: isoOrNull(b.cancelledAt),
    createdAt: toIso(b.createdAt),
    updatedAt: toIso(b.updatedAt),
  };
}

/** A series with its bookings (`skipped` is added by `create` with `onConflict: 'skip'`). */
export type BookingSeries = Omit<BookingSeriesResult, 'skipped'>;

export function seriesView(s: BookingSeriesRecord, bookings: Booking[]): BookingSeries {
  return {
    id: s.id,
    object: 'booking_series',
    status: s.status,
    serviceId: s.serviceId,
    resourceId: s.resourceId,
    contactId: s.contactId,
    seats: s.seats,
    recurrence: s.recurrence,
    metadata: s.metadata,
    bookings,
    createdAt: toIso(s.createdAt),
    updatedAt: toIso(s.updatedAt),
  };
}
