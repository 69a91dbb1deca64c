/**
 * Bookings: the input shapes of the booking lifecycle and the `Booking` the API returns.
 * @module
 */
import { z } from 'zod';
import {
  DurationMinutesSchema,
  InstantSchema,
  ListParamsSchema,
  MetadataSchema,
  type Money,
  SeatsSchema,
} from './common.js';

export const BOOKING_STATUSES = ['held', 'confirmed', 'cancelled', 'expired'] as const;
export type BookingStatus = (typeof BOOKING_STATUSES)[number];
export type Attendance = 'pending' | 'checked_in' | 'no_show';

/** `hold`: `false` (confirm at once), `true` (the service's hold TTL) or `{ ttlSeconds }`. */
export const HoldSchema = z.union([
  z.boolean(),
  z
    .object({
      ttlSeconds: z
        .number()
        .int()
        .min(1)
        .max(7 * 24 * 3600),
    })
    .strict(),
]);

const BookingCommon = {
  contactId: z.string().min(1),
  seats: SeatsSchema.default(1),
  hold: HoldSchema.default(false),
  idempotencyKey: z.string().min(1).max(255).optional(),
  notes: z.string().max(5000).optional(),
  metadata: MetadataSchema,
};

export const BookingCreateSchema = z
  .union([
    z.object({ slotId: z.string().min(1), ...BookingCommon }).strict(),
    z
      .object({
        serviceId: z.string().min(1),
        startTime: InstantSchema,
        endTime: InstantSchema.optional(),
        durationMinutes: DurationMinutesSchema.optional(),
        resourceId: z.string().min(1).optional(),
        ...BookingCommon,
      })
      .strict()
      .refine((b) => !(b.endTime && b.durationMinutes), {
        message: 'Give endTime or durationMinutes, not both',
        path: ['durationMinutes'],
      })
      .refine((b) => !b.endTime || b.endTime.getTime() > b.startTime.getTime(), {
        message: 'endTime must be after startTime',
        path: ['endTime'],
      }),
  ])
  .meta({ id: 'BookingCreate' });
export type BookingCreateInput = z.input<typeof BookingCreateSchema>;

export const BookingCancelSchema = z
  .object({ reason: z.string().max(1000).optional() })
  .strict()
  .default({});
export const BookingRescheduleSchema = z.union([
  z.object({ slotId: z.string().min(1) }).strict(),
  z
    .object({
      startTime: InstantSchema,
      durationMinutes: DurationMinutesSchema.optional(),
      resourceId: z.string().min(1).optional(),
    })
    .strict(),
]);
export type BookingRescheduleInput = z.input<typeof BookingRescheduleSchema>;

export const BookingListSchema = ListParamsSchema.extend({
  contactId: z.string().min(1).optional(),
  serviceId: z.string().min(1).optional(),
  resourceId: z.string().min(1).optional(),
  seriesId: z.string().min(1).optional(),
  status: z.union([z.enum(BOOKING_STATUSES), z.array(z.enum(BOOKING_STATUSES)).min(1)]).optional(),
  from: InstantSchema.optional(),
  to: InstantSchema.optional(),
}).strict();
export type BookingListInput = z.input<typeof BookingListSchema>;

export interface Booking {
  id: string;
  object: 'booking';
  status: BookingStatus;
  attendance: Attendance;
  slotId: string;
  serviceId: string;
  resourceId: string;
  contactId: string;
  seats: number;
  startTime: string;
  endTime: string;
  expiresAt: string | null;
  price: Money | null;
  payment: { id: string; status: string; clientSecret: string | null } | null;
  entitlementId: string | null;
  seriesId: string | null;
  occurrenceIndex: number | null;
  notes: string | null;
  metadata: Record<string, unknown>;
  cancellationReason: string | null;
  cancelledAt: string | null;
  createdAt: string;
  updatedAt: string;
}
