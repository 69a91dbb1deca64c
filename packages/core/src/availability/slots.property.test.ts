import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { caseArb, MIN, refSlots } from '../../test/support/availability.js';
import { epochMsToLocal } from '../time/zone.js';
import { explainStart } from './explain.js';
import { openingIntervals } from './hours.js';
import { computeSlots } from './slots.js';

describe('computeSlots against a minute-by-minute reference model', () => {
  it('equals the reference in UTC, Kathmandu and DST zones, including every reason', () => {
    fc.assert(
      fc.property(caseArb(), (inp) => {
        const all = computeSlots(inp, { includeUnavailable: true });
        expect(all).toEqual(refSlots(inp));
        expect(computeSlots(inp)).toEqual(all.filter((s) => s.available));
      }),
      { numRuns: 100 },
    );
  });

  it('equals the reference for class sessions (explicit starts instead of the grid)', () => {
    fc.assert(
      fc.property(
        caseArb(['UTC', 'Europe/London']),
        fc.array(fc.integer({ min: -60, max: 60 * 60 }), { maxLength: 12 }),
        (inp, offs) => {
          const sessionStarts = offs.map((m) => inp.from + m * MIN);
          const withSessions = { ...inp, sessionStarts };
          expect(computeSlots(withSessions, { includeUnavailable: true })).toEqual(refSlots(withSessions));
        },
      ),
      { numRuns: 80 },
    );
  });

  it('equals the reference for class sessions on resources with and without weekly hours', () => {
    fc.assert(
      fc.property(
        caseArb(['UTC', 'Europe/London', 'America/New_York']),
        fc.boolean(),
        fc.array(fc.integer({ min: -60, max: 60 * 60 }), { maxLength: 12 }),
        (inp, noWeekly, offs) => {
          const sessionStarts = offs.map((m) => inp.from + m * MIN);
          const withSessions = { ...inp, ...(noWeekly ? { weekly: {} } : {}), sessionStarts };
          const all = computeSlots(withSessions, { includeUnavailable: true });
          expect(all).toEqual(refSlots(withSessions));
          expect(computeSlots(withSessions)).toEqual(all.filter((s) => s.available));
          // explainStart agrees with computeSlots session by session.
          for (const slot of all) {
            expect(explainStart(withSessions, slot.start).reasons.map((r) => r.code)).toEqual(slot.reasons);
          }
        },
      ),
      { numRuns: 100 },
    );
  });

  it('explainStart gives the same verdict and reasons as computeSlots for every grid start', () => {
    fc.assert(
      fc.property(caseArb(['UTC', 'America/New_York', 'Australia/Lord_Howe']), (inp) => {
        for (const slot of computeSlots(inp, { includeUnavailable: true }).slice(0, 40)) {
          const ex = explainStart(inp, slot.start);
          expect(ex.available).toBe(slot.available);
          expect(ex.reasons.map((r) => r.code)).toEqual(slot.reasons);
        }
      }),
      { numRuns: 60 },
    );
  });
});

describe('invariants of available slots', () => {
  it('never overlap a buffered occupation, stay in hours, on the grid, within the clock, with seats', () => {
    fc.assert(
      fc.property(caseArb(), (inp) => {
        const dur = inp.durationMinutes * MIN;
        const grid = inp.gridMinutes ?? inp.durationMinutes;
        const open = openingIntervals(inp.timezone, inp.weekly, inp.overrides, inp.from, inp.to + dur);
        const nowDate = epochMsToLocal(inp.now, inp.timezone).date;
        for (const s of computeSlots(inp)) {
          expect(s.end - s.start).toBe(dur);
          expect(s.start >= inp.from && s.start < inp.to).toBe(true);
          // On the local grid.
          const lv = epochMsToLocal(s.start, inp.timezone);
          expect(lv.minutes % grid).toBe(0);
          expect(lv.seconds).toBe(0);
          // Inside one merged open window.
          expect(open.some((w) => w.start <= s.start && s.end <= w.end)).toBe(true);
          // Clock.
          expect(s.start).toBeGreaterThanOrEqual(Math.max(inp.now, inp.now + inp.minNoticeMinutes * MIN));
          if (inp.horizonDays !== null) {
            const last = new Date(Date.parse(`${nowDate}T00:00:00Z`) + inp.horizonDays * 86_400_000);
            expect(lv.date <= last.toISOString().slice(0, 10)).toBe(true);
          }
          // Seats.
          expect(s.remaining).toBeGreaterThanOrEqual(inp.seats);
          // No buffered overlap except same-slot seats.
          const cs = s.start - inp.bufferBeforeMinutes * MIN;
          const ce = s.end + inp.bufferAfterMinutes * MIN;
          for (const o of inp.occupations) {
            if (o.slotKey === `svc|${s.start}|${s.end}`) continue;
            const os = o.kind === 'allocation' ? o.start : o.start - (o.bufferBeforeMinutes ?? 0) * MIN;
            const oe = o.kind === 'allocation' ? o.end : o.end + (o.bufferAfterMinutes ?? 0) * MIN;
            expect(os < oe && os < ce && cs < oe).toBe(false);
          }
          expect(s.available).toBe(true);
          expect(s.reasons).toEqual([]);
        }
      }),
      { numRuns: 150 },
    );
  });
});
