/**
 * Invariant 5 on every database: waiting demand. A slot's freed seats go to its waitlist in the
 * transaction that frees them (engine cancels racing newcomers from 4 OS processes promote
 * exactly the first entries, by position); a hold that lapsed with no write keeps its seats for
 * the queue until a write or the work runner promotes; an offer lapses to the next entry in
 * order; and the waitlist API keeps its codes (refused joins change nothing), its positions and
 * its order (strict or not), and pays a promotion with credits as a hold with a pending debit.
 * @module
 */
import { encodeSlotId, type Seshn, type WaitlistEntry } from '@seshn/core';
import { describe, expect, it } from 'vitest';
import { ALL_WEEK, HOUR, iso, makeWorld, T0, type World } from '../fixtures.js';
import { runProcessRace } from '../processes.js';
import type { RaceJob } from '../race-worker.js';
import type { RawReader } from '../raw.js';
import type { SuiteContext } from '../suite.js';
import { expectCode } from './lifecycle.js';
import { processTest } from './process-test.js';

const DAY = 24 * HOUR;
/** Monday 09:00 UTC, the session every class here has. */
const AT9 = T0 + 9 * HOUR;

type ServiceInput = Parameters<Seshn['services']['create']>[0];

export interface ClassRoom {
  service: { id: string };
  resource: { id: string };
  /** The slot id of the session starting at `start` (60 minutes). */
  slotId(start: number): string;
  /** `bookings.create` input for `seats` of the session at `start`. */
  book(
    start: number,
    contactId: string,
    seats?: number,
  ): { serviceId: string; resourceId: string; startTime: string; contactId: string; seats: number };
}

/**
 * A class on a resource of its own (no other service shares its time), 60 minutes, sessions
 * daily at `hours` (UTC), with the given capacity and waitlist / attendance rules.
 */
export async function classRoom(
  w: World,
  label: string,
  o: {
    capacity: number;
    hours?: number[];
    waitlist?: ServiceInput['waitlist'];
    attendance?: ServiceInput['attendance'];
    holdCutoffMinutes?: number;
  },
): Promise<ClassRoom> {
  const resource = await w.seshn.resources.create({
    name: label,
    timezone: 'UTC',
    availability: { weekly: ALL_WEEK },
  });
  const service = await w.seshn.services.create({
    name: label,
    kind: 'class',
    durationMinutes: 60,
    capacity: o.capacity,
    resourceIds: [resource.id],
    timetable: [
      {
        resourceId: resource.id,
        rrule: `FREQ=DAILY;BYHOUR=${(o.hours ?? [9]).join(',')}`,
        dtstart: '2030-01-01T00:00',
      },
    ],
    horizonDays: null,
    ...(o.waitlist !== undefined ? { waitlist: o.waitlist } : {}),
    ...(o.attendance !== undefined ? { attendance: o.attendance } : {}),
    ...(o.holdCutoffMinutes !== undefined ? { holdCutoffMinutes: o.holdCutoffMinutes } : {}),
  });
  return {
    service,
    resource,
    slotId: (start) =>
      encodeSlotId({ serviceId: service.id, resourceId: resource.id, start, end: start + HOUR }),
    book: (start, contactId, seats = 1) => ({
      serviceId: service.id,
      resourceId: resource.id,
      startTime: iso(start),
      contactId,
      seats,
    }),
  };
}

/** `n` contacts named after `label`. */
export async function people(w: World, label: string, n: number): Promise<{ id: string }[]> {
  const out: { id: string }[] = [];
  for (let i = 0; i < n; i++) out.push(await w.seshn.contacts.create({ name: `${label} ${i + 1}` }));
  return out;
}

export interface RawEntry {
  id: string;
  status: string;
  position: number;
  seats: number;
  contactId: string;
  bookingId: string | null;
  reason: string | null;
}

/** The waitlist entries of the scope as stored, by stored position. */
export async function rawEntries(raw: RawReader, scope: Seshn['scope']): Promise<RawEntry[]> {
  const rows = (await raw.db
    .selectFrom('seshn_waitlist_entries')
    .selectAll()
    .where('organization_id', '=', scope.organizationId)
    .where('mode', '=', scope.mode)
    .orderBy('resource_id')
    .orderBy('slot_key')
    .orderBy('position')
    .execute()) as Record<string, unknown>[];
  return rows.map((r) => ({
    id: String(r.id),
    status: String(r.status),
    position: Number(r.position),
    seats: Number(r.seats),
    contactId: String(r.contact_id),
    bookingId: r.booking_id === null ? null : String(r.booking_id),
    reason: r.reason === null ? null : String(r.reason),
  }));
}

/** Events of `type` in the scope, as stored. */
export async function eventsOf(raw: RawReader, scope: Seshn['scope'], type: string) {
  return (await raw.events(scope)).filter((e) => e.type === type);
}

/** Each contact joins the slot in turn (positions 1..n). */
async function joinAll(w: World, slotId: string, contacts: { id: string }[], seats: number[] = []) {
  const out: WaitlistEntry[] = [];
  for (const [i, c] of contacts.entries()) {
    out.push(await w.seshn.waitlist.join({ slotId, contactId: c.id, seats: seats[i] ?? 1 }));
  }
  return out;
}

/** Waiting entries first, by position; then the others. */
const byPosition = (entries: WaitlistEntry[]) =>
  [...entries].sort(
    (a, b) => (a.position ?? Number.MAX_SAFE_INTEGER) - (b.position ?? Number.MAX_SAFE_INTEGER),
  );

/** Confirmed seats of the scope's bookings of one start, as stored. */
async function confirmedSeats(raw: RawReader, scope: Seshn['scope'], start: number, resourceId: string) {
  return (await raw.bookings(scope))
    .filter((b) => b.status === 'confirmed' && b.start === start && b.resourceId === resourceId)
    .reduce((n, b) => n + b.seats, 0);
}

export function waitlistTests(get: () => SuiteContext) {
  describe('waitlist', () => {
    processTest(
      get,
      'waitlist: 3 engine cancels racing 20 newcomers and 6 joins from 4 processes promote exactly the first 3 entries; a runner racing newcomers over lapsed holds leaves every seat to the queue',
      async () => {
        const { adapter, raw, target } = get();
        const w = await makeWorld(adapter, 'wl-race');
        const capacity = 10;
        const cls = await classRoom(w, 'Race class', { capacity });
        const singles: { id: string }[] = [];
        for (let i = 0; i < 3; i++) singles.push(await w.seshn.bookings.create(cls.book(AT9, w.contact.id)));
        await w.seshn.bookings.create(cls.book(AT9, w.contact.id, capacity - 3));
        const waiters = await people(w, 'Waiter', 5);
        const entries = await joinAll(w, cls.slotId(AT9), waiters);
        expect(entries.map((e) => e.position)).toEqual([1, 2, 3, 4, 5]);
        const newcomer = await w.seshn.contacts.create({ name: 'Newcomer' });
        // Late joiners, one per process, and one that joins from two processes at once.
        const late = await people(w, 'Late', 5);
        const join = (c: { id: string }) => ({ join: { slotId: cls.slotId(AT9), contactId: c.id } });
        // No retries: a deadlock between a cancel's promotion and a reservation surfaces.
        const spec = {
          ...target.processAdapter!,
          options: { ...target.processAdapter!.options, maxAttempts: 1 },
        };
        // Meanwhile, in another tenant: 3 holds of a full class lapsed with no write, 3 entries wait;
        // a work runner (process 2) and newcomers (process 3) reach the freed seats at once.
        const v = await makeWorld(adapter, 'wl-race-lapse');
        const lapsing = await classRoom(v, 'Lapse race class', { capacity: 3 });
        v.clock.set(T0 - 2 * 60_000);
        const holds: { id: string }[] = [];
        for (let i = 0; i < 3; i++) {
          holds.push(
            await v.seshn.bookings.create({ ...lapsing.book(AT9, v.contact.id), hold: { ttlSeconds: 60 } }),
          );
        }
        const queued = await joinAll(v, lapsing.slotId(AT9), await people(v, 'Queued', 3));
        const stranger = await v.seshn.contacts.create({ name: 'Stranger' });
        v.clock.set(T0);
        const elsewhere = { organizationId: v.seshn.scope.organizationId };
        type Attempt = RaceJob['attempts'][number];
        const tags: string[][] = [];
        const jobs: Omit<RaceJob, 'startAt'>[] = Array.from({ length: 4 }, (_, p) => {
          const list: [string, Attempt][] = Array.from({ length: 5 }, () => [
            'newcomer',
            { ...cls.book(AT9, newcomer.id), seats: 1 },
          ]);
          if (p < 3) list.splice(p + 1, 0, ['cancel', { cancelBooking: singles[p]!.id, seats: 1 }]);
          list.splice(3, 0, ['join', join(late[p]!)]);
          if (p < 2) list.unshift(['join', join(late[4]!)]);
          if (p === 2) {
            list.splice(1, 0, ['run', { runDue: { limit: 500 }, ...elsewhere }]);
            list.splice(5, 0, ['run', { runDue: { limit: 500 }, ...elsewhere }]);
          }
          if (p === 3) {
            for (let i = 0; i < 6; i++) {
              list.splice(2 * i, 0, [
                'stranger',
                { ...lapsing.book(AT9, stranger.id), seats: 1, ...elsewhere },
              ]);
            }
          }
          tags.push(list.map(([tag]) => tag));
          return {
            spec,
            organizationId: w.seshn.scope.organizationId,
            now: w.clock.ms(),
            attempts: list.map(([, a]) => a),
          };
        });
        const perProcess = await runProcessRace(jobs);
        const tagged = perProcess.flatMap((res, p) => res.map((r, i) => ({ ...r, tag: tags[p]![i] })));
        expect(tagged.map((x) => x.tag)).toEqual(tags.flat());
        const runner = tagged.filter((x) => x.tag === 'run');
        const strangers = tagged.filter((x) => x.tag === 'stranger');
        expect(runner.filter((x) => !x.ok)).toEqual([]);
        expect(strangers.map((x) => x.code)).toEqual(Array.from({ length: 6 }, () => 'slot_unavailable'));
        // Each hold is marked expired once, by the runner or by a refused write (which marks the
        // slot's lapsed holds and so promotes): the events below hold each exactly once.
        expect(runner.reduce((n, x) => n + x.run!.expiredHolds, 0)).toBeLessThanOrEqual(3);
        expect(runner.reduce((n, x) => n + x.run!.promoted, 0)).toBeLessThanOrEqual(3);
        const lapsedEntries = await rawEntries(raw, v.seshn.scope);
        expect(lapsedEntries.map((e) => [e.id, e.status])).toEqual(queued.map((e) => [e.id, 'promoted']));
        expect(new Set(lapsedEntries.map((e) => e.bookingId)).size).toBe(3);
        expect(await eventsOf(raw, v.seshn.scope, 'waitlist.promoted')).toHaveLength(3);
        expect((await eventsOf(raw, v.seshn.scope, 'booking.expired')).map((e) => e.data.id).sort()).toEqual(
          holds.map((h) => h.id).sort(),
        );
        expect(await confirmedSeats(raw, v.seshn.scope, AT9, lapsing.resource.id)).toBe(3);
        expect((await v.seshn.bookings.list({ contactId: stranger.id })).data).toEqual([]);
        const vSeats = await raw.slotSeats(v.seshn.scope);
        expect(vSeats.counter).toEqual(vSeats.confirmed);

        const results = tagged.filter((x) => x.tag !== 'run' && x.tag !== 'stranger');
        expect(results.filter((x) => !x.ok && x.code !== 'slot_unavailable')).toEqual([]);
        const cancels = results.filter((x) => x.id !== undefined && singles.some((s) => s.id === x.id));
        expect(cancels.filter((x) => x.ok)).toHaveLength(3);
        const joins = results.filter((x) => x.tag === 'join');
        expect(joins.filter((x) => x.ok && x.id?.startsWith('wl_'))).toHaveLength(6);
        // The same contact joining from two processes at once gets one entry.
        expect(perProcess[0]![0]!.id).toBe(perProcess[1]![0]!.id);
        // Every newcomer was refused: the freed seats went to the queue in the cancels' transactions.
        expect(results.filter((x) => x.tag === 'newcomer' && x.ok)).toEqual([]);
        expect(results.filter((x) => x.tag === 'newcomer')).toHaveLength(20);

        const stored = await rawEntries(raw, w.seshn.scope);
        expect(stored.map((e) => e.status)).toEqual([
          'promoted',
          'promoted',
          'promoted',
          ...Array.from({ length: 7 }, () => 'waiting'),
        ]);
        // The late joiners queue behind the first five, whatever the interleaving.
        expect(stored.slice(0, 5).map((e) => e.id)).toEqual(entries.map((e) => e.id));
        expect(new Set(stored.slice(5).map((e) => e.contactId))).toEqual(new Set(late.map((c) => c.id)));
        expect(await eventsOf(raw, w.seshn.scope, 'waitlist.joined')).toHaveLength(10);
        const bookings = await raw.bookings(w.seshn.scope);
        const promotedBookings = stored.slice(0, 3).map((e) => bookings.find((b) => b.id === e.bookingId));
        expect(promotedBookings.map((b) => b?.status)).toEqual(['confirmed', 'confirmed', 'confirmed']);
        expect(await confirmedSeats(raw, w.seshn.scope, AT9, cls.resource.id)).toBe(capacity);
        const api = await w.seshn.bookings.list({ contactId: newcomer.id });
        expect(api.data).toEqual([]);
        const seats = await raw.slotSeats(w.seshn.scope);
        expect(seats.counter).toEqual(seats.confirmed);
        expect(seats.strays).toEqual([]);
        const promotedEvents = await eventsOf(raw, w.seshn.scope, 'waitlist.promoted');
        expect(promotedEvents.map((e) => e.data.id).sort()).toEqual(
          entries
            .slice(0, 3)
            .map((e) => e.id)
            .sort(),
        );
        const queue = await w.seshn.waitlist.list({ slotId: cls.slotId(AT9), status: 'waiting' });
        expect(byPosition(queue.data).map((e) => e.position)).toEqual([1, 2, 3, 4, 5, 6, 7]);
        expect(
          byPosition(queue.data)
            .slice(0, 2)
            .map((e) => e.id),
        ).toEqual([entries[3]!.id, entries[4]!.id]);
      },
    );

    it('waitlist: a lapsed hold on a full class goes to the waiting entry (by the refused write, or by runDue), never to a newcomer', async () => {
      const { adapter, raw } = get();
      const w = await makeWorld(adapter, 'wl-lapsed');
      const cls = await classRoom(w, 'Lapsing class', { capacity: 3 });
      const [waiter, newcomer] = await people(w, 'Lapse', 2);
      const days = [AT9, AT9 + DAY];
      const holds = [];
      for (const start of days) {
        await w.seshn.bookings.create(cls.book(start, w.contact.id, 2));
        holds.push(
          await w.seshn.bookings.create({ ...cls.book(start, w.contact.id), hold: { ttlSeconds: 60 } }),
        );
      }
      const entries = [];
      for (const start of days) {
        entries.push(await w.seshn.waitlist.join({ slotId: cls.slotId(start), contactId: waiter!.id }));
      }
      w.clock.advance(60_000);
      // The seat is free (the hold lapsed, nothing wrote since) but kept for the waiting entry.
      const slots = await w.seshn.availability.query({
        serviceId: cls.service.id,
        from: iso(AT9),
        to: iso(AT9 + 2 * DAY),
      });
      for (const start of days) {
        expect(slots.find((s) => s.startTime === iso(start))?.remaining ?? 0).toBe(0);
      }
      // Day 1: the newcomer's write is refused, and promotes the entry on its way out.
      const refused = await expectCode(
        w.seshn.bookings.create(cls.book(AT9, newcomer!.id)),
        'slot_unavailable',
      );
      expect(refused.details.reason).toBe('full');
      expect(refused.details.waitlisted).toBe(1);
      const conflicts = refused.details.conflicts as { waitlisted?: number }[];
      expect(conflicts[0]?.waitlisted).toBe(1);
      const first = await w.seshn.waitlist.get(entries[0]!.id);
      expect(first).toMatchObject({ status: 'promoted', position: null });
      const booked = await w.seshn.bookings.get(first.bookingId!);
      expect(booked).toMatchObject({ status: 'confirmed', contactId: waiter!.id, startTime: iso(AT9) });
      await expectCode(w.seshn.bookings.create(cls.book(AT9, newcomer!.id)), 'slot_unavailable');
      // Day 2: the work runner expires the hold and promotes in one transaction. (The day-1 hold
      // is marked already: the refused write marked it expired, which promoted the entry.)
      const run = await w.seshn.work.runDue();
      expect(run).toMatchObject({ object: 'work_run', expiredHolds: 1, expiredOffers: 0, promoted: 1 });
      expect((await w.seshn.waitlist.get(entries[1]!.id)).status).toBe('promoted');
      await expectCode(w.seshn.bookings.create(cls.book(AT9 + DAY, newcomer!.id)), 'slot_unavailable');

      for (const start of days)
        expect(await confirmedSeats(raw, w.seshn.scope, start, cls.resource.id)).toBe(3);
      expect((await w.seshn.bookings.list({ contactId: newcomer!.id })).data).toEqual([]);
      const stored = await raw.bookings(w.seshn.scope);
      expect(holds.map((h) => stored.find((b) => b.id === h.id)?.status)).toEqual(['expired', 'expired']);
      const expired = await eventsOf(raw, w.seshn.scope, 'booking.expired');
      expect(expired.map((e) => e.data.id).sort()).toEqual(holds.map((h) => h.id).sort());
      expect(await eventsOf(raw, w.seshn.scope, 'waitlist.promoted')).toHaveLength(2);
      // Nothing more is due.
      expect(await w.seshn.work.runDue()).toMatchObject({ expiredHolds: 0, promoted: 0, hasMore: false });
    });

    it('waitlist: offers go down the queue in order as each lapses (runDue), and a confirmed offer stays', async () => {
      const { adapter, raw } = get();
      const w = await makeWorld(adapter, 'wl-offer');
      const ttl = 120;
      const cls = await classRoom(w, 'Offer class', {
        capacity: 2,
        waitlist: { policy: 'offer', offerTtlSeconds: ttl },
      });
      const a = await w.seshn.bookings.create(cls.book(AT9, w.contact.id));
      const b = await w.seshn.bookings.create(cls.book(AT9, w.contact.id));
      const waiters = await people(w, 'Offered', 3);
      const newcomer = await w.seshn.contacts.create({ name: 'Newcomer' });
      const [e1, e2, e3] = await joinAll(w, cls.slotId(AT9), waiters);

      await w.seshn.bookings.cancel(a.id);
      const offered1 = await w.seshn.waitlist.get(e1!.id);
      expect(offered1.status).toBe('promoted');
      const offer1 = await w.seshn.bookings.get(offered1.bookingId!);
      expect(offer1).toMatchObject({
        status: 'held',
        contactId: waiters[0]!.id,
        expiresAt: iso(w.clock.ms() + ttl * 1000),
      });
      expect((await w.seshn.waitlist.get(e2!.id)).position).toBe(1);
      expect((await w.seshn.waitlist.get(e3!.id)).position).toBe(2);
      // The offered seat is the offer's: a newcomer is refused while it is live.
      await expectCode(w.seshn.bookings.create(cls.book(AT9, newcomer.id)), 'slot_unavailable');

      w.clock.advance(ttl * 1000);
      expect(await w.seshn.work.runDue()).toMatchObject({ expiredHolds: 1, expiredOffers: 1, promoted: 1 });
      expect(await w.seshn.waitlist.get(e1!.id)).toMatchObject({
        status: 'expired',
        reason: 'offer_lapsed',
        bookingId: offer1.id,
      });
      const offered2 = await w.seshn.waitlist.get(e2!.id);
      expect(offered2.status).toBe('promoted');
      expect((await w.seshn.bookings.get(offered2.bookingId!)).status).toBe('held');
      expect((await w.seshn.waitlist.get(e3!.id)).position).toBe(1);
      // Entry 2 takes its offer: it stays when time passes.
      expect((await w.seshn.bookings.confirm(offered2.bookingId!)).status).toBe('confirmed');

      await w.seshn.bookings.cancel(b.id);
      const offered3 = await w.seshn.waitlist.get(e3!.id);
      expect(offered3.status).toBe('promoted');
      w.clock.advance(ttl * 1000);
      expect(await w.seshn.work.runDue()).toMatchObject({ expiredHolds: 1, expiredOffers: 1, promoted: 0 });
      expect(await w.seshn.waitlist.get(e3!.id)).toMatchObject({ status: 'expired', reason: 'offer_lapsed' });
      expect((await w.seshn.bookings.get(offered2.bookingId!)).status).toBe('confirmed');
      // The queue is empty: the seat is anyone's now.
      expect((await w.seshn.bookings.create(cls.book(AT9, newcomer.id))).status).toBe('confirmed');
      expect(await w.seshn.work.runDue()).toMatchObject({ expiredHolds: 0, expiredOffers: 0, promoted: 0 });

      const lapsed = await eventsOf(raw, w.seshn.scope, 'waitlist.offer_expired');
      expect(lapsed.map((e) => e.data.id).sort()).toEqual([e1!.id, e3!.id].sort());
      expect(lapsed.every((e) => e.data.reason === 'offer_lapsed')).toBe(true);
      const promoted = await eventsOf(raw, w.seshn.scope, 'waitlist.promoted');
      expect(promoted.map((e) => e.data.id)).toEqual([e1!.id, e2!.id, e3!.id]);
      expect(promoted.every((e) => e.data.policy === 'offer')).toBe(true);
      expect(await confirmedSeats(raw, w.seshn.scope, AT9, cls.resource.id)).toBe(2);
    });

    it('waitlist: seats freed by a move away, a series cancel, a leave ahead (strict) and a capacity raise go to the queue at once', async () => {
      const { adapter, raw } = get();
      const w = await makeWorld(adapter, 'wl-paths');
      const s = w.seshn;
      const [first, second, big, small] = await people(w, 'Path', 4);
      const status = async (id: string) => (await s.waitlist.get(id)).status;
      // A move to another session frees the old one.
      const cls = await classRoom(w, 'Paths class', { capacity: 1, hours: [9, 18] });
      const moving = await s.bookings.create(cls.book(AT9, w.contact.id));
      const moveEntry = await s.waitlist.join({ slotId: cls.slotId(AT9), contactId: first!.id });
      await s.bookings.reschedule(moving.id, { startTime: iso(AT9 + 9 * HOUR) });
      const promoted = await s.waitlist.get(moveEntry.id);
      expect(promoted.status).toBe('promoted');
      const booking = await s.bookings.get(promoted.bookingId!);
      expect(booking).toMatchObject({ status: 'confirmed', contactId: first!.id, startTime: iso(AT9) });
      const pair = (await raw.events(s.scope)).filter((e) => e.data.id === booking.id).map((e) => e.type);
      expect(pair).toEqual(['booking.created', 'booking.confirmed']);
      // A series cancel frees each occurrence's session.
      const series = await s.bookingSeries.create({
        serviceId: cls.service.id,
        contactId: w.contact.id,
        recurrence: { rrule: 'FREQ=DAILY;COUNT=2', dtstart: '2030-01-08T09:00' },
      });
      const seriesEntries = [];
      for (const start of [AT9 + DAY, AT9 + 2 * DAY]) {
        seriesEntries.push(await s.waitlist.join({ slotId: cls.slotId(start), contactId: second!.id }));
      }
      await s.bookingSeries.cancel(series.id);
      expect(await Promise.all(seriesEntries.map((e) => status(e.id)))).toEqual(['promoted', 'promoted']);
      // Strict order: the 2-seat head blocks the 1-seat entry until it leaves.
      const strict = await classRoom(w, 'Strict paths', {
        capacity: 2,
        waitlist: { policy: 'auto_book', strictOrder: true },
      });
      const one = await s.bookings.create(strict.book(AT9, w.contact.id));
      await s.bookings.create(strict.book(AT9, w.contact.id));
      const [head, behind] = await joinAll(w, strict.slotId(AT9), [big!, small!], [2, 1]);
      await s.bookings.cancel(one.id);
      expect([await status(head!.id), await status(behind!.id)]).toEqual(['waiting', 'waiting']);
      await s.waitlist.leave(head!.id);
      expect(await status(behind!.id)).toBe('promoted');
      // A capacity raise makes room for two.
      const small1 = await classRoom(w, 'Growing class', { capacity: 1 });
      await s.bookings.create(small1.book(AT9, w.contact.id));
      const growing = await joinAll(w, small1.slotId(AT9), [first!, second!, big!]);
      await s.services.update(small1.service.id, { capacity: 3 });
      expect(await Promise.all(growing.map((e) => status(e.id)))).toEqual([
        'promoted',
        'promoted',
        'waiting',
      ]);
      expect(await confirmedSeats(raw, s.scope, AT9, small1.resource.id)).toBe(3);
      const seats = await raw.slotSeats(s.scope);
      expect(seats.counter).toEqual(seats.confirmed);
    });

    it('waitlist: join is idempotent, positions run 1..n and move up after a leave, a second leave is invalid_state', async () => {
      const { adapter, raw } = get();
      const w = await makeWorld(adapter, 'wl-api');
      const cls = await classRoom(w, 'Queue class', { capacity: 1 });
      await w.seshn.bookings.create(cls.book(AT9, w.contact.id));
      const slotId = cls.slotId(AT9);
      const waiters = await people(w, 'Queued', 3);
      const [e1, e2, e3] = await joinAll(w, slotId, waiters);
      expect([e1, e2, e3].map((e) => e!.position)).toEqual([1, 2, 3]);
      expect(e1).toMatchObject({
        object: 'waitlist_entry',
        status: 'waiting',
        slotId,
        serviceId: cls.service.id,
        resourceId: cls.resource.id,
        contactId: waiters[0]!.id,
        seats: 1,
        bookingId: null,
        reason: null,
        useCredits: null,
        startTime: iso(AT9),
        endTime: iso(AT9 + HOUR),
        promotedAt: null,
      });
      const again = await w.seshn.waitlist.join({ slotId, contactId: waiters[0]!.id });
      expect(again.id).toBe(e1!.id);
      expect(again.position).toBe(1);
      expect(await eventsOf(raw, w.seshn.scope, 'waitlist.joined')).toHaveLength(3);
      const queue = await w.seshn.waitlist.list({ slotId });
      expect(byPosition(queue.data).map((e) => [e.id, e.position])).toEqual([
        [e1!.id, 1],
        [e2!.id, 2],
        [e3!.id, 3],
      ]);
      expect(queue.hasMore).toBe(false);
      const mine = await w.seshn.waitlist.list({ contactId: waiters[1]!.id });
      expect(mine.data.map((e) => e.id)).toEqual([e2!.id]);

      const left = await w.seshn.waitlist.leave(e1!.id);
      expect(left).toMatchObject({ status: 'left', position: null, reason: 'left' });
      expect((await w.seshn.waitlist.get(e2!.id)).position).toBe(1);
      expect((await w.seshn.waitlist.get(e3!.id)).position).toBe(2);
      const eventsBefore = (await raw.events(w.seshn.scope)).length;
      const twice = await expectCode(w.seshn.waitlist.leave(e1!.id), 'invalid_state');
      expect(twice.details).toMatchObject({ reason: 'not_waiting', status: 'left' });
      expect((await raw.events(w.seshn.scope)).length).toBe(eventsBefore);
      expect(await eventsOf(raw, w.seshn.scope, 'waitlist.left')).toHaveLength(1);
      // Joining again after leaving is a new entry at the back.
      const back = await w.seshn.waitlist.join({ slotId, contactId: waiters[0]!.id });
      expect(back.id).not.toBe(e1!.id);
      expect(back.position).toBe(3);
      expect(
        byPosition((await w.seshn.waitlist.list({ slotId, status: 'waiting' })).data).map((e) => [
          e.id,
          e.position,
        ]),
      ).toEqual([
        [e2!.id, 1],
        [e3!.id, 2],
        [back.id, 3],
      ]);
      // A waiting entry of a started session reads expired and cannot be left.
      w.clock.set(AT9);
      expect(await w.seshn.waitlist.get(e2!.id)).toMatchObject({
        status: 'expired',
        position: null,
        reason: 'slot_started',
      });
      await expectCode(w.seshn.waitlist.leave(e2!.id), 'invalid_state');
    });

    it('waitlist: refused joins have stable codes and write nothing', async () => {
      const { adapter, raw } = get();
      const w = await makeWorld(adapter, 'wl-refused');
      const other = await makeWorld(adapter, 'wl-refused-other');
      const cls = await classRoom(w, 'Refusing class', { capacity: 2 });
      await w.seshn.bookings.create(cls.book(AT9, w.contact.id, 2));
      const waiter = await w.seshn.contacts.create({ name: 'Waiter' });
      // One entry waits already, so "nothing changed" also covers the queue.
      await w.seshn.waitlist.join({ slotId: cls.slotId(AT9), contactId: w.contact.id });
      const count = () => raw.counts(w.seshn.scope);
      const before = await count();
      expect(before.seshn_waitlist_entries).toBe(1);
      const eventsBefore = (await raw.events(w.seshn.scope)).length;

      const available = await expectCode(
        w.seshn.waitlist.join({ slotId: cls.slotId(AT9 + DAY), contactId: waiter.id }),
        'slot_available',
      );
      expect(available.details).toMatchObject({
        slotId: cls.slotId(AT9 + DAY),
        operation: 'bookings.create',
      });
      const started = await expectCode(
        w.seshn.waitlist.join({ slotId: cls.slotId(AT9 - DAY), contactId: waiter.id }),
        'slot_unavailable',
      );
      expect(started.details.reason).toBe('slot_started');
      const noSession = await expectCode(
        w.seshn.waitlist.join({ slotId: cls.slotId(AT9 + HOUR), contactId: waiter.id }),
        'slot_unavailable',
      );
      expect(noSession.details.reason).toBeDefined();
      const unknownService = encodeSlotId({
        serviceId: `${cls.service.id.slice(0, -4)}zzzz`,
        resourceId: cls.resource.id,
        start: AT9,
        end: AT9 + HOUR,
      });
      await expectCode(w.seshn.waitlist.join({ slotId: unknownService, contactId: waiter.id }), 'not_found');
      const tooMany = await expectCode(
        w.seshn.waitlist.join({ slotId: cls.slotId(AT9), contactId: waiter.id, seats: 3 }),
        'validation_failed',
      );
      expect((tooMany.details.fields as { path: string }[]).map((f) => f.path)).toEqual(['seats']);
      await expectCode(
        w.seshn.waitlist.join({ slotId: cls.slotId(AT9), contactId: other.contact.id }),
        'not_found',
      );
      await expectCode(
        w.seshn.waitlist.join({ slotId: 'not-a-slot', contactId: waiter.id }),
        'validation_failed',
      );
      await expectCode(w.seshn.waitlist.get('wl_unknown'), 'not_found');
      await expectCode(w.seshn.waitlist.leave('wl_unknown'), 'not_found');
      // Another organization cannot see or leave this organization's entries.
      const mine = (await w.seshn.waitlist.list({ slotId: cls.slotId(AT9) })).data[0]!;
      await expectCode(other.seshn.waitlist.get(mine.id), 'not_found');
      await expectCode(other.seshn.waitlist.leave(mine.id), 'not_found');

      expect(await count()).toEqual(before);
      expect((await raw.events(w.seshn.scope)).length).toBe(eventsBefore);
    });

    it('waitlist: list({ slotId }) is the queue in order (docs/waitlist.md)', async () => {
      const { adapter } = get();
      const w = await makeWorld(adapter, 'wl-list-order');
      const cls = await classRoom(w, 'Listed class', { capacity: 1 });
      await w.seshn.bookings.create(cls.book(AT9, w.contact.id));
      // Five entries: a list in any other order (by id, newest first) passes by chance 1 in 120.
      const entries = await joinAll(w, cls.slotId(AT9), await people(w, 'Listed', 5));
      const queue = await w.seshn.waitlist.list({ slotId: cls.slotId(AT9) });
      expect(queue.data.map((e) => e.id)).toEqual(entries.map((e) => e.id));
    });

    it('waitlist: joining a slot with room is slot_available, with the seats that remain', async () => {
      const { adapter } = get();
      const w = await makeWorld(adapter, 'wl-available');
      const cls = await classRoom(w, 'Roomy class', { capacity: 3 });
      await w.seshn.bookings.create(cls.book(AT9, w.contact.id, 2));
      const error = await expectCode(
        w.seshn.waitlist.join({ slotId: cls.slotId(AT9), contactId: w.contact.id }),
        'slot_available',
      );
      expect(error.details).toMatchObject({ slotId: cls.slotId(AT9), remaining: 1 });
    });

    it('waitlist: not strict, a 3-seat entry does not stop a 1-seat entry behind it; strictOrder, it does', async () => {
      const { adapter, raw } = get();
      const w = await makeWorld(adapter, 'wl-order');
      const [big, small, newcomer] = await people(w, 'Order', 3);
      const outcome = async (strictOrder: boolean) => {
        const cls = await classRoom(w, `Order class ${strictOrder}`, {
          capacity: 4,
          waitlist: { policy: 'auto_book', strictOrder },
        });
        const one = await w.seshn.bookings.create(cls.book(AT9, w.contact.id, 1));
        const three = await w.seshn.bookings.create(cls.book(AT9, w.contact.id, 3));
        const [e3, e1] = await joinAll(w, cls.slotId(AT9), [big!, small!], [3, 1]);
        await w.seshn.bookings.cancel(one.id);
        const afterOne = [
          (await w.seshn.waitlist.get(e3!.id)).status,
          (await w.seshn.waitlist.get(e1!.id)).status,
        ];
        // A newcomer never gets the freed seat either way.
        const refused = await expectCode(
          w.seshn.bookings.create(cls.book(AT9, newcomer!.id)),
          'slot_unavailable',
        );
        await w.seshn.bookings.cancel(three.id);
        const afterAll = [
          (await w.seshn.waitlist.get(e3!.id)).status,
          (await w.seshn.waitlist.get(e1!.id)).status,
        ];
        expect(await confirmedSeats(raw, w.seshn.scope, AT9, cls.resource.id)).toBe(4);
        return { afterOne, afterAll, refused: refused.details };
      };
      const loose = await outcome(false);
      expect(loose.afterOne).toEqual(['waiting', 'promoted']);
      expect(loose.afterAll).toEqual(['promoted', 'promoted']);
      const strict = await outcome(true);
      expect(strict.afterOne).toEqual(['waiting', 'waiting']);
      // The free seat is kept for the head of a strict queue.
      expect(strict.refused.waitlisted).toBe(1);
      expect(loose.refused.waitlisted).toBeUndefined();
      expect(strict.afterAll).toEqual(['promoted', 'promoted']);
      expect((await w.seshn.bookings.list({ contactId: newcomer!.id })).data).toEqual([]);
    });

    it('waitlist: an entry paying with credits is promoted to a hold with a pending debit; one without credits is dropped', async () => {
      const { adapter, raw } = get();
      const w = await makeWorld(adapter, 'wl-credits');
      const s = w.seshn;
      const cls = await classRoom(w, 'Credit class', { capacity: 1 });
      const seat = await s.bookings.create(cls.book(AT9, w.contact.id));
      const [broke, payer] = await people(w, 'Credits', 2);
      const product = await s.products.create({ name: 'Five', type: 'pack', credits: 5, validDays: 30 });
      const ent = await s.entitlements.grant({ contactId: payer!.id, productId: product.id });
      const slotId = cls.slotId(AT9);
      const first = await s.waitlist.join({ slotId, contactId: broke!.id, useCredits: true });
      const second = await s.waitlist.join({ slotId, contactId: payer!.id, useCredits: true });
      expect(second.useCredits).toBe(true);
      await s.bookings.cancel(seat.id);
      // The head cannot pay: off the queue, and the seat goes to the next in line.
      expect(await s.waitlist.get(first.id)).toMatchObject({
        status: 'expired',
        reason: 'insufficient_credits',
      });
      const promoted = await s.waitlist.get(second.id);
      expect(promoted.status).toBe('promoted');
      const held = await s.bookings.get(promoted.bookingId!);
      expect(held).toMatchObject({ status: 'held', contactId: payer!.id, entitlementId: ent.id });
      expect(held.expiresAt).toBe(iso(w.clock.ms() + 600_000));
      expect((await s.entitlements.get(ent.id)).credits).toMatchObject({ pending: 1, used: 0, remaining: 4 });
      expect(held.credits).toMatchObject({ used: 1, remaining: 4 });
      const pending = (await raw.ledger(s.scope, w.clock.ms())).pending;
      expect(pending.get(ent.accountId)).toBe(1);
      const confirmed = await s.bookings.confirm(held.id);
      expect(confirmed.status).toBe('confirmed');
      expect((await s.entitlements.get(ent.id)).credits).toMatchObject({ pending: 0, used: 1, remaining: 4 });
      expect(await confirmedSeats(raw, s.scope, AT9, cls.resource.id)).toBe(1);
    });

    it('waitlist: past the hold cutoff an offer cannot be made: the entries the seat reaches leave the queue and a newcomer gets it', async () => {
      const { adapter } = get();
      const w = await makeWorld(adapter, 'wl-cutoff');
      const s = w.seshn;
      const cls = await classRoom(w, 'Cutoff', {
        capacity: 1,
        waitlist: { policy: 'offer', offerTtlSeconds: 600 },
        holdCutoffMinutes: 30,
      });
      const [holder, first, second, newcomer] = await people(w, 'cutoff', 4);
      const sold = await s.bookings.create(cls.book(AT9, holder!.id));
      const a = await s.waitlist.join({ slotId: cls.slotId(AT9), contactId: first!.id });
      const b = await s.waitlist.join({ slotId: cls.slotId(AT9), contactId: second!.id });
      // Ten minutes before the start: inside the cutoff, nobody can be held a seat any more.
      w.clock.set(AT9 - 10 * 60_000);
      await s.bookings.cancel(sold.id);
      for (const e of [a, b]) {
        expect(await s.waitlist.get(e.id)).toMatchObject({
          status: 'expired',
          reason: 'hold_cutoff',
          bookingId: null,
        });
      }
      const booked = await s.bookings.create(cls.book(AT9, newcomer!.id));
      expect(booked.status).toBe('confirmed');
      expect(await confirmedSeats(get().raw, s.scope, AT9, cls.resource.id)).toBe(1);
    });
  });
}
