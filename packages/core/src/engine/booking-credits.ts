/**
 * Booking with credits: which entitlement pays, and the ledger transfers that the booking paths
 * (create, confirm, cancel, series) write in the SAME transaction as their booking primitive.
 *
 * - A booking's debit is one transfer from its entitlement's account to `redeemed`, of seats ×
 *   creditsPerSeat, with an id derived from the booking (`trf_<booking>_debit`): pending until
 *   the hold's `expiresAt` for a held booking (so a lapsed hold frees its credit with no
 *   sweeper), posted for a confirmed one. A return is a second derived id (`trf_<booking>_return`),
 *   so a booking is debited and returned at most once whatever retries.
 * - Lock order: the booking primitive first (resource rows; on SQLite the write lock), then
 *   `postTransfers` (the customer accounts in id order): slots → accounts, everywhere.
 * - The clock: `postTransfers` gets the instant the booking primitive read under its locks (or the
 *   clock itself, read after the account locks), so the booking and its credit are judged at
 *   the same instant and a confirm racing the lapse settles one way only.
 * - The cancellation policy (`returnCreditsUntilMinutesBefore` of the service) is snapshotted in
 *   the debit's metadata when the booking is made: a later policy change does not apply to it.
 * @module
 */
import { SeshnError } from '../errors/seshn-error.js';
import {
  chooseEntitlement,
  type EntitlementCandidate,
  effectiveTransferStatus,
  periodBounds,
} from '../ledger/index.js';
import type {
  AccountBalance,
  BookingRecord,
  EntitlementRecord,
  EventRecord,
  ServiceRecord,
  SeshnStore,
  TransferItem,
  TransferRecord,
} from '../ports/adapter.js';
import { SYSTEM_ACCOUNTS } from '../ports/ledger.js';
import type { UseCredits } from '../schema/booking.js';
import type { EngineContext } from './context.js';
import { entitlementEvent } from './ledger.js';
import { listAll } from './list-all.js';
import { serviceConfig } from './service-rules.js';

const MINUTE = 60_000;

/** What a booking's view says about its credits: used by it, and left on its entitlement. */
export interface BookingCredits {
  used: number;
  /** Credits left (a pack or pass), places left in the period (a limited membership), `null` when unlimited. */
  remaining: number | null;
}

const suffix = (bookingId: string) => (bookingId.startsWith('bkg_') ? bookingId.slice(4) : bookingId);
/** The id of a booking's debit: derived, so a booking is debited once. */
export const debitTransferId = (bookingId: string) => `trf_${suffix(bookingId)}_debit`;
/** The id of a booking's return: derived, so a credit comes back once. */
export const returnTransferId = (bookingId: string) => `trf_${suffix(bookingId)}_return`;

/** The entitlement that pays for a booking (or a series), chosen before the transaction. */
export interface CreditPlan {
  entitlement: EntitlementRecord;
  /** Credits per booking: seats × creditsPerSeat. */
  amount: number;
  /** The service's policy when the booking was made (`null`: returned when cancelled before the start). */
  returnMinutes: number | null;
  timezone: string;
}

/** The service's `cancellation.returnCreditsUntilMinutesBefore`, snapshotted on each debit. */
export function returnPolicy(service: ServiceRecord): number | null {
  return serviceConfig(service).cancellation?.returnCreditsUntilMinutesBefore ?? null;
}

const limitOf = (e: EntitlementRecord) => e.period?.limit ?? null;

/**
 * Chooses the entitlement that pays for bookings of `seats` at `starts` (one start for a single
 * booking, each occurrence for a series): the named one, or the contact's active one that covers
 * the service, has room and expires soonest. Reads only; the limit is checked again under the
 * account lock when the debit is written. Throws `not_found` (a named entitlement that is not
 * this contact's) or `insufficient_credits`, before anything is written.
 */
export async function planCredits(
  ctx: EngineContext,
  req: {
    useCredits: UseCredits | undefined;
    contactId: string;
    service: ServiceRecord;
    seats: number;
    starts: number[];
    timezone: string;
    now: number;
    /** {@link readEntitlements}, when the caller started it alongside its other reads. */
    entitlements?: EntitlementRecord[];
  },
): Promise<CreditPlan | null> {
  const use = req.useCredits;
  if (use === undefined || use === false || req.starts.length === 0) return null;
  const named = typeof use === 'object' ? use.entitlementId : undefined;
  const entitlements = req.entitlements ?? (await readEntitlements(ctx, use, req.contactId));
  const limited = entitlements.filter((e) => e.credits !== null);
  // One pack for one booking: nothing to choose between, and the debit checks the balance under
  // the account lock anyway, so the read is saved (the hot path of a credit booking).
  const single = req.starts.length === 1 && limited.length === 1 && entitlements.length === 1;
  const balances =
    limited.length === 0 || single
      ? []
      : await ctx.adapter.getBalances(ctx.scope, {
          accountIds: limited.map((e) => e.accountId),
          now: req.now,
        });
  const available = new Map(balances.map((b) => [b.accountId, b.available]));
  if (single) available.set(limited[0]!.accountId, Number.POSITIVE_INFINITY);
  const first = Math.min(...req.starts);
  const last = Math.max(...req.starts);
  const candidates: EntitlementCandidate[] = [];
  for (const e of entitlements) {
    const c: EntitlementCandidate = { entitlement: e, available: available.get(e.accountId) ?? 0 };
    if (limitOf(e) !== null && e.period) {
      const { start, end } = periodBounds(first, e.period.every, req.timezone);
      c.periodUsed = await periodUsage(ctx, ctx.adapter, e, start, end, req.now);
    }
    candidates.push(c);
  }
  const choice = chooseEntitlement(candidates, {
    serviceId: req.service.id,
    seats: req.seats,
    // Valid for the last session, so a series never outlives its pack.
    at: last,
    now: req.now,
    entitlementId: named,
  });
  const plan: CreditPlan = {
    entitlement: choice.entitlement,
    amount: choice.amount,
    returnMinutes: returnPolicy(req.service),
    timezone: req.timezone,
  };
  const total = choice.amount * req.starts.length;
  const have = available.get(choice.entitlement.accountId) ?? 0;
  if (choice.entitlement.credits !== null && have < total) {
    throw new SeshnError(
      'insufficient_credits',
      `Entitlement ${choice.entitlement.id} has ${have} credits available`,
      {
        entitlementId: choice.entitlement.id,
        reason: 'exhausted',
        available: have,
        needed: total,
      },
    );
  }
  return plan;
}

/**
 * The entitlements a booking with `useCredits` may use: the named one (if it is this contact's),
 * else the contact's active ones. Empty when `useCredits` is off.
 */
export async function readEntitlements(
  ctx: EngineContext,
  use: UseCredits | undefined,
  contactId: string,
): Promise<EntitlementRecord[]> {
  if (use === undefined || use === false) return [];
  if (typeof use === 'object') {
    const e = await ctx.adapter.get('entitlement', ctx.scope, use.entitlementId);
    return e && e.contactId === contactId ? [e] : [];
  }
  const page = await ctx.adapter.list(
    'entitlement',
    ctx.scope,
    { contactId, status: 'active' },
    { limit: 100 },
  );
  return page.data;
}

/** The debit of each booking (pending until its hold lapses, or posted). */
export function debitItems(plan: CreditPlan, bookings: readonly BookingRecord[]): TransferItem[] {
  return bookings.map((b) => ({
    id: debitTransferId(b.id),
    debitAccountId: plan.entitlement.accountId,
    creditAccountId: SYSTEM_ACCOUNTS.redeemed,
    amount: plan.amount,
    code: 'booking' as const,
    entitlementId: plan.entitlement.id,
    bookingId: b.id,
    metadata: { returnCreditsUntilMinutesBefore: plan.returnMinutes },
    pendingUntil: b.status === 'held' ? b.expiresAt : null,
  }));
}

/**
 * Credits a booking of `e` holds at `now`, judged from the ledger: its debit is posted or a live
 * pending one, and it was not returned.
 */
function creditInUse(debit: TransferRecord | undefined, returned: boolean, now: number): number {
  if (!debit || returned) return 0;
  const status = effectiveTransferStatus(debit, now);
  return status === 'posted' || status === 'pending' ? debit.amount : 0;
}

/**
 * The bookings of a period-limited membership in `[start, end)` (by start, in the resource's
 * zone) that still hold their place: debited and not returned (a late cancel keeps its place).
 * Read in `store`: inside the debit's transaction, after the account lock, it sees every
 * committed booking of the entitlement.
 */
export async function periodUsage(
  ctx: EngineContext,
  store: SeshnStore,
  e: EntitlementRecord,
  start: number,
  end: number,
  now: number,
): Promise<number> {
  const rows = (
    await listAll(store, 'booking', ctx.scope, { contactId: e.contactId, from: start, to: end, now }, 500)
  ).filter((b) => b.entitlementId === e.id && b.startTime >= start && b.startTime < end);
  if (rows.length === 0) return 0;
  const transfers = await store.getMany(
    'transfer',
    ctx.scope,
    rows.flatMap((b) => [debitTransferId(b.id), returnTransferId(b.id)]),
  );
  const byId = new Map(transfers.map((t) => [t.id, t]));
  return rows.filter(
    (b) => creditInUse(byId.get(debitTransferId(b.id)), byId.has(returnTransferId(b.id)), now) > 0,
  ).length;
}

/** What a booking event adds to the entitlement view of `entitlement.debited` / `.credited`. */
const transferFacts = (t: TransferRecord) => ({
  bookingId: t.bookingId,
  transferId: t.id,
  amount: t.amount,
  transferStatus: t.status,
});

const ZERO = (accountId: string): AccountBalance => ({
  accountId,
  debitsPosted: 0,
  creditsPosted: 0,
  debitsPending: 0,
  creditsPending: 0,
  available: 0,
});

/** Balances of `accountIds` in `store` at `now` (one query; none when there are no ids). */
async function balancesOf(ctx: EngineContext, store: SeshnStore, accountIds: string[], now: number) {
  if (accountIds.length === 0) return new Map<string, AccountBalance>();
  const balances = await store.getBalances(ctx.scope, { accountIds: [...new Set(accountIds)], now });
  return new Map(balances.map((b) => [b.accountId, b]));
}

/**
 * Writes the debits of freshly reserved `bookings` in `tx` (after the reserve: slots, then
 * accounts), re-checks a membership's period limit under the account lock, and enqueues
 * `entitlement.debited`. Throws `insufficient_credits` (the caller's transaction rolls back, the
 * bookings with it). Returns each booking's credits for its view.
 */
export async function debitBookings(
  ctx: EngineContext,
  tx: SeshnStore,
  plan: CreditPlan,
  bookings: readonly BookingRecord[],
  /** Events of the caller to write in the same `enqueue` (one statement fewer under the lock). */
  withEvents: readonly EventRecord[] = [],
): Promise<Map<string, BookingCredits>> {
  const out = new Map<string, BookingCredits>();
  if (bookings.length === 0) return out;
  const e = plan.entitlement;
  const { transfers, now } = await tx
    .postTransfers(ctx.scope, { now: ctx.now, transfers: debitItems(plan, bookings) })
    .catch((error: unknown) => {
      // The balance checked under the lock: said for the whole booking (or series), not per transfer.
      if (!(error instanceof SeshnError) || error.code !== 'insufficient_credits') throw error;
      const path = String(error.details.path ?? '');
      const index = Number(/^transfers\[(\d+)\]/.exec(path)?.[1] ?? 0);
      const available = Number(error.details.available ?? 0) + index * plan.amount;
      throw new SeshnError('insufficient_credits', `Entitlement ${e.id} has ${available} credits available`, {
        entitlementId: e.id,
        reason: 'exhausted',
        available,
        needed: plan.amount * bookings.length,
      });
    });
  // An unlimited membership revoked since it was chosen (its account is locked now). A pack or
  // pass needs no re-read: a revoke empties its account, so its debit was refused above, and it
  // was chosen valid at the session's start, which is after `now`.
  const fresh = e.credits === null ? ((await tx.get('entitlement', ctx.scope, e.id)) ?? e) : e;
  if (fresh.status !== 'active' || (fresh.expiresAt !== null && fresh.expiresAt <= now)) {
    throw new SeshnError(
      'insufficient_credits',
      `Entitlement ${e.id} is ${fresh.status === 'active' ? 'expired' : fresh.status}`,
      {
        entitlementId: e.id,
        reason: fresh.status === 'active' ? 'expired' : fresh.status,
      },
    );
  }
  const remaining = new Map<string, number | null>();
  const limit = limitOf(e);
  // Read under the account lock: exactly what this debit left.
  const balance = (await balancesOf(ctx, tx, [e.accountId], now)).get(e.accountId) ?? ZERO(e.accountId);
  if (e.credits !== null) {
    for (const b of bookings) remaining.set(b.id, balance.available);
  } else if (limit !== null && e.period) {
    const periods = new Map<number, { end: number; ids: string[] }>();
    for (const b of bookings) {
      const { start, end } = periodBounds(b.startTime, e.period.every, plan.timezone);
      const p = periods.get(start) ?? { end, ids: [] };
      p.ids.push(b.id);
      periods.set(start, p);
    }
    for (const [start, { end, ids }] of periods) {
      const used = await periodUsage(ctx, tx, e, start, end, now);
      if (used > limit) {
        throw new SeshnError(
          'insufficient_credits',
          `Entitlement ${e.id} allows ${limit} bookings per ${e.period.every}`,
          { entitlementId: e.id, reason: 'period_limit', limit, used: used - ids.length, needed: ids.length },
        );
      }
      for (const id of ids) remaining.set(id, limit - used);
    }
  }
  const events: EventRecord[] = [...withEvents];
  transfers.forEach((t, i) => {
    const b = bookings[i]!;
    const left = remaining.get(b.id) ?? null;
    out.set(b.id, { used: t.amount, remaining: left });
    events.push(entitlementEvent(ctx, 'entitlement.debited', fresh, balance, now, transferFacts(t)));
  });
  await tx.enqueue(ctx.scope, events);
  return out;
}

/**
 * A booking of a period-limited membership moved into another period takes a place there: in the
 * move's transaction (after its resource locks), the entitlement's account is locked by replaying
 * the booking's own debit (a no-op write that takes the lock), then the new period is counted with
 * the moved booking in it. Throws `insufficient_credits` (`period_limit`) and the move rolls back.
 */
export async function checkMovedPeriod(
  ctx: EngineContext,
  tx: SeshnStore,
  e: EntitlementRecord,
  before: BookingRecord,
  moved: BookingRecord,
  timezone: string,
  now: number,
): Promise<void> {
  const limit = limitOf(e);
  if (limit === null || !e.period) return;
  const from = periodBounds(before.startTime, e.period.every, timezone);
  const to = periodBounds(moved.startTime, e.period.every, timezone);
  if (from.start === to.start) return;
  const debit = await tx.get('transfer', ctx.scope, debitTransferId(moved.id));
  if (!debit || creditInUse(debit, false, now) === 0) return;
  await tx.postTransfers(ctx.scope, {
    now,
    transfers: [
      {
        id: debit.id,
        debitAccountId: debit.debitAccountId,
        creditAccountId: debit.creditAccountId,
        amount: debit.amount,
        code: debit.code,
        entitlementId: debit.entitlementId,
        bookingId: debit.bookingId,
        metadata: debit.metadata,
        pendingUntil: debit.expiresAt,
      },
    ],
  });
  const used = await periodUsage(ctx, tx, e, to.start, to.end, now);
  if (used > limit) {
    throw new SeshnError(
      'insufficient_credits',
      `Entitlement ${e.id} allows ${limit} bookings per ${e.period.every}`,
      {
        entitlementId: e.id,
        reason: 'period_limit',
        limit,
        used: used - 1,
        needed: 1,
      },
    );
  }
}

/** The entitlements of `bookings` (those paid with credits), by id. */
export async function entitlementsOf(
  ctx: EngineContext,
  store: SeshnStore,
  bookings: readonly BookingRecord[],
): Promise<Map<string, EntitlementRecord>> {
  const ids = [...new Set(bookings.map((b) => b.entitlementId).filter((x): x is string => x !== null))];
  if (ids.length === 0) return new Map();
  return new Map((await store.getMany('entitlement', ctx.scope, ids)).map((e) => [e.id, e]));
}

/**
 * Confirms the credits of confirmed holds in `tx`, at the instant the confirm judged the holds
 * (`now`, read under the reservation locks): posts each pending debit, then checks that no
 * limited account is overdrawn by what is posted. A server whose clock saw the hold lapse may
 * have spent the credit meanwhile; then this confirm is refused (`insufficient_credits`) and its
 * transaction rolls back, so the credit is spent once.
 */
export async function postDebits(
  ctx: EngineContext,
  tx: SeshnStore,
  bookings: readonly BookingRecord[],
  entitlements: ReadonlyMap<string, EntitlementRecord>,
  now: number,
): Promise<void> {
  const paid = bookings.filter((b) => b.entitlementId !== null);
  if (paid.length === 0) return;
  const { transfers } = await tx
    .postTransfers(ctx.scope, {
      now,
      transfers: paid.map((b) => ({ action: 'post' as const, id: debitTransferId(b.id) })),
    })
    .catch((error: unknown) => {
      // Another server whose clock saw the hold lapse has already settled its pending debit as
      // voided (and may have spent the credit): the hold has no credit left to keep.
      if (!(error instanceof SeshnError) || error.code !== 'invalid_state') throw error;
      throw new SeshnError('insufficient_credits', 'The credits of this hold were released after it lapsed', {
        entitlementId: paid[0]!.entitlementId,
        reason: 'credits_taken',
        transferId: error.details.id,
      });
    });
  const accounts = [...new Set(transfers.map((t) => t.debitAccountId))];
  const balances = await balancesOf(ctx, tx, accounts, now);
  for (const t of transfers) {
    const e = entitlements.get(t.entitlementId);
    const b = balances.get(t.debitAccountId);
    if (e && e.credits !== null && b && b.creditsPosted - b.debitsPosted < 0) {
      throw new SeshnError('insufficient_credits', 'The credits of this hold were spent after it lapsed', {
        entitlementId: e.id,
        reason: 'credits_taken',
        available: b.available,
        needed: b.debitsPosted - b.creditsPosted,
      });
    }
  }
  const events = transfers.flatMap((t) => {
    const e = entitlements.get(t.entitlementId);
    const b = balances.get(t.debitAccountId) ?? ZERO(t.debitAccountId);
    return e ? [entitlementEvent(ctx, 'entitlement.debited', e, b, now, transferFacts(t))] : [];
  });
  if (events.length > 0) await tx.enqueue(ctx.scope, events);
}

/** Whether a cancel at `now` is early enough for the credit to come back. */
export function returnsCredit(b: BookingRecord, debit: TransferRecord, now: number): boolean {
  const m = debit.metadata.returnCreditsUntilMinutesBefore;
  const minutes = typeof m === 'number' && Number.isFinite(m) ? m : 0;
  return now <= b.startTime - minutes * MINUTE;
}

/**
 * Gives back the credits of `cancelled` bookings in `tx`, at the instant the release ran: a
 * pending debit is voided; a posted one is returned by a new transfer when the cancel is inside
 * the policy snapshotted on the debit; a late cancel keeps it. Enqueues `entitlement.credited`.
 */
export async function refundCancelled(
  ctx: EngineContext,
  tx: SeshnStore,
  cancelled: readonly BookingRecord[],
  now: number,
): Promise<Map<string, BookingCredits>> {
  const out = new Map<string, BookingCredits>();
  const paid = cancelled.filter((b) => b.entitlementId !== null);
  if (paid.length === 0) return out;
  const stored = await tx.getMany(
    'transfer',
    ctx.scope,
    paid.flatMap((b) => [debitTransferId(b.id), returnTransferId(b.id)]),
  );
  const byId = new Map(stored.map((t) => [t.id, t]));
  const items: TransferItem[] = [];
  const kept = new Map<string, number>();
  for (const b of paid) {
    const debit = byId.get(debitTransferId(b.id));
    if (!debit || byId.has(returnTransferId(b.id))) continue;
    const status = effectiveTransferStatus(debit, now);
    if (status === 'pending') {
      items.push({ action: 'void', id: debit.id });
    } else if (status === 'posted' && returnsCredit(b, debit, now)) {
      items.push({
        id: returnTransferId(b.id),
        debitAccountId: debit.creditAccountId,
        creditAccountId: debit.debitAccountId,
        amount: debit.amount,
        code: 'return',
        entitlementId: debit.entitlementId,
        bookingId: b.id,
        metadata: {},
      });
    } else if (status === 'posted') {
      kept.set(b.id, debit.amount);
    }
  }
  const entitlements = await entitlementsOf(ctx, tx, paid);
  let transfers: TransferRecord[] = [];
  if (items.length > 0) {
    transfers = (await tx.postTransfers(ctx.scope, { now, transfers: items })).transfers;
  }
  const balances = await balancesOf(
    ctx,
    tx,
    [...entitlements.values()].map((e) => e.accountId),
    now,
  );
  const left = (b: BookingRecord) => {
    const e = entitlements.get(b.entitlementId!);
    return e && e.credits !== null ? (balances.get(e.accountId)?.available ?? null) : null;
  };
  for (const b of paid) out.set(b.id, { used: kept.get(b.id) ?? 0, remaining: left(b) });
  const events = transfers.flatMap((t) => {
    const e = entitlements.get(t.entitlementId);
    if (!e) return [];
    const b = balances.get(e.accountId) ?? ZERO(e.accountId);
    return [
      entitlementEvent(ctx, 'entitlement.credited', e, b, now, {
        ...transferFacts(t),
        reason: t.code === 'return' ? 'returned' : 'voided',
      }),
    ];
  });
  if (events.length > 0) await tx.enqueue(ctx.scope, events);
  return out;
}

/**
 * The credits of each booking paid with credits, read at `now` (for `get`, `list` and the other
 * results): what it holds (its debit, unless voided, lapsed or returned) and what its entitlement
 * has left. Bookings without credits are left out; no query is made when there are none.
 */
export async function creditSummaries(
  ctx: EngineContext,
  store: SeshnStore,
  bookings: readonly BookingRecord[],
  now: number,
): Promise<Map<string, BookingCredits>> {
  const out = new Map<string, BookingCredits>();
  const paid = bookings.filter((b) => b.entitlementId !== null);
  if (paid.length === 0) return out;
  const [transfers, entitlements] = await Promise.all([
    store.getMany(
      'transfer',
      ctx.scope,
      paid.flatMap((b) => [debitTransferId(b.id), returnTransferId(b.id)]),
    ),
    entitlementsOf(ctx, store, paid),
  ]);
  const byId = new Map(transfers.map((t) => [t.id, t]));
  const limited = [...entitlements.values()].filter((e) => e.credits !== null);
  const balances = await balancesOf(
    ctx,
    store,
    limited.map((e) => e.accountId),
    now,
  );
  for (const b of paid) {
    const used = creditInUse(byId.get(debitTransferId(b.id)), byId.has(returnTransferId(b.id)), now);
    const e = entitlements.get(b.entitlementId!);
    let remaining: number | null = null;
    if (e && e.credits !== null) remaining = balances.get(e.accountId)?.available ?? null;
    else if (e?.period && limitOf(e) !== null) {
      const resource = await store.get('resource', ctx.scope, b.resourceId);
      const { start, end } = periodBounds(b.startTime, e.period.every, resource?.timezone ?? 'UTC');
      remaining = limitOf(e)! - (await periodUsage(ctx, store, e, start, end, now));
    }
    out.set(b.id, { used, remaining });
  }
  return out;
}
