/**
 * The booking lifecycle on a real adapter: what each operation stores, and the invariants
 * around it (no overbooking, holds free on expiry, atomic reschedule, idempotency, events).
 * @module
 */
import { SeshnError } from '@seshn/core';
import { describe, expect, it } from 'vitest';
import { HOUR, MINUTE, makeWorld, T0 } from '../fixtures.js';
import { findOverlaps } from '../raw.js';
import type { SuiteContext } from '../suite.js';

const iso = (ms: number) => new Date(ms).toISOString();
const DAY9 = T0 + 9 * HOUR; // Monday 09:00 UTC: a yoga session, and a free appointment start

async function expectCode(promise: Promise<unknown>, code: string) {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(SeshnError);
  expect((error as SeshnError).code).toBe(code);
  return error as SeshnError;
}

export { expectCode };

export function lifecycleTests(get: () => SuiteContext) {
  describe('booking lifecycle', () => {
    it('books a class seat from an availability slot and stores exactly what it returns', async () => {
      const { adapter, raw } = get();
      const w = await makeWorld(adapter, 'class');
      const slots = await w.seshn.availability.query({
        serviceId: w.yoga.id,
        from: iso(T0),
        to: iso(T0 + 24 * HOUR),
      });
      expect(slots.map((s) => s.startTime)).toEqual([iso(T0 + 9 * HOUR), iso(T0 + 18 * HOUR)]);
      const b = await w.seshn.bookings.create({ slotId: slots[0]!.id, contactId: w.contact.id, seats: 3 });
      expect(b).toMatchObject({
        status: 'confirmed',
        seats: 3,
        startTime: iso(DAY9),
        price: { amount: 4500, currency: 'usd' },
      });
      expect(b.slotId).toBe(slots[0]!.id);
      const stored = await raw.bookings(w.seshn.scope);
      expect(stored).toHaveLength(1);
      expect(stored[0]).toMatchObject({
        id: b.id,
        status: 'confirmed',
        seats: 3,
        start: DAY9,
        end: DAY9 + HOUR,
      });
      const after = await w.seshn.availability.query({
        serviceId: w.yoga.id,
        from: iso(T0),
        to: iso(T0 + 24 * HOUR),
      });
      expect(after[0]!.remaining).toBe(7);
      expect(await w.seshn.bookings.get(b.id)).toEqual(b);
    });

    it('books an appointment by service and start time, and the slot disappears', async () => {
      const { adapter } = get();
      const w = await makeWorld(adapter, 'appt');
      const b = await w.seshn.bookings.create({
        serviceId: w.appointment.id,
        startTime: iso(DAY9),
        contactId: w.contact.id,
      });
      expect(b).toMatchObject({ resourceId: w.room.id, status: 'confirmed', endTime: iso(DAY9 + HOUR) });
      const slots = await w.seshn.availability.query({
        serviceId: w.appointment.id,
        from: iso(DAY9 - HOUR),
        to: iso(DAY9 + 2 * HOUR),
      });
      // 08:00's own 15-minute after-buffer runs into the 09:00 booking; 08:30–10:00 overlap the
      // booking or its buffer (until 10:15); 10:30 is the first start clear of both.
      expect(slots.map((s) => s.startTime)).toEqual([iso(DAY9 + 90 * MINUTE)]);
    });

    it('never sells more seats than the slot has', async () => {
      const { adapter, raw } = get();
      const w = await makeWorld(adapter, 'full');
      await w.seshn.bookings.create({
        serviceId: w.yoga.id,
        startTime: iso(DAY9),
        contactId: w.contact.id,
        seats: 8,
      });
      const e = await expectCode(
        w.seshn.bookings.create({
          serviceId: w.yoga.id,
          startTime: iso(DAY9),
          contactId: w.contact.id,
          seats: 3,
        }),
        'slot_unavailable',
      );
      expect(e.details).toMatchObject({ reason: 'full', remaining: 2 });
      await w.seshn.bookings.create({
        serviceId: w.yoga.id,
        startTime: iso(DAY9),
        contactId: w.contact.id,
        seats: 2,
      });
      const seats = await raw.liveSeats(w.seshn.scope, w.clock.ms());
      expect([...seats.values()]).toEqual([10]);
      const slots = await w.seshn.availability.query({
        serviceId: w.yoga.id,
        from: iso(DAY9),
        to: iso(DAY9 + HOUR),
      });
      expect(slots[0]).toMatchObject({ remaining: 0 });
    });

    it('rejects overlapping appointments, buffers included, and allocations', async () => {
      const { adapter, raw } = get();
      const w = await makeWorld(adapter, 'overlap');
      await w.seshn.bookings.create({
        serviceId: w.appointment.id,
        startTime: iso(DAY9),
        contactId: w.contact.id,
      });
      const overlap = await expectCode(
        w.seshn.bookings.create({
          serviceId: w.appointment.id,
          startTime: iso(DAY9 + 30 * MINUTE),
          contactId: w.contact.id,
        }),
        'slot_unavailable',
      );
      expect(overlap.details.reason).toBe('conflict');
      // 10:00 touches the booking but not its 15-minute buffer: still a conflict (buffer).
      const buffer = await expectCode(
        w.seshn.bookings.create({
          serviceId: w.appointment.id,
          startTime: iso(DAY9 + HOUR),
          contactId: w.contact.id,
        }),
        'slot_unavailable',
      );
      expect(buffer.details.reason).toBe('buffer_conflict');
      await w.seshn.allocations.create({
        resourceId: w.room.id,
        startTime: iso(DAY9 + 3 * HOUR),
        endTime: iso(DAY9 + 4 * HOUR),
      });
      const blocked = await expectCode(
        w.seshn.bookings.create({
          serviceId: w.appointment.id,
          startTime: iso(DAY9 + 3 * HOUR),
          contactId: w.contact.id,
        }),
        'slot_unavailable',
      );
      expect(blocked.details.reason).toBe('allocation');
      const explain = await w.seshn.availability.explain({
        serviceId: w.appointment.id,
        startTime: iso(DAY9 + 3 * HOUR),
      });
      expect(explain.available).toBe(false);
      expect(explain.reasons.map((r) => r.code)).toContain('allocation');
      expect(findOverlaps(await raw.bookings(w.seshn.scope), w.clock.ms())).toEqual([]);
    });

    it('frees a held seat the instant its hold expires, without any sweeper', async () => {
      const { adapter, raw } = get();
      const w = await makeWorld(adapter, 'hold');
      const held = await w.seshn.bookings.create({
        serviceId: w.appointment.id,
        startTime: iso(DAY9),
        contactId: w.contact.id,
        hold: { ttlSeconds: 300 },
      });
      expect(held).toMatchObject({ status: 'held', expiresAt: iso(T0 + 300_000) });
      const other = await w.seshn.contacts.create({ name: 'Other' });
      await expectCode(
        w.seshn.bookings.create({ serviceId: w.appointment.id, startTime: iso(DAY9), contactId: other.id }),
        'slot_unavailable',
      );
      w.clock.advance(299_999);
      await expectCode(
        w.seshn.bookings.create({ serviceId: w.appointment.id, startTime: iso(DAY9), contactId: other.id }),
        'slot_unavailable',
      );
      w.clock.advance(1); // exactly expiresAt: the hold no longer counts
      expect((await w.seshn.bookings.get(held.id)).status).toBe('expired');
      const taken = await w.seshn.bookings.create({
        serviceId: w.appointment.id,
        startTime: iso(DAY9),
        contactId: other.id,
      });
      expect(taken.status).toBe('confirmed');
      await expectCode(w.seshn.bookings.confirm(held.id), 'invalid_state');
      expect(findOverlaps(await raw.bookings(w.seshn.scope), w.clock.ms())).toEqual([]);
    });

    it('confirms a hold, and confirm and cancel are idempotent', async () => {
      const { adapter, raw } = get();
      const w = await makeWorld(adapter, 'confirm');
      const held = await w.seshn.bookings.create({
        serviceId: w.yoga.id,
        startTime: iso(DAY9),
        contactId: w.contact.id,
        hold: true,
      });
      expect(held.expiresAt).toBe(iso(T0 + 600_000)); // the service default TTL
      const confirmed = await w.seshn.bookings.confirm(held.id);
      expect(confirmed).toMatchObject({ status: 'confirmed', expiresAt: null });
      expect((await w.seshn.bookings.confirm(held.id)).status).toBe('confirmed');
      w.clock.advance(3600_000); // a confirmed booking does not expire
      const cancelled = await w.seshn.bookings.cancel(held.id, { reason: 'changed plans' });
      expect(cancelled).toMatchObject({ status: 'cancelled', cancellationReason: 'changed plans' });
      expect(await w.seshn.bookings.cancel(held.id)).toMatchObject({ status: 'cancelled' });
      await expectCode(w.seshn.bookings.confirm(held.id), 'invalid_state');
      expect((await raw.bookings(w.seshn.scope))[0]!.status).toBe('cancelled');
      const types = (await raw.events(w.seshn.scope))
        .map((e) => e.type)
        .filter((t) => t.startsWith('booking.'));
      expect(types).toEqual(['booking.created', 'booking.held', 'booking.confirmed', 'booking.cancelled']);
    });

    it('cancelling frees the seats for the next customer', async () => {
      const { adapter } = get();
      const w = await makeWorld(adapter, 'cancel');
      const b = await w.seshn.bookings.create({
        serviceId: w.appointment.id,
        startTime: iso(DAY9),
        contactId: w.contact.id,
      });
      await w.seshn.bookings.cancel(b.id);
      const again = await w.seshn.bookings.create({
        serviceId: w.appointment.id,
        startTime: iso(DAY9),
        contactId: w.contact.id,
      });
      expect(again.status).toBe('confirmed');
    });

    it('reschedules atomically: the new slot is taken before the old is released, or nothing changes', async () => {
      const { adapter, raw } = get();
      const w = await makeWorld(adapter, 'resched');
      const b = await w.seshn.bookings.create({
        serviceId: w.appointment.id,
        startTime: iso(DAY9),
        contactId: w.contact.id,
      });
      // Moving by 30 minutes overlaps its own old time: its own booking must not block it.
      const moved = await w.seshn.bookings.reschedule(b.id, { startTime: iso(DAY9 + 30 * MINUTE) });
      expect(moved).toMatchObject({ id: b.id, startTime: iso(DAY9 + 30 * MINUTE), status: 'confirmed' });
      const blocker = await w.seshn.bookings.create({
        serviceId: w.appointment.id,
        startTime: iso(DAY9 + 4 * HOUR),
        contactId: w.contact.id,
      });
      await expectCode(
        w.seshn.bookings.reschedule(b.id, { startTime: iso(DAY9 + 4 * HOUR) }),
        'slot_unavailable',
      );
      const stored = await raw.bookings(w.seshn.scope);
      expect(stored.find((x) => x.id === b.id)).toMatchObject({
        start: DAY9 + 30 * MINUTE,
        status: 'confirmed',
      });
      expect(stored.find((x) => x.id === blocker.id)).toMatchObject({
        start: DAY9 + 4 * HOUR,
        status: 'confirmed',
      });
      // The old time is free again.
      await w.seshn.bookings.create({
        serviceId: w.appointment.id,
        startTime: iso(DAY9 - 2 * HOUR),
        contactId: w.contact.id,
      });
      const slots = await w.seshn.bookings.list({ status: 'confirmed' });
      expect(slots.data).toHaveLength(3);
      await w.seshn.bookings.cancel(b.id);
      await expectCode(
        w.seshn.bookings.reschedule(b.id, { startTime: iso(DAY9 + 6 * HOUR) }),
        'invalid_state',
      );
      expect(findOverlaps(await raw.bookings(w.seshn.scope), w.clock.ms())).toEqual([]);
    });

    it('marks check-in and no-show only on confirmed bookings', async () => {
      const { adapter } = get();
      const w = await makeWorld(adapter, 'attend');
      const b = await w.seshn.bookings.create({
        serviceId: w.yoga.id,
        startTime: iso(DAY9),
        contactId: w.contact.id,
      });
      // Attendance is recorded around the session: check-in from an hour before, a no-show once
      // it started (the windows themselves are covered in holds.ts).
      w.clock.set(DAY9 - 30 * MINUTE);
      expect((await w.seshn.bookings.checkIn(b.id)).attendance).toBe('checked_in');
      w.clock.set(DAY9 + 5 * MINUTE);
      expect((await w.seshn.bookings.markNoShow(b.id)).attendance).toBe('no_show');
      w.clock.set(DAY9 - 30 * MINUTE);
      const held = await w.seshn.bookings.create({
        serviceId: w.yoga.id,
        startTime: iso(DAY9),
        contactId: w.contact.id,
        hold: true,
      });
      await expectCode(w.seshn.bookings.checkIn(held.id), 'invalid_state');
    });

    it('returns the first result for a repeated idempotency key and rejects a different request under it', async () => {
      const { adapter, raw } = get();
      const w = await makeWorld(adapter, 'idem');
      const input = {
        serviceId: w.yoga.id,
        startTime: iso(DAY9),
        contactId: w.contact.id,
        seats: 2,
        idempotencyKey: 'k-1',
      };
      const first = await w.seshn.bookings.create(input);
      const again = await w.seshn.bookings.create({ ...input });
      expect(again.id).toBe(first.id);
      const concurrent = await Promise.all(
        [1, 2, 3].map(() => w.seshn.bookings.create({ ...input, idempotencyKey: 'k-2' })),
      );
      expect(new Set(concurrent.map((b) => b.id)).size).toBe(1);
      await expectCode(w.seshn.bookings.create({ ...input, seats: 3 }), 'idempotency_conflict');
      expect((await raw.bookings(w.seshn.scope)).length).toBe(2);
      // A failed request does not burn its key.
      await expectCode(
        w.seshn.bookings.create({ ...input, seats: 20, idempotencyKey: 'k-3' }),
        'slot_unavailable',
      );
      const ok = await w.seshn.bookings.create({ ...input, seats: 1, idempotencyKey: 'k-3' });
      expect(ok.seats).toBe(1);
    });

    it("idempotency keys compare exactly: 'k-1', 'k-1 ' and 'K-1' are three keys on every database", async () => {
      const { adapter, raw } = get();
      const w = await makeWorld(adapter, 'idem-exact');
      const input = { serviceId: w.yoga.id, startTime: iso(DAY9), contactId: w.contact.id, seats: 1 };
      const keys = ['k-1', 'k-1 ', 'K-1', 'k-1  '];
      const made = [];
      for (const key of keys) made.push(await w.seshn.bookings.create({ ...input, idempotencyKey: key }));
      expect(new Set(made.map((b) => b.id)).size).toBe(keys.length);
      // Each key still replays its own booking.
      for (const [i, key] of keys.entries()) {
        expect((await w.seshn.bookings.create({ ...input, idempotencyKey: key })).id).toBe(made[i]!.id);
      }
      expect((await raw.bookings(w.seshn.scope)).length).toBe(keys.length);
      const stored = await adapter.getIdempotencyKey(w.seshn.scope, 'k-1 ');
      expect(stored?.key).toBe('k-1 ');
    });

    it('lists bookings newest first with stable cursor pages and filters', async () => {
      const { adapter } = get();
      const w = await makeWorld(adapter, 'list');
      const ids: string[] = [];
      for (let d = 0; d < 5; d++) {
        ids.push(
          (
            await w.seshn.bookings.create({
              serviceId: w.yoga.id,
              startTime: iso(DAY9 + d * 24 * HOUR),
              contactId: w.contact.id,
            })
          ).id,
        );
      }
      const page1 = await w.seshn.bookings.list({ limit: 2 });
      expect(page1.hasMore).toBe(true);
      // A row inserted between pages does not shift the next page.
      await w.seshn.bookings.create({
        serviceId: w.yoga.id,
        startTime: iso(DAY9 + 9 * 24 * HOUR),
        contactId: w.contact.id,
      });
      const page2 = await w.seshn.bookings.list({ limit: 2, startingAfter: page1.data[1]!.id });
      const page3 = await w.seshn.bookings.list({ limit: 2, startingAfter: page2.data[1]!.id });
      expect(page3.hasMore).toBe(false);
      expect([...page1.data, ...page2.data, ...page3.data].map((b) => b.id)).toEqual([...ids].reverse());
      await w.seshn.bookings.cancel(ids[0]!);
      expect((await w.seshn.bookings.list({ status: 'cancelled' })).data.map((b) => b.id)).toEqual([ids[0]]);
      const window = await w.seshn.bookings.list({
        from: iso(DAY9 + 24 * HOUR),
        to: iso(DAY9 + 3 * 24 * HOUR),
      });
      expect(window.data.map((b) => b.id)).toEqual([ids[2], ids[1]]);
      expect((await w.seshn.bookings.list({ contactId: 'ct_nobody' })).data).toEqual([]);
    });

    it('assigns a resource from the pool when none is given', async () => {
      const { adapter, raw } = get();
      const w = await makeWorld(adapter, 'pool');
      const room2 = await w.seshn.resources.create({
        name: 'Room 2',
        timezone: 'UTC',
        availability: { weekly: { mon: [{ start: '00:00', end: '24:00' }] } },
      });
      const svc = await w.seshn.services.create({
        name: 'Pooled',
        kind: 'appointment',
        durationMinutes: 60,
        resourceIds: [w.room.id, room2.id],
        horizonDays: null,
      });
      const a = await w.seshn.bookings.create({
        serviceId: svc.id,
        startTime: iso(DAY9),
        contactId: w.contact.id,
      });
      const b = await w.seshn.bookings.create({
        serviceId: svc.id,
        startTime: iso(DAY9),
        contactId: w.contact.id,
      });
      expect(new Set([a.resourceId, b.resourceId])).toEqual(new Set([w.room.id, room2.id]));
      await expectCode(
        w.seshn.bookings.create({ serviceId: svc.id, startTime: iso(DAY9), contactId: w.contact.id }),
        'slot_unavailable',
      );
      expect(findOverlaps(await raw.bookings(w.seshn.scope), w.clock.ms())).toEqual([]);
    });

    it('lets a customer choose a duration the service allows, and prices by duration', async () => {
      const { adapter } = get();
      const w = await makeWorld(adapter, 'durations');
      const court = await w.seshn.services.create({
        name: 'Court',
        kind: 'appointment',
        durationMinutes: 60,
        durations: { min: 30, max: 120, step: 30 },
        gridMinutes: 30,
        resourceIds: [w.room.id],
        pricing: { strategy: 'per_duration', unitAmount: 1000, unitMinutes: 30, currency: 'usd' },
        horizonDays: null,
      });
      const b = await w.seshn.bookings.create({
        serviceId: court.id,
        startTime: iso(DAY9),
        durationMinutes: 90,
        contactId: w.contact.id,
      });
      expect(b).toMatchObject({ endTime: iso(DAY9 + 90 * MINUTE), price: { amount: 3000, currency: 'usd' } });
      expect(await w.seshn.pricing.quote({ serviceId: court.id, durationMinutes: 120 })).toEqual({
        amount: 4000,
        currency: 'usd',
      });
      const e = await expectCode(
        w.seshn.bookings.create({
          serviceId: court.id,
          startTime: iso(DAY9 + 4 * HOUR),
          durationMinutes: 45,
          contactId: w.contact.id,
        }),
        'slot_unavailable',
      );
      expect(e.details.reason).toBe('duration_not_allowed');
      const slots = await w.seshn.availability.query({
        serviceId: court.id,
        from: iso(DAY9),
        to: iso(DAY9 + 3 * HOUR),
        durationMinutes: 120,
      });
      // Starts inside the window; a slot may run past its end.
      expect(slots.map((s) => s.startTime)).toEqual([
        iso(DAY9 + 90 * MINUTE),
        iso(DAY9 + 2 * HOUR),
        iso(DAY9 + 150 * MINUTE),
      ]);
      const windows = await w.seshn.availability.windows({
        resourceIds: [w.room.id],
        from: iso(DAY9 - HOUR),
        to: iso(DAY9 + 3 * HOUR),
      });
      expect(windows).toEqual([
        { resourceId: w.room.id, startTime: iso(DAY9 - HOUR), endTime: iso(DAY9), durationMinutes: 60 },
        {
          resourceId: w.room.id,
          startTime: iso(DAY9 + 90 * MINUTE),
          endTime: iso(DAY9 + 3 * HOUR),
          durationMinutes: 90,
        },
      ]);
    });

    it('refuses slots outside hours, off the grid, before notice and past the horizon', async () => {
      const { adapter, raw } = get();
      const w = await makeWorld(adapter, 'rules');
      const shop = await w.seshn.resources.create({
        name: 'Shop',
        timezone: 'America/New_York',
        availability: { weekly: { mon: [{ start: '09:00', end: '17:00' }] } },
      });
      const svc = await w.seshn.services.create({
        name: 'Fitting',
        kind: 'appointment',
        durationMinutes: 60,
        minNoticeMinutes: 24 * 60,
        horizonDays: 14,
        resourceIds: [shop.id],
      });
      const monday9 = Date.UTC(2030, 0, 14, 14, 0); // 09:00 New York, a week after T0
      const before = await raw.counts(w.seshn.scope);
      const cases: [number, string][] = [
        [monday9 - HOUR, 'outside_hours'],
        [monday9 + 15 * MINUTE, 'off_grid'],
        [T0 + 14 * HOUR, 'min_notice'], // Monday T0 09:00 New York is within 24h of T0
        [monday9 + 14 * 24 * HOUR, 'beyond_horizon'],
      ];
      for (const [start, reason] of cases) {
        const e = await expectCode(
          w.seshn.bookings.create({ serviceId: svc.id, startTime: iso(start), contactId: w.contact.id }),
          'slot_unavailable',
        );
        expect(e.details.reason).toBe(reason);
      }
      expect(await raw.counts(w.seshn.scope)).toEqual(before);
      const ok = await w.seshn.bookings.create({
        serviceId: svc.id,
        startTime: iso(monday9),
        contactId: w.contact.id,
      });
      expect(ok.status).toBe('confirmed');
    });
  });
}
