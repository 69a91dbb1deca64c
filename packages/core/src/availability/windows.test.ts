import { describe, expect, it } from 'vitest';
import { at, everyDay, input, iso, utc } from '../../test/support/availability.js';
import { freeWindows } from './windows.js';

const nine2five = everyDay([{ start: '09:00', end: '17:00' }]);
const pairs = (xs: { start: number; end: number }[]) =>
  xs.map((x) => [iso(x.start).slice(0, 16), iso(x.end).slice(0, 16)]);

describe('freeWindows', () => {
  it('is opening hours minus buffered bookings and allocations', () => {
    const got = freeWindows(
      input({
        weekly: nine2five,
        occupations: [
          {
            start: utc('2026-01-05T10:00'),
            end: utc('2026-01-05T11:00'),
            kind: 'booking',
            bufferAfterMinutes: 15,
          },
          { start: utc('2026-01-05T13:00'), end: utc('2026-01-05T14:00'), kind: 'allocation' },
        ],
      }),
    );
    expect(pairs(got)).toEqual([
      ['2026-01-05T09:00', '2026-01-05T10:00'],
      ['2026-01-05T11:15', '2026-01-05T13:00'],
      ['2026-01-05T14:00', '2026-01-05T17:00'],
    ]);
  });

  it('drops windows shorter than minDurationMinutes and shrinks by the new booking buffers', () => {
    const inp = input({
      weekly: nine2five,
      occupations: [{ start: utc('2026-01-05T10:00'), end: utc('2026-01-05T16:30'), kind: 'booking' }],
      bufferBeforeMinutes: 10,
      bufferAfterMinutes: 20,
    } as never);
    expect(pairs(freeWindows(inp, { minDurationMinutes: 30 }))).toEqual([
      ['2026-01-05T09:00', '2026-01-05T09:40'],
    ]);
    expect(pairs(freeWindows(inp, { minDurationMinutes: 45 }))).toEqual([]);
  });

  it('respects now + notice and the horizon, and merges across midnight', () => {
    const tz = 'Europe/London';
    const got = freeWindows(
      input({
        timezone: tz,
        weekly: everyDay([{ start: '20:00', end: '02:00' }]),
        now: at(tz, '2026-03-28T21:00'),
        minNoticeMinutes: 30,
        horizonDays: 1,
        from: at(tz, '2026-03-28T00:00'),
        to: at(tz, '2026-04-02T00:00'),
      }),
    );
    expect(got.map((w) => [w.start, w.end])).toEqual([
      [at(tz, '2026-03-28T21:30'), at(tz, '2026-03-29T02:00')],
      [at(tz, '2026-03-29T20:00'), at(tz, '2026-03-30T00:00')],
    ]);
  });

  it('rejects bad input naming the field', () => {
    expect(() => freeWindows(input({ timezone: 'Nowhere/Land' }))).toThrow(
      expect.objectContaining({
        code: 'validation_failed',
        details: { fields: [expect.objectContaining({ path: 'timezone' })] },
      }),
    );
    expect(() => freeWindows(input({ occupations: [{ start: 5, end: 1, kind: 'booking' }] }))).toThrow(
      expect.objectContaining({
        details: { fields: [expect.objectContaining({ path: 'occupations.0.end' })] },
      }),
    );
    expect(() => freeWindows(input(), { minDurationMinutes: -1 })).toThrow(
      expect.objectContaining({
        details: { fields: [expect.objectContaining({ path: 'minDurationMinutes' })] },
      }),
    );
  });
});
