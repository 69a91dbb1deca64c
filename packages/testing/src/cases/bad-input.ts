/**
 * Invariant 10: bad input through every public method gets a `SeshnError` with the right code,
 * and the database is unchanged (checked with raw readers, not the adapter).
 * @module
 */
import { encodeSlotId } from '@seshn/core';
import { describe, expect, it } from 'vitest';
import { HOUR, makeWorld, T0 } from '../fixtures.js';
import type { SuiteContext } from '../suite.js';
import { expectCode } from './lifecycle.js';

const iso = (ms: number) => new Date(ms).toISOString();

export function badInputTests(get: () => SuiteContext) {
  describe('bad input', () => {
    it('every public method rejects bad input with a stable code and changes nothing', async () => {
      const { adapter, raw } = get();
      const w = await makeWorld(adapter, 'bad');
      const s = w.seshn;
      const b = await s.bookings.create({
        serviceId: w.yoga.id,
        startTime: iso(T0 + 9 * HOUR),
        contactId: w.contact.id,
      });
      // A real slot id of the fixture's class.
      const slot = encodeSlotId({
        serviceId: w.yoga.id,
        resourceId: w.studio.id,
        start: T0 + 9 * HOUR,
        end: T0 + 10 * HOUR,
      });
      const before = await raw.counts(s.scope);
      const bookingsBefore = await raw.bookings(s.scope);
      // biome-ignore lint/suspicious/noExplicitAny: deliberately wrong shapes
      const anyInput = (x: unknown) => x as any;
      const cases: [string, () => Promise<unknown>, string][] = [
        [
          'resource with unknown zone',
          () => s.resources.create({ name: 'X', timezone: 'Mars/Olympus' }),
          'validation_failed',
        ],
        [
          'resource with 25:00',
          () =>
            s.resources.create({
              name: 'X',
              timezone: 'UTC',
              availability: { weekly: { mon: [{ start: '09:00', end: '25:00' }] } },
            }),
          'validation_failed',
        ],
        [
          'resource with no name',
          () => s.resources.create(anyInput({ timezone: 'UTC' })),
          'validation_failed',
        ],
        ['resource update of unknown id', () => s.resources.update('rsc_nope', { name: 'Y' }), 'not_found'],
        [
          'service with negative price',
          () =>
            s.services.create({
              name: 'X',
              kind: 'appointment',
              durationMinutes: 60,
              resourceIds: [w.room.id],
              pricing: { strategy: 'flat', amount: -1, currency: 'usd' },
            }),
          'validation_failed',
        ],
        [
          'service with tiers not ascending',
          () =>
            s.services.create({
              name: 'X',
              kind: 'appointment',
              durationMinutes: 60,
              resourceIds: [w.room.id],
              pricing: {
                strategy: 'tiered',
                mode: 'graduated',
                currency: 'usd',
                tiers: [
                  { upTo: 10, unitAmount: 100 },
                  { upTo: 5, unitAmount: 90 },
                  { upTo: null, unitAmount: 80 },
                ],
              },
            }),
          'validation_failed',
        ],
        [
          'service on an unknown resource',
          () =>
            s.services.create({
              name: 'X',
              kind: 'appointment',
              durationMinutes: 60,
              resourceIds: ['rsc_nope'],
            }),
          'not_found',
        ],
        [
          'class with a bad rule',
          () =>
            s.services.create({
              name: 'X',
              kind: 'class',
              durationMinutes: 60,
              resourceIds: [w.studio.id],
              timetable: [
                {
                  resourceId: w.studio.id,
                  rrule: 'FREQ=DAILY;COUNT=3;UNTIL=20300101T000000Z',
                  dtstart: '2030-01-01T09:00',
                },
              ],
            }),
          'validation_failed',
        ],
        [
          'allocation ending before it starts',
          () => s.allocations.create({ resourceId: w.room.id, startTime: iso(T0 + HOUR), endTime: iso(T0) }),
          'validation_failed',
        ],
        [
          'contact with a bad email',
          () => s.contacts.create({ name: 'X', email: 'not-an-email' }),
          'validation_failed',
        ],
        [
          'booking with a forged slot id',
          () => s.bookings.create({ slotId: 'slot_garbage', contactId: w.contact.id }),
          'validation_failed',
        ],
        [
          'booking with zero seats',
          () =>
            s.bookings.create({
              serviceId: w.yoga.id,
              startTime: iso(T0 + 9 * HOUR),
              contactId: w.contact.id,
              seats: 0,
            }),
          'validation_failed',
        ],
        [
          'booking with a float seat count',
          () =>
            s.bookings.create({
              serviceId: w.yoga.id,
              startTime: iso(T0 + 9 * HOUR),
              contactId: w.contact.id,
              seats: 1.5,
            }),
          'validation_failed',
        ],
        [
          'booking with a local time without offset',
          () =>
            s.bookings.create({
              serviceId: w.yoga.id,
              startTime: '2030-01-07T09:00',
              contactId: w.contact.id,
            }),
          'validation_failed',
        ],
        [
          'booking ending before it starts',
          () =>
            s.bookings.create({
              serviceId: w.appointment.id,
              startTime: iso(T0 + 9 * HOUR),
              endTime: iso(T0 + 8 * HOUR),
              contactId: w.contact.id,
            }),
          'validation_failed',
        ],
        [
          'booking for an unknown contact',
          () =>
            s.bookings.create({ serviceId: w.yoga.id, startTime: iso(T0 + 9 * HOUR), contactId: 'ct_nope' }),
          'not_found',
        ],
        [
          'booking for an unknown service',
          () =>
            s.bookings.create({
              serviceId: 'svc_nope',
              startTime: iso(T0 + 9 * HOUR),
              contactId: w.contact.id,
            }),
          'not_found',
        ],
        [
          'booking with an unknown field',
          () =>
            s.bookings.create(
              anyInput({ serviceId: w.yoga.id, startTime: iso(T0), contactId: w.contact.id, sets: 2 }),
            ),
          'validation_failed',
        ],
        ['booking with a null input', () => s.bookings.create(anyInput(null)), 'validation_failed'],
        [
          'class booking off the timetable',
          () =>
            s.bookings.create({
              serviceId: w.yoga.id,
              startTime: iso(T0 + 10 * HOUR),
              contactId: w.contact.id,
            }),
          'slot_unavailable',
        ],
        ['confirm of an unknown booking', () => s.bookings.confirm('bkg_nope'), 'not_found'],
        ['cancel with a non-string id', () => s.bookings.cancel(anyInput(42)), 'validation_failed'],
        [
          'cancel with a bad reason',
          () => s.bookings.cancel(b.id, anyInput({ reason: 5 })),
          'validation_failed',
        ],
        [
          'reschedule to a bad time',
          () => s.bookings.reschedule(b.id, anyInput({ startTime: 'tomorrow' })),
          'validation_failed',
        ],
        [
          'reschedule to another service slot',
          () => s.bookings.reschedule(b.id, { slotId: 'slot_x' }),
          'validation_failed',
        ],
        ['list with limit 0', () => s.bookings.list({ limit: 0 }), 'validation_failed'],
        ['list with limit 101', () => s.bookings.list({ limit: 101 }), 'validation_failed'],
        [
          'list with a bad status',
          () => s.bookings.list(anyInput({ status: 'pending' })),
          'validation_failed',
        ],
        [
          'query with to before from',
          () => s.availability.query({ serviceId: w.yoga.id, from: iso(T0 + HOUR), to: iso(T0) }),
          'validation_failed',
        ],
        [
          'query over a year',
          () => s.availability.query({ serviceId: w.yoga.id, from: '2030-01-01', to: '2031-01-01' }),
          'validation_failed',
        ],
        [
          'query with an unknown zone',
          () =>
            s.availability.query({
              serviceId: w.yoga.id,
              from: '2030-01-07',
              to: '2030-01-08',
              timezone: 'Nowhere/City',
            }),
          'validation_failed',
        ],
        [
          'query for an impossible date',
          () => s.availability.query({ serviceId: w.yoga.id, from: '2030-02-30', to: '2030-03-01' }),
          'validation_failed',
        ],
        [
          'explain with no start',
          () => s.availability.explain(anyInput({ serviceId: w.yoga.id })),
          'validation_failed',
        ],
        [
          'quote with negative seats',
          () => s.pricing.quote({ serviceId: w.yoga.id, seats: -1 }),
          'validation_failed',
        ],
        [
          'join a waitlist with zero seats',
          () => s.waitlist.join({ slotId: slot, contactId: w.contact.id, seats: 0 }),
          'validation_failed',
        ],
        [
          'join a waitlist with a booking id as the slot',
          () => s.waitlist.join({ slotId: b.id, contactId: w.contact.id }),
          'validation_failed',
        ],
        [
          'join a waitlist with an unknown key',
          () => s.waitlist.join(anyInput({ slotId: slot, contactId: w.contact.id, priority: 1 })),
          'validation_failed',
        ],
        [
          'join a waitlist for an unknown contact',
          () => s.waitlist.join({ slotId: slot, contactId: 'ct_nope' }),
          'not_found',
        ],
        ['leave a waitlist entry by a booking id', () => s.waitlist.leave(b.id), 'validation_failed'],
        ['get an unknown waitlist entry', () => s.waitlist.get('wl_nope'), 'not_found'],
        [
          'list a waitlist by slot and contact at once',
          () => s.waitlist.list(anyInput({ slotId: slot, contactId: w.contact.id })),
          'validation_failed',
        ],
        ['list a waitlist by nothing', () => s.waitlist.list(anyInput({})), 'validation_failed'],
        [
          'list a waitlist with a bad status',
          () => s.waitlist.list(anyInput({ slotId: slot, status: 'pending' })),
          'validation_failed',
        ],
        ['runDue with limit 0', () => s.work.runDue({ limit: 0 }), 'validation_failed'],
        [
          'runDue with an unknown key',
          () => s.work.runDue(anyInput({ limit: 5, dryRun: true })),
          'validation_failed',
        ],
        ['undo attendance of an unknown booking', () => s.bookings.undoAttendance('bkg_nope'), 'not_found'],
        ['undo attendance with a malformed id', () => s.bookings.undoAttendance('nope'), 'validation_failed'],
        [
          'withScope with a bad mode',
          async () => s.withScope(anyInput({ organizationId: 'x', mode: 'prod' })),
          'validation_failed',
        ],
      ];
      for (const [name, run, code] of cases) {
        const error = await expectCode(run(), code).catch((e: unknown) => {
          throw new Error(`${name}: ${String(e)}`);
        });
        expect(error.message.length, name).toBeGreaterThan(0);
        if (code === 'validation_failed') expect(Array.isArray(error.details.fields), name).toBe(true);
      }
      expect(await raw.counts(s.scope)).toEqual(before);
      expect(await raw.bookings(s.scope)).toEqual(bookingsBefore);
    });
  });
}
