/**
 * Bookings: the input shapes of the booking lifecycle and the `Booking` the API returns.
 * @module
 */
import { z } from 'zod';
import { isSlotId } from '../booking/slot-id.js';
import {
  DurationMinutesSchema,
  InstantSchema,
  idSchema,
  listParamsSchema,
  MetadataSchema,
  SeatsSchema,
} from './common.js';
import { branchedUnion, byKey, objectOr } from './messages.js';

export type { Booking } from './objects.js';

/** A slot id as `availability.query` returns it (`slot_…`), checked by its decoder. */
export const SlotIdSchema = z
  .string({
    error: (issue) =>
      issue.input === undefined
        ? 'Required: a slot id from availability'
        : 'Expected a slot id from availability',
  })
  .refine((id) => isSlotId(id), { error: 'Not a slot id returned by availability' });

export const BOOKING_STATUSES = ['held', 'confirmed', 'cancelled', 'expired'] as const;
export type BookingStatus = (typeof BOOKING_STATUSES)[number];
export type Attendance = 'pending' | 'checked_in' | 'no_show';

/** `hold`: `false` (confirm at once), `true` (the service's hold TTL) or `{ ttlSeconds }`. */
export const HoldSchema = branchedUnion(
  [
    z.boolean({ error: 'Expected true, false or { ttlSeconds }' }),
    z
      .object({
        ttlSeconds: z
          .number()
          .int()
          .min(1)
          .max(7 * 24 * 3600),
      })
      .strict(),
  ],
  objectOr(1, 0),
);

/** An entitlement id (`ent_…`), as `entitlements.grant` returns it. */
export const EntitlementIdSchema = z
  .string({
    error: (issue) =>
      issue.input === undefined
        ? 'Required: an entitlement id (ent_…)'
        : 'Expected an entitlement id (ent_…)',
  })
  .max(100, { error: 'An id is at most 100 characters' })
  .regex(/^ent_[A-Za-z0-9_-]+$/, { error: 'Expected an entitlement id (ent_…)' });

/**
 * `useCredits`: `true` (the contact's entitlement that covers the service and expires soonest),
 * `{ entitlementId }` (that one), or `false` (the default: no credits).
 */
export const UseCreditsSchema = branchedUnion(
  [
    z.boolean({ error: 'Expected true, false or { entitlementId }' }),
    z.object({ entitlementId: EntitlementIdSchema }).strict(),
  ],
  objectOr(1, 0),
);
export type UseCredits = z.output<typeof UseCreditsSchema>;

/**
 * The rules every booking time request shares (`bookings.create`, `pricing.quote`): `endTime` or
 * `durationMinutes`, not both; `endTime` after `startTime`, a whole number of minutes later.
 */
export function checkBookingTimes(
  b: { startTime?: Date | undefined; endTime?: Date | undefined; durationMinutes?: number | undefined },
  ctx: z.core.$RefinementCtx,
): void {
  if (b.endTime && b.durationMinutes !== undefined) {
    ctx.addIssue({
      code: 'custom',
      message: 'Give endTime or durationMinutes, not both',
      path: ['durationMinutes'],
    });
  }
  if (b.endTime && !b.startTime) {
    ctx.addIssue({ code: 'custom', message: 'Give startTime with endTime', path: ['startTime'] });
  } else if (b.endTime && b.startTime) {
    const ms = b.endTime.getTime() - b.startTime.getTime();
    if (ms <= 0)
      ctx.addIssue({ code: 'custom', message: 'endTime must be after startTime', path: ['endTime'] });
    else if (ms % 60_000 !== 0) {
      ctx.addIssue({ code: 'custom', message: 'A booking lasts whole minutes', path: ['endTime'] });
    }
  }
}

const BookingCommon = {
  contactId: idSchema('contact'),
  seats: SeatsSchema.default(1),
  hold: HoldSchema.default(false),
  useCredits: UseCreditsSchema.optional(),
  idempotencyKey: z.string().min(1).max(255).optional(),
  notes: z.string().max(5000).optional(),
  metadata: MetadataSchema,
};

/** `{ slotId, … }` when `slotId` is given, else `{ serviceId, startTime, … }`. */
export const BookingCreateSchema = branchedUnion(
  [
    z.object({ slotId: SlotIdSchema, ...BookingCommon }).strict(),
    z
      .object({
        serviceId: idSchema('service'),
        startTime: InstantSchema,
        endTime: InstantSchema.optional(),
        durationMinutes: DurationMinutesSchema.optional(),
        resourceId: idSchema('resource').optional(),
        ...BookingCommon,
      })
      .strict()
      .superRefine(checkBookingTimes),
  ],
  byKey(['slotId'], 1),
).meta({ id: 'BookingCreate' });
export type BookingCreateInput = z.input<typeof BookingCreateSchema>;

export const BookingCancelSchema = z
  .object({ reason: z.string().max(1000).optional() })
  .strict()
  .default({});
/** `{ slotId }` when `slotId` is given, else `{ startTime, durationMinutes?, resourceId? }`. */
export const BookingRescheduleSchema = branchedUnion(
  [
    z.object({ slotId: SlotIdSchema }).strict(),
    z
      .object({
        startTime: InstantSchema,
        durationMinutes: DurationMinutesSchema.optional(),
        resourceId: idSchema('resource').optional(),
      })
      .strict(),
  ],
  byKey(['slotId'], 1),
);
export type BookingRescheduleInput = z.input<typeof BookingRescheduleSchema>;

export const BookingListSchema = listParamsSchema('booking')
  .extend({
    contactId: idSchema('contact').optional(),
    serviceId: idSchema('service').optional(),
    resourceId: idSchema('resource').optional(),
    seriesId: idSchema('series').optional(),
    status: branchedUnion([z.enum(BOOKING_STATUSES), z.array(z.enum(BOOKING_STATUSES)).min(1)], (v) =>
      Array.isArray(v) ? 1 : 0,
    ).optional(),
    from: InstantSchema.optional(),
    to: InstantSchema.optional(),
  })
  .strict();
export type BookingListInput = z.input<typeof BookingListSchema>;

/**
 * `{ slotId, seats? }` (a slot from availability), or `{ serviceId, seats?, startTime?, endTime? |
 * durationMinutes?, resourceId? }` with the booking's rules: whole minutes, `endTime` after
 * `startTime`, not both `endTime` and `durationMinutes`.
 */
export const PricingQuoteSchema = branchedUnion(
  [
    z.object({ slotId: SlotIdSchema, seats: SeatsSchema.default(1) }).strict(),
    z
      .object({
        serviceId: idSchema('service'),
        resourceId: idSchema('resource').optional(),
        seats: SeatsSchema.default(1),
        startTime: InstantSchema.optional(),
        endTime: InstantSchema.optional(),
        durationMinutes: DurationMinutesSchema.optional(),
      })
      .strict()
      .superRefine(checkBookingTimes),
  ],
  byKey(['slotId'], 1),
);
export type PricingQuoteInput = z.input<typeof PricingQuoteSchema>;
