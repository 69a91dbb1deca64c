/**
 * Why a start is (not) bookable: the same rules as {@link computeSlots}, for one candidate or a
 * batch of them, every reason with a sentence a person can act on.
 * @module
 */
import { SeshnError, type SeshnFieldIssue } from '../errors/seshn-error.js';
import {
  epochDayToDate,
  epochToLocalMs,
  formatWallTime,
  MS_PER_DAY,
  offsetStretches,
  stretchIndexAt,
} from '../time/zone.js';
import { isClosedDay, openWindows } from './hours.js';
import {
  KIND_ALLOCATION,
  MS_PER_MINUTE,
  type Prepared,
  type PreparedOccupation,
  prepare,
  validateAvailabilityInput,
} from './prepare.js';
import type { AvailabilityInput, UnavailableReason } from './types.js';

export interface StartExplanation {
  available: boolean;
  reasons: { code: UnavailableReason; detail: string }[];
}

function localParts(timezone: string, ms: number): { day: number; minutes: number } {
  const local = epochToLocalMs(offsetStretches(timezone, ms - 1, ms + 1), ms);
  const day = Math.floor(local / MS_PER_DAY);
  return { day, minutes: Math.floor((local - day * MS_PER_DAY) / MS_PER_MINUTE) };
}

/** `HH:mm`, prefixed by the local date when it differs from `refDay`. */
function wallOf(p: Prepared, refDay: number, ms: number): string {
  const { day, minutes } = localParts(p.timezone, ms);
  return day === refDay ? formatWallTime(minutes) : `${epochDayToDate(day)} ${formatWallTime(minutes)}`;
}

function describeRange(p: Prepared, refDay: number, a: number, b: number): string {
  return `${wallOf(p, refDay, a)}–${wallOf(p, localParts(p.timezone, a).day, b)}`;
}

function describeBooking(p: Prepared, refDay: number, o: PreparedOccupation): string {
  const before = o.source.bufferBeforeMinutes ?? 0;
  const after = o.source.bufferAfterMinutes ?? 0;
  let text = `booking ${describeRange(p, refDay, o.start, o.end)}`;
  if (before > 0 && after > 0) text += ` plus ${before} min buffer before and ${after} min after`;
  else if (before > 0) text += ` plus ${before} min buffer before`;
  else if (after > 0) text += ` plus ${after} min buffer`;
  return text;
}

const MAX_LISTED = 3;

function listed(items: string[]): string {
  const head = items.slice(0, MAX_LISTED).join('; ');
  return items.length > MAX_LISTED ? `${head} and ${items.length - MAX_LISTED} more` : head;
}

/**
 * Explains one candidate start: every reason it cannot be booked (`off_grid` when it is not on the
 * local grid or, with `sessionStarts`, not one of them), each with a human-readable detail.
 * `from`/`to` of the input are ignored: the question is about this start, not a query window.
 * Same as `explainStarts(input, [startMs])[0]`.
 *
 * @example
 * explainStart(input, Date.UTC(2026, 0, 5, 10))
 * // → { available: false, reasons: [{ code: 'buffer_conflict',
 * //      detail: 'buffers overlap booking 11:00–12:00 plus 15 min buffer before' }] }
 */
export function explainStart(input: AvailabilityInput, startMs: number): StartExplanation {
  if (typeof startMs !== 'number' || !Number.isFinite(startMs)) {
    throw SeshnError.validation([{ path: 'startTime', message: 'Expected epoch milliseconds' }]);
  }
  return explainStarts(input, [startMs])[0]!;
}

/**
 * Explains many candidate starts against one input, in the order given (duplicates and any order
 * allowed): element `i` is exactly `explainStart(input, starts[i])`. The input is validated and
 * prepared once for the span of all starts, so a batch (e.g. the occurrences of a booking series)
 * costs one preparation instead of one per start. `from`/`to` of the input are ignored, as in
 * {@link explainStart}. Throws `validation_failed` for a bad input or a start that is not epoch
 * milliseconds (`starts.3`); an empty `starts` still validates the input and returns `[]`.
 *
 * @example
 * explainStarts(input, [Date.UTC(2026, 0, 5, 10), Date.UTC(2026, 0, 12, 10)])
 * // → [{ available: true, reasons: [] },
 * //    { available: false, reasons: [{ code: 'beyond_horizon', detail: '2026-01-12 is past …' }] }]
 */
export function explainStarts(input: AvailabilityInput, starts: readonly number[]): StartExplanation[] {
  if (!Array.isArray(starts)) {
    throw SeshnError.validation([{ path: 'starts', message: 'Expected an array of epoch milliseconds' }]);
  }
  let lo = Number.POSITIVE_INFINITY;
  let hi = Number.NEGATIVE_INFINITY;
  const issues: SeshnFieldIssue[] = [];
  for (let i = 0; i < starts.length; i++) {
    const s = starts[i];
    if (typeof s !== 'number' || !Number.isFinite(s)) {
      issues.push({ path: `starts.${i}`, message: 'Expected epoch milliseconds' });
      continue;
    }
    if (s < lo) lo = s;
    if (s > hi) hi = s;
  }
  if (issues.length) throw SeshnError.validation(issues);
  if (starts.length === 0) {
    validateAvailabilityInput(input);
    return [];
  }
  const p = prepare(input, { start: lo, end: hi + 1 });
  // A set: a series spanning months checks each occurrence against every session of the span.
  const sessions = p.sessionStarts === null ? null : new Set(p.sessionStarts);
  return starts.map((s) => explainPrepared(p, sessions, s));
}

function explainPrepared(p: Prepared, sessions: Set<number> | null, s: number): StartExplanation {
  const reasons: StartExplanation['reasons'] = [];
  const e = s + p.durMs;
  const { day, minutes } = localParts(p.timezone, s);
  const wall = `${epochDayToDate(day)} ${formatWallTime(minutes)}`;

  if (sessions !== null) {
    if (!sessions.has(s)) {
      reasons.push({ code: 'off_grid', detail: `no session of the timetable starts at ${wall}` });
    }
  } else {
    const st = p.stretches[stretchIndexAt(p.stretches, s)]!;
    const offDay = (((s + st.offsetMs) % MS_PER_DAY) + MS_PER_DAY) % MS_PER_DAY;
    if (offDay % p.gridMs !== 0) {
      reasons.push({
        code: 'off_grid',
        detail: `${wall} is not on the ${p.gridMs / MS_PER_MINUTE}-minute grid of the local day`,
      });
    }
  }
  // Class sessions too: `prepare` gave a resource without weekly hours all-day hours for them.
  const windows = openWindows(p.hours, p.stretches, s, e);
  const w = windows[0];
  if (!(w !== undefined && w.start <= s && w.end >= e)) {
    if (isClosedDay(p.hours, day)) {
      reasons.push({ code: 'closed_override', detail: `${epochDayToDate(day)} is closed by an override` });
    } else {
      reasons.push({
        code: 'outside_hours',
        detail: `${describeRange(p, day, s, e)} on ${epochDayToDate(day)} is not inside opening hours`,
      });
    }
  }

  if (s < p.earliest) {
    const notice = (p.earliest - p.now) / MS_PER_MINUTE;
    reasons.push({
      code: 'min_notice',
      detail:
        s < p.now
          ? `${wall} is in the past`
          : `${wall} is less than ${notice} min from now (earliest ${wallOf(p, day, p.earliest)})`,
    });
  }
  if (s >= p.horizonEnd && p.horizonDay !== null) {
    reasons.push({
      code: 'beyond_horizon',
      detail: `${epochDayToDate(day)} is past the booking horizon (last bookable date ${epochDayToDate(p.horizonDay)})`,
    });
  }

  const conflicts: string[] = [];
  const buffers: string[] = [];
  const allocations: string[] = [];
  const cs = s - p.beforeMs;
  const ce = e + p.afterMs;
  for (const o of p.occupations) {
    if (o.bStart >= ce) break;
    if (o.bEnd <= cs || o.sameSlotStart === s) continue;
    if (o.kind === KIND_ALLOCATION) allocations.push(`allocation ${describeRange(p, day, o.start, o.end)}`);
    else if (o.start < e && s < o.end) conflicts.push(describeBooking(p, day, o));
    else buffers.push(describeBooking(p, day, o));
  }
  if (conflicts.length) reasons.push({ code: 'conflict', detail: `overlaps ${listed(conflicts)}` });
  if (buffers.length) {
    const own =
      p.beforeMs > 0 || p.afterMs > 0
        ? ` (this slot's buffers: ${p.beforeMs / MS_PER_MINUTE} min before, ${p.afterMs / MS_PER_MINUTE} min after)`
        : '';
    reasons.push({ code: 'buffer_conflict', detail: `buffers overlap ${listed(buffers)}${own}` });
  }
  if (allocations.length) {
    const own = p.beforeMs > 0 || p.afterMs > 0 ? ' (including buffers)' : '';
    reasons.push({ code: 'allocation', detail: `overlaps ${listed(allocations)}${own}` });
  }

  const taken = p.sameSlotSeats.get(s) ?? 0;
  const remaining = Math.max(0, p.capacity - taken);
  if (remaining < p.seats) {
    reasons.push({
      code: 'full',
      detail: `${Math.min(taken, p.capacity)} of ${p.capacity} seats taken; ${p.seats} requested`,
    });
  }
  return { available: reasons.length === 0, reasons };
}
