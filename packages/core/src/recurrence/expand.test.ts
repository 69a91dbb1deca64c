import { describe, expect, it } from 'vitest';
import { expandRecurrence, expandRecurrenceMs } from './expand.js';

const expand = (timezone: string, dtstart: string, rrule: string, extra: object = {}) =>
  expandRecurrence({ dtstart, timezone, rrule, ...extra });

describe('DST: weekly 14:00 keeps 14:00 local across spring-forward and fall-back', () => {
  it('America/New_York', () => {
    expect(expand('America/New_York', '2026-03-03T14:00', 'FREQ=WEEKLY;COUNT=3')).toEqual([
      '2026-03-03T14:00:00-05:00',
      '2026-03-10T14:00:00-04:00',
      '2026-03-17T14:00:00-04:00',
    ]);
    expect(expand('America/New_York', '2026-10-27T14:00', 'FREQ=WEEKLY;COUNT=2')).toEqual([
      '2026-10-27T14:00:00-04:00',
      '2026-11-03T14:00:00-05:00',
    ]);
  });
  it('Europe/London', () => {
    expect(expand('Europe/London', '2026-03-26T14:00', 'FREQ=WEEKLY;COUNT=2')).toEqual([
      '2026-03-26T14:00:00+00:00',
      '2026-04-02T14:00:00+01:00',
    ]);
    expect(expand('Europe/London', '2026-10-22T14:00', 'FREQ=WEEKLY;COUNT=2')).toEqual([
      '2026-10-22T14:00:00+01:00',
      '2026-10-29T14:00:00+00:00',
    ]);
  });
  it('Australia/Lord_Howe (a 30-minute DST shift)', () => {
    // DST ends 2026-04-05 (+11:00 → +10:30) and starts 2026-10-04 (+10:30 → +11:00).
    expect(expand('Australia/Lord_Howe', '2026-04-01T14:00', 'FREQ=WEEKLY;COUNT=2')).toEqual([
      '2026-04-01T14:00:00+11:00',
      '2026-04-08T14:00:00+10:30',
    ]);
    expect(expand('Australia/Lord_Howe', '2026-09-30T14:00', 'FREQ=WEEKLY;COUNT=2')).toEqual([
      '2026-09-30T14:00:00+10:30',
      '2026-10-07T14:00:00+11:00',
    ]);
  });
  it('Asia/Kathmandu (+05:45, no DST)', () => {
    expect(expand('Asia/Kathmandu', '2026-03-03T14:00', 'FREQ=WEEKLY;COUNT=2')).toEqual([
      '2026-03-03T14:00:00+05:45',
      '2026-03-10T14:00:00+05:45',
    ]);
    expect(
      expandRecurrenceMs({
        dtstart: '2026-03-03T14:00',
        timezone: 'Asia/Kathmandu',
        rrule: 'FREQ=DAILY;COUNT=1',
      }),
    ).toEqual([Date.UTC(2026, 2, 3, 8, 15)]);
  });
});

describe('DST: a time in the spring gap moves forward by the gap, that day only', () => {
  it('America/New_York daily 02:30 (1 h gap)', () => {
    expect(expand('America/New_York', '2026-03-07T02:30', 'FREQ=DAILY;COUNT=3')).toEqual([
      '2026-03-07T02:30:00-05:00',
      '2026-03-08T03:30:00-04:00',
      '2026-03-09T02:30:00-04:00',
    ]);
  });
  it('Europe/London daily 01:30', () => {
    expect(expand('Europe/London', '2026-03-28T01:30', 'FREQ=DAILY;COUNT=3')).toEqual([
      '2026-03-28T01:30:00+00:00',
      '2026-03-29T02:30:00+01:00',
      '2026-03-30T01:30:00+01:00',
    ]);
  });
  it('Australia/Lord_Howe daily 02:15 (30-minute gap 02:00–02:30)', () => {
    expect(expand('Australia/Lord_Howe', '2026-10-03T02:15', 'FREQ=DAILY;COUNT=3')).toEqual([
      '2026-10-03T02:15:00+10:30',
      '2026-10-04T02:45:00+11:00',
      '2026-10-05T02:15:00+11:00',
    ]);
  });
});

describe('DST: an ambiguous fall-back time takes the earlier instant', () => {
  it('America/New_York 01:30', () => {
    expect(expand('America/New_York', '2026-10-31T01:30', 'FREQ=DAILY;COUNT=3')).toEqual([
      '2026-10-31T01:30:00-04:00',
      '2026-11-01T01:30:00-04:00',
      '2026-11-02T01:30:00-05:00',
    ]);
  });
  it('Europe/London 01:30', () => {
    expect(expand('Europe/London', '2026-10-25T01:30', 'FREQ=DAILY;COUNT=2')).toEqual([
      '2026-10-25T01:30:00+01:00',
      '2026-10-26T01:30:00+00:00',
    ]);
  });
  it('Australia/Lord_Howe 01:45 (30-minute overlap 01:30–02:00)', () => {
    expect(expand('Australia/Lord_Howe', '2026-04-05T01:45', 'FREQ=DAILY;COUNT=2')).toEqual([
      '2026-04-05T01:45:00+11:00',
      '2026-04-06T01:45:00+10:30',
    ]);
  });
});

describe('DST: DTSTART in a gap keeps its written wall time for later instances', () => {
  it('America/New_York', () => {
    expect(expand('America/New_York', '2026-03-08T02:30', 'FREQ=DAILY;COUNT=3')).toEqual([
      '2026-03-08T03:30:00-04:00',
      '2026-03-09T02:30:00-04:00',
      '2026-03-10T02:30:00-04:00',
    ]);
  });
  it('Australia/Lord_Howe', () => {
    expect(expand('Australia/Lord_Howe', '2026-10-04T02:10', 'FREQ=WEEKLY;COUNT=2')).toEqual([
      '2026-10-04T02:40:00+11:00',
      '2026-10-11T02:10:00+11:00',
    ]);
  });
});

describe('sub-daily rules step in wall-clock time', () => {
  it('an hourly rule meets the gap hour twice: both resolve to one instant, which collapses and counts once', () => {
    expect(expand('America/New_York', '2026-03-08T00:30', 'FREQ=HOURLY;COUNT=4')).toEqual([
      '2026-03-08T00:30:00-05:00',
      '2026-03-08T01:30:00-05:00',
      '2026-03-08T03:30:00-04:00',
      '2026-03-08T04:30:00-04:00',
    ]);
  });
  it('readings in a gap that resolve out of order are returned sorted', () => {
    // 02:30 resolves to 03:30 EDT, after the 03:00 reading; 02:00 resolves to 03:00 and collapses.
    expect(
      expand('America/New_York', '2026-03-08T01:00', 'FREQ=DAILY;BYHOUR=1,2,3;BYMINUTE=0,30;COUNT=5'),
    ).toEqual([
      '2026-03-08T01:00:00-05:00',
      '2026-03-08T01:30:00-05:00',
      '2026-03-08T03:00:00-04:00',
      '2026-03-08T03:30:00-04:00',
      '2026-03-09T01:00:00-04:00',
    ]);
  });
});

describe('EXDATE, COUNT, UNTIL, window and limit', () => {
  const tz = 'America/New_York';
  it('COUNT counts instances before EXDATE removal', () => {
    expect(expand(tz, '2026-03-03T14:00', 'FREQ=WEEKLY;COUNT=3', { exdates: ['2026-03-10T14:00'] })).toEqual([
      '2026-03-03T14:00:00-05:00',
      '2026-03-17T14:00:00-04:00',
    ]);
  });
  it('EXDATEs are resolved like instances (gap) and matched by instant (local or with offset)', () => {
    const rule = 'FREQ=DAILY;COUNT=3';
    const all = expand(tz, '2026-03-07T02:30', rule);
    expect(expand(tz, '2026-03-07T02:30', rule, { exdates: ['2026-03-08T02:30'] })).toEqual([all[0], all[2]]);
    expect(expand(tz, '2026-03-07T02:30', rule, { exdates: ['2026-03-08T07:30:00Z'] })).toEqual([
      all[0],
      all[2],
    ]);
    expect(expand(tz, '2026-03-07T02:30', rule, { exdates: ['2026-03-08T03:30:00-04:00'] })).toEqual([
      all[0],
      all[2],
    ]);
    // An EXDATE that matches nothing changes nothing.
    expect(expand(tz, '2026-03-07T02:30', rule, { exdates: ['2026-03-08T02:31'] })).toEqual(all);
  });
  it('UNTIL is inclusive (UTC instant)', () => {
    // 14:00 EDT = 18:00Z.
    expect(expand(tz, '2026-03-09T14:00', 'FREQ=DAILY;UNTIL=20260311T180000Z')).toHaveLength(3);
    expect(expand(tz, '2026-03-09T14:00', 'FREQ=DAILY;UNTIL=20260311T175959Z')).toHaveLength(2);
  });
  it('a date-only UNTIL means through the end of that local date', () => {
    expect(expand(tz, '2026-03-09T23:30', 'FREQ=DAILY;UNTIL=20260311').at(-1)).toBe(
      '2026-03-11T23:30:00-04:00',
    );
    expect(expand(tz, '2026-03-09T23:30', 'FREQ=DAILY;UNTIL=20260311')).toHaveLength(3);
  });
  it('a floating UNTIL is a local time in the zone', () => {
    expect(expand(tz, '2026-03-09T14:00', 'FREQ=DAILY;UNTIL=20260311T140000')).toHaveLength(3);
  });
  it('between is [from, to): from inclusive, to exclusive', () => {
    const between = { from: '2026-03-10T18:00:00Z', to: '2026-03-12T18:00:00Z' };
    expect(expand(tz, '2026-03-09T14:00', 'FREQ=DAILY', { between })).toEqual([
      '2026-03-10T14:00:00-04:00',
      '2026-03-11T14:00:00-04:00',
    ]);
    expect(
      expand(tz, '2026-03-09T14:00', 'FREQ=DAILY', { between: { from: new Date(0), to: new Date(0) } }),
    ).toEqual([]);
  });
  it('a window far from DTSTART is reached without walking every period (no COUNT)', () => {
    const between = { from: '2090-01-01T00:00:00Z', to: '2090-01-01T01:00:00Z' };
    const t0 = performance.now();
    const got = expand('UTC', '2000-01-01T00:00', 'FREQ=MINUTELY;INTERVAL=7', { between });
    expect(performance.now() - t0).toBeLessThan(500);
    // 2000-01-01 → 2090-01-01 is 32873 days = 47337120 minutes ≡ 5 (mod 7): first at 00:02.
    expect(got[0]).toBe('2090-01-01T00:02:00+00:00');
    expect(got).toHaveLength(9);
  });
  it('with COUNT, the window does not change which instances exist', () => {
    const all = expandRecurrenceMs({
      dtstart: '2026-01-01T09:00',
      timezone: tz,
      rrule: 'FREQ=DAILY;COUNT=40',
    });
    const part = expandRecurrenceMs({
      dtstart: '2026-01-01T09:00',
      timezone: tz,
      rrule: 'FREQ=DAILY;COUNT=40',
      between: { from: new Date(all[30]!), to: new Date(all[39]! + 86_400_000 * 10) },
    });
    expect(part).toEqual(all.slice(30));
  });
  it('limit caps the output (default 1000)', () => {
    expect(expand(tz, '2026-01-01T09:00', 'FREQ=DAILY')).toHaveLength(1000);
    expect(expand(tz, '2026-01-01T09:00', 'FREQ=DAILY', { limit: 5 })).toHaveLength(5);
    expect(expand(tz, '2026-01-01T09:00', 'FREQ=MINUTELY', { limit: 10_000 })).toHaveLength(10_000);
  });
  it('duplicate instants collapse', () => {
    // BYSETPOS picking the same candidate twice, and DTSTART matching the rule, yield it once.
    expect(expand(tz, '2026-03-02T09:00', 'FREQ=MONTHLY;BYDAY=MO;BYSETPOS=1,-5;COUNT=2')).toEqual([
      '2026-03-02T09:00:00-05:00',
      '2026-04-06T09:00:00-04:00',
    ]);
  });
  it('DTSTART is the first instance even when it does not match the rule', () => {
    expect(expand(tz, '2026-03-04T09:00', 'FREQ=WEEKLY;BYDAY=MO;COUNT=2')).toEqual([
      '2026-03-04T09:00:00-05:00',
      '2026-03-09T09:00:00-04:00',
    ]);
  });
});

describe('invalid dates are skipped and not counted; impossible rules terminate', () => {
  const tz = 'Europe/London';
  it('a fifth Saturday exists only in some months', () => {
    expect(expand(tz, '2026-01-31T10:00', 'FREQ=MONTHLY;BYDAY=5SA;COUNT=3')).toEqual([
      '2026-01-31T10:00:00+00:00',
      '2026-05-30T10:00:00+01:00',
      '2026-08-29T10:00:00+01:00',
    ]);
  });
  it('February 29 recurs in leap years only, skipping 2100', () => {
    expect(expand(tz, '2096-02-29T10:00', 'FREQ=YEARLY;COUNT=3')).toEqual([
      '2096-02-29T10:00:00+00:00',
      '2104-02-29T10:00:00+00:00',
      '2108-02-29T10:00:00+00:00',
    ]);
  });
  it('monthly on the 31st skips shorter months', () => {
    expect(expand(tz, '2026-01-31T10:00', 'FREQ=MONTHLY;COUNT=3')).toEqual([
      '2026-01-31T10:00:00+00:00',
      '2026-03-31T10:00:00+01:00',
      '2026-05-31T10:00:00+01:00',
    ]);
  });
  it.each([
    'FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30',
    'FREQ=MONTHLY;INTERVAL=12;BYMONTHDAY=31',
    'FREQ=DAILY;BYMONTH=4;BYMONTHDAY=31',
    'FREQ=WEEKLY;BYDAY=MO,TU;BYSETPOS=8',
    'FREQ=HOURLY;BYMONTH=4;BYMONTHDAY=31',
    'FREQ=HOURLY;INTERVAL=6;BYHOUR=3',
    'FREQ=MINUTELY;INTERVAL=2;BYMINUTE=1',
    'FREQ=YEARLY;BYWEEKNO=53;BYMONTH=6',
  ])('%s yields only DTSTART, quickly', (rrule) => {
    const t0 = performance.now();
    const dtstart = rrule.includes('WEEKLY') ? '2026-02-02T00:00' : '2026-02-01T00:00';
    const got = expand('UTC', dtstart, rrule, { limit: 5 });
    expect(performance.now() - t0).toBeLessThan(1500);
    expect(got).toEqual([`${dtstart}:00+00:00`]);
  });
  it('stops after year 9999', () => {
    expect(expand('UTC', '9998-06-01T00:00', 'FREQ=YEARLY')).toEqual([
      '9998-06-01T00:00:00+00:00',
      '9999-06-01T00:00:00+00:00',
    ]);
  });
});

describe('rule features', () => {
  const tz = 'UTC';
  it('BYYEARDAY and BYMONTHDAY accept negatives', () => {
    expect(expand(tz, '2024-12-31T08:00', 'FREQ=YEARLY;BYYEARDAY=-1;COUNT=2')).toEqual([
      '2024-12-31T08:00:00+00:00',
      '2025-12-31T08:00:00+00:00',
    ]);
    expect(expand(tz, '2026-02-27T08:00', 'FREQ=MONTHLY;BYMONTHDAY=-2;COUNT=3')).toEqual([
      '2026-02-27T08:00:00+00:00',
      '2026-03-30T08:00:00+00:00',
      '2026-04-29T08:00:00+00:00',
    ]);
  });
  it('BYWEEKNO with negative weeks and WKST, week 1 reaching into the previous year', () => {
    // ISO week 1 of 2026 starts Monday 2025-12-29.
    expect(expand(tz, '2025-12-29T08:00', 'FREQ=YEARLY;BYWEEKNO=1;BYDAY=MO,TU;COUNT=4')).toEqual([
      '2025-12-29T08:00:00+00:00',
      '2025-12-30T08:00:00+00:00',
      '2027-01-04T08:00:00+00:00',
      '2027-01-05T08:00:00+00:00',
    ]);
    // 2026 has 53 ISO weeks; -1 is week 53 (starting 2026-12-28).
    expect(expand(tz, '2026-12-28T08:00', 'FREQ=YEARLY;BYWEEKNO=-1;BYDAY=MO;COUNT=2')).toEqual([
      '2026-12-28T08:00:00+00:00',
      '2027-12-27T08:00:00+00:00',
    ]);
  });
  it('BYDAY ordinals in YEARLY count within the year, or within BYMONTH when given', () => {
    expect(expand(tz, '2026-01-05T08:00', 'FREQ=YEARLY;BYDAY=1MO,-1FR;COUNT=3')).toEqual([
      '2026-01-05T08:00:00+00:00',
      '2026-12-25T08:00:00+00:00',
      '2027-01-04T08:00:00+00:00',
    ]);
    expect(expand(tz, '2026-03-02T08:00', 'FREQ=YEARLY;BYMONTH=3,4;BYDAY=1MO;COUNT=3')).toEqual([
      '2026-03-02T08:00:00+00:00',
      '2026-04-06T08:00:00+00:00',
      '2027-03-01T08:00:00+00:00',
    ]);
  });
  it('HOURLY with BYMINUTE expands within each hour; seconds of DTSTART are kept', () => {
    expect(expand(tz, '2026-01-01T10:00:30', 'FREQ=HOURLY;INTERVAL=2;BYMINUTE=0,30;COUNT=4')).toEqual([
      '2026-01-01T10:00:30+00:00',
      '2026-01-01T10:30:30+00:00',
      '2026-01-01T12:00:30+00:00',
      '2026-01-01T12:30:30+00:00',
    ]);
  });
  it('BYHOUR=0 and BYMINUTE=0 select midnight and the full hour', () => {
    expect(expand(tz, '2026-01-01T23:59', 'FREQ=MINUTELY;BYHOUR=0,4;BYMINUTE=0;COUNT=3')).toEqual([
      '2026-01-01T23:59:00+00:00',
      '2026-01-02T00:00:00+00:00',
      '2026-01-02T04:00:00+00:00',
    ]);
    expect(expand(tz, '2026-01-01T23:00', 'FREQ=HOURLY;BYHOUR=0;COUNT=2')).toEqual([
      '2026-01-01T23:00:00+00:00',
      '2026-01-02T00:00:00+00:00',
    ]);
  });
  it('accepts a leading RRULE: and lower-case keys', () => {
    expect(expand(tz, '2026-01-01T10:00', 'rrule:freq=daily;count=2')).toHaveLength(2);
  });
});
