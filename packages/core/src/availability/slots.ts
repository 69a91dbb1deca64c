/**
 * Appointment and class slots (docs/availability.md, docs/time.md).
 *
 * Hot path: candidates come from walking the local grid stretch by stretch (one constant UTC
 * offset each), open windows and occupations are swept with forward-only pointers, so a query
 * costs O(days + candidates + occupations) with no Temporal call per candidate.
 * @module
 */
import type { Interval } from '../time/interval.js';
import { epochToLocalMs, MS_PER_DAY } from '../time/zone.js';
import { isClosedDay, openWindows } from './hours.js';
import { KIND_ALLOCATION, type Prepared, type PreparedOccupation, prepare } from './prepare.js';
import type { AvailabilityInput, ComputedSlot, UnavailableReason } from './types.js';

export interface ComputeSlotsOptions {
  /**
   * List every candidate of the window with `available: false` and all its reasons. In grid mode
   * that is every grid position of every local day in `[from, to)`, inside opening hours or not,
   * so a UI can draw full day grids; with `sessionStarts` it is every session start in the window.
   */
  includeUnavailable?: boolean;
  /** Also return slots whose only reason is `full` (classes: a user may join the waitlist). */
  includeFull?: boolean;
}

/**
 * Candidate starts inside `ranges` (sorted, disjoint) on the local grid, ascending: both instants
 * of an ambiguous wall time are candidates, wall times inside a gap are not (they have no instant).
 */
export function gridCandidates(p: Prepared, ranges: readonly Interval[]): number[] {
  const out: number[] = [];
  const g = p.gridMs;
  const stretches = p.stretches;
  let si = 0;
  for (const { start: from, end: to } of ranges) {
    while (si < stretches.length - 1 && stretches[si]!.end <= from) si++;
    for (let k = si; k < stretches.length; k++) {
      const st = stretches[k]!;
      if (st.start >= to) break;
      const off = st.offsetMs;
      const localStart = Math.max(from, st.start) + off;
      const localEnd = Math.min(to, st.end) + off;
      let dayBase = Math.floor(localStart / MS_PER_DAY) * MS_PER_DAY;
      let m = Math.ceil((localStart - dayBase) / g) * g;
      if (m >= MS_PER_DAY) {
        dayBase += MS_PER_DAY;
        m = 0;
      }
      for (;;) {
        const local = dayBase + m;
        if (local >= localEnd) break;
        out.push(local - off);
        m += g;
        // The grid restarts at every local midnight (minute of day divisible by the grid).
        if (m >= MS_PER_DAY) {
          dayBase += MS_PER_DAY;
          m = 0;
        }
      }
    }
  }
  return out;
}

/**
 * Where an available grid slot can start: inside a window with room for the duration, not before
 * the earliest bookable instant, not past the horizon. Walking only these ranges skips nights and
 * closed days without generating their candidates.
 */
function bookableRanges(p: Prepared, windows: readonly Interval[]): Interval[] {
  const lo = Math.max(p.from, p.earliest);
  const hi = Math.min(p.to, p.horizonEnd);
  const out: Interval[] = [];
  for (const w of windows) {
    const a = Math.max(lo, w.start);
    const b = Math.min(hi, w.end - p.durMs + 1);
    if (a < b) out.push({ start: a, end: b });
  }
  return out;
}

function sessionCandidates(p: Prepared): number[] {
  const starts = p.sessionStarts ?? [];
  return starts.filter((s) => s >= p.from && s < p.to);
}

/** Evaluates `candidates` (ascending) against hours, clock, occupations and seats. */
function evaluate(
  p: Prepared,
  windows: readonly Interval[],
  candidates: number[],
  opts: ComputeSlotsOptions,
): ComputedSlot[] {
  const listAll = opts.includeUnavailable === true;
  const includeFull = opts.includeFull === true;
  const occ = p.occupations;
  const active: PreparedOccupation[] = [];
  const { durMs, beforeMs, afterMs, earliest, horizonEnd, capacity, seats, sameSlotSeats } = p;
  const hasSameSlot = sameSlotSeats.size > 0;
  const out: ComputedSlot[] = [];
  let wi = 0;
  let oi = 0;
  let lastDay = Number.NaN;
  let lastClosed = false;
  const nOcc = occ.length;
  const nWin = windows.length;

  for (let c = 0; c < candidates.length; c++) {
    const s = candidates[c]!;
    const e = s + durMs;
    let reasons: UnavailableReason[] | null = null;

    while (wi < nWin && windows[wi]!.end <= s) wi++;
    const w = windows[wi];
    if (!(w !== undefined && w.start <= s && e <= w.end)) {
      if (!listAll) continue;
      const day = Math.floor(epochToLocalMs(p.stretches, s) / MS_PER_DAY);
      // Candidates ascend, so the local day changes rarely: remember the last verdict.
      if (day !== lastDay) {
        lastDay = day;
        lastClosed = isClosedDay(p.hours, day);
      }
      reasons = [lastClosed ? 'closed_override' : 'outside_hours'];
    }
    if (s < earliest) {
      if (!listAll) continue;
      if (reasons === null) reasons = ['min_notice'];
      else reasons.push('min_notice');
    }
    if (s >= horizonEnd) {
      if (!listAll) continue;
      if (reasons === null) reasons = ['beyond_horizon'];
      else reasons.push('beyond_horizon');
    }

    // Sweep: admit occupations whose buffered start precedes the candidate's buffered end, and
    // retire those ending before its buffered start (candidates only move forward).
    const cs = s - beforeMs;
    const ce = e + afterMs;
    while (oi < nOcc && occ[oi]!.bStart < ce) active.push(occ[oi++]!);
    let conflict = false;
    let bufferConflict = false;
    let allocation = false;
    for (let k = 0; k < active.length; ) {
      const o = active[k]!;
      if (o.bEnd <= cs) {
        active[k] = active[active.length - 1]!;
        active.pop();
        continue;
      }
      k++;
      if (o.sameSlotStart === s) continue;
      if (o.kind === KIND_ALLOCATION) allocation = true;
      else if (o.start < e && s < o.end) conflict = true;
      else bufferConflict = true;
    }
    if (conflict || bufferConflict || allocation) {
      if (!listAll) continue;
      if (reasons === null) reasons = [];
      if (conflict) reasons.push('conflict');
      if (bufferConflict) reasons.push('buffer_conflict');
      if (allocation) reasons.push('allocation');
    }

    let remaining = capacity;
    if (hasSameSlot) {
      const taken = sameSlotSeats.get(s);
      if (taken !== undefined) remaining = Math.max(0, capacity - taken);
    }
    if (remaining < seats) {
      if (!listAll && !(includeFull && reasons === null)) continue;
      if (reasons === null) reasons = ['full'];
      else reasons.push('full');
    }
    out.push(
      reasons === null
        ? { start: s, end: e, remaining, available: true, reasons: [] }
        : { start: s, end: e, remaining, available: false, reasons },
    );
  }
  return out;
}

/**
 * The slots of one resource for one service in `[from, to)`.
 *
 * Grid mode: candidates are instants whose local minute of day is divisible by `gridMinutes`
 * (default: the duration). Class mode (`sessionStarts`): the timetable's starts are the candidates
 * and the grid is not checked; a resource without any weekly hours counts as open all day on the
 * dates no override names (see `sessionWeekly`). Either way: `[s, s + duration)` must lie in one
 * merged open window, the buffered candidate must not overlap a buffered booking or an allocation (same-slot
 * bookings consume seats instead), `s >= max(now, now + notice)`, the local date of `s` must not
 * pass now's local date + `horizonDays`, and `remaining >= seats`.
 *
 * By default only available slots are returned, ascending by start. `includeUnavailable` lists
 * every candidate with all its reasons; `includeFull` adds slots whose only reason is `full`.
 *
 * @example
 * computeSlots({ timezone: 'Europe/London', weekly: { mon: [{ start: '09:00', end: '12:00' }] },
 *   overrides: [], durationMinutes: 60, bufferBeforeMinutes: 0, bufferAfterMinutes: 0,
 *   minNoticeMinutes: 0, horizonDays: null, capacity: 1, seats: 1, slotKeyPrefix: 'svc',
 *   occupations: [], now: 0, from: Date.UTC(2026, 0, 5), to: Date.UTC(2026, 0, 6) })
 * // → 09:00, 10:00 and 11:00 (UTC = London time in January)
 */
export function computeSlots(input: AvailabilityInput, opts: ComputeSlotsOptions = {}): ComputedSlot[] {
  const p = prepare(input);
  const windows = openWindows(p.hours, p.stretches, p.from, p.to + p.durMs);
  if (p.sessionStarts !== null) return evaluate(p, windows, sessionCandidates(p), opts);
  const ranges = opts.includeUnavailable ? [{ start: p.from, end: p.to }] : bookableRanges(p, windows);
  return evaluate(p, windows, gridCandidates(p, ranges), opts);
}
