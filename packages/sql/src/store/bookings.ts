/**
 * The booking primitives (core's `BookingStore`): reserve, move, confirm, release and attendance
 * marks. Each is atomic (its own transaction unless called inside one) and follows the lock
 * protocol of packages/sql/README.md:
 *
 * 1. resource rows of every booking involved, in id order (locks.ts; SQLite: the write lock);
 * 2. the clock is read (`resolveNow`), the occupations read and checked (`checkReservation`);
 * 3. booking rows written, then their slot-seat rows in key order (slot-seats.ts).
 *
 * Booking and slot-seat rows of a resource are written only while its resource row is held, so
 * any sequence of primitives in one transaction (a release that promotes a waitlist entry with a
 * reserve; a move) only ever adds resource locks in the order step 1 fixes.
 * @module
 */
import {
  type AttendanceRequest,
  type BookingRecord,
  type ConfirmRequest,
  type ConfirmResult,
  checkReservation,
  type MoveRequest,
  type MoveResult,
  type ReleaseRequest,
  type ReleaseResult,
  type ReserveConflict,
  type ReserveItem,
  type ReserveRequest,
  type ReserveResult,
  resolveNow,
  type Scope,
} from '@seshn/core';
import { num } from '../profile.js';
import { effectiveStatusIs, isExclusionViolation, type StoreContext } from './context.js';
import { lockBookings, lockResources } from './locks.js';
import { readOccupations } from './occupations.js';
import { getRecords } from './records.js';
import { addSeats, insertBookings, takeSeats } from './slot-seats.js';

const rangesOf = (items: ReserveItem[]) =>
  items.map((i) => ({ from: i.booking.occupiedStart, to: i.booking.occupiedEnd }));
const resourcesOf = (items: ReserveItem[]) => [...new Set(items.map((i) => i.booking.resourceId))].sort();

/** The database's overlap constraint disagreed with the check: every accepted item is a conflict. */
function refusedByConstraint(
  conflicts: ReserveConflict[],
  accepted: number[],
): { ok: false; conflicts: ReserveConflict[] } {
  const refused = accepted.map((index) => ({ index, reason: 'conflict' as const }));
  return { ok: false, conflicts: [...conflicts, ...refused].sort((a, b) => a.index - b.index) };
}

/** Runs `write`; a refusal by the database's overlap constraint comes back as `null`. */
async function unlessExcluded<T>(cx: StoreContext, write: () => Promise<T>): Promise<T | null> {
  try {
    return await write();
  } catch (error) {
    // Nothing was written; the transaction is aborted (see DialectProfile.isExclusionViolation).
    if (isExclusionViolation(cx, error)) return null;
    throw error;
  }
}

/**
 * `reserve`. Locks: the items' resource rows (id order); then inserts the bookings and adds the
 * confirmed ones' seats to their slot-seat rows (key order). The hot path: one lock, one read,
 * the inserts.
 */
export function reserve(cx: StoreContext, scope: Scope, request: ReserveRequest): Promise<ReserveResult> {
  return cx.atomic(async (cx) => {
    const resourceIds = resourcesOf(request.items);
    await lockResources(cx, scope, resourceIds);
    // The clock is read only now: a writer that waited for the lock judges holds as of the moment
    // it may act, not as of before the wait.
    const now = resolveNow(request.now);
    const occupations = await readOccupations(cx, scope, resourceIds, rangesOf(request.items), now);
    const verdict = checkReservation(request.items, occupations);
    const policy = request.policy ?? 'all';
    if (verdict.conflicts.length > 0 && (policy === 'all' || verdict.accepted.length === 0)) {
      return { ok: false, conflicts: verdict.conflicts };
    }
    const bookings = verdict.accepted.map((i) => request.items[i]!.booking);
    const written = await unlessExcluded(cx, async () => {
      await insertBookings(cx, scope, bookings);
      return true;
    });
    if (written === null) return refusedByConstraint(verdict.conflicts, verdict.accepted);
    return { ok: true, bookings, skipped: verdict.conflicts };
  });
}

/**
 * `move`. Locks: the resource rows of the bookings' old and new slots, as one id-ordered set;
 * checks the new slots against every live occupation but the bookings themselves; rewrites the
 * booking rows in place (only while still live); then takes the old slots' seats out and adds
 * the new ones' (slot-seat rows in key order).
 */
export function move(cx: StoreContext, scope: Scope, request: MoveRequest): Promise<MoveResult> {
  return cx.atomic(async (cx) => {
    const ids = request.items.map((i) => i.booking.id);
    const before = await lockBookings(cx, scope, ids, resourcesOf(request.items));
    const now = resolveNow(request.now);
    const occupations = await readOccupations(
      cx,
      scope,
      resourcesOf(request.items),
      rangesOf(request.items),
      now,
      {
        ignore: ids,
      },
    );
    const verdict = checkReservation(request.items, occupations);
    if (verdict.conflicts.length > 0) return { ok: false, conflicts: verdict.conflicts };
    const moved = await unlessExcluded(cx, async () => {
      const out: BookingRecord[] = [];
      for (const { booking: b } of request.items) {
        const row = cx.m.booking.toRow(scope, b);
        const result = await cx.db
          .updateTable('seshn_bookings')
          .set({
            resource_id: row.resource_id,
            slot_key: row.slot_key,
            start_time: row.start_time,
            end_time: row.end_time,
            occupied_start: row.occupied_start,
            occupied_end: row.occupied_end,
            price_amount: row.price_amount,
            price_currency: row.price_currency,
            updated_at: row.updated_at,
          })
          .where('organization_id', '=', scope.organizationId)
          .where('mode', '=', scope.mode)
          .where('id', '=', b.id)
          .where((eb) => effectiveStatusIs(cx, eb, ['held', 'confirmed'], now))
          .executeTakeFirst();
        if (num(result.numUpdatedRows) > 0) out.push(b);
      }
      return out;
    });
    if (moved === null)
      return refusedByConstraint(
        [],
        request.items.map((_, i) => i),
      );
    const movedIds = new Set(moved.map((b) => b.id));
    await takeSeats(
      cx,
      scope,
      before.filter((b) => movedIds.has(b.id)),
    );
    // The stored status decides what is counted (the caller's copy may say otherwise).
    const statusOf = new Map(before.map((b) => [b.id, b.status]));
    await addSeats(
      cx,
      scope,
      moved.map((b) => ({ ...b, status: statusOf.get(b.id) ?? b.status })),
    );
    return { ok: true, bookings: moved };
  });
}

/**
 * `confirm`. Locks: the holds' resource rows (id order, read again under the lock); checks each
 * live hold against what is sold; writes the status, then adds the seats to the slot-seat rows.
 */
export function confirm(cx: StoreContext, scope: Scope, request: ConfirmRequest): Promise<ConfirmResult> {
  return cx.atomic(async (cx) => {
    const ids = [...new Set(request.items.map((i) => i.bookingId))];
    const bookings = await lockBookings(cx, scope, ids);
    const now = resolveNow(request.now);
    const byId = new Map(bookings.map((b) => [b.id, b]));
    const refused: ConfirmResult['refused'] = [];
    const holds: ReserveItem[] = [];
    for (const item of request.items) {
      const b = byId.get(item.bookingId);
      if (!b) {
        refused.push({ booking: { id: item.bookingId } as BookingRecord, reason: 'not_found' });
      } else if (b.status !== 'held' || b.expiresAt === null || b.expiresAt <= now) {
        refused.push({ booking: b, reason: 'not_held' });
      } else {
        holds.push({ booking: b, capacity: item.capacity });
      }
    }
    if (holds.length > 0) {
      // Against what is sold (confirmed seats), not against other holds: a hold was counted
      // against every live hold when it was taken, and each of them meets this check when it is
      // confirmed in turn, so confirmed seats never exceed the slot even when clocks disagree.
      const occupations = (
        await readOccupations(cx, scope, resourcesOf(holds), rangesOf(holds), now, {
          ignore: ids,
          withHolds: false,
          withWaiting: false,
        })
      ).filter((o) => o.kind !== 'allocation');
      for (const c of checkReservation(holds, occupations).conflicts) {
        refused.push({ booking: holds[c.index]!.booking, reason: 'seats_taken', conflict: c });
      }
    }
    if (refused.length > 0) return { now, confirmed: [], refused };
    const updatedAt = cx.m.inst(request.updatedAt ?? now);
    const nowV = cx.m.inst(now);
    const written = await unlessExcluded(cx, () =>
      cx.db
        .updateTable('seshn_bookings')
        .set({ status: 'confirmed', expires_at: null, updated_at: updatedAt })
        .where('organization_id', '=', scope.organizationId)
        .where('mode', '=', scope.mode)
        .where('id', 'in', ids)
        .where('status', '=', 'held')
        .where('expires_at', '>', nowV)
        .execute(),
    );
    if (written === null) {
      return {
        now,
        confirmed: [],
        refused: holds.map((h) => ({ booking: h.booking, reason: 'seats_taken' })),
      };
    }
    const confirmed = await getRecords(cx, 'booking', scope, ids);
    await addSeats(cx, scope, confirmed);
    return { now, confirmed, refused: [] };
  });
}

/**
 * `release` (cancel, expire). Locks: the bookings' resource rows (id order, read again under the
 * lock) — the same locks as `reserve`, in the same order; then changes each booking under its
 * guard, then takes the seats of those that were confirmed out of their slot-seat rows.
 */
export function release(cx: StoreContext, scope: Scope, request: ReleaseRequest): Promise<ReleaseResult> {
  return cx.atomic(async (cx) => {
    const ids = [...new Set(request.bookingIds)];
    const before = ids.length > 0 ? await lockBookings(cx, scope, ids) : [];
    const now = resolveNow(request.now);
    const nowV = cx.m.inst(now);
    const cancel = request.to === 'cancelled';
    const candidates = before.filter((b) =>
      cancel
        ? b.status === 'confirmed' || (b.status === 'held' && b.expiresAt !== null && b.expiresAt > now)
        : b.status === 'held' && b.expiresAt !== null && b.expiresAt <= now,
    );
    const released: BookingRecord[] = [];
    // Guarded again in SQL: of two writers releasing one booking, exactly one changes the row.
    const guarded = (bookingIds: string[]) =>
      cx.db
        .updateTable('seshn_bookings')
        .set(
          cancel
            ? {
                status: 'cancelled',
                cancelled_at: nowV,
                cancellation_reason: request.reason ?? null,
                updated_at: nowV,
              }
            : { status: 'expired', updated_at: nowV },
        )
        .where('organization_id', '=', scope.organizationId)
        .where('mode', '=', scope.mode)
        .where('id', 'in', bookingIds)
        .where((eb) =>
          cancel
            ? effectiveStatusIs(cx, eb, ['held', 'confirmed'], now)
            : eb.and([eb('status', '=', 'held'), eb('expires_at', '<=', nowV)]),
        )
        .executeTakeFirst();
    // One statement for all of them (the work runner releases batches). Every status change of
    // these rows happens under the resource locks held now, so a statement that changed as many
    // rows as there are candidates changed exactly those; otherwise the rows say which it changed.
    const candidateIds = candidates.map((b) => b.id);
    let changed = new Set<string>();
    if (candidateIds.length > 0) {
      const n = num((await guarded(candidateIds)).numUpdatedRows);
      if (n === candidateIds.length) changed = new Set(candidateIds);
      else if (n > 0) {
        const target = cancel ? 'cancelled' : 'expired';
        const rows = await getRecords(cx, 'booking', scope, candidateIds);
        changed = new Set(rows.filter((r) => r.status === target && r.updatedAt === now).map((r) => r.id));
      }
    }
    for (const b of candidates) {
      if (!changed.has(b.id)) continue;
      released.push(
        cancel
          ? {
              ...b,
              status: 'cancelled',
              cancelledAt: now,
              cancellationReason: request.reason ?? null,
              updatedAt: now,
            }
          : { ...b, status: 'expired', updatedAt: now },
      );
    }
    const releasedIds = new Set(released.map((b) => b.id));
    await takeSeats(
      cx,
      scope,
      before.filter((b) => releasedIds.has(b.id)),
    );
    return { now, released };
  });
}

/** `setAttendance`: a guarded mark on a confirmed booking; frees no seats, so takes no lock. */
export async function setAttendance(
  cx: StoreContext,
  scope: Scope,
  request: AttendanceRequest,
): Promise<BookingRecord | null> {
  const result = await cx.db
    .updateTable('seshn_bookings')
    .set({ attendance: request.attendance, updated_at: cx.m.inst(request.now) })
    .where('organization_id', '=', scope.organizationId)
    .where('mode', '=', scope.mode)
    .where('id', '=', request.bookingId)
    .where((eb) => effectiveStatusIs(cx, eb, ['confirmed'], request.now))
    .where('attendance', '<>', request.attendance)
    .executeTakeFirst();
  if (num(result.numUpdatedRows) === 0) return null;
  const [b] = await getRecords(cx, 'booking', scope, [request.bookingId]);
  return b ?? null;
}

export function listOccupations(
  cx: StoreContext,
  scope: Scope,
  resourceIds: string[],
  from: number,
  to: number,
  now: number,
) {
  return readOccupations(cx, scope, resourceIds, [{ from, to }], now);
}
