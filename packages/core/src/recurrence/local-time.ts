/**
 * Strict readers for the date-time texts recurrence accepts: local `YYYY-MM-DDTHH:mm[:ss]`
 * (DTSTART, local EXDATEs) and ISO 8601 instants with an offset or `Z` (EXDATEs, windows).
 * Pure arithmetic — no `Date` parsing quirks, years 0001–9999 only.
 * @module
 */
import { epochDayFromCivil } from '../time/zone.js';
import type { LocalDateTime } from './engine.js';
import { isRealDate } from './rrule.js';

const LOCAL_RE = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/;
const INSTANT_RE =
  /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(?:(Z)|([+-])(\d{2}):(\d{2}))$/;

/** `YYYY-MM-DDTHH:mm[:ss]` → its fields, or null when malformed or not a real date/time. */
export function parseLocalDateTime(text: unknown): LocalDateTime | null {
  if (typeof text !== 'string') return null;
  const m = LOCAL_RE.exec(text);
  if (!m) return null;
  const f: LocalDateTime = {
    year: Number(m[1]),
    month: Number(m[2]),
    day: Number(m[3]),
    hour: Number(m[4]),
    minute: Number(m[5]),
    second: m[6] === undefined ? 0 : Number(m[6]),
  };
  if (f.year < 1 || !isRealDate(f.year, f.month, f.day)) return null;
  if (f.hour > 23 || f.minute > 59 || f.second > 59) return null;
  return f;
}

/** Local fields → local ms (the wall reading written as if it were UTC epoch ms). */
export function localFieldsToLocalMs(f: LocalDateTime): number {
  return (
    epochDayFromCivil(f.year, f.month, f.day) * 86_400_000 + ((f.hour * 60 + f.minute) * 60 + f.second) * 1000
  );
}

/** ISO 8601 instant with `Z` or `±HH:MM` → epoch ms, or null. Fractions beyond ms are truncated. */
export function parseInstant(text: unknown): number | null {
  if (typeof text !== 'string') return null;
  const m = INSTANT_RE.exec(text);
  if (!m) return null;
  const local = parseLocalDateTime(`${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6] ?? '00'}`);
  if (!local) return null;
  let ms = localFieldsToLocalMs(local) + (m[7] ? Number(m[7].padEnd(3, '0').slice(0, 3)) : 0);
  if (!m[8]) {
    const oh = Number(m[10]);
    const om = Number(m[11]);
    if (oh > 23 || om > 59) return null;
    ms -= (m[9] === '-' ? -1 : 1) * (oh * 60 + om) * 60_000;
  }
  return ms;
}
