/**
 * Validation and one-off preparation of an {@link AvailabilityInput}: everything that is done once
 * per call (hours parsing, sorting occupations, the horizon instant) so the per-candidate loop is
 * plain arithmetic.
 * @module
 */
import { SeshnError, type SeshnFieldIssue } from '../errors/seshn-error.js';
import type { Interval } from '../time/interval.js';
import {
  epochToLocalMs,
  localMsToEpoch,
  MS_PER_DAY,
  type OffsetStretch,
  offsetStretches,
} from '../time/zone.js';
import { hoursIssues, type PreparedHours, prepareHours, sessionWeekly, stretchesFor } from './hours.js';
import type { AvailabilityInput, Occupation } from './types.js';

export const MS_PER_MINUTE = 60_000;

export const KIND_BOOKING = 0;
export const KIND_ALLOCATION = 1;

/** An occupation as the sweep sees it. */
export interface PreparedOccupation {
  /** Buffered extent (bookings) or the block itself (allocations). */
  bStart: number;
  bEnd: number;
  start: number;
  end: number;
  kind: typeof KIND_BOOKING | typeof KIND_ALLOCATION;
  /** Start of the same slot this booking sits on, when its key matches the prefix and duration; else NaN. */
  sameSlotStart: number;
  seats: number;
  source: Occupation;
}

export interface Prepared {
  timezone: string;
  hours: PreparedHours;
  stretches: OffsetStretch[];
  durMs: number;
  gridMs: number;
  beforeMs: number;
  afterMs: number;
  capacity: number;
  seats: number;
  from: number;
  to: number;
  now: number;
  /** First bookable start: max(now, now + notice). */
  earliest: number;
  /** First instant past the horizon's last local date; Infinity without a horizon. */
  horizonEnd: number;
  /** Last bookable local date (epoch day) or null. */
  horizonDay: number | null;
  occupations: PreparedOccupation[];
  /** Seats taken by same-slot bookings, keyed by slot start (only slots of this duration). */
  sameSlotSeats: Map<number, number>;
  /** Sorted, unique timetable starts (class sessions) or null for grid mode. */
  sessionStarts: number[] | null;
}

const isNum = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
const isInt = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v);

function checkClockFields(input: Record<string, unknown>, issues: SeshnFieldIssue[]): void {
  const { minNoticeMinutes, horizonDays, now } = input;
  if (!isNum(minNoticeMinutes) || minNoticeMinutes < 0) {
    issues.push({ path: 'minNoticeMinutes', message: 'Expected a number of minutes ≥ 0' });
  }
  if (horizonDays !== null && (!isInt(horizonDays) || horizonDays < 0)) {
    issues.push({ path: 'horizonDays', message: 'Expected an integer ≥ 0 or null' });
  }
  if (!isNum(now)) issues.push({ path: 'now', message: 'Expected epoch milliseconds' });
}

function checkWindow(input: Record<string, unknown>, issues: SeshnFieldIssue[]): void {
  const { from, to } = input;
  if (!isNum(from)) issues.push({ path: 'from', message: 'Expected epoch milliseconds' });
  if (!isNum(to)) issues.push({ path: 'to', message: 'Expected epoch milliseconds' });
  else if (isNum(from) && from >= to) issues.push({ path: 'to', message: 'to must be after from' });
}

/** Appends an issue per bad occupation field (a loop, not a schema: there may be thousands). */
export function checkOccupations(occupations: unknown, issues: SeshnFieldIssue[]): void {
  if (!Array.isArray(occupations)) {
    issues.push({ path: 'occupations', message: 'Expected an array' });
    return;
  }
  // A plain loop: thousands of occupations per query make a schema parse per item too costly.
  for (let i = 0; i < occupations.length; i++) {
    const o = occupations[i] as Partial<Occupation> | null;
    const path = `occupations.${i}`;
    if (typeof o !== 'object' || o === null) {
      issues.push({ path, message: 'Expected an object' });
      continue;
    }
    if (!isNum(o.start)) issues.push({ path: `${path}.start`, message: 'Expected epoch milliseconds' });
    if (!isNum(o.end)) issues.push({ path: `${path}.end`, message: 'Expected epoch milliseconds' });
    else if (isNum(o.start) && o.end < o.start)
      issues.push({ path: `${path}.end`, message: 'end before start' });
    if (o.kind !== 'booking' && o.kind !== 'allocation') {
      issues.push({ path: `${path}.kind`, message: "Expected 'booking' or 'allocation'" });
    }
    for (const f of ['bufferBeforeMinutes', 'bufferAfterMinutes'] as const) {
      const v = o[f];
      if (v !== undefined && (!isNum(v) || v < 0))
        issues.push({ path: `${path}.${f}`, message: 'Expected ≥ 0' });
    }
    if (o.seats !== undefined && (!isInt(o.seats) || o.seats < 0)) {
      issues.push({ path: `${path}.seats`, message: 'Expected an integer ≥ 0' });
    }
    if (o.slotKey !== undefined && typeof o.slotKey !== 'string') {
      issues.push({ path: `${path}.slotKey`, message: 'Expected a string' });
    }
  }
}

/**
 * Throws `validation_failed` naming every bad field of an availability input. Cheap enough for
 * the hot path: zod only for the small hours objects, plain loops for occupations.
 * @example
 * validateAvailabilityInput({ ...input, durationMinutes: 0 }); // throws; details.fields[0].path === 'durationMinutes'
 */
export function validateAvailabilityInput(input: AvailabilityInput): void {
  if (typeof input !== 'object' || input === null) {
    throw SeshnError.validation([{ path: '', message: 'Expected an availability input object' }]);
  }
  const rec = input as unknown as Record<string, unknown>;
  const issues = hoursIssues(input.timezone, input.weekly, input.overrides);
  const { durationMinutes, gridMinutes, capacity, seats } = input;
  if (!isInt(durationMinutes) || durationMinutes <= 0) {
    issues.push({ path: 'durationMinutes', message: 'Expected an integer number of minutes > 0' });
  }
  if (gridMinutes !== undefined && (!isInt(gridMinutes) || gridMinutes <= 0 || gridMinutes > 1440)) {
    issues.push({ path: 'gridMinutes', message: 'Expected an integer number of minutes in 1–1440' });
  }
  for (const f of ['bufferBeforeMinutes', 'bufferAfterMinutes'] as const) {
    const v = input[f];
    if (!isNum(v) || v < 0) issues.push({ path: f, message: 'Expected a number of minutes ≥ 0' });
  }
  if (!isInt(capacity) || capacity < 1) issues.push({ path: 'capacity', message: 'Expected an integer ≥ 1' });
  if (!isInt(seats) || seats < 1) issues.push({ path: 'seats', message: 'Expected an integer ≥ 1' });
  if (typeof input.slotKeyPrefix !== 'string')
    issues.push({ path: 'slotKeyPrefix', message: 'Expected a string' });
  checkClockFields(rec, issues);
  checkWindow(rec, issues);
  checkOccupations(input.occupations, issues);
  if (input.sessionStarts !== undefined) {
    if (!Array.isArray(input.sessionStarts))
      issues.push({ path: 'sessionStarts', message: 'Expected an array' });
    else
      input.sessionStarts.forEach((s, i) => {
        if (!isNum(s)) issues.push({ path: `sessionStarts.${i}`, message: 'Expected epoch milliseconds' });
      });
  }
  if (issues.length) throw SeshnError.validation(issues);
}

/**
 * The `[start, end]` of a slot key `${prefix}|${start}|${end}`, or null when the key belongs to
 * another prefix. Checked with `startsWith` first: most keys on a resource are other services'.
 */
function slotOfKey(key: string, prefixPipe: string): [number, number] | null {
  if (!key.startsWith(prefixPipe)) return null;
  const j = key.indexOf('|', prefixPipe.length);
  // Exactly two fields after the prefix (a prefix may itself contain `|`).
  if (j < 0 || key.indexOf('|', j + 1) >= 0 || j === prefixPipe.length || j === key.length - 1) return null;
  const start = Number(key.slice(prefixPipe.length, j));
  const end = Number(key.slice(j + 1));
  return Number.isFinite(start) && Number.isFinite(end) ? [start, end] : null;
}

/** Buffered occupations sorted by buffered start; empty ones (which overlap nothing) dropped. */
export function prepareOccupations(
  occupations: readonly Occupation[],
  slotKeyPrefix: string | null,
  durMs: number,
): { list: PreparedOccupation[]; sameSlotSeats: Map<number, number> } {
  const list: PreparedOccupation[] = [];
  const sameSlotSeats = new Map<number, number>();
  const prefixPipe = slotKeyPrefix === null ? null : `${slotKeyPrefix}|`;
  for (const o of occupations) {
    const isAlloc = o.kind === 'allocation';
    const bStart = isAlloc ? o.start : o.start - (o.bufferBeforeMinutes ?? 0) * MS_PER_MINUTE;
    const bEnd = isAlloc ? o.end : o.end + (o.bufferAfterMinutes ?? 0) * MS_PER_MINUTE;
    let sameSlotStart = Number.NaN;
    const seats = o.seats ?? 1;
    if (!isAlloc && prefixPipe !== null && o.slotKey !== undefined) {
      const k = slotOfKey(o.slotKey, prefixPipe);
      if (k && k[1] - k[0] === durMs) {
        sameSlotStart = k[0];
        sameSlotSeats.set(k[0], (sameSlotSeats.get(k[0]) ?? 0) + seats);
      }
    }
    // An empty extent overlaps nothing (half-open), but a same-slot booking still holds seats.
    if (bEnd <= bStart) continue;
    list.push({
      bStart,
      bEnd,
      start: o.start,
      end: o.end,
      kind: isAlloc ? KIND_ALLOCATION : KIND_BOOKING,
      sameSlotStart,
      seats,
      source: o,
    });
  }
  list.sort((a, b) => a.bStart - b.bStart);
  return { list, sameSlotSeats };
}

/** First instant after the last bookable local date, and that date; Infinity/null without horizon. */
export function horizonOf(
  timezone: string,
  now: number,
  horizonDays: number | null,
): { horizonEnd: number; horizonDay: number | null } {
  if (horizonDays === null) return { horizonEnd: Number.POSITIVE_INFINITY, horizonDay: null };
  const nowStretches = offsetStretches(timezone, now - MS_PER_DAY, now + MS_PER_DAY);
  const day = Math.floor(epochToLocalMs(nowStretches, now) / MS_PER_DAY) + horizonDays;
  const endLocal = (day + 1) * MS_PER_DAY;
  const st = offsetStretches(timezone, endLocal - 2 * MS_PER_DAY, endLocal + 2 * MS_PER_DAY);
  return { horizonEnd: localMsToEpoch(st, endLocal), horizonDay: day };
}

/** Validates and prepares; `range` is the span of slot starts that will be examined. */
export function prepare(input: AvailabilityInput, examined?: Interval): Prepared {
  validateAvailabilityInput(input);
  const range = examined ?? { start: input.from, end: input.to };
  const durMs = input.durationMinutes * MS_PER_MINUTE;
  const { list, sameSlotSeats } = prepareOccupations(input.occupations, input.slotKeyPrefix, durMs);
  const notice = input.now + input.minNoticeMinutes * MS_PER_MINUTE;
  let sessionStarts: number[] | null = null;
  if (input.sessionStarts) {
    sessionStarts = [...new Set(input.sessionStarts)].sort((a, b) => a - b);
  }
  return {
    timezone: input.timezone,
    // Class sessions keep to opening hours too; without weekly hours the resource is open all day.
    hours: prepareHours(sessionStarts ? sessionWeekly(input.weekly) : input.weekly, input.overrides),
    stretches: stretchesFor(input.timezone, range.start, range.end + durMs),
    durMs,
    gridMs: (input.gridMinutes ?? input.durationMinutes) * MS_PER_MINUTE,
    beforeMs: input.bufferBeforeMinutes * MS_PER_MINUTE,
    afterMs: input.bufferAfterMinutes * MS_PER_MINUTE,
    capacity: input.capacity,
    seats: input.seats,
    from: input.from,
    to: input.to,
    now: input.now,
    earliest: Math.max(input.now, notice),
    ...horizonOf(input.timezone, input.now, input.horizonDays),
    occupations: list,
    sameSlotSeats,
    sessionStarts,
  };
}
