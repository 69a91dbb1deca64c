import { describe, expect, it } from 'vitest';
import { input } from '../../test/support/availability.js';
import { SeshnError } from '../errors/seshn-error.js';
import { explainStart } from './explain.js';
import { computeSlots } from './slots.js';
import type { AvailabilityInput } from './types.js';
import { freeWindows } from './windows.js';

function fieldsOf(over: Record<string, unknown>): string[] {
  try {
    computeSlots({ ...input(), ...over } as AvailabilityInput);
  } catch (e) {
    expect(e).toBeInstanceOf(SeshnError);
    expect((e as SeshnError).code).toBe('validation_failed');
    return ((e as SeshnError).details.fields as { path: string }[]).map((f) => f.path);
  }
  throw new Error('expected validation_failed');
}

describe('bad availability input → validation_failed naming the field', () => {
  it.each([
    [{ timezone: 'Mars/Olympus' }, 'timezone'],
    [{ timezone: '+05:00' }, 'timezone'],
    [{ durationMinutes: 0 }, 'durationMinutes'],
    [{ durationMinutes: -30 }, 'durationMinutes'],
    [{ durationMinutes: 1.5 }, 'durationMinutes'],
    [{ gridMinutes: 0 }, 'gridMinutes'],
    [{ gridMinutes: 2000 }, 'gridMinutes'],
    [{ from: 10, to: 10 }, 'to'],
    [{ from: Number.NaN }, 'from'],
    [{ now: '2026-01-01' }, 'now'],
    [{ bufferBeforeMinutes: -1 }, 'bufferBeforeMinutes'],
    [{ minNoticeMinutes: -5 }, 'minNoticeMinutes'],
    [{ horizonDays: 1.5 }, 'horizonDays'],
    [{ capacity: 0 }, 'capacity'],
    [{ seats: 0 }, 'seats'],
    [{ slotKeyPrefix: 7 }, 'slotKeyPrefix'],
    [{ occupations: null }, 'occupations'],
    [{ occupations: [{ start: 10, end: 5, kind: 'booking' }] }, 'occupations.0.end'],
    [{ occupations: [{ start: 0, end: 5, kind: 'hold' }] }, 'occupations.0.kind'],
    [{ occupations: [{ start: 0, end: 5, kind: 'booking', seats: -1 }] }, 'occupations.0.seats'],
    [{ weekly: { mon: [{ start: '09:00', end: '09:00' }] } }, 'weekly.mon.0.end'],
    [{ overrides: [{ date: '2026-02-30', hours: [] }] }, 'overrides.0.date'],
    [{ sessionStarts: [0, 'x'] }, 'sessionStarts.1'],
  ])('%j → %s', (over, path) => {
    expect(fieldsOf(over)).toContain(path);
  });

  it('lists every bad field at once and never throws a TypeError', () => {
    expect(fieldsOf({ durationMinutes: 0, capacity: -1, to: -1 })).toEqual([
      'durationMinutes',
      'capacity',
      'to',
    ]);
    expect(() => computeSlots(null as never)).toThrow(SeshnError);
    expect(() => explainStart({ ...input(), timezone: 'Bad/Zone' }, 0)).toThrow(SeshnError);
    expect(() => explainStart(input(), Number.NaN)).toThrow(SeshnError);
    expect(() => freeWindows(null as never)).toThrow(SeshnError);
  });
});
