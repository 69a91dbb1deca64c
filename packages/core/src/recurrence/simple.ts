/**
 * The simple recurrence form of `bookingSeries.create` (docs/api.md), e.g.
 * `{ frequency: 'weekly', dayOfWeek: 2, time: '14:00' }`, and its compilation to an RFC 5545 rule
 * plus DTSTART.
 * @module
 */
import { z } from 'zod';
import { SeshnError } from '../errors/seshn-error.js';
import { DateSchema, WallTimeSchema } from '../schema/common.js';
import { parseInput } from '../schema/parse.js';
import { civilFromEpochDay, epochDayFromCivil, isValidDate } from '../time/zone.js';
import { daysInMonth, WEEKDAY_CODES } from './rrule.js';

const epochDay = (date: string) =>
  epochDayFromCivil(Number(date.slice(0, 4)), Number(date.slice(5, 7)), Number(date.slice(8, 10)));

const dateOf = (day: number) => {
  const c = civilFromEpochDay(day);
  return `${String(Math.floor(c / 10000)).padStart(4, '0')}-${String(Math.floor(c / 100) % 100).padStart(2, '0')}-${String(c % 100).padStart(2, '0')}`;
};

/**
 * `{ frequency, interval?, dayOfWeek?, dayOfMonth?, time, startDate?, count?, until? }`.
 * `dayOfWeek` is ISO (1 = Monday … 7 = Sunday) and only for weekly; `dayOfMonth` (1…31, or
 * −1…−31 counting from the month's end) only for monthly — months without that day are skipped.
 * `until` is an inclusive local date; use `count` or `until`, not both. Field paths in errors are
 * relative to this object (`dayOfWeek`), callers add their prefix.
 */
export const SimpleRecurrenceSchema = z
  .strictObject({
    frequency: z.enum(['daily', 'weekly', 'monthly']),
    interval: z.number().int().min(1).max(1000).optional(),
    dayOfWeek: z
      .number()
      .int()
      .min(1, 'ISO weekday: 1 = Monday … 7 = Sunday')
      .max(7, 'ISO weekday: 1 = Monday … 7 = Sunday')
      .optional(),
    dayOfMonth: z
      .number()
      .int()
      .min(-31)
      .max(31)
      .refine((n) => n !== 0, { message: 'Day of month is 1…31, or −1…−31 from the end of the month' })
      .optional(),
    time: WallTimeSchema,
    startDate: DateSchema.optional(),
    count: z.number().int().min(1).max(10_000).optional(),
    until: DateSchema.optional(),
  })
  .superRefine((v, ctx) => {
    if (v.dayOfWeek !== undefined && v.frequency !== 'weekly') {
      ctx.addIssue({
        code: 'custom',
        path: ['dayOfWeek'],
        message:
          v.frequency === 'monthly'
            ? 'dayOfWeek is only for weekly recurrences; for e.g. "second Tuesday" use an rrule (BYDAY=2TU)'
            : 'dayOfWeek is only for weekly recurrences',
      });
    }
    if (v.dayOfMonth !== undefined && v.frequency !== 'monthly') {
      ctx.addIssue({
        code: 'custom',
        path: ['dayOfMonth'],
        message: 'dayOfMonth is only for monthly recurrences',
      });
    }
    if (v.count !== undefined && v.until !== undefined) {
      ctx.addIssue({ code: 'custom', path: ['until'], message: 'Use either count or until, not both' });
    }
    if (
      typeof v.until === 'string' &&
      typeof v.startDate === 'string' &&
      isValidDate(v.until) &&
      isValidDate(v.startDate) &&
      v.until < v.startDate
    ) {
      ctx.addIssue({ code: 'custom', path: ['until'], message: 'until is before startDate' });
    }
  });

export type SimpleRecurrence = z.input<typeof SimpleRecurrenceSchema>;

/** A compiled recurrence: the rule and its first instance (local, in the resource's zone). */
export interface CompiledRecurrence {
  rrule: string;
  /** `YYYY-MM-DDTHH:mm` */
  dtstart: string;
}

/**
 * Compiles the simple form to `{ rrule, dtstart }`. RFC 5545 makes DTSTART an instance, so
 * `dtstart` is the first date on or after `startDate` (default `today`) that matches: a weekly
 * Tuesday rule starting on a Friday begins the next Tuesday. `until` becomes a date-only
 * `UNTIL=YYYYMMDD`, which {@link expandRecurrence} reads as "through the end of that local date".
 * Throws `SeshnError('validation_failed')` naming the field (`dayOfWeek`, `until`, …).
 * @example
 * compileSimpleRecurrence({ frequency: 'weekly', dayOfWeek: 2, time: '14:00', count: 10 }, { today: '2026-03-06' })
 * // → { rrule: 'FREQ=WEEKLY;BYDAY=TU;COUNT=10', dtstart: '2026-03-10T14:00' }
 */
export function compileSimpleRecurrence(
  simple: SimpleRecurrence,
  options: { today: string },
): CompiledRecurrence {
  const s = parseInput(SimpleRecurrenceSchema, simple);
  const today = options?.today;
  if (typeof today !== 'string' || !isValidDate(today)) {
    throw SeshnError.validation([{ path: 'today', message: 'Expected a calendar date YYYY-MM-DD' }]);
  }
  const start = s.startDate ?? today;
  if (s.until !== undefined && s.until < start) {
    throw SeshnError.validation([
      { path: 'until', message: s.startDate ? 'until is before startDate' : 'until is before today' },
    ]);
  }
  const startDay = epochDay(start);
  const parts = [`FREQ=${s.frequency.toUpperCase()}`];
  if (s.interval !== undefined && s.interval > 1) parts.push(`INTERVAL=${s.interval}`);
  let first = startDay;
  if (s.frequency === 'weekly') {
    const startWeekday = ((((startDay + 3) % 7) + 7) % 7) + 1;
    const dow = s.dayOfWeek ?? startWeekday;
    first = startDay + ((dow - startWeekday + 7) % 7);
    parts.push(`BYDAY=${WEEKDAY_CODES[dow]}`);
  } else if (s.frequency === 'monthly') {
    const dom = s.dayOfMonth ?? Number(start.slice(8, 10));
    let y = Number(start.slice(0, 4));
    let m = Number(start.slice(5, 7));
    // A day that exists in some month is reached within a year (31 exists every other month).
    for (let i = 0; i < 13; i++) {
      const mlen = daysInMonth(y, m);
      const d = dom > 0 ? dom : mlen + dom + 1;
      if (d >= 1 && d <= mlen) {
        const day = epochDayFromCivil(y, m, d);
        if (day >= startDay) {
          first = day;
          break;
        }
      }
      m = m === 12 ? 1 : m + 1;
      if (m === 1) y++;
    }
    parts.push(`BYMONTHDAY=${dom}`);
  }
  if (s.until !== undefined && first > epochDay(s.until)) {
    throw SeshnError.validation([
      {
        path: 'until',
        message: `No occurrence between ${dateOf(startDay)} and until (the first is ${dateOf(first)})`,
      },
    ]);
  }
  if (s.count !== undefined) parts.push(`COUNT=${s.count}`);
  if (s.until !== undefined) parts.push(`UNTIL=${s.until.replaceAll('-', '')}`);
  return { rrule: parts.join(';'), dtstart: `${dateOf(first)}T${s.time}` };
}
