/**
 * Availability rules seen through the public API on a real adapter: class sessions keep to the
 * resource's opening hours and date overrides (query, explain, bookings.create, series).
 * @module
 */
import { type BookingSeriesPreview, SeshnError } from '@seshn/core';
import { describe, expect, it } from 'vitest';
import { HOUR, iso, makeWorld, T0, type World } from '../fixtures.js';
import type { SuiteContext } from '../suite.js';
import { expectCode } from './lifecycle.js';

const DAY = 24 * HOUR;
/** 2030-01-07 (Monday, the fixture's first day), the 8th and the 9th. */
const MON = T0;
const TUE = T0 + DAY;
const WED = T0 + 2 * DAY;

/** A daily 09:00 and 18:00 UTC class of 5 seats on a new resource with the given availability. */
async function classOn(
  w: World,
  availability: Parameters<World['seshn']['resources']['create']>[0]['availability'],
) {
  const hall = await w.seshn.resources.create({ name: 'Hall', timezone: 'UTC', availability });
  const pilates = await w.seshn.services.create({
    name: 'Pilates',
    kind: 'class',
    durationMinutes: 60,
    capacity: 5,
    resourceIds: [hall.id],
    timetable: [{ resourceId: hall.id, rrule: 'FREQ=DAILY;BYHOUR=9,18', dtstart: '2030-01-01T09:00' }],
    horizonDays: null,
  });
  return { hall, pilates };
}

/** `[startTime, available, reasons]` of every listed slot. */
function table(slots: { startTime: string; available?: boolean; reasons?: string[] }[]) {
  return slots.map((s) => [s.startTime, s.available, s.reasons]);
}

export function availabilityRulesTests(get: () => SuiteContext) {
  describe('availability rules', () => {
    describe('class sessions and opening hours', () => {
      it('a resource without weekly hours is open except where an override closes or narrows a date', async () => {
        const w = await makeWorld(get().adapter, 'class-hours-none');
        const { pilates } = await classOn(w, {
          weekly: {},
          overrides: [
            { date: '2030-01-08', hours: [] },
            { date: '2030-01-09', hours: [{ start: '17:00', end: '20:00' }] },
          ],
        });
        const window = { serviceId: pilates.id, from: iso(MON), to: iso(MON + 3 * DAY) };
        const slots = await w.seshn.availability.query(window);
        expect(slots.map((s) => s.startTime)).toEqual([
          iso(MON + 9 * HOUR),
          iso(MON + 18 * HOUR),
          iso(WED + 18 * HOUR),
        ]);
        const all = await w.seshn.availability.query({ ...window, includeUnavailable: true });
        expect(table(all)).toEqual([
          [iso(MON + 9 * HOUR), true, []],
          [iso(MON + 18 * HOUR), true, []],
          [iso(TUE + 9 * HOUR), false, ['closed_override']],
          [iso(TUE + 18 * HOUR), false, ['closed_override']],
          [iso(WED + 9 * HOUR), false, ['outside_hours']],
          [iso(WED + 18 * HOUR), true, []],
        ]);

        const closed = await w.seshn.availability.explain({
          serviceId: pilates.id,
          startTime: iso(TUE + 9 * HOUR),
        });
        expect(closed.available).toBe(false);
        expect(closed.reasons.map((r) => r.code)).toEqual(['closed_override']);
        const narrowed = await w.seshn.availability.explain({
          serviceId: pilates.id,
          startTime: iso(WED + 9 * HOUR),
        });
        expect(narrowed.available).toBe(false);
        expect(narrowed.reasons.map((r) => r.code)).toEqual(['outside_hours']);
        const open = await w.seshn.availability.explain({
          serviceId: pilates.id,
          startTime: iso(WED + 18 * HOUR),
        });
        expect(open).toMatchObject({ available: true, reasons: [] });

        // bookings.create refuses both, by start time and by the id of the listed (unavailable) slot.
        const refused = await expectCode(
          w.seshn.bookings.create({
            serviceId: pilates.id,
            startTime: iso(TUE + 9 * HOUR),
            contactId: w.contact.id,
          }),
          'slot_unavailable',
        );
        expect(refused.details.reason).toBe('closed_override');
        const byId = await expectCode(
          w.seshn.bookings.create({ slotId: all[4]!.id, contactId: w.contact.id }),
          'slot_unavailable',
        );
        expect(byId.details.reason).toBe('outside_hours');
        const booked = await w.seshn.bookings.create({
          serviceId: pilates.id,
          startTime: iso(WED + 18 * HOUR),
          contactId: w.contact.id,
        });
        expect(booked.status).toBe('confirmed');
      });

      it('with weekly hours a session must lie inside them; an override replaces its date', async () => {
        const w = await makeWorld(get().adapter, 'class-hours-weekly');
        const morning = [{ start: '08:00', end: '12:00' }];
        const { pilates } = await classOn(w, {
          weekly: { mon: morning, tue: morning, wed: morning },
          overrides: [
            { date: '2030-01-08', hours: [{ start: '08:00', end: '19:00' }] },
            { date: '2030-01-09', hours: [] },
          ],
        });
        const all = await w.seshn.availability.query({
          serviceId: pilates.id,
          from: iso(MON),
          to: iso(MON + 3 * DAY),
          includeUnavailable: true,
        });
        expect(table(all)).toEqual([
          [iso(MON + 9 * HOUR), true, []],
          [iso(MON + 18 * HOUR), false, ['outside_hours']],
          [iso(TUE + 9 * HOUR), true, []],
          [iso(TUE + 18 * HOUR), true, []],
          [iso(WED + 9 * HOUR), false, ['closed_override']],
          [iso(WED + 18 * HOUR), false, ['closed_override']],
        ]);
        const evening = await w.seshn.availability.explain({
          serviceId: pilates.id,
          startTime: iso(MON + 18 * HOUR),
        });
        expect(evening.available).toBe(false);
        expect(evening.reasons.map((r) => r.code)).toEqual(['outside_hours']);
        const e = await expectCode(
          w.seshn.bookings.create({
            serviceId: pilates.id,
            startTime: iso(MON + 18 * HOUR),
            contactId: w.contact.id,
          }),
          'slot_unavailable',
        );
        expect(e.details.reason).toBe('outside_hours');
      });

      it('a class series over a closed date reports that occurrence', async () => {
        const w = await makeWorld(get().adapter, 'class-hours-series');
        const { pilates } = await classOn(w, { weekly: {}, overrides: [{ date: '2030-01-08', hours: [] }] });
        const request = {
          contactId: w.contact.id,
          serviceId: pilates.id,
          recurrence: { frequency: 'daily', time: '09:00', startDate: '2030-01-07', count: 3 },
        } as const;
        const preview = (await w.seshn.bookingSeries.create({
          ...request,
          preview: true,
        })) as BookingSeriesPreview;
        expect(preview.bookable).toBe(false);
        expect(preview.occurrences.map((o) => o.available)).toEqual([true, false, true]);
        expect(preview.conflicts).toMatchObject([
          { index: 1, startTime: iso(TUE + 9 * HOUR), reason: 'closed_override' },
        ]);
        const e = await expectCode(w.seshn.bookingSeries.create(request), 'slot_unavailable');
        expect(e.details.conflicts).toMatchObject([{ index: 1, reason: 'closed_override' }]);
        const skipped = await w.seshn.bookingSeries.create({ ...request, onConflict: 'skip' });
        expect(skipped).not.toBeInstanceOf(SeshnError);
        expect('bookings' in skipped && skipped.bookings.map((b) => b.startTime)).toEqual([
          iso(MON + 9 * HOUR),
          iso(WED + 9 * HOUR),
        ]);
      });
    });
  });
}
