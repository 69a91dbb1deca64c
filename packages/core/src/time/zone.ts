/**
 * Wall clock ↔ instant conversion. This is the only module that knows about time zones and DST;
 * everything else works on UTC epoch milliseconds and calls in here.
 *
 * Decisions (docs/time.md, RFC 5545): a local time inside a DST gap moves forward by the length
 * of the gap; an ambiguous local time (fall-back overlap) takes the earlier instant. That is
 * exactly Temporal's `disambiguation: 'compatible'`.
 * @module
 */
import { Temporal } from 'temporal-polyfill';

export const MS_PER_DAY = 86_400_000;
const zoneCache = new Map<string, boolean>();

/** True when `timeZone` is an IANA zone name this runtime knows (case-sensitive canonical or alias). */
export function isValidTimeZone(timeZone: string): boolean {
  const known = zoneCache.get(timeZone);
  if (known !== undefined) return known;
  let ok = false;
  if (typeof timeZone === 'string' && timeZone.length > 0 && timeZone.length < 64) {
    try {
      Temporal.Now.instant().toZonedDateTimeISO(timeZone);
      // Offsets like "+05:00" are valid Temporal zones but not IANA names; resources need a region.
      ok = !/^[+-]/.test(timeZone);
    } catch {
      ok = false;
    }
  }
  zoneCache.set(timeZone, ok);
  return ok;
}

const canonicalCache = new Map<string, string | null>();

/**
 * The IANA name of `timeZone` as the time-zone database spells it (`europe/london` →
 * `Europe/London`), or null when it is no zone this runtime knows. Matching is case-insensitive;
 * an alias stays the alias (`Asia/Calcutta`, `Etc/UTC`, `US/Pacific`) rather than being resolved to
 * its target, because which names are links differs between ICU versions (Node 20 turns
 * `Asia/Kolkata` into `Asia/Calcutta`) while the case-normalised name is stable. UTC offsets such
 * as `+01:00` are not accepted: a resource needs a region.
 */
export function canonicalTimeZone(timeZone: string): string | null {
  if (typeof timeZone !== 'string') return null;
  const known = canonicalCache.get(timeZone);
  if (known !== undefined) return known;
  let canonical: string | null = null;
  if (timeZone.length > 0 && timeZone.length < 64 && !/^[+-]/.test(timeZone)) {
    try {
      canonical = Temporal.Instant.fromEpochMilliseconds(0).toZonedDateTimeISO(timeZone).timeZoneId;
      if (/^[+-]/.test(canonical)) canonical = null;
    } catch {
      canonical = null;
    }
  }
  if (canonicalCache.size < 10_000) canonicalCache.set(timeZone, canonical);
  return canonical;
}

/** `YYYY-MM-DD` → Temporal.PlainDate (throws RangeError on an impossible date). */
function plainDate(date: string): Temporal.PlainDate {
  return Temporal.PlainDate.from(date, { overflow: 'reject' });
}

/** True when `date` is a real calendar date written as `YYYY-MM-DD`. */
export function isValidDate(date: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) return false;
  try {
    plainDate(date);
    return true;
  } catch {
    return false;
  }
}

/** `HH:mm` (00:00–23:59, or `24:00` when `allow24`) → minutes since local midnight, or null. */
export function parseWallTime(time: string, allow24 = false): number | null {
  const m = /^(\d{2}):(\d{2})$/.exec(time);
  if (!m) return null;
  const h = Number(m[1]);
  const min = Number(m[2]);
  if (min > 59) return null;
  if (h === 24 && min === 0 && allow24) return 1440;
  if (h > 23) return null;
  return h * 60 + min;
}

/** Minutes since midnight → `HH:mm`. */
export function formatWallTime(minutes: number): string {
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  return `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}`;
}

/** Adds whole calendar days to a `YYYY-MM-DD` date. */
export function addDays(date: string, days: number): string {
  return plainDate(date).add({ days }).toString();
}

/** ISO weekday of a date: 1 = Monday … 7 = Sunday. */
export function isoWeekday(date: string): number {
  return plainDate(date).dayOfWeek;
}

/**
 * The instant of a local wall time on a local date in `timeZone`, as epoch ms.
 * `minutesOfDay` may be ≥ 1440 (e.g. 1440 = `24:00` = next midnight).
 * Gap → forward by the gap; overlap → earlier instant.
 */
export function localToEpochMs(date: string, minutesOfDay: number, timeZone: string): number {
  const day = plainDate(date).add({ days: Math.floor(minutesOfDay / 1440) });
  const mins = minutesOfDay % 1440;
  const pdt = day.toPlainDateTime({ hour: Math.floor(mins / 60), minute: mins % 60 });
  return pdt.toZonedDateTime(timeZone, { disambiguation: 'compatible' }).epochMilliseconds;
}

/** Like {@link localToEpochMs} for a full `YYYY-MM-DDTHH:mm[:ss]` local date-time. */
export function localDateTimeToEpochMs(dateTime: string, timeZone: string): number {
  return Temporal.PlainDateTime.from(dateTime, { overflow: 'reject' }).toZonedDateTime(timeZone, {
    disambiguation: 'compatible',
  }).epochMilliseconds;
}

/** The local calendar view of an instant in `timeZone`. */
export interface LocalView {
  /** `YYYY-MM-DD` */
  date: string;
  /** minutes since local midnight (0–1439) */
  minutes: number;
  /** seconds within the minute */
  seconds: number;
  /** ISO weekday, 1 = Monday */
  weekday: number;
  /** UTC offset in minutes at that instant */
  offsetMinutes: number;
}

export function epochMsToLocal(epochMs: number, timeZone: string): LocalView {
  const z = Temporal.Instant.fromEpochMilliseconds(epochMs).toZonedDateTimeISO(timeZone);
  return {
    date: z.toPlainDate().toString(),
    minutes: z.hour * 60 + z.minute,
    seconds: z.second,
    weekday: z.dayOfWeek,
    offsetMinutes: Math.round(z.offsetNanoseconds / 60e9),
  };
}

/** The next instant after `epochMs` where `timeZone`'s offset changes, or null when there is none. */
function nextOffsetChange(epochMs: number, timeZone: string): number | null {
  const next = Temporal.Instant.fromEpochMilliseconds(epochMs)
    .toZonedDateTimeISO(timeZone)
    .getTimeZoneTransition('next');
  return next ? next.epochMilliseconds : null;
}

/** An instant formatted as ISO 8601 with the zone's offset, e.g. `2026-03-10T14:00:00-04:00`. */
export function formatWithOffset(epochMs: number, timeZone: string): string {
  const z = Temporal.Instant.fromEpochMilliseconds(epochMs).toZonedDateTimeISO(timeZone);
  return z.toString({ timeZoneName: 'never', fractionalSecondDigits: 'auto' });
}

/** The wire format for instants: UTC ISO 8601 with milliseconds. */
export function toIso(epochMs: number): string {
  return new Date(epochMs).toISOString();
}

// ---------------------------------------------------------------------------------------------
// Fast offset tables. Temporal costs ~10–20 µs per conversion; engines that convert thousands of
// wall times per query (availability) instead fetch the zone's offset stretches once and do the
// arithmetic themselves. "Local ms" below means the wall-clock reading written as if it were UTC
// epoch ms (local ms = instant + offset). The stretches below are the module's one offset cache:
// `offsetStretches` and every `wallClock` read from it.
// ---------------------------------------------------------------------------------------------

/** A maximal run of instants `[start, end)` over which `timeZone` keeps one UTC offset. */
export interface OffsetStretch {
  start: number;
  end: number;
  /** UTC offset in milliseconds (local ms = instant + offsetMs). */
  offsetMs: number;
}

/** Stretches are cached per zone and per ~year-sized chunk: tzdb data does not change at runtime. */
const CHUNK_MS = 2 ** 35; // ≈ 1.09 years
const stretchCache = new Map<string, OffsetStretch[]>();
const STRETCH_CACHE_MAX = 512;

function temporalOffsetMs(epochMs: number, timeZone: string): number {
  return Math.round(
    Temporal.Instant.fromEpochMilliseconds(epochMs).toZonedDateTimeISO(timeZone).offsetNanoseconds / 1e6,
  );
}

function chunkStretches(chunk: number, timeZone: string): OffsetStretch[] {
  const key = `${timeZone}|${chunk}`;
  const hit = stretchCache.get(key);
  if (hit) return hit;
  const from = chunk * CHUNK_MS;
  const to = from + CHUNK_MS;
  const out: OffsetStretch[] = [];
  let cursor = from;
  let offset = temporalOffsetMs(from, timeZone);
  while (cursor < to) {
    const next = nextOffsetChange(cursor, timeZone);
    const end = next === null || next > to ? to : next;
    out.push({ start: cursor, end, offsetMs: offset });
    if (end >= to) break;
    cursor = end;
    offset = temporalOffsetMs(cursor, timeZone);
  }
  if (stretchCache.size >= STRETCH_CACHE_MAX) {
    const oldest = stretchCache.keys().next().value;
    if (oldest !== undefined) stretchCache.delete(oldest);
  }
  stretchCache.set(key, out);
  return out;
}

/**
 * The constant-offset stretches of `timeZone` covering at least `[fromMs, toMs)`, sorted, disjoint
 * and contiguous (the first may start before `fromMs`, the last may end after `toMs`). Neighbours
 * always differ in offset.
 *
 * @example
 * offsetStretches('Europe/London', Date.UTC(2026, 2, 28), Date.UTC(2026, 2, 31))
 * // → [{ …, end: Date.UTC(2026, 2, 29, 1), offsetMs: 0 }, { start: Date.UTC(2026, 2, 29, 1), …, offsetMs: 3_600_000 }]
 */
export function offsetStretches(timeZone: string, fromMs: number, toMs: number): OffsetStretch[] {
  const first = Math.floor(fromMs / CHUNK_MS);
  const last = Math.floor((Math.max(toMs, fromMs + 1) - 1) / CHUNK_MS);
  const out: OffsetStretch[] = [];
  for (let c = first; c <= last; c++) {
    for (const s of chunkStretches(c, timeZone)) {
      const prev = out[out.length - 1];
      if (prev && prev.offsetMs === s.offsetMs && prev.end === s.start) {
        out[out.length - 1] = { start: prev.start, end: s.end, offsetMs: prev.offsetMs };
      } else out.push(s);
    }
  }
  return out;
}

/**
 * Index of the stretch containing `epochMs` (clamped to the first/last stretch); binary search.
 * @example
 * const st = offsetStretches('Europe/London', t - 86_400_000, t + 86_400_000);
 * st[stretchIndexAt(st, t)].offsetMs; // 0 in winter, 3_600_000 in summer
 */
export function stretchIndexAt(stretches: readonly OffsetStretch[], epochMs: number): number {
  let lo = 0;
  let hi = stretches.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (stretches[mid]!.start <= epochMs) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/**
 * Instant → local ms using precomputed stretches (see {@link offsetStretches}).
 * @example
 * epochToLocalMs(offsetStretches('Asia/Kathmandu', t - 1, t + 1), t) - t; // 20_700_000 (+05:45)
 */
export function epochToLocalMs(stretches: readonly OffsetStretch[], epochMs: number): number {
  return epochMs + stretches[stretchIndexAt(stretches, epochMs)]!.offsetMs;
}

/**
 * Local ms → instant using precomputed stretches, with the same disambiguation as
 * {@link localToEpochMs}: in a gap the wall time moves forward by the gap (the offset before the
 * transition is used); in an overlap the earlier instant wins. `stretches` must cover the instant
 * (± a day of margin is enough).
 * @example
 * const st = offsetStretches('America/New_York', Date.UTC(2026, 2, 7), Date.UTC(2026, 2, 10));
 * localMsToEpoch(st, Date.UTC(2026, 2, 8, 2, 30)); // 2026-03-08T07:30Z (02:30 is in the gap → 03:30 EDT)
 */
export function localMsToEpoch(stretches: readonly OffsetStretch[], localMs: number): number {
  // Offsets are within ±1 day, so only stretches overlapping [localMs − 1d, localMs + 1d] matter.
  let i = stretchIndexAt(stretches, localMs - MS_PER_DAY);
  for (; i < stretches.length; i++) {
    const s = stretches[i]!;
    const t = localMs - s.offsetMs;
    if (t < s.end && (t >= s.start || i === 0)) return t;
    // Past this stretch's end in local time but before the next one's start: a gap.
    const next = stretches[i + 1];
    if (t >= s.end && next && localMs < next.start + next.offsetMs) return t;
    if (!next) return t;
  }
  return localMs - stretches[stretches.length - 1]!.offsetMs;
}

/**
 * `YYYY-MM-DD` → days since 1970-01-01 (no validation; pass valid dates).
 * @example
 * dateToEpochDay('1970-01-02'); // 1
 */
export function dateToEpochDay(date: string): number {
  return Math.floor(
    Date.UTC(Number(date.slice(0, 4)), Number(date.slice(5, 7)) - 1, Number(date.slice(8, 10))) / MS_PER_DAY,
  );
}

/** Days since 1970-01-01 → `YYYY-MM-DD`. */
export function epochDayToDate(epochDay: number): string {
  return new Date(epochDay * MS_PER_DAY).toISOString().slice(0, 10);
}

/** ISO weekday (1 = Monday … 7 = Sunday) of a day number from {@link dateToEpochDay}. */
export function epochDayWeekday(epochDay: number): number {
  // 1970-01-01 was a Thursday (4).
  return ((((epochDay + 3) % 7) + 7) % 7) + 1;
}

/**
 * The first instant of the local date `days` calendar days after the local date of `epochMs`.
 * With `days = 1` this is the start of "tomorrow"; midnights inside a gap resolve to the
 * transition, as Temporal's `startOfDay` does.
 * @example
 * startOfLocalDay(Date.UTC(2026, 0, 5, 12), 1, 'Europe/London'); // Date.UTC(2026, 0, 6)
 */
export function startOfLocalDay(epochMs: number, days: number, timeZone: string): number {
  return Temporal.Instant.fromEpochMilliseconds(epochMs)
    .toZonedDateTimeISO(timeZone)
    .toPlainDate()
    .add({ days })
    .toZonedDateTime({ timeZone }).epochMilliseconds;
}

// ---------------------------------------------------------------------------------------------
// Integer calendar arithmetic and a cursor-cached wall-clock resolver for engines that convert
// many wall times of one zone in ascending order (recurrence). Avoids Temporal object churn:
// Temporal is only asked for the zone's transitions, about twice per year of range.
// ---------------------------------------------------------------------------------------------

/**
 * Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's `days_from_civil`).
 * No validation: pass a real date (month 1–12).
 * @example epochDayFromCivil(1970, 1, 2) // → 1
 */
export function epochDayFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const mp = (month + 9) % 12;
  const doy = Math.floor((153 * mp + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

/**
 * The proleptic Gregorian date of a day number, packed as `year * 10000 + month * 100 + day`
 * (one number, so hot loops allocate nothing). Years must be ≥ 0.
 * @example civilFromEpochDay(0) // → 19700101
 */
export function civilFromEpochDay(epochDay: number): number {
  const z = epochDay + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor(
    (doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365,
  );
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  const y = yoe + era * 400 + (m <= 2 ? 1 : 0);
  return y * 10000 + m * 100 + d;
}

const pad2 = (n: number) => (n < 10 ? `0${n}` : `${n}`);

/**
 * Formats an instant given its local wall clock (`localMs` = epoch ms + offset) and the offset,
 * as ISO 8601 with the offset, e.g. `2026-03-10T14:00:00-04:00`. Sub-minute historical (LMT)
 * offsets are written with seconds (`-04:56:02`) rather than rounded, so the text stays exact.
 * @example formatLocalMsWithOffset(Date.UTC(2026, 2, 10, 14), -4 * 3_600_000) // '2026-03-10T14:00:00-04:00'
 */
export function formatLocalMsWithOffset(localMs: number, offsetMs: number): string {
  const day = Math.floor(localMs / MS_PER_DAY);
  const civil = civilFromEpochDay(day);
  const y = Math.floor(civil / 10000);
  const secs = Math.floor((localMs - day * MS_PER_DAY) / 1000);
  const ms = localMs - day * MS_PER_DAY - secs * 1000;
  const abs = Math.abs(Math.round(offsetMs / 1000));
  const oh = Math.floor(abs / 3600);
  const om = Math.floor((abs % 3600) / 60);
  const os = abs % 60;
  return (
    `${String(y).padStart(4, '0')}-${pad2(Math.floor(civil / 100) % 100)}-${pad2(civil % 100)}` +
    `T${pad2(Math.floor(secs / 3600))}:${pad2(Math.floor(secs / 60) % 60)}:${pad2(secs % 60)}` +
    (ms ? `.${String(ms).padStart(3, '0')}` : '') +
    `${offsetMs < 0 ? '-' : '+'}${pad2(oh)}:${pad2(om)}${os ? `:${pad2(os)}` : ''}`
  );
}

/** Wall clock ↔ instant for one zone, with cached offset stretches (see {@link wallClock}). */
export interface WallClock {
  readonly timeZone: string;
  /** UTC offset in ms at an instant (local ms = epoch ms + offset). */
  offsetMsAt(epochMs: number): number;
  /**
   * Local ms (a wall-clock reading written as if it were UTC epoch ms) → epoch ms. A reading in
   * a gap moves forward by the gap; an ambiguous one takes the earlier instant — the same as
   * {@link localToEpochMs} (Temporal's `compatible`).
   */
  toEpochMs(localMs: number): number;
}

/** One clock per zone: a clock is only a cursor, and reusing it keeps its code hot. */
const clocks = new Map<string, WallClock>();

/**
 * The {@link WallClock} of `timeZone`: a cursor over the zone's cached offset stretches (see
 * {@link offsetStretches}; the clock keeps no offsets of its own), so each lookup after the first
 * in the same stretch is a couple of comparisons. Memoised per zone; tzdb does not change at
 * runtime.
 * @example wallClock('America/New_York').toEpochMs(Date.UTC(2026, 2, 8, 2, 30)) // 07:30Z (gap → 03:30 EDT)
 */
export function wallClock(timeZone: string): WallClock {
  const known = clocks.get(timeZone);
  if (known) return known;
  // The stretch of the last lookup and the cached chunk it came from (empty until the first
  // lookup): a lookup in the same stretch is two comparisons, one in the same chunk a binary
  // search, and only a new chunk asks the cache.
  let start = 0;
  let end = 0;
  let offset = 0;
  let index = 0;
  let chunkStart = 0;
  let chunkEnd = 0;
  let chunk: readonly OffsetStretch[] = [];

  const seek = (epochMs: number): number => {
    if (!(epochMs >= chunkStart && epochMs < chunkEnd)) {
      index = Math.floor(epochMs / CHUNK_MS);
      chunk = chunkStretches(index, timeZone);
      chunkStart = index * CHUNK_MS;
      chunkEnd = chunkStart + CHUNK_MS;
    }
    const i = stretchIndexAt(chunk, epochMs);
    const s = chunk[i]!;
    start = s.start;
    end = s.end;
    offset = s.offsetMs;
    // A stretch the chunk's end cut short goes on into the next chunk when its offset does: walking
    // forward (what recurrences do), the cursor then only moves at real transitions.
    if (i === chunk.length - 1 && end === chunkEnd) {
      const next = chunkStretches(index + 1, timeZone)[0]!;
      if (next.offsetMs === offset) end = next.end;
    }
    return offset;
  };
  const offsetMsAt = (epochMs: number): number =>
    epochMs >= start && epochMs < end ? offset : seek(epochMs);

  const toEpochMs = (localMs: number): number => {
    const before = offsetMsAt(localMs - MS_PER_DAY);
    const after = offsetMsAt(localMs + MS_PER_DAY);
    if (before === after) {
      const t = localMs - before;
      if (offsetMsAt(t) === before) return t;
    }
    // Near a transition: the candidates are the readings under each nearby offset that map back.
    const t1 = localMs - before;
    const t2 = localMs - after;
    const ok1 = offsetMsAt(t1) === before;
    const ok2 = offsetMsAt(t2) === after;
    if (ok1 && ok2) return Math.min(t1, t2);
    if (ok1) return t1;
    if (ok2) return t2;
    // A gap: keep the offset from before the transition, i.e. move forward by the gap's length.
    return t1;
  };

  const clock: WallClock = { timeZone, offsetMsAt, toEpochMs };
  if (clocks.size >= 256) clocks.clear();
  clocks.set(timeZone, clock);
  return clock;
}
