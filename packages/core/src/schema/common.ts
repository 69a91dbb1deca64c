/**
 * Zod schemas shared by every entity: ids, money, dates, wall times, time zones, pagination.
 * These are the single source of the wire shapes (core, HTTP, OpenAPI, SDK, MCP).
 * @module
 */
import { z } from 'zod';
import { clip, SeshnError } from '../errors/seshn-error.js';
import { canonicalTimeZone, isValidDate, parseWallTime } from '../time/zone.js';

/**
 * An IANA time-zone name, matched case-insensitively and returned as the IANA database spells it
 * (`europe/london` → `Europe/London`). Aliases stay the name given (`Asia/Calcutta`, `Etc/UTC`,
 * `UTC` are kept, not resolved to another zone); offsets such as `+01:00` are not zones.
 */
export const TimeZoneSchema = z
  .string({ error: 'Expected an IANA time zone name, e.g. Europe/London' })
  .transform((name, ctx) => {
    const canonical = canonicalTimeZone(name);
    if (canonical !== null) return canonical;
    ctx.addIssue({
      code: 'custom',
      message: 'Unknown IANA time zone: expected a name such as Europe/London or America/New_York',
    });
    return z.NEVER;
  })
  .meta({ id: 'TimeZone', description: 'IANA time zone name, e.g. Europe/London' });

export const DateSchema = z
  .string()
  .refine(isValidDate, { message: 'Expected a calendar date YYYY-MM-DD' })
  .meta({ id: 'CalendarDate', examples: ['2026-03-15'] });

/** `HH:mm`, 00:00–23:59. */
export const WallTimeSchema = z
  .string()
  .refine((s) => parseWallTime(s) !== null, { message: 'Expected a wall time HH:mm (00:00–23:59)' })
  .meta({ id: 'WallTime', examples: ['09:00'] });

/** `HH:mm` or `24:00` (end of an opening interval). */
export const WallTimeEndSchema = z
  .string()
  .refine((s) => parseWallTime(s, true) !== null, { message: 'Expected a wall time HH:mm or 24:00' })
  .meta({ examples: ['17:00'] });

/** What an instant looks like on the wire, as error messages say it. */
export const INSTANT_FORMAT =
  'an ISO 8601 instant with Z or an offset, e.g. 2026-03-15T09:00:00Z or 2026-03-15T10:00:00+01:00';
/** Instants Seshn accepts: 1970-01-01T00:00:00Z up to 9999-12-31T23:59:59.999Z. */
const MAX_INSTANT_MS = Date.UTC(9999, 11, 31, 23, 59, 59, 999);
const INSTANT_RE =
  /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(?:Z|([+-])(\d{2}):(\d{2}))$/;

const daysInMonth = (year: number, month: number) =>
  month === 2
    ? year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0)
      ? 29
      : 28
    : [4, 6, 9, 11].includes(month)
      ? 30
      : 31;

/**
 * Reads an instant: a valid `Date`, or an ISO 8601 string with `Z` or an offset naming a date and
 * time that exist (no Feb 30, no 24:00, no 25:61, offsets up to ±23:59). Never rolls over.
 * Returns the epoch milliseconds, or a message saying what is wrong.
 */
export function readInstant(value: unknown): { ok: true; ms: number } | { ok: false; message: string } {
  const fail = (why: string) => ({ ok: false as const, message: `${why}: expected ${INSTANT_FORMAT}` });
  let ms: number;
  if (value instanceof Date) {
    ms = value.getTime();
    if (Number.isNaN(ms)) return fail('Invalid Date');
  } else if (typeof value === 'string') {
    const m = INSTANT_RE.exec(value);
    if (!m) return fail(value.trim() === '' ? 'Empty instant' : 'Not an instant');
    const [year, month, day, hour, minute, second] = [1, 2, 3, 4, 5, 6].map((i) => Number(m[i] ?? 0)) as [
      number,
      number,
      number,
      number,
      number,
      number,
    ];
    const date = `${m[1]}-${m[2]}-${m[3]}`;
    if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) {
      return fail(`${date} is not a date that exists`);
    }
    if (hour > 23 || minute > 59 || second > 59) {
      return fail(`${m[4]}:${m[5]}${m[6] ? `:${m[6]}` : ''} is not a time of day (00:00–23:59:59)`);
    }
    let offsetMinutes = 0;
    if (m[8]) {
      const oh = Number(m[9]);
      const om = Number(m[10]);
      if (oh > 23 || om > 59) return fail(`${m[8]}${m[9]}:${m[10]} is not a UTC offset (−23:59 to +23:59)`);
      offsetMinutes = (m[8] === '-' ? -1 : 1) * (oh * 60 + om);
    }
    const millis = m[7] ? Number(m[7].slice(0, 3).padEnd(3, '0')) : 0;
    const d = new Date(Date.UTC(2000, month - 1, day, hour, minute, second, millis));
    d.setUTCFullYear(year, month - 1, day);
    ms = d.getTime() - offsetMinutes * 60_000;
  } else {
    return fail(value === undefined ? 'Required' : 'Expected a string or a Date');
  }
  if (ms < 0 || ms > MAX_INSTANT_MS) return fail('Out of range (1970-01-01 to 9999-12-31)');
  return { ok: true, ms };
}

/** An instant on the wire: ISO 8601 with an offset or `Z` (or a `Date`); parsed to a Date. */
export const InstantSchema = z
  .custom<string | Date>((v) => typeof v === 'string' || v instanceof Date, {
    error: (issue) => (readInstant(issue.input) as { message?: string }).message,
  })
  .transform((value, ctx) => {
    const read = readInstant(value);
    if (read.ok) return new Date(read.ms);
    ctx.addIssue({ code: 'custom', message: read.message });
    return z.NEVER;
  })
  .meta({ id: 'Instant', description: INSTANT_FORMAT });

const CALENDAR_DATE_RE = /^\d{4}-\d{2}-\d{2}$/;

/**
 * A window bound: a calendar date `YYYY-MM-DD` (read in a time zone by the caller) or an instant.
 * A string of the date shape is a date; anything else must be an instant.
 */
export const DateOrInstantSchema = z
  .custom<string | Date>((v) => typeof v === 'string' || v instanceof Date, {
    error: `Expected a date YYYY-MM-DD or ${INSTANT_FORMAT}`,
  })
  .transform((value, ctx): string | Date => {
    if (typeof value === 'string' && CALENDAR_DATE_RE.test(value)) {
      if (isValidDate(value)) return value;
      ctx.addIssue({ code: 'custom', message: `${value} is not a date that exists (expected YYYY-MM-DD)` });
      return z.NEVER;
    }
    const read = readInstant(value);
    if (read.ok) return new Date(read.ms);
    ctx.addIssue({ code: 'custom', message: `${read.message}, or a date YYYY-MM-DD` });
    return z.NEVER;
  })
  .meta({ id: 'DateOrInstant', description: `A calendar date YYYY-MM-DD, or ${INSTANT_FORMAT}` });

export const CurrencySchema = z
  .string()
  .regex(/^[a-z]{3}$/, { message: 'Expected a lowercase ISO 4217 currency code, e.g. usd' })
  .meta({ examples: ['usd'] });

/** Integer minor units (cents), never negative. */
export const AmountSchema = z
  .number()
  .int({ message: 'Money is integer minor units' })
  .min(0)
  .max(Number.MAX_SAFE_INTEGER);

export const MoneySchema = z
  .object({ amount: AmountSchema, currency: CurrencySchema })
  .meta({ id: 'Money', description: 'Integer minor units with an ISO 4217 currency' });
export type Money = z.infer<typeof MoneySchema>;

/** Seats of one booking or slot request. */
export const SeatsSchema = z.number().int().min(1).max(10_000);

/** The longest booking there is: 31 days. */
export const MAX_DURATION_MINUTES = 60 * 24 * 31;
/** A length in whole minutes (a booking, a slot, a minimum free window). */
export const DurationMinutesSchema = z.number().int().positive().max(MAX_DURATION_MINUTES);

/** Bounds of `metadata` on every entity (docs/input-contract.md, "Metadata"). */
export const METADATA_LIMITS = {
  /** Keys per object. */
  maxKeys: 50,
  /** Characters per key. */
  maxKeyLength: 40,
  /** Characters per string value, at any depth. */
  maxStringLength: 500,
  /** Characters of JSON of one nested value (an object or an array). */
  maxNestedJsonLength: 2000,
  /** Levels of nesting below a key. */
  maxDepth: 5,
} as const;

const isPlainObject = (v: unknown): v is Record<string, unknown> => {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return false;
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
};

/** Why `value` is not a JSON value within the limits, or null. */
function jsonValueProblem(value: unknown, depth: number, stack: unknown[]): string | null {
  switch (typeof value) {
    case 'string':
      return value.length > METADATA_LIMITS.maxStringLength
        ? `Strings are at most ${METADATA_LIMITS.maxStringLength} characters`
        : null;
    case 'number':
      return Number.isFinite(value) ? null : 'Numbers must be finite (NaN and Infinity are not JSON)';
    case 'boolean':
      return null;
    case 'bigint':
      return 'A BigInt is not a JSON value: use a number or a string';
    case 'function':
      return 'A function is not a JSON value';
    case 'symbol':
      return 'A symbol is not a JSON value';
    case 'undefined':
      return 'undefined is not a JSON value: use null, or leave the key out';
  }
  if (value === null) return null;
  if (value instanceof Date) return 'A Date is not a JSON value: store date.toISOString()';
  if (stack.includes(value)) return 'The value contains a cycle';
  if (depth >= METADATA_LIMITS.maxDepth) return `Values nest at most ${METADATA_LIMITS.maxDepth} levels`;
  const inner = [...stack, value];
  if (Array.isArray(value)) {
    for (const item of value) {
      const problem = jsonValueProblem(item, depth + 1, inner);
      if (problem) return problem;
    }
    return null;
  }
  if (!isPlainObject(value)) {
    return 'Only strings, finite numbers, booleans, null, arrays and plain objects are JSON values';
  }
  const keys = Object.keys(value);
  if (keys.length > METADATA_LIMITS.maxKeys) return `Objects have at most ${METADATA_LIMITS.maxKeys} keys`;
  for (const key of keys) {
    if (key.length > METADATA_LIMITS.maxKeyLength) {
      return `Keys are at most ${METADATA_LIMITS.maxKeyLength} characters`;
    }
    const problem = jsonValueProblem(value[key], depth + 1, inner);
    if (problem) return problem;
  }
  return null;
}

type MetadataIssue = { path: string[]; message: string };

/**
 * Checks a metadata object and drops the keys whose value is `undefined` (not given), `null` or
 * `''` (in an update these remove the key; elsewhere they mean "no value"). With `patch`, those
 * keys are kept as `null` (= remove).
 */
function readMetadata(
  value: unknown,
  patch: boolean,
): { ok: true; value: Record<string, unknown> } | { ok: false; issues: MetadataIssue[] } {
  if (!isPlainObject(value)) {
    return { ok: false, issues: [{ path: [], message: 'Expected an object of keys to JSON values' }] };
  }
  const issues: MetadataIssue[] = [];
  const out: Record<string, unknown> = {};
  const keys = Object.keys(value);
  if (keys.length > METADATA_LIMITS.maxKeys) {
    issues.push({ path: [], message: `At most ${METADATA_LIMITS.maxKeys} keys (got ${keys.length})` });
  }
  for (const key of keys) {
    const v = value[key];
    if (key.length === 0 || key.length > METADATA_LIMITS.maxKeyLength) {
      issues.push({
        path: [],
        message: `Keys are 1 to ${METADATA_LIMITS.maxKeyLength} characters (got "${clip(key, 20)}")`,
      });
      continue;
    }
    if (v === undefined) continue;
    if (v === null || v === '') {
      if (patch) out[key] = null;
      continue;
    }
    const problem = jsonValueProblem(v, 0, [value]);
    if (problem) {
      issues.push({ path: [key], message: problem });
      continue;
    }
    if (typeof v === 'object' && JSON.stringify(v).length > METADATA_LIMITS.maxNestedJsonLength) {
      issues.push({
        path: [key],
        message: `A nested value is at most ${METADATA_LIMITS.maxNestedJsonLength} characters of JSON`,
      });
      continue;
    }
    out[key] = v;
  }
  return issues.length > 0 ? { ok: false, issues } : { ok: true, value: out };
}

const metadataSchema = (patch: boolean) =>
  z.unknown().transform((value, ctx) => {
    const read = readMetadata(value, patch);
    if (read.ok) return read.value;
    for (const issue of read.issues) ctx.addIssue({ code: 'custom', ...issue });
    return z.NEVER;
  }) as unknown as z.ZodType<Record<string, unknown>, Record<string, unknown>>;

/**
 * `metadata` of a new entity: up to 50 keys of at most 40 characters, each a JSON value (strings
 * up to 500 characters; a nested object or array up to 2000 characters of JSON, 5 levels deep).
 * Keys with `null`, `''` or `undefined` are left out.
 */
export const MetadataSchema = metadataSchema(false).default({});

/**
 * `metadata` of an update, merged key by key onto the stored metadata (as Stripe does): a key
 * with `null` or `''` is removed, other keys are set; `metadata: null` removes every key.
 */
export const MetadataPatchSchema = (
  metadataSchema(true) as unknown as z.ZodType<Record<string, unknown | null>, Record<string, unknown>>
).nullable();

/** Applies a {@link MetadataPatchSchema} value; the result must still have at most 50 keys. */
export function mergeMetadata(
  current: Record<string, unknown>,
  patch: Record<string, unknown> | null | undefined,
): Record<string, unknown> {
  if (patch === undefined) return current;
  if (patch === null) return {};
  const next: Record<string, unknown> = { ...current };
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete next[key];
    else next[key] = value;
  }
  const count = Object.keys(next).length;
  if (count > METADATA_LIMITS.maxKeys) {
    throw SeshnError.validation([
      {
        path: 'metadata',
        message: `At most ${METADATA_LIMITS.maxKeys} keys after the update (it would have ${count})`,
      },
    ]);
  }
  return next;
}

/** The id prefix of each collection (TypeIDs: `rsc_01j…`); see `ports/ids.ts`. */
export const ID_PREFIXES = {
  resource: 'rsc',
  service: 'svc',
  allocation: 'alc',
  contact: 'ct',
  booking: 'bkg',
  series: 'bks',
  event: 'evt',
  waitlistEntry: 'wl',
} as const;
export type IdKind = keyof typeof ID_PREFIXES;
/** Longest id accepted in an input. Ids Seshn makes are shorter (stored ids are ≤ 64 characters). */
export const MAX_ID_LENGTH = 100;
/** After the prefix and `_`: letters, digits, `_` and `-`. */
const ID_BODY_RE = /^[A-Za-z0-9_-]+$/;

/** True when `id` is a well-formed id of `kind`: `<prefix>_<letters, digits, _ or ->`, ≤ 100 characters. */
export function isIdOf(kind: IdKind, id: unknown, maxLength: number = MAX_ID_LENGTH): id is string {
  const prefix = `${ID_PREFIXES[kind]}_`;
  return (
    typeof id === 'string' &&
    id.length <= maxLength &&
    id.startsWith(prefix) &&
    ID_BODY_RE.test(id.slice(prefix.length))
  );
}

const idLabel = (kind: IdKind) =>
  kind === 'series' ? 'booking series' : kind === 'waitlistEntry' ? 'waitlist entry' : kind;

/** An id of `kind` in an input: bounded, and its prefix checked (`svc_…` for a service). */
export function idSchema(kind: IdKind) {
  const expected = `a ${idLabel(kind)} id (${ID_PREFIXES[kind]}_…)`;
  return z
    .string({
      error: (issue) => (issue.input === undefined ? `Required: ${expected}` : `Expected ${expected}`),
    })
    .refine((id) => id.length <= MAX_ID_LENGTH, {
      error: `An id is at most ${MAX_ID_LENGTH} characters`,
      abort: true,
    })
    .refine((id) => isIdOf(kind, id), { error: `Expected ${expected}` })
    .meta({ examples: [`${ID_PREFIXES[kind]}_01jd8x3c5k2e8v4q6w9r7t1y0a`] }); // the OpenAPI document's example
}

export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type Weekday = (typeof WEEKDAYS)[number];
export const WeekdaySchema = z.enum(WEEKDAYS);

export const ListParamsSchema = z.object({
  limit: z.number().int().min(1).max(100).default(20),
  startingAfter: z.string().min(1).max(MAX_ID_LENGTH).optional(),
});

/** Pagination of the list of `kind`: `startingAfter` must be an id of that collection. */
export function listParamsSchema(kind: IdKind) {
  return ListParamsSchema.extend({ startingAfter: idSchema(kind).optional() });
}

/** A page of a list: `{ data, hasMore }` as in Stripe's API. */
export interface Page<T> {
  data: T[];
  hasMore: boolean;
}
