import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { caseArb, DAY, everyDay, input, MIN, utc } from '../../test/support/availability.js';
import { SeshnError } from '../errors/seshn-error.js';
import { explainStart, explainStarts } from './explain.js';

/**
 * Candidate starts around the input's window: mostly on whole minutes, some up to ~3 years away
 * (so one batch spans DST changes, the horizon and several offset-table chunks), some off the minute, with repeats.
 */
const startsArb = fc.array(
  fc.oneof(
    { weight: 4, arbitrary: fc.integer({ min: -6 * 60, max: 54 * 60 }).map((m) => m * MIN) },
    { weight: 2, arbitrary: fc.integer({ min: -170, max: 170 }).map((w) => w * 7 * DAY) },
    { weight: 1, arbitrary: fc.integer({ min: -3 * DAY, max: 3 * DAY }) },
  ),
  { maxLength: 16 },
);

describe('explainStarts', () => {
  it('equals explainStart start by start, in order, for grid inputs', () => {
    fc.assert(
      fc.property(caseArb(), startsArb, (inp, offsets) => {
        const starts = offsets.map((o) => inp.from + o);
        expect(explainStarts(inp, starts)).toEqual(starts.map((s) => explainStart(inp, s)));
      }),
      { numRuns: 120 },
    );
  });

  it('equals explainStart start by start for class sessions', () => {
    fc.assert(
      fc.property(
        caseArb(['UTC', 'Europe/London', 'America/New_York']),
        fc.array(fc.integer({ min: -60, max: 48 * 60 }), { maxLength: 12 }),
        fc.array(fc.integer({ min: 0, max: 30 }), { maxLength: 8 }),
        (inp, sessionOffsets, picks) => {
          const sessionStarts = sessionOffsets.map((m) => inp.from + m * MIN);
          const withSessions = { ...inp, sessionStarts };
          // Half of the candidates are sessions (when there are any), the rest arbitrary minutes.
          const starts = picks.map((k) =>
            k % 2 === 0 && sessionStarts.length > 0
              ? sessionStarts[k % sessionStarts.length]!
              : inp.from + k * 37 * MIN,
          );
          expect(explainStarts(withSessions, starts)).toEqual(
            starts.map((s) => explainStart(withSessions, s)),
          );
        },
      ),
      { numRuns: 80 },
    );
  });

  it('reads each start of a weekly run across a DST change in its own local time', () => {
    const tz = 'Europe/London';
    const inp = input({
      timezone: tz,
      weekly: everyDay([{ start: '09:00', end: '17:00' }]),
      gridMinutes: 30,
    });
    // 16:30 local before the change (GMT) and after it (BST), then 16:00 BST.
    const starts = [utc('2026-03-23T16:30'), utc('2026-03-30T15:30'), utc('2026-03-30T15:00')];
    const outside = (range: string, date: string) => ({
      available: false,
      reasons: [{ code: 'outside_hours', detail: `${range} on ${date} is not inside opening hours` }],
    });
    expect(explainStarts(inp, starts)).toEqual([
      outside('16:30–17:30', '2026-03-23'),
      outside('16:30–17:30', '2026-03-30'),
      { available: true, reasons: [] },
    ]);
  });

  it('keeps each start in its own offset when the batch spans more than a year', () => {
    const tz = 'Europe/London';
    const inp = input({ timezone: tz, weekly: everyDay([{ start: '09:00', end: '17:00' }]) });
    // 16:00Z is 16:00 GMT in winter (bookable) and 17:00 BST in summer (after hours).
    const starts = [utc('2024-11-04T16:00'), utc('2025-07-07T16:00'), utc('2027-01-04T16:00')];
    expect(explainStarts(inp, starts).map((e) => e.reasons.map((r) => r.code))).toEqual([
      [],
      ['outside_hours'],
      [],
    ]);
  });

  it('validates the input even without starts, and names a bad start by its index', () => {
    expect(explainStarts(input(), [])).toEqual([]);
    expect(() => explainStarts({ ...input(), timezone: 'Bad/Zone' }, [])).toThrow(SeshnError);
    try {
      explainStarts(input(), [utc('2026-01-05T10:00'), Number.NaN]);
      expect.unreachable('a NaN start must throw');
    } catch (e) {
      expect(e).toBeInstanceOf(SeshnError);
      expect((e as SeshnError).code).toBe('validation_failed');
      expect((e as SeshnError).details.fields).toEqual([
        { path: 'starts.1', message: 'Expected epoch milliseconds' },
      ]);
    }
  });
});
