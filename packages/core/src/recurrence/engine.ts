/**
 * The recurrence engine: expands a parsed RFC 5545 rule period by period. Candidate sets are built
 * on plain integers in local wall-clock time ("local ms": the wall reading written as if it were
 * UTC epoch ms, and day numbers since 1970-01-01); each surviving candidate is converted to an
 * instant exactly once, through the zone's cached offset stretches. That is what keeps wall time
 * across DST and keeps the inner loops free of Temporal objects.
 *
 * Candidate selection follows RFC 5545 §3.3.10 the way python-dateutil (and rrule.js) read it:
 * within one period (year, month, week, day, hour, minute) the BYxxx parts intersect; BYDAY
 * ordinals count within the month when FREQ=MONTHLY or BYMONTH is given, else within the year;
 * BYSETPOS then picks from the period's sorted candidates.
 * @module
 */
import { civilFromEpochDay, epochDayFromCivil, type WallClock } from '../time/zone.js';
import {
  DAILY,
  daysInMonth,
  HOURLY,
  isLeapYear,
  MINUTELY,
  MONTHLY,
  type ParsedRule,
  WEEKLY,
  YEARLY,
} from './rrule.js';

const DAY = 86_400_000;
const HOUR = 3_600_000;
const MINUTE = 60_000;
/**
 * An instant is never earlier than its local reading minus the largest UTC offset (+14 h today;
 * 26 h leaves room for historical local mean time). Used to decide when nothing later can still
 * land inside a bound.
 */
const MARGIN = 26 * HOUR;
/** Generation stops after 9999-12-31 (four-digit years on the wire). */
const MAX_LOCAL = epochDayFromCivil(10000, 1, 1) * DAY;
/**
 * A rule that produces nothing for this many consecutive periods never will: the Gregorian
 * calendar repeats every 400 years (4800 months, 20871 weeks, 146097 days), and a period index
 * stepping by INTERVAL revisits every residue it ever reaches within that many steps. Sub-daily
 * rules skip whole non-matching days and hours; they end when no reachable time of day can match,
 * or after 400 years of wall time without an instance (a heuristic only for steps that do not
 * divide the 400-year cycle, where the first instance could in theory come later).
 */
const MAX_EMPTY_PERIODS = [400, 4800, 20871, 146097] as const;
/** Sub-daily rules: nothing for 400 years of wall time is treated as exhausted (see below). */
const MAX_BARREN_SPAN = 146097 * DAY;
/** After this many barren periods, check once whether any date can pass the day-level parts. */
const SUSPICIOUS_EMPTY = 2000;

/** DTSTART's written wall-clock fields. */
export interface LocalDateTime {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

export interface EngineInput {
  rule: ParsedRule;
  dtstart: LocalDateTime;
  clock: WallClock;
  /** Inclusive upper bound from UNTIL, already resolved to an instant; null when absent. */
  untilMs: number | null;
  /** Excluded instants (EXDATE). */
  exdates: ReadonlySet<number>;
  /** Window of instants to return: `[fromMs, toMs)`. */
  fromMs: number;
  toMs: number;
  /** At most this many instants are returned (the earliest ones in the window). */
  limit: number;
}

/** ISO weekday (1 = Monday … 7 = Sunday) of a day number; day 0 (1970-01-01) was a Thursday. */
const weekdayOf = (dn: number) => ((((dn + 3) % 7) + 7) % 7) + 1;

const mask = (values: readonly number[] | null, size: number, sign: 1 | -1): Uint8Array | null => {
  if (!values) return null;
  const m = new Uint8Array(size);
  for (const v of values) if (sign === 1 ? v >= 0 : v < 0) m[Math.abs(v)] = 1;
  return m;
};

function insertSorted(arr: number[], value: number): boolean {
  const n = arr.length;
  if (n === 0 || value > arr[n - 1]!) {
    arr.push(value);
    return true;
  }
  let lo = 0;
  let hi = n;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (arr[mid]! < value) lo = mid + 1;
    else hi = mid;
  }
  if (arr[lo] === value) return false;
  arr.splice(lo, 0, value);
  return true;
}

/** Expands a validated rule to sorted epoch-ms instants. */
export function runEngine(input: EngineInput): number[] {
  const { rule, dtstart: dt, clock, untilMs, exdates, fromMs, toMs, limit } = input;
  const freq = rule.freq;
  const dtDay = epochDayFromCivil(dt.year, dt.month, dt.day);
  const dtLocal = dtDay * DAY + ((dt.hour * 60 + dt.minute) * 60 + dt.second) * 1000;
  const secondMs = dt.second * 1000;

  // RFC 5545: parts that are absent take their value from DTSTART.
  let { byMonth, byMonthDay, byDay } = rule;
  if (!rule.byWeekNo && !rule.byYearDay && !byMonthDay && !byDay) {
    if (freq === YEARLY) {
      byMonth ??= [dt.month];
      byMonthDay = [dt.day];
    } else if (freq === MONTHLY) byMonthDay = [dt.day];
    else if (freq === WEEKLY) byDay = [{ weekday: weekdayOf(dtDay), n: 0 }];
  }
  const monthMask = mask(byMonth, 13, 1);
  const mdPos = mask(byMonthDay, 32, 1);
  const mdNeg = mask(byMonthDay, 32, -1);
  const ydPos = mask(rule.byYearDay, 367, 1);
  const ydNeg = mask(rule.byYearDay, 367, -1);
  const wdPlain = byDay ? new Uint8Array(8) : null;
  const nth: { weekday: number; n: number }[] = [];
  for (const d of byDay ?? []) {
    if (d.n === 0) wdPlain![d.weekday] = 1;
    else nth.push(d);
  }
  const weekNos = rule.byWeekNo;
  const hourMask = mask(rule.byHour, 24, 1);
  const minuteMask = mask(rule.byMinute, 60, 1);
  const hours = [...(rule.byHour ?? [dt.hour])].sort((a, b) => a - b);
  const minutes = [...(rule.byMinute ?? [dt.minute])].sort((a, b) => a - b);
  // Times of day for FREQ ≥ DAILY periods, ascending.
  const times: number[] = [];
  for (const h of hours) for (const m of minutes) times.push(h * HOUR + m * MINUTE + secondMs);
  const setPos = rule.bySetPos;

  // ---- output state ----
  const out: number[] = [];
  // Every instant produced so far in a recent window, sorted: duplicates (two readings resolving
  // to one instant around a gap) collapse and do not count.
  let seen: number[] = [];
  let seenHead = 0;
  let produced = 0;
  let done = false;
  const count = rule.count;

  const emit = (local: number) => {
    const t = clock.toEpochMs(local);
    if (untilMs !== null && t > untilMs) return;
    if (seen.length > seenHead && t <= seen[seen.length - 1]!) {
      // Only readings in or just after a gap come out of order; search the recent tail.
      let lo = seenHead;
      let hi = seen.length;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (seen[mid]! < t) lo = mid + 1;
        else hi = mid;
      }
      if (seen[lo] === t) return;
      seen.splice(lo, 0, t);
    } else seen.push(t);
    // Readings more than a few days back cannot collide with new ones (gaps are < 2 days).
    while (seen[seenHead]! < t - 3 * DAY) seenHead++;
    if (seenHead > 4096 && seenHead * 2 > seen.length) {
      seen = seen.slice(seenHead);
      seenHead = 0;
    }
    produced++;
    if (t >= fromMs && t < toMs && !exdates.has(t)) {
      insertSorted(out, t);
      if (out.length > limit) out.length = limit;
    }
    if (count !== null && produced >= count) done = true;
  };

  // DTSTART is always the first instance (RFC 5545), matching the rule or not.
  emit(dtLocal);

  // ---- per-period scratch ----
  const cand: number[] = [];
  const days: number[] = [];
  const nthMask = new Uint8Array(367);
  let nthBase = 0;
  let nthLen = 0;

  const markNth = (startDn: number, endDn: number) => {
    nthBase = startDn;
    nthLen = endDn - startDn + 1;
    nthMask.fill(0, 0, nthLen);
    const wdStart = weekdayOf(startDn);
    const wdEnd = weekdayOf(endDn);
    for (const { weekday, n } of nth) {
      const dn =
        n > 0
          ? startDn + ((weekday - wdStart + 7) % 7) + 7 * (n - 1)
          : endDn - ((wdEnd - weekday + 7) % 7) - 7 * (-n - 1);
      if (dn >= startDn && dn <= endDn) nthMask[dn - startDn] = 1;
    }
  };

  // Week-numbering (BYWEEKNO): week 1 is the first week, starting on WKST, with ≥ 4 days in the year.
  const week1Cache = new Map<number, number>();
  const week1Start = (y: number): number => {
    let w = week1Cache.get(y);
    if (w === undefined) {
      const jan1 = epochDayFromCivil(y, 1, 1);
      const toWkst = (rule.wkst - weekdayOf(jan1) + 7) % 7;
      w = toWkst >= 4 ? jan1 + toWkst - 7 : jan1 + toWkst;
      week1Cache.set(y, w);
    }
    return w;
  };
  const weekNoMatches = (dn: number, y: number): boolean => {
    let wy = y;
    if (dn < week1Start(y)) wy = y - 1;
    else if (dn >= week1Start(y + 1)) wy = y + 1;
    const start = week1Start(wy);
    const weeks = (week1Start(wy + 1) - start) / 7;
    const no = Math.floor((dn - start) / 7) + 1;
    for (const w of weekNos!) if (w === no || weeks + w + 1 === no) return true;
    return false;
  };

  /** Days of month `m` of year `y` (day numbers, ascending) passing every day-level part. */
  const collectMonth = (y: number, m: number, nthPerMonth: boolean, yearStartDn: number, yearLen: number) => {
    const mlen = daysInMonth(y, m);
    const first = epochDayFromCivil(y, m, 1);
    if (nthPerMonth) markNth(first, first + mlen - 1);
    let wd = weekdayOf(first);
    for (let d = 1; d <= mlen; d++, wd = wd === 7 ? 1 : wd + 1) {
      const dn = first + d - 1;
      if (mdPos && !(mdPos[d] || mdNeg![mlen - d + 1])) continue;
      if (ydPos) {
        const doy = dn - yearStartDn + 1;
        if (!(ydPos[doy] || ydNeg![yearLen - doy + 1])) continue;
      }
      if (weekNos && !weekNoMatches(dn, y)) continue;
      if (wdPlain && !(wdPlain[wd] || (nth.length > 0 && nthMask[dn - nthBase]))) continue;
      days.push(dn);
    }
  };

  // One-entry civil-date cache: consecutive lookups within a month cost an addition.
  let cDn = Number.NaN;
  let cY = 0;
  let cM = 0;
  let cD = 0;
  let cMlen = 0;
  const civil = (dn: number) => {
    const delta = dn - cDn;
    if (delta >= 0 && cD + delta <= cMlen) {
      cD += delta;
      cDn = dn;
      return;
    }
    const c = civilFromEpochDay(dn);
    cDn = dn;
    cY = Math.floor(c / 10000);
    cM = Math.floor(c / 100) % 100;
    cD = c % 100;
    cMlen = daysInMonth(cY, cM);
  };

  /** Day-level parts for one day in DAILY, WEEKLY and sub-daily periods (no ordinals there). */
  const dayMatches = (dn: number): boolean => {
    if (wdPlain && !wdPlain[weekdayOf(dn)]) return false;
    if (!monthMask && !mdPos && !ydPos) return true;
    civil(dn);
    if (monthMask && !monthMask[cM]) return false;
    if (mdPos && !(mdPos[cD] || mdNeg![cMlen - cD + 1])) return false;
    if (ydPos) {
      const ylen = isLeapYear(cY) ? 366 : 365;
      const doy = dn - epochDayFromCivil(cY, 1, 1) + 1;
      if (!(ydPos[doy] || ydNeg![ylen - doy + 1])) return false;
    }
    return true;
  };

  /**
   * Whether any date at all passes {@link dayMatches}. 2000–2027 holds every kind of year (each
   * weekday for Jan 1, leap or not), so this is exact; asked only once a rule has been barren for
   * a while, it ends impossible rules (`BYMONTH=4;BYMONTHDAY=31`) without walking 400 years.
   */
  const anyDayMatches = (): boolean => {
    const end = epochDayFromCivil(2028, 1, 1);
    for (let dn = epochDayFromCivil(2000, 1, 1); dn < end; dn++) if (dayMatches(dn)) return true;
    return false;
  };

  /**
   * Sub-daily rules visit times of day `start + k·gcd(step, day)` only; if none of them passes
   * BYHOUR/BYMINUTE the rule can never produce anything.
   */
  const anyTimeReachable = (): boolean => {
    const perDay = freq === HOURLY ? 24 : 1440;
    const gcd = (a: number, b: number): number => (b === 0 ? a : gcd(b, a % b));
    const g = gcd(step % perDay, perDay);
    const start = (((p % perDay) + perDay) % perDay) % g;
    for (let t = start; t < perDay; t += g) {
      const h = freq === HOURLY ? t : Math.floor(t / 60);
      if (hourMask && !hourMask[h]) continue;
      if (freq === MINUTELY && minuteMask && !minuteMask[t % 60]) continue;
      return true;
    }
    return false;
  };

  const finishPeriod = (): boolean => {
    let list = cand;
    if (setPos && cand.length > 0) {
      const n = cand.length;
      const picked: number[] = [];
      for (const p of setPos) {
        const i = p > 0 ? p - 1 : n + p;
        if (i >= 0 && i < n) insertSorted(picked, cand[i]!);
      }
      list = picked;
    }
    for (const local of list) {
      if (local <= dtLocal) continue; // before DTSTART, or DTSTART itself (already emitted)
      if (local >= MAX_LOCAL) {
        done = true;
        break;
      }
      emit(local);
      if (done) break;
    }
    return list.length > 0;
  };

  // ---- period walk ----
  const unit = [1, 1, 7, 1, 1, 1][freq]!;
  const step = rule.interval * unit;
  let p: number; // year | month index (y*12+m-1) | week-start day | day | hour | minute
  if (freq === YEARLY) p = dt.year;
  else if (freq === MONTHLY) p = dt.year * 12 + dt.month - 1;
  else if (freq === WEEKLY) p = dtDay - ((weekdayOf(dtDay) - rule.wkst + 7) % 7);
  else if (freq === DAILY) p = dtDay;
  else if (freq === HOURLY) p = dtDay * 24 + dt.hour;
  else p = (dtDay * 24 + dt.hour) * 60 + dt.minute;

  const periodIndexOfLocal = (local: number): number => {
    const dn = Math.floor(local / DAY);
    if (freq === YEARLY || freq === MONTHLY) {
      const c = civilFromEpochDay(dn);
      const y = Math.floor(c / 10000);
      return freq === YEARLY ? y : y * 12 + (Math.floor(c / 100) % 100) - 1;
    }
    if (freq === HOURLY) return Math.floor(local / HOUR);
    if (freq === MINUTELY) return Math.floor(local / MINUTE);
    return dn;
  };
  // Without COUNT, periods wholly before the window cannot matter: jump close to it.
  if (count === null && Number.isFinite(fromMs) && fromMs - 2 * MARGIN > dtLocal) {
    const skip = Math.floor((periodIndexOfLocal(Math.min(fromMs - 2 * MARGIN, MAX_LOCAL)) - p) / step) - 1;
    if (skip > 0) p += skip * step;
  }

  const periodStart = (): number => {
    switch (freq) {
      case YEARLY:
        return epochDayFromCivil(p, 1, 1) * DAY;
      case MONTHLY:
        return epochDayFromCivil(Math.floor(p / 12), (p % 12) + 1, 1) * DAY;
      case HOURLY:
        return p * HOUR;
      case MINUTELY:
        return p * MINUTE;
      default:
        return p * DAY;
    }
  };

  const maxEmpty = freq <= DAILY ? MAX_EMPTY_PERIODS[freq]! : Number.POSITIVE_INFINITY;
  let empty = 0;
  let lastProductive = dtLocal;
  let lastDn = Number.NaN;
  let lastDayOk = false;
  if (freq > DAILY && !anyTimeReachable()) done = true;
  while (!done) {
    const startLocal = periodStart();
    if (startLocal >= MAX_LOCAL) break;
    const lowest = startLocal - MARGIN;
    if (lowest >= toMs) break;
    if (untilMs !== null && lowest > untilMs) break;
    if (out.length >= limit && lowest > out[limit - 1]!) break;
    if (empty === SUSPICIOUS_EMPTY && freq >= WEEKLY && !anyDayMatches()) break;
    cand.length = 0;

    if (freq <= DAILY) {
      days.length = 0;
      if (freq === YEARLY) {
        const yearStart = epochDayFromCivil(p, 1, 1);
        const yearLen = isLeapYear(p) ? 366 : 365;
        const perMonth = nth.length > 0 && monthMask !== null;
        if (nth.length > 0 && !perMonth) markNth(yearStart, yearStart + yearLen - 1);
        for (let m = 1; m <= 12; m++) {
          if (monthMask && !monthMask[m]) continue;
          collectMonth(p, m, perMonth, yearStart, yearLen);
        }
      } else if (freq === MONTHLY) {
        const y = Math.floor(p / 12);
        const m = (p % 12) + 1;
        if (!monthMask || monthMask[m]) collectMonth(y, m, nth.length > 0, 0, 0);
      } else if (freq === WEEKLY) {
        for (let dn = p; dn < p + 7; dn++) if (dayMatches(dn)) days.push(dn);
      } else if (dayMatches(p)) days.push(p);
      for (const dn of days) for (const t of times) cand.push(dn * DAY + t);
      p += step;
    } else {
      if (startLocal - lastProductive > MAX_BARREN_SPAN) break;
      // HOURLY / MINUTELY: skip whole days and hours that cannot match in one jump.
      const perDay = freq === HOURLY ? 24 : 1440;
      const dn = Math.floor(p / perDay);
      if (dn !== lastDn) {
        lastDn = dn;
        lastDayOk = dayMatches(dn);
      }
      if (!lastDayOk) {
        p += Math.ceil(((dn + 1) * perDay - p) / step) * step;
        empty++;
        continue;
      }
      if (freq === HOURLY) {
        const h = p - dn * 24;
        if (!hourMask || hourMask[h]) for (const m of minutes) cand.push(p * HOUR + m * MINUTE + secondMs);
      } else {
        const minuteOfDay = p - dn * 1440;
        const h = Math.floor(minuteOfDay / 60);
        if (hourMask && !hourMask[h]) {
          p += Math.ceil(((dn * 24 + h + 1) * 60 - p) / step) * step;
          empty++;
          continue;
        }
        if (!minuteMask || minuteMask[minuteOfDay % 60]) cand.push(p * MINUTE + secondMs);
      }
      p += step;
    }
    if (finishPeriod()) {
      empty = 0;
      lastProductive = startLocal;
    } else if (++empty > maxEmpty) break;
  }
  return out;
}
