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
  MAX_DURATION_MINUTES,
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
  })
  .meta({
    examples: [{ serviceId: 'svc_01jd8x3c5k2e8v4q6w9r7t1y0a', from: '2026-03-15', to: '2026-03-15' }],
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

/** Longest `durationMs` accepted: the longest `durationMinutes`, in milliseconds. */
const MAX_DURATION_MS = 60_000 * MAX_DURATION_MINUTES;

/**
 * `POST /services/{serviceId}/availability/slots`: the slot query of `query`, with the service in
 * the path, written either as `query` takes it (`from`, `to`, `durationMinutes`) or as Floyd's
 * slot endpoint does (`startTime`, `endTime` instants and `durationMs`), so a client of that shape
 * moves over without rewriting its requests. One form per request: mixing them is refused.
 */
export const AvailabilitySlotsSchema = z
  .object({
    serviceId: idSchema('service'),
    from: Bound.optional(),
    to: Bound.optional(),
    startTime: InstantSchema.optional(),
    endTime: InstantSchema.optional(),
    durationMinutes: DurationMinutesSchema.optional(),
    /** A length in milliseconds: a whole number of minutes. */
    durationMs: z
      .number()
      .int()
      .positive()
      .max(MAX_DURATION_MS)
      .refine(
        (ms) => ms % 60_000 === 0,
        'Expected a whole number of minutes in milliseconds (a multiple of 60000)',
      )
      .optional(),
    resourceId: idSchema('resource').optional(),
    seats: SeatsSchema.default(1),
    timezone: TimeZoneSchema.optional(),
    includeUnavailable: z.boolean().default(false),
  })
  .strict()
  .superRefine((input, ctx) => {
    const floyd =
      input.startTime !== undefined || input.endTime !== undefined || input.durationMs !== undefined;
    const query = input.from !== undefined || input.to !== undefined || input.durationMinutes !== undefined;
    if (floyd && query) {
      ctx.addIssue({
        code: 'custom',
        path: input.from !== undefined ? ['from'] : input.to !== undefined ? ['to'] : ['durationMinutes'],
        message: 'Give from/to/durationMinutes or startTime/endTime/durationMs, not both',
      });
      return;
    }
    const [start, end] = floyd ? (['startTime', 'endTime'] as const) : (['from', 'to'] as const);
    for (const field of [start, end]) {
      if (input[field] === undefined) ctx.addIssue({ code: 'custom', path: [field], message: 'Required' });
    }
  })
  .meta({
    id: 'AvailabilitySlotsQuery',
    examples: [
      {
        serviceId: 'svc_01jd8x3c5k2e8v4q6w9r7t1y0a',
        startTime: '2026-03-15T00:00:00.000Z',
        endTime: '2026-03-16T00:00:00.000Z',
        durationMs: 3_600_000,
      },
    ],
  });
export type AvailabilitySlotsInput = z.input<typeof AvailabilitySlotsSchema>;

/** The `query` input an `availability.slots` request stands for. */
export function slotsQueryOf(input: z.output<typeof AvailabilitySlotsSchema>): AvailabilityQueryInput {
  const durationMinutes = input.durationMs !== undefined ? input.durationMs / 60_000 : input.durationMinutes;
  return {
    serviceId: input.serviceId,
    from: (input.startTime ?? input.from) as string | Date,
    to: (input.endTime ?? input.to) as string | Date,
    seats: input.seats,
    includeUnavailable: input.includeUnavailable,
    ...(input.resourceId !== undefined && { resourceId: input.resourceId }),
    ...(input.timezone !== undefined && { timezone: input.timezone }),
    ...(durationMinutes !== undefined && { durationMinutes }),
  };
}
