/**
 * The work runner and attendance on every database: `work.runDue` from 3 OS processes at once
 * over lapsed holds (offers among them) on several resources and over no-shows does each item
 * exactly once (one event per item, counts that add up across the runners); check-in, no-show and
 * undo keep to their windows; the runner marks no-shows only once check-in closed, only where
 * the service wants it and never over a check-in; a no-show keeps its credit.
 * @module
 */
import type { WorkRun } from '@seshn/core';
import { describe, expect, it } from 'vitest';
import { HOUR, MINUTE, makeWorld, sleep, T0 } from '../fixtures.js';
import { runProcessRace } from '../processes.js';
import type { SuiteContext } from '../suite.js';
import { expectCode } from './lifecycle.js';
import { processTest } from './process-test.js';
import { classRoom, eventsOf, people, rawEntries } from './waitlist.js';

const AT9 = T0 + 9 * HOUR;

const ZERO: Omit<WorkRun, 'hasMore'> = {
  object: 'work_run',
  expiredHolds: 0,
  expiredOffers: 0,
  promoted: 0,
  noShows: 0,
  expiredEntitlements: 0,
};

const sum = (runs: WorkRun[]) => {
  const t = { ...ZERO };
  for (const r of runs) {
    t.expiredHolds += r.expiredHolds;
    t.expiredOffers += r.expiredOffers;
    t.promoted += r.promoted;
    t.noShows += r.noShows;
    t.expiredEntitlements += r.expiredEntitlements;
  }
  return t;
};

/** The ids in `events` (their `data.id`), and those that appear more than once. */
const idsOf = (events: { data: Record<string, unknown> }[]) => {
  const ids = events.map((e) => String(e.data.id));
  return { ids: [...new Set(ids)].sort(), twice: ids.filter((id, i) => ids.indexOf(id) !== i) };
};

export function workTests(get: () => SuiteContext) {
  describe('work and attendance', () => {
    processTest(
      get,
      'work: runDue from 3 processes at once expires each lapsed hold, lapses each offer, promotes and marks each no-show exactly once',
      async () => {
        const { adapter, raw, target } = get();
        const w = await makeWorld(adapter, 'work-race');
        const s = w.seshn;
        const waiters = await people(w, 'Runner waiter', 3);
        const lapsing: string[] = [];
        const offers: string[] = [];
        // Two auto-book classes full of lapsing holds, two waiting entries each.
        for (const label of ['Auto A', 'Auto B']) {
          const cls = await classRoom(w, label, { capacity: 3 });
          for (let i = 0; i < 3; i++) {
            lapsing.push(
              (await s.bookings.create({ ...cls.book(AT9, w.contact.id), hold: { ttlSeconds: 60 } })).id,
            );
          }
          for (const c of waiters.slice(0, 2))
            await s.waitlist.join({ slotId: cls.slotId(AT9), contactId: c.id });
        }
        // Two offer classes whose first two entries hold offers that lapse; the third waits.
        for (const label of ['Offer A', 'Offer B']) {
          const cls = await classRoom(w, label, {
            capacity: 3,
            waitlist: { policy: 'offer', offerTtlSeconds: 60 },
          });
          const booked = [];
          for (let i = 0; i < 3; i++) booked.push(await s.bookings.create(cls.book(AT9, w.contact.id)));
          for (const c of waiters) await s.waitlist.join({ slotId: cls.slotId(AT9), contactId: c.id });
          await s.bookings.cancel(booked[0]!.id);
          await s.bookings.cancel(booked[1]!.id);
        }
        for (const e of await rawEntries(raw, s.scope)) if (e.bookingId) offers.push(e.bookingId);
        expect(offers).toHaveLength(4);
        // An early class at 01:00: 12 bookings nobody checks in, 2 that check in.
        const early = await classRoom(w, 'Early', { capacity: 20, hours: [1] });
        const absent: string[] = [];
        for (let i = 0; i < 12; i++)
          absent.push((await s.bookings.create(early.book(T0 + HOUR, w.contact.id))).id);
        for (let i = 0; i < 2; i++) {
          const b = await s.bookings.create(early.book(T0 + HOUR, w.contact.id));
          await s.bookings.checkIn(b.id);
        }
        const promotedBefore = (await eventsOf(raw, s.scope, 'waitlist.promoted')).length;
        expect(promotedBefore).toBe(4);

        // Check-in of the 01:00 class closed at 03:00; every hold and offer has lapsed.
        const runAt = T0 + 3 * HOUR + MINUTE;
        const spec = {
          ...target.processAdapter!,
          options: { ...target.processAdapter!.options, maxAttempts: 1 },
        };
        const results = await runProcessRace(
          Array.from({ length: 3 }, () => ({
            spec,
            organizationId: s.scope.organizationId,
            now: runAt,
            attempts: [{ runDue: { limit: 500 } }, { runDue: { limit: 500 } }],
          })),
        );
        const flat = results.flat();
        expect(flat.filter((x) => !x.ok)).toEqual([]);
        const runs = flat.map((x) => x.run!);
        expect(sum(runs)).toEqual({
          ...ZERO,
          expiredHolds: lapsing.length + offers.length,
          expiredOffers: offers.length,
          promoted: 4 + 2,
          noShows: absent.length,
        });
        // Nothing is left for anyone.
        w.clock.set(runAt);
        expect(await s.work.runDue()).toEqual({ ...ZERO, hasMore: false });

        const expired = idsOf(await eventsOf(raw, s.scope, 'booking.expired'));
        expect(expired.twice).toEqual([]);
        expect(expired.ids).toEqual([...lapsing, ...offers].sort());
        const noShows = idsOf(await eventsOf(raw, s.scope, 'booking.no_show'));
        expect(noShows.twice).toEqual([]);
        expect(noShows.ids).toEqual([...absent].sort());
        const promoted = idsOf(await eventsOf(raw, s.scope, 'waitlist.promoted'));
        expect(promoted.twice).toEqual([]);
        expect(promoted.ids).toHaveLength(promotedBefore + 6);
        const lapsedOffers = idsOf(await eventsOf(raw, s.scope, 'waitlist.offer_expired'));
        expect(lapsedOffers.twice).toEqual([]);
        expect(lapsedOffers.ids).toHaveLength(4);

        const entries = await rawEntries(raw, s.scope);
        expect(entries.filter((e) => e.status === 'promoted')).toHaveLength(6);
        expect(entries.filter((e) => e.status === 'expired' && e.reason === 'offer_lapsed')).toHaveLength(4);
        expect(entries.filter((e) => e.status === 'waiting')).toEqual([]);
        const promotedBookings = entries.filter((e) => e.status === 'promoted').map((e) => e.bookingId);
        expect(new Set(promotedBookings).size).toBe(6);
        const stored = await raw.bookings(s.scope);
        for (const id of promotedBookings) {
          expect(['confirmed', 'held']).toContain(stored.find((b) => b.id === id)?.status);
        }
        const perSlot = await raw.liveSeats(s.scope, runAt);
        expect([...perSlot.values()].sort((a, b) => a - b)).toEqual([2, 2, 2, 2, 14]);
        const seats = await raw.slotSeats(s.scope);
        expect(seats.counter).toEqual(seats.confirmed);
        const attendance = await s.bookings.list({ serviceId: early.service.id, limit: 100 });
        expect(attendance.data.filter((b) => b.attendance === 'no_show')).toHaveLength(12);
        expect(attendance.data.filter((b) => b.attendance === 'checked_in')).toHaveLength(2);
      },
    );

    it('work: start() runs batches on a timer until stop(), which waits for the batch in flight', async () => {
      const { adapter, raw } = get();
      const w = await makeWorld(adapter, 'work-loop');
      const s = w.seshn;
      const cls = await classRoom(w, 'Loop class', { capacity: 1 });
      await s.bookings.create({ ...cls.book(AT9, w.contact.id), hold: { ttlSeconds: 60 } });
      const entry = await s.waitlist.join({ slotId: cls.slotId(AT9), contactId: w.contact.id });
      w.clock.advance(60_000);
      expect(s.work.running).toBe(false);
      s.work.start({ intervalMs: 10 });
      expect(s.work.running).toBe(true);
      const deadline = Date.now() + 10_000;
      while ((await s.waitlist.get(entry.id)).status === 'waiting' && Date.now() < deadline) await sleep(20);
      await s.work.stop();
      expect(s.work.running).toBe(false);
      expect((await s.waitlist.get(entry.id)).status).toBe('promoted');
      const settled = (await raw.events(s.scope)).length;
      await sleep(50);
      expect((await raw.events(s.scope)).length).toBe(settled);
      expect(await eventsOf(raw, s.scope, 'booking.expired')).toHaveLength(1);
    });

    it('attendance: checkIn, markNoShow and undoAttendance keep to their windows and states', async () => {
      const { adapter, raw } = get();
      const w = await makeWorld(adapter, 'attend-undo');
      const s = w.seshn;
      const cls = await classRoom(w, 'Attendance class', { capacity: 5 });
      const b = await s.bookings.create(cls.book(AT9, w.contact.id));
      const cancelled = await s.bookings.create(cls.book(AT9, w.contact.id));
      await s.bookings.cancel(cancelled.id);
      const held = await s.bookings.create({ ...cls.book(AT9, w.contact.id), hold: true });

      w.clock.set(AT9 - 61 * MINUTE);
      const early = await expectCode(s.bookings.checkIn(b.id), 'invalid_state');
      expect(early.details.reason).toBe('check_in_window');
      w.clock.set(AT9 - 30 * MINUTE);
      expect((await s.bookings.checkIn(b.id)).attendance).toBe('checked_in');
      await expectCode(s.bookings.checkIn(cancelled.id), 'invalid_state');
      await expectCode(s.bookings.checkIn(held.id), 'invalid_state');
      await expectCode(s.bookings.undoAttendance(cancelled.id), 'invalid_state');
      expect((await s.bookings.undoAttendance(b.id)).attendance).toBe('pending');
      // Undoing what is pending changes nothing and writes nothing.
      expect((await s.bookings.undoAttendance(b.id)).attendance).toBe('pending');
      w.clock.set(AT9 + 10 * MINUTE);
      expect((await s.bookings.markNoShow(b.id)).attendance).toBe('no_show');
      expect((await s.bookings.undoAttendance(b.id)).attendance).toBe('pending');
      // Check-in closes 60 minutes after the end: a no-show then is final.
      w.clock.set(AT9 + 2 * HOUR + 1);
      await expectCode(s.bookings.checkIn(b.id), 'invalid_state');
      expect((await s.bookings.markNoShow(b.id)).attendance).toBe('no_show');
      const final = await expectCode(s.bookings.undoAttendance(b.id), 'invalid_state');
      expect(final.details.reason).toBe('attendance_final');
      expect((await s.bookings.get(b.id)).attendance).toBe('no_show');

      const undone = await eventsOf(raw, s.scope, 'booking.attendance_undone');
      expect(undone.map((e) => e.data.previousAttendance)).toEqual(['checked_in', 'no_show']);
      expect(undone.map((e) => e.data.attendance)).toEqual(['pending', 'pending']);
      expect(await eventsOf(raw, s.scope, 'booking.checked_in')).toHaveLength(1);
      expect(await eventsOf(raw, s.scope, 'booking.no_show')).toHaveLength(2);
    });

    it('work: runDue marks no-shows once check-in closed, never a check-in, never where autoNoShow is false', async () => {
      const { adapter, raw } = get();
      const w = await makeWorld(adapter, 'work-noshow');
      const s = w.seshn;
      const usual = await classRoom(w, 'Usual', { capacity: 5 });
      const manual = await classRoom(w, 'Manual', {
        capacity: 5,
        attendance: { autoNoShow: false },
      });
      const quick = await classRoom(w, 'Quick', {
        capacity: 5,
        attendance: { checkInClosesMinutesAfter: 15 },
      });
      const absent = await s.bookings.create(usual.book(AT9, w.contact.id));
      const present = await s.bookings.create(usual.book(AT9, w.contact.id));
      const untracked = await s.bookings.create(manual.book(AT9, w.contact.id));
      const quickAbsent = await s.bookings.create(quick.book(AT9, w.contact.id));
      const end = AT9 + HOUR;
      w.clock.set(AT9 - 10 * MINUTE);
      await s.bookings.checkIn(present.id);

      w.clock.set(end + 15 * MINUTE - 1);
      expect(await s.work.runDue()).toMatchObject({ noShows: 0 });
      w.clock.set(end + 15 * MINUTE + 1);
      expect(await s.work.runDue()).toMatchObject({ noShows: 1 });
      expect((await s.bookings.get(quickAbsent.id)).attendance).toBe('no_show');
      w.clock.set(end + 60 * MINUTE - 1);
      expect(await s.work.runDue()).toMatchObject({ noShows: 0 });
      expect((await s.bookings.get(absent.id)).attendance).toBe('pending');
      w.clock.set(end + 60 * MINUTE + 1);
      expect(await s.work.runDue()).toMatchObject({ noShows: 1, hasMore: false });
      expect(await s.work.runDue()).toMatchObject({ noShows: 0 });
      w.clock.set(end + 7 * 24 * HOUR);
      expect(await s.work.runDue()).toMatchObject({ noShows: 0 });

      expect((await s.bookings.get(absent.id)).attendance).toBe('no_show');
      expect((await s.bookings.get(present.id)).attendance).toBe('checked_in');
      expect((await s.bookings.get(untracked.id)).attendance).toBe('pending');
      const events = await eventsOf(raw, s.scope, 'booking.no_show');
      expect(events.map((e) => e.data.id).sort()).toEqual([absent.id, quickAbsent.id].sort());
      expect(events.every((e) => e.data.automatic === true)).toBe(true);
    });

    it('attendance: a no-show keeps its credit (automatic or marked)', async () => {
      const { adapter, raw } = get();
      const w = await makeWorld(adapter, 'work-credit');
      const s = w.seshn;
      const cls = await classRoom(w, 'Paid class', { capacity: 5 });
      const product = await s.products.create({ name: 'Three', type: 'pack', credits: 3, validDays: 30 });
      const ent = await s.entitlements.grant({ contactId: w.contact.id, productId: product.id });
      const auto = await s.bookings.create({ ...cls.book(AT9, w.contact.id), useCredits: true });
      const marked = await s.bookings.create({ ...cls.book(AT9, w.contact.id), useCredits: true });
      expect(auto.status).toBe('confirmed');
      const credits = async () => (await s.entitlements.get(ent.id)).credits;
      expect(await credits()).toMatchObject({ used: 2, pending: 0, remaining: 1 });
      const ledgerBefore = await raw.ledger(s.scope, w.clock.ms());

      w.clock.set(AT9 + 15 * MINUTE);
      expect((await s.bookings.markNoShow(marked.id)).attendance).toBe('no_show');
      w.clock.set(AT9 + 2 * HOUR + 1);
      expect(await s.work.runDue()).toMatchObject({ noShows: 1 });
      expect((await s.bookings.get(auto.id)).attendance).toBe('no_show');

      expect(await credits()).toMatchObject({ used: 2, pending: 0, remaining: 1 });
      const ledgerAfter = await raw.ledger(s.scope, w.clock.ms());
      expect(ledgerAfter.transfers).toBe(ledgerBefore.transfers);
      expect(ledgerAfter.posted.get(ent.accountId)).toBe(ledgerBefore.posted.get(ent.accountId));
      expect(ledgerAfter.counterDrift).toEqual([]);
      expect((await s.bookings.get(auto.id)).credits).toMatchObject({ used: 1 });
    });
  });
}
