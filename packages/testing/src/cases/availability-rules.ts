/**
 * Availability rules seen through the public API on a real adapter: class sessions keep to the
 * resource's opening hours and date overrides (query, explain, bookings.create, series).
 * @module
 */
import { type BookingSeriesPreview, SeshnError } from '@seshn/core';
import { describe, expect, it } from 'vitest';
import { HOUR, iso, MINUTE as MINUTE_MS, makeWorld, T0, type World } from '../fixtures.js';
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

    describe('availability.windows', () => {
      it('with a service, offers no gap shorter than its shortest bookable length', async () => {
        const w = await makeWorld(get().adapter, 'windows-min');
        const desk = await w.seshn.resources.create({
          name: 'Desk',
          timezone: 'UTC',
          availability: { weekly: { mon: [{ start: '09:00', end: '13:00' }] } },
        });
        // 60 minutes by default, 45 or 90 on request: the shortest bookable length is 45.
        const service = await w.seshn.services.create({
          name: 'Fitting',
          kind: 'appointment',
          durationMinutes: 60,
          durations: [45, 90],
          gridMinutes: 15,
          resourceIds: [desk.id],
          horizonDays: null,
        });
        // Free: 09:00–09:30 (30 min), 10:00–10:45 (45 min), 11:45–13:00 (75 min).
        for (const [a, b] of [
          [9.5, 10],
          [10.75, 11.75],
        ] as const) {
          await w.seshn.allocations.create({
            resourceId: desk.id,
            startTime: iso(MON + a * HOUR),
            endTime: iso(MON + b * HOUR),
          });
        }
        const range = { from: iso(MON), to: iso(MON + DAY) };
        const gaps = (ws: { startTime: string; endTime: string }[]) =>
          ws.map((x) => [x.startTime, x.endTime]);
        const bookable = [
          [iso(MON + 10 * HOUR), iso(MON + 10.75 * HOUR)],
          [iso(MON + 11.75 * HOUR), iso(MON + 13 * HOUR)],
        ];
        expect(gaps(await w.seshn.availability.windows({ serviceId: service.id, ...range }))).toEqual(
          bookable,
        );
        // A smaller minimum asked for does not bring back a gap the service cannot book; a larger one applies.
        expect(
          gaps(
            await w.seshn.availability.windows({ serviceId: service.id, ...range, minDurationMinutes: 10 }),
          ),
        ).toEqual(bookable);
        expect(
          gaps(
            await w.seshn.availability.windows({ serviceId: service.id, ...range, minDurationMinutes: 60 }),
          ),
        ).toEqual([bookable[1]]);
        // Without a service the default is any free minute.
        expect(gaps(await w.seshn.availability.windows({ resourceIds: [desk.id], ...range }))).toEqual([
          [iso(MON + 9 * HOUR), iso(MON + 9.5 * HOUR)],
          ...bookable,
        ]);
        // Every gap offered for the service can be booked at its shortest length.
        await w.seshn.bookings.create({
          serviceId: service.id,
          startTime: iso(MON + 10 * HOUR),
          durationMinutes: 45,
          contactId: w.contact.id,
        });
      });
    });

    describe('archived services and resources', () => {
      it('an archived service: query and windows offer nothing, explain says archived, create refuses', async () => {
        const w = await makeWorld(get().adapter, 'archived-service');
        await w.seshn.services.archive(w.appointment.id);
        const range = { from: iso(MON), to: iso(MON + DAY) };
        expect(await w.seshn.availability.query({ serviceId: w.appointment.id, ...range })).toEqual([]);
        expect(
          await w.seshn.availability.query({
            serviceId: w.appointment.id,
            ...range,
            includeUnavailable: true,
          }),
        ).toEqual([]);
        expect(await w.seshn.availability.windows({ serviceId: w.appointment.id, ...range })).toEqual([]);
        const ex = await w.seshn.availability.explain({
          serviceId: w.appointment.id,
          startTime: iso(MON + 9 * HOUR),
        });
        expect(ex.available).toBe(false);
        expect(ex.reasons).toEqual([{ code: 'archived', detail: 'This service is archived' }]);
        await expectCode(
          w.seshn.bookings.create({
            serviceId: w.appointment.id,
            startTime: iso(MON + 9 * HOUR),
            contactId: w.contact.id,
          }),
          'invalid_state',
        );
      });

      it('an archived resource: named explicitly it offers nothing; the rest of the pool still books', async () => {
        const w = await makeWorld(get().adapter, 'archived-resource');
        const room2 = await w.seshn.resources.create({
          name: 'Room 2',
          timezone: 'UTC',
          availability: { weekly: { mon: [{ start: '09:00', end: '12:00' }] } },
        });
        const consult = await w.seshn.services.create({
          name: 'Consult',
          kind: 'appointment',
          durationMinutes: 60,
          resourceIds: [w.room.id, room2.id],
          horizonDays: null,
        });
        await w.seshn.resources.archive(w.room.id);
        const range = { from: iso(MON), to: iso(MON + DAY) };
        const start = iso(MON + 9 * HOUR);

        expect(
          await w.seshn.availability.query({ serviceId: consult.id, resourceId: w.room.id, ...range }),
        ).toEqual([]);
        const slots = await w.seshn.availability.query({ serviceId: consult.id, ...range });
        expect(new Set(slots.map((s) => s.resourceId))).toEqual(new Set([room2.id]));
        expect(await w.seshn.availability.windows({ resourceIds: [w.room.id], ...range })).toEqual([]);
        expect(
          (await w.seshn.availability.windows({ resourceIds: [w.room.id, room2.id], ...range })).map(
            (x) => x.resourceId,
          ),
        ).toEqual([room2.id]);

        const named = await w.seshn.availability.explain({
          serviceId: consult.id,
          resourceId: w.room.id,
          startTime: start,
        });
        expect(named).toMatchObject({ available: false, resourceId: w.room.id });
        expect(named.reasons.map((r) => r.code)).toEqual(['archived']);
        const anyRoom = await w.seshn.availability.explain({ serviceId: consult.id, startTime: start });
        expect(anyRoom).toMatchObject({ available: true, resourceId: room2.id });

        const refused = await expectCode(
          w.seshn.bookings.create({
            serviceId: consult.id,
            resourceId: w.room.id,
            startTime: start,
            contactId: w.contact.id,
          }),
          'slot_unavailable',
        );
        expect(refused.details.reason).toBe('archived');
        const booked = await w.seshn.bookings.create({
          serviceId: consult.id,
          startTime: start,
          contactId: w.contact.id,
        });
        expect(booked.resourceId).toBe(room2.id);

        // With the whole pool archived, explain agrees with create: nothing is bookable.
        await w.seshn.resources.archive(room2.id);
        const none = await w.seshn.availability.explain({ serviceId: consult.id, startTime: start });
        expect(none).toMatchObject({ available: false, resourceId: null });
        expect(none.reasons.map((r) => r.code)).toEqual(['archived']);
        expect(await w.seshn.availability.windows({ serviceId: consult.id, ...range })).toEqual([]);
        const e = await expectCode(
          w.seshn.bookings.create({ serviceId: consult.id, startTime: start, contactId: w.contact.id }),
          'slot_unavailable',
        );
        expect(e.details.reason).toBe('archived');
      });
    });

    describe('clock boundaries', () => {
      it("a hold's seats count until 1 ms before its expiresAt and are free at expiresAt", async () => {
        const w = await makeWorld(get().adapter, 'hold-boundary');
        const session = MON + 9 * HOUR;
        const hold = await w.seshn.bookings.create({
          serviceId: w.yoga.id,
          startTime: iso(session),
          contactId: w.contact.id,
          seats: 4,
          hold: { ttlSeconds: 600 },
        });
        const expiresAt = Date.parse(hold.expiresAt!);
        expect(expiresAt).toBe(T0 + 600_000);
        const yogaAt = async () =>
          (
            await w.seshn.availability.query({
              serviceId: w.yoga.id,
              from: iso(session),
              to: iso(session + 1),
            })
          ).map((s) => s.remaining);
        const explainSeats = (seats: number) =>
          w.seshn.availability.explain({ serviceId: w.yoga.id, startTime: iso(session), seats });

        // The exclusive appointment too: a hold on it blocks the slot until its expiresAt.
        const apptHold = await w.seshn.bookings.create({
          serviceId: w.appointment.id,
          startTime: iso(session),
          contactId: w.contact.id,
          hold: { ttlSeconds: 600 },
        });
        expect(Date.parse(apptHold.expiresAt!)).toBe(expiresAt);
        const apptStarts = async () =>
          (
            await w.seshn.availability.query({
              serviceId: w.appointment.id,
              from: iso(session),
              to: iso(session + 1),
            })
          ).map((s) => s.startTime);

        w.clock.set(expiresAt - 1);
        expect(await yogaAt()).toEqual([6]);
        const taken = await explainSeats(7);
        expect(taken.available).toBe(false);
        expect(taken.reasons.map((r) => r.code)).toEqual(['full']);
        expect(await apptStarts()).toEqual([]);
        const blocked = await w.seshn.availability.explain({
          serviceId: w.appointment.id,
          startTime: iso(session),
        });
        // The same slot of the same service: the held seat leaves none (`full`).
        expect(blocked.reasons.map((r) => r.code)).toEqual(['full']);
        await expectCode(
          w.seshn.bookings.create({
            serviceId: w.yoga.id,
            startTime: iso(session),
            contactId: w.contact.id,
            seats: 7,
          }),
          'slot_unavailable',
        );

        w.clock.set(expiresAt);
        expect(await yogaAt()).toEqual([10]);
        expect((await explainSeats(10)).available).toBe(true);
        expect(await apptStarts()).toEqual([iso(session)]);
        const all = await w.seshn.bookings.create({
          serviceId: w.yoga.id,
          startTime: iso(session),
          contactId: w.contact.id,
          seats: 10,
        });
        expect(all.status).toBe('confirmed');
        const appt = await w.seshn.bookings.create({
          serviceId: w.appointment.id,
          startTime: iso(session),
          contactId: w.contact.id,
        });
        expect(appt.status).toBe('confirmed');
      });

      it('bookings.create is allowed at exactly now + minNoticeMinutes and refused 1 ms or 1 minute later', async () => {
        const w = await makeWorld(get().adapter, 'notice-boundary');
        const notice = 120;
        const visit = await w.seshn.services.create({
          name: 'Visit',
          kind: 'appointment',
          durationMinutes: 60,
          minNoticeMinutes: notice,
          resourceIds: [w.room.id],
          horizonDays: null,
        });
        const start = MON + 9 * HOUR;
        const request = { serviceId: visit.id, startTime: iso(start), contactId: w.contact.id };
        const boundary = start - notice * MINUTE_MS;
        for (const late of [1, MINUTE_MS]) {
          w.clock.set(boundary + late);
          const e = await expectCode(w.seshn.bookings.create(request), 'slot_unavailable');
          expect(e.details.reason).toBe('min_notice');
          const ex = await w.seshn.availability.explain({ serviceId: visit.id, startTime: iso(start) });
          expect(ex.reasons.map((r) => r.code)).toEqual(['min_notice']);
          const listed = await w.seshn.availability.query({
            serviceId: visit.id,
            from: iso(start),
            to: iso(start + 1),
          });
          expect(listed).toEqual([]);
        }
        w.clock.set(boundary);
        const ex = await w.seshn.availability.explain({ serviceId: visit.id, startTime: iso(start) });
        expect(ex).toMatchObject({ available: true, reasons: [] });
        const listed = await w.seshn.availability.query({
          serviceId: visit.id,
          from: iso(start),
          to: iso(start + 1),
        });
        expect(listed.map((s) => s.startTime)).toEqual([iso(start)]);
        const booked = await w.seshn.bookings.create(request);
        expect(booked).toMatchObject({ status: 'confirmed', startTime: iso(start) });
      });
    });
  });
}
