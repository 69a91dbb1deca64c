/**
 * Wall clock ↔ instant conversion. This is the only module that knows about time zones and DST;
 * everything else works on UTC epoch milliseconds and calls in here.
 *
 * Decisions (DESIGN.md invariant 9, RFC 5545): a local time inside a DST gap moves forward by the
 * length of the gap; an ambiguous local time (fall-back overlap) takes the earlier instant. That
 * is exactly Temporal's `disambiguation: 'compatible'`.
 * @module
 */
import { Temporal } from 'temporal-polyfill';

const MS_PER_MINUTE = 60_000;
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

/** `YYYY-MM-DD` → Temporal.PlainDate (throws RangeError on an impossible date). */
export function plainDate(date: string): Temporal.PlainDate {
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

/** UTC offset of `timeZone` at an instant, in minutes. */
export function offsetMinutesAt(epochMs: number, timeZone: string): number {
  return epochMsToLocal(epochMs, timeZone).offsetMinutes;
}

/**
 * The next instant after `epochMs` where `timeZone`'s offset changes, or null when there is none.
 * Engines use it to walk a window in constant-offset stretches instead of converting every minute.
 */
export function nextOffsetChange(epochMs: number, timeZone: string): number | null {
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

export const minutes = (n: number) => n * MS_PER_MINUTE;
