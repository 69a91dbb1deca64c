/**
 * `seshn.waitlist` and the promotion of waiting entries into freed seats (invariant 5).
 *
 * Freed seats reach the queue in the transaction that frees them: `afterRelease` runs inside
 * every release (cancel, expiry, a move away, a leave) and `promoteQueues` books the entries the
 * seats now fit, by position, under the resource locks the release already holds. A hold that
 * lapses frees its seats with no write at all, so the reservation check itself keeps a slot's
 * free seats for its waiting entries (`ReserveItem.strictWaitlist`, core's `checkReservation`):
 * a newcomer cannot take them before the work runner (or the next write) promotes.
 *
 * Lock order: `readQueues({ lock: true })` takes the slots' resource rows (step 1) before any
 * entry is read or written, then `reserve`, then (credits) the account rows — slots → accounts,
 * as every booking path.
 * @module
 */

import { checkReservation } from '../booking/reservation-check.js';
import { decodeSlotId, encodeSlotId, slotKey } from '../booking/slot-id.js';
import { SeshnError } from '../errors/seshn-error.js';
import type {
  BookingRecord,
  EventRecord,
  OccupationRecord,
  ReserveItem,
  SeshnAdapter,
  SeshnStore,
  WaitlistEntryRecord,
  WaitlistSlot,
} from '../ports/adapter.js';
import type { UseCredits } from '../schema/booking.js';
import { idSchema } from '../schema/common.js';
import type { WaitlistEntry } from '../schema/objects.js';
import { parseInput } from '../schema/parse.js';
import {
  type WaitlistJoinInput,
  WaitlistJoinSchema,
  type WaitlistListInput,
  WaitlistListSchema,
} from '../schema/waitlist.js';
import { toIso } from '../time/zone.js';
import { newcomerRoom, serveQueue } from '../waitlist/index.js';
import { loadServicePool } from './availability.js';
import { type CreditPlan, debitBookings, planCredits } from './booking-credits.js';
import { assertStaticSlot, planBooking } from './bookings.js';
import type { EngineContext } from './context.js';
import { checkCursor } from './cursor.js';
import { listAll } from './list-all.js';
import { resolveDuration, serviceConfig } from './service-rules.js';
import { bookingView } from './views.js';

const MINUTE = 60_000;
const IdSchema = idSchema('waitlistEntry');

/** How an entry pays when promoted, as stored (`null`, `'auto'` or an entitlement id). */
const storedCredits = (use: UseCredits | undefined): string | null =>
  use === undefined || use === false ? null : use === true ? 'auto' : use.entitlementId;
const creditsOf = (stored: string | null): UseCredits | undefined =>
  stored === null ? undefined : stored === 'auto' ? true : { entitlementId: stored };

/** The entry as the API returns it; `position` is its place among the waiting (1-based). */
export function entryView(
  e: WaitlistEntryRecord,
  now: number,
  position: number | null = null,
): WaitlistEntry {
  const started = e.status === 'waiting' && e.startTime <= now;
  return {
    id: e.id,
    object: 'waitlist_entry',
    status: started ? 'expired' : e.status,
    position: started || e.status !== 'waiting' ? null : position,
    slotId: encodeSlotId({
      serviceId: e.serviceId,
      resourceId: e.resourceId,
      start: e.startTime,
      end: e.endTime,
    }),
    serviceId: e.serviceId,
    resourceId: e.resourceId,
    contactId: e.contactId,
    seats: e.seats,
    startTime: toIso(e.startTime),
    endTime: toIso(e.endTime),
    useCredits:
      e.useCredits === null ? null : e.useCredits === 'auto' ? true : { entitlementId: e.useCredits },
    bookingId: e.bookingId,
    reason: started ? 'slot_started' : e.reason,
    notes: e.notes,
    metadata: e.metadata,
    promotedAt: e.promotedAt === null ? null : toIso(e.promotedAt),
    createdAt: toIso(e.createdAt),
    updatedAt: toIso(e.updatedAt),
  };
}

function entryEvent(
  ctx: EngineContext,
  type: string,
  e: WaitlistEntryRecord,
  now: number,
  position: number | null,
  extra: Record<string, unknown> = {},
): EventRecord {
  return { id: ctx.ids('evt'), type, data: { ...entryView(e, now, position), ...extra }, createdAt: now };
}

/** A promotion's credit debit was refused under the account lock (spent meanwhile elsewhere). */
class PromotionCreditsFailed extends Error {
  constructor(readonly entry: WaitlistEntryRecord) {
    super('waitlist promotion: credits refused');
  }
}

/** The engine context reading through `tx` (credit planning inside a promotion's transaction). */
const inTransaction = (ctx: EngineContext, tx: SeshnStore): EngineContext => ({
  ...ctx,
  adapter: tx as SeshnAdapter,
});

/**
 * Runs `body` in one transaction that may promote waiting entries. A promotion whose credits
 * are refused at the account lock (spent between its plan and its debit) rolls the whole
 * transaction back; the entry is then taken off the queue (`expired`, `insufficient_credits`)
 * and `body` runs again, so a cancel never fails because of someone else's credits.
 */
export async function withPromotion<T>(ctx: EngineContext, body: (tx: SeshnStore) => Promise<T>): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await ctx.adapter.transaction(body);
    } catch (error) {
      if (!(error instanceof PromotionCreditsFailed) || attempt >= 5) throw error;
      const failed = error.entry;
      await ctx.adapter.transaction(async (tx) => {
        const { now, queues } = await tx.readQueues(ctx.scope, {
          slots: [{ resourceId: failed.resourceId, slotKey: failed.slotKey }],
          now: ctx.now,
          lock: true,
        });
        const e = queues[0]?.waiting.find((w) => w.id === failed.id);
        if (e) await dropEntry(ctx, tx, e, 'insufficient_credits', now);
      });
    }
  }
}

/** Takes a waiting entry off its queue (its credits could not pay), with its `waitlist.left`. */
async function dropEntry(
  ctx: EngineContext,
  tx: SeshnStore,
  e: WaitlistEntryRecord,
  reason: string,
  now: number,
): Promise<void> {
  const next: WaitlistEntryRecord = { ...e, status: 'expired', reason, updatedAt: now };
  await tx.update('waitlistEntry', ctx.scope, next);
  await tx.enqueue(ctx.scope, [entryEvent(ctx, 'waitlist.left', next, now, null, { reason })]);
}

export interface PromotionOutcome {
  promoted: number;
  expiredOffers: number;
}

/**
 * Books the waiting entries of `slots` that the free seats now fit, by position and by the
 * service's policy, in `tx` (see the module comment for the locks). `auto_book`: a confirmed
 * booking, or a hold when the entry pays with credits (its debit pending with the hold);
 * `offer`: a hold for `offerTtlSeconds`. An entry that does not fit stays waiting.
 */
export async function promoteQueues(
  ctx: EngineContext,
  tx: SeshnStore,
  slots: readonly WaitlistSlot[],
): Promise<number> {
  if (slots.length === 0) return 0;
  const scope = ctx.scope;
  const { now, queues } = await tx.readQueues(scope, { slots: [...slots], now: ctx.now, lock: true });
  let promoted = 0;
  for (const q of queues) {
    if (q.waiting.length === 0) continue;
    const head = q.waiting[0]!;
    const [service, resource] = await Promise.all([
      tx.get('service', scope, head.serviceId),
      tx.get('resource', scope, q.resourceId),
    ]);
    if (!service || !resource) continue;
    const config = serviceConfig(service);
    const policy = config.waitlist?.policy ?? 'auto_book';
    const strict = config.waitlist?.strictOrder === true;
    const ttlMs = (config.waitlist?.offerTtlSeconds ?? config.holdTtlSeconds) * 1000;
    const latestHold = head.startTime - (config.holdCutoffMinutes ?? 0) * MINUTE;
    const txCtx = inTransaction(ctx, tx);
    const items: ReserveItem[] = [];
    const byBooking = new Map<string, { entry: WaitlistEntryRecord; credit: CreditPlan | null }>();
    // The entries the free seats reach, by the service's order: only those are planned (and
    // their credits checked); one that cannot pay leaves the queue and the next may move up.
    const occupations = await tx.listOccupations(
      scope,
      [q.resourceId],
      head.occupiedStart,
      head.occupiedEnd,
      now,
    );
    const sold = seatsBooked(occupations, q.slotKey);
    let waiting = q.waiting;
    for (let changed = true; changed; ) {
      changed = false;
      const dropped = new Set<string>();
      items.length = 0;
      byBooking.clear();
      const reached = new Set(serveQueue(config.capacity - sold, waiting, strict).served);
      for (const e of waiting) {
        if (!reached.has(e.id)) continue;
        const useCredits = creditsOf(e.useCredits);
        const held = policy === 'offer' || useCredits !== undefined;
        if (held && latestHold <= now) {
          // Too close to the start to hold seats for anyone: its turn has passed, and its seats
          // go to those behind it (or, past the queue, to newcomers).
          await dropEntry(ctx, tx, e, 'hold_cutoff', now);
          dropped.add(e.id);
          changed = true;
          continue;
        }
        let credit: CreditPlan | null = null;
        if (useCredits !== undefined) {
          try {
            credit = await planCredits(txCtx, {
              useCredits,
              contactId: e.contactId,
              service,
              seats: e.seats,
              starts: [e.startTime],
              timezone: resource.timezone,
              now,
            });
          } catch (error) {
            if (
              !(error instanceof SeshnError) ||
              (error.code !== 'insufficient_credits' && error.code !== 'not_found')
            )
              throw error;
            // Off the queue before the reserve reads it: its seats no longer count as demand.
            await dropEntry(ctx, tx, e, 'insufficient_credits', now);
            dropped.add(e.id);
            changed = true;
            continue;
          }
        }
        const planned = planBooking(ctx, service, resource, e.startTime, (e.endTime - e.startTime) / MINUTE, {
          seats: e.seats,
          contactId: e.contactId,
          now,
          status: held ? 'held' : 'confirmed',
          expiresAt: held ? Math.min(now + ttlMs, latestHold) : null,
          notes: e.notes,
          metadata: e.metadata,
        });
        if (credit) planned.record.entitlementId = credit.entitlement.id;
        items.push({
          booking: planned.record,
          capacity: config.capacity,
          strictWaitlist: strict,
          promotes: { entryId: e.id, position: e.position },
        });
        byBooking.set(planned.record.id, { entry: e, credit });
      }
      waiting = waiting.filter((e) => !dropped.has(e.id));
    }
    if (items.length === 0) continue;
    const result = await tx.reserve(scope, { now, items, policy: 'skip' });
    if (!result.ok) continue;
    const events: EventRecord[] = [];
    for (const booking of result.bookings) {
      const { entry, credit } = byBooking.get(booking.id)!;
      let credits = null;
      if (credit) {
        try {
          credits = (await debitBookings(txCtx, tx, credit, [booking])).get(booking.id) ?? null;
        } catch (error) {
          if (error instanceof SeshnError && error.code === 'insufficient_credits') {
            throw new PromotionCreditsFailed(entry);
          }
          throw error;
        }
      }
      const next: WaitlistEntryRecord = {
        ...entry,
        status: 'promoted',
        bookingId: booking.id,
        promotedAt: now,
        updatedAt: now,
      };
      await tx.update('waitlistEntry', scope, next);
      const view = credits ? { ...bookingView(booking, now), credits } : bookingView(booking, now);
      events.push(
        { id: ctx.ids('evt'), type: 'booking.created', data: view, createdAt: now },
        {
          id: ctx.ids('evt'),
          type: booking.status === 'held' ? 'booking.held' : 'booking.confirmed',
          data: view,
          createdAt: now,
        },
        entryEvent(ctx, 'waitlist.promoted', next, now, null, { policy, booking: view }),
      );
      promoted += 1;
    }
    if (events.length > 0) await tx.enqueue(scope, events);
  }
  if (promoted > 0) ctx.logger.debug({ promoted }, `waitlist: ${promoted} promoted`);
  return promoted;
}

/** The distinct slots of `items` (bookings or waitlist entries), in first-seen order. */
export const slotsOf = (items: readonly WaitlistSlot[]): WaitlistSlot[] => {
  const seen = new Map<string, WaitlistSlot>();
  for (const i of items)
    seen.set(`${i.resourceId}\n${i.slotKey}`, { resourceId: i.resourceId, slotKey: i.slotKey });
  return [...seen.values()];
};

/** Seats the `booking` occupations of one slot hold (confirmed and live holds). */
const seatsBooked = (occupations: readonly OccupationRecord[], key: string): number =>
  occupations.filter((o) => o.kind === 'booking' && o.slotKey === key).reduce((n, o) => n + o.seats, 0);

/**
 * What follows a release in its transaction: offers among the `expired` bookings lapse
 * (`waitlist.offer_expired`), then the freed slots promote their queues.
 */
export async function afterRelease(
  ctx: EngineContext,
  tx: SeshnStore,
  released: readonly BookingRecord[],
  now: number,
): Promise<PromotionOutcome> {
  if (released.length === 0) return { promoted: 0, expiredOffers: 0 };
  let expiredOffers = 0;
  const expired = released.filter((b) => b.status === 'expired').map((b) => b.id);
  if (expired.length > 0) {
    const offers = await tx.list(
      'waitlistEntry',
      ctx.scope,
      { bookingIds: expired, status: 'promoted' },
      { limit: expired.length },
    );
    if (offers.data.length > 0) {
      const events: EventRecord[] = [];
      for (const e of offers.data) {
        const next: WaitlistEntryRecord = { ...e, status: 'expired', reason: 'offer_lapsed', updatedAt: now };
        await tx.update('waitlistEntry', ctx.scope, next);
        events.push(entryEvent(ctx, 'waitlist.offer_expired', next, now, null));
      }
      await tx.enqueue(ctx.scope, events);
      expiredOffers = offers.data.length;
    }
  }
  const promoted = await promoteQueues(ctx, tx, slotsOf(released));
  return { promoted, expiredOffers };
}

/** Positions (1-based among the waiting) of the waiting entries of `entries`' slots. */
async function positionsOf(
  ctx: EngineContext,
  entries: readonly WaitlistEntryRecord[],
  now: number,
): Promise<Map<string, number>> {
  const waiting = entries.filter((e) => e.status === 'waiting' && e.startTime > now);
  const out = new Map<string, number>();
  if (waiting.length === 0) return out;
  const { queues } = await ctx.adapter.readQueues(ctx.scope, { slots: slotsOf(waiting), now });
  for (const q of queues) {
    q.waiting.forEach((e, i) => {
      out.set(e.id, i + 1);
    });
  }
  return out;
}

export function waitlistApi(ctx: EngineContext) {
  const scope = ctx.scope;

  async function load(id: unknown): Promise<WaitlistEntryRecord> {
    const entryId = parseInput(IdSchema, id, 'id');
    const e = await ctx.adapter.get('waitlistEntry', scope, entryId);
    if (!e) throw SeshnError.notFound('waitlist entry', entryId);
    return e;
  }

  async function view(e: WaitlistEntryRecord): Promise<WaitlistEntry> {
    const now = ctx.now();
    return entryView(e, now, (await positionsOf(ctx, [e], now)).get(e.id) ?? null);
  }

  return {
    /**
     * Joins the queue of a full slot. A slot with room for `seats` is refused (`slot_available`:
     * book it instead); joining again while waiting returns the same entry.
     */
    async join(input: WaitlistJoinInput): Promise<WaitlistEntry> {
      const data = parseInput(WaitlistJoinSchema, input);
      const ref = decodeSlotId(data.slotId);
      const now = ctx.now();
      const [{ service, resources }, contact] = await Promise.all([
        loadServicePool(ctx, ref.serviceId, ref.resourceId),
        ctx.adapter.get('contact', scope, data.contactId),
      ]);
      if (!contact) throw SeshnError.notFound('contact', data.contactId, { field: 'contactId' });
      const resource = resources[0];
      if (service.archivedAt !== null || !resource) {
        throw new SeshnError('invalid_state', 'This service is archived', { serviceId: service.id });
      }
      const config = serviceConfig(service);
      if (data.seats > config.capacity) {
        throw SeshnError.validation([
          { path: 'seats', message: `The slot has ${config.capacity} seats in all` },
        ]);
      }
      if (ref.start <= now) {
        throw new SeshnError('slot_unavailable', 'This session has already started', {
          reason: 'slot_started',
          startTime: toIso(ref.start),
        });
      }
      const duration = resolveDuration(service, (ref.end - ref.start) / MINUTE);
      assertStaticSlot(service, resource, ref.start, duration, data.seats, now);
      // The would-be booking, to ask the reservation check whether a newcomer gets in now.
      const probe = planBooking(ctx, service, resource, ref.start, duration, {
        seats: data.seats,
        contactId: contact.id,
        now,
        status: 'confirmed',
        expiresAt: null,
        notes: null,
        metadata: {},
      });
      const strict = config.waitlist?.strictOrder === true;
      const outcome = await ctx.adapter.transaction(async (tx) => {
        const slot = { resourceId: resource.id, slotKey: probe.record.slotKey };
        const { now: at, queues } = await tx.readQueues(scope, { slots: [slot], now: ctx.now, lock: true });
        const queue = queues[0]!;
        const mine = queue.waiting.findIndex((e) => e.contactId === contact.id);
        if (mine >= 0) return { entry: queue.waiting[mine]!, position: mine + 1, at };
        const occupations = await tx.listOccupations(
          scope,
          [resource.id],
          probe.record.occupiedStart,
          probe.record.occupiedEnd,
          at,
        );
        const verdict = checkReservation(
          [{ booking: probe.record, capacity: config.capacity, strictWaitlist: strict }],
          occupations,
        );
        if (verdict.accepted.length > 0) {
          const sold = seatsBooked(occupations, probe.record.slotKey);
          const queue = occupations
            .filter((o) => o.kind === 'waiting' && o.slotKey === probe.record.slotKey)
            .map((o) => ({ id: o.id, seats: o.seats, position: o.position ?? 0 }));
          return { available: newcomerRoom(config.capacity - sold, queue, strict), at };
        }
        const conflict = verdict.conflicts[0];
        if (conflict && conflict.reason !== 'full') {
          throw new SeshnError('slot_unavailable', 'The resource is not free at this time', {
            reason: conflict.reason,
            conflicts: verdict.conflicts,
          });
        }
        const entry: WaitlistEntryRecord = {
          id: ctx.ids('wl'),
          serviceId: service.id,
          resourceId: resource.id,
          contactId: contact.id,
          slotKey: probe.record.slotKey,
          startTime: probe.record.startTime,
          endTime: probe.record.endTime,
          occupiedStart: probe.record.occupiedStart,
          occupiedEnd: probe.record.occupiedEnd,
          seats: data.seats,
          position: queue.lastPosition + 1,
          status: 'waiting',
          useCredits: storedCredits(data.useCredits),
          bookingId: null,
          reason: null,
          notes: data.notes ?? null,
          metadata: data.metadata,
          promotedAt: null,
          createdAt: at,
          updatedAt: at,
        };
        const position = queue.waiting.length + 1;
        await tx.insert('waitlistEntry', scope, entry);
        await tx.enqueue(scope, [entryEvent(ctx, 'waitlist.joined', entry, at, position)]);
        return { entry, position, at };
      });
      if ('available' in outcome) {
        throw new SeshnError(
          'slot_available',
          'This slot has room: book it instead of joining its waitlist',
          {
            slotId: data.slotId,
            seats: data.seats,
            remaining: outcome.available,
            operation: 'bookings.create',
          },
        );
      }
      return entryView(outcome.entry, outcome.at, outcome.position);
    },

    /** Leaves the queue; the entries behind move up, and get the seats they now fit. */
    async leave(id: string): Promise<WaitlistEntry> {
      const current = await load(id);
      const outcome = await withPromotion(ctx, async (tx) => {
        const { now, queues } = await tx.readQueues(scope, {
          slots: [{ resourceId: current.resourceId, slotKey: current.slotKey }],
          now: ctx.now,
          lock: true,
        });
        const e = queues[0]?.waiting.find((w) => w.id === current.id);
        if (!e) return null;
        const next: WaitlistEntryRecord = { ...e, status: 'left', reason: 'left', updatedAt: now };
        await tx.update('waitlistEntry', scope, next);
        await tx.enqueue(scope, [entryEvent(ctx, 'waitlist.left', next, now, null, { reason: 'left' })]);
        await promoteQueues(ctx, tx, [{ resourceId: e.resourceId, slotKey: e.slotKey }]);
        return { next, now };
      });
      if (outcome) return entryView(outcome.next, outcome.now);
      const fresh = await load(current.id);
      const v = entryView(fresh, ctx.now());
      throw new SeshnError('invalid_state', `Cannot leave a waitlist entry that is ${v.status}`, {
        id: fresh.id,
        status: v.status,
        reason: 'not_waiting',
      });
    },

    async get(id: string): Promise<WaitlistEntry> {
      return view(await load(id));
    },

    /** The queue of one slot (`slotId`, in join order) or a contact's entries (`contactId`). */
    async list(params: WaitlistListInput) {
      const p = parseInput(WaitlistListSchema, params);
      await checkCursor(ctx, 'waitlistEntry', p.startingAfter);
      const now = ctx.now();
      if ('slotId' in p) {
        // The queue in its order (position), which ids only approximate: the slot's entries are
        // read whole (a queue is short next to a page of bookings) and paged here.
        const ref = decodeSlotId(p.slotId);
        const all = await listAll(ctx.adapter, 'waitlistEntry', scope, {
          resourceId: ref.resourceId,
          slotKey: slotKey(ref),
          status: p.status,
        });
        all.sort((a, b) => a.position - b.position);
        const from = p.startingAfter === undefined ? 0 : all.findIndex((e) => e.id === p.startingAfter) + 1;
        const data = all.slice(from, from + p.limit);
        const positions = await positionsOf(ctx, data, now);
        return {
          data: data.map((e) => entryView(e, now, positions.get(e.id) ?? null)),
          hasMore: from + p.limit < all.length,
        };
      }
      const page = await ctx.adapter.list(
        'waitlistEntry',
        scope,
        { contactId: p.contactId, status: p.status },
        { limit: p.limit, startingAfter: p.startingAfter },
      );
      const positions = await positionsOf(ctx, page.data, now);
      return {
        data: page.data.map((e) => entryView(e, now, positions.get(e.id) ?? null)),
        hasMore: page.hasMore,
      };
    },
  };
}
