/**
 * Opening hours → open windows (docs/availability.md "Opening hours", docs/time.md).
 *
 * Hours are evaluated per local date with plain integer arithmetic on "local ms" and the zone's
 * offset stretches (time/zone.ts), so a month of hours costs a handful of Temporal calls (cached
 * per zone) instead of two per interval per day.
 * @module
 */
import { z } from 'zod';
import { SeshnError, type SeshnFieldIssue } from '../errors/seshn-error.js';
import { WEEKDAYS } from '../schema/common.js';
import {
  type Hours,
  type Override,
  OverrideSchema,
  type WeeklyHours,
  WeeklyHoursSchema,
} from '../schema/hours.js';
import { type Interval, mergeIntervals } from '../time/interval.js';
import {
  dateToEpochDay,
  epochDayToDate,
  epochDayWeekday,
  epochToLocalMs,
  isValidDate,
  isValidTimeZone,
  localMsToEpoch,
  MS_PER_DAY,
  type OffsetStretch,
  offsetStretches,
  parseWallTime,
} from '../time/zone.js';

const MS_PER_MINUTE = 60_000;

/** `[startMinute, endMinute)` from the local midnight of its date; `end` may pass 1440 (next day). */
type MinuteRange = readonly [number, number];

interface DayRule {
  ranges: MinuteRange[];
  hours: Hours[];
}

interface SeasonRule extends DayRule {
  from: number;
  to: number;
  /** ISO weekdays the season applies to; null = every day. */
  days: Set<number> | null;
}

/** Hours parsed once per call into minute ranges keyed by ISO weekday and epoch day. */
export interface PreparedHours {
  /** Index = ISO weekday (1 = Monday); index 0 unused. */
  weekly: DayRule[];
  dates: Map<number, DayRule>;
  seasons: SeasonRule[];
}

/** Where the hours of a date come from. */
export type HoursSource = 'weekly' | 'date' | 'seasonal';

function toRule(hours: readonly Hours[]): DayRule {
  const ranges: MinuteRange[] = [];
  for (const h of hours) {
    const start = parseWallTime(h.start) ?? 0;
    let end = parseWallTime(h.end, true) ?? 0;
    // Rule 1: `end <= start` runs into the next day.
    if (end <= start) end += 1440;
    ranges.push([start, end]);
  }
  return { ranges, hours: [...hours] };
}

const ALL_DAY: Hours[] = [{ start: '00:00', end: '24:00' }];

/** True when some weekday of `weekly` has at least one interval. */
export function hasWeeklyHours(weekly: WeeklyHours): boolean {
  return WEEKDAYS.some((day) => (weekly[day]?.length ?? 0) > 0);
}

/**
 * The weekly hours class sessions are checked against: a resource that gives no weekly hours at
 * all (every weekday absent or empty) is open around the clock on every date no override names,
 * so a class setup without opening hours keeps its whole timetable; otherwise its own hours.
 * Overrides apply either way (a date override replaces that date's hours, `[]` closes it).
 *
 * @example
 * sessionWeekly({}); // → 00:00–24:00 on every weekday
 * sessionWeekly({ sat: [{ start: '08:00', end: '13:00' }] }); // → unchanged
 */
export function sessionWeekly(weekly: WeeklyHours): WeeklyHours {
  if (hasWeeklyHours(weekly)) return weekly;
  return Object.fromEntries(WEEKDAYS.map((day) => [day, ALL_DAY])) as WeeklyHours;
}

/** Parses already-validated hours. */
export function prepareHours(weekly: WeeklyHours, overrides: readonly Override[]): PreparedHours {
  const weeklyRules: DayRule[] = [{ ranges: [], hours: [] }];
  for (const day of WEEKDAYS) weeklyRules.push(toRule(weekly[day] ?? []));
  const dates = new Map<number, DayRule>();
  const seasons: SeasonRule[] = [];
  for (const o of overrides) {
    // A later override for the same date replaces an earlier one (last write wins).
    if ('date' in o) dates.set(dateToEpochDay(o.date), toRule(o.hours));
    else
      seasons.push({
        ...toRule(o.hours),
        from: dateToEpochDay(o.from),
        to: dateToEpochDay(o.to),
        days: o.days ? new Set(o.days.map((d) => WEEKDAYS.indexOf(d) + 1)) : null,
      });
  }
  return { weekly: weeklyRules, dates, seasons };
}

/**
 * The rule for one local date: a single-date override wins over a seasonal range, a later seasonal
 * range wins over an earlier one, and weekly hours apply otherwise.
 */
export function ruleForDay(p: PreparedHours, epochDay: number): { rule: DayRule; source: HoursSource } {
  const date = p.dates.get(epochDay);
  if (date) return { rule: date, source: 'date' };
  const weekday = epochDayWeekday(epochDay);
  for (let i = p.seasons.length - 1; i >= 0; i--) {
    const s = p.seasons[i]!;
    if (epochDay >= s.from && epochDay <= s.to && (s.days === null || s.days.has(weekday))) {
      return { rule: s, source: 'seasonal' };
    }
  }
  return { rule: p.weekly[weekday]!, source: 'weekly' };
}

/** True when an override (date or seasonal) gives this local date no hours at all. */
export function isClosedDay(p: PreparedHours, epochDay: number): boolean {
  const { rule, source } = ruleForDay(p, epochDay);
  return source !== 'weekly' && rule.ranges.length === 0;
}

/**
 * Merged open windows intersecting `[fromMs, toMs)`, clipped to it. `stretches` must cover
 * `[fromMs − 3 days, toMs + 3 days)`.
 */
export function openWindows(
  p: PreparedHours,
  stretches: readonly OffsetStretch[],
  fromMs: number,
  toMs: number,
): Interval[] {
  // The day before `from` matters: its overnight hours may run past midnight into the window.
  const firstDay = Math.floor(epochToLocalMs(stretches, fromMs) / MS_PER_DAY) - 1;
  const lastDay = Math.floor(epochToLocalMs(stretches, toMs - 1) / MS_PER_DAY);
  const raw: Interval[] = [];
  for (let day = firstDay; day <= lastDay; day++) {
    const base = day * MS_PER_DAY;
    for (const [a, b] of ruleForDay(p, day).rule.ranges) {
      const start = localMsToEpoch(stretches, base + a * MS_PER_MINUTE);
      const end = localMsToEpoch(stretches, base + b * MS_PER_MINUTE);
      if (end > fromMs && start < toMs && end > start) {
        raw.push({ start: Math.max(start, fromMs), end: Math.min(end, toMs) });
      }
    }
  }
  return mergeIntervals(raw);
}

/** Stretches wide enough for {@link openWindows} over `[fromMs, toMs)`. */
export function stretchesFor(timeZone: string, fromMs: number, toMs: number): OffsetStretch[] {
  return offsetStretches(timeZone, fromMs - 3 * MS_PER_DAY, toMs + 3 * MS_PER_DAY);
}

const HoursArgsSchema = z.object({ weekly: WeeklyHoursSchema, overrides: z.array(OverrideSchema) });

/** Validates timezone/weekly/overrides (zod for the small hours objects, nothing per candidate). */
export function hoursIssues(timezone: unknown, weekly: unknown, overrides: unknown): SeshnFieldIssue[] {
  const issues: SeshnFieldIssue[] = [];
  if (typeof timezone !== 'string' || !isValidTimeZone(timezone)) {
    issues.push({ path: 'timezone', message: 'Unknown IANA time zone' });
  }
  const r = HoursArgsSchema.safeParse({ weekly, overrides });
  if (!r.success) issues.push(...(SeshnError.fromZod(r.error).details.fields as SeshnFieldIssue[]));
  return issues;
}

function checkRange(fromMs: unknown, toMs: unknown, issues: SeshnFieldIssue[]): void {
  if (typeof fromMs !== 'number' || !Number.isFinite(fromMs)) {
    issues.push({ path: 'from', message: 'Expected epoch milliseconds' });
  }
  if (typeof toMs !== 'number' || !Number.isFinite(toMs)) {
    issues.push({ path: 'to', message: 'Expected epoch milliseconds' });
  } else if (typeof fromMs === 'number' && fromMs >= toMs) {
    issues.push({ path: 'to', message: 'to must be after from' });
  }
}

/**
 * The merged open windows of a resource within `[fromMs, toMs)` (clipped to it), in UTC epoch ms.
 *
 * Rules (docs/availability.md, docs/time.md): hours are local `[start, end)` on a local date;
 * `24:00` is the next midnight; `end <= start` runs into the next day; a boundary in a DST gap
 * moves forward by the gap, one in an overlap takes the earlier instant. A date override replaces
 * the intervals that *start* on its date (`[]` closes it, but last evening's overnight interval
 * still runs past midnight); a seasonal override applies to each date in `from..to` (only `days`
 * when given); a date override wins over a seasonal one, and a later seasonal one over an earlier
 * one. Touching or overlapping intervals merge.
 *
 * @example
 * openingIntervals('Europe/London', { mon: [{ start: '22:00', end: '02:00' }] }, [],
 *   Date.UTC(2026, 0, 5), Date.UTC(2026, 0, 7))
 * // → [{ start: Date.UTC(2026, 0, 5, 22), end: Date.UTC(2026, 0, 6, 2) }]
 */
export function openingIntervals(
  timezone: string,
  weekly: WeeklyHours,
  overrides: Override[],
  fromMs: number,
  toMs: number,
): Interval[] {
  const issues = hoursIssues(timezone, weekly, overrides);
  checkRange(fromMs, toMs, issues);
  if (issues.length) throw SeshnError.validation(issues);
  return openWindows(prepareHours(weekly, overrides), stretchesFor(timezone, fromMs, toMs), fromMs, toMs);
}

/**
 * The hours that start on one local date and where they come from; `closedByOverride` is true
 * when a date or seasonal override gives the date no hours (the `closed_override` reason).
 *
 * @example
 * hoursForDate({ mon: [{ start: '09:00', end: '17:00' }] }, [{ date: '2026-01-05', hours: [] }], '2026-01-05')
 * // → { hours: [], source: 'date', closedByOverride: true }
 */
export function hoursForDate(
  weekly: WeeklyHours,
  overrides: Override[],
  date: string,
): { hours: Hours[]; source: HoursSource; closedByOverride: boolean } {
  const issues = hoursIssues('UTC', weekly, overrides);
  if (typeof date !== 'string' || !isValidDate(date))
    issues.push({ path: 'date', message: 'Expected YYYY-MM-DD' });
  if (issues.length) throw SeshnError.validation(issues);
  const p = prepareHours(weekly, overrides);
  const day = dateToEpochDay(date);
  const { rule, source } = ruleForDay(p, day);
  return { hours: rule.hours, source, closedByOverride: source !== 'weekly' && rule.hours.length === 0 };
}

/** `YYYY-MM-DD` of a local epoch day (re-exported for detail messages). */
export const dayToDate = epochDayToDate;
