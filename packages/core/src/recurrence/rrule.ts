/**
 * Parser for the RFC 5545 RECUR value (`FREQ=WEEKLY;BYDAY=TU,TH;COUNT=10`), without SECONDLY and
 * BYSECOND. Syntax and the RFC's MUST NOT combinations are checked here; every problem is
 * reported as one readable message so callers can attach it to the `rrule` field.
 * @module
 */

import { clip } from '../errors/seshn-error.js';
import { epochDayFromCivil } from '../time/zone.js';

/** Frequencies, ordered from the longest period to the shortest (the order RFC 5545 implies). */
export const FREQUENCIES = ['YEARLY', 'MONTHLY', 'WEEKLY', 'DAILY', 'HOURLY', 'MINUTELY'] as const;
export type Frequency = (typeof FREQUENCIES)[number];
export const YEARLY = 0;
export const MONTHLY = 1;
export const WEEKLY = 2;
export const DAILY = 3;
export const HOURLY = 4;
export const MINUTELY = 5;

/** Two-letter RFC weekday codes indexed by ISO weekday (1 = MO … 7 = SU). */
export const WEEKDAY_CODES = ['', 'MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU'] as const;

/** One BYDAY entry: ISO weekday and ordinal (0 = every such weekday of the period). */
export interface ByDay {
  weekday: number;
  n: number;
}

/** UNTIL as written: a UTC instant, a floating local date-time, or a date (end of that local day). */
export type Until =
  | { kind: 'utc'; epochMs: number }
  | { kind: 'local'; localMs: number }
  | { kind: 'date'; epochDay: number };

export interface ParsedRule {
  /** Index into {@link FREQUENCIES}. */
  freq: number;
  interval: number;
  count: number | null;
  until: Until | null;
  byMonth: number[] | null;
  byWeekNo: number[] | null;
  byYearDay: number[] | null;
  byMonthDay: number[] | null;
  byDay: ByDay[] | null;
  byHour: number[] | null;
  byMinute: number[] | null;
  bySetPos: number[] | null;
  /** ISO weekday the week starts on (default Monday). */
  wkst: number;
}

/** Largest COUNT accepted; output is bounded by `limit` anyway, this bounds the work. */
export const MAX_COUNT = 100_000;
/** Largest INTERVAL accepted (large enough for any calendar use, small enough to stay exact). */
export const MAX_INTERVAL = 1_000_000;

class RuleError extends Error {}

const KEYS = new Set([
  'FREQ',
  'INTERVAL',
  'COUNT',
  'UNTIL',
  'BYSECOND',
  'BYMINUTE',
  'BYHOUR',
  'BYDAY',
  'BYMONTHDAY',
  'BYYEARDAY',
  'BYWEEKNO',
  'BYMONTH',
  'BYSETPOS',
  'WKST',
]);

function fail(message: string): never {
  throw new RuleError(message);
}

function intList(key: string, value: string, min: number, max: number, allowNegative: boolean): number[] {
  const out: number[] = [];
  for (const item of value.split(',')) {
    if (!/^[+-]?\d{1,3}$/.test(item)) fail(`${clip(key)}=${clip(value)}: "${clip(item)}" is not an integer`);
    const n = Number(item);
    const abs = Math.abs(n);
    if (n < 0 && !allowNegative) fail(`${clip(key)}=${clip(value)}: negative values are not allowed`);
    if (abs < min || abs > max || (allowNegative && n === 0)) {
      const range = allowNegative ? `${min}…${max} or -${max}…-${min}` : `${min}…${max}`;
      fail(`${clip(key)}=${clip(value)}: ${clip(item)} is out of range (${range})`);
    }
    if (!out.includes(n)) out.push(n);
  }
  return out;
}

function weekdayCode(code: string): number {
  const i = WEEKDAY_CODES.indexOf(code as (typeof WEEKDAY_CODES)[number]);
  return i >= 1 ? i : 0;
}

function parseUntil(value: string): Until {
  const m = /^(\d{4})(\d{2})(\d{2})(?:T(\d{2})(\d{2})(\d{2})(Z?))?$/.exec(value);
  if (!m) fail(`UNTIL=${clip(value)}: expected YYYYMMDD, YYYYMMDDTHHMMSSZ or YYYYMMDDTHHMMSS`);
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (!isRealDate(y, mo, d)) fail(`UNTIL=${clip(value)}: not a calendar date`);
  const epochDay = epochDayFromCivil(y, mo, d);
  if (m[4] === undefined) return { kind: 'date', epochDay };
  const [h, mi, s] = [Number(m[4]), Number(m[5]), Number(m[6])];
  if (h > 23 || mi > 59 || s > 59) fail(`UNTIL=${clip(value)}: not a valid time of day`);
  const ms = epochDay * 86_400_000 + ((h * 60 + mi) * 60 + s) * 1000;
  return m[7] ? { kind: 'utc', epochMs: ms } : { kind: 'local', localMs: ms };
}

/** True when y-m-d is a real proleptic Gregorian date. */
export function isRealDate(y: number, m: number, d: number): boolean {
  return m >= 1 && m <= 12 && d >= 1 && d <= daysInMonth(y, m);
}

export function isLeapYear(y: number): boolean {
  return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
}

const MONTH_DAYS = [0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
export function daysInMonth(y: number, m: number): number {
  return m === 2 && isLeapYear(y) ? 29 : MONTH_DAYS[m]!;
}

function parseRuleOrThrow(text: string): ParsedRule {
  if (typeof text !== 'string') fail('expected a string such as FREQ=WEEKLY;BYDAY=TU');
  let body = text.trim().toUpperCase();
  if (body.startsWith('RRULE:')) body = body.slice(6);
  if (body.endsWith(';')) body = body.slice(0, -1);
  if (body === '') fail('empty rule; expected e.g. FREQ=WEEKLY;BYDAY=TU');
  const parts = new Map<string, string>();
  for (const part of body.split(';')) {
    const eq = part.indexOf('=');
    if (eq <= 0) fail(`"${clip(part)}" is not a KEY=VALUE rule part`);
    const key = part.slice(0, eq);
    const value = part.slice(eq + 1);
    if (!KEYS.has(key)) fail(`unknown rule part ${clip(key)}`);
    if (parts.has(key)) fail(`${clip(key)} appears more than once`);
    if (value === '' || value.startsWith(',') || value.endsWith(',') || value.includes(',,')) {
      fail(`${clip(key)}=${clip(value)}: empty value`);
    }
    parts.set(key, value);
  }
  const freqText = parts.get('FREQ');
  if (freqText === undefined) fail('FREQ is required (YEARLY, MONTHLY, WEEKLY, DAILY, HOURLY or MINUTELY)');
  if (freqText === 'SECONDLY') fail('FREQ=SECONDLY is not supported');
  const freq = FREQUENCIES.indexOf(freqText as Frequency);
  if (freq < 0) fail(`FREQ=${clip(freqText)}: expected YEARLY, MONTHLY, WEEKLY, DAILY, HOURLY or MINUTELY`);
  if (parts.has('BYSECOND')) fail('BYSECOND is not supported (instances keep DTSTART’s seconds)');

  const positive = (key: string, max: number): number | null => {
    const v = parts.get(key);
    if (v === undefined) return null;
    if (!/^\d{1,9}$/.test(v) || Number(v) < 1) fail(`${clip(key)}=${clip(v)}: expected a positive integer`);
    if (Number(v) > max) fail(`${clip(key)}=${clip(v)}: at most ${max}`);
    return Number(v);
  };
  const interval = positive('INTERVAL', MAX_INTERVAL) ?? 1;
  const count = positive('COUNT', MAX_COUNT);
  const untilText = parts.get('UNTIL');
  if (count !== null && untilText !== undefined) fail('COUNT and UNTIL must not be used together');
  const until = untilText === undefined ? null : parseUntil(untilText);

  const list = (key: string, min: number, max: number, neg: boolean) => {
    const v = parts.get(key);
    return v === undefined ? null : intList(key, v, min, max, neg);
  };
  const byMinute = list('BYMINUTE', 0, 59, false);
  const byHour = list('BYHOUR', 0, 23, false);
  const byMonthDay = list('BYMONTHDAY', 1, 31, true);
  const byYearDay = list('BYYEARDAY', 1, 366, true);
  const byWeekNo = list('BYWEEKNO', 1, 53, true);
  const byMonth = list('BYMONTH', 1, 12, false);
  const bySetPos = list('BYSETPOS', 1, 366, true);

  let byDay: ByDay[] | null = null;
  const byDayText = parts.get('BYDAY');
  if (byDayText !== undefined) {
    byDay = [];
    for (const item of byDayText.split(',')) {
      const m = /^([+-]?)(\d{1,2})?([A-Z]{2})$/.exec(item);
      const weekday = m ? weekdayCode(m[3]!) : 0;
      if (!m || weekday === 0)
        fail(`BYDAY=${clip(byDayText)}: "${clip(item)}" is not a weekday like MO, 2TU or -1FR`);
      let n = m[2] === undefined ? 0 : Number(m[2]);
      if (m[2] !== undefined && (n < 1 || n > 53))
        fail(`BYDAY=${clip(byDayText)}: ordinal in "${clip(item)}" must be 1…53`);
      if (m[1] === '-') n = -n;
      else if (m[1] === '+' && m[2] === undefined)
        fail(`BYDAY=${clip(byDayText)}: "${clip(item)}" has a sign but no ordinal`);
      if (n !== 0 && freq !== MONTHLY && freq !== YEARLY) {
        fail(
          `BYDAY=${clip(byDayText)}: ordinals like "${clip(item)}" are only allowed with FREQ=MONTHLY or YEARLY`,
        );
      }
      if (n !== 0 && byWeekNo !== null)
        fail(`BYDAY=${clip(byDayText)}: ordinals are not allowed together with BYWEEKNO`);
      if (!byDay.some((d) => d.weekday === weekday && d.n === n)) byDay.push({ weekday, n });
    }
  }
  let wkst = 1;
  const wkstText = parts.get('WKST');
  if (wkstText !== undefined) {
    wkst = weekdayCode(wkstText);
    if (wkst === 0) fail(`WKST=${clip(wkstText)}: expected MO, TU, WE, TH, FR, SA or SU`);
  }

  // RFC 5545 §3.3.10 combinations that MUST NOT be used.
  if (byMonthDay && freq === WEEKLY) fail('BYMONTHDAY must not be used with FREQ=WEEKLY');
  if (byYearDay && (freq === DAILY || freq === WEEKLY || freq === MONTHLY)) {
    fail(`BYYEARDAY must not be used with FREQ=${FREQUENCIES[freq]}`);
  }
  if (byWeekNo && freq !== YEARLY) fail('BYWEEKNO is only allowed with FREQ=YEARLY');
  if (bySetPos && !(byMonth || byWeekNo || byYearDay || byMonthDay || byDay || byHour || byMinute)) {
    fail('BYSETPOS must be used together with another BYxxx rule part');
  }
  return {
    freq,
    interval,
    count,
    until,
    byMonth,
    byWeekNo,
    byYearDay,
    byMonthDay,
    byDay,
    byHour,
    byMinute,
    bySetPos,
    wkst,
  };
}

/**
 * Parses an RFC 5545 RECUR value (with or without a leading `RRULE:`; keys case-insensitive).
 * Returns the rule, or a message naming the offending part.
 * @example parseRrule('RRULE:FREQ=MONTHLY;BYDAY=-1FR') // { ok: true, rule: { freq: 1, byDay: [{ weekday: 5, n: -1 }], … } }
 */
export function parseRrule(text: string): { ok: true; rule: ParsedRule } | { ok: false; message: string } {
  try {
    return { ok: true, rule: parseRuleOrThrow(text) };
  } catch (e) {
    if (e instanceof RuleError) return { ok: false, message: e.message };
    throw e;
  }
}
