// Tests for the offset-table helpers this engine added to time/zone.ts: they must agree with
// Temporal exactly, or every fast path above them is wrong.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  dateToEpochDay,
  epochDayToDate,
  epochDayWeekday,
  epochMsToLocal,
  epochToLocalMs,
  isoWeekday,
  localMsToEpoch,
  localToEpochMs,
  offsetStretches,
  startOfLocalDay,
} from '../time/zone.js';

const ZONES = [
  'UTC',
  'Europe/London',
  'America/New_York',
  'Australia/Lord_Howe',
  'Asia/Kathmandu',
  'America/Santiago',
  'Pacific/Apia',
  'Asia/Tehran',
  'America/St_Johns',
];
const DAY = 86_400_000;
const instant = fc.integer({ min: Date.UTC(1990, 0, 1), max: Date.UTC(2040, 0, 1) });

describe('offset stretches', () => {
  it('are contiguous, cover the range and match Temporal offsets', () => {
    fc.assert(
      fc.property(fc.constantFrom(...ZONES), instant, fc.integer({ min: 1, max: 800 }), (tz, from, days) => {
        const to = from + days * DAY;
        const st = offsetStretches(tz, from, to);
        expect(st[0]!.start).toBeLessThanOrEqual(from);
        expect(st[st.length - 1]!.end).toBeGreaterThanOrEqual(to);
        for (let i = 1; i < st.length; i++) {
          expect(st[i]!.start).toBe(st[i - 1]!.end);
          expect(st[i]!.offsetMs).not.toBe(st[i - 1]!.offsetMs);
        }
        for (const s of st) {
          const probe = Math.max(s.start, from);
          if (probe < s.end) expect(epochMsToLocal(probe, tz).offsetMinutes * 60_000).toBe(s.offsetMs);
        }
      }),
      { numRuns: 100 },
    );
  });

  it('convert instants to local time and wall times to instants exactly like Temporal', () => {
    fc.assert(
      fc.property(fc.constantFrom(...ZONES), instant, fc.integer({ min: 0, max: 1439 }), (tz, t, minute) => {
        const st = offsetStretches(tz, t - 3 * DAY, t + 3 * DAY);
        const lv = epochMsToLocal(t, tz);
        const local = epochToLocalMs(st, t);
        expect(epochDayToDate(Math.floor(local / DAY))).toBe(lv.date);
        expect(Math.floor((local % DAY) / 60_000)).toBe(lv.minutes);
        // Wall time → instant (gap forward, overlap earlier) on the same local date.
        const day = dateToEpochDay(lv.date);
        expect(localMsToEpoch(st, day * DAY + minute * 60_000)).toBe(localToEpochMs(lv.date, minute, tz));
      }),
      { numRuns: 200 },
    );
  });

  it('hit every wall time around known transitions', () => {
    for (const [tz, date] of [
      ['America/New_York', '2026-03-08'],
      ['America/New_York', '2026-11-01'],
      ['Australia/Lord_Howe', '2026-10-04'],
      ['Australia/Lord_Howe', '2026-04-05'],
      ['America/Santiago', '2026-09-06'],
    ] as const) {
      const day = dateToEpochDay(date);
      const st = offsetStretches(tz, (day - 2) * DAY, (day + 2) * DAY);
      for (let m = 0; m < 1440; m += 5) {
        expect(localMsToEpoch(st, day * DAY + m * 60_000)).toBe(localToEpochMs(date, m, tz));
      }
    }
  });
});

describe('calendar helpers', () => {
  it('epoch days round-trip and give ISO weekdays', () => {
    fc.assert(
      fc.property(fc.integer({ min: -30000, max: 60000 }), (d) => {
        const date = epochDayToDate(d);
        expect(dateToEpochDay(date)).toBe(d);
        expect(epochDayWeekday(d)).toBe(isoWeekday(date));
      }),
      { numRuns: 100 },
    );
  });

  it('startOfLocalDay resolves a midnight in a gap to the transition (Santiago)', () => {
    // 2026-09-06 00:00 does not exist in Santiago (clocks go 24:00 → 01:00, -04 → -03).
    expect(new Date(startOfLocalDay(Date.UTC(2026, 8, 5, 15), 1, 'America/Santiago')).toISOString()).toBe(
      '2026-09-06T04:00:00.000Z',
    );
  });
});
