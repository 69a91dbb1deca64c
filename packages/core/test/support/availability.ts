/**
 * Test helpers for the availability engine: input builders and a brute-force reference model that
 * walks minute by minute with Temporal (slow, obviously correct) to hold the fast engine to.
 * Lives in test/, outside src/, so it is neither built nor published.
 * @module
 */
import fc from 'fast-check';
import type {
  AvailabilityInput,
  ComputedSlot,
  Occupation,
  UnavailableReason,
} from '../../src/availability/types.js';
import { WEEKDAYS } from '../../src/schema/common.js';
import type { Hours, Override, WeeklyHours } from '../../src/schema/hours.js';
import {
  addDays,
  epochMsToLocal,
  formatWallTime,
  localDateTimeToEpochMs,
  localToEpochMs,
  parseWallTime,
} from '../../src/time/zone.js';

export const MIN = 60_000;
export const HOUR = 60 * MIN;
export const DAY = 24 * HOUR;

/** Local wall time `YYYY-MM-DDTHH:mm` in `tz` → epoch ms (gap forward, overlap earlier). */
export const at = (tz: string, local: string) => localDateTimeToEpochMs(local, tz);
export const utc = (iso: string) => Date.parse(iso.endsWith('Z') ? iso : `${iso}Z`);
export const iso = (ms: number) => new Date(ms).toISOString();

export function input(over: Partial<AvailabilityInput> = {}): AvailabilityInput {
  return {
    timezone: 'UTC',
    weekly: {},
    overrides: [],
    durationMinutes: 60,
    bufferBeforeMinutes: 0,
    bufferAfterMinutes: 0,
    minNoticeMinutes: 0,
    horizonDays: null,
    capacity: 1,
    seats: 1,
    slotKeyPrefix: 'svc',
    occupations: [],
    now: 0,
    from: Date.UTC(2026, 0, 5),
    to: Date.UTC(2026, 0, 6),
    ...over,
  };
}

export const everyDay = (hours: Hours[]): WeeklyHours =>
  Object.fromEntries(WEEKDAYS.map((d) => [d, hours])) as WeeklyHours;

// ---------------------------------------------------------------------------------------------
// Reference model
// ---------------------------------------------------------------------------------------------

function refHoursFor(
  weekly: WeeklyHours,
  overrides: Override[],
  date: string,
): { hours: Hours[]; fromOverride: boolean } {
  let dateHit: Hours[] | null = null;
  for (const o of overrides) if ('date' in o && o.date === date) dateHit = o.hours;
  if (dateHit) return { hours: dateHit, fromOverride: true };
  const wd = WEEKDAYS[epochMsToLocal(Date.parse(`${date}T12:00:00Z`), 'UTC').weekday - 1]!;
  let season: Hours[] | null = null;
  for (const o of overrides) {
    if ('from' in o && o.from <= date && date <= o.to && (!o.days || o.days.includes(wd))) season = o.hours;
  }
  if (season) return { hours: season, fromOverride: true };
  return { hours: weekly[wd] ?? [], fromOverride: false };
}

/** Open intervals by direct Temporal conversion of every interval of every date (unmerged). */
export function refOpenIntervals(
  tz: string,
  weekly: WeeklyHours,
  overrides: Override[],
  fromMs: number,
  toMs: number,
): { start: number; end: number }[] {
  const first = addDays(epochMsToLocal(fromMs, tz).date, -1);
  const last = epochMsToLocal(toMs, tz).date;
  const out: { start: number; end: number }[] = [];
  for (let d = first; d <= last; d = addDays(d, 1)) {
    for (const h of refHoursFor(weekly, overrides, d).hours) {
      const s = parseWallTime(h.start)!;
      let e = parseWallTime(h.end, true)!;
      if (e <= s) e += 1440;
      const a = localToEpochMs(d, s, tz);
      const b = localToEpochMs(d, e, tz);
      if (b > a) out.push({ start: a, end: b });
    }
  }
  return out;
}

/**
 * Every grid candidate in `[from, to)` with all its reasons, minute by minute. Assumes from/to,
 * occupations and offsets are whole minutes.
 */
export function refSlots(inp: AvailabilityInput): ComputedSlot[] {
  const tz = inp.timezone;
  const dur = inp.durationMinutes * MIN;
  const grid = inp.gridMinutes ?? inp.durationMinutes;
  // Class sessions on a resource without any weekly hours: open all day, overrides still apply.
  const noWeekly = WEEKDAYS.every((d) => (inp.weekly[d] ?? []).length === 0);
  const weekly = inp.sessionStarts && noWeekly ? everyDay([{ start: '00:00', end: '24:00' }]) : inp.weekly;
  const open = refOpenIntervals(tz, weekly, inp.overrides, inp.from, inp.to + dur);
  const isOpen = (t: number) => open.some((o) => o.start <= t && t < o.end);
  const nowDate = epochMsToLocal(inp.now, tz).date;
  const lastDate = inp.horizonDays === null ? null : addDays(nowDate, inp.horizonDays);
  const out: ComputedSlot[] = [];
  const openCache = new Map<number, boolean>();
  const openAt = (t: number) => {
    let v = openCache.get(t);
    if (v === undefined) {
      v = isOpen(t);
      openCache.set(t, v);
    }
    return v;
  };
  const candidates = inp.sessionStarts
    ? [...new Set(inp.sessionStarts)].filter((s) => s >= inp.from && s < inp.to).sort((a, b) => a - b)
    : null;
  const starts: number[] = [];
  if (candidates) starts.push(...candidates);
  else for (let t = Math.ceil(inp.from / MIN) * MIN; t < inp.to; t += MIN) starts.push(t);
  for (const t of starts) {
    const lv = epochMsToLocal(t, tz);
    if (!candidates && (lv.seconds !== 0 || lv.minutes % grid !== 0)) continue;
    const reasons: UnavailableReason[] = [];
    // Appointments and class sessions alike: every minute of the slot must be open.
    let inHours = true;
    for (let m = t; m < t + dur; m += MIN) if (!openAt(m)) inHours = false;
    if (!inHours) {
      const r = refHoursFor(weekly, inp.overrides, lv.date);
      reasons.push(r.fromOverride && r.hours.length === 0 ? 'closed_override' : 'outside_hours');
    }
    if (t < inp.now || t < inp.now + inp.minNoticeMinutes * MIN) reasons.push('min_notice');
    if (lastDate !== null && lv.date > lastDate) reasons.push('beyond_horizon');
    const key = `${inp.slotKeyPrefix}|${t}|${t + dur}`;
    let taken = 0;
    let conflict = false;
    let buffer = false;
    let alloc = false;
    const cs = t - inp.bufferBeforeMinutes * MIN;
    const ce = t + dur + inp.bufferAfterMinutes * MIN;
    for (const o of inp.occupations) {
      if (o.kind === 'booking' && o.slotKey === key) {
        taken += o.seats ?? 1;
        continue;
      }
      const os = o.kind === 'allocation' ? o.start : o.start - (o.bufferBeforeMinutes ?? 0) * MIN;
      const oe = o.kind === 'allocation' ? o.end : o.end + (o.bufferAfterMinutes ?? 0) * MIN;
      if (!(os < ce && cs < oe && os < oe)) continue;
      if (o.kind === 'allocation') alloc = true;
      else if (o.start < t + dur && t < o.end) conflict = true;
      else buffer = true;
    }
    if (conflict) reasons.push('conflict');
    if (buffer) reasons.push('buffer_conflict');
    if (alloc) reasons.push('allocation');
    const remaining = Math.max(0, inp.capacity - taken);
    if (remaining < inp.seats) reasons.push('full');
    out.push({ start: t, end: t + dur, remaining, available: reasons.length === 0, reasons });
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Arbitraries
// ---------------------------------------------------------------------------------------------

/** Zones and instants near their DST changes (plus an ordinary day) for small brute-force cases. */
export const ZONE_ANCHORS: Record<string, string[]> = {
  UTC: ['2026-01-05T00:00:00Z', '2026-06-30T00:00:00Z'],
  'Europe/London': ['2026-03-28T00:00:00Z', '2026-10-24T00:00:00Z', '2026-07-01T00:00:00Z'],
  'America/New_York': ['2026-03-07T05:00:00Z', '2026-10-31T04:00:00Z'],
  'Australia/Lord_Howe': ['2026-04-04T00:00:00Z', '2026-10-03T00:00:00Z'],
  'Asia/Kathmandu': ['2026-01-05T00:00:00Z'],
};

const wall = (step: number) =>
  fc.integer({ min: 0, max: Math.floor(1439 / step) }).map((i) => formatWallTime(i * step));
const hoursArb = (step: number): fc.Arbitrary<Hours> =>
  fc
    .record({ start: wall(step), end: fc.oneof(wall(step), fc.constant('24:00')) })
    .filter((h) => parseWallTime(h.start) !== parseWallTime(h.end, true));

export function caseArb(zones: string[] = Object.keys(ZONE_ANCHORS)): fc.Arbitrary<AvailabilityInput> {
  return fc
    .record({
      tz: fc.constantFrom(...zones),
      anchorIdx: fc.nat(),
      fromOffsetMin: fc.integer({ min: -12 * 60, max: 36 * 60 }),
      spanMin: fc.integer({ min: 1, max: 48 * 60 }),
      step: fc.constantFrom(5, 15, 30, 60),
      weekly: fc.record(
        Object.fromEntries(
          WEEKDAYS.map((d) => [
            d,
            fc.oneof(
              { weight: 4, arbitrary: fc.array(hoursArb(15), { minLength: 1, maxLength: 2 }) },
              { weight: 1, arbitrary: fc.constant([]) },
            ),
          ]),
        ) as Record<(typeof WEEKDAYS)[number], fc.Arbitrary<Hours[]>>,
        { requiredKeys: [] },
      ),
      overrideDays: fc.array(
        fc.record({
          dayOffset: fc.integer({ min: -1, max: 3 }),
          hours: fc.array(hoursArb(30), { maxLength: 2 }),
          seasonal: fc.boolean(),
          len: fc.integer({ min: 0, max: 2 }),
          days: fc.option(fc.subarray([...WEEKDAYS], { minLength: 1 }), { nil: undefined }),
        }),
        { maxLength: 2 },
      ),
      duration: fc.constantFrom(15, 30, 45, 60, 90, 150),
      grid: fc.option(fc.constantFrom(5, 10, 15, 20, 30, 45, 50, 60, 90), { nil: undefined }),
      before: fc.constantFrom(0, 0, 5, 15),
      after: fc.constantFrom(0, 0, 10, 30),
      capacity: fc.integer({ min: 1, max: 3 }),
      seats: fc.integer({ min: 1, max: 2 }),
      nowOffsetMin: fc.integer({ min: -48 * 60, max: 24 * 60 }),
      notice: fc.constantFrom(0, 0, 0, 30, 90, 24 * 60),
      horizon: fc.option(fc.integer({ min: 0, max: 4 }), { nil: null, freq: 2 }),
      occ: fc.array(
        fc.record({
          offsetMin: fc.integer({ min: -6 * 60, max: 54 * 60 }),
          len: fc.integer({ min: 0, max: 180 }),
          alloc: fc.boolean(),
          before: fc.constantFrom(0, 10),
          after: fc.constantFrom(0, 15),
          seats: fc.integer({ min: 1, max: 2 }),
          sameSlot: fc.boolean(),
        }),
        { maxLength: 8 },
      ),
    })
    .map((c) => {
      const anchors = ZONE_ANCHORS[c.tz]!;
      const anchor = Date.parse(anchors[c.anchorIdx % anchors.length]!);
      const from = anchor + c.fromOffsetMin * MIN;
      const to = from + c.spanMin * MIN;
      const dur = c.duration;
      const fromDate = epochMsToLocal(from, c.tz).date;
      const overrides: Override[] = c.overrideDays.map((o) => {
        const date = addDays(fromDate, o.dayOffset);
        return o.seasonal
          ? { from: date, to: addDays(date, o.len), hours: o.hours, ...(o.days ? { days: o.days } : {}) }
          : { date, hours: o.hours };
      });
      const occupations: Occupation[] = c.occ.map((o) => {
        // Snap "same slot" bookings to a wall-clock grid point so they can meet a candidate.
        let start = from + Math.round((o.offsetMin * MIN) / (c.step * MIN)) * c.step * MIN;
        if (o.sameSlot && !o.alloc) {
          const g = (c.grid ?? dur) * MIN;
          const off = epochMsToLocal(start, c.tz).offsetMinutes * MIN;
          start = Math.floor((start + off) / g) * g - off;
          const end = start + dur * MIN;
          return {
            start,
            end,
            kind: 'booking',
            bufferBeforeMinutes: o.before,
            bufferAfterMinutes: o.after,
            seats: o.seats,
            slotKey: `svc|${start}|${end}`,
          };
        }
        const end = start + o.len * MIN;
        return o.alloc
          ? { start, end, kind: 'allocation' }
          : {
              start,
              end,
              kind: 'booking',
              bufferBeforeMinutes: o.before,
              bufferAfterMinutes: o.after,
              seats: o.seats,
              slotKey: `other|${start}|${end}`,
            };
      });
      const inp: AvailabilityInput = {
        timezone: c.tz,
        weekly: c.weekly as WeeklyHours,
        overrides,
        durationMinutes: dur,
        bufferBeforeMinutes: c.before,
        bufferAfterMinutes: c.after,
        minNoticeMinutes: c.notice,
        horizonDays: c.horizon,
        capacity: c.capacity,
        seats: c.seats,
        slotKeyPrefix: 'svc',
        occupations,
        now: from + c.nowOffsetMin * MIN,
        from,
        to,
      };
      if (c.grid !== undefined) inp.gridMinutes = c.grid;
      return inp;
    });
}
