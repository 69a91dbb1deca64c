import { describe, expect, it } from 'vitest';
import {
  epochMsToLocal,
  isValidTimeZone,
  localMsToEpoch,
  localToEpochMs,
  MS_PER_DAY,
  offsetStretches,
  parseWallTime,
  stretchIndexAt,
  wallClock,
} from './zone.js';

describe('wall clock ↔ instant', () => {
  it('moves a local time in a spring-forward gap forward by the gap', () => {
    // 2026-03-08 02:30 does not exist in New York; 03:30 EDT is 07:30Z.
    expect(new Date(localToEpochMs('2026-03-08', 150, 'America/New_York')).toISOString()).toBe(
      '2026-03-08T07:30:00.000Z',
    );
  });
  it('takes the earlier instant of an ambiguous fall-back time', () => {
    // 2026-11-01 01:30 happens twice in New York; the first is EDT (05:30Z).
    expect(new Date(localToEpochMs('2026-11-01', 90, 'America/New_York')).toISOString()).toBe(
      '2026-11-01T05:30:00.000Z',
    );
  });
  it('reads 24:00 as the next midnight', () => {
    expect(localToEpochMs('2026-01-01', 1440, 'Asia/Kathmandu')).toBe(
      localToEpochMs('2026-01-02', 0, 'Asia/Kathmandu'),
    );
  });
  it('knows 45-minute offsets', () => {
    expect(epochMsToLocal(Date.UTC(2026, 0, 1, 0, 0), 'Asia/Kathmandu').offsetMinutes).toBe(345);
  });
  it('rejects unknown zones and impossible wall times', () => {
    expect(isValidTimeZone('Mars/Olympus')).toBe(false);
    expect(isValidTimeZone('Europe/London')).toBe(true);
    expect(parseWallTime('25:00')).toBeNull();
    expect(parseWallTime('24:00')).toBeNull();
    expect(parseWallTime('24:00', true)).toBe(1440);
  });
});

describe('one offset cache', () => {
  // Instants either side of the cache's chunk boundaries (2^35 ms) and of DST transitions.
  const CHUNK = 2 ** 35;
  const zones = ['Europe/London', 'America/New_York', 'Australia/Lord_Howe', 'Asia/Kathmandu', 'UTC'];
  const instants = [
    ...[40, 41, 50, 51, 52, 60].flatMap((c) => [c * CHUNK - 1, c * CHUNK, c * CHUNK + 1]),
    Date.UTC(2026, 2, 8, 6, 59, 59, 999),
    Date.UTC(2026, 2, 8, 7),
    Date.UTC(2026, 2, 29, 1),
    Date.UTC(2026, 9, 4, 15, 30),
  ];
  it('a wall clock reads the same offsets as offsetStretches and Temporal, also across chunk edges', () => {
    for (const zone of zones) {
      const clock = wallClock(zone);
      // Ascending and then descending, so the clock's cursor moves both ways.
      for (const t of [...instants, ...[...instants].reverse()]) {
        const st = offsetStretches(zone, t - MS_PER_DAY, t + MS_PER_DAY);
        const expected = epochMsToLocal(t, zone).offsetMinutes * 60_000;
        expect(clock.offsetMsAt(t), `${zone} @ ${new Date(t).toISOString()}`).toBe(expected);
        expect(st[stretchIndexAt(st, t)]!.offsetMs).toBe(expected);
      }
    }
  });
  it('a wall clock and offsetStretches resolve gaps and overlaps alike', () => {
    const zone = 'America/New_York';
    const st = offsetStretches(zone, Date.UTC(2026, 2, 7), Date.UTC(2026, 10, 3));
    for (const local of [
      Date.UTC(2026, 2, 8, 2, 30),
      Date.UTC(2026, 10, 1, 1, 30),
      Date.UTC(2026, 5, 1, 12),
    ]) {
      expect(wallClock(zone).toEpochMs(local)).toBe(localMsToEpoch(st, local));
    }
  });
});
