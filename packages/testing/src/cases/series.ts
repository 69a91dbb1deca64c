/**
 * Invariant 3 on every database: a series is reserved all or nothing, also while single bookings
 * and other series race for its occurrences; and its wall-clock time survives DST.
 * @module
 */
import { type BookingSeriesResult, SeshnError } from '@seshn/core';
import { describe, expect, it } from 'vitest';
import { makeWorld } from '../fixtures.js';
import { findOverlaps } from '../raw.js';
import type { SuiteContext } from '../suite.js';

const OPEN = [{ start: '08:00', end: '20:00' }];
const WEEK = { mon: OPEN, tue: OPEN, wed: OPEN, thu: OPEN, fri: OPEN, sat: OPEN, sun: OPEN };
// Tuesday 2030-01-08 is the first Tuesday after the fixture clock (Monday 2030-01-07 00:00 UTC).
const RECURRENCE = {
  frequency: 'weekly',
  dayOfWeek: 2,
  time: '14:00',
  startDate: '2030-01-08',
  count: 8,
} as const;

async function settle<T>(p: Promise<T>): Promise<{ ok: true; value: T } | { ok: false; error: SeshnError }> {
  try {
    return { ok: true, value: await p };
  } catch (error) {
    if (!(error instanceof SeshnError)) throw error;
    return { ok: false, error };
  }
}

async function exclusiveSetup(get: () => SuiteContext, label: string, timezone = 'Europe/London') {
  const w = await makeWorld(get().adapter, label);
  const court = await w.seshn.resources.create({ name: 'Court', timezone, availability: { weekly: WEEK } });
  const lesson = await w.seshn.services.create({
    name: 'Lesson',
    kind: 'appointment',
    durationMinutes: 60,
    resourceIds: [court.id],
    horizonDays: null,
  });
  return { w, court, lesson };
}

export function seriesTests(get: () => SuiteContext) {
  describe('booking series', () => {
    it('a series racing single bookings for its occurrences never ends half-reserved', async () => {
      const { raw } = get();
      for (let round = 0; round < 3; round++) {
        const { w, lesson } = await exclusiveSetup(get, `series-vs-single-${round}`);
        const preview = await w.seshn.bookingSeries.create({
          contactId: w.contact.id,
          serviceId: lesson.id,
          recurrence: RECURRENCE,
          preview: true,
        });
        const instants = preview.occurrences.map((o) => o.startTime);
        expect(instants).toHaveLength(8);
        // Singles target occurrences 1, 4 and 6 (4 twice); the series goes in the middle of them.
        const singles = [instants[1]!, instants[4]!, instants[4]!, instants[6]!].map((startTime) =>
          settle(w.seshn.bookings.create({ serviceId: lesson.id, startTime, contactId: w.contact.id })),
        );
        const series = settle(
          w.seshn.bookingSeries.create({
            contactId: w.contact.id,
            serviceId: lesson.id,
            recurrence: RECURRENCE,
          }),
        );
        const [seriesResult, ...singleResults] = await Promise.all([series, ...singles]);
        const stored = await raw.bookings(w.seshn.scope);
        expect(findOverlaps(stored, w.clock.ms())).toEqual([]);
        const bySlot = new Map<number, number>();
        for (const b of stored)
          if (b.status === 'confirmed') bySlot.set(b.start, (bySlot.get(b.start) ?? 0) + 1);
        expect([...bySlot.values()].every((n) => n === 1)).toBe(true);
        if (seriesResult.ok) {
          const s = seriesResult.value as BookingSeriesResult;
          expect(s.bookings).toHaveLength(8);
          expect(singleResults.every((r) => !r.ok)).toBe(true);
          expect(stored.length).toBe(8);
        } else {
          expect(seriesResult.error.code).toBe('slot_unavailable');
          // Nothing of the series was written: every stored booking is a single one.
          expect(stored.length).toBe(singleResults.filter((r) => r.ok).length);
          expect((await raw.counts(w.seshn.scope)).seshn_booking_series).toBe(0);
          // It names real conflicts: each is an occurrence a single booking holds. (A single may
          // also commit after the series failed, so taken ⊇ conflicts, not equal.)
          const conflicts = (seriesResult.error.details.conflicts as { index: number }[]).map((c) => c.index);
          const taken = new Set(stored.map((b) => instants.indexOf(new Date(b.start).toISOString())));
          expect(conflicts.length).toBeGreaterThan(0);
          for (const index of conflicts) expect(taken.has(index)).toBe(true);
        }
      }
    });

    it('two series racing for the same weekly capacity-1 slot: one wins every occurrence, the other nothing', async () => {
      const { raw } = get();
      for (let round = 0; round < 3; round++) {
        const { w, lesson } = await exclusiveSetup(get, `series-vs-series-${round}`);
        const other = await w.seshn.contacts.create({ name: 'Rival' });
        const later = { ...RECURRENCE, startDate: '2030-01-22' }; // overlaps on 6 occurrences
        const [a, b] = await Promise.all([
          settle(
            w.seshn.bookingSeries.create({
              contactId: w.contact.id,
              serviceId: lesson.id,
              recurrence: RECURRENCE,
            }),
          ),
          settle(
            w.seshn.bookingSeries.create({ contactId: other.id, serviceId: lesson.id, recurrence: later }),
          ),
        ]);
        expect([a.ok, b.ok].filter(Boolean)).toHaveLength(1);
        const winner = (a.ok ? a.value : b.ok ? b.value : null) as BookingSeriesResult;
        const loser = a.ok ? b : a;
        expect(winner.bookings).toHaveLength(8);
        expect(!loser.ok && loser.error.code).toBe('slot_unavailable');
        if (!loser.ok) expect((loser.error.details.conflicts as unknown[]).length).toBe(6);
        const stored = await raw.bookings(w.seshn.scope);
        expect(stored.map((s) => s.id).sort()).toEqual(winner.bookings.map((x) => x.id).sort());
        expect((await raw.counts(w.seshn.scope)).seshn_booking_series).toBe(1);
        expect(findOverlaps(stored, w.clock.ms())).toEqual([]);
      }
    });

    it('cancelling its last two occurrences at once cancels the series exactly once', async () => {
      const { raw } = get();
      for (let round = 0; round < 5; round++) {
        const { w, lesson } = await exclusiveSetup(get, `series-cancel-race-${round}`);
        const series = await w.seshn.bookingSeries.create({
          contactId: w.contact.id,
          serviceId: lesson.id,
          recurrence: { ...RECURRENCE, count: 2 },
        });
        await Promise.all([
          w.seshn.bookingSeries.cancelOccurrence(series.id, 0),
          w.seshn.bookingSeries.cancelOccurrence(series.id, 1),
        ]);
        expect((await w.seshn.bookingSeries.get(series.id)).status).toBe('cancelled');
        const types = (await raw.events(w.seshn.scope)).map((e) => e.type);
        expect(types.filter((t) => t === 'booking_series.cancelled')).toHaveLength(1);
        expect(types.filter((t) => t === 'booking.cancelled')).toHaveLength(2);
      }
    });

    it('a series across the spring-forward and fall-back weekends keeps 14:00 local', async () => {
      const { w, lesson } = await exclusiveSetup(get, 'series-dst', 'America/New_York');
      // Weekly on Sundays 14:00 from 2030-03-03: DST starts 2030-03-10, ends 2030-11-03.
      const spring = await w.seshn.bookingSeries.create({
        contactId: w.contact.id,
        serviceId: lesson.id,
        recurrence: { frequency: 'weekly', dayOfWeek: 7, time: '14:00', startDate: '2030-03-03', count: 3 },
      });
      expect(spring.bookings.map((b) => b.startTime)).toEqual([
        '2030-03-03T19:00:00.000Z',
        '2030-03-10T18:00:00.000Z',
        '2030-03-17T18:00:00.000Z',
      ]);
      const fall = await w.seshn.bookingSeries.create({
        contactId: w.contact.id,
        serviceId: lesson.id,
        recurrence: { rrule: 'FREQ=WEEKLY;BYDAY=SU;COUNT=3', dtstart: '2030-10-27T14:00' },
      });
      expect(fall.bookings.map((b) => b.startTime)).toEqual([
        '2030-10-27T18:00:00.000Z',
        '2030-11-03T19:00:00.000Z',
        '2030-11-10T19:00:00.000Z',
      ]);
      expect(fall.bookings.map((b) => b.occurrenceIndex)).toEqual([0, 1, 2]);
      expect(new Set(fall.bookings.map((b) => b.seriesId))).toEqual(new Set([fall.id]));
    });
  });
}
