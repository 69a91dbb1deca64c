/**
 * What the API returns, as zod schemas: one definition per object, named with `.meta({ id })` so
 * an OpenAPI document references it, and the TypeScript types derived from it (`Booking`,
 * `Resource`, …). The operation table (`api/`) names these as each operation's output.
 * @module
 */
import { z } from 'zod';
import { PricingSchema } from '../pricing/index.js';
import { MoneySchema } from './common.js';
import { ResourceAvailabilitySchema } from './hours.js';

/** An instant as the API writes it: ISO 8601 in UTC with milliseconds, e.g. `2026-03-15T09:00:00.000Z`. */
const IsoInstant = z.string().meta({ format: 'date-time' });
const Metadata = z.record(z.string(), z.unknown()).meta({ id: 'Metadata' });
const Id = z.string();

export const UNAVAILABLE_REASONS = [
  'outside_hours',
  'closed_override',
  'off_grid',
  'min_notice',
  'beyond_horizon',
  'conflict',
  'buffer_conflict',
  'allocation',
  'full',
  'duration_not_allowed',
  'archived',
] as const;
export const UnavailableReasonSchema = z.enum(UNAVAILABLE_REASONS).meta({ id: 'UnavailableReason' });

export const ResourceSchema = z
  .object({
    id: Id,
    object: z.literal('resource'),
    name: z.string(),
    timezone: z.string(),
    capacity: z.number().int().nullable(),
    metadata: Metadata,
    availability: ResourceAvailabilitySchema,
    archived: z.boolean(),
    createdAt: IsoInstant,
    updatedAt: IsoInstant,
  })
  .meta({ id: 'Resource' });
export type Resource = z.output<typeof ResourceSchema>;

const Durations = z.union([
  z.array(z.number().int()),
  z.object({ min: z.number().int(), max: z.number().int(), step: z.number().int() }),
]);

const TimetableEntry = z.object({ resourceId: Id, rrule: z.string(), dtstart: z.string() });

export const ServiceSchema = z
  .object({
    id: Id,
    object: z.literal('service'),
    name: z.string(),
    kind: z.enum(['appointment', 'class']),
    durationMinutes: z.number().int(),
    durations: Durations.nullable(),
    capacity: z.number().int(),
    resourceIds: z.array(Id),
    bufferBeforeMinutes: z.number().int(),
    bufferAfterMinutes: z.number().int(),
    gridMinutes: z.number().int().optional(),
    minNoticeMinutes: z.number().int(),
    horizonDays: z.number().int().nullable(),
    holdTtlSeconds: z.number().int(),
    holdCutoffMinutes: z.number().int(),
    attendance: z.object({
      checkInOpensMinutesBefore: z.number().int(),
      checkInClosesMinutesAfter: z.number().int(),
      noShowAfterMinutes: z.number().int(),
      autoNoShow: z.boolean(),
    }),
    pricing: PricingSchema.nullable(),
    waitlist: z
      .object({
        policy: z.enum(['auto_book', 'offer']),
        offerTtlSeconds: z.number().int().optional(),
        strictOrder: z.boolean(),
      })
      .nullable(),
    cancellation: z
      .object({
        refundUntilMinutesBefore: z.number().int().optional(),
        returnCreditsUntilMinutesBefore: z.number().int().optional(),
      })
      .nullable(),
    timetable: z.array(TimetableEntry),
    public: z.boolean(),
    metadata: Metadata,
    archived: z.boolean(),
    createdAt: IsoInstant,
    updatedAt: IsoInstant,
  })
  .meta({ id: 'Service' });
export type Service = z.output<typeof ServiceSchema>;

export const AllocationSchema = z
  .object({
    id: Id,
    object: z.literal('allocation'),
    resourceId: Id,
    startTime: IsoInstant,
    endTime: IsoInstant,
    reason: z.string().nullable(),
    metadata: Metadata,
    createdAt: IsoInstant,
  })
  .meta({ id: 'Allocation' });
export type Allocation = z.output<typeof AllocationSchema>;

export const ContactSchema = z
  .object({
    id: Id,
    object: z.literal('contact'),
    name: z.string(),
    email: z.string().nullable(),
    phone: z.string().nullable(),
    metadata: Metadata,
    createdAt: IsoInstant,
    updatedAt: IsoInstant,
  })
  .meta({ id: 'Contact' });
export type Contact = z.output<typeof ContactSchema>;

export const BookingStatusSchema = z
  .enum(['held', 'confirmed', 'cancelled', 'expired'])
  .meta({ id: 'BookingStatus' });
export const AttendanceSchema = z.enum(['pending', 'checked_in', 'no_show']).meta({ id: 'Attendance' });

export const BookingSchema = z
  .object({
    id: Id,
    object: z.literal('booking'),
    status: BookingStatusSchema,
    attendance: AttendanceSchema,
    slotId: Id,
    serviceId: Id,
    resourceId: Id,
    contactId: Id,
    seats: z.number().int(),
    startTime: IsoInstant,
    endTime: IsoInstant,
    expiresAt: IsoInstant.nullable(),
    price: MoneySchema.nullable(),
    payment: z.object({ id: Id, status: z.string(), clientSecret: z.string().nullable() }).nullable(),
    entitlementId: Id.nullable(),
    /** Paid with credits: what it holds and what its entitlement has left (`remaining: null` when unlimited). */
    credits: z.object({ used: z.number().int(), remaining: z.number().int().nullable() }).nullable(),
    seriesId: Id.nullable(),
    occurrenceIndex: z.number().int().nullable(),
    notes: z.string().nullable(),
    metadata: Metadata,
    cancellationReason: z.string().nullable(),
    cancelledAt: IsoInstant.nullable(),
    createdAt: IsoInstant,
    updatedAt: IsoInstant,
  })
  .meta({ id: 'Booking' });
export type Booking = z.output<typeof BookingSchema>;

export const WaitlistEntrySchema = z
  .object({
    id: Id,
    object: z.literal('waitlist_entry'),
    /** `waiting` in the queue; `promoted` (booked or offered: see `bookingId`); `left`; `expired` (its offer lapsed, credits failed, or the session started while it waited). */
    status: z.enum(['waiting', 'promoted', 'left', 'expired']),
    /** 1-based place among the waiting entries of its slot; `null` unless waiting. */
    position: z.number().int().nullable(),
    slotId: Id,
    serviceId: Id,
    resourceId: Id,
    contactId: Id,
    seats: z.number().int(),
    startTime: IsoInstant,
    endTime: IsoInstant,
    /** How a promotion pays: `null` (no credits), `true` (the best entitlement) or `{ entitlementId }`. */
    useCredits: z.union([z.literal(true), z.object({ entitlementId: Id })]).nullable(),
    /** The booking its promotion made (held for an offer, or confirmed). */
    bookingId: Id.nullable(),
    /** Why it ended: `left`, `offer_lapsed`, `insufficient_credits`, `slot_started`; `null` otherwise. */
    reason: z.string().nullable(),
    notes: z.string().nullable(),
    metadata: Metadata,
    promotedAt: IsoInstant.nullable(),
    createdAt: IsoInstant,
    updatedAt: IsoInstant,
  })
  .meta({ id: 'WaitlistEntry' });
export type WaitlistEntry = z.output<typeof WaitlistEntrySchema>;

/** What one `work.runDue` batch did, by kind (counts). */
export const WorkRunSchema = z
  .object({
    object: z.literal('work_run'),
    /** Lapsed holds marked `expired` (`booking.expired`), offers included. */
    expiredHolds: z.number().int(),
    /** Waitlist offers among them (`waitlist.offer_expired`). */
    expiredOffers: z.number().int(),
    /** Waitlist entries promoted into freed seats (`waitlist.promoted`). */
    promoted: z.number().int(),
    /** Confirmed bookings marked `no_show` after check-in closed (`booking.no_show`). */
    noShows: z.number().int(),
    /** Entitlements whose credits expired (`entitlement.expired`). */
    expiredEntitlements: z.number().int(),
    /** More was due than the batch's `limit`: run again. */
    hasMore: z.boolean(),
  })
  .meta({ id: 'WorkRun' });
export type WorkRun = z.output<typeof WorkRunSchema>;

/** An occurrence that could not be booked: static rule (`outside_hours`, …) or reservation conflict. */
export const SeriesConflictSchema = z
  .object({
    index: z.number().int(),
    startTime: IsoInstant,
    reason: z.string(),
    detail: z.string(),
    /** Seats left in that slot (for `full`). */
    remaining: z.number().int().optional(),
    /** The booking or allocation it collides with. */
    withId: Id.optional(),
  })
  .meta({ id: 'SeriesConflict' });
export type SeriesConflict = z.output<typeof SeriesConflictSchema>;

export const BookingSeriesSchema = z
  .object({
    id: Id,
    object: z.literal('booking_series'),
    status: z.enum(['active', 'cancelled']),
    serviceId: Id,
    resourceId: Id,
    contactId: Id,
    seats: z.number().int(),
    recurrence: z.record(z.string(), z.unknown()),
    metadata: Metadata,
    bookings: z.array(BookingSchema),
    /** Only for series created with `onConflict: 'skip'`: the occurrences that were not booked. */
    skipped: z.array(SeriesConflictSchema).optional(),
    createdAt: IsoInstant,
    updatedAt: IsoInstant,
  })
  .meta({ id: 'BookingSeries' });
export type BookingSeriesResult = z.output<typeof BookingSeriesSchema>;

/** What `bookingSeries.create({ …, preview: true })` returns: nothing is reserved. */
export const BookingSeriesPreviewSchema = z
  .object({
    object: z.literal('booking_series_preview'),
    serviceId: Id,
    resourceId: Id,
    contactId: Id,
    seats: z.number().int(),
    recurrence: z.record(z.string(), z.unknown()),
    /** Whether `create` with the same input would succeed right now (a later write may change it). */
    bookable: z.boolean(),
    /** Every occurrence in order, with whether it can be booked now. */
    occurrences: z.array(
      z.object({
        index: z.number().int(),
        startTime: IsoInstant,
        endTime: IsoInstant,
        available: z.boolean(),
        price: MoneySchema.nullable(),
      }),
    ),
    /** The occurrences that cannot be booked, with the reason. */
    conflicts: z.array(SeriesConflictSchema),
  })
  .meta({ id: 'BookingSeriesPreview' });
export type BookingSeriesPreview = z.output<typeof BookingSeriesPreviewSchema>;

export const SlotSchema = z
  .object({
    id: Id,
    serviceId: Id,
    resourceId: Id,
    startTime: IsoInstant,
    endTime: IsoInstant,
    timezone: z.string(),
    capacity: z.number().int(),
    remaining: z.number().int(),
    price: MoneySchema.nullable(),
    /** Only with `includeUnavailable`: false for a listed position that cannot be booked. */
    available: z.boolean().optional(),
    /** Only with `includeUnavailable`: why it cannot be booked. */
    reasons: z.array(UnavailableReasonSchema).optional(),
  })
  .meta({ id: 'Slot' });
export type Slot = z.output<typeof SlotSchema>;

export const FreeWindowSchema = z
  .object({
    resourceId: Id,
    startTime: IsoInstant,
    endTime: IsoInstant,
    durationMinutes: z.number().int(),
  })
  .meta({ id: 'FreeWindow' });
export type FreeWindow = z.output<typeof FreeWindowSchema>;

const ReasonDetail = z.object({ code: UnavailableReasonSchema, detail: z.string() });

export const ExplanationSchema = z
  .object({
    available: z.boolean(),
    resourceId: Id.nullable(),
    reasons: z.array(ReasonDetail),
    /** With several resources in the pool: the answer for each. */
    resources: z
      .array(z.object({ resourceId: Id, available: z.boolean(), reasons: z.array(ReasonDetail) }))
      .optional(),
    capacity: z.number().int().optional(),
  })
  .meta({ id: 'Explanation' });
export type Explanation = z.output<typeof ExplanationSchema>;

export const EventSchema = z
  .object({
    id: Id,
    object: z.literal('event'),
    type: z.string(),
    data: z.record(z.string(), z.unknown()),
    createdAt: IsoInstant,
  })
  .meta({ id: 'Event' });
export type SeshnEvent = z.output<typeof EventSchema>;

export const OrganizationSchema = z
  .object({
    id: Id,
    object: z.literal('organization'),
    name: z.string(),
    metadata: Metadata,
    createdAt: IsoInstant,
  })
  .meta({ id: 'Organization' });
export type Organization = z.output<typeof OrganizationSchema>;

export const ApiKeySchema = z
  .object({
    id: Id,
    object: z.literal('api_key'),
    name: z.string(),
    type: z.enum(['secret', 'publishable']),
    /** `null` for a publishable key. */
    role: z.enum(['owner', 'admin', 'staff', 'readonly']).nullable(),
    mode: z.enum(['live', 'test']),
    /** `null`: everything the role allows. */
    scopes: z.array(z.string()).nullable(),
    /** Prefix and last four characters of the secret, e.g. `sk_test_…abcd`. */
    redacted: z.string(),
    createdAt: IsoInstant,
    revokedAt: IsoInstant.nullable(),
  })
  .meta({ id: 'ApiKey' });
export type ApiKey = z.output<typeof ApiKeySchema>;

/** What `apiKeys.create` returns: the key and its secret, shown this once (only its hash is kept). */
export const CreatedApiKeySchema = ApiKeySchema.extend({ secret: z.string() }).meta({
  id: 'CreatedApiKey',
});
export type CreatedApiKey = z.output<typeof CreatedApiKeySchema>;

export const AuditEntrySchema = z
  .object({
    id: Id,
    object: z.literal('audit_entry'),
    actor: z.object({ type: z.enum(['api_key', 'user']), id: z.string() }),
    /** The operation, e.g. `bookings.create`. */
    action: z.string(),
    targetId: Id.nullable(),
    requestId: z.string().nullable(),
    changes: z.object({
      before: z.record(z.string(), z.unknown()).nullable(),
      after: z.record(z.string(), z.unknown()).nullable(),
    }),
    createdAt: IsoInstant,
  })
  .meta({ id: 'AuditEntry' });
export type AuditEntry = z.output<typeof AuditEntrySchema>;

export const TestClockSchema = z
  .object({
    object: z.literal('test_clock'),
    now: IsoInstant,
    offsetSeconds: z.number().int(),
  })
  .meta({ id: 'TestClock' });
export type TestClock = z.output<typeof TestClockSchema>;

export const DeletedSchema = <T extends string>(object: T) =>
  z.object({ id: Id, object: z.literal(object), deleted: z.literal(true) });

/** A page of a list: `{ data, hasMore }` as in Stripe's API. */
export function pageOf<T extends z.ZodType>(item: T) {
  return z.object({ data: z.array(item), hasMore: z.boolean() });
}
