import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { encodeSlotId } from '../booking/slot-id.js';
import { createSeshn } from '../create-seshn.js';
import { SeshnError } from '../errors/seshn-error.js';
import type { SeshnAdapter } from '../ports/adapter.js';
import { parseRrule } from '../recurrence/rrule.js';
import { canonicalTimeZone } from '../time/zone.js';
import { BookingCreateSchema, BookingRescheduleSchema, HoldSchema } from './booking.js';
import { ResourceUpdateSchema } from './catalog.js';
import {
  DateOrInstantSchema,
  InstantSchema,
  idSchema,
  isIdOf,
  MetadataPatchSchema,
  MetadataSchema,
  mergeMetadata,
  TimeZoneSchema,
} from './common.js';
import { parseInput } from './parse.js';

/** The `details.fields` of the validation_failed that `fn` throws. */
function fieldsOf(fn: () => unknown): { path: string; message: string }[] {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(SeshnError);
    expect((error as SeshnError).code).toBe('validation_failed');
    return (error as SeshnError).details.fields as { path: string; message: string }[];
  }
  throw new Error('expected validation_failed');
}
const pathsOf = (fn: () => unknown) => fieldsOf(fn).map((f) => f.path);

describe('InstantSchema', () => {
  it('accepts instants with Z or an offset, to the millisecond', () => {
    const ms = (s: string) => parseInput(InstantSchema, s).getTime();
    expect(ms('2026-03-15T09:00:00Z')).toBe(Date.UTC(2026, 2, 15, 9));
    expect(ms('2026-03-15T09:00Z')).toBe(Date.UTC(2026, 2, 15, 9));
    expect(ms('2026-03-15T10:30:00+01:30')).toBe(Date.UTC(2026, 2, 15, 9));
    expect(ms('2026-03-15T04:00:00.123-05:00')).toBe(Date.UTC(2026, 2, 15, 9, 0, 0, 123));
    expect(ms('2026-03-15T09:00:00.123456789Z')).toBe(Date.UTC(2026, 2, 15, 9, 0, 0, 123));
    expect(ms('2028-02-29T00:00:00Z')).toBe(Date.UTC(2028, 1, 29));
    expect(ms('2000-02-29T00:00:00Z')).toBe(Date.UTC(2000, 1, 29));
    expect(parseInput(InstantSchema, new Date(5)).getTime()).toBe(5);
  });

  it.each([
    ['Feb 30', '2026-02-30T09:00:00Z'],
    ['Feb 29 of a common year', '2026-02-29T09:00:00Z'],
    ['Feb 29 of 2100', '2100-02-29T09:00:00Z'],
    ['Apr 31', '2026-04-31T10:00Z'],
    ['month 13', '2026-13-01T10:00Z'],
    ['day 0', '2026-01-00T10:00Z'],
    ['24:00', '2026-03-15T24:00:00Z'],
    ['25:61', '2026-03-15T25:61Z'],
    ['second 60', '2026-03-15T09:00:60Z'],
    ['offset +25:00', '2026-03-15T09:00:00+25:00'],
    ['offset minutes 60', '2026-03-15T09:00:00+01:60'],
    ['no offset', '2026-03-15T09:00:00'],
    ['a space for T', '2026-03-15 09:00:00Z'],
    ['a date only', '2026-03-15'],
    ['words', 'tomorrow'],
    ['before 1970', '1969-12-31T23:59:59Z'],
    ['a number', 1_773_565_200_000],
    ['an invalid Date', new Date(Number.NaN)],
  ])('rejects %s, naming the field and the expected format', (_name, value) => {
    const fields = fieldsOf(() => parseInput(z.object({ startTime: InstantSchema }), { startTime: value }));
    expect(fields).toHaveLength(1);
    expect(fields[0]!.path).toBe('startTime');
    expect(fields[0]!.message).toMatch(/ISO 8601 instant with Z or an offset/);
  });

  it('a window bound is a real date or an instant', () => {
    expect(parseInput(DateOrInstantSchema, '2026-02-28')).toBe('2026-02-28');
    expect(parseInput(DateOrInstantSchema, '2026-02-28T00:00Z')).toEqual(new Date(Date.UTC(2026, 1, 28)));
    expect(fieldsOf(() => parseInput(DateOrInstantSchema, '2026-02-30', 'to'))[0]).toEqual({
      path: 'to',
      message: expect.stringMatching(/not a date that exists/),
    });
    expect(fieldsOf(() => parseInput(DateOrInstantSchema, 7, 'from'))[0]!.message).toMatch(/YYYY-MM-DD/);
  });
});

describe('union inputs name the fields of the branch they mean', () => {
  const base = { serviceId: 'svc_1', startTime: '2026-03-15T09:00:00Z', contactId: 'ct_1' };
  it.each([
    [{ ...base, seats: 1.5 }, 'seats', /whole number/],
    [{ ...base, seats: '2' }, 'seats', /number, got a string/],
    [{ serviceId: 'svc_1', startTime: base.startTime }, 'contactId', /Required: a contact id/],
    [{ ...base, contactId: 7 }, 'contactId', /contact id/],
    [{ ...base, hold: 'yes' }, 'hold', /true, false or \{ ttlSeconds \}/],
    [{ ...base, startTime: 'tomorrow' }, 'startTime', /ISO 8601/],
    [{ ...base, durationMinutes: '60' }, 'durationMinutes', /number, got a string/],
    [{ ...base, endTime: '2026-03-15T09:30:30Z' }, 'endTime', /whole minutes/],
    [{ ...base, typo: 1 }, 'typo', /Unknown field/],
    [{ slotId: 'nonsense', contactId: 'ct_1' }, 'slotId', /slot id/],
  ])('bookings.create %#', (input, path, message) => {
    const fields = fieldsOf(() => parseInput(BookingCreateSchema, input));
    expect(fields.map((f) => f.path)).toContain(path);
    expect(fields.find((f) => f.path === path)!.message).toMatch(message);
  });

  it('reschedule({}) asks for startTime; hold picks its branch by type', () => {
    expect(fieldsOf(() => parseInput(BookingRescheduleSchema, {}))).toEqual([
      { path: 'startTime', message: expect.stringMatching(/Required/) },
    ]);
    expect(pathsOf(() => parseInput(HoldSchema, { ttlSeconds: 0 }, 'hold'))).toEqual(['hold.ttlSeconds']);
    expect(pathsOf(() => parseInput(HoldSchema, 'yes', 'hold'))).toEqual(['hold']);
    const slotId = encodeSlotId({ serviceId: 'svc_1', resourceId: 'rsc_1', start: 0, end: 60_000 });
    expect(parseInput(BookingCreateSchema, { slotId, contactId: 'ct_1' })).toMatchObject({
      slotId,
      seats: 1,
    });
  });

  it('a plain zod union that still fails reports its closest branch, not "Invalid input"', () => {
    const union = z.union([z.object({ a: z.string() }).strict(), z.object({ b: z.number(), c: z.number() })]);
    expect(fieldsOf(() => parseInput(union, { a: 5 }))).toEqual([
      { path: 'a', message: 'Expected a string, got 5' },
    ]);
  });
});

describe('MetadataSchema', () => {
  it('keeps JSON values and drops keys without a value', () => {
    expect(parseInput(MetadataSchema, undefined)).toEqual({});
    expect(
      parseInput(MetadataSchema, {
        a: 1,
        b: 'x',
        c: [true, null, { d: 2 }],
        gone: undefined,
        empty: '',
        nil: null,
      }),
    ).toEqual({ a: 1, b: 'x', c: [true, null, { d: 2 }] });
    const full = Object.fromEntries(
      Array.from({ length: 50 }, (_, i) => [`k${i}`.padEnd(40, 'x'), 'v'.repeat(500)]),
    );
    expect(parseInput(MetadataSchema, full)).toEqual(full);
  });

  it.each([
    ['a function', { f: () => 1 }, 'metadata.f', /function/],
    ['a BigInt', { n: 1n }, 'metadata.n', /BigInt/],
    ['a Date', { d: new Date(0) }, 'metadata.d', /toISOString/],
    ['a Map', { m: new Map() }, 'metadata.m', /plain objects/],
    ['a symbol', { s: Symbol('s') }, 'metadata.s', /symbol/],
    ['NaN', { n: Number.NaN }, 'metadata.n', /finite/],
    ['undefined in an array', { l: [undefined] }, 'metadata.l', /undefined/],
    [
      '51 keys',
      Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`k${i}`, i])),
      'metadata',
      /50 keys/,
    ],
    ['a 41-character key', { ['k'.repeat(41)]: 1 }, 'metadata', /40 characters/],
    ['an empty key', { '': 1 }, 'metadata', /1 to 40/],
    ['a 501-character string', { s: 's'.repeat(501) }, 'metadata.s', /500 characters/],
    ['a long nested string', { o: { s: 's'.repeat(501) } }, 'metadata.o', /500 characters/],
    [
      'a big nested value',
      { o: Array.from({ length: 300 }, () => 'abcdefgh') },
      'metadata.o',
      /2000 characters/,
    ],
    ['deep nesting', { o: [[[[[[1]]]]]] }, 'metadata.o', /nest/],
    ['an array', [1, 2], 'metadata', /object/],
    ['a string', 'x', 'metadata', /object/],
  ])('rejects %s', (_name, value, path, message) => {
    const fields = fieldsOf(() => parseInput(MetadataSchema, value, 'metadata'));
    expect(fields.map((f) => f.path)).toContain(path);
    expect(fields.find((f) => f.path === path)!.message).toMatch(message);
  });

  it('rejects a cycle', () => {
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(fieldsOf(() => parseInput(MetadataSchema, { c: cyclic }, 'metadata'))[0]).toEqual({
      path: 'metadata.c',
      message: expect.stringMatching(/cycle/),
    });
  });

  it('an update merges key by key: null or "" removes a key, null removes all, 50 keys at most', () => {
    const patch = parseInput(MetadataPatchSchema, { a: null, b: '', c: 3, d: undefined });
    expect(patch).toEqual({ a: null, b: null, c: 3 });
    expect(mergeMetadata({ a: 1, b: 2, e: 5 }, patch)).toEqual({ c: 3, e: 5 });
    expect(mergeMetadata({ a: 1 }, parseInput(MetadataPatchSchema, null))).toEqual({});
    expect(mergeMetadata({ a: 1 }, undefined)).toEqual({ a: 1 });
    const fifty = Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`k${i}`, i]));
    expect(pathsOf(() => mergeMetadata(fifty, { more: 1 }))).toEqual(['metadata']);
  });

  it('a resource update has no defaults to re-fill', () => {
    expect(parseInput(ResourceUpdateSchema, { name: 'X' })).toEqual({ name: 'X' });
    expect(parseInput(ResourceUpdateSchema, { availability: { overrides: [] } })).toEqual({
      availability: { overrides: [] },
    });
  });
});

describe('ids', () => {
  it('are bounded and prefix-checked; messages never echo the value', () => {
    expect(isIdOf('resource', 'rsc_01jabc')).toBe(true);
    expect(isIdOf('resource', 'svc_01jabc')).toBe(false);
    expect(isIdOf('contact', 'ct_')).toBe(false);
    expect(isIdOf('booking', `bkg_${'a'.repeat(97)}`)).toBe(false);
    const long = `rsc_${'x'.repeat(500)}`;
    const fields = fieldsOf(() => parseInput(idSchema('resource'), long, 'resourceId'));
    expect(fields).toEqual([{ path: 'resourceId', message: 'An id is at most 100 characters' }]);
    expect(fieldsOf(() => parseInput(idSchema('resource'), 'svc_1', 'resourceId'))[0]!.message).toBe(
      'Expected a resource id (rsc_…)',
    );
    const unknownKey = 'k'.repeat(300);
    const e = fieldsOf(() => parseInput(z.object({}).strict(), { [unknownKey]: 1 }));
    expect(JSON.stringify(e).length).toBeLessThan(100);
    const notFound = SeshnError.notFound('resource', long);
    expect(notFound.message.length).toBeLessThan(70);
    expect(JSON.stringify(notFound.details).length).toBeLessThan(100);
  });
});

describe('messages that quote input', () => {
  it('quote at most a short prefix of a bad RRULE part', () => {
    for (const rule of [
      `FREQ=DAILY;${'X'.repeat(300)}`,
      `FREQ=${'Y'.repeat(300)}`,
      `FREQ=DAILY;BYDAY=${'Z'.repeat(300)}`,
    ]) {
      const parsed = parseRrule(rule);
      expect(parsed.ok).toBe(false);
      expect((parsed as { message: string }).message.length).toBeLessThan(160);
    }
  });
});

describe('time zones', () => {
  it('are canonicalised by case and keep aliases as given', () => {
    expect(canonicalTimeZone('europe/london')).toBe('Europe/London');
    expect(canonicalTimeZone('AMERICA/ARGENTINA/BUENOS_AIRES')).toBe('America/Argentina/Buenos_Aires');
    expect(canonicalTimeZone('utc')).toBe('UTC');
    expect(canonicalTimeZone('Etc/UTC')).toBe('Etc/UTC');
    expect(canonicalTimeZone('asia/calcutta')).toBe('Asia/Calcutta');
    expect(canonicalTimeZone('Asia/Kolkata')).toBe('Asia/Kolkata');
    expect(canonicalTimeZone('+01:00')).toBeNull();
    expect(canonicalTimeZone('Mars/Olympus')).toBeNull();
    expect(canonicalTimeZone('')).toBeNull();
    expect(parseInput(TimeZoneSchema, 'europe/paris')).toBe('Europe/Paris');
    expect(pathsOf(() => parseInput(TimeZoneSchema, 'Europe/Pariss', 'timezone'))).toEqual(['timezone']);
    expect(pathsOf(() => parseInput(TimeZoneSchema, 5, 'timezone'))).toEqual(['timezone']);
  });
});

describe('createSeshn options', () => {
  const adapter = new Proxy({}, { get: () => async () => undefined }) as SeshnAdapter;
  const optionPaths = (options: object) => pathsOf(() => createSeshn({ adapter, ...options }));

  it('are checked at creation with validation_failed naming the option', () => {
    expect(optionPaths({ now: 'now' })).toEqual(['now']);
    expect(optionPaths({ now: () => 'soon' })).toEqual(['now']);
    expect(optionPaths({ now: () => new Date(Number.NaN) })).toEqual(['now']);
    expect(optionPaths({ now: () => Date.now() })).toEqual(['now']);
    expect(
      optionPaths({
        now: () => {
          throw new Error('no clock');
        },
      }),
    ).toEqual(['now']);
    expect(optionPaths({ ids: 'typeid' })).toEqual(['ids']);
    expect(optionPaths({ limits: { maxSeriesOccurrences: 0 } })).toEqual(['limits.maxSeriesOccurrences']);
    expect(optionPaths({ limits: { maxSeriesOcurrences: 5 } })).toEqual(['limits.maxSeriesOcurrences']);
    expect(optionPaths({ now: 5, ids: 5 })).toEqual(['now', 'ids']);
    expect(() => createSeshn({ adapter, now: () => new Date(0), ids: (p) => `${p}_1` })).not.toThrow();
  });

  it('calls now once at creation', () => {
    let calls = 0;
    createSeshn({
      adapter,
      now: () => {
        calls += 1;
        return new Date(0);
      },
    });
    expect(calls).toBe(1);
  });

  it('an injected id generator must return ids with the prefix it was given', async () => {
    const seshn = createSeshn({ adapter, now: () => new Date(0), ids: () => 'not-prefixed' });
    const e = await seshn.resources.create({ name: 'R', timezone: 'UTC' }).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(SeshnError);
    expect((e as SeshnError).details.fields).toEqual([
      { path: 'ids', message: expect.stringMatching(/"rsc_"/) },
    ]);
  });
});
