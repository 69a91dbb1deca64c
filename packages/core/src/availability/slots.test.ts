import { describe, expect, it } from 'vitest';
import { at, DAY, everyDay, HOUR, input, iso, MIN, utc } from '../../test/support/availability.js';
import { computeSlots } from './slots.js';
import type { AvailabilityInput } from './types.js';

const starts = (slots: { start: number }[]) => slots.map((s) => iso(s.start));
const nine2five = everyDay([{ start: '09:00', end: '17:00' }]);

describe('rule 3: candidates on the local grid', () => {
  it('defaults the grid to the duration and allows overlapping candidates with a finer grid', () => {
    const base = input({ weekly: { mon: [{ start: '09:00', end: '12:00' }] } });
    expect(starts(computeSlots(base))).toEqual([
      '2026-01-05T09:00:00.000Z',
      '2026-01-05T10:00:00.000Z',
      '2026-01-05T11:00:00.000Z',
    ]);
    expect(computeSlots({ ...base, gridMinutes: 30 })).toHaveLength(5); // 09:00 … 11:00
  });

  it('restarts the grid at every local midnight when it does not divide the day', () => {
    // 50-minute grid: …, 23:20, then 00:00 (not 00:10).
    const slots = computeSlots(
      input({
        weekly: everyDay([{ start: '00:00', end: '24:00' }]),
        durationMinutes: 10,
        gridMinutes: 50,
        from: utc('2026-01-05T23:00'),
        to: utc('2026-01-06T01:00'),
      }),
    );
    expect(starts(slots)).toEqual([
      '2026-01-05T23:20:00.000Z',
      '2026-01-06T00:00:00.000Z',
      '2026-01-06T00:50:00.000Z',
    ]);
  });

  it('follows the local wall clock, not UTC, in Kathmandu (+05:45)', () => {
    const tz = 'Asia/Kathmandu';
    const slots = computeSlots(
      input({
        timezone: tz,
        weekly: { mon: [{ start: '09:00', end: '11:00' }] },
        gridMinutes: 30,
        from: at(tz, '2026-01-05T00:00'),
        to: at(tz, '2026-01-06T00:00'),
      }),
    );
    expect(slots.map((s) => s.start)).toEqual([
      at(tz, '2026-01-05T09:00'),
      at(tz, '2026-01-05T09:30'),
      at(tz, '2026-01-05T10:00'),
    ]);
  });

  it('offers both 01:00s of a fall-back overlap (New York) and a 25-hour day', () => {
    const tz = 'America/New_York';
    const slots = computeSlots(
      input({
        timezone: tz,
        weekly: everyDay([{ start: '00:00', end: '24:00' }]),
        from: at(tz, '2026-11-01T00:00'),
        to: at(tz, '2026-11-02T00:00'),
      }),
    );
    expect(slots).toHaveLength(25);
    expect(starts(slots).slice(0, 4)).toEqual([
      '2026-11-01T04:00:00.000Z',
      '2026-11-01T05:00:00.000Z',
      '2026-11-01T06:00:00.000Z',
      '2026-11-01T07:00:00.000Z',
    ]);
  });

  it('skips wall times inside a spring-forward gap and has 23 hourly starts (Europe/London)', () => {
    const tz = 'Europe/London';
    const slots = computeSlots(
      input({
        timezone: tz,
        weekly: everyDay([{ start: '00:00', end: '24:00' }]),
        from: at(tz, '2026-03-29T00:00'),
        to: at(tz, '2026-03-30T00:00'),
      }),
    );
    expect(slots).toHaveLength(23);
    expect(starts(slots).slice(0, 3)).toEqual([
      '2026-03-29T00:00:00.000Z',
      '2026-03-29T01:00:00.000Z',
      '2026-03-29T02:00:00.000Z',
    ]);
  });

  it('shifts by 30 minutes across the Lord Howe change, keeping the wall-clock grid', () => {
    const tz = 'Australia/Lord_Howe';
    // 2026-04-05 02:00 (+11) → 01:30 (+10:30): 01:30–02:00 happens twice.
    const slots = computeSlots(
      input({
        timezone: tz,
        weekly: everyDay([{ start: '01:00', end: '03:00' }]),
        durationMinutes: 30,
        from: at(tz, '2026-04-05T00:00'),
        to: at(tz, '2026-04-06T00:00'),
      }),
    );
    expect(starts(slots)).toEqual([
      '2026-04-04T14:00:00.000Z', // 01:00 +11
      '2026-04-04T14:30:00.000Z', // 01:30 +11
      '2026-04-04T15:00:00.000Z', // 01:30 +10:30 (second)
      '2026-04-04T15:30:00.000Z', // 02:00 +10:30
      '2026-04-04T16:00:00.000Z', // 02:30 +10:30
    ]);
  });
});

describe('rule 4: the slot lies inside one open window', () => {
  it('rejects slots that run past closing, accepts one that crosses midnight in merged hours', () => {
    const slots = computeSlots(
      input({
        weekly: { mon: [{ start: '22:00', end: '24:00' }], tue: [{ start: '00:00', end: '01:30' }] },
        durationMinutes: 90,
        gridMinutes: 30,
        from: utc('2026-01-05T00:00'),
        to: utc('2026-01-07T00:00'),
      }),
    );
    expect(starts(slots)).toEqual([
      '2026-01-05T22:00:00.000Z',
      '2026-01-05T22:30:00.000Z',
      '2026-01-05T23:00:00.000Z',
      '2026-01-05T23:30:00.000Z',
      '2026-01-06T00:00:00.000Z',
    ]);
  });

  it('lets buffers stick out of opening hours', () => {
    const slots = computeSlots(
      input({
        weekly: { mon: [{ start: '09:00', end: '10:00' }] },
        bufferBeforeMinutes: 30,
        bufferAfterMinutes: 30,
      }),
    );
    expect(starts(slots)).toEqual(['2026-01-05T09:00:00.000Z']);
  });

  it('runs overnight hours into the next day (fri 22:00–03:00)', () => {
    const slots = computeSlots(
      input({
        weekly: { fri: [{ start: '22:00', end: '03:00' }] },
        from: utc('2026-01-09T00:00'),
        to: utc('2026-01-11T00:00'),
      }),
    );
    expect(slots).toHaveLength(5);
  });
});

describe('rule 5: occupations with buffers', () => {
  const day = { weekly: nine2five };
  const booking = (a: string, b: string, extra: object = {}) => ({
    start: utc(a),
    end: utc(b),
    kind: 'booking' as const,
    ...extra,
  });

  it('touching is fine; overlap is not', () => {
    const slots = computeSlots(
      input({ ...day, occupations: [booking('2026-01-05T10:00', '2026-01-05T11:00')] }),
    );
    expect(starts(slots)).not.toContain('2026-01-05T10:00:00.000Z');
    expect(starts(slots)).toContain('2026-01-05T09:00:00.000Z');
    expect(starts(slots)).toContain('2026-01-05T11:00:00.000Z');
  });

  it("applies the booking's own buffers and the candidate's buffers", () => {
    const occ = [booking('2026-01-05T12:00', '2026-01-05T13:00', { bufferAfterMinutes: 15 })];
    const a = computeSlots(input({ ...day, occupations: occ }), { includeUnavailable: true });
    expect(a.find((s) => iso(s.start) === '2026-01-05T13:00:00.000Z')?.reasons).toEqual(['buffer_conflict']);
    const b = computeSlots(input({ ...day, bufferAfterMinutes: 5, occupations: occ }), {
      includeUnavailable: true,
    });
    expect(b.find((s) => iso(s.start) === '2026-01-05T11:00:00.000Z')?.reasons).toEqual(['buffer_conflict']);
    expect(b.find((s) => iso(s.start) === '2026-01-05T12:00:00.000Z')?.reasons).toEqual(['conflict']);
  });

  it('blocks allocations by [start, end) and the candidate buffers', () => {
    const occ = [
      {
        start: utc('2026-01-05T12:00'),
        end: utc('2026-01-05T13:00'),
        kind: 'allocation' as const,
        bufferAfterMinutes: 60,
      },
    ];
    const slots = computeSlots(input({ ...day, bufferBeforeMinutes: 10, occupations: occ }), {
      includeUnavailable: true,
    });
    const reasons = Object.fromEntries(slots.map((s) => [iso(s.start).slice(11, 16), s.reasons]));
    expect(reasons['12:00']).toEqual(['allocation']);
    expect(reasons['13:00']).toEqual(['allocation']); // its 10-min before-buffer hits 12:50
    expect(reasons['14:00']).toEqual([]); // allocations ignore buffers of their own
  });

  it('counts bookings outside the query window', () => {
    const slots = computeSlots(
      input({
        ...day,
        from: utc('2026-01-05T10:00'),
        occupations: [booking('2026-01-05T09:00', '2026-01-05T10:00', { bufferAfterMinutes: 30 })],
      }),
    );
    expect(starts(slots)[0]).toBe('2026-01-05T11:00:00.000Z');
  });

  it('lets same-slot bookings share capacity instead of conflicting', () => {
    const s = utc('2026-01-05T10:00');
    const key = `svc|${s}|${s + HOUR}`;
    const occ = [
      { start: s, end: s + HOUR, kind: 'booking' as const, seats: 2, slotKey: key, bufferAfterMinutes: 30 },
      { start: s, end: s + HOUR, kind: 'booking' as const, seats: 1, slotKey: key },
    ];
    const all = computeSlots(input({ ...day, capacity: 5, seats: 2, occupations: occ }), {
      includeUnavailable: true,
    });
    const ten = all.find((x) => x.start === s)!;
    expect(ten).toMatchObject({ available: true, remaining: 2 });
    expect(all.find((x) => x.start === s + HOUR)?.reasons).toEqual(['buffer_conflict']);
    const full = computeSlots(input({ ...day, capacity: 5, seats: 3, occupations: occ }), {
      includeUnavailable: true,
    });
    expect(full.find((x) => x.start === s)).toMatchObject({
      available: false,
      remaining: 2,
      reasons: ['full'],
    });
    // A booking of another service at the same time conflicts.
    const other = computeSlots(
      input({ ...day, capacity: 5, occupations: [{ ...occ[1]!, slotKey: `other|${s}|${s + HOUR}` }] }),
      { includeUnavailable: true },
    );
    expect(other.find((x) => x.start === s)?.reasons).toEqual(['conflict']);
  });

  it('includeFull returns slots whose only reason is full (class waitlists)', () => {
    const s = utc('2026-01-05T10:00');
    const occ = [
      { start: s, end: s + HOUR, kind: 'booking' as const, seats: 1, slotKey: `svc|${s}|${s + HOUR}` },
    ];
    const slots = computeSlots(input({ ...day, occupations: occ }), { includeFull: true });
    expect(slots.find((x) => x.start === s)).toMatchObject({
      available: false,
      remaining: 0,
      reasons: ['full'],
    });
    expect(computeSlots(input({ ...day, occupations: occ })).some((x) => x.start === s)).toBe(false);
  });
});

describe('rule 6: from <= s < to', () => {
  it('includes a start at from and excludes one at to, even if the slot ends after to', () => {
    const slots = computeSlots(
      input({ weekly: nine2five, from: utc('2026-01-05T10:00'), to: utc('2026-01-05T12:00') }),
    );
    expect(starts(slots)).toEqual(['2026-01-05T10:00:00.000Z', '2026-01-05T11:00:00.000Z']);
  });

  it('spans many days', () => {
    const slots = computeSlots(
      input({ weekly: nine2five, from: utc('2026-01-01T00:00'), to: utc('2026-03-01T00:00') }),
    );
    expect(slots).toHaveLength(59 * 8);
  });
});

describe('rule 7: clock', () => {
  it('applies min notice inclusively and never offers past starts', () => {
    const base = input({ weekly: nine2five, now: utc('2026-01-05T09:30'), minNoticeMinutes: 90 });
    expect(starts(computeSlots(base))[0]).toBe('2026-01-05T11:00:00.000Z');
    expect(starts(computeSlots({ ...base, minNoticeMinutes: 0 }))[0]).toBe('2026-01-05T10:00:00.000Z');
    expect(starts(computeSlots({ ...base, minNoticeMinutes: 30 }))[0]).toBe('2026-01-05T10:00:00.000Z');
  });

  it('counts the horizon in calendar days of the resource zone, inclusive', () => {
    const tz = 'America/New_York';
    // now: Mon 2026-01-05 23:30 New York (already Tuesday in UTC); horizon 1 day → up to Tue local.
    const base = input({
      timezone: tz,
      weekly: nine2five,
      now: at(tz, '2026-01-05T23:30'),
      horizonDays: 1,
      from: at(tz, '2026-01-05T00:00'),
      to: at(tz, '2026-01-09T00:00'),
    });
    const slots = computeSlots(base);
    expect(slots).toHaveLength(8);
    expect(
      slots.every((s) => s.start >= at(tz, '2026-01-06T09:00') && s.start < at(tz, '2026-01-07T00:00')),
    ).toBe(true);
    expect(computeSlots({ ...base, horizonDays: 0 })).toHaveLength(0);
    expect(computeSlots({ ...base, horizonDays: null })).toHaveLength(24);
  });

  it('counts a horizon day across a DST change as a calendar day', () => {
    const tz = 'Europe/London';
    const slots = computeSlots(
      input({
        timezone: tz,
        weekly: everyDay([{ start: '00:00', end: '24:00' }]),
        now: at(tz, '2026-03-28T12:00'),
        horizonDays: 1,
        from: at(tz, '2026-03-28T12:00'),
        to: at(tz, '2026-03-31T00:00'),
      }),
    );
    expect(slots).toHaveLength(12 + 23); // rest of Saturday + the 23-hour Sunday
  });
});

describe('includeUnavailable', () => {
  it('lists every grid position of every local day with all reasons', () => {
    const s = utc('2026-01-05T10:00');
    const slots = computeSlots(
      input({
        weekly: { mon: [{ start: '09:00', end: '17:00' }] },
        overrides: [{ date: '2026-01-06', hours: [] }],
        now: utc('2026-01-05T09:30'),
        horizonDays: 0,
        occupations: [{ start: s, end: s + HOUR, kind: 'booking' }],
        from: utc('2026-01-05T00:00'),
        to: utc('2026-01-07T00:00'),
      }),
      { includeUnavailable: true },
    );
    expect(slots).toHaveLength(48);
    const r = (t: string) => slots.find((x) => iso(x.start) === `${t}:00.000Z`)?.reasons;
    expect(r('2026-01-05T03:00')).toEqual(['outside_hours', 'min_notice']);
    expect(r('2026-01-05T09:00')).toEqual(['min_notice']);
    expect(r('2026-01-05T10:00')).toEqual(['conflict']);
    expect(r('2026-01-05T11:00')).toEqual([]);
    expect(r('2026-01-06T10:00')).toEqual(['closed_override', 'beyond_horizon']);
  });
});

describe('class sessions (sessionStarts)', () => {
  it('uses the timetable instead of the grid and hours, but keeps conflicts, notice, horizon and seats', () => {
    const t = (h: string) => utc(`2026-01-05T${h}`);
    const slots = computeSlots(
      input({
        weekly: {}, // closed: the timetable decides
        durationMinutes: 45,
        capacity: 10,
        now: t('08:00'),
        minNoticeMinutes: 60,
        sessionStarts: [t('08:30'), t('10:10'), t('12:00'), t('10:10'), t('18:00')],
        occupations: [
          { start: t('12:30'), end: t('13:00'), kind: 'allocation' },
          {
            start: t('18:00'),
            end: t('18:45'),
            kind: 'booking',
            seats: 10,
            slotKey: `svc|${t('18:00')}|${t('18:45')}`,
          },
        ],
      }),
      { includeUnavailable: true },
    );
    expect(slots.map((s) => [iso(s.start).slice(11, 16), s.reasons, s.remaining])).toEqual([
      ['08:30', ['min_notice'], 10],
      ['10:10', [], 10],
      ['12:00', ['allocation'], 10],
      ['18:00', ['full'], 0],
    ]);
  });
});

describe('class sessions and opening hours', () => {
  const t = (d: string, h: string) => utc(`2026-01-${d}T${h}`);
  // Monday 5th to Wednesday 7th, sessions at 09:00 and 18:00 each day.
  const sessions = ['05', '06', '07'].flatMap((d) => [t(d, '09:00'), t(d, '18:00')]);
  const classInput = (weekly: AvailabilityInput['weekly'], overrides: AvailabilityInput['overrides']) =>
    input({
      weekly,
      overrides,
      capacity: 10,
      sessionStarts: sessions,
      from: t('05', '00:00'),
      to: t('08', '00:00'),
    });
  const table = (slots: ReturnType<typeof computeSlots>) =>
    slots.map((s) => [iso(s.start).slice(8, 16), s.reasons]);

  it('without weekly hours every session is open, except on a date an override closes or narrows', () => {
    const inp = classInput({}, [
      { date: '2026-01-06', hours: [] },
      { date: '2026-01-07', hours: [{ start: '17:00', end: '20:00' }] },
    ]);
    expect(table(computeSlots(inp, { includeUnavailable: true }))).toEqual([
      ['05T09:00', []],
      ['05T18:00', []],
      ['06T09:00', ['closed_override']],
      ['06T18:00', ['closed_override']],
      ['07T09:00', ['outside_hours']],
      ['07T18:00', []],
    ]);
    expect(table(computeSlots(inp))).toEqual([
      ['05T09:00', []],
      ['05T18:00', []],
      ['07T18:00', []],
    ]);
  });

  it('with weekly hours a session must lie inside them, and an override replaces its date', () => {
    const inp = classInput(everyDay([{ start: '08:00', end: '12:00' }]), [
      { date: '2026-01-06', hours: [{ start: '08:00', end: '19:00' }] },
      { date: '2026-01-07', hours: [] },
    ]);
    expect(table(computeSlots(inp, { includeUnavailable: true }))).toEqual([
      ['05T09:00', []],
      ['05T18:00', ['outside_hours']],
      ['06T09:00', []],
      ['06T18:00', []],
      ['07T09:00', ['closed_override']],
      ['07T18:00', ['closed_override']],
    ]);
  });

  it('a session that runs past the end of the open hours is outside them', () => {
    const inp = classInput({ mon: [{ start: '08:00', end: '09:30' }] }, []);
    expect(table(computeSlots(inp, { includeUnavailable: true })).slice(0, 2)).toEqual([
      ['05T09:00', ['outside_hours']],
      ['05T18:00', ['outside_hours']],
    ]);
  });
});

describe('performance shape', () => {
  it('handles a year with thousands of occupations quickly and in order', () => {
    const occ = Array.from({ length: 3000 }, (_, i) => ({
      start: utc('2026-01-01T09:00') + i * 2 * HOUR + (i % 7) * 13 * MIN,
      end: utc('2026-01-01T09:00') + i * 2 * HOUR + (i % 7) * 13 * MIN + 45 * MIN,
      kind: 'booking' as const,
      bufferAfterMinutes: 10,
    }));
    const t0 = performance.now();
    const slots = computeSlots(
      input({
        timezone: 'Europe/London',
        weekly: nine2five,
        gridMinutes: 15,
        occupations: occ,
        from: utc('2026-01-01T00:00'),
        to: utc('2026-01-01T00:00') + 365 * DAY,
      }),
    );
    expect(performance.now() - t0).toBeLessThan(2000);
    for (let i = 1; i < slots.length; i++) expect(slots[i]!.start).toBeGreaterThan(slots[i - 1]!.start);
  });
});
