/**
 * Rental-style availability: contiguous free time instead of grid slots.
 * @module
 */
import { SeshnError, type SeshnFieldIssue } from '../errors/seshn-error.js';
import { type Interval, subtractIntervals } from '../time/interval.js';
import { hoursIssues, openWindows, prepareHours, stretchesFor } from './hours.js';
import { checkOccupations, horizonOf, MS_PER_MINUTE, prepareOccupations } from './prepare.js';
import type { AvailabilityInput } from './types.js';

/** What {@link freeWindows} needs: an availability input without the slot-specific fields. */
export type FreeWindowsInput = Pick<
  AvailabilityInput,
  | 'timezone'
  | 'weekly'
  | 'overrides'
  | 'occupations'
  | 'now'
  | 'minNoticeMinutes'
  | 'horizonDays'
  | 'from'
  | 'to'
> & {
  /** Buffers of the booking that would be made (it must not push them into an occupation). */
  bufferBeforeMinutes?: number;
  bufferAfterMinutes?: number;
};

export interface FreeWindowsOptions {
  /** Windows shorter than this are dropped (default 1 minute: every non-empty window). */
  minDurationMinutes?: number;
}

/**
 * Contiguous free time of one resource in `[from, to)`: open windows minus every occupation
 * (bookings with their buffers, allocations), clipped to `[max(from, now, now + notice),
 * min(to, end of the horizon's last local date))`. With the new booking's own buffers given, each
 * occupation is widened by them, so any `[s, e)` inside a returned window is bookable as a whole.
 * Windows shorter than `minDurationMinutes` are dropped.
 *
 * @example
 * freeWindows({ timezone: 'UTC', weekly: { mon: [{ start: '09:00', end: '17:00' }] }, overrides: [],
 *   occupations: [{ start: Date.UTC(2026, 0, 5, 12), end: Date.UTC(2026, 0, 5, 13), kind: 'allocation' }],
 *   now: 0, minNoticeMinutes: 0, horizonDays: null, from: Date.UTC(2026, 0, 5), to: Date.UTC(2026, 0, 6) },
 *   { minDurationMinutes: 60 })
 * // → [09:00–12:00, 13:00–17:00]
 */
export function freeWindows(input: FreeWindowsInput, opts: FreeWindowsOptions = {}): Interval[] {
  if (typeof input !== 'object' || input === null) {
    throw SeshnError.validation([{ path: '', message: 'Expected a free-windows input object' }]);
  }
  const issues: SeshnFieldIssue[] = hoursIssues(input.timezone, input.weekly, input.overrides);
  const num = (v: unknown) => typeof v === 'number' && Number.isFinite(v);
  for (const f of ['now', 'from', 'to'] as const) {
    if (!num(input[f])) issues.push({ path: f, message: 'Expected epoch milliseconds' });
  }
  if (num(input.from) && num(input.to) && input.from >= input.to) {
    issues.push({ path: 'to', message: 'to must be after from' });
  }
  if (!num(input.minNoticeMinutes) || input.minNoticeMinutes < 0) {
    issues.push({ path: 'minNoticeMinutes', message: 'Expected a number of minutes ≥ 0' });
  }
  const h = input.horizonDays;
  if (h !== null && (!Number.isInteger(h) || h < 0)) {
    issues.push({ path: 'horizonDays', message: 'Expected an integer ≥ 0 or null' });
  }
  for (const f of ['bufferBeforeMinutes', 'bufferAfterMinutes'] as const) {
    const v = input[f];
    if (v !== undefined && (!num(v) || v < 0)) issues.push({ path: f, message: 'Expected ≥ 0' });
  }
  const minDur = opts.minDurationMinutes ?? 1;
  if (!num(minDur) || minDur < 0) issues.push({ path: 'minDurationMinutes', message: 'Expected ≥ 0' });
  checkOccupations(input.occupations, issues);
  if (issues.length) throw SeshnError.validation(issues);

  const lo = Math.max(input.from, input.now, input.now + input.minNoticeMinutes * MS_PER_MINUTE);
  const hi = Math.min(input.to, horizonOf(input.timezone, input.now, input.horizonDays).horizonEnd);
  if (lo >= hi) return [];
  const open = openWindows(
    prepareHours(input.weekly, input.overrides),
    stretchesFor(input.timezone, lo, hi),
    lo,
    hi,
  );
  const before = (input.bufferBeforeMinutes ?? 0) * MS_PER_MINUTE;
  const after = (input.bufferAfterMinutes ?? 0) * MS_PER_MINUTE;
  // Widen each occupation by the new booking's buffers: its after-buffer must end before an
  // occupation starts, its before-buffer must start after one ends.
  const cuts = prepareOccupations(input.occupations, null, 0).list.map((o) => ({
    start: o.bStart - after,
    end: o.bEnd + before,
  }));
  const minMs = Math.max(minDur * MS_PER_MINUTE, 1);
  return subtractIntervals(open, cuts).filter((w) => w.end - w.start >= minMs);
}
