/**
 * Booking series: the input shapes of `seshn.bookingSeries` (docs/api.md, "bookingSeries").
 * @module
 */
import { z } from 'zod';
import { RecurrenceInputSchema } from '../recurrence/expand.js';
import { parseRrule } from '../recurrence/rrule.js';
import { type SimpleRecurrence, SimpleRecurrenceSchema } from '../recurrence/simple.js';
import { HoldSchema, UseCreditsSchema } from './booking.js';
import {
  DurationMinutesSchema,
  InstantSchema,
  idSchema,
  listParamsSchema,
  MetadataSchema,
  SeatsSchema,
} from './common.js';
import { branchedUnion, documentAsUnion } from './messages.js';

/**
 * The full form: an RFC 5545 rule with its first instance as a local date-time in the resource's
 * time zone, and optional EXDATEs (local date-times or instants). The rule must end: COUNT or UNTIL.
 */
export const SeriesRruleSchema = z.strictObject({
  rrule: z.string().min(1).max(2000),
  /** `YYYY-MM-DDTHH:mm[:ss]`, local to the resource. */
  dtstart: z.string(),
  exdates: z.array(z.string()).max(1000).optional(),
});
export type SeriesRruleInput = z.input<typeof SeriesRruleSchema>;

/** `recurrence` of a series: the simple form or `{ rrule, dtstart, exdates? }`. */
export type SeriesRecurrenceInput = SimpleRecurrence | SeriesRruleInput;

export type ParsedSeriesRecurrence =
  | { form: 'simple'; simple: z.output<typeof SimpleRecurrenceSchema> }
  | { form: 'rrule'; rule: z.output<typeof SeriesRruleSchema> };

const ENDLESS = 'A series must end: give count or until';

/**
 * Picks the form by the presence of `rrule` and validates it, so errors name the field
 * (`recurrence.time`, `recurrence.dayOfWeek`, `recurrence.rrule`) instead of "no union member
 * matched". The rule is checked in UTC here (syntax, DTSTART, UNTIL ≥ DTSTART); the engine expands
 * it again in the resource's zone.
 */
const RecurrenceSchema = z.unknown().transform((value, ctx): ParsedSeriesRecurrence => {
  const fail = (issues: { message: string; path: PropertyKey[] }[]) => {
    for (const i of issues) ctx.addIssue({ code: 'custom', message: i.message, path: i.path });
    return z.NEVER;
  };
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return fail([
      { message: 'Expected { frequency, time, count | until, … } or { rrule, dtstart }', path: [] },
    ]);
  }
  if ('rrule' in value) {
    const shape = SeriesRruleSchema.safeParse(value);
    if (!shape.success) return fail(shape.error.issues);
    const full = RecurrenceInputSchema.safeParse({ ...shape.data, timezone: 'UTC' });
    if (!full.success) return fail(full.error.issues);
    const parsed = parseRrule(shape.data.rrule);
    if (parsed.ok && parsed.rule.count === null && parsed.rule.until === null) {
      return fail([{ message: `${ENDLESS} (COUNT or UNTIL in the rule)`, path: ['rrule'] }]);
    }
    return { form: 'rrule', rule: shape.data };
  }
  const simple = SimpleRecurrenceSchema.safeParse(value);
  if (!simple.success) return fail(simple.error.issues);
  if (simple.data.count === undefined && simple.data.until === undefined) {
    return fail([{ message: ENDLESS, path: ['count'] }]);
  }
  return { form: 'simple', simple: simple.data };
});
// What a client sends, for the OpenAPI document: one of the two forms.
documentAsUnion(RecurrenceSchema, [SimpleRecurrenceSchema, SeriesRruleSchema]);

export const SeriesCreateSchema = z
  .object({
    contactId: idSchema('contact'),
    serviceId: idSchema('service'),
    resourceId: idSchema('resource').optional(),
    /** Seats in every occurrence. */
    seats: SeatsSchema.default(1),
    /** Length of every occurrence; default the service's duration. */
    durationMinutes: DurationMinutesSchema.optional(),
    recurrence: RecurrenceSchema,
    hold: HoldSchema.default(false),
    useCredits: UseCreditsSchema.optional(),
    onConflict: z.enum(['fail', 'skip']).default('fail'),
    preview: z.boolean().default(false),
    idempotencyKey: z.string().min(1).max(255).optional(),
    notes: z.string().max(5000).optional(),
    metadata: MetadataSchema,
  })
  .strict()
  .meta({
    id: 'BookingSeriesCreate',
    examples: [
      {
        contactId: 'ct_01jd8x3c5k2e8v4q6w9r7t1y0a',
        serviceId: 'svc_01jd8x3c5k2e8v4q6w9r7t1y0a',
        recurrence: { frequency: 'weekly', dayOfWeek: 2, time: '18:00', count: 10 },
      },
    ],
  });

/** Input of `seshn.bookingSeries.create`. */
export type BookingSeriesCreateInput = Omit<z.input<typeof SeriesCreateSchema>, 'recurrence'> & {
  recurrence: SeriesRecurrenceInput;
};

export const SeriesCancelSchema = z
  .object({
    /** An occurrence index, or an instant: this occurrence (or the first starting at/after it) and all later. */
    from: branchedUnion([z.number().int().min(0), InstantSchema], (v) =>
      typeof v === 'number' ? 0 : 1,
    ).optional(),
    reason: z.string().max(1000).optional(),
  })
  .strict()
  .default({});
/** Input of `seshn.bookingSeries.cancel`. */
export type BookingSeriesCancelInput = z.input<typeof SeriesCancelSchema>;

export const SeriesListSchema = listParamsSchema('series')
  .extend({
    contactId: idSchema('contact').optional(),
  })
  .strict();
/** Input of `seshn.bookingSeries.list`. */
export type BookingSeriesListInput = z.input<typeof SeriesListSchema>;

export type { SeriesConflict } from './objects.js';
