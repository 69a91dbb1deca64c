import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SeshnError } from '../errors/seshn-error.js';
import { expandRecurrence } from './expand.js';
import { compileSimpleRecurrence, type SimpleRecurrence } from './simple.js';

const today = '2026-03-06'; // a Friday

function expectInvalid(fn: () => unknown, path: string) {
  let error: unknown;
  try {
    fn();
  } catch (e) {
    error = e;
  }
  expect(error).toBeInstanceOf(SeshnError);
  expect((error as SeshnError).code).toBe('validation_failed');
  const fields = (error as SeshnError).details.fields as { path: string }[];
  expect(fields.map((f) => f.path)).toContain(path);
}

describe('compileSimpleRecurrence', () => {
  it('weekly on a Tuesday from a Friday starts the next Tuesday', () => {
    expect(
      compileSimpleRecurrence({ frequency: 'weekly', dayOfWeek: 2, time: '14:00', count: 10 }, { today }),
    ).toEqual({
      rrule: 'FREQ=WEEKLY;BYDAY=TU;COUNT=10',
      dtstart: '2026-03-10T14:00',
    });
  });
  it('weekly on the start date’s own weekday starts that day; without dayOfWeek it is that weekday', () => {
    expect(
      compileSimpleRecurrence({ frequency: 'weekly', dayOfWeek: 5, time: '09:30' }, { today }).dtstart,
    ).toBe('2026-03-06T09:30');
    expect(
      compileSimpleRecurrence(
        { frequency: 'weekly', time: '09:30', startDate: '2026-03-08', interval: 2 },
        { today },
      ),
    ).toEqual({ rrule: 'FREQ=WEEKLY;INTERVAL=2;BYDAY=SU', dtstart: '2026-03-08T09:30' });
  });
  it('daily with interval and an inclusive until date', () => {
    expect(
      compileSimpleRecurrence(
        { frequency: 'daily', interval: 3, time: '07:00', until: '2026-03-31' },
        { today },
      ),
    ).toEqual({ rrule: 'FREQ=DAILY;INTERVAL=3;UNTIL=20260331', dtstart: '2026-03-06T07:00' });
  });
  it('monthly on a day of the month: the first matching date on or after startDate', () => {
    expect(
      compileSimpleRecurrence({ frequency: 'monthly', dayOfMonth: 5, time: '10:00' }, { today }),
    ).toEqual({
      rrule: 'FREQ=MONTHLY;BYMONTHDAY=5',
      dtstart: '2026-04-05T10:00',
    });
    expect(
      compileSimpleRecurrence({ frequency: 'monthly', dayOfMonth: -1, time: '10:00' }, { today }).dtstart,
    ).toBe('2026-03-31T10:00');
    // 31 skips April: the first is March 31; from April 1 it is May 31.
    expect(
      compileSimpleRecurrence(
        { frequency: 'monthly', dayOfMonth: 31, time: '10:00', startDate: '2026-04-01' },
        { today },
      ).dtstart,
    ).toBe('2026-05-31T10:00');
    expect(compileSimpleRecurrence({ frequency: 'monthly', time: '10:00' }, { today }).rrule).toBe(
      'FREQ=MONTHLY;BYMONTHDAY=6',
    );
  });
  it('the compiled form expands to what it says (until is through the end of that local date)', () => {
    const compiled = compileSimpleRecurrence(
      { frequency: 'weekly', dayOfWeek: 2, time: '23:30', until: '2026-03-24' },
      { today },
    );
    expect(expandRecurrence({ ...compiled, timezone: 'America/New_York' })).toEqual([
      '2026-03-10T23:30:00-04:00',
      '2026-03-17T23:30:00-04:00',
      '2026-03-24T23:30:00-04:00',
    ]);
  });
  it('every compiled recurrence has DTSTART as a matching first instance (property)', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('daily', 'weekly', 'monthly') as fc.Arbitrary<'daily' | 'weekly' | 'monthly'>,
        fc.integer({ min: 1, max: 7 }),
        fc.integer({ min: -31, max: 31 }).filter((n) => n !== 0),
        fc.integer({ min: 0, max: 800 }),
        fc.integer({ min: 1, max: 3 }),
        (frequency, dayOfWeek, dayOfMonth, offsetDays, interval) => {
          const startDate = new Date(Date.UTC(2026, 0, 1) + offsetDays * 86_400_000)
            .toISOString()
            .slice(0, 10);
          const simple: SimpleRecurrence = { frequency, time: '12:00', startDate, interval, count: 4 };
          if (frequency === 'weekly') simple.dayOfWeek = dayOfWeek;
          if (frequency === 'monthly') simple.dayOfMonth = dayOfMonth;
          const c = compileSimpleRecurrence(simple, { today });
          expect(c.dtstart.slice(0, 10) >= startDate).toBe(true);
          // DTSTART must be an instance of the rule itself: expanding from the day before (that day
          // excluded) finds it first. Only with INTERVAL=1, where the day before keeps the phase.
          const all = expandRecurrence({ ...c, timezone: 'UTC' });
          expect(all).toHaveLength(4);
          const dayBefore = new Date(Date.parse(`${c.dtstart.slice(0, 10)}T00:00:00Z`) - 86_400_000)
            .toISOString()
            .slice(0, 10);
          const fromBefore = expandRecurrence({
            dtstart: `${dayBefore}T12:00`,
            timezone: 'UTC',
            rrule: c.rrule.replace(/;COUNT=\d+/, ''),
            exdates: [`${dayBefore}T12:00`],
            limit: 1,
          });
          if (interval === 1) expect(fromBefore[0]).toBe(all[0]);
          if (frequency === 'weekly') {
            const d = new Date(`${c.dtstart}:00Z`);
            expect(((d.getUTCDay() + 6) % 7) + 1).toBe(dayOfWeek);
          }
        },
      ),
      { numRuns: 150 },
    );
  });

  it.each<[string, Record<string, unknown>, string]>([
    [
      'count and until together',
      { frequency: 'daily', time: '10:00', count: 3, until: '2026-04-01' },
      'until',
    ],
    [
      'until before startDate',
      { frequency: 'daily', time: '10:00', startDate: '2026-04-02', until: '2026-04-01' },
      'until',
    ],
    [
      'until before today (default start)',
      { frequency: 'daily', time: '10:00', until: '2026-03-01' },
      'until',
    ],
    [
      'no occurrence before until',
      { frequency: 'weekly', dayOfWeek: 2, time: '10:00', startDate: '2026-03-06', until: '2026-03-08' },
      'until',
    ],
    ['an unknown day of week', { frequency: 'weekly', dayOfWeek: 8, time: '10:00' }, 'dayOfWeek'],
    ['day of week 0', { frequency: 'weekly', dayOfWeek: 0, time: '10:00' }, 'dayOfWeek'],
    ['day of week as text', { frequency: 'weekly', dayOfWeek: 'TU', time: '10:00' }, 'dayOfWeek'],
    ['dayOfWeek with daily', { frequency: 'daily', dayOfWeek: 2, time: '10:00' }, 'dayOfWeek'],
    ['dayOfWeek with monthly', { frequency: 'monthly', dayOfWeek: 2, time: '10:00' }, 'dayOfWeek'],
    ['dayOfMonth with weekly', { frequency: 'weekly', dayOfMonth: 3, time: '10:00' }, 'dayOfMonth'],
    ['dayOfMonth 0', { frequency: 'monthly', dayOfMonth: 0, time: '10:00' }, 'dayOfMonth'],
    ['dayOfMonth 32', { frequency: 'monthly', dayOfMonth: 32, time: '10:00' }, 'dayOfMonth'],
    ['time 25:00', { frequency: 'daily', time: '25:00' }, 'time'],
    ['time 9:00', { frequency: 'daily', time: '9:00' }, 'time'],
    ['time 24:00', { frequency: 'daily', time: '24:00' }, 'time'],
    ['a missing time', { frequency: 'daily' }, 'time'],
    ['an unknown frequency', { frequency: 'yearly', time: '10:00' }, 'frequency'],
    ['interval 0', { frequency: 'daily', interval: 0, time: '10:00' }, 'interval'],
    ['count 0', { frequency: 'daily', count: 0, time: '10:00' }, 'count'],
    ['an impossible startDate', { frequency: 'daily', time: '10:00', startDate: '2026-02-30' }, 'startDate'],
    // An unknown key is named by its own path.
    ['an unknown key', { frequency: 'daily', time: '10:00', byDay: 'MO' }, 'byDay'],
  ])('rejects %s', (_name, simple, path) => {
    expectInvalid(() => compileSimpleRecurrence(simple as SimpleRecurrence, { today }), path);
  });

  it('rejects a bad today and non-object input', () => {
    expectInvalid(
      () => compileSimpleRecurrence({ frequency: 'daily', time: '10:00' }, { today: '2026-13-01' }),
      'today',
    );
    expect(() => compileSimpleRecurrence(null as never, { today })).toThrow(SeshnError);
  });
});
