import { describe, expect, it } from 'vitest';
import { at, everyDay, HOUR, input, MIN, utc } from '../../test/support/availability.js';
import { explainStart } from './explain.js';

const nine2five = everyDay([{ start: '09:00', end: '17:00' }]);

describe('explainStart', () => {
  it('says available with no reasons for a bookable start', () => {
    expect(explainStart(input({ weekly: nine2five }), utc('2026-01-05T10:00'))).toEqual({
      available: true,
      reasons: [],
    });
  });

  it('explains a booking overlap with its buffer in local wall time', () => {
    const tz = 'America/New_York';
    const occ = [
      {
        start: at(tz, '2026-01-05T10:00'),
        end: at(tz, '2026-01-05T11:00'),
        kind: 'booking' as const,
        bufferAfterMinutes: 15,
      },
    ];
    const ex = explainStart(
      input({ timezone: tz, weekly: nine2five, occupations: occ }),
      at(tz, '2026-01-05T11:00'),
    );
    expect(ex).toEqual({
      available: false,
      reasons: [
        { code: 'buffer_conflict', detail: 'buffers overlap booking 10:00–11:00 plus 15 min buffer' },
      ],
    });
    const core = explainStart(
      input({ timezone: tz, weekly: nine2five, occupations: occ }),
      at(tz, '2026-01-05T10:30'),
    );
    expect(core.reasons.map((r) => r.code)).toEqual(['off_grid', 'conflict']);
    expect(core.reasons[1]!.detail).toBe('overlaps booking 10:00–11:00 plus 15 min buffer');
  });

  it('reports off_grid, outside_hours, min_notice, beyond_horizon, allocation and full together', () => {
    const s = utc('2026-01-09T17:10');
    const ex = explainStart(
      input({
        weekly: nine2five,
        now: utc('2026-01-09T17:00'),
        minNoticeMinutes: 60,
        horizonDays: 0,
        capacity: 2,
        seats: 2,
        occupations: [
          { start: utc('2026-01-09T17:30'), end: utc('2026-01-09T18:00'), kind: 'allocation' },
          { start: s, end: s + HOUR, kind: 'booking', seats: 1, slotKey: `svc|${s}|${s + HOUR}` },
        ],
      }),
      s,
    );
    expect(ex.available).toBe(false);
    expect(ex.reasons.map((r) => r.code)).toEqual([
      'off_grid',
      'outside_hours',
      'min_notice',
      'allocation',
      'full',
    ]);
    expect(ex.reasons.find((r) => r.code === 'full')?.detail).toBe('1 of 2 seats taken; 2 requested');
    expect(ex.reasons.find((r) => r.code === 'allocation')?.detail).toBe('overlaps allocation 17:30–18:00');
    expect(ex.reasons.find((r) => r.code === 'off_grid')?.detail).toContain('60-minute grid');
  });

  it('names closed_override and beyond_horizon dates', () => {
    const ex = explainStart(
      input({
        weekly: nine2five,
        overrides: [{ date: '2026-01-07', hours: [] }],
        now: utc('2026-01-05T00:00'),
        horizonDays: 1,
      }),
      utc('2026-01-07T10:00'),
    );
    expect(ex.reasons).toEqual([
      { code: 'closed_override', detail: '2026-01-07 is closed by an override' },
      {
        code: 'beyond_horizon',
        detail: '2026-01-07 is past the booking horizon (last bookable date 2026-01-06)',
      },
    ]);
  });

  it('says a start in the past is in the past', () => {
    const ex = explainStart(
      input({ weekly: nine2five, now: utc('2026-01-05T12:00') }),
      utc('2026-01-05T10:00'),
    );
    expect(ex.reasons).toEqual([{ code: 'min_notice', detail: '2026-01-05 10:00 is in the past' }]);
  });

  it('accepts both 01:00s of a fall-back overlap as on-grid', () => {
    const tz = 'America/New_York';
    const inp = input({ timezone: tz, weekly: everyDay([{ start: '00:00', end: '24:00' }]) });
    expect(explainStart(inp, utc('2026-11-01T05:00')).available).toBe(true); // 01:00 EDT
    expect(explainStart(inp, utc('2026-11-01T06:00')).available).toBe(true); // 01:00 EST
    expect(explainStart(inp, utc('2026-11-01T06:00') + 7 * MIN).reasons.map((r) => r.code)).toEqual([
      'off_grid',
    ]);
  });

  it('explains a class session on a closed date or outside special hours', () => {
    const t = utc('2026-01-05T10:10');
    const closed = input({ sessionStarts: [t], overrides: [{ date: '2026-01-05', hours: [] }] });
    expect(explainStart(closed, t)).toEqual({
      available: false,
      reasons: [{ code: 'closed_override', detail: '2026-01-05 is closed by an override' }],
    });
    const special = input({
      sessionStarts: [t],
      weekly: nine2five,
      overrides: [{ date: '2026-01-05', hours: [{ start: '14:00', end: '17:00' }] }],
    });
    expect(explainStart(special, t)).toEqual({
      available: false,
      reasons: [{ code: 'outside_hours', detail: '10:10–11:10 on 2026-01-05 is not inside opening hours' }],
    });
    // Weekly hours alone: a session past closing time is outside them, one inside is fine.
    const evening = input({ sessionStarts: [t, t + 8 * HOUR], weekly: nine2five });
    expect(explainStart(evening, t).available).toBe(true);
    expect(explainStart(evening, t + 8 * HOUR).reasons.map((r) => r.code)).toEqual(['outside_hours']);
  });

  it('checks class sessions against the timetable instead of the grid', () => {
    const t = utc('2026-01-05T10:10');
    const inp = input({ sessionStarts: [t] });
    expect(explainStart(inp, t)).toEqual({ available: true, reasons: [] });
    expect(explainStart(inp, t + HOUR).reasons).toEqual([
      { code: 'off_grid', detail: 'no session of the timetable starts at 2026-01-05 11:10' },
    ]);
  });
});
