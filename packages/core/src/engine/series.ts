/**
 * `seshn.bookingSeries`: one call, weeks of sessions. A recurrence is expanded in the resource's
 * time zone (14:00 stays 14:00 local across DST), every occurrence is checked against the static
 * slot rules (hours, grid, notice, horizon, class sessions), and all of them are reserved in ONE
 * `reserve` call inside one adapter transaction together with the series row and the events — or
 * none, and the error lists each occurrence that could not be had (docs/invariants.md, invariant 3).
 *
 * Decisions:
 * - Occurrence indexes are 0-based, in time order, and fixed at creation (a skipped occurrence
 *   keeps its index and has no booking).
 * - Without `resourceId` the series goes to the first resource of the service's pool that can
 *   take EVERY occurrence (all or nothing per resource: a series never spreads over resources).
 *   With `onConflict: 'skip'` and no resource taking all, the resource with the fewest conflicts
 *   (pool order on ties) is used.
 * - Events: `booking_series.created` plus, per booking, the same `booking.created` and
 *   `booking.confirmed` | `booking.held` that `bookings.create` emits, so a webhook consumer sees a
 *   series booking exactly like a single one.
 * - Simple form without `startDate`: the series starts today in the resource's zone, or tomorrow
 *   when today's occurrence time has already passed.
 * @module
 */
import { z } from 'zod';
import { checkReservation } from '../booking/reservation-check.js';
import { SeshnError, type SeshnFieldIssue } from '../errors/seshn-error.js';
import type {
  BookingRecord,
  BookingSeriesRecord,
  ConfirmRefusal,
  EventRecord,
  ReserveConflict,
  ReserveItem,
  ResourceRecord,
  Scope,
  SeshnStore,
} from '../ports/adapter.js';
import { expandRecurrenceMs } from '../recurrence/expand.js';
import { compileSimpleRecurrence } from '../recurrence/simple.js';
import type { Booking, BookingRescheduleInput } from '../schema/booking.js';
import { idSchema } from '../schema/common.js';
import type { BookingSeriesPreview, BookingSeriesResult } from '../schema/objects.js';
import { parseInput } from '../schema/parse.js';
import {
  type BookingSeriesCancelInput,
  type BookingSeriesCreateInput,
  type BookingSeriesListInput,
  type ParsedSeriesRecurrence,
  SeriesCancelSchema,
  type SeriesConflict,
  SeriesCreateSchema,
  SeriesListSchema,
} from '../schema/series.js';
import { addDays, epochMsToLocal, toIso } from '../time/zone.js';
import {
  type BookingCredits,
  type CreditPlan,
  creditSummaries,
  debitBookings,
  entitlementsOf,
  planCredits,
  postDebits,
  refundCancelled,
} from './booking-credits.js';
import {
  bookingEvent,
  bookingsApi,
  conflictError,
  holdExpiry,
  loadBookingTarget,
  type PlannedBooking,
  planBooking,
  ReservationFailed,
  recordExpiry,
  staticSlotReasonsMany,
} from './bookings.js';
import type { EngineContext } from './context.js';
import { checkCursor } from './cursor.js';
import { claimKey, idempotentRequest, priorResult } from './idempotency.js';
import { listAll } from './list-all.js';
import { serviceConfig } from './service-rules.js';
import { bookingView, effectiveStatus, seriesView } from './views.js';
import { afterRelease, withPromotion } from './waitlist.js';

const IdSchema = idSchema('series');
const IndexSchema = z.number().int().min(0).max(1_000_000);
const PAGE = 500;

export type { BookingSeriesPreview, BookingSeriesResult };

/** One occurrence planned on one resource (it passed the static rules). */
interface PlannedOccurrence {
  index: number;
  planned: PlannedBooking;
}

/** The whole series laid out on one resource. */
interface ResourcePlan {
  resource: ResourceRecord;
  recurrence: Record<string, unknown>;
  starts: number[];
  items: PlannedOccurrence[];
  staticConflicts: SeriesConflict[];
}

type CommitOutcome =
  | {
      kind: 'ok';
      record: BookingSeriesRecord;
      bookings: BookingRecord[];
      skipped: SeriesConflict[];
      credits: Map<string, BookingCredits>;
    }
  | { kind: 'conflicts'; conflicts: SeriesConflict[] }
  | { kind: 'raced' };

/** Re-roots validation errors of the recurrence helpers (`dayOfWeek`) under `recurrence.`. */
function inRecurrence<T>(fn: () => T): T {
  try {
    return fn();
  } catch (error) {
    if (error instanceof SeshnError && error.code === 'validation_failed') {
      const fields = (error.details.fields as SeshnFieldIssue[] | undefined) ?? [];
      throw SeshnError.validation(
        fields.map((f) => ({ path: f.path ? `recurrence.${f.path}` : 'recurrence', message: f.message })),
      );
    }
    throw error;
  }
}

/**
 * The occurrence starts of a recurrence on a resource, in its time zone, bounded by the cap.
 * A wall time in a DST gap moves forward by the gap (02:30 on spring-forward day → 03:30); later
 * occurrences keep the written time. Throws `validation_failed` naming the field.
 */
function expandOn(
  recurrence: ParsedSeriesRecurrence,
  timezone: string,
  now: number,
  cap: number,
): { recurrence: Record<string, unknown>; starts: number[] } {
  const tooMany = (path: string) =>
    SeshnError.validation([{ path, message: `A series has at most ${cap} occurrences; this one has more` }]);
  const run = (rrule: string, dtstart: string, exdates?: string[]) =>
    inRecurrence(() =>
      expandRecurrenceMs({ dtstart, timezone, rrule, limit: cap + 1, ...(exdates ? { exdates } : {}) }),
    );

  if (recurrence.form === 'simple') {
    const s = recurrence.simple;
    if (s.count !== undefined && s.count > cap) throw tooMany('recurrence.count');
    const endField = s.count !== undefined ? 'recurrence.count' : 'recurrence.until';
    const today = epochMsToLocal(now, timezone).date;
    let compiled = inRecurrence(() => compileSimpleRecurrence(s, { today }));
    let starts = run(compiled.rrule, compiled.dtstart);
    // "Every Tuesday at 14:00" asked on a Tuesday at 15:00 means from next Tuesday.
    if (s.startDate === undefined && starts[0] !== undefined && starts[0] <= now) {
      compiled = inRecurrence(() => compileSimpleRecurrence(s, { today: addDays(today, 1) }));
      starts = run(compiled.rrule, compiled.dtstart);
    }
    if (starts.length > cap) throw tooMany(endField);
    if (starts.length === 0)
      throw SeshnError.validation([{ path: endField, message: 'The recurrence has no occurrence' }]);
    return { recurrence: { ...s, rrule: compiled.rrule, dtstart: compiled.dtstart, timezone }, starts };
  }

  const r = recurrence.rule;
  const starts = run(r.rrule, r.dtstart, r.exdates);
  if (starts.length > cap) throw tooMany('recurrence.rrule');
  if (starts.length === 0) {
    const byExdates = (r.exdates?.length ?? 0) > 0 && run(r.rrule, r.dtstart).length > 0;
    throw SeshnError.validation([
      {
        path: byExdates ? 'recurrence.exdates' : 'recurrence.rrule',
        message: byExdates ? 'The exdates remove every occurrence' : 'The rule produces no occurrence',
      },
    ]);
  }
  return { recurrence: { ...r, timezone }, starts };
}

function reserveConflict(plan: ResourcePlan, c: ReserveConflict): SeriesConflict {
  const item = plan.items[c.index]!;
  return {
    index: item.index,
    startTime: toIso(item.planned.record.startTime),
    reason: c.reason,
    detail: conflictError([c]).message,
    ...(c.remaining !== undefined ? { remaining: c.remaining } : {}),
    ...(c.withId !== undefined ? { withId: c.withId } : {}),
  };
}

const byIndex = (a: { index: number }, b: { index: number }) => a.index - b.index;

function unavailable(failures: { resourceId: string; total: number; conflicts: SeriesConflict[] }[]) {
  const primary = failures[0]!;
  const first = primary.conflicts[0];
  const n = primary.conflicts.length;
  const message = first
    ? `${n} of ${primary.total} occurrences cannot be booked: #${first.index} at ${first.startTime}: ${first.detail}${n > 1 ? ` (and ${n - 1} more)` : ''}`
    : 'The series cannot be booked';
  return new SeshnError('slot_unavailable', message, {
    reason: first?.reason,
    resourceId: primary.resourceId,
    conflicts: primary.conflicts,
    ...(failures.length > 1
      ? { resources: failures.map((f) => ({ resourceId: f.resourceId, conflicts: f.conflicts })) }
      : {}),
  });
}

const isLive = (b: BookingRecord, now: number) => {
  const s = effectiveStatus(b, now);
  return s === 'held' || s === 'confirmed';
};

function lapsedHolds(series: BookingSeriesRecord, refused: ConfirmRefusal[]): SeshnError {
  return new SeshnError(
    'invalid_state',
    'Some held occurrences of this series are no longer held; nothing was confirmed',
    {
      id: series.id,
      occurrences: refused.map(({ booking: b, reason }) => ({
        index: b.occurrenceIndex,
        bookingId: b.id,
        startTime: toIso(b.startTime),
        reason: reason === 'seats_taken' ? 'seats_taken' : 'not_held',
      })),
    },
  );
}

/**
 * The `seshn.bookingSeries` API.
 * @example
 * const series = await seshn.bookingSeries.create({
 *   contactId: jane.id, serviceId: massage.id,
 *   recurrence: { frequency: 'weekly', dayOfWeek: 2, time: '14:00', count: 8 },
 * });
 * await seshn.bookingSeries.cancelOccurrence(series.id, 3);
 */
/** A series occurrence as a reservation item: a newcomer to its slot, behind its waitlist. */
function reserveItem(i: { planned: PlannedBooking }): ReserveItem {
  return {
    booking: i.planned.record,
    capacity: i.planned.capacity,
    strictWaitlist: serviceConfig(i.planned.service).waitlist?.strictOrder === true,
  };
}

export function bookingSeriesApi(ctx: EngineContext) {
  const scope: Scope = ctx.scope;
  const bookings = bookingsApi(ctx);

  async function loadSeries(id: unknown): Promise<BookingSeriesRecord> {
    const seriesId = parseInput(IdSchema, id, 'id');
    const s = await ctx.adapter.get('series', scope, seriesId);
    if (!s) throw SeshnError.notFound('booking series', seriesId);
    return s;
  }

  /** Every booking of a series, by occurrence index. */
  async function seriesBookings(store: SeshnStore, seriesId: string, now: number): Promise<BookingRecord[]> {
    const out = await listAll(store, 'booking', scope, { seriesId, now }, PAGE);
    return out.sort((a, b) => (a.occurrenceIndex ?? 0) - (b.occurrenceIndex ?? 0));
  }

  function view(
    record: BookingSeriesRecord,
    rows: BookingRecord[],
    now: number,
    credits: ReadonlyMap<string, BookingCredits> = new Map(),
  ): BookingSeriesResult {
    const { skipped, ...recurrence } = record.recurrence;
    const v: BookingSeriesResult = seriesView(
      { ...record, recurrence },
      rows.map((b) => bookingView(b, now, credits.get(b.id) ?? null)),
    );
    if (Array.isArray(skipped)) v.skipped = skipped as SeriesConflict[];
    return v;
  }

  /** A view of the series for event payloads (without the bookings, which have their own events). */
  function seriesEventData(record: BookingSeriesRecord, extra: Record<string, unknown>) {
    const { bookings: _b, ...rest } = view(record, [], 0);
    return { ...rest, ...extra };
  }

  async function create(input: BookingSeriesCreateInput & { preview: true }): Promise<BookingSeriesPreview>;
  async function create(
    input: BookingSeriesCreateInput & { preview?: false | undefined },
  ): Promise<BookingSeriesResult>;
  async function create(input: BookingSeriesCreateInput): Promise<BookingSeriesResult | BookingSeriesPreview>;
  /**
   * Books every occurrence of a recurrence, all or nothing (see the module documentation).
   * `onConflict: 'skip'` books what fits and reports `skipped`; `preview: true` reserves nothing.
   * Errors: `validation_failed` naming the field (`recurrence.time`, `recurrence.count`, …),
   * `slot_unavailable` with `details.conflicts: [{ index, startTime, reason, detail }]`.
   */
  async function create(
    input: BookingSeriesCreateInput,
  ): Promise<BookingSeriesResult | BookingSeriesPreview> {
    const data = parseInput(SeriesCreateSchema, input);
    const now = ctx.now();
    const idem = data.preview ? null : idempotentRequest('bookingSeries.create', data);
    if (idem) {
      const prior = await priorResult(ctx.adapter, scope, idem);
      if (prior) return get(prior);
    }

    const { service, resources, contact, duration, holdTtl } = await loadBookingTarget(ctx, {
      serviceId: data.serviceId,
      resourceId: data.resourceId,
      contactId: data.contactId,
      durationMinutes: data.durationMinutes,
      hold: data.hold,
    });
    const seriesId = ctx.ids('bks');
    const cap = ctx.limits.maxSeriesOccurrences;

    const planOn = (resource: ResourceRecord): ResourcePlan => {
      const { recurrence, starts } = expandOn(data.recurrence, resource.timezone, now, cap);
      const items: PlannedOccurrence[] = [];
      const staticConflicts: SeriesConflict[] = [];
      const reasonsOf = staticSlotReasonsMany(service, resource, starts, duration, data.seats, now);
      // The series is held as one: every occurrence lapses together, by its first start at the latest.
      const firstBookable = starts.find((_, i) => reasonsOf[i]!.length === 0);
      const expiresAt =
        holdTtl === null || firstBookable === undefined
          ? null
          : holdExpiry(service, now, holdTtl, firstBookable);
      starts.forEach((start, index) => {
        const first = reasonsOf[index]![0];
        if (first) {
          staticConflicts.push({ index, startTime: toIso(start), reason: first.code, detail: first.detail });
          return;
        }
        items.push({
          index,
          planned: planBooking(ctx, service, resource, start, duration, {
            seats: data.seats,
            contactId: contact.id,
            now,
            status: holdTtl === null ? 'confirmed' : 'held',
            expiresAt,
            notes: data.notes ?? null,
            metadata: data.metadata,
            seriesId,
            occurrenceIndex: index,
          }),
        });
      });
      return { resource, recurrence, starts, items, staticConflicts };
    };

    if (data.preview) {
      return preview(planOn, resources, service.id, contact.id, data.seats, data.onConflict, duration, now);
    }

    const commit = async (plan: ResourcePlan, policy: 'all' | 'skip'): Promise<CommitOutcome> => {
      if (plan.items.length === 0) return { kind: 'conflicts', conflicts: plan.staticConflicts };
      // Which entitlement pays for every occurrence (read here; each debit checked under the lock).
      const credit: CreditPlan | null = await planCredits(ctx, {
        useCredits: data.useCredits,
        contactId: contact.id,
        service,
        seats: data.seats,
        starts: plan.items.map((i) => i.planned.record.startTime),
        timezone: plan.resource.timezone,
        now,
      });
      if (credit) for (const i of plan.items) i.planned.record.entitlementId = credit.entitlement.id;
      return ctx.adapter
        .transaction(async (tx): Promise<CommitOutcome> => {
          if (idem && !(await claimKey(tx, scope, idem, seriesId, now))) return { kind: 'raced' };
          const result = await tx.reserve(scope, {
            now: ctx.now,
            policy,
            items: plan.items.map(reserveItem),
          });
          if (!result.ok) throw new ReservationFailed(result.conflicts);
          // One debit per occurrence reserved, all or none, after the slots (slots → accounts).
          const credits = credit ? await debitBookings(ctx, tx, credit, result.bookings) : new Map();
          const skipped = [
            ...plan.staticConflicts,
            ...result.skipped.map((c) => reserveConflict(plan, c)),
          ].sort(byIndex);
          const record: BookingSeriesRecord = {
            id: seriesId,
            serviceId: service.id,
            resourceId: plan.resource.id,
            contactId: contact.id,
            seats: data.seats,
            recurrence: { ...plan.recurrence, ...(data.onConflict === 'skip' ? { skipped } : {}) },
            status: 'active',
            metadata: data.metadata,
            createdAt: now,
            updatedAt: now,
          };
          await tx.insert('series', scope, record);
          const events: EventRecord[] = [
            {
              id: ctx.ids('evt'),
              type: 'booking_series.created',
              data: { ...view(record, result.bookings, now) },
              createdAt: now,
            },
          ];
          const state = holdTtl === null ? 'booking.confirmed' : 'booking.held';
          for (const b of result.bookings) {
            events.push(bookingEvent(ctx, 'booking.created', b, now), bookingEvent(ctx, state, b, now));
          }
          await tx.enqueue(scope, events);
          return { kind: 'ok', record, bookings: result.bookings, skipped, credits };
        })
        .catch((error: unknown): CommitOutcome => {
          if (!(error instanceof ReservationFailed)) throw error;
          const conflicts = [
            ...plan.staticConflicts,
            ...error.conflicts.map((c) => reserveConflict(plan, c)),
          ].sort(byIndex);
          return { kind: 'conflicts', conflicts };
        });
    };

    const finish = async (outcome: CommitOutcome): Promise<BookingSeriesResult | null> => {
      if (outcome.kind === 'ok') {
        const v = view(outcome.record, outcome.bookings, now, outcome.credits);
        return data.onConflict === 'skip' ? { ...v, skipped: outcome.skipped } : v;
      }
      if (outcome.kind === 'raced') {
        const prior = await priorResult(ctx.adapter, scope, idem!);
        if (prior) return get(prior);
      }
      return null;
    };

    const failures: { resourceId: string; total: number; conflicts: SeriesConflict[]; plan: ResourcePlan }[] =
      [];
    // One resource and skip: a single 'skip' reservation is the whole answer.
    const tryAllFirst = data.onConflict === 'fail' || resources.length > 1;
    if (tryAllFirst) {
      for (const resource of resources) {
        const plan = planOn(resource);
        // A static failure already dooms this resource: no transaction, but the error should still
        // name every occurrence, so the others are checked against a read of the occupations.
        const outcome =
          plan.staticConflicts.length > 0
            ? ({ kind: 'conflicts', conflicts: await readConflicts(plan, now) } as const)
            : await commit(plan, 'all');
        const done = await finish(outcome);
        if (done) return done;
        failures.push({
          resourceId: resource.id,
          total: plan.starts.length,
          conflicts: outcome.kind === 'conflicts' ? outcome.conflicts : [],
          plan,
        });
      }
    }
    if (data.onConflict === 'skip') {
      let plan: ResourcePlan;
      if (tryAllFirst) {
        // The resource that loses the fewest occurrences; stable sort keeps the pool order on ties.
        const best = [...failures].sort((a, b) => a.conflicts.length - b.conflicts.length)[0]!;
        plan = best.plan;
      } else {
        plan = planOn(resources[0]!);
      }
      const outcome = await commit(plan, 'skip');
      const done = await finish(outcome);
      if (done) return done;
      const conflicts = outcome.kind === 'conflicts' ? outcome.conflicts : [];
      throw unavailable([{ resourceId: plan.resource.id, total: plan.starts.length, conflicts }]);
    }
    throw unavailable(failures);
  }

  async function preview(
    planOn: (r: ResourceRecord) => ResourcePlan,
    resources: ResourceRecord[],
    serviceId: string,
    contactId: string,
    seats: number,
    onConflict: 'fail' | 'skip',
    durationMinutes: number,
    now: number,
  ): Promise<BookingSeriesPreview> {
    let best: { plan: ResourcePlan; conflicts: SeriesConflict[] } | null = null;
    for (const resource of resources) {
      const plan = planOn(resource);
      const conflicts = await readConflicts(plan, now);
      if (!best || conflicts.length < best.conflicts.length) best = { plan, conflicts };
      if (conflicts.length === 0) break;
    }
    const { plan, conflicts } = best!;
    const failed = new Set(conflicts.map((c) => c.index));
    const byOccurrence = new Map(plan.items.map((i) => [i.index, i.planned.record]));
    const duration = durationMinutes * 60_000;
    return {
      object: 'booking_series_preview',
      serviceId,
      resourceId: plan.resource.id,
      contactId,
      seats,
      recurrence: plan.recurrence,
      bookable: onConflict === 'fail' ? conflicts.length === 0 : failed.size < plan.starts.length,
      occurrences: plan.starts.map((start, index) => {
        const record = byOccurrence.get(index);
        return {
          index,
          startTime: toIso(start),
          endTime: toIso(start + duration),
          available: !failed.has(index),
          price:
            record && record.priceAmount !== null && record.priceCurrency !== null
              ? { amount: record.priceAmount, currency: record.priceCurrency }
              : null,
        };
      }),
      conflicts,
    };
  }

  /**
   * Every occurrence of `plan` that cannot be booked now, without writing: static failures plus
   * the pure rule `reserve` applies in its transaction, run on a read of the occupations.
   */
  async function readConflicts(plan: ResourcePlan, now: number): Promise<SeriesConflict[]> {
    if (plan.items.length === 0) return plan.staticConflicts;
    const records = plan.items.map((i) => i.planned.record);
    const occupations = await ctx.adapter.listOccupations(
      scope,
      [plan.resource.id],
      Math.min(...records.map((r) => r.occupiedStart)),
      Math.max(...records.map((r) => r.occupiedEnd)),
      now,
    );
    const verdict = checkReservation(plan.items.map(reserveItem), occupations);
    return [...plan.staticConflicts, ...verdict.conflicts.map((c) => reserveConflict(plan, c))].sort(byIndex);
  }

  async function get(id: string): Promise<BookingSeriesResult> {
    const record = await loadSeries(id);
    const now = ctx.now();
    return viewWithCredits(record, await seriesBookings(ctx.adapter, record.id, now), now);
  }

  /** {@link view} with each credit booking's credits read at `now`. */
  async function viewWithCredits(record: BookingSeriesRecord, rows: BookingRecord[], now: number) {
    return view(record, rows, now, await creditSummaries(ctx, ctx.adapter, rows, now));
  }

  /**
   * Cancels `targets` (guarded: only bookings still held or confirmed change) and marks the series
   * cancelled when no upcoming live booking is left, all in `tx`. Returns the bookings as they
   * are afterwards and the series record.
   */
  async function cancelIn(
    tx: SeshnStore,
    stale: BookingSeriesRecord,
    pick: (b: BookingRecord) => boolean,
    now: number,
    reason: string | null,
    eventExtra: Record<string, unknown> | null,
  ) {
    // Lock the series first: two cancels of its last two occurrences must not each see the other's
    // booking still live and leave the series active with nothing left.
    const series = (await tx.get('series', scope, stale.id, { lock: true })) ?? stale;
    const rows = await seriesBookings(tx, series.id, now);
    const { released, now: releasedAt } = await tx.release(scope, {
      now,
      bookingIds: rows.filter(pick).map((b) => b.id),
      to: 'cancelled',
      reason,
    });
    await refundCancelled(ctx, tx, released, releasedAt);
    // The freed seats go to each slot's waitlist in this transaction (invariant 5).
    await afterRelease(ctx, tx, released, releasedAt);
    const byId = new Map(released.map((b) => [b.id, b]));
    const after = rows.map((b) => byId.get(b.id) ?? b);
    const cancelled = after.filter((b) => byId.has(b.id));
    let record = series;
    const upcoming = after.some((b) => isLive(b, now) && b.startTime > now);
    if (series.status === 'active' && !upcoming) {
      record = { ...series, status: 'cancelled', updatedAt: now };
      await tx.update('series', scope, record);
    }
    const events = cancelled.map((b) => bookingEvent(ctx, 'booking.cancelled', b, now));
    if (record !== series || (eventExtra && cancelled.length > 0)) {
      events.push({
        id: ctx.ids('evt'),
        type: 'booking_series.cancelled',
        data: seriesEventData(record, {
          ...eventExtra,
          cancelledOccurrences: cancelled.map((b) => b.occurrenceIndex),
        }),
        createdAt: now,
      });
    }
    await tx.enqueue(scope, events);
    return { record, after, cancelled };
  }

  async function occurrence(series: BookingSeriesRecord, index: number, now: number) {
    const b = (await seriesBookings(ctx.adapter, series.id, now)).find((x) => x.occurrenceIndex === index);
    if (!b) {
      throw new SeshnError('not_found', `Series ${series.id} has no booking for occurrence ${index}`, {
        kind: 'occurrence',
        id: series.id,
        index,
      });
    }
    return b;
  }

  return {
    create,

    get,

    /** Series of this scope, newest first; each with its bookings. */
    async list(params: BookingSeriesListInput = {}) {
      const p = parseInput(SeriesListSchema, params);
      await checkCursor(ctx, 'series', p.startingAfter);
      const now = ctx.now();
      const page = await ctx.adapter.list(
        'series',
        scope,
        { contactId: p.contactId },
        { limit: p.limit, startingAfter: p.startingAfter },
      );
      const data: BookingSeriesResult[] = [];
      for (const s of page.data) {
        data.push(await viewWithCredits(s, await seriesBookings(ctx.adapter, s.id, now), now));
      }
      return { data, hasMore: page.hasMore };
    },

    /**
     * Confirms every held occurrence of a series held with `hold` (after payment, say), all or
     * nothing: if any held occurrence's hold has lapsed, nothing is confirmed and the error is
     * `invalid_state` listing the lapsed occurrences. Occurrences already confirmed or cancelled
     * stay as they are, so a retry is harmless. Emits `booking.confirmed` per booking confirmed,
     * in the same transaction.
     * @example
     * const held = await seshn.bookingSeries.create({ ...input, hold: { ttlSeconds: 900 } });
     * await seshn.bookingSeries.confirm(held.id);
     */
    async confirm(id: string): Promise<BookingSeriesResult> {
      const series = await loadSeries(id);
      const service = await ctx.adapter.get('service', scope, series.serviceId);
      const capacity = service ? serviceConfig(service).capacity : series.seats;
      const refused = await withPromotion(ctx, async (tx) => {
        const rows = await seriesBookings(tx, series.id, ctx.now());
        const held = rows.filter((b) => b.status === 'held' || b.status === 'expired');
        if (held.length === 0) return [];
        // Every hold checked again under the reservation locks, with the clock read there.
        const result = await tx.confirm(scope, {
          now: ctx.now,
          items: held.map((b) => ({ bookingId: b.id, capacity })),
        });
        if (result.refused.length > 0) {
          await recordExpiry(
            ctx,
            tx,
            held.map((b) => b.id),
            result.now,
          );
          return result.refused;
        }
        // Each occurrence's credit posted at the instant its hold was judged live.
        await postDebits(
          ctx,
          tx,
          result.confirmed,
          await entitlementsOf(ctx, tx, result.confirmed),
          result.now,
        );
        await tx.enqueue(
          scope,
          result.confirmed.map((b) => bookingEvent(ctx, 'booking.confirmed', b, result.now)),
        );
        return [];
      });
      // Held then lapsed (whether or not marked yet), cancelled meanwhile, or its seats sold.
      if (refused.length > 0) throw lapsedHolds(series, refused);
      return get(series.id);
    },

    /**
     * Cancels one occurrence's booking (and the series, when it was the last upcoming one).
     * Idempotent: an occurrence already cancelled is returned as it is. `not_found` for an index
     * without a booking (unknown, or skipped at creation).
     * @example
     * await seshn.bookingSeries.cancelOccurrence(series.id, 3);
     */
    async cancelOccurrence(id: string, index: number, input: { reason?: string } = {}): Promise<Booking> {
      const series = await loadSeries(id);
      const i = parseInput(IndexSchema, index, 'index');
      const reason = parseInput(SeriesCancelSchema, input).reason ?? null;
      const now = ctx.now();
      const target = await occurrence(series, i, now);
      const before = effectiveStatus(target, now);
      if (before === 'cancelled') return bookingView(target, now);
      if (before !== 'held' && before !== 'confirmed') {
        throw new SeshnError('invalid_state', `Cannot cancel a booking that is ${before}`, {
          id: target.id,
          status: before,
        });
      }
      const { after } = await withPromotion(ctx, (tx) =>
        cancelIn(tx, series, (b) => b.id === target.id, now, reason, null),
      );
      const b = after.find((x) => x.id === target.id) ?? target;
      const status = effectiveStatus(b, now);
      if (status !== 'cancelled') {
        throw new SeshnError('invalid_state', `Cannot cancel a booking that is ${status}`, {
          id: b.id,
          status,
        });
      }
      return bookings.get(b.id);
    },

    /**
     * Cancels upcoming occurrences: from an index (`{ from: 3 }`) or an instant
     * (`{ from: '2026-04-01T00:00:00Z' }`) onwards, or every upcoming one without `from`.
     * Occurrences that already started are history and stay as they are. The series becomes
     * `cancelled` when no upcoming live booking is left. Emits `booking.cancelled` per booking and
     * `booking_series.cancelled`, in the same transaction. Idempotent.
     * @example
     * await seshn.bookingSeries.cancel(series.id, { from: 4 });
     */
    async cancel(id: string, input: BookingSeriesCancelInput = {}): Promise<BookingSeriesResult> {
      const series = await loadSeries(id);
      const data = parseInput(SeriesCancelSchema, input);
      const now = ctx.now();
      const from = data.from;
      const pick = (b: BookingRecord) =>
        b.startTime > now &&
        (from === undefined ||
          (typeof from === 'number' ? (b.occurrenceIndex ?? -1) >= from : b.startTime >= from.getTime()));
      const { record, after } = await withPromotion(ctx, (tx) =>
        cancelIn(tx, series, pick, now, data.reason ?? null, {
          from: from instanceof Date ? toIso(from.getTime()) : (from ?? null),
        }),
      );
      return viewWithCredits(record, after, now);
    },

    /**
     * Moves one occurrence (`{ startTime }` or `{ slotId }`), exactly like `bookings.reschedule`:
     * the booking keeps its id, series and index; the new slot is reserved before the old is freed.
     * @example
     * await seshn.bookingSeries.rescheduleOccurrence(series.id, 2, { startTime: '2026-03-18T14:00:00Z' });
     */
    async rescheduleOccurrence(id: string, index: number, input: BookingRescheduleInput): Promise<Booking> {
      const series = await loadSeries(id);
      const i = parseInput(IndexSchema, index, 'index');
      const target = await occurrence(series, i, ctx.now());
      return bookings.reschedule(target.id, input);
    },
  };
}
