/**
 * The examples of RFC 5545 §3.8.5.3 (all but SECONDLY), with TZID=America/New_York as in the RFC.
 * Expected instants are transcribed from the RFC's text: "(1997 9:00 AM EDT) September 2-11"
 * becomes `1997-09-02T09:00:00-04:00` … For rules the RFC writes as "forever", the listed prefix
 * is checked.
 */
import { describe, expect, it } from 'vitest';
import { expandRecurrence } from './expand.js';

const EDT = '-04:00';
const EST = '-05:00';

/** `at(1997, 9, [2, 3], EDT)` → 09:00 local on each day with that offset. */
function at(year: number, month: number, days: number[], offset: string, time = '09:00:00'): string[] {
  const mm = String(month).padStart(2, '0');
  return days.map((d) => `${year}-${mm}-${String(d).padStart(2, '0')}T${time}${offset}`);
}
const range = (a: number, b: number, step = 1) => {
  const out: number[] = [];
  for (let i = a; i <= b; i += step) out.push(i);
  return out;
};

function ny(dtstart: string, rrule: string, extra: { exdates?: string[]; limit?: number } = {}): string[] {
  return expandRecurrence({ dtstart, timezone: 'America/New_York', rrule, ...extra });
}

/** For "forever" rules: the first `expected.length` instances. */
function prefix(dtstart: string, rrule: string, expected: string[], extra: { exdates?: string[] } = {}) {
  expect(ny(dtstart, rrule, { ...extra, limit: expected.length })).toEqual(expected);
}

describe('RFC 5545 §3.8.5.3 examples (America/New_York)', () => {
  it('daily for 10 occurrences', () => {
    expect(ny('1997-09-02T09:00', 'FREQ=DAILY;COUNT=10')).toEqual(at(1997, 9, range(2, 11), EDT));
  });

  it('daily until December 24, 1997 (UNTIL in UTC, across the October fall-back)', () => {
    expect(ny('1997-09-02T09:00', 'RRULE:FREQ=DAILY;UNTIL=19971224T000000Z')).toEqual([
      ...at(1997, 9, range(2, 30), EDT),
      ...at(1997, 10, range(1, 25), EDT),
      ...at(1997, 10, range(26, 31), EST),
      ...at(1997, 11, range(1, 30), EST),
      ...at(1997, 12, range(1, 23), EST),
    ]);
  });

  it('every other day - forever', () => {
    prefix('1997-09-02T09:00', 'FREQ=DAILY;INTERVAL=2', [
      ...at(1997, 9, range(2, 30, 2), EDT),
      ...at(1997, 10, range(2, 24, 2), EDT),
      ...at(1997, 10, [26, 28, 30], EST),
      ...at(1997, 11, range(1, 29, 2), EST),
      ...at(1997, 12, [1, 3], EST),
    ]);
  });

  it('every 10 days, 5 occurrences', () => {
    expect(ny('1997-09-02T09:00', 'FREQ=DAILY;INTERVAL=10;COUNT=5')).toEqual([
      ...at(1997, 9, [2, 12, 22], EDT),
      ...at(1997, 10, [2, 12], EDT),
    ]);
  });

  it('every day in January, for 3 years (both RFC forms)', () => {
    const expected = [1998, 1999, 2000].flatMap((y) => at(y, 1, range(1, 31), EST));
    expect(
      ny('1998-01-01T09:00', 'FREQ=YEARLY;UNTIL=20000131T140000Z;BYMONTH=1;BYDAY=SU,MO,TU,WE,TH,FR,SA'),
    ).toEqual(expected);
    expect(ny('1998-01-01T09:00', 'FREQ=DAILY;UNTIL=20000131T140000Z;BYMONTH=1')).toEqual(expected);
  });

  it('weekly for 10 occurrences', () => {
    expect(ny('1997-09-02T09:00', 'FREQ=WEEKLY;COUNT=10')).toEqual([
      ...at(1997, 9, [2, 9, 16, 23, 30], EDT),
      ...at(1997, 10, [7, 14, 21], EDT),
      ...at(1997, 10, [28], EST),
      ...at(1997, 11, [4], EST),
    ]);
  });

  it('weekly until December 24, 1997', () => {
    expect(ny('1997-09-02T09:00', 'FREQ=WEEKLY;UNTIL=19971224T000000Z')).toEqual([
      ...at(1997, 9, [2, 9, 16, 23, 30], EDT),
      ...at(1997, 10, [7, 14, 21], EDT),
      ...at(1997, 10, [28], EST),
      ...at(1997, 11, [4, 11, 18, 25], EST),
      ...at(1997, 12, [2, 9, 16, 23], EST),
    ]);
  });

  it('every other week - forever', () => {
    prefix('1997-09-02T09:00', 'FREQ=WEEKLY;INTERVAL=2;WKST=SU', [
      ...at(1997, 9, [2, 16, 30], EDT),
      ...at(1997, 10, [14], EDT),
      ...at(1997, 10, [28], EST),
      ...at(1997, 11, [11, 25], EST),
      ...at(1997, 12, [9, 23], EST),
      ...at(1998, 1, [6, 20], EST),
      ...at(1998, 2, [3, 17], EST),
    ]);
  });

  it('weekly on Tuesday and Thursday for five weeks (UNTIL and COUNT forms)', () => {
    const expected = [...at(1997, 9, [2, 4, 9, 11, 16, 18, 23, 25, 30], EDT), ...at(1997, 10, [2], EDT)];
    expect(ny('1997-09-02T09:00', 'FREQ=WEEKLY;UNTIL=19971007T000000Z;WKST=SU;BYDAY=TU,TH')).toEqual(
      expected,
    );
    expect(ny('1997-09-02T09:00', 'FREQ=WEEKLY;COUNT=10;WKST=SU;BYDAY=TU,TH')).toEqual(expected);
  });

  it('every other week on Monday, Wednesday and Friday until December 24, 1997', () => {
    expect(
      ny('1997-09-01T09:00', 'FREQ=WEEKLY;INTERVAL=2;UNTIL=19971224T000000Z;WKST=SU;BYDAY=MO,WE,FR'),
    ).toEqual([
      ...at(1997, 9, [1, 3, 5, 15, 17, 19, 29], EDT),
      ...at(1997, 10, [1, 3, 13, 15, 17], EDT),
      ...at(1997, 10, [27, 29, 31], EST),
      ...at(1997, 11, [10, 12, 14, 24, 26, 28], EST),
      ...at(1997, 12, [8, 10, 12, 22], EST),
    ]);
  });

  it('every other week on Tuesday and Thursday, for 8 occurrences', () => {
    expect(ny('1997-09-02T09:00', 'FREQ=WEEKLY;INTERVAL=2;COUNT=8;WKST=SU;BYDAY=TU,TH')).toEqual([
      ...at(1997, 9, [2, 4, 16, 18, 30], EDT),
      ...at(1997, 10, [2, 14, 16], EDT),
    ]);
  });

  it('monthly on the first Friday for 10 occurrences', () => {
    expect(ny('1997-09-05T09:00', 'FREQ=MONTHLY;COUNT=10;BYDAY=1FR')).toEqual([
      ...at(1997, 9, [5], EDT),
      ...at(1997, 10, [3], EDT),
      ...at(1997, 11, [7], EST),
      ...at(1997, 12, [5], EST),
      ...at(1998, 1, [2], EST),
      ...at(1998, 2, [6], EST),
      ...at(1998, 3, [6], EST),
      ...at(1998, 4, [3], EST),
      ...at(1998, 5, [1], EDT),
      ...at(1998, 6, [5], EDT),
    ]);
  });

  it('monthly on the first Friday until December 24, 1997', () => {
    expect(ny('1997-09-05T09:00', 'FREQ=MONTHLY;UNTIL=19971224T000000Z;BYDAY=1FR')).toEqual([
      ...at(1997, 9, [5], EDT),
      ...at(1997, 10, [3], EDT),
      ...at(1997, 11, [7], EST),
      ...at(1997, 12, [5], EST),
    ]);
  });

  it('every other month on the first and last Sunday, 10 occurrences', () => {
    expect(ny('1997-09-07T09:00', 'FREQ=MONTHLY;INTERVAL=2;COUNT=10;BYDAY=1SU,-1SU')).toEqual([
      ...at(1997, 9, [7, 28], EDT),
      ...at(1997, 11, [2, 30], EST),
      ...at(1998, 1, [4, 25], EST),
      ...at(1998, 3, [1, 29], EST),
      ...at(1998, 5, [3, 31], EDT),
    ]);
  });

  it('monthly on the second-to-last Monday for 6 months', () => {
    expect(ny('1997-09-22T09:00', 'FREQ=MONTHLY;COUNT=6;BYDAY=-2MO')).toEqual([
      ...at(1997, 9, [22], EDT),
      ...at(1997, 10, [20], EDT),
      ...at(1997, 11, [17], EST),
      ...at(1997, 12, [22], EST),
      ...at(1998, 1, [19], EST),
      ...at(1998, 2, [16], EST),
    ]);
  });

  it('monthly on the third-to-the-last day - forever', () => {
    prefix('1997-09-28T09:00', 'FREQ=MONTHLY;BYMONTHDAY=-3', [
      ...at(1997, 9, [28], EDT),
      ...at(1997, 10, [29], EST),
      ...at(1997, 11, [28], EST),
      ...at(1997, 12, [29], EST),
      ...at(1998, 1, [29], EST),
      ...at(1998, 2, [26], EST),
    ]);
  });

  it('monthly on the 2nd and 15th for 10 occurrences', () => {
    expect(ny('1997-09-02T09:00', 'FREQ=MONTHLY;COUNT=10;BYMONTHDAY=2,15')).toEqual([
      ...at(1997, 9, [2, 15], EDT),
      ...at(1997, 10, [2, 15], EDT),
      ...at(1997, 11, [2, 15], EST),
      ...at(1997, 12, [2, 15], EST),
      ...at(1998, 1, [2, 15], EST),
    ]);
  });

  it('monthly on the first and last day for 10 occurrences', () => {
    expect(ny('1997-09-30T09:00', 'FREQ=MONTHLY;COUNT=10;BYMONTHDAY=1,-1')).toEqual([
      ...at(1997, 9, [30], EDT),
      ...at(1997, 10, [1], EDT),
      ...at(1997, 10, [31], EST),
      ...at(1997, 11, [1, 30], EST),
      ...at(1997, 12, [1, 31], EST),
      ...at(1998, 1, [1, 31], EST),
      ...at(1998, 2, [1], EST),
    ]);
  });

  it('every 18 months on the 10th thru 15th for 10 occurrences', () => {
    expect(ny('1997-09-10T09:00', 'FREQ=MONTHLY;INTERVAL=18;COUNT=10;BYMONTHDAY=10,11,12,13,14,15')).toEqual([
      ...at(1997, 9, range(10, 15), EDT),
      ...at(1999, 3, range(10, 13), EST),
    ]);
  });

  it('every Tuesday, every other month', () => {
    prefix('1997-09-02T09:00', 'FREQ=MONTHLY;INTERVAL=2;BYDAY=TU', [
      ...at(1997, 9, [2, 9, 16, 23, 30], EDT),
      ...at(1997, 11, [4, 11, 18, 25], EST),
      ...at(1998, 1, [6, 13, 20, 27], EST),
      ...at(1998, 3, [3, 10, 17, 24, 31], EST),
    ]);
  });

  it('yearly in June and July for 10 occurrences', () => {
    expect(ny('1997-06-10T09:00', 'FREQ=YEARLY;COUNT=10;BYMONTH=6,7')).toEqual(
      [1997, 1998, 1999, 2000, 2001].flatMap((y) => [...at(y, 6, [10], EDT), ...at(y, 7, [10], EDT)]),
    );
  });

  it('every other year on January, February and March for 10 occurrences', () => {
    expect(ny('1997-03-10T09:00', 'FREQ=YEARLY;INTERVAL=2;COUNT=10;BYMONTH=1,2,3')).toEqual([
      ...at(1997, 3, [10], EST),
      ...[1999, 2001, 2003].flatMap((y) => [1, 2, 3].flatMap((m) => at(y, m, [10], EST))),
    ]);
  });

  it('every third year on the 1st, 100th and 200th day for 10 occurrences', () => {
    expect(ny('1997-01-01T09:00', 'FREQ=YEARLY;INTERVAL=3;COUNT=10;BYYEARDAY=1,100,200')).toEqual([
      ...at(1997, 1, [1], EST),
      ...at(1997, 4, [10], EDT),
      ...at(1997, 7, [19], EDT),
      ...at(2000, 1, [1], EST),
      ...at(2000, 4, [9], EDT),
      ...at(2000, 7, [18], EDT),
      ...at(2003, 1, [1], EST),
      ...at(2003, 4, [10], EDT),
      ...at(2003, 7, [19], EDT),
      ...at(2006, 1, [1], EST),
    ]);
  });

  it('every 20th Monday of the year - forever', () => {
    prefix('1997-05-19T09:00', 'FREQ=YEARLY;BYDAY=20MO', [
      ...at(1997, 5, [19], EDT),
      ...at(1998, 5, [18], EDT),
      ...at(1999, 5, [17], EDT),
    ]);
  });

  it('Monday of week number 20 - forever', () => {
    prefix('1997-05-12T09:00', 'FREQ=YEARLY;BYWEEKNO=20;BYDAY=MO', [
      ...at(1997, 5, [12], EDT),
      ...at(1998, 5, [11], EDT),
      ...at(1999, 5, [17], EDT),
    ]);
  });

  it('every Thursday in March - forever', () => {
    prefix('1997-03-13T09:00', 'FREQ=YEARLY;BYMONTH=3;BYDAY=TH', [
      ...at(1997, 3, [13, 20, 27], EST),
      ...at(1998, 3, [5, 12, 19, 26], EST),
      ...at(1999, 3, [4, 11, 18, 25], EST),
    ]);
  });

  it('every Thursday, but only during June, July and August - forever', () => {
    prefix('1997-06-05T09:00', 'FREQ=YEARLY;BYDAY=TH;BYMONTH=6,7,8', [
      ...at(1997, 6, [5, 12, 19, 26], EDT),
      ...at(1997, 7, [3, 10, 17, 24, 31], EDT),
      ...at(1997, 8, [7, 14, 21, 28], EDT),
      ...at(1998, 6, [4, 11, 18, 25], EDT),
      ...at(1998, 7, [2, 9, 16, 23, 30], EDT),
      ...at(1998, 8, [6, 13, 20, 27], EDT),
      ...at(1999, 6, [3, 10, 17, 24], EDT),
      ...at(1999, 7, [1, 8, 15, 22, 29], EDT),
      ...at(1999, 8, [5, 12, 19, 26], EDT),
    ]);
  });

  it('every Friday the 13th - forever (DTSTART excluded by EXDATE)', () => {
    prefix(
      '1997-09-02T09:00',
      'FREQ=MONTHLY;BYDAY=FR;BYMONTHDAY=13',
      [
        ...at(1998, 2, [13], EST),
        ...at(1998, 3, [13], EST),
        ...at(1998, 11, [13], EST),
        ...at(1999, 8, [13], EDT),
        ...at(2000, 10, [13], EDT),
      ],
      { exdates: ['1997-09-02T09:00'] },
    );
  });

  it('the first Saturday that follows the first Sunday of the month - forever', () => {
    prefix('1997-09-13T09:00', 'FREQ=MONTHLY;BYDAY=SA;BYMONTHDAY=7,8,9,10,11,12,13', [
      ...at(1997, 9, [13], EDT),
      ...at(1997, 10, [11], EDT),
      ...at(1997, 11, [8], EST),
      ...at(1997, 12, [13], EST),
      ...at(1998, 1, [10], EST),
      ...at(1998, 2, [7], EST),
      ...at(1998, 3, [7], EST),
      ...at(1998, 4, [11], EDT),
      ...at(1998, 5, [9], EDT),
      ...at(1998, 6, [13], EDT),
    ]);
  });

  it('every 4 years, the first Tuesday after a Monday in November (U.S. election day)', () => {
    prefix('1996-11-05T09:00', 'FREQ=YEARLY;INTERVAL=4;BYMONTH=11;BYDAY=TU;BYMONTHDAY=2,3,4,5,6,7,8', [
      ...at(1996, 11, [5], EST),
      ...at(2000, 11, [7], EST),
      ...at(2004, 11, [2], EST),
    ]);
  });

  it('the third instance of Tuesday, Wednesday or Thursday, for 3 months', () => {
    expect(ny('1997-09-04T09:00', 'FREQ=MONTHLY;COUNT=3;BYDAY=TU,WE,TH;BYSETPOS=3')).toEqual([
      ...at(1997, 9, [4], EDT),
      ...at(1997, 10, [7], EDT),
      ...at(1997, 11, [6], EST),
    ]);
  });

  it('the second-to-last weekday of the month', () => {
    prefix('1997-09-29T09:00', 'FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-2', [
      ...at(1997, 9, [29], EDT),
      ...at(1997, 10, [30], EST),
      ...at(1997, 11, [27], EST),
      ...at(1997, 12, [30], EST),
      ...at(1998, 1, [29], EST),
      ...at(1998, 2, [26], EST),
      ...at(1998, 3, [30], EST),
    ]);
  });

  it('every 3 hours from 9:00 AM to 5:00 PM on a specific day', () => {
    // The RFC lists 09:00, 12:00, 15:00 EDT but writes UNTIL=19970902T170000Z, which is 13:00
    // EDT (a known erratum: 17:00 local would be 210000Z). Both readings are checked.
    expect(ny('1997-09-02T09:00', 'FREQ=HOURLY;INTERVAL=3;UNTIL=19970902T210000Z')).toEqual([
      '1997-09-02T09:00:00-04:00',
      '1997-09-02T12:00:00-04:00',
      '1997-09-02T15:00:00-04:00',
    ]);
    expect(ny('1997-09-02T09:00', 'FREQ=HOURLY;INTERVAL=3;UNTIL=19970902T170000Z')).toEqual([
      '1997-09-02T09:00:00-04:00',
      '1997-09-02T12:00:00-04:00',
    ]);
  });

  it('every 15 minutes for 6 occurrences', () => {
    expect(ny('1997-09-02T09:00', 'FREQ=MINUTELY;INTERVAL=15;COUNT=6')).toEqual(
      ['09:00', '09:15', '09:30', '09:45', '10:00', '10:15'].map((t) => `1997-09-02T${t}:00${EDT}`),
    );
  });

  it('every hour and a half for 4 occurrences', () => {
    expect(ny('1997-09-02T09:00', 'FREQ=MINUTELY;INTERVAL=90;COUNT=4')).toEqual(
      ['09:00', '10:30', '12:00', '13:30'].map((t) => `1997-09-02T${t}:00${EDT}`),
    );
  });

  it('every 20 minutes from 9:00 AM to 4:40 PM every day (both RFC forms)', () => {
    const day = (d: number) =>
      range(9, 16).flatMap((h) =>
        [0, 20, 40].map(
          (m) => `1997-09-0${d}T${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}:00${EDT}`,
        ),
      );
    const expected = [...day(2), ...day(3)];
    prefix('1997-09-02T09:00', 'FREQ=DAILY;BYHOUR=9,10,11,12,13,14,15,16;BYMINUTE=0,20,40', expected);
    prefix('1997-09-02T09:00', 'FREQ=MINUTELY;INTERVAL=20;BYHOUR=9,10,11,12,13,14,15,16', expected);
  });

  it('WKST changes the days generated (MO vs SU)', () => {
    expect(ny('1997-08-05T09:00', 'FREQ=WEEKLY;INTERVAL=2;COUNT=4;BYDAY=TU,SU;WKST=MO')).toEqual(
      at(1997, 8, [5, 10, 19, 24], EDT),
    );
    expect(ny('1997-08-05T09:00', 'FREQ=WEEKLY;INTERVAL=2;COUNT=4;BYDAY=TU,SU;WKST=SU')).toEqual(
      at(1997, 8, [5, 17, 19, 31], EDT),
    );
  });

  it('an invalid date (February 30) is ignored', () => {
    expect(ny('2007-01-15T09:00', 'FREQ=MONTHLY;BYMONTHDAY=15,30;COUNT=5')).toEqual([
      ...at(2007, 1, [15, 30], EST),
      ...at(2007, 2, [15], EST),
      ...at(2007, 3, [15, 30], EDT),
    ]);
  });
});
