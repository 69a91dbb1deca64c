/**
 * `seshn.bookings`: the booking lifecycle. Each operation validates, reads what it depends on,
 * lets the pure engines decide (slot rules, price), then commits one adapter transaction that
 * reserves seats and appends its events (docs/architecture.md, "What happens when you book").
 * @module
 */
import type { z } from 'zod';
import { explainStarts } from '../availability/index.js';
import { decodeSlotId, slotKey } from '../booking/slot-id.js';
import { SeshnError } from '../errors/seshn-error.js';
import type {
  BookingRecord,
  EventRecord,
  ReserveConflict,
  ResourceRecord,
  ServiceRecord,
  SeshnStore,
} from '../ports/adapter.js';
import { quotePrice } from '../pricing/index.js';
import {
  type Booking,
  BookingCancelSchema,
  type BookingCreateInput,
  BookingCreateSchema,
  type BookingListInput,
  BookingListSchema,
  type BookingRescheduleInput,
  BookingRescheduleSchema,
  type BookingStatus,
} from '../schema/booking.js';
import { idSchema } from '../schema/common.js';
import { parseInput } from '../schema/parse.js';
import { toIso } from '../time/zone.js';
import { loadServicePool } from './availability.js';
import {
  checkMovedPeriod,
  creditSummaries,
  debitBookings,
  entitlementsOf,
  planCredits,
  postDebits,
  readEntitlements,
  refundCancelled,
} from './booking-credits.js';
import type { EngineContext } from './context.js';
import { checkCursor } from './cursor.js';
import { claimKey, idempotentRequest, priorResult } from './idempotency.js';
import { engineInput, resolveDuration, serviceConfig, sessionStartsFor } from './service-rules.js';
import { bookingView, effectiveStatus } from './views.js';
import { afterRelease, promoteQueues, withPromotion } from './waitlist.js';

const MINUTE = 60_000;
const IdSchema = idSchema('booking');

/** A requested slot before a resource is chosen. */
export interface SlotRequest {
  serviceId: string;
  resourceId: string | undefined;
  start: number;
  durationMinutes: number | undefined;
}

export interface PlannedBooking {
  service: ServiceRecord;
  resource: ResourceRecord;
  record: BookingRecord;
  capacity: number;
}

const CONFLICT_MESSAGES: Record<ReserveConflict['reason'], string> = {
  full: 'Not enough seats left in this slot',
  conflict: 'The resource is already booked at this time',
  buffer_conflict: "The slot's buffer overlaps another booking",
  allocation: 'The resource is blocked at this time',
};

export function conflictError(conflicts: ReserveConflict[], extra: Record<string, unknown> = {}): SeshnError {
  const first = conflicts[0];
  const message = first ? CONFLICT_MESSAGES[first.reason] : 'The slot is unavailable';
  return new SeshnError('slot_unavailable', message, {
    reason: first?.reason,
    ...(first?.remaining !== undefined ? { remaining: first.remaining } : {}),
    // Seats free but kept for the slot's waitlist: join it instead.
    ...(first?.waitlisted !== undefined ? { waitlisted: first.waitlisted } : {}),
    conflicts,
    ...extra,
  });
}

export function bookingEvent(
  ctx: EngineContext,
  type: string,
  booking: BookingRecord,
  now: number,
  extra: Record<string, unknown> = {},
): EventRecord {
  return { id: ctx.ids('evt'), type, data: { ...bookingView(booking, now), ...extra }, createdAt: now };
}

/**
 * Marks the lapsed holds among `ids` expired and writes `booking.expired` for each, in `tx`. The
 * store changes a row only while it is still stored as held, so the event is written once. The
 * freed seats go to the waitlist in the same transaction (an offer among them lapses).
 */
export async function recordExpiry(
  ctx: EngineContext,
  tx: SeshnStore,
  ids: string[],
  now: number,
): Promise<void> {
  const { released: expired } = await tx.release(ctx.scope, { now, bookingIds: ids, to: 'expired' });
  if (expired.length > 0) {
    await tx.enqueue(
      ctx.scope,
      expired.map((b) => bookingEvent(ctx, 'booking.expired', b, now)),
    );
    await afterRelease(ctx, tx, expired, now);
  }
}

/**
 * The "next write promotes" of invariant 5, for a slot whose free seats a lapsed hold left with
 * no write: the lapsed holds of the slot are marked expired (an offer among them lapses, with its
 * event), which promotes the queue; with none to mark, the queue is promoted as it is.
 */
async function promoteAfterLapse(ctx: EngineContext, slot: BookingRecord): Promise<void> {
  await withPromotion(ctx, async (tx) => {
    const now = ctx.now();
    const lapsed = await tx.list(
      'booking',
      ctx.scope,
      { resourceId: slot.resourceId, from: slot.startTime, to: slot.endTime, statuses: ['expired'], now },
      { limit: 100 },
    );
    const ids = lapsed.data.filter((b) => b.status === 'held' && b.slotKey === slot.slotKey).map((b) => b.id);
    if (ids.length > 0) await recordExpiry(ctx, tx, ids, now);
    else await promoteQueues(ctx, tx, [{ resourceId: slot.resourceId, slotKey: slot.slotKey }]);
  });
}

/**
 * The static rules of a slot (hours, grid, notice, horizon, session exists): checked before the
 * reservation, because they do not depend on other bookings. Seats and conflicts are the
 * adapter's atomic check. One start of {@link staticSlotReasonsMany}.
 */
export function staticSlotReasons(
  service: ServiceRecord,
  resource: ResourceRecord,
  start: number,
  duration: number,
  seats: number,
  now: number,
) {
  return staticSlotReasonsMany(service, resource, [start], duration, seats, now)[0]!;
}

/** {@link staticSlotReasons}, thrown as `slot_unavailable` (the first reason, and all of them). */
export function assertStaticSlot(
  service: ServiceRecord,
  resource: ResourceRecord,
  start: number,
  duration: number,
  seats: number,
  now: number,
): void {
  const reasons = staticSlotReasons(service, resource, start, duration, seats, now);
  if (reasons.length > 0) {
    throw new SeshnError('slot_unavailable', reasons[0]!.detail, { reason: reasons[0]!.code, reasons });
  }
}

/**
 * {@link staticSlotReasons} for many starts of one service on one resource (a series' occurrences),
 * element `i` for `starts[i]`: one engine input covering every start (class sessions expanded once
 * for that span), validated and prepared once, instead of once per start.
 * @example
 * const reasons = staticSlotReasonsMany(service, resource, starts, 60, 1, now);
 * const bad = starts.filter((_, i) => reasons[i]!.length > 0);
 */
export function staticSlotReasonsMany(
  service: ServiceRecord,
  resource: ResourceRecord,
  starts: readonly number[],
  duration: number,
  seats: number,
  now: number,
) {
  if (starts.length === 0) return [];
  let from = Number.POSITIVE_INFINITY;
  let last = Number.NEGATIVE_INFINITY;
  for (const s of starts) {
    if (s < from) from = s;
    if (s > last) last = s;
  }
  const durationMs = duration * MINUTE;
  const classSessions =
    serviceConfig(service).kind === 'class'
      ? { sessionStarts: sessionStartsFor(service, resource, starts, durationMs) }
      : {};
  const input = engineInput(service, resource, {
    durationMinutes: duration,
    seats,
    from,
    to: last + durationMs,
    now,
    occupations: [],
    ...classSessions,
  });
  return explainStarts(input, starts).map((e) => e.reasons.filter((r) => r.code !== 'full'));
}

export interface PlanOptions {
  seats: number;
  contactId: string;
  now: number;
  status: 'held' | 'confirmed';
  expiresAt: number | null;
  notes: string | null;
  metadata: Record<string, unknown>;
  seriesId?: string | null;
  occurrenceIndex?: number | null;
}

/** A booking record for `start` on `resource`, priced by the service. Pure apart from the id. */
export function planBooking(
  ctx: EngineContext,
  service: ServiceRecord,
  resource: ResourceRecord,
  start: number,
  duration: number,
  o: PlanOptions,
): PlannedBooking {
  const config = serviceConfig(service);
  const end = start + duration * MINUTE;
  const price = config.pricing
    ? quotePrice(config.pricing, { seats: o.seats, durationMinutes: duration })
    : null;
  return {
    service,
    resource,
    capacity: config.capacity,
    record: {
      id: ctx.ids('bkg'),
      serviceId: service.id,
      resourceId: resource.id,
      contactId: o.contactId,
      slotKey: slotKey({ serviceId: service.id, resourceId: resource.id, start, end }),
      startTime: start,
      endTime: end,
      occupiedStart: start - config.bufferBeforeMinutes * MINUTE,
      occupiedEnd: end + config.bufferAfterMinutes * MINUTE,
      seats: o.seats,
      status: o.status,
      attendance: 'pending',
      expiresAt: o.expiresAt,
      priceAmount: price?.amount ?? null,
      priceCurrency: price?.currency ?? null,
      seriesId: o.seriesId ?? null,
      occurrenceIndex: o.occurrenceIndex ?? null,
      entitlementId: null,
      notes: o.notes,
      metadata: o.metadata,
      cancellationReason: null,
      cancelledAt: null,
      createdAt: o.now,
      updatedAt: o.now,
    },
  };
}

/**
 * What every new booking (single or series) starts from: the live service and its pool (or the
 * asked resource), the contact, the duration the service allows, and the hold TTL in seconds
 * (`null` = confirm at once). Throws `not_found`, `invalid_state` (archived) or `slot_unavailable`.
 */
export async function loadBookingTarget(
  ctx: EngineContext,
  request: {
    serviceId: string;
    resourceId: string | undefined;
    contactId: string;
    durationMinutes: number | undefined;
    hold: boolean | { ttlSeconds: number };
  },
) {
  const [{ service, resources }, contact] = await Promise.all([
    loadServicePool(ctx, request.serviceId, request.resourceId),
    ctx.adapter.get('contact', ctx.scope, request.contactId),
  ]);
  if (!contact) throw SeshnError.notFound('contact', request.contactId);
  if (service.archivedAt !== null) {
    throw new SeshnError('invalid_state', 'This service is archived', { serviceId: service.id });
  }
  if (resources.length === 0) {
    throw new SeshnError('slot_unavailable', 'The service has no active resource', {
      reason: 'archived',
    });
  }
  const duration = resolveDuration(service, request.durationMinutes);
  const config = serviceConfig(service);
  const hold = request.hold;
  const holdTtl = hold === false ? null : hold === true ? config.holdTtlSeconds : hold.ttlSeconds;
  return { service, resources, contact, duration, holdTtl };
}

/** Resolves `{ slotId }` or `{ serviceId, startTime, endTime | durationMinutes, resourceId }`. */
function slotRequestOf(input: {
  slotId?: string;
  serviceId?: string;
  startTime?: Date;
  endTime?: Date | undefined;
  durationMinutes?: number | undefined;
  resourceId?: string | undefined;
}): SlotRequest {
  if (input.slotId !== undefined) {
    const ref = decodeSlotId(input.slotId);
    return {
      serviceId: ref.serviceId,
      resourceId: ref.resourceId,
      start: ref.start,
      durationMinutes: (ref.end - ref.start) / MINUTE,
    };
  }
  const start = input.startTime!.getTime();
  let durationMinutes = input.durationMinutes;
  if (input.endTime) {
    const ms = input.endTime.getTime() - start;
    if (ms % MINUTE !== 0)
      throw SeshnError.validation([{ path: 'endTime', message: 'A booking lasts whole minutes' }]);
    durationMinutes = ms / MINUTE;
  }
  return { serviceId: input.serviceId!, resourceId: input.resourceId, start, durationMinutes };
}

export function bookingsApi(ctx: EngineContext) {
  const scope = ctx.scope;

  async function load(id: unknown): Promise<BookingRecord> {
    const bookingId = parseInput(IdSchema, id, 'id');
    const b = await ctx.adapter.get('booking', scope, bookingId);
    if (!b) throw SeshnError.notFound('booking', bookingId);
    return b;
  }

  /**
   * Applies a guarded transition and its event in one transaction, with the clock read inside it.
   * When the guard fails the booking is re-read to say why (or to return it unchanged for
   * idempotent calls); a hold found lapsed is marked `expired` (and `booking.expired` written) in
   * that same transaction, once.
   */
  async function transition(
    id: unknown,
    write: (tx: SeshnStore, current: BookingRecord) => Promise<{ record: BookingRecord | null; now: number }>,
    eventType: string,
    onGuardFailed: (b: BookingRecord, status: BookingStatus, now: number) => Booking,
    eventExtra: Record<string, unknown> = {},
  ): Promise<Booking> {
    const current = await load(id);
    const { updated, now } = await withPromotion(ctx, async (tx) => {
      const { record: next, now } = await write(tx, current);
      if (next) await tx.enqueue(scope, [bookingEvent(ctx, eventType, next, now, eventExtra)]);
      else await recordExpiry(ctx, tx, [current.id], now);
      return { updated: next, now };
    });
    if (updated) return withCredits(updated, now);
    const fresh = await load(current.id);
    const answer = onGuardFailed(fresh, effectiveStatus(fresh, now), now);
    return fresh.entitlementId === null ? answer : withCredits(fresh, now);
  }

  /** The view of `b` with its credits read at `now` (no read for a booking without credits). */
  async function withCredits(b: BookingRecord, now: number): Promise<Booking> {
    if (b.entitlementId === null) return bookingView(b, now);
    const credits = await creditSummaries(ctx, ctx.adapter, [b], now);
    return bookingView(b, now, credits.get(b.id) ?? null);
  }

  const invalid = (b: BookingRecord, status: BookingStatus, action: string): never => {
    throw new SeshnError('invalid_state', `Cannot ${action} a booking that is ${status}`, {
      id: b.id,
      status,
    });
  };

  /**
   * Confirms a held booking. Confirming a confirmed booking returns it unchanged. The hold's
   * seats are checked again under the reservation locks with the clock read there: a hold that
   * lapsed, or whose seats a writer with a later clock already sold, is `invalid_state`.
   */
  async function confirm(id: string): Promise<Booking> {
    const current = await load(id);
    const before = effectiveStatus(current, ctx.now());
    if (before === 'confirmed') return withCredits(current, ctx.now());
    if (before === 'held' && ctx.now() >= current.startTime) {
      throw new SeshnError('invalid_state', 'Cannot confirm a hold after its slot has started', {
        id: current.id,
        status: before,
        reason: 'slot_started',
        startTime: toIso(current.startTime),
      });
    }
    const service = await ctx.adapter.get('service', scope, current.serviceId);
    const capacity = service ? serviceConfig(service).capacity : current.seats;
    const entitlements = await entitlementsOf(ctx, ctx.adapter, [current]);
    const outcome = await withPromotion(ctx, async (tx) => {
      const result = await tx.confirm(scope, {
        now: ctx.now,
        items: [{ bookingId: current.id, capacity }],
      });
      if (result.confirmed.length > 0) {
        // The credit is posted at the instant the hold was judged live, under the same locks.
        await postDebits(ctx, tx, result.confirmed, entitlements, result.now);
        await tx.enqueue(
          scope,
          result.confirmed.map((b) => bookingEvent(ctx, 'booking.confirmed', b, result.now)),
        );
      } else {
        await recordExpiry(ctx, tx, [current.id], result.now);
      }
      return result;
    });
    const done = outcome.confirmed[0];
    if (done) return withCredits(done, outcome.now);
    const refusal = outcome.refused[0];
    if (refusal?.reason === 'seats_taken') throw seatsTaken(refusal.booking, outcome.now, refusal.conflict);
    const fresh = await load(current.id);
    const status = effectiveStatus(fresh, outcome.now);
    if (status === 'confirmed') return withCredits(fresh, outcome.now);
    throw new SeshnError('invalid_state', `Cannot confirm a booking that is ${status}`, {
      id: fresh.id,
      status,
      ...(fresh.expiresAt !== null ? { expiresAt: toIso(fresh.expiresAt) } : {}),
    });
  }

  async function markAttendance(id: string, attendance: 'checked_in' | 'no_show'): Promise<Booking> {
    const current = await load(id);
    const service = await ctx.adapter.get('service', scope, current.serviceId);
    const rules = attendanceRules(service);
    const action = attendance === 'checked_in' ? 'check in' : 'mark as no-show';
    return transition(
      current.id,
      async (tx, b) => {
        const now = ctx.now();
        if (effectiveStatus(b, now) === 'confirmed' && b.attendance !== attendance) {
          checkAttendanceWindow(b, attendance, rules, now);
        }
        return { record: await tx.setAttendance(scope, { bookingId: b.id, attendance, now }), now };
      },
      attendance === 'checked_in' ? 'booking.checked_in' : 'booking.no_show',
      (b, status, now) =>
        status === 'confirmed' && b.attendance === attendance
          ? bookingView(b, now)
          : invalid(b, status, action),
    );
  }

  async function create(input: BookingCreateInput): Promise<Booking> {
    const data = parseInput(BookingCreateSchema, input);
    const request = slotRequestOf(data);
    const now = ctx.now();

    const idem = idempotentRequest('bookings.create', data);
    if (idem) {
      const prior = await priorResult(ctx.adapter, scope, idem);
      if (prior) return withCredits(await load(prior), ctx.now());
    }

    const [{ service, resources, contact, duration, holdTtl }, entitlements] = await Promise.all([
      loadBookingTarget(ctx, { ...request, contactId: data.contactId, hold: data.hold }),
      readEntitlements(ctx, data.useCredits, data.contactId),
    ]);
    // Which entitlement pays, read before the transaction; its debit is checked under the lock.
    const credit = await planCredits(ctx, {
      entitlements,
      useCredits: data.useCredits,
      contactId: contact.id,
      service,
      seats: data.seats,
      starts: [request.start],
      timezone: resources[0]!.timezone,
      now,
    });

    let lastConflicts: ReserveConflict[] = [];
    let staticReasons: { code: string; detail: string }[] | null = null;
    const strict = serviceConfig(service).waitlist?.strictOrder === true;
    // A booking without a resource takes the first resource of the pool that has room.
    for (const resource of resources) {
      const reasons = staticSlotReasons(service, resource, request.start, duration, data.seats, now);
      if (reasons.length > 0) {
        staticReasons ??= reasons;
        continue;
      }
      const planned = planBooking(ctx, service, resource, request.start, duration, {
        seats: data.seats,
        contactId: contact.id,
        now,
        status: holdTtl === null ? 'confirmed' : 'held',
        expiresAt: holdTtl === null ? null : holdExpiry(service, now, holdTtl, request.start),
        notes: data.notes ?? null,
        metadata: data.metadata,
      });
      if (credit) planned.record.entitlementId = credit.entitlement.id;
      // The view and the events are built before the transaction: under BEGIN IMMEDIATE (SQLite)
      // every other writer waits while this one holds the lock, so the lock covers SQL only.
      const view = bookingView(planned.record, now);
      const eventData: Record<string, unknown> = { ...view };
      const events: EventRecord[] = [
        { id: ctx.ids('evt'), type: 'booking.created', data: eventData, createdAt: now },
        {
          id: ctx.ids('evt'),
          type: planned.record.status === 'held' ? 'booking.held' : 'booking.confirmed',
          data: eventData,
          createdAt: now,
        },
      ];
      const outcome = await ctx.adapter
        .transaction(async (tx) => {
          if (idem && !(await claimKey(tx, scope, idem, planned.record.id, now))) {
            return { raced: true as const, credits: null };
          }
          // Events go in before reserve: on a database with row locks, reserve takes the
          // resource's lock, and everything after it lengthens the queue of every racer. A credit
          // booking writes them with its debit's event instead (one statement either way).
          if (!credit) await tx.enqueue(scope, events);
          const result = await tx.reserve(scope, {
            now: ctx.now,
            items: [{ booking: planned.record, capacity: planned.capacity, strictWaitlist: strict }],
          });
          if (!result.ok) {
            // Roll back the events, and the idempotency key must not stick to a failure.
            throw new ReservationFailed(result.conflicts);
          }
          // Slots, then accounts: the debit is written under the account lock after the reserve,
          // and a refusal (insufficient_credits) rolls the booking back with it.
          const credits = credit
            ? await debitBookings(
                ctx,
                tx,
                { ...credit, timezone: resource.timezone },
                [planned.record],
                events,
              )
            : null;
          return { raced: false as const, credits: credits?.get(planned.record.id) ?? null };
        })
        .catch((error) => {
          if (error instanceof ReservationFailed) return { conflicts: error.conflicts };
          throw error;
        });
      if ('conflicts' in outcome) {
        lastConflicts = outcome.conflicts;
        // Seats are free but kept for the waitlist (a hold lapsed with no write since): this
        // write promotes the queue, then the newcomer hears the slot is full.
        if (outcome.conflicts.some((c) => (c.waitlisted ?? 0) > 0)) {
          // Best effort: the answer to this caller is the refusal either way, and the work
          // runner promotes what this write could not.
          await promoteAfterLapse(ctx, planned.record).catch((error: unknown) => {
            ctx.logger.warn(
              { err: error, slotKey: planned.record.slotKey },
              `waitlist: promotion after a refused booking failed: ${(error as Error)?.message}`,
            );
          });
        }
        continue;
      }
      if (outcome.raced) {
        const prior = await priorResult(ctx.adapter, scope, idem!);
        if (prior) return withCredits(await load(prior), ctx.now());
      }
      return outcome.credits ? { ...view, credits: outcome.credits } : view;
    }
    if (lastConflicts.length > 0) throw conflictError(lastConflicts);
    throw new SeshnError('slot_unavailable', staticReasons?.[0]?.detail ?? 'The slot is unavailable', {
      reason: staticReasons?.[0]?.code,
      reasons: staticReasons ?? [],
    });
  }

  async function reschedule(id: unknown, input: BookingRescheduleInput): Promise<Booking> {
    const current = await load(id);
    const data = parseInput(BookingRescheduleSchema, input);
    const now = ctx.now();
    const status = effectiveStatus(current, now);
    if (status !== 'held' && status !== 'confirmed') invalid(current, status, 'reschedule');
    const request: SlotRequest =
      'slotId' in data
        ? slotRequestOf(data)
        : {
            serviceId: current.serviceId,
            resourceId: data.resourceId ?? current.resourceId,
            start: data.startTime.getTime(),
            durationMinutes: data.durationMinutes ?? (current.endTime - current.startTime) / MINUTE,
          };
    if (request.serviceId !== current.serviceId) {
      throw SeshnError.validation([{ path: 'slotId', message: 'A booking moves within its own service' }]);
    }
    const { service, resources } = await loadServicePool(ctx, request.serviceId, request.resourceId);
    const resource = resources[0];
    if (!resource)
      throw new SeshnError('slot_unavailable', 'The resource is not available', { reason: 'outside_hours' });
    const duration = resolveDuration(service, request.durationMinutes);
    assertStaticSlot(service, resource, request.start, duration, current.seats, now);
    const planned = planBooking(ctx, service, resource, request.start, duration, {
      seats: current.seats,
      contactId: current.contactId,
      now,
      status: current.status === 'held' ? 'held' : 'confirmed',
      // A moved hold keeps its deadline, but never past its new start.
      expiresAt:
        current.expiresAt === null
          ? null
          : Math.min(current.expiresAt, holdExpiry(service, now, Number.POSITIVE_INFINITY, request.start)),
      notes: current.notes,
      metadata: current.metadata,
      seriesId: current.seriesId,
      occurrenceIndex: current.occurrenceIndex,
    });
    // The price is what the customer agreed to: a move to another time keeps it; only a change
    // of length (what the price depends on, with the seats) prices the booking again.
    const lengthChanged = duration * MINUTE !== current.endTime - current.startTime;
    // The booking keeps its id: it is moved, not replaced.
    const moved: BookingRecord = {
      ...planned.record,
      id: current.id,
      createdAt: current.createdAt,
      entitlementId: current.entitlementId,
      ...(lengthChanged ? {} : { priceAmount: current.priceAmount, priceCurrency: current.priceCurrency }),
    };
    const priceOf = (b: BookingRecord) =>
      b.priceAmount === null || b.priceCurrency === null
        ? null
        : { amount: b.priceAmount, currency: b.priceCurrency };
    const repriced =
      moved.priceAmount !== current.priceAmount || moved.priceCurrency !== current.priceCurrency;
    const entitlement = current.entitlementId
      ? await ctx.adapter.get('entitlement', scope, current.entitlementId)
      : null;
    const strict = serviceConfig(service).waitlist?.strictOrder === true;
    const result = await withPromotion(ctx, async (tx) => {
      // One primitive: the new slot is checked under the lock and the row rewritten in place, so
      // the old seats are never free while the move is undecided.
      const r = await tx.move(scope, {
        now: ctx.now,
        items: [{ booking: moved, capacity: planned.capacity, strictWaitlist: strict }],
      });
      if (!r.ok) return r;
      if (r.bookings.length === 0) {
        // Cancelled, expired or lapsed meanwhile: nothing moved, so no rescheduled event.
        await recordExpiry(ctx, tx, [current.id], ctx.now());
        return r;
      }
      // A membership's place in the new period, counted under its account lock after the move.
      if (entitlement) {
        await checkMovedPeriod(ctx, tx, entitlement, current, moved, resource.timezone, ctx.now());
      }
      await tx.enqueue(scope, [
        bookingEvent(ctx, 'booking.rescheduled', moved, now, {
          previousStartTime: toIso(current.startTime),
          previousEndTime: toIso(current.endTime),
          previousResourceId: current.resourceId,
          ...(repriced ? { previousPrice: priceOf(current), repriced: true } : {}),
        }),
      ]);
      // The seats left behind go to the old slot's waitlist, in this transaction.
      if (moved.slotKey !== current.slotKey || moved.resourceId !== current.resourceId) {
        await promoteQueues(ctx, tx, [{ resourceId: current.resourceId, slotKey: current.slotKey }]);
      }
      return r;
    });
    if (!result.ok) throw conflictError(result.conflicts);
    if (result.bookings.length === 0) {
      const fresh = await load(current.id);
      invalid(fresh, effectiveStatus(fresh, ctx.now()), 'reschedule');
    }
    return withCredits(moved, now);
  }

  return {
    create,
    reschedule,

    confirm,

    /** Cancels a held or confirmed booking and frees its seats. Idempotent. */
    cancel: async (id: string, input: z.input<typeof BookingCancelSchema> = {}) => {
      const data = parseInput(BookingCancelSchema, input);
      return transition(
        id,
        async (tx, b) => {
          const { released, now } = await tx.release(scope, {
            now: ctx.now,
            bookingIds: [b.id],
            to: 'cancelled',
            reason: data.reason ?? null,
          });
          // Seats freed under the resource locks, then the credit (void, return or keep), then
          // the freed seats go to the waitlist in this same transaction (invariant 5).
          await refundCancelled(ctx, tx, released, now);
          await afterRelease(ctx, tx, released, now);
          return { record: released[0] ?? null, now };
        },
        'booking.cancelled',
        (b, status, now) => (status === 'cancelled' ? bookingView(b, now) : invalid(b, status, 'cancel')),
      );
    },

    /**
     * Marks a confirmed booking as attended, inside the service's check-in window (by default
     * from 60 minutes before the start until 60 minutes after the end). A second check-in
     * returns the booking unchanged and writes no event.
     */
    checkIn: (id: string) => markAttendance(id, 'checked_in'),

    /**
     * Marks a confirmed booking as not attended, once the session has started (plus the
     * service's `noShowAfterMinutes`). Marking it again returns it unchanged.
     */
    markNoShow: (id: string) => markAttendance(id, 'no_show'),

    /**
     * Takes back a check-in or a no-show (attendance `pending` again) until check-in closes.
     * Undoing a booking whose attendance is pending returns it unchanged.
     */
    undoAttendance: async (id: string): Promise<Booking> => {
      const current = await load(id);
      const service = await ctx.adapter.get('service', scope, current.serviceId);
      const rules = attendanceRules(service);
      const previous = current.attendance;
      return transition(
        current.id,
        async (tx, b) => {
          const now = ctx.now();
          if (effectiveStatus(b, now) === 'confirmed' && b.attendance !== 'pending') {
            const closesAt = b.endTime + rules.checkInClosesMinutesAfter * MINUTE;
            if (now > closesAt) {
              throw new SeshnError('invalid_state', 'Attendance is final once check-in has closed', {
                id: b.id,
                reason: 'attendance_final',
                closesAt: toIso(closesAt),
              });
            }
          }
          return {
            record: await tx.setAttendance(scope, { bookingId: b.id, attendance: 'pending', now }),
            now,
          };
        },
        'booking.attendance_undone',
        (b, status, now) =>
          status === 'confirmed' && b.attendance === 'pending'
            ? bookingView(b, now)
            : invalid(b, status, 'undo the attendance of'),
        { previousAttendance: previous },
      );
    },

    async get(id: string): Promise<Booking> {
      return withCredits(await load(id), ctx.now());
    },

    async list(params: BookingListInput = {}) {
      const p = parseInput(BookingListSchema, params);
      await checkCursor(ctx, 'booking', p.startingAfter);
      const now = ctx.now();
      const page = await ctx.adapter.list(
        'booking',
        scope,
        {
          contactId: p.contactId,
          serviceId: p.serviceId,
          resourceId: p.resourceId,
          seriesId: p.seriesId,
          statuses: p.status === undefined ? undefined : Array.isArray(p.status) ? p.status : [p.status],
          from: p.from?.getTime(),
          to: p.to?.getTime(),
          now,
        },
        { limit: p.limit, startingAfter: p.startingAfter },
      );
      const credits = await creditSummaries(ctx, ctx.adapter, page.data, now);
      return {
        data: page.data.map((b) => bookingView(b, now, credits.get(b.id) ?? null)),
        hasMore: page.hasMore,
      };
    },
  };
}

/**
 * When a hold taken at `now` for `ttlSeconds` lapses: never after its slot's start less the
 * service's `holdCutoffMinutes`, so a hold cannot outlive the session it holds seats in.
 * Throws `slot_unavailable` (`hold_cutoff`) when that moment has already passed.
 */
export function holdExpiry(service: ServiceRecord, now: number, ttlSeconds: number, start: number): number {
  const cutoff = serviceConfig(service).holdCutoffMinutes ?? 0;
  const latest = start - cutoff * MINUTE;
  if (latest <= now) {
    throw new SeshnError('slot_unavailable', 'This slot can no longer be held; book it outright', {
      reason: 'hold_cutoff',
      holdCutoffMinutes: cutoff,
    });
  }
  return Math.min(now + ttlSeconds * 1000, latest);
}

/** The `invalid_state` of a hold whose seats another booking took (see `SeshnStore.confirm`). */
function seatsTaken(b: BookingRecord, now: number, conflict: ReserveConflict | undefined): SeshnError {
  return new SeshnError(
    'invalid_state',
    'Cannot confirm this hold: its seats were sold after it lapsed (or the slot has fewer seats now)',
    {
      id: b.id,
      status: effectiveStatus(b, now),
      reason: 'seats_taken',
      ...(b.expiresAt !== null ? { expiresAt: toIso(b.expiresAt) } : {}),
      ...(conflict ? { conflict } : {}),
    },
  );
}

const DEFAULT_ATTENDANCE = {
  checkInOpensMinutesBefore: 60,
  checkInClosesMinutesAfter: 60,
  noShowAfterMinutes: 0,
};
type AttendanceRules = typeof DEFAULT_ATTENDANCE;

function attendanceRules(service: ServiceRecord | null): AttendanceRules {
  const stored = service ? serviceConfig(service).attendance : undefined;
  return { ...DEFAULT_ATTENDANCE, ...(stored ?? {}) };
}

/**
 * Check-in is open from `checkInOpensMinutesBefore` the start until `checkInClosesMinutesAfter`
 * the end; a no-show can be recorded from `noShowAfterMinutes` after the start.
 */
function checkAttendanceWindow(
  b: BookingRecord,
  attendance: 'checked_in' | 'no_show',
  rules: AttendanceRules,
  now: number,
): void {
  if (attendance === 'checked_in') {
    const opensAt = b.startTime - rules.checkInOpensMinutesBefore * MINUTE;
    const closesAt = b.endTime + rules.checkInClosesMinutesAfter * MINUTE;
    if (now < opensAt || now > closesAt) {
      throw new SeshnError(
        'invalid_state',
        now < opensAt
          ? 'Check-in has not opened yet for this booking'
          : 'Check-in has closed for this booking',
        { id: b.id, reason: 'check_in_window', opensAt: toIso(opensAt), closesAt: toIso(closesAt) },
      );
    }
    return;
  }
  const from = b.startTime + rules.noShowAfterMinutes * MINUTE;
  if (now < from) {
    throw new SeshnError('invalid_state', 'A no-show can only be recorded once the session has started', {
      id: b.id,
      reason: 'no_show_too_early',
      allowedFrom: toIso(from),
    });
  }
}

/** Carries reserve conflicts out of a transaction so it rolls back (idempotency key included). */
export class ReservationFailed extends Error {
  constructor(readonly conflicts: ReserveConflict[]) {
    super('reservation failed');
  }
}
