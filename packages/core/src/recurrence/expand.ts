/**
 * `expandRecurrence`: RFC 5545 recurrence (RRULE + EXDATE) in an IANA time zone, as instants.
 *
 * Decided semantics (docs/time.md, recurrence/README.md), all on wall-clock time in `timezone`:
 * - DTSTART is the first instance, whether or not it matches the rule; COUNT includes it.
 * - COUNT counts instances before EXDATE removal; duplicate instants collapse (and count once).
 * - UNTIL is inclusive. `UNTIL=20260301T000000Z` is a UTC instant (RFC form). Two lenient forms
 *   are accepted too: a date `UNTIL=20260301` means "through the end of that local date", and a
 *   floating `UNTIL=20260301T090000` is a local time in `timezone`. UNTIL before DTSTART is an error.
 * - Invalid dates (Feb 30, a 5th Saturday that does not exist) are skipped and not counted.
 * - A local time in a DST gap moves forward by the gap and is kept; an ambiguous one takes the
 *   earlier instant. Later instances keep DTSTART's *written* wall time even if DTSTART itself fell
 *   in a gap. EXDATEs are resolved the same way and matched by instant.
 * - HOURLY and MINUTELY step in wall-clock time too (like python-dateutil and rrule.js): an hourly
 *   rule meets the spring-forward hour twice (both readings resolve to one instant and collapse)
 *   and yields the repeated fall-back hour once.
 * - Always bounded: at most `limit` instants (default 1000, max 10000) from the window
 *   `between` = [from, to) (from inclusive, to exclusive), nothing after year 9999, and a rule
 *   that can never produce another instance (e.g. `FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30`) ends.
 * @module
 */
import { z } from 'zod';
import { InstantSchema, TimeZoneSchema } from '../schema/common.js';
import { parseInput } from '../schema/parse.js';
import { formatLocalMsWithOffset, isValidTimeZone, type WallClock, wallClock } from '../time/zone.js';
import { runEngine } from './engine.js';
import { localFieldsToLocalMs, parseInstant, parseLocalDateTime } from './local-time.js';
import { parseRrule, type Until } from './rrule.js';

/** Default and maximum number of instants one expansion returns. */
export const RECURRENCE_DEFAULT_LIMIT = 1000;
export const RECURRENCE_MAX_LIMIT = 10_000;
const MAX_EXDATES = 10_000;

const LocalDateTimeSchema = z.string().refine((s) => parseLocalDateTime(s) !== null, {
  message: 'Expected a local date-time YYYY-MM-DDTHH:mm[:ss] (a real date, 00:00–23:59)',
});

const RruleSchema = z
  .string()
  .max(2000)
  .superRefine((text, ctx) => {
    const r = parseRrule(text);
    if (!r.ok) ctx.addIssue({ code: 'custom', message: `Invalid RRULE: ${r.message}` });
  });

const ExdateSchema = z.string().refine((s) => parseLocalDateTime(s) !== null || parseInstant(s) !== null, {
  message: 'Expected a local date-time YYYY-MM-DDTHH:mm[:ss] or an ISO 8601 instant with an offset or Z',
});

function resolveUntil(until: Until, clock: WallClock): number {
  if (until.kind === 'utc') return until.epochMs;
  if (until.kind === 'local') return clock.toEpochMs(until.localMs);
  // A date: through the end of that local date, i.e. just before the next local midnight.
  return clock.toEpochMs((until.epochDay + 1) * 86_400_000) - 1;
}

/**
 * Input of {@link expandRecurrence}. `between` bounds are instants (ISO 8601 with an offset or
 * `Z`, or `Date`); `from` is inclusive, `to` exclusive.
 */
export const RecurrenceInputSchema = z
  .object({
    dtstart: LocalDateTimeSchema,
    timezone: TimeZoneSchema,
    rrule: RruleSchema,
    exdates: z.array(ExdateSchema).max(MAX_EXDATES).optional(),
    between: z
      .object({ from: InstantSchema, to: InstantSchema })
      .refine((b) => !(b.to.getTime() < b.from.getTime()), {
        message: 'between.to must not be before between.from',
        path: ['to'],
      })
      .optional(),
    limit: z.number().int().min(1).max(RECURRENCE_MAX_LIMIT).default(RECURRENCE_DEFAULT_LIMIT),
  })
  .superRefine((v, ctx) => {
    // Field-level problems are reported by the fields; only check UNTIL against DTSTART when both
    // (and the zone) are valid.
    const dt = parseLocalDateTime(v.dtstart);
    const rule = typeof v.rrule === 'string' ? parseRrule(v.rrule) : null;
    if (
      !dt ||
      !rule?.ok ||
      !rule.rule.until ||
      typeof v.timezone !== 'string' ||
      !isValidTimeZone(v.timezone)
    ) {
      return;
    }
    const clock = wallClock(v.timezone);
    if (resolveUntil(rule.rule.until, clock) < clock.toEpochMs(localFieldsToLocalMs(dt))) {
      ctx.addIssue({ code: 'custom', path: ['rrule'], message: 'Invalid RRULE: UNTIL is before DTSTART' });
    }
  });

export type RecurrenceInput = z.input<typeof RecurrenceInputSchema>;

/**
 * Like {@link expandRecurrence}, as epoch milliseconds (ascending). Used by booking series.
 * @example
 * expandRecurrenceMs({ dtstart: '2026-03-03T14:00', timezone: 'America/New_York', rrule: 'FREQ=WEEKLY;COUNT=2' })
 * // → [1772564400000, 1773165600000]  (14:00 EST, then 14:00 EDT)
 */
export function expandRecurrenceMs(input: RecurrenceInput): number[] {
  return expandWithClock(input).instants;
}

/**
 * Expands an RFC 5545 recurrence in an IANA time zone into ISO 8601 instants carrying the zone's
 * offset at each instant. Throws `SeshnError('validation_failed')` naming the field (`rrule`,
 * `timezone`, `dtstart`, `exdates.3`, `between.to`, `limit`) on bad input. See the module
 * documentation for the exact semantics.
 * @example
 * expandRecurrence({
 *   dtstart: '2026-03-03T14:00', timezone: 'America/New_York',
 *   rrule: 'FREQ=WEEKLY;BYDAY=TU;COUNT=3', exdates: ['2026-03-10T14:00'],
 * })
 * // → ['2026-03-03T14:00:00-05:00', '2026-03-17T14:00:00-04:00']
 */
export function expandRecurrence(input: RecurrenceInput): string[] {
  const { instants, clock } = expandWithClock(input);
  return instants.map((t) => {
    const off = clock.offsetMsAt(t);
    return formatLocalMsWithOffset(t + off, off);
  });
}

function expandWithClock(input: RecurrenceInput): { instants: number[]; clock: WallClock } {
  const data = parseInput(RecurrenceInputSchema, input);
  const parsed = parseRrule(data.rrule);
  const dtstart = parseLocalDateTime(data.dtstart);
  if (!parsed.ok || !dtstart) throw new Error('unreachable: schema accepted an invalid rrule or dtstart');
  const clock = wallClock(data.timezone);
  const exdates = new Set<number>();
  for (const e of data.exdates ?? []) {
    const local = parseLocalDateTime(e);
    exdates.add(local ? clock.toEpochMs(localFieldsToLocalMs(local)) : parseInstant(e)!);
  }
  const instants = runEngine({
    rule: parsed.rule,
    dtstart,
    clock,
    untilMs: parsed.rule.until ? resolveUntil(parsed.rule.until, clock) : null,
    exdates,
    fromMs: data.between ? data.between.from.getTime() : Number.NEGATIVE_INFINITY,
    toMs: data.between ? data.between.to.getTime() : Number.POSITIVE_INFINITY,
    limit: data.limit,
  });
  return { instants, clock };
}
