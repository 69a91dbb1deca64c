import { describe, expect, it } from 'vitest';
import { epochMsToLocal, isValidTimeZone, localToEpochMs, parseWallTime } from './zone.js';

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
