/**
 * The zone arithmetic the engine relies on (added to time/zone.ts for it): `wallClock` must agree
 * with Temporal's `compatible` disambiguation everywhere, including 30-minute and 24-hour gaps,
 * and the integer calendar helpers with the proleptic Gregorian calendar.
 */
import fc from 'fast-check';
import { Temporal } from 'temporal-polyfill';
import { describe, expect, it } from 'vitest';
import {
  civilFromEpochDay,
  epochDayFromCivil,
  formatLocalMsWithOffset,
  formatWithOffset,
  localDateTimeToEpochMs,
  wallClock,
} from '../time/zone.js';
import { expandRecurrence } from './expand.js';

const ZONES = [
  'America/New_York',
  'Europe/London',
  'Australia/Lord_Howe',
  'Asia/Kathmandu',
  'Pacific/Apia', // skipped 2011-12-30 entirely (a 24-hour gap)
  'America/Santiago', // DST changes at midnight
  'Pacific/Chatham', // +12:45 / +13:45
  'Asia/Tehran',
  'UTC',
];

const pad = (n: number, w = 2) => String(n).padStart(w, '0');

describe('wallClock agrees with Temporal (compatible: gap → forward, overlap → earlier)', () => {
  it('on random local times 1900–2100 in zones with odd offsets and transitions', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...ZONES),
        fc.integer({ min: epochDayFromCivil(1900, 1, 1), max: epochDayFromCivil(2100, 12, 31) }),
        fc.integer({ min: 0, max: 1439 }),
        (zone, day, minute) => {
          const c = civilFromEpochDay(day);
          const text = `${pad(Math.floor(c / 10000), 4)}-${pad(Math.floor(c / 100) % 100)}-${pad(c % 100)}T${pad(Math.floor(minute / 60))}:${pad(minute % 60)}`;
          const local = day * 86_400_000 + minute * 60_000;
          const t = wallClock(zone).toEpochMs(local);
          expect(t).toBe(localDateTimeToEpochMs(text, zone));
          const off = wallClock(zone).offsetMsAt(t);
          if (off % 60_000 === 0)
            expect(formatLocalMsWithOffset(t + off, off)).toBe(formatWithOffset(t, zone));
        },
      ),
      { numRuns: 200 },
    );
  });

  it('around every transition of 2011–2027 in those zones, minute by minute', () => {
    for (const zone of ZONES) {
      let z: Temporal.ZonedDateTime | null = Temporal.ZonedDateTime.from(`2011-01-01T00:00[${zone}]`);
      let checked = 0;
      while (z && z.year < 2028) {
        z = z.getTimeZoneTransition('next');
        if (!z) break;
        const local = z.toPlainDateTime();
        for (let m = -150; m <= 150; m += 15) {
          const p = local.add({ minutes: m });
          const localMs = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute);
          expect(wallClock(zone).toEpochMs(localMs)).toBe(
            p.toZonedDateTime(zone, { disambiguation: 'compatible' }).epochMilliseconds,
          );
          checked++;
        }
      }
      if (zone !== 'UTC' && zone !== 'Asia/Kathmandu') expect(checked).toBeGreaterThan(0);
    }
  });

  it('Pacific/Apia: the missing 2011-12-30 moves forward a whole day and collapses with Dec 31', () => {
    expect(
      expandRecurrence({
        dtstart: '2011-12-29T12:00',
        timezone: 'Pacific/Apia',
        rrule: 'FREQ=DAILY;COUNT=3',
      }),
    ).toEqual(['2011-12-29T12:00:00-10:00', '2011-12-31T12:00:00+14:00', '2012-01-01T12:00:00+14:00']);
  });

  it('historical local mean time offsets are written exactly, with seconds', () => {
    expect(
      expandRecurrence({
        dtstart: '1850-01-01T12:00',
        timezone: 'America/New_York',
        rrule: 'FREQ=DAILY;COUNT=1',
      }),
    ).toEqual(['1850-01-01T12:00:00-04:56:02']);
  });

  it('epochDayFromCivil / civilFromEpochDay round-trip and match Date.UTC', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: epochDayFromCivil(1, 1, 1), max: epochDayFromCivil(9999, 12, 31) }),
        (day) => {
          const c = civilFromEpochDay(day);
          const y = Math.floor(c / 10000);
          const m = Math.floor(c / 100) % 100;
          const d = c % 100;
          expect(epochDayFromCivil(y, m, d)).toBe(day);
          const date = new Date(0);
          date.setUTCFullYear(y, m - 1, d);
          expect(Math.floor(date.getTime() / 86_400_000)).toBe(day);
        },
      ),
      { numRuns: 200 },
    );
  });
});
