/**
 * Inputs of `seshn.availability`: slots of a service (`query`), free time (`windows`) and why one
 * start is or is not bookable (`explain`).
 * @module
 */
import { z } from 'zod';
import {
  DateOrInstantSchema,
  DurationMinutesSchema,
  InstantSchema,
  idSchema,
  SeatsSchema,
  TimeZoneSchema,
} from './common.js';

/** A calendar date (read in the resource's zone, or `timezone`; a date `to` is inclusive) or an instant. */
const Bound = DateOrInstantSchema;

export const AvailabilityQuerySchema = z
  .object({
    serviceId: idSchema('service'),
    from: Bound,
    to: Bound,
    resourceId: idSchema('resource').optional(),
    seats: SeatsSchema.default(1),
    timezone: TimeZoneSchema.optional(),
    durationMinutes: DurationMinutesSchema.optional(),
    includeUnavailable: z.boolean().default(false),
  })
  .strict()
  .meta({ id: 'AvailabilityQuery' });
export type AvailabilityQueryInput = z.input<typeof AvailabilityQuerySchema>;

export const AvailabilityWindowsSchema = z
  .object({
    serviceId: idSchema('service').optional(),
    resourceIds: z.array(idSchema('resource')).min(1).max(100).optional(),
    from: Bound,
    to: Bound,
    timezone: TimeZoneSchema.optional(),
    /** Default: the service's shortest bookable length with `serviceId`, else 1 minute. */
    minDurationMinutes: DurationMinutesSchema.optional(),
  })
  .strict()
  .refine((w) => (w.serviceId === undefined) !== (w.resourceIds === undefined), {
    message: 'Give serviceId or resourceIds',
    path: ['serviceId'],
  });
export type AvailabilityWindowsInput = z.input<typeof AvailabilityWindowsSchema>;

export const AvailabilityExplainSchema = z
  .object({
    serviceId: idSchema('service'),
    startTime: InstantSchema,
    resourceId: idSchema('resource').optional(),
    seats: SeatsSchema.default(1),
    durationMinutes: DurationMinutesSchema.optional(),
  })
  .strict();
export type AvailabilityExplainInput = z.input<typeof AvailabilityExplainSchema>;
