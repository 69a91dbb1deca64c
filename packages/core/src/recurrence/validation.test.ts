import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SeshnError } from '../errors/seshn-error.js';
import { expandRecurrence, expandRecurrenceMs, RecurrenceInputSchema } from './expand.js';

const base = { dtstart: '2026-03-03T14:00', timezone: 'America/New_York', rrule: 'FREQ=WEEKLY;COUNT=3' };

/** Runs `fn`, expecting `SeshnError('validation_failed')` whose fields include `path`. */
function expectInvalid(fn: () => unknown, path: string, message?: RegExp) {
  let error: unknown;
  try {
    fn();
  } catch (e) {
    error = e;
  }
  expect(error).toBeInstanceOf(SeshnError);
  const e = error as SeshnError;
  expect(e.code).toBe('validation_failed');
  const fields = e.details.fields as { path: string; message: string }[];
  const field = fields.find((f) => f.path === path);
  expect(field, `fields: ${JSON.stringify(fields)}`).toBeDefined();
  if (message) expect(field!.message).toMatch(message);
}

describe('expandRecurrence rejects bad input with validation_failed naming the field', () => {
  it('an unknown time zone', () => {
    expectInvalid(() => expandRecurrence({ ...base, timezone: 'Mars/Olympus' }), 'timezone');
    expectInvalid(() => expandRecurrence({ ...base, timezone: '+05:00' }), 'timezone');
  });

  it.each([
    ['FOO=1;FREQ=DAILY', /unknown rule part FOO/],
    ['FREQ=DAILY;BYHOUR=25', /BYHOUR=25/],
    ['FREQ=DAILY;BYMINUTE=60', /BYMINUTE=60/],
    ['FREQ=MONTHLY;BYDAY=MO;BYSETPOS=0', /BYSETPOS=0/],
    ['FREQ=DAILY;INTERVAL=0', /INTERVAL=0/],
    ['FREQ=DAILY;INTERVAL=-1', /INTERVAL=-1/],
    ['FREQ=DAILY;COUNT=0', /COUNT=0/],
    ['FREQ=DAILY;COUNT=5;UNTIL=20260401T000000Z', /COUNT and UNTIL/],
    ['FREQ=SECONDLY', /SECONDLY is not supported/],
    ['FREQ=MINUTELY;BYSECOND=0', /BYSECOND is not supported/],
    ['FREQ=FORTNIGHTLY', /FREQ=FORTNIGHTLY/],
    ['BYDAY=MO', /FREQ is required/],
    ['', /empty rule/],
    ['FREQ=DAILY;FREQ=WEEKLY', /more than once/],
    ['FREQ=DAILY;;COUNT=2', /not a KEY=VALUE/],
    ['FREQ=WEEKLY;BYDAY=XX', /BYDAY=XX/],
    ['FREQ=WEEKLY;BYDAY=2TU', /only allowed with FREQ=MONTHLY or YEARLY/],
    ['FREQ=MONTHLY;BYDAY=0TU', /ordinal/],
    ['FREQ=MONTHLY;BYDAY=+TU', /sign but no ordinal/],
    ['FREQ=YEARLY;BYWEEKNO=20;BYDAY=1MO', /BYWEEKNO/],
    ['FREQ=WEEKLY;BYMONTHDAY=3', /BYMONTHDAY must not be used with FREQ=WEEKLY/],
    ['FREQ=MONTHLY;BYYEARDAY=100', /BYYEARDAY must not be used/],
    ['FREQ=MONTHLY;BYWEEKNO=3', /BYWEEKNO is only allowed with FREQ=YEARLY/],
    ['FREQ=MONTHLY;BYSETPOS=1', /BYSETPOS must be used together/],
    ['FREQ=MONTHLY;BYMONTHDAY=0', /BYMONTHDAY=0/],
    ['FREQ=MONTHLY;BYMONTHDAY=32', /BYMONTHDAY=32/],
    ['FREQ=YEARLY;BYYEARDAY=367', /BYYEARDAY=367/],
    ['FREQ=YEARLY;BYWEEKNO=54', /BYWEEKNO=54/],
    ['FREQ=YEARLY;BYMONTH=13', /BYMONTH=13/],
    ['FREQ=YEARLY;BYMONTH=1,,2', /empty value/],
    ['FREQ=DAILY;UNTIL=20260230T000000Z', /not a calendar date/],
    ['FREQ=DAILY;UNTIL=2026-03-01', /UNTIL/],
    ['FREQ=DAILY;WKST=XY', /WKST=XY/],
    ['FREQ=DAILY;UNTIL=20260301T000000Z', /UNTIL is before DTSTART/],
  ])('rrule %j', (rrule, message) => {
    expectInvalid(() => expandRecurrence({ ...base, rrule }), 'rrule', message);
  });

  it('a non-string rrule', () => {
    expectInvalid(() => expandRecurrence({ ...base, rrule: 42 as unknown as string }), 'rrule');
  });

  it.each([
    '2026-02-30T10:00',
    '2026-03-01 10:00',
    '2026-03-01T24:00',
    '2026-03-01T10:60',
    '2026-03-01',
    '20260301T100000',
    '2026-03-01T10:00:00Z',
    '0000-01-01T10:00',
  ])('dtstart %j', (dtstart) => {
    expectInvalid(() => expandRecurrence({ ...base, dtstart }), 'dtstart');
  });

  it('a malformed EXDATE, named by its index', () => {
    const exdates = [
      '2026-03-10T14:00',
      '2026-03-17T18:00:00Z',
      '2026-03-24T14:00:00-04:00',
      '2026-02-30T14:00',
    ];
    expectInvalid(() => expandRecurrence({ ...base, exdates }), 'exdates.3');
    expectInvalid(() => expandRecurrence({ ...base, exdates: ['tomorrow'] }), 'exdates.0');
    expectInvalid(() => expandRecurrence({ ...base, exdates: ['2026-03-10T14:00+25:00'] }), 'exdates.0');
  });

  it('a bad window or limit', () => {
    expectInvalid(
      () =>
        expandRecurrence({ ...base, between: { from: '2026-04-01T00:00:00Z', to: '2026-03-01T00:00:00Z' } }),
      'between.to',
    );
    expectInvalid(
      () => expandRecurrence({ ...base, between: { from: '2026-04-01', to: '2026-05-01T00:00:00Z' } }),
      'between.from',
    );
    expectInvalid(() => expandRecurrence({ ...base, limit: 0 }), 'limit');
    expectInvalid(() => expandRecurrence({ ...base, limit: 10_001 }), 'limit');
    expectInvalid(() => expandRecurrence({ ...base, limit: 1.5 }), 'limit');
  });

  it('a missing or non-object input', () => {
    for (const input of [null, undefined, 'FREQ=DAILY', 42, []]) {
      expect(() => expandRecurrence(input as never)).toThrow(SeshnError);
      expect(() => expandRecurrenceMs(input as never)).toThrow(SeshnError);
    }
    expectInvalid(() => expandRecurrence({ timezone: 'UTC', rrule: 'FREQ=DAILY' } as never), 'dtstart');
  });

  it('the schema reports the same problems (for the HTTP layer)', () => {
    const r = RecurrenceInputSchema.safeParse({
      ...base,
      rrule: 'FREQ=DAILY;BYHOUR=25',
      timezone: 'Nowhere/City',
    });
    expect(r.success).toBe(false);
    expect(r.error?.issues.map((i) => i.path.join('.')).sort()).toEqual(['rrule', 'timezone']);
  });

  it('never throws anything but SeshnError on arbitrary input', () => {
    const ruleText = fc
      .array(
        fc.oneof(
          fc.constantFrom(
            'FREQ=DAILY',
            'FREQ=YEARLY',
            'FREQ=MONTHLY',
            'COUNT=3',
            'BYDAY=-1FR',
            'BYSETPOS=-1',
            'UNTIL=20300101',
          ),
          fc
            .tuple(
              fc.constantFrom(
                'BYHOUR',
                'BYMINUTE',
                'BYMONTHDAY',
                'BYYEARDAY',
                'BYWEEKNO',
                'BYMONTH',
                'BYSETPOS',
                'BYDAY',
                'WKST',
                'INTERVAL',
              ),
              fc.string({ maxLength: 6 }),
            )
            .map(([k, v]) => `${k}=${v}`),
          fc.string({ maxLength: 10 }),
        ),
        { maxLength: 5 },
      )
      .map((parts) => parts.join(';'));
    fc.assert(
      fc.property(
        fc.record(
          {
            dtstart: fc.oneof(fc.constant('2026-03-03T14:00'), fc.string({ maxLength: 20 }), fc.anything()),
            timezone: fc.oneof(fc.constantFrom('UTC', 'Europe/London', 'Asia/Kathmandu'), fc.anything()),
            rrule: fc.oneof(ruleText, fc.anything()),
            exdates: fc.oneof(fc.array(fc.string({ maxLength: 25 }), { maxLength: 3 }), fc.anything()),
            limit: fc.oneof(fc.integer({ min: -5, max: 50 }), fc.anything()),
          },
          { requiredKeys: [] },
        ),
        (input) => {
          try {
            const out = expandRecurrence(input as never);
            expect(Array.isArray(out)).toBe(true);
          } catch (e) {
            expect(e).toBeInstanceOf(SeshnError);
            expect((e as SeshnError).code).toBe('validation_failed');
          }
        },
      ),
      { numRuns: 200 },
    );
  });
});
