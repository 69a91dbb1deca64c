import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  at,
  caseArb,
  DAY,
  everyDay,
  HOUR,
  iso,
  MIN,
  refOpenIntervals,
  utc,
} from '../../test/support/availability.js';
import { mergeIntervals } from '../time/interval.js';
import { hoursForDate, openingIntervals } from './hours.js';

const span = (tz: string, a: string, b: string) => [at(tz, a), at(tz, b)];
const asPairs = (xs: { start: number; end: number }[]) => xs.map((x) => [x.start, x.end]);

describe('openingIntervals — rule 1: local [start, end) per local date', () => {
  it('reads weekly hours as local wall-clock intervals on each date', () => {
    const tz = 'America/New_York';
    const got = openingIntervals(
      tz,
      {
        mon: [
          { start: '09:00', end: '12:00' },
          { start: '13:00', end: '17:00' },
        ],
      },
      [],
      utc('2026-01-05T00:00'),
      utc('2026-01-13T00:00'),
    );
    expect(asPairs(got)).toEqual([
      span(tz, '2026-01-05T09:00', '2026-01-05T12:00'),
      span(tz, '2026-01-05T13:00', '2026-01-05T17:00'),
      span(tz, '2026-01-12T09:00', '2026-01-12T12:00'),
      span(tz, '2026-01-12T13:00', '2026-01-12T17:00'),
    ]);
  });

  it('reads 24:00 as the next midnight and merges it with a next-day interval from 00:00', () => {
    const got = openingIntervals(
      'Europe/London',
      { mon: [{ start: '18:00', end: '24:00' }], tue: [{ start: '00:00', end: '02:00' }] },
      [],
      utc('2026-01-05T00:00'),
      utc('2026-01-07T00:00'),
    );
    expect(asPairs(got)).toEqual([[utc('2026-01-05T18:00'), utc('2026-01-06T02:00')]]);
  });

  it('runs an interval with end <= start into the next day', () => {
    const got = openingIntervals(
      'UTC',
      { fri: [{ start: '22:00', end: '03:00' }] },
      [],
      utc('2026-01-09T00:00'),
      utc('2026-01-11T00:00'),
    );
    expect(asPairs(got)).toEqual([[utc('2026-01-09T22:00'), utc('2026-01-10T03:00')]]);
  });

  it('is 23 hours long on a spring-forward day and 25 on a fall-back day (New York, 00:00–24:00)', () => {
    const tz = 'America/New_York';
    const allDay = everyDay([{ start: '00:00', end: '24:00' }]);
    const spring = openingIntervals(
      tz,
      allDay,
      [
        { date: '2026-03-07', hours: [] },
        { date: '2026-03-09', hours: [] },
      ],
      at(tz, '2026-03-08T00:00'),
      at(tz, '2026-03-09T00:00'),
    );
    expect(spring.map((w) => w.end - w.start)).toEqual([23 * HOUR]);
    const fall = openingIntervals(tz, allDay, [], at(tz, '2026-11-01T00:00'), at(tz, '2026-11-02T00:00'));
    expect(fall.map((w) => w.end - w.start)).toEqual([25 * HOUR]);
  });

  it('moves a boundary inside a gap forward by the gap (London 01:30 → 02:30 BST)', () => {
    const got = openingIntervals(
      'Europe/London',
      { sun: [{ start: '01:30', end: '04:00' }] },
      [],
      utc('2026-03-29T00:00'),
      utc('2026-03-30T00:00'),
    );
    // 01:30 does not exist on 2026-03-29; it becomes 02:30 BST = 01:30Z; 04:00 BST = 03:00Z.
    expect(asPairs(got)).toEqual([[utc('2026-03-29T01:30'), utc('2026-03-29T03:00')]]);
  });

  it('moves a boundary inside the 30-minute Lord Howe gap forward by 30 minutes', () => {
    const tz = 'Australia/Lord_Howe';
    // 2026-10-04 02:00 → 02:30 (+10:30 → +11:00). 02:10 does not exist and becomes 02:40.
    const got = openingIntervals(
      tz,
      { sun: [{ start: '02:10', end: '05:00' }] },
      [],
      utc('2026-10-03T00:00'),
      utc('2026-10-05T00:00'),
    );
    expect(got.map((w) => [iso(w.start), iso(w.end)])).toEqual([
      ['2026-10-03T15:40:00.000Z', '2026-10-03T18:00:00.000Z'],
    ]);
  });

  it('takes the earlier instant for a boundary inside a fall-back overlap', () => {
    const tz = 'America/New_York';
    const got = openingIntervals(
      tz,
      { sun: [{ start: '00:00', end: '01:30' }] },
      [],
      utc('2026-11-01T00:00'),
      utc('2026-11-02T00:00'),
    );
    // 01:30 happens twice; the first (EDT, 05:30Z) ends the interval.
    expect(asPairs(got)).toEqual([[utc('2026-11-01T04:00'), utc('2026-11-01T05:30')]]);
  });

  it('handles the +05:45 Kathmandu offset', () => {
    const got = openingIntervals(
      'Asia/Kathmandu',
      { mon: [{ start: '09:00', end: '17:00' }] },
      [],
      utc('2026-01-04T00:00'),
      utc('2026-01-06T00:00'),
    );
    expect(asPairs(got)).toEqual([[utc('2026-01-05T03:15'), utc('2026-01-05T11:15')]]);
  });

  it('clips to [from, to)', () => {
    const got = openingIntervals(
      'UTC',
      { mon: [{ start: '09:00', end: '17:00' }] },
      [],
      utc('2026-01-05T10:00'),
      utc('2026-01-05T12:00'),
    );
    expect(asPairs(got)).toEqual([[utc('2026-01-05T10:00'), utc('2026-01-05T12:00')]]);
  });
});

describe('openingIntervals — rule 2: overrides and merging', () => {
  const weekly = everyDay([{ start: '09:00', end: '17:00' }]);

  it('a date override replaces that date only; [] closes it', () => {
    const got = openingIntervals(
      'UTC',
      weekly,
      [
        { date: '2026-01-06', hours: [{ start: '12:00', end: '14:00' }] },
        { date: '2026-01-07', hours: [] },
      ],
      utc('2026-01-05T00:00'),
      utc('2026-01-09T00:00'),
    );
    expect(asPairs(got)).toEqual([
      [utc('2026-01-05T09:00'), utc('2026-01-05T17:00')],
      [utc('2026-01-06T12:00'), utc('2026-01-06T14:00')],
      [utc('2026-01-08T09:00'), utc('2026-01-08T17:00')],
    ]);
  });

  it('keeps an overnight interval begun the evening before a closed date running past midnight', () => {
    const got = openingIntervals(
      'UTC',
      everyDay([{ start: '20:00', end: '02:00' }]),
      [{ date: '2026-01-06', hours: [] }],
      utc('2026-01-06T00:00'),
      utc('2026-01-07T00:00'),
    );
    expect(asPairs(got)).toEqual([[utc('2026-01-06T00:00'), utc('2026-01-06T02:00')]]);
  });

  it('applies a seasonal override to each date of its range, only on its days when given', () => {
    const got = openingIntervals(
      'UTC',
      weekly,
      [
        {
          from: '2026-01-05',
          to: '2026-01-11',
          days: ['sat', 'sun'],
          hours: [{ start: '10:00', end: '12:00' }],
        },
      ],
      utc('2026-01-09T00:00'),
      utc('2026-01-13T00:00'),
    );
    expect(asPairs(got)).toEqual([
      [utc('2026-01-09T09:00'), utc('2026-01-09T17:00')], // Fri: weekly
      [utc('2026-01-10T10:00'), utc('2026-01-10T12:00')], // Sat: seasonal
      [utc('2026-01-11T10:00'), utc('2026-01-11T12:00')], // Sun: seasonal
      [utc('2026-01-12T09:00'), utc('2026-01-12T17:00')], // Mon after the range: weekly
    ]);
  });

  it('lets a single-date override win over a seasonal range, and a later season over an earlier one', () => {
    const overrides = [
      { from: '2026-08-01', to: '2026-08-31', hours: [] },
      { from: '2026-08-10', to: '2026-08-12', hours: [{ start: '08:00', end: '09:00' }] },
      { date: '2026-08-11', hours: [{ start: '15:00', end: '16:00' }] },
    ];
    const got = openingIntervals('UTC', weekly, overrides, utc('2026-08-09T00:00'), utc('2026-08-14T00:00'));
    expect(asPairs(got)).toEqual([
      [utc('2026-08-10T08:00'), utc('2026-08-10T09:00')],
      [utc('2026-08-11T15:00'), utc('2026-08-11T16:00')],
      [utc('2026-08-12T08:00'), utc('2026-08-12T09:00')],
    ]);
    expect(hoursForDate(weekly, overrides, '2026-08-20')).toEqual({
      hours: [],
      source: 'seasonal',
      closedByOverride: true,
    });
    expect(hoursForDate(weekly, overrides, '2026-08-11').source).toBe('date');
    expect(hoursForDate(weekly, overrides, '2026-09-01')).toMatchObject({
      source: 'weekly',
      closedByOverride: false,
    });
  });

  it('merges touching and overlapping intervals so a window may cross midnight and span days', () => {
    const got = openingIntervals(
      'Europe/London',
      everyDay([{ start: '00:00', end: '24:00' }]),
      [],
      utc('2026-03-27T00:00'),
      utc('2026-04-03T00:00'),
    );
    expect(asPairs(got)).toEqual([[utc('2026-03-27T00:00'), utc('2026-04-03T00:00')]]);
    const overlapping = openingIntervals(
      'UTC',
      {
        mon: [
          { start: '09:00', end: '12:00' },
          { start: '11:00', end: '14:00' },
        ],
      },
      [],
      utc('2026-01-05T00:00'),
      utc('2026-01-06T00:00'),
    );
    expect(asPairs(overlapping)).toEqual([[utc('2026-01-05T09:00'), utc('2026-01-05T14:00')]]);
  });

  it('equals a direct Temporal conversion of every interval, merged (random hours and overrides)', () => {
    fc.assert(
      fc.property(caseArb(), (inp) => {
        const to = inp.from + 3 * DAY;
        const got = openingIntervals(inp.timezone, inp.weekly, inp.overrides, inp.from, to);
        const ref = mergeIntervals(
          refOpenIntervals(inp.timezone, inp.weekly, inp.overrides, inp.from, to)
            .map((w) => ({ start: Math.max(w.start, inp.from), end: Math.min(w.end, to) }))
            .filter((w) => w.end > w.start),
        );
        expect(got).toEqual(ref);
      }),
      { numRuns: 100 },
    );
  });
});

describe('openingIntervals — bad input', () => {
  it('names the field', () => {
    const call =
      (tz: string, from: number, to: number, weekly: object = {}) =>
      () =>
        openingIntervals(tz, weekly, [], from, to);
    expect(call('Mars/Olympus', 0, DAY)).toThrow(
      expect.objectContaining({
        code: 'validation_failed',
        details: { fields: [expect.objectContaining({ path: 'timezone' })] },
      }),
    );
    expect(call('UTC', DAY, 0)).toThrow(
      expect.objectContaining({ details: { fields: [expect.objectContaining({ path: 'to' })] } }),
    );
    expect(call('UTC', 0, DAY, { mon: [{ start: '25:00', end: '26:00' }] })).toThrow(
      expect.objectContaining({
        details: {
          fields: expect.arrayContaining([expect.objectContaining({ path: 'weekly.mon.0.start' })]),
        },
      }),
    );
    expect(call('UTC', 0, MIN, { funday: [] })).toThrow(
      expect.objectContaining({ code: 'validation_failed' }),
    );
  });
});
