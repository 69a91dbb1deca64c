/**
 * The SQL store's waitlist and background-work methods, checked on a real database: each adapter
 * package runs these from its own test file (packages/adapter-*\/test/waitlist-work.test.ts) on
 * its database (SQLite in memory, a scratch Postgres or MariaDB/MySQL database).
 *
 * - `readQueues`: queue order, `lastPosition`, started slots left out, one queue per distinct
 *   slot in the order asked, scope isolation; with `lock`, the resource rows first, then the clock.
 * - `findDueWork`: lapsed holds and automatic no-shows, each kind's filter, order and limit, and
 *   scope isolation.
 * - `tryLockResources`: rows another connection holds are skipped, not waited for.
 * - `markNoShows`: marks once; checked-in, cancelled or held bookings are never marked; a row
 *   another connection holds is skipped; concurrent callers mark each booking exactly once.
 * - the occupation read's `waiting` branch, and `waitlistEntry` as a plain record kind.
 *
 * Store-level: records are written through the adapter's own methods, no engine.
 * @module
 */
import { randomBytes } from 'node:crypto';
import type {
  BookingRecord,
  RecordFilters,
  ResourceRecord,
  Scope,
  SeshnAdapter,
  SeshnStore,
  WaitlistEntryRecord,
} from '@seshn/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

export interface WaitlistWorkTarget {
  /** A migrated adapter whose pool has room for three concurrent transactions. */
  open(): Promise<SeshnAdapter>;
  /** The database has row locks (Postgres, MySQL): the cross-connection cases run. */
  rowLocks: boolean;
  close?(): Promise<void>;
}

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
/** Every fixture instant is relative to this one (a Monday noon, UTC). */
const T = Date.UTC(2030, 0, 7, 12);

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const uid = () => randomBytes(5).toString('hex');

/** A deferred: a transaction kept open until `release()` is called. */
function gate() {
  let release!: () => void;
  const opened = new Promise<void>((resolve) => {
    release = resolve;
  });
  return { opened, release };
}

/**
 * Runs `hold` in a transaction of its own and keeps that transaction open (its locks held) until
 * the returned `release` is called; resolves once `hold` has run.
 */
async function holding(adapter: SeshnAdapter, hold: (tx: SeshnStore) => Promise<unknown>) {
  const g = gate();
  const held = gate();
  const done = adapter.transaction(async (tx) => {
    await hold(tx);
    held.release();
    await g.opened;
  });
  await Promise.race([held.opened, done]);
  return {
    release: async () => {
      g.release();
      await done;
    },
  };
}

/** `p`, or a rejection after `ms`: a lock query that waits instead of skipping must fail the test. */
function within<T>(ms: number, p: Promise<T>): Promise<T> {
  return Promise.race([
    p,
    sleep(ms).then(() => {
      throw new Error(`still waiting after ${ms} ms (a lock was waited for, not skipped)`);
    }),
  ]);
}

function fixtures(adapter: SeshnAdapter) {
  const p = uid();
  const scope: Scope = { organizationId: `org_${p}`, mode: 'test' };
  const other: Scope = { organizationId: `org_${p}_other`, mode: 'test' };

  const resource = async (name: string, s: Scope = scope): Promise<ResourceRecord> => {
    const r: ResourceRecord = {
      id: `res_${p}_${name}`,
      name,
      timezone: 'UTC',
      capacity: null,
      metadata: {},
      availability: {},
      archivedAt: null,
      createdAt: T,
      updatedAt: T,
    };
    await adapter.insert('resource', s, r);
    return r;
  };

  const booking = (
    name: string,
    fields: Partial<BookingRecord> & { resourceId: string; startTime: number },
  ): BookingRecord => {
    const end = fields.endTime ?? fields.startTime + HOUR;
    const serviceId = fields.serviceId ?? `svc_${p}_a`;
    return {
      id: `bkg_${p}_${name}`,
      serviceId,
      contactId: `con_${p}`,
      slotKey: `${serviceId}|${fields.resourceId}|${fields.startTime}|${end}`,
      endTime: end,
      occupiedStart: fields.startTime,
      occupiedEnd: end,
      seats: 1,
      status: 'confirmed',
      attendance: 'pending',
      expiresAt: null,
      priceAmount: null,
      priceCurrency: null,
      seriesId: null,
      occurrenceIndex: null,
      entitlementId: null,
      notes: null,
      metadata: {},
      cancellationReason: null,
      cancelledAt: null,
      createdAt: T - 10 * HOUR,
      updatedAt: T - 10 * HOUR,
      ...fields,
    };
  };

  /** Reserves `bookings` (each in a slot of its own) at `now`; they must all fit. */
  const reserve = async (bookings: BookingRecord[], now = T - 10 * HOUR, s: Scope = scope) => {
    const result = await adapter.reserve(s, {
      now,
      items: bookings.map((b) => ({ booking: b, capacity: 10 })),
    });
    expect(result.ok).toBe(true);
  };

  const entry = (
    name: string,
    fields: Partial<WaitlistEntryRecord> & {
      resourceId: string;
      startTime: number;
      position: number;
    },
  ): WaitlistEntryRecord => {
    const end = fields.endTime ?? fields.startTime + HOUR;
    const serviceId = fields.serviceId ?? `svc_${p}_a`;
    return {
      id: `wl_${p}_${name}`,
      serviceId,
      contactId: `con_${p}`,
      slotKey: `${serviceId}|${fields.resourceId}|${fields.startTime}|${end}`,
      endTime: end,
      occupiedStart: fields.startTime,
      occupiedEnd: end,
      seats: 1,
      status: 'waiting',
      useCredits: null,
      bookingId: null,
      reason: null,
      notes: null,
      metadata: {},
      promotedAt: null,
      createdAt: T - HOUR,
      updatedAt: T - HOUR,
      ...fields,
    };
  };

  return { p, scope, other, resource, booking, reserve, entry };
}

export function waitlistWorkCases(name: string, target: WaitlistWorkTarget): void {
  // Cross-connection cases exist only where rows can be locked (not SQLite): registered there
  // only, never skipped.
  const itWithRowLocks = (name: string, fn: () => Promise<void>, timeout?: number) => {
    if (target.rowLocks) it(name, fn, timeout);
  };

  describe(`${name}: waitlist and background work in the SQL store`, () => {
    let adapter: SeshnAdapter;
    beforeAll(async () => {
      adapter = await target.open();
    });
    afterAll(async () => {
      await target.close?.();
    });

    describe('waitlistEntry records', () => {
      it('insert, get, update and list by slot, status, contact and booking', async () => {
        const f = fixtures(adapter);
        const room = await f.resource('room');
        const start = T + 2 * HOUR;
        const a = f.entry('a', { resourceId: room.id, startTime: start, position: 1, useCredits: 'auto' });
        const b = f.entry('b', { resourceId: room.id, startTime: start, position: 2, seats: 2, notes: 'n' });
        await adapter.insert('waitlistEntry', f.scope, a);
        await adapter.insert('waitlistEntry', f.scope, b);
        expect(await adapter.get('waitlistEntry', f.scope, a.id)).toEqual(a);
        expect(await adapter.get('waitlistEntry', f.other, a.id)).toBeNull();
        const promoted: WaitlistEntryRecord = {
          ...a,
          status: 'promoted',
          bookingId: `bkg_${f.p}_x`,
          promotedAt: T,
          updatedAt: T,
          metadata: { k: 'v' },
        };
        expect(await adapter.update('waitlistEntry', f.scope, promoted)).toBe(true);
        expect(await adapter.get('waitlistEntry', f.scope, a.id)).toEqual(promoted);
        const list = async (filter: RecordFilters['waitlistEntry']) =>
          (await adapter.list('waitlistEntry', f.scope, filter, { limit: 10 })).data.map((e) => e.id);
        expect(await list({ slotKey: a.slotKey })).toEqual([b.id, a.id]);
        expect(await list({ slotKey: a.slotKey, status: 'waiting' })).toEqual([b.id]);
        expect(await list({ contactId: a.contactId, resourceId: room.id, serviceId: a.serviceId })).toEqual([
          b.id,
          a.id,
        ]);
        expect(await list({ bookingIds: [`bkg_${f.p}_x`, 'bkg_none'] })).toEqual([a.id]);
        expect(await list({ bookingIds: [] })).toEqual([]);
        expect((await adapter.list('waitlistEntry', f.other, {}, { limit: 10 })).data).toEqual([]);
      });

      it('a position is taken once per slot', async () => {
        const f = fixtures(adapter);
        const room = await f.resource('room');
        const start = T + 2 * HOUR;
        await adapter.insert(
          'waitlistEntry',
          f.scope,
          f.entry('a', { resourceId: room.id, startTime: start, position: 1 }),
        );
        await expect(
          adapter.insert(
            'waitlistEntry',
            f.scope,
            f.entry('b', { resourceId: room.id, startTime: start, position: 1 }),
          ),
        ).rejects.toThrow();
        // The same position in another slot is another queue's.
        await adapter.insert(
          'waitlistEntry',
          f.scope,
          f.entry('c', { resourceId: room.id, startTime: start + HOUR, position: 1 }),
        );
      });
    });

    describe('readQueues', () => {
      it('waiting entries by position, the highest position of any status, started slots left out, one queue per slot in the order asked', async () => {
        const f = fixtures(adapter);
        const room = await f.resource('room');
        const hall = await f.resource('hall');
        const later = T + 3 * HOUR;
        const started = T - 10 * MINUTE;
        const e = (name: string, fields: Parameters<typeof f.entry>[1]) => f.entry(name, fields);
        // Inserted out of order: the queue is ordered by position, not by insertion or id.
        const entries = [
          e('p3', { resourceId: room.id, startTime: later, position: 3, seats: 2 }),
          e('p1', { resourceId: room.id, startTime: later, position: 1 }),
          e('p4', { resourceId: room.id, startTime: later, position: 4, status: 'promoted' }),
          e('p2', { resourceId: room.id, startTime: later, position: 2, status: 'left', reason: 'left' }),
          e('p6', { resourceId: room.id, startTime: later, position: 6 }),
          e('s1', { resourceId: hall.id, startTime: started, position: 1 }),
          e('s2', { resourceId: hall.id, startTime: started, position: 2, status: 'expired' }),
          // Another slot of the same resource.
          e('o1', { resourceId: room.id, startTime: later + HOUR, position: 1 }),
        ];
        for (const x of entries) await adapter.insert('waitlistEntry', f.scope, x);
        // Another scope's entry of the same slot key is invisible.
        await adapter.insert('waitlistEntry', f.other, {
          ...e('x9', { resourceId: room.id, startTime: later, position: 9 }),
          id: `wl_${f.p}_other`,
        });
        const slotA = { resourceId: room.id, slotKey: entries[0]!.slotKey };
        const slotEmpty = { resourceId: room.id, slotKey: `${entries[0]!.slotKey}-none` };
        const slotStarted = { resourceId: hall.id, slotKey: entries[5]!.slotKey };
        let clockReads = 0;
        const result = await adapter.readQueues(f.scope, {
          slots: [slotA, slotEmpty, slotStarted, slotA],
          now: () => {
            clockReads++;
            return T;
          },
        });
        expect(clockReads).toBe(1);
        expect(result.now).toBe(T);
        expect(result.queues.map((q) => [q.resourceId, q.slotKey, q.lastPosition])).toEqual([
          [room.id, slotA.slotKey, 6],
          [room.id, slotEmpty.slotKey, 0],
          [hall.id, slotStarted.slotKey, 2],
        ]);
        expect(result.queues[0]!.waiting.map((w) => w.id)).toEqual([
          `wl_${f.p}_p1`,
          `wl_${f.p}_p3`,
          `wl_${f.p}_p6`,
        ]);
        expect(result.queues[0]!.waiting[1]).toEqual(entries[0]);
        expect(result.queues[1]!.waiting).toEqual([]);
        expect(result.queues[2]!.waiting).toEqual([]);
        // Judged at `now`: before the hall slot started its waiting entry is in its queue.
        const before = await adapter.readQueues(f.scope, {
          slots: [slotStarted],
          now: started - 1,
          lock: true,
        });
        expect(before.queues[0]!.waiting.map((w) => w.id)).toEqual([`wl_${f.p}_s1`]);
        // At its start it is not (startTime > now).
        const atStart = await adapter.readQueues(f.scope, { slots: [slotStarted], now: started });
        expect(atStart.queues[0]!.waiting).toEqual([]);
        expect(await adapter.readQueues(f.scope, { slots: [], now: T })).toEqual({ now: T, queues: [] });
      });

      itWithRowLocks(
        'with lock: waits for the resource row, reads the clock and the queue only once it holds it, and keeps it',
        async () => {
          const f = fixtures(adapter);
          const room = await f.resource('room');
          const start = T + 3 * HOUR;
          const first = f.entry('first', { resourceId: room.id, startTime: start, position: 1 });
          await adapter.insert('waitlistEntry', f.scope, first);
          const slot = { resourceId: room.id, slotKey: first.slotKey };
          // Another connection holds the resource row and writes an entry under it (as a join does).
          const g = gate();
          const holder = adapter.transaction(async (tx) => {
            await tx.get('resource', f.scope, room.id, { lock: true });
            await g.opened;
            await tx.insert(
              'waitlistEntry',
              f.scope,
              f.entry('second', { resourceId: room.id, startTime: start, position: 2 }),
            );
          });
          await sleep(100);
          let clockReadAt = 0;
          const reading = adapter.transaction(async (tx) => {
            const q = await tx.readQueues(f.scope, {
              slots: [slot],
              lock: true,
              now: () => {
                clockReadAt = Date.now();
                return T;
              },
            });
            // Still inside the reader's transaction: the row stays locked, a runner skips it.
            const runner = await within(
              5000,
              adapter.transaction((tx2) => tx2.tryLockResources(f.scope, [room.id])),
            );
            return { q, runner };
          });
          await sleep(300);
          expect(clockReadAt).toBe(0);
          const released = Date.now();
          g.release();
          await holder;
          const { q, runner } = await reading;
          expect(clockReadAt).toBeGreaterThanOrEqual(released);
          expect(q.queues[0]!.waiting.map((w) => w.id)).toEqual([first.id, `wl_${f.p}_second`]);
          expect(q.queues[0]!.lastPosition).toBe(2);
          expect(runner).toEqual([]);
        },
      );
    });

    describe('findDueWork', () => {
      it('lapsed holds: stored held with expiresAt <= now, soonest lapse first then id, at most limit, in the scope only', async () => {
        const f = fixtures(adapter);
        const room = await f.resource('room');
        const hall = await f.resource('hall');
        const now = T;
        const at = (h: number) => T + h * HOUR;
        const held = (name: string, resourceId: string, startH: number, expiresAt: number) =>
          f.booking(name, { resourceId, startTime: at(startH), status: 'held', expiresAt });
        await f.reserve(
          [
            held('h5', room.id, 1, now - 5 * MINUTE),
            held('h1', hall.id, 1, now - 20 * MINUTE),
            held('tieB', room.id, 3, now - 10 * MINUTE),
            held('tieA', hall.id, 3, now - 10 * MINUTE),
            held('atNow', room.id, 5, now),
            held('live', hall.id, 5, now + 1),
            f.booking('confirmed', { resourceId: room.id, startTime: at(7) }),
            held('expired', hall.id, 7, now - 30 * MINUTE),
          ],
          now - HOUR,
        );
        // One hold already marked expired by a sweeper: no longer due.
        const expired = await adapter.release(f.scope, {
          now,
          bookingIds: [`bkg_${f.p}_expired`],
          to: 'expired',
        });
        expect(expired.released).toHaveLength(1);
        // The same shape in another scope.
        const otherRoom = await f.resource('other', f.other);
        await f.reserve(
          [{ ...held('x', otherRoom.id, 1, now - 40 * MINUTE), id: `bkg_${f.p}_otherscope` }],
          now - HOUR,
          f.other,
        );
        const due = await adapter.findDueWork(f.scope, { now, limit: 10, noShows: [] });
        const id = (n: string) => `bkg_${f.p}_${n}`;
        expect(due.lapsedHolds).toEqual([
          { id: id('h1'), resourceId: hall.id },
          { id: id('tieA'), resourceId: hall.id },
          { id: id('tieB'), resourceId: room.id },
          { id: id('h5'), resourceId: room.id },
          { id: id('atNow'), resourceId: room.id },
        ]);
        expect(due.noShows).toEqual([]);
        const two = await adapter.findDueWork(f.scope, { now, limit: 2, noShows: [] });
        expect(two.lapsedHolds.map((h) => h.id)).toEqual([id('h1'), id('tieA')]);
        expect((await adapter.findDueWork(f.scope, { now, limit: 0, noShows: [] })).lapsedHolds).toEqual([]);
        expect(
          (await adapter.findDueWork(f.other, { now, limit: 10, noShows: [] })).lapsedHolds.map((h) => h.id),
        ).toEqual([`bkg_${f.p}_otherscope`]);
      });

      it('no-shows: confirmed and pending, of a group’s services, ended by its bound; earliest end first, at most limit over all groups', async () => {
        const f = fixtures(adapter);
        const room = await f.resource('room');
        const hall = await f.resource('hall');
        const svc = (s: string) => `svc_${f.p}_${s}`;
        const id = (n: string) => `bkg_${f.p}_${n}`;
        // One-minute sessions ending `endsAgoMin` before T, so none overlaps another.
        const past = (
          name: string,
          service: string,
          endsAgoMin: number,
          extra: Partial<BookingRecord> = {},
        ) =>
          f.booking(name, {
            resourceId: room.id,
            serviceId: svc(service),
            startTime: T - endsAgoMin * MINUTE - MINUTE,
            endTime: T - endsAgoMin * MINUTE,
            ...extra,
          });
        await f.reserve([
          past('a120', 'a', 120),
          past('a30', 'a', 30),
          past('b180', 'b', 180),
          past('b60', 'b', 60),
          past('c300', 'c', 300),
          past('aFuture', 'a', -120),
          past('aChecked', 'a', 400),
          past('aCancelled', 'a', 410),
          past('aMarked', 'a', 420),
          past('aHeld', 'a', 430, { status: 'held', expiresAt: T + HOUR }),
          // Same end: by id.
          past('aTieZ', 'a', 240),
          past('aTieY', 'a2', 240, { resourceId: hall.id }),
        ]);
        expect(
          await adapter.setAttendance(f.scope, {
            bookingId: id('aChecked'),
            attendance: 'checked_in',
            now: T,
          }),
        ).not.toBeNull();
        expect(
          await adapter.setAttendance(f.scope, { bookingId: id('aMarked'), attendance: 'no_show', now: T }),
        ).not.toBeNull();
        expect(
          (await adapter.release(f.scope, { now: T, bookingIds: [id('aCancelled')], to: 'cancelled' }))
            .released,
        ).toHaveLength(1);
        const groups = [
          { serviceIds: [svc('a'), svc('a2'), svc('a')], endedBy: T },
          // b60 ended 60 minutes ago, after this group's bound.
          { serviceIds: [svc('b')], endedBy: T - 90 * MINUTE },
          { serviceIds: [], endedBy: T },
        ];
        const due = await adapter.findDueWork(f.scope, { now: T, limit: 10, noShows: groups });
        expect(due.noShows).toEqual([id('aTieY'), id('aTieZ'), id('b180'), id('a120'), id('a30')]);
        expect(due.lapsedHolds).toEqual([]);
        const three = await adapter.findDueWork(f.scope, { now: T, limit: 3, noShows: groups });
        expect(three.noShows).toEqual([id('aTieY'), id('aTieZ'), id('b180')]);
        // The bound is inclusive.
        const bound = await adapter.findDueWork(f.scope, {
          now: T,
          limit: 10,
          noShows: [{ serviceIds: [svc('a')], endedBy: T - 120 * MINUTE }],
        });
        expect(bound.noShows).toEqual([id('aTieZ'), id('a120')]);
        expect((await adapter.findDueWork(f.other, { now: T, limit: 10, noShows: groups })).noShows).toEqual(
          [],
        );
        expect((await adapter.findDueWork(f.scope, { now: T, limit: 10, noShows: [] })).noShows).toEqual([]);
      });
    });

    describe('tryLockResources', () => {
      it('returns the ids asked for, sorted and once each', async () => {
        const f = fixtures(adapter);
        const [a, b, c] = [await f.resource('a'), await f.resource('b'), await f.resource('c')];
        const locked = await adapter.transaction((tx) =>
          tx.tryLockResources(f.scope, [c.id, a.id, b.id, a.id]),
        );
        expect(locked).toEqual([a.id, b.id, c.id]);
        expect(await adapter.tryLockResources(f.scope, [])).toEqual([]);
      });

      itWithRowLocks(
        'skips, without waiting, the resource rows another connection holds; the rows it took stay locked until its transaction ends',
        async () => {
          const f = fixtures(adapter);
          const [a, b, c] = [await f.resource('a'), await f.resource('b'), await f.resource('c')];
          const other = await f.resource('scoped', f.other);
          // Another connection holds b, as a booking's transaction does (lock protocol step 1).
          const holder = await holding(adapter, (tx) => tx.get('resource', f.scope, b.id, { lock: true }));
          const runner = gate();
          const runnerLocked = gate();
          let first: string[] = [];
          const firstRunner = adapter.transaction(async (tx) => {
            first = await within(5000, tx.tryLockResources(f.scope, [c.id, b.id, a.id, a.id, other.id]));
            runnerLocked.release();
            await runner.opened;
          });
          await Promise.race([runnerLocked.opened, firstRunner]);
          // Another scope's row is not this scope's resource: never locked or returned.
          expect(first).toEqual([a.id, c.id]);
          // A second runner finds nothing free: a and c are the first runner's, b the holder's.
          const second = await within(
            5000,
            adapter.transaction((tx) => tx.tryLockResources(f.scope, [a.id, b.id, c.id])),
          );
          expect(second).toEqual([]);
          runner.release();
          await firstRunner;
          expect(
            await within(
              5000,
              adapter.transaction((tx) => tx.tryLockResources(f.scope, [a.id, b.id, c.id])),
            ),
          ).toEqual([a.id, c.id]);
          await holder.release();
          expect(await adapter.transaction((tx) => tx.tryLockResources(f.scope, [a.id, b.id, c.id]))).toEqual(
            [a.id, b.id, c.id],
          );
        },
      );
    });

    describe('markNoShows', () => {
      it('marks confirmed bookings still pending, once; checked-in, cancelled and held bookings never', async () => {
        const f = fixtures(adapter);
        const room = await f.resource('room');
        const id = (n: string) => `bkg_${f.p}_${n}`;
        const at = (h: number) => T - h * HOUR;
        await f.reserve([
          f.booking('one', { resourceId: room.id, startTime: at(5) }),
          f.booking('two', { resourceId: room.id, startTime: at(4) }),
          f.booking('checked', { resourceId: room.id, startTime: at(3) }),
          f.booking('cancelled', { resourceId: room.id, startTime: at(2) }),
          f.booking('held', { resourceId: room.id, startTime: at(7), status: 'held', expiresAt: T + HOUR }),
        ]);
        await adapter.setAttendance(f.scope, { bookingId: id('checked'), attendance: 'checked_in', now: T });
        await adapter.release(f.scope, { now: T, bookingIds: [id('cancelled')], to: 'cancelled' });
        const now = T + 5 * MINUTE;
        const ids = [
          id('two'),
          id('checked'),
          id('cancelled'),
          id('held'),
          id('one'),
          id('missing'),
          id('two'),
        ];
        const marked = await adapter.markNoShows(f.scope, { bookingIds: ids, now });
        expect(marked.map((b) => b.id)).toEqual([id('two'), id('one')]);
        for (const b of marked) {
          expect(b).toMatchObject({ status: 'confirmed', attendance: 'no_show', updatedAt: now });
        }
        expect(await adapter.markNoShows(f.scope, { bookingIds: ids, now: now + MINUTE })).toEqual([]);
        expect(await adapter.get('booking', f.scope, id('one'))).toMatchObject({ updatedAt: now });
        expect(await adapter.get('booking', f.scope, id('checked'))).toMatchObject({
          attendance: 'checked_in',
        });
        expect(await adapter.get('booking', f.scope, id('cancelled'))).toMatchObject({
          status: 'cancelled',
          attendance: 'pending',
        });
        expect(await adapter.get('booking', f.scope, id('held'))).toMatchObject({
          status: 'held',
          attendance: 'pending',
        });
        expect(await adapter.markNoShows(f.scope, { bookingIds: [], now })).toEqual([]);
        // Another scope cannot mark them.
        await f.reserve([f.booking('mine', { resourceId: room.id, startTime: at(9) })]);
        expect(await adapter.markNoShows(f.other, { bookingIds: [id('mine')], now })).toEqual([]);
        expect(await adapter.get('booking', f.scope, id('mine'))).toMatchObject({ attendance: 'pending' });
      });

      it('of concurrent callers each booking is marked by exactly one', async () => {
        const f = fixtures(adapter);
        const room = await f.resource('room');
        const bookings = Array.from({ length: 6 }, (_, i) =>
          f.booking(`c${i}`, { resourceId: room.id, startTime: T - (i + 2) * HOUR }),
        );
        await f.reserve(bookings);
        const ids = bookings.map((b) => b.id);
        const results = await Promise.all(
          [0, 1, 2].map((k) =>
            adapter.markNoShows(f.scope, { bookingIds: k === 1 ? [...ids].reverse() : ids, now: T }),
          ),
        );
        const all = results.flat().map((b) => b.id);
        expect([...all].sort()).toEqual([...ids].sort());
      });

      itWithRowLocks('skips a booking row another connection holds, without waiting', async () => {
        const f = fixtures(adapter);
        const room = await f.resource('room');
        const [held, free] = [
          f.booking('locked', { resourceId: room.id, startTime: T - 3 * HOUR }),
          f.booking('free', { resourceId: room.id, startTime: T - 2 * HOUR }),
        ];
        await f.reserve([held, free]);
        const holder = await holding(adapter, (tx) => tx.get('booking', f.scope, held.id, { lock: true }));
        const marked = await within(
          5000,
          adapter.markNoShows(f.scope, { bookingIds: [held.id, free.id], now: T }),
        );
        expect(marked.map((b) => b.id)).toEqual([free.id]);
        await holder.release();
        const later = await adapter.markNoShows(f.scope, { bookingIds: [held.id, free.id], now: T });
        expect(later.map((b) => b.id)).toEqual([held.id]);
      });
    });

    describe('occupations', () => {
      it('waiting entries of slots not started are `waiting` occupations with their position; confirm does not count them', async () => {
        const f = fixtures(adapter);
        const room = await f.resource('room');
        const start = T + 2 * HOUR;
        const e1 = f.entry('e1', { resourceId: room.id, startTime: start, position: 1, seats: 2 });
        const e2 = f.entry('e2', { resourceId: room.id, startTime: start, position: 2, status: 'left' });
        const started = f.entry('st', { resourceId: room.id, startTime: T - MINUTE, position: 1 });
        const outside = f.entry('out', { resourceId: room.id, startTime: T + 30 * HOUR, position: 1 });
        for (const e of [e1, e2, started, outside]) await adapter.insert('waitlistEntry', f.scope, e);
        const occupations = await adapter.listOccupations(f.scope, [room.id], T - HOUR, T + 24 * HOUR, T);
        expect(occupations).toEqual([
          {
            kind: 'waiting',
            id: e1.id,
            resourceId: room.id,
            start,
            end: start + HOUR,
            occupiedStart: start,
            occupiedEnd: start + HOUR,
            slotKey: e1.slotKey,
            seats: 2,
            position: 1,
          },
        ]);
        expect(await adapter.listOccupations(f.other, [room.id], T - HOUR, T + 24 * HOUR, T)).toEqual([]);

        // A slot of capacity 2 with both seats kept for e1: a newcomer is refused, e1's promotion fits.
        const newcomer = f.booking('new', { resourceId: room.id, startTime: start, slotKey: e1.slotKey });
        const refused = await adapter.reserve(f.scope, {
          now: T,
          items: [{ booking: newcomer, capacity: 2 }],
        });
        expect(refused).toMatchObject({ ok: false, conflicts: [{ index: 0, reason: 'full', remaining: 0 }] });
        const hold = { ...newcomer, seats: 2, status: 'held' as const, expiresAt: T + 10 * MINUTE };
        const promoted = await adapter.reserve(f.scope, {
          now: T,
          items: [{ booking: hold, capacity: 2, promotes: { entryId: e1.id, position: 1 } }],
        });
        expect(promoted.ok).toBe(true);
        // e1 is still stored as waiting (the engine marks it promoted in the same transaction):
        // confirming the hold weighs it against what is sold only, not against the queue.
        const confirmed = await adapter.confirm(f.scope, {
          now: T + MINUTE,
          items: [{ bookingId: hold.id, capacity: 2 }],
        });
        expect(confirmed.refused).toEqual([]);
        expect(confirmed.confirmed.map((b) => b.status)).toEqual(['confirmed']);
      });
    });
  });
}
