/**
 * Holds, confirms and moves on every database: a confirm re-checks its seats under the
 * reservation locks with the clock read there (two servers whose clocks straddle an expiry never
 * both keep the seats), a move is one atomic step, prices survive a move, a lapsed hold is
 * recorded `expired` once, and attendance has time rules.
 * @module
 */
import { createSeshn, type SeshnAdapter, SeshnError, type SeshnStore } from '@seshn/core';
import { describe, expect, it } from 'vitest';
import { wrapTransactionMethod } from '../adapter-hooks.js';
import { HOUR, iso, MINUTE, makeWorld, movableClock, sleep, T0, type World } from '../fixtures.js';
import { runProcessRace } from '../processes.js';
import { findOverlaps } from '../raw.js';
import type { SuiteContext } from '../suite.js';
import { expectCode } from './lifecycle.js';

const DAY9 = T0 + 9 * HOUR;

/** A second handle on the same tenant with its own clock: another app server. */
function otherServer(adapter: SeshnAdapter, w: World, at: number) {
  const clock = movableClock(at);
  const seshn = createSeshn({ adapter, now: clock.now, organizationId: w.seshn.scope.organizationId });
  return { seshn, clock };
}

async function classOf(w: World, capacity: number) {
  return w.seshn.services.create({
    name: `Class of ${capacity}`,
    kind: 'class',
    durationMinutes: 60,
    capacity,
    resourceIds: [w.studio.id],
    timetable: [{ resourceId: w.studio.id, rrule: 'FREQ=DAILY;BYHOUR=9', dtstart: '2030-01-01T09:00' }],
    horizonDays: null,
  });
}

const eventTypes = async (get: () => SuiteContext, w: World) =>
  (await get().raw.events(w.seshn.scope)).map((e) => e.type);

export function holdTests(get: () => SuiteContext) {
  describe('holds, confirms and moves', () => {
    it('two servers whose clocks straddle a hold’s expiry by 2 ms never both keep a capacity-1 slot', async () => {
      const { adapter, raw } = get();
      const w = await makeWorld(adapter, 'straddle-1');
      const held = await w.seshn.bookings.create({
        serviceId: w.appointment.id,
        startTime: iso(DAY9),
        contactId: w.contact.id,
        hold: { ttlSeconds: 300 },
      });
      const expiresAt = T0 + 300_000;
      const late = otherServer(adapter, w, expiresAt + 1); // sees the hold lapsed
      const early = otherServer(adapter, w, expiresAt - 1); // sees it live
      const other = await w.seshn.contacts.create({ name: 'Other' });
      const sold = await late.seshn.bookings.create({
        serviceId: w.appointment.id,
        startTime: iso(DAY9),
        contactId: other.id,
      });
      expect(sold.status).toBe('confirmed');
      const error = await expectCode(early.seshn.bookings.confirm(held.id), 'invalid_state');
      expect(error.details).toMatchObject({ id: held.id, reason: 'seats_taken' });
      const stored = await raw.bookings(w.seshn.scope);
      expect(stored.filter((b) => b.status === 'confirmed').map((b) => b.id)).toEqual([sold.id]);
      expect(findOverlaps(stored, expiresAt - 1)).toEqual([]);
    });

    it('a capacity-3 class never ends with more than 3 live seats when confirms and sales straddle the expiry', async () => {
      const { adapter, raw } = get();
      const w = await makeWorld(adapter, 'straddle-3');
      const small = await classOf(w, 3);
      const holds = [];
      for (let i = 0; i < 3; i++) {
        holds.push(
          await w.seshn.bookings.create({
            serviceId: small.id,
            startTime: iso(DAY9),
            contactId: w.contact.id,
            hold: { ttlSeconds: 60 },
          }),
        );
      }
      const expiresAt = T0 + 60_000;
      const late = otherServer(adapter, w, expiresAt + 3);
      const early = otherServer(adapter, w, expiresAt - 3);
      // The late server sells two seats, then the early one confirms all three holds.
      await late.seshn.bookings.create({
        serviceId: small.id,
        startTime: iso(DAY9),
        contactId: w.contact.id,
      });
      await late.seshn.bookings.create({
        serviceId: small.id,
        startTime: iso(DAY9),
        contactId: w.contact.id,
      });
      const outcomes = [];
      for (const h of holds) {
        outcomes.push(
          await early.seshn.bookings.confirm(h.id).then(
            () => 'confirmed',
            (e: unknown) => (e instanceof SeshnError ? e.code : String(e)),
          ),
        );
      }
      // Two seats were sold, so exactly one hold still fits; the others are refused.
      expect(outcomes).toEqual(['confirmed', 'invalid_state', 'invalid_state']);
      const confirmed = (await raw.bookings(w.seshn.scope)).filter((b) => b.status === 'confirmed');
      expect(confirmed.reduce((n, b) => n + b.seats, 0)).toBe(3);
      const live = [...(await raw.liveSeats(w.seshn.scope, expiresAt + 3)).values()];
      expect(live).toEqual([3]);
    });

    it('OS processes confirming holds race processes selling the lapsed seats: never more than capacity', async () => {
      const { adapter, raw, target } = get();
      if (!target.processAdapter) {
        expect(adapter.capabilities.multiProcess).toBe(false);
        return;
      }
      const w = await makeWorld(adapter, 'proc-confirm');
      const capacity = 6;
      const cls = await classOf(w, capacity);
      const holds: { id: string }[] = [];
      for (let i = 0; i < capacity; i++) {
        holds.push(
          await w.seshn.bookings.create({
            serviceId: cls.id,
            startTime: iso(DAY9),
            contactId: w.contact.id,
            hold: { ttlSeconds: 60 },
          }),
        );
      }
      const expiresAt = T0 + 60_000;
      const spec = target.processAdapter;
      const organizationId = w.seshn.scope.organizationId;
      const sell = { serviceId: cls.id, startTime: iso(DAY9), contactId: w.contact.id, seats: 1 };
      const jobs = [
        // Two processes a few ms before the expiry confirm three holds each...
        ...[0, 1].map((p) => ({
          spec,
          organizationId,
          now: expiresAt - 2 - p,
          attempts: holds.slice(p * 3, p * 3 + 3).map((h) => ({ confirm: h.id, seats: 1 })),
        })),
        // ...while two processes a few ms after it sell the same seats to newcomers.
        ...[0, 1].map((p) => ({
          spec,
          organizationId,
          now: expiresAt + 2 + p,
          attempts: Array.from({ length: capacity }, () => sell),
        })),
      ];
      const results = await runProcessRace(jobs);
      const flat = results.flat();
      expect(
        flat.filter((x) => !x.ok && x.code !== 'slot_unavailable' && x.code !== 'invalid_state'),
      ).toEqual([]);
      const kept = flat.filter((x) => x.ok).length;
      expect(kept).toBe(capacity);
      const live = [...(await raw.liveSeats(w.seshn.scope, expiresAt + 3)).values()];
      expect(live).toEqual([capacity]);
      const confirmedRows = (await raw.bookings(w.seshn.scope)).filter((b) => b.status === 'confirmed');
      expect(confirmedRows).toHaveLength(capacity);
    }, 120_000);

    it('a hold 1 ms before its expiresAt is still held for get, reschedule and a series confirm', async () => {
      const { adapter } = get();
      const w = await makeWorld(adapter, 'hold-1ms');
      const held = await w.seshn.bookings.create({
        serviceId: w.appointment.id,
        startTime: iso(DAY9),
        contactId: w.contact.id,
        hold: { ttlSeconds: 300 },
      });
      const series = await w.seshn.bookingSeries.create({
        serviceId: w.appointment.id,
        contactId: w.contact.id,
        recurrence: { rrule: 'FREQ=DAILY;COUNT=2', dtstart: '2030-01-08T14:00' },
        hold: { ttlSeconds: 300 },
      });
      w.clock.set(T0 + 300_000 - 1);
      expect((await w.seshn.bookings.get(held.id)).status).toBe('held');
      const moved = await w.seshn.bookings.reschedule(held.id, { startTime: iso(DAY9 + HOUR) });
      expect(moved).toMatchObject({ status: 'held', startTime: iso(DAY9 + HOUR) });
      const confirmed = await w.seshn.bookingSeries.confirm(series.id);
      expect(confirmed.bookings.map((b) => b.status)).toEqual(['confirmed', 'confirmed']);
      w.clock.set(T0 + 300_000);
      expect((await w.seshn.bookings.get(held.id)).status).toBe('expired');
    });

    it('a booking and its events commit together: a failing event write leaves no booking', async () => {
      const { adapter, raw } = get();
      const w = await makeWorld(adapter, 'atomic-events');
      const failing = wrapTransactionMethod(
        adapter,
        'enqueue',
        () =>
          (async () => {
            throw new Error('outbox unavailable');
          }) as SeshnStore['enqueue'],
      );
      const seshn = createSeshn({
        adapter: failing,
        now: w.clock.now,
        organizationId: w.seshn.scope.organizationId,
      });
      await expect(
        seshn.bookings.create({ serviceId: w.appointment.id, startTime: iso(DAY9), contactId: w.contact.id }),
      ).rejects.toBeInstanceOf(SeshnError);
      expect(await raw.bookings(w.seshn.scope)).toEqual([]);
      // The seats were never taken: the next customer gets them.
      const b = await w.seshn.bookings.create({
        serviceId: w.appointment.id,
        startTime: iso(DAY9),
        contactId: w.contact.id,
      });
      expect(b.status).toBe('confirmed');
      const held = await w.seshn.bookings.create({
        serviceId: w.yoga.id,
        startTime: iso(DAY9),
        contactId: w.contact.id,
        hold: true,
      });
      await expect(seshn.bookings.confirm(held.id)).rejects.toBeInstanceOf(SeshnError);
      expect((await w.seshn.bookings.get(held.id)).status).toBe('held');
    });

    it('booking.rescheduled carries the previous start, end and resource; a concurrently cancelled move writes none', async () => {
      const { adapter, raw } = get();
      const w = await makeWorld(adapter, 'resched-event');
      const b = await w.seshn.bookings.create({
        serviceId: w.appointment.id,
        startTime: iso(DAY9),
        contactId: w.contact.id,
      });
      await w.seshn.bookings.reschedule(b.id, { startTime: iso(DAY9 + 2 * HOUR) });
      const events = (await raw.events(w.seshn.scope)).filter((e) => e.type === 'booking.rescheduled');
      expect(events).toHaveLength(1);
      expect(events[0]!.data).toMatchObject({
        id: b.id,
        startTime: iso(DAY9 + 2 * HOUR),
        previousStartTime: iso(DAY9),
        previousEndTime: iso(DAY9 + HOUR),
        previousResourceId: w.room.id,
      });
      // Someone else cancels the booking between the move's read of it and its transaction.
      let armed = true;
      const cancelling = new Proxy(adapter, {
        get(target, prop) {
          const value = Reflect.get(target, prop);
          if (prop !== 'get') return typeof value === 'function' ? value.bind(target) : value;
          return async (...args: Parameters<SeshnAdapter['get']>) => {
            const found = await target.get(...args);
            if (armed && args[0] === 'booking') {
              armed = false;
              await w.seshn.bookings.cancel(b.id);
            }
            return found;
          };
        },
      });
      const mover = createSeshn({
        adapter: cancelling,
        now: w.clock.now,
        organizationId: w.seshn.scope.organizationId,
      });
      await expectCode(mover.bookings.reschedule(b.id, { startTime: iso(DAY9 + 4 * HOUR) }), 'invalid_state');
      const after = (await raw.events(w.seshn.scope)).filter((e) => e.type === 'booking.rescheduled');
      expect(after).toHaveLength(1);
      expect((await raw.bookings(w.seshn.scope))[0]).toMatchObject({
        status: 'cancelled',
        start: DAY9 + 2 * HOUR,
      });
    });

    it('a move is one step: a competitor for the old time never wins while the move still holds it', async () => {
      const { adapter, raw } = get();
      const w = await makeWorld(adapter, 'move-atomic');
      const b = await w.seshn.bookings.create({
        serviceId: w.appointment.id,
        startTime: iso(DAY9),
        contactId: w.contact.id,
      });
      await w.seshn.bookings.create({
        serviceId: w.appointment.id,
        startTime: iso(DAY9 + 4 * HOUR),
        contactId: w.contact.id,
      });
      const other = await w.seshn.contacts.create({ name: 'Competitor' });
      let competitor: Promise<unknown> | null = null;
      const racing = wrapTransactionMethod(
        adapter,
        'move',
        (move) =>
          (async (scope, request) => {
            // A competitor asks for the old time while the move is under way.
            competitor ??= w.seshn.bookings
              .create({ serviceId: w.appointment.id, startTime: iso(DAY9), contactId: other.id })
              .then(
                () => 'won',
                (e: unknown) => (e instanceof SeshnError ? e.code : String(e)),
              );
            await sleep(30);
            return move(scope, request);
          }) as SeshnStore['move'],
      );
      const mover = createSeshn({
        adapter: racing,
        now: w.clock.now,
        organizationId: w.seshn.scope.organizationId,
      });
      // The move to the taken 13:00 fails: the booking must still own 09:00.
      await expectCode(
        mover.bookings.reschedule(b.id, { startTime: iso(DAY9 + 4 * HOUR) }),
        'slot_unavailable',
      );
      expect(await competitor).toBe('slot_unavailable');
      const stored = await raw.bookings(w.seshn.scope);
      expect(stored.find((x) => x.id === b.id)).toMatchObject({ start: DAY9, status: 'confirmed' });
      expect(findOverlaps(stored, w.clock.ms())).toEqual([]);
    });

    it('list by status sees lapsed holds no sweeper touched as expired, not held', async () => {
      const { adapter } = get();
      const w = await makeWorld(adapter, 'list-expired');
      const lapsing = await w.seshn.bookings.create({
        serviceId: w.yoga.id,
        startTime: iso(DAY9),
        contactId: w.contact.id,
        hold: { ttlSeconds: 60 },
      });
      const live = await w.seshn.bookings.create({
        serviceId: w.yoga.id,
        startTime: iso(DAY9),
        contactId: w.contact.id,
        hold: { ttlSeconds: 600 },
      });
      w.clock.advance(60_000);
      const expired = await w.seshn.bookings.list({ status: 'expired' });
      expect(expired.data.map((b) => b.id)).toEqual([lapsing.id]);
      expect(expired.data[0]!.status).toBe('expired');
      const held = await w.seshn.bookings.list({ status: 'held' });
      expect(held.data.map((b) => b.id)).toEqual([live.id]);
    });

    it('a move keeps the agreed price; a move to another length prices the stored booking again', async () => {
      const { adapter } = get();
      const w = await makeWorld(adapter, 'resched-price');
      const flexible = await w.seshn.services.create({
        name: 'Flexible',
        kind: 'appointment',
        durationMinutes: 60,
        durations: [30, 60, 90],
        resourceIds: [w.room.id],
        pricing: { strategy: 'flat', amount: 3000, currency: 'usd' },
        horizonDays: null,
      });
      const b = await w.seshn.bookings.create({
        serviceId: flexible.id,
        startTime: iso(DAY9),
        contactId: w.contact.id,
      });
      expect(b.price).toEqual({ amount: 3000, currency: 'usd' });
      await w.seshn.services.update(flexible.id, {
        pricing: { strategy: 'flat', amount: 5000, currency: 'usd' },
      });
      const later = await w.seshn.bookings.reschedule(b.id, { startTime: iso(DAY9 + 7 * 24 * HOUR) });
      expect(later.price).toEqual({ amount: 3000, currency: 'usd' });
      expect((await w.seshn.bookings.get(b.id)).price).toEqual({ amount: 3000, currency: 'usd' });
      await w.seshn.services.update(flexible.id, { pricing: null });
      const again = await w.seshn.bookings.reschedule(b.id, { startTime: iso(DAY9 + 8 * 24 * HOUR) });
      expect(again.price).toEqual({ amount: 3000, currency: 'usd' });
      // Another length is another purchase: priced by today's list, and the event says so.
      await w.seshn.services.update(flexible.id, {
        pricing: { strategy: 'per_duration', unitAmount: 100, unitMinutes: 1, currency: 'usd' },
      });
      const longer = await w.seshn.bookings.reschedule(b.id, {
        startTime: iso(DAY9 + 9 * 24 * HOUR),
        durationMinutes: 90,
      });
      expect(longer.price).toEqual({ amount: 9000, currency: 'usd' });
      expect((await w.seshn.bookings.get(b.id)).price).toEqual({ amount: 9000, currency: 'usd' });
      const events = (await get().raw.events(w.seshn.scope)).filter((e) => e.type === 'booking.rescheduled');
      expect(events.map((e) => e.data.previousPrice ?? 'same')).toEqual([
        'same',
        'same',
        { amount: 3000, currency: 'usd' },
      ]);
    });

    it('a hold never outlives its slot’s start, and a hold cannot be confirmed once the slot started', async () => {
      const { adapter } = get();
      const w = await makeWorld(adapter, 'hold-cap');
      w.clock.set(DAY9 - 5 * MINUTE);
      const held = await w.seshn.bookings.create({
        serviceId: w.yoga.id,
        startTime: iso(DAY9),
        contactId: w.contact.id,
        hold: { ttlSeconds: 3600 },
      });
      expect(held.expiresAt).toBe(iso(DAY9));
      w.clock.set(DAY9);
      const error = await expectCode(w.seshn.bookings.confirm(held.id), 'invalid_state');
      expect(error.details.status).toBe('expired');
      // A cutoff keeps holds clear of the start by that many minutes.
      const cut = await w.seshn.services.create({
        name: 'Cutoff class',
        kind: 'class',
        durationMinutes: 60,
        capacity: 5,
        holdCutoffMinutes: 30,
        resourceIds: [w.studio.id],
        timetable: [{ resourceId: w.studio.id, rrule: 'FREQ=DAILY;BYHOUR=12', dtstart: '2030-01-01T12:00' }],
        horizonDays: null,
      });
      w.clock.set(DAY9 + 2 * HOUR);
      const early = await w.seshn.bookings.create({
        serviceId: cut.id,
        startTime: iso(DAY9 + 3 * HOUR),
        contactId: w.contact.id,
        hold: { ttlSeconds: 3600 },
      });
      expect(early.expiresAt).toBe(iso(DAY9 + 2.5 * HOUR));
      w.clock.set(DAY9 + 2.5 * HOUR);
      const tooLate = await expectCode(
        w.seshn.bookings.create({
          serviceId: cut.id,
          startTime: iso(DAY9 + 3 * HOUR),
          contactId: w.contact.id,
          hold: true,
        }),
        'slot_unavailable',
      );
      expect(tooLate.details.reason).toBe('hold_cutoff');
    });

    it('a lapsed hold is recorded expired by the first write that finds it, exactly once', async () => {
      const { adapter, raw } = get();
      const w = await makeWorld(adapter, 'expired-event');
      const held = await w.seshn.bookings.create({
        serviceId: w.yoga.id,
        startTime: iso(DAY9),
        contactId: w.contact.id,
        hold: { ttlSeconds: 60 },
      });
      w.clock.advance(60_000);
      // Reads do not write.
      expect((await w.seshn.bookings.get(held.id)).status).toBe('expired');
      expect(await eventTypes(get, w)).not.toContain('booking.expired');
      await expectCode(w.seshn.bookings.confirm(held.id), 'invalid_state');
      await expectCode(w.seshn.bookings.cancel(held.id), 'invalid_state');
      await expectCode(
        w.seshn.bookings.reschedule(held.id, { startTime: iso(DAY9 + 9 * HOUR) }),
        'invalid_state',
      );
      const types = (await eventTypes(get, w)).filter((t) => t === 'booking.expired');
      expect(types).toHaveLength(1);
      const stored = (await raw.bookings(w.seshn.scope))[0]!;
      expect(stored.status).toBe('expired');
      expect((await w.seshn.bookings.list({ status: 'expired' })).data.map((b) => b.id)).toEqual([held.id]);
    });

    it('check-in and no-show keep to their time windows; a second check-in writes no second event', async () => {
      const { adapter } = get();
      const w = await makeWorld(adapter, 'attend-window');
      const b = await w.seshn.bookings.create({
        serviceId: w.yoga.id,
        startTime: iso(DAY9),
        contactId: w.contact.id,
      });
      // Default: check-in opens 60 minutes before the start and closes 60 minutes after the end.
      w.clock.set(DAY9 - 61 * MINUTE);
      const early = await expectCode(w.seshn.bookings.checkIn(b.id), 'invalid_state');
      expect(early.details).toMatchObject({ reason: 'check_in_window', opensAt: iso(DAY9 - HOUR) });
      await expectCode(w.seshn.bookings.markNoShow(b.id), 'invalid_state');
      w.clock.set(DAY9 - HOUR);
      expect((await w.seshn.bookings.checkIn(b.id)).attendance).toBe('checked_in');
      expect((await w.seshn.bookings.checkIn(b.id)).attendance).toBe('checked_in');
      const checkIns = (await eventTypes(get, w)).filter((t) => t === 'booking.checked_in');
      expect(checkIns).toHaveLength(1);
      const late = await w.seshn.bookings.create({
        serviceId: w.yoga.id,
        startTime: iso(DAY9),
        contactId: w.contact.id,
      });
      w.clock.set(DAY9 + 2 * HOUR + 1);
      await expectCode(w.seshn.bookings.checkIn(late.id), 'invalid_state');
      // A no-show can be recorded once the session started, and only once.
      expect((await w.seshn.bookings.markNoShow(late.id)).attendance).toBe('no_show');
      expect((await w.seshn.bookings.markNoShow(late.id)).attendance).toBe('no_show');
      expect((await eventTypes(get, w)).filter((t) => t === 'booking.no_show')).toHaveLength(1);
      // Per service: a studio that opens check-in 15 minutes before.
      const strict = await w.seshn.services.create({
        name: 'Strict',
        kind: 'class',
        durationMinutes: 60,
        capacity: 5,
        attendance: { checkInOpensMinutesBefore: 15, checkInClosesMinutesAfter: 0, noShowAfterMinutes: 10 },
        resourceIds: [w.studio.id],
        timetable: [{ resourceId: w.studio.id, rrule: 'FREQ=DAILY;BYHOUR=20', dtstart: '2030-01-01T20:00' }],
        horizonDays: null,
      });
      const s = await w.seshn.bookings.create({
        serviceId: strict.id,
        startTime: iso(T0 + 20 * HOUR),
        contactId: w.contact.id,
      });
      w.clock.set(T0 + 20 * HOUR - 16 * MINUTE);
      await expectCode(w.seshn.bookings.checkIn(s.id), 'invalid_state');
      w.clock.set(T0 + 20 * HOUR + 5 * MINUTE);
      await expectCode(w.seshn.bookings.markNoShow(s.id), 'invalid_state');
      expect((await w.seshn.bookings.checkIn(s.id)).attendance).toBe('checked_in');
    });
  });
}
