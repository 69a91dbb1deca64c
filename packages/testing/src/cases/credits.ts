/**
 * Booking with credits on every database: a credit booking debits its entitlement in the same
 * transaction as its seats (pending while held, posted once confirmed), a lapsed hold gives its
 * credit back with no sweeper, a confirm racing the lapse settles one way only, an early cancel
 * returns the credit and a late one keeps it, a membership's period limit counts in the resource's
 * time zone, a series is paid all or nothing, and 4 OS processes never spend a credit twice.
 * @module
 */
import {
  type AccountOpen,
  createSeshn,
  type EntitlementRecord,
  effectiveTransferStatus,
  entitlementAccountId,
  type SeshnAdapter,
  type SeshnError,
  SYSTEM_ACCOUNTS,
} from '@seshn/core';
import { describe, expect, it } from 'vitest';
import { ALL_WEEK, HOUR, iso, MINUTE, makeWorld, movableClock, T0, type World } from '../fixtures.js';
import { runProcessRace } from '../processes.js';
import type { SuiteContext } from '../suite.js';
import { expectCode } from './lifecycle.js';
import { processTest } from './process-test.js';

const DAY = 24 * HOUR;
const DAY9 = T0 + 9 * HOUR;

interface GrantSpec {
  type?: EntitlementRecord['type'];
  /** `null`: unlimited (a membership). */
  credits: number | null;
  validDays?: number;
  serviceIds?: string[];
  period?: EntitlementRecord['period'];
  creditsPerSeat?: number;
}

let grants = 0;

const systemAccounts = (now: number): AccountOpen[] =>
  (Object.keys(SYSTEM_ACCOUNTS) as (keyof typeof SYSTEM_ACCOUNTS)[]).map((code) => ({
    id: SYSTEM_ACCOUNTS[code],
    kind: 'system',
    code,
    contactId: null,
    entitlementId: null,
    limited: false,
    createdAt: now,
  }));

/**
 * Grants `contactId` an entitlement on the storage port itself (record, accounts, grant transfer
 * in one transaction), so this case depends on the ledger primitives only.
 */
async function grantOn(adapter: SeshnAdapter, w: World, contactId: string, spec: GrantSpec) {
  const now = w.clock.ms();
  const id = `ent_credits${String(++grants).padStart(6, '0')}${Math.random().toString(36).slice(2, 10)}`;
  const record: EntitlementRecord = {
    id,
    contactId,
    productId: 'prd_test',
    accountId: entitlementAccountId(id),
    type: spec.type ?? (spec.credits === null ? 'membership' : 'pack'),
    source: 'purchase',
    status: 'active',
    credits: spec.credits,
    creditsPerSeat: spec.creditsPerSeat ?? 1,
    serviceIds: spec.serviceIds ?? null,
    period: spec.period ?? null,
    price: null,
    validFrom: now,
    expiresAt: now + (spec.validDays ?? 365) * DAY,
    metadata: {},
    revokedAt: null,
    createdAt: now,
    updatedAt: now,
  };
  const scope = w.seshn.scope;
  await adapter.transaction(async (tx) => {
    await tx.insert('entitlement', scope, record);
    await tx.openAccounts(scope, [
      ...systemAccounts(now),
      {
        id: record.accountId,
        kind: 'customer',
        code: 'customer',
        contactId,
        entitlementId: id,
        limited: spec.credits !== null,
        createdAt: now,
      },
    ]);
    if (spec.credits !== null) {
      await tx.postTransfers(scope, {
        now,
        transfers: [
          {
            id: `trf_grant_${id.slice(4)}`,
            debitAccountId: SYSTEM_ACCOUNTS.issued,
            creditAccountId: record.accountId,
            amount: spec.credits,
            code: 'grant',
            entitlementId: id,
          },
        ],
      });
    }
  });
  return record;
}

/** Revokes on the port: the status, and the remaining credits moved to `expired`. */
async function revokeOn(adapter: SeshnAdapter, w: World, e: EntitlementRecord) {
  const scope = w.seshn.scope;
  const now = w.clock.ms();
  await adapter.transaction(async (tx) => {
    await tx.update('entitlement', scope, { ...e, status: 'revoked', revokedAt: now, updatedAt: now });
    const [b] = await tx.getBalances(scope, { accountIds: [e.accountId], now });
    if (b && b.available > 0) {
      await tx.postTransfers(scope, {
        now,
        transfers: [
          {
            id: `trf_revoke_${e.id.slice(4)}`,
            debitAccountId: e.accountId,
            creditAccountId: SYSTEM_ACCOUNTS.expired,
            amount: b.available,
            code: 'revoke',
            entitlementId: e.id,
          },
        ],
      });
    }
  });
}

const pack = (credits: number, extra: Partial<GrantSpec> = {}): GrantSpec => ({ credits, ...extra });

/** A second handle on the same tenant with its own clock: another app server. */
function otherServer(adapter: SeshnAdapter, w: World, at: number) {
  const clock = movableClock(at);
  return createSeshn({ adapter, now: clock.now, organizationId: w.seshn.scope.organizationId });
}

/** `n` distinct appointment slots two hours apart from `from` (the fixture's buffer fits between). */
const appointmentSlots = (from: number, n: number) =>
  Array.from({ length: n }, (_, i) => from + i * 2 * HOUR);

export function creditTests(get: () => SuiteContext) {
  const grant = (w: World, contactId: string, spec: GrantSpec) => grantOn(get().adapter, w, contactId, spec);

  /** The entitlement's available credits at the world's clock. */
  async function remaining(w: World, e: EntitlementRecord): Promise<number> {
    const [b] = await get().adapter.getBalances(w.seshn.scope, {
      accountIds: [e.accountId],
      now: w.clock.ms(),
    });
    return b?.available ?? Number.NaN;
  }

  /** The transfers that name `bookingId`, as they read at the world's clock (a lapsed pending one is voided). */
  async function transfersOf(w: World, bookingId: string) {
    const page = await get().adapter.list('transfer', w.seshn.scope, { bookingId }, { limit: 100 });
    return page.data.map((t) => ({ ...t, status: effectiveTransferStatus(t, w.clock.ms()) }));
  }

  async function allTransfers(w: World) {
    return (await get().adapter.list('transfer', w.seshn.scope, {}, { limit: 500 })).data;
  }

  /** Raw SQL over the transfers table: balances sum to zero, counters agree, no limited account overdrawn. */
  async function expectBalanced(w: World) {
    const ledger = await get().raw.ledger(w.seshn.scope, w.clock.ms());
    expect(ledger.zeroSum).toBe(0);
    expect(ledger.counterDrift).toEqual([]);
    for (const a of ledger.accounts) {
      if (a.kind !== 'customer' || !a.limited) continue;
      const available = (ledger.posted.get(a.id) ?? 0) - (ledger.pending.get(a.id) ?? 0);
      expect(available, a.id).toBeGreaterThanOrEqual(0);
    }
  }

  describe('booking with credits', () => {
    it('a confirmed credit booking posts seats × creditsPerSeat and says what was used and what is left', async () => {
      const w = await makeWorld(get().adapter, 'credits-book');
      const ent = await grant(w, w.contact.id, pack(10, { creditsPerSeat: 2 }));
      const b = await w.seshn.bookings.create({
        serviceId: w.yoga.id,
        startTime: iso(DAY9),
        contactId: w.contact.id,
        seats: 2,
        useCredits: true,
      });
      expect(b).toMatchObject({
        status: 'confirmed',
        entitlementId: ent.id,
        credits: { used: 4, remaining: 6 },
      });
      expect(await remaining(w, ent)).toBe(6);
      const [t] = await transfersOf(w, b.id);
      expect(t).toMatchObject({ amount: 4, status: 'posted', code: 'booking', entitlementId: ent.id });
      expect((await w.seshn.bookings.get(b.id)).credits).toEqual({ used: 4, remaining: 6 });
      const types = (await get().raw.events(w.seshn.scope)).map((e) => e.type);
      expect(types).toContain('entitlement.debited');
      await expectBalanced(w);
    });

    it('over the public API: a granted pack pays, its balance shows pending and used, a revoke refuses', async () => {
      const w = await makeWorld(get().adapter, 'credits-api');
      const product = await w.seshn.products.create({
        name: '5 classes',
        type: 'pack',
        credits: 5,
        validDays: 60,
      });
      const ent = await w.seshn.entitlements.grant({ contactId: w.contact.id, productId: product.id });
      const held = await w.seshn.bookings.create({
        serviceId: w.yoga.id,
        startTime: iso(DAY9),
        contactId: w.contact.id,
        seats: 2,
        hold: { ttlSeconds: 300 },
        useCredits: true,
      });
      expect(held).toMatchObject({ entitlementId: ent.id, credits: { used: 2, remaining: 3 } });
      expect((await w.seshn.entitlements.get(ent.id)).credits).toMatchObject({ pending: 2, remaining: 3 });
      await w.seshn.bookings.confirm(held.id);
      expect((await w.seshn.entitlements.get(ent.id)).credits).toMatchObject({ pending: 0, remaining: 3 });
      const transfers = await w.seshn.ledger.transfers({ bookingId: held.id });
      expect(transfers.data.map((t) => [t.code, t.status, t.amount])).toEqual([['booking', 'posted', 2]]);
      const debited = (await get().raw.events(w.seshn.scope)).filter((e) => e.type === 'entitlement.debited');
      expect(debited.map((e) => e.data)).toEqual([
        expect.objectContaining({ id: ent.id, bookingId: held.id, amount: 2, transferStatus: 'pending' }),
        expect.objectContaining({ id: ent.id, bookingId: held.id, amount: 2, transferStatus: 'posted' }),
      ]);
      await w.seshn.entitlements.revoke(ent.id);
      await expectCode(
        w.seshn.bookings.create({
          serviceId: w.yoga.id,
          startTime: iso(DAY9 + DAY),
          contactId: w.contact.id,
          useCredits: { entitlementId: ent.id },
        }),
        'insufficient_credits',
      );
      expect(await get().raw.bookings(w.seshn.scope)).toHaveLength(1);
      await expectBalanced(w);
    });

    it('the entitlement that expires soonest is used, or the one named', async () => {
      const w = await makeWorld(get().adapter, 'credits-choose');
      const long = await grant(w, w.contact.id, pack(5, { validDays: 300 }));
      const soon = await grant(w, w.contact.id, pack(5, { validDays: 30 }));
      const first = await w.seshn.bookings.create({
        serviceId: w.yoga.id,
        startTime: iso(DAY9),
        contactId: w.contact.id,
        useCredits: true,
      });
      expect(first.entitlementId).toBe(soon.id);
      const named = await w.seshn.bookings.create({
        serviceId: w.yoga.id,
        startTime: iso(DAY9 + DAY),
        contactId: w.contact.id,
        useCredits: { entitlementId: long.id },
      });
      expect(named).toMatchObject({ entitlementId: long.id, credits: { used: 1, remaining: 4 } });
    });

    it('held → pending debit; the lapse gives the credit back with no sweeper; confirm posts a live one', async () => {
      const w = await makeWorld(get().adapter, 'credits-hold');
      const ent = await grant(w, w.contact.id, pack(1));
      const held = await w.seshn.bookings.create({
        serviceId: w.yoga.id,
        startTime: iso(DAY9),
        contactId: w.contact.id,
        hold: { ttlSeconds: 300 },
        useCredits: true,
      });
      expect(held).toMatchObject({ status: 'held', credits: { used: 1, remaining: 0 } });
      expect((await transfersOf(w, held.id))[0]).toMatchObject({ status: 'pending' });
      // The one credit is pending: a second booking has nothing to spend.
      await expectCode(
        w.seshn.bookings.create({
          serviceId: w.yoga.id,
          startTime: iso(DAY9 + DAY),
          contactId: w.contact.id,
          useCredits: true,
        }),
        'insufficient_credits',
      );
      w.clock.set(T0 + 300_000);
      expect(await remaining(w, ent)).toBe(1);
      await expectCode(w.seshn.bookings.confirm(held.id), 'invalid_state');
      const again = await w.seshn.bookings.create({
        serviceId: w.yoga.id,
        startTime: iso(DAY9 + DAY),
        contactId: w.contact.id,
        hold: { ttlSeconds: 300 },
        useCredits: true,
      });
      const confirmed = await w.seshn.bookings.confirm(again.id);
      expect(confirmed).toMatchObject({ status: 'confirmed', credits: { used: 1, remaining: 0 } });
      expect((await transfersOf(w, again.id)).map((t) => t.status)).toEqual(['posted']);
      expect(await remaining(w, ent)).toBe(0);
      await expectBalanced(w);
    });

    it('a confirm racing the lapse settles one way only', async () => {
      const { adapter } = get();
      for (const order of ['confirm-first', 'sale-first', 'together'] as const) {
        const w = await makeWorld(adapter, `credits-straddle-${order}`);
        const ent = await grant(w, w.contact.id, pack(1));
        const held = await w.seshn.bookings.create({
          serviceId: w.yoga.id,
          startTime: iso(DAY9),
          contactId: w.contact.id,
          hold: { ttlSeconds: 300 },
          useCredits: true,
        });
        const expiresAt = T0 + 300_000;
        const early = otherServer(adapter, w, expiresAt - 1); // the hold is live
        const late = otherServer(adapter, w, expiresAt + 1); // the hold (and its pending debit) lapsed
        const confirm = () => early.bookings.confirm(held.id);
        const sale = () =>
          late.bookings.create({
            serviceId: w.yoga.id,
            startTime: iso(DAY9 + DAY),
            contactId: w.contact.id,
            useCredits: true,
          });
        const settle = <T>(p: Promise<T>) => Promise.allSettled([p]).then(([r]) => r!);
        let outcomes: PromiseSettledResult<unknown>[];
        if (order === 'together') outcomes = await Promise.allSettled([confirm(), sale()]);
        else if (order === 'confirm-first') outcomes = [await settle(confirm()), await settle(sale())];
        else {
          const sold = await settle(sale());
          outcomes = [await settle(confirm()), sold];
        }
        const won = outcomes.filter((o) => o.status === 'fulfilled');
        expect(won, order).toHaveLength(1);
        for (const o of outcomes) {
          if (o.status === 'rejected') {
            // The confirm that lost says its credit was taken; a sale that lost has none to spend.
            expect((o.reason as SeshnError).code).toBe('insufficient_credits');
          }
        }
        // Read once every clock agrees the hold's time is over.
        w.clock.set(expiresAt + 1);
        expect(await remaining(w, ent)).toBe(0);
        await expectBalanced(w);
      }
    });

    it('cancel inside returnCreditsUntilMinutesBefore returns the credit; a late cancel or a no-show keeps it', async () => {
      const w = await makeWorld(get().adapter, 'credits-cancel');
      const cls = await w.seshn.services.create({
        name: 'Policy class',
        kind: 'class',
        durationMinutes: 60,
        capacity: 10,
        resourceIds: [w.studio.id],
        timetable: [{ resourceId: w.studio.id, rrule: 'FREQ=DAILY;BYHOUR=9', dtstart: '2030-01-01T09:00' }],
        cancellation: { returnCreditsUntilMinutesBefore: 120 },
        horizonDays: null,
      });
      const ent = await grant(w, w.contact.id, pack(5));
      const book = (start: number, hold = false) =>
        w.seshn.bookings.create({
          serviceId: cls.id,
          startTime: iso(start),
          contactId: w.contact.id,
          useCredits: true,
          ...(hold ? { hold: { ttlSeconds: 600 } } : {}),
        });
      const early = await book(DAY9);
      const heldEarly = await book(DAY9 + DAY, true);
      const late = await book(DAY9 + 2 * DAY);
      const noShow = await book(DAY9 + 3 * DAY);
      expect(await remaining(w, ent)).toBe(1);
      // Early: a posted debit comes back by a new transfer, a pending one is voided.
      const c1 = await w.seshn.bookings.cancel(early.id);
      expect(c1.credits).toEqual({ used: 0, remaining: 2 });
      expect((await transfersOf(w, early.id)).map((t) => t.code).sort()).toEqual(['booking', 'return']);
      await w.seshn.bookings.cancel(heldEarly.id);
      expect((await transfersOf(w, heldEarly.id)).map((t) => t.status)).toEqual(['voided']);
      expect(await remaining(w, ent)).toBe(3);
      // Cancelling again changes nothing.
      await w.seshn.bookings.cancel(early.id);
      expect(await remaining(w, ent)).toBe(3);
      // Late: 119 minutes before the start, the credit stays spent.
      w.clock.set(DAY9 + 2 * DAY - 119 * MINUTE);
      const c3 = await w.seshn.bookings.cancel(late.id);
      expect(c3.credits).toEqual({ used: 1, remaining: 3 });
      // A no-show keeps it too.
      w.clock.set(DAY9 + 3 * DAY + 5 * MINUTE);
      await w.seshn.bookings.markNoShow(noShow.id);
      expect(await remaining(w, ent)).toBe(3);
      const types = (await get().raw.events(w.seshn.scope)).map((e) => e.type);
      expect(types.filter((t) => t === 'entitlement.credited')).toHaveLength(2);
      await expectBalanced(w);
    });

    it('no covering, exhausted, expired, revoked or another contact’s entitlement: refused, nothing written', async () => {
      const { adapter, raw } = get();
      const w = await makeWorld(adapter, 'credits-bad');
      const attempt = (extra: Record<string, unknown> = {}, start = DAY9) =>
        w.seshn.bookings.create({
          serviceId: w.yoga.id,
          startTime: iso(start),
          contactId: w.contact.id,
          useCredits: true,
          ...extra,
        });
      const countsBefore = async () => ({
        bookings: (await raw.bookings(w.seshn.scope)).length,
        transfers: (await allTransfers(w)).length,
      });
      // Nothing granted at all.
      const empty = await countsBefore();
      await expectCode(attempt(), 'insufficient_credits');
      // A pack for another service only.
      const other = await grant(w, w.contact.id, pack(3, { serviceIds: [w.appointment.id] }));
      await expectCode(attempt(), 'insufficient_credits');
      await expectCode(attempt({ useCredits: { entitlementId: other.id } }), 'insufficient_credits');
      // Another contact's entitlement is not found.
      const stranger = await w.seshn.contacts.create({ name: 'Stranger' });
      const theirs = await grant(w, stranger.id, pack(3));
      await expectCode(attempt({ useCredits: { entitlementId: theirs.id } }), 'not_found');
      // A pass used twice.
      const pass = await grant(w, w.contact.id, { type: 'pass', credits: 1, validDays: 30 });
      await attempt({ useCredits: { entitlementId: pass.id } });
      const afterPass = await countsBefore();
      await expectCode(
        attempt({ useCredits: { entitlementId: pass.id } }, DAY9 + DAY),
        'insufficient_credits',
      );
      // More seats than credits.
      const small = await grant(w, w.contact.id, pack(1));
      const short = await expectCode(
        attempt({ seats: 2, useCredits: { entitlementId: small.id } }),
        'insufficient_credits',
      );
      // Refused under the account lock, and said for the booking: 2 needed, 1 there.
      expect(short.details).toMatchObject({
        entitlementId: small.id,
        reason: 'exhausted',
        available: 1,
        needed: 2,
      });
      // Revoked.
      await revokeOn(get().adapter, w, small);
      await expectCode(attempt({ useCredits: { entitlementId: small.id } }), 'insufficient_credits');
      // Expired: a 1-day pack, booked after its validity.
      const brief = await grant(w, w.contact.id, pack(2, { validDays: 1 }));
      w.clock.set(T0 + 2 * DAY);
      await expectCode(
        attempt({ useCredits: { entitlementId: brief.id } }, DAY9 + 3 * DAY),
        'insufficient_credits',
      );
      const after = await countsBefore();
      expect(empty.bookings).toBe(0);
      expect(after.bookings).toBe(afterPass.bookings);
      // No booking transfer was written by any refused attempt (grants and the revoke only).
      const bookingTransfers = (await allTransfers(w)).filter((t) => t.code === 'booking');
      expect(bookingTransfers).toHaveLength(1);
      await expectBalanced(w);
    });

    it('a membership with a weekly limit counts bookings in the resource’s week', async () => {
      const w = await makeWorld(get().adapter, 'credits-membership');
      // Auckland: Monday 00:00 local is Sunday 11:00 UTC (UTC+13 in January).
      const studio = await w.seshn.resources.create({
        name: 'Auckland studio',
        timezone: 'Pacific/Auckland',
        availability: {
          weekly: Object.fromEntries(
            ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'].map((d) => [
              d,
              [{ start: '00:00', end: '24:00' }],
            ]),
          ),
        },
      });
      const lesson = await w.seshn.services.create({
        name: 'Lesson',
        kind: 'appointment',
        durationMinutes: 60,
        resourceIds: [studio.id],
        horizonDays: null,
      });
      const ent = await grant(w, w.contact.id, {
        credits: null,
        validDays: 90,
        period: { every: 'week', limit: 2 },
      });
      const book = (utc: number) =>
        w.seshn.bookings.create({
          serviceId: lesson.id,
          startTime: iso(utc),
          contactId: w.contact.id,
          useCredits: true,
        });
      // 2030-01-13 is a Sunday (UTC): 09:00 UTC is 22:00 Sunday in Auckland (week of Mon 7th);
      // 12:00 UTC is 01:00 Monday 14th in Auckland (the next week).
      const SUN = Date.UTC(2030, 0, 13);
      const first = await book(SUN - DAY + 9 * HOUR);
      const second = await book(SUN + 9 * HOUR);
      expect(second).toMatchObject({ entitlementId: ent.id, credits: { used: 1, remaining: 0 } });
      await expectCode(book(SUN + 10 * HOUR), 'insufficient_credits');
      // Next local week: room again.
      const next = await book(SUN + 12 * HOUR);
      expect(next.credits).toEqual({ used: 1, remaining: 1 });
      // A cancel in time frees the week's place.
      await w.seshn.bookings.cancel(second.id);
      await book(SUN + 10 * HOUR);
      // A move into a full week is refused and leaves the booking where it was; within its week it moves.
      await book(SUN + 14 * HOUR);
      await expectCode(
        w.seshn.bookings.reschedule(first.id, { startTime: iso(SUN + 16 * HOUR) }),
        'insufficient_credits',
      );
      expect((await w.seshn.bookings.get(first.id)).startTime).toBe(iso(SUN - DAY + 9 * HOUR));
      const moved = await w.seshn.bookings.reschedule(first.id, { startTime: iso(SUN - DAY + 7 * HOUR) });
      expect(moved).toMatchObject({
        startTime: iso(SUN - DAY + 7 * HOUR),
        credits: { used: 1, remaining: 0 },
      });
      await expectBalanced(w);
    });

    it('a series is paid all or nothing, one transfer per occurrence', async () => {
      const w = await makeWorld(get().adapter, 'credits-series');
      const ent = await grant(w, w.contact.id, pack(3));
      const recurrence = { rrule: 'FREQ=DAILY;COUNT=4', dtstart: '2030-01-08T09:00' };
      const error = await expectCode(
        w.seshn.bookingSeries.create({
          serviceId: w.yoga.id,
          contactId: w.contact.id,
          recurrence,
          useCredits: true,
        }),
        'insufficient_credits',
      );
      expect(error.details).toMatchObject({ needed: 4 });
      expect((await get().raw.bookings(w.seshn.scope)).length).toBe(0);
      expect(await remaining(w, ent)).toBe(3);
      const series = await w.seshn.bookingSeries.create({
        serviceId: w.yoga.id,
        contactId: w.contact.id,
        recurrence: { ...recurrence, rrule: 'FREQ=DAILY;COUNT=3' },
        hold: { ttlSeconds: 600 },
        useCredits: true,
      });
      expect(series.bookings.map((b) => b.entitlementId)).toEqual([ent.id, ent.id, ent.id]);
      for (const b of series.bookings) {
        expect((await transfersOf(w, b.id)).map((t) => t.status)).toEqual(['pending']);
      }
      await w.seshn.bookingSeries.confirm(series.id);
      for (const b of series.bookings) {
        expect((await transfersOf(w, b.id)).map((t) => t.status)).toEqual(['posted']);
      }
      await w.seshn.bookingSeries.cancelOccurrence(series.id, 2);
      expect(await remaining(w, ent)).toBe(1);
      await expectBalanced(w);
    });

    it('a rescheduled credit booking keeps its debit', async () => {
      const w = await makeWorld(get().adapter, 'credits-move');
      const ent = await grant(w, w.contact.id, pack(2));
      const b = await w.seshn.bookings.create({
        serviceId: w.yoga.id,
        startTime: iso(DAY9),
        contactId: w.contact.id,
        useCredits: true,
      });
      const moved = await w.seshn.bookings.reschedule(b.id, { startTime: iso(DAY9 + DAY) });
      expect(moved).toMatchObject({ entitlementId: ent.id, credits: { used: 1, remaining: 1 } });
      expect((await transfersOf(w, b.id)).map((t) => t.status)).toEqual(['posted']);
      expect(await remaining(w, ent)).toBe(1);
    });

    processTest(
      get,
      'double spend: 4 OS processes making 50 credit bookings on different slots with 10 credits: exactly 10',
      async () => {
        const { adapter, raw, target } = get();
        const w = await makeWorld(adapter, 'credits-proc');
        const ent = await grant(w, w.contact.id, pack(10));
        // Ten rooms, so concurrent bookings take different resource locks: only the account's
        // lock stands between them and a double spend.
        const rooms: { id: string }[] = [];
        for (let i = 0; i < 10; i++) {
          rooms.push(
            await w.seshn.resources.create({
              name: `Room ${i}`,
              timezone: 'UTC',
              availability: { weekly: ALL_WEEK },
            }),
          );
        }
        const service = await w.seshn.services.create({
          name: 'Drop-in',
          kind: 'appointment',
          durationMinutes: 60,
          resourceIds: rooms.map((r) => r.id),
          horizonDays: null,
        });
        const slots = appointmentSlots(DAY9, 50);
        const jobs = Array.from({ length: 4 }, (_, p) => ({
          spec: target.processAdapter!,
          organizationId: w.seshn.scope.organizationId,
          now: w.clock.ms(),
          attempts: slots
            .map((s, i) => ({ s, i }))
            .filter(({ i }) => i % 4 === p)
            .map(({ s, i }) => ({
              serviceId: service.id,
              resourceId: rooms[(i + p) % rooms.length]!.id,
              startTime: iso(s),
              contactId: w.contact.id,
              seats: 1,
              useCredits: true as const,
            })),
        }));
        const results = (await runProcessRace(jobs)).flat();
        expect(results).toHaveLength(50);
        expect(results.filter((x) => !x.ok && x.code !== 'insufficient_credits')).toEqual([]);
        expect(results.filter((x) => x.ok)).toHaveLength(10);
        const stored = await raw.bookings(w.seshn.scope);
        expect(stored).toHaveLength(10);
        expect(await remaining(w, ent)).toBe(0);
        const debits = (await allTransfers(w)).filter(
          (t) => t.code === 'booking' && t.entitlementId === ent.id,
        );
        expect(debits).toHaveLength(10);
        await expectBalanced(w);
      },
    );
  });
}
