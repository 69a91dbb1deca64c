/**
 * Background work (core's `WorkStore`): what time made due, found by index scans, and claimed
 * without waiting so that many runners never do one item twice at once nor queue behind a
 * booking.
 *
 * - `findDueWork` reads without locks: lapsed holds through `seshn_bookings_lapsed` (partial on
 *   `status = 'held'` where the database has partial indexes), automatic no-shows through
 *   `seshn_bookings_attendance_due`, one scan per grace-period group.
 * - `tryLockResources` is lock protocol step 1 with `SKIP LOCKED`: a runner takes the resources
 *   nobody holds and moves on from the others.
 * - `markNoShows` claims booking rows only (`FOR UPDATE SKIP LOCKED`), then a guarded update.
 * SQLite serialises every writer with its database write lock, so a claim there always succeeds.
 * @module
 */
import type { BookingRecord, DueWork, DueWorkRequest, MarkNoShowsRequest, Scope } from '@seshn/core';
import { sql } from 'kysely';
import type { StoreContext } from './context.js';
import { getRecords } from './records.js';

/** `findDueWork`: lapsed holds, soonest lapse first; no-shows, earliest end first (both then by id). */
export async function findDueWork(cx: StoreContext, scope: Scope, request: DueWorkRequest): Promise<DueWork> {
  const limit = Math.max(0, Math.floor(request.limit));
  if (limit === 0) return { lapsedHolds: [], noShows: [] };
  const m = cx.m;
  const lapsed = await cx.db
    .selectFrom('seshn_bookings')
    .select(['id', 'resource_id'])
    .where('organization_id', '=', scope.organizationId)
    .where('mode', '=', scope.mode)
    // A literal, not a parameter: the lapsed-holds index is partial on it.
    .where('status', '=', sql.lit('held'))
    .where('expires_at', '<=', m.inst(request.now))
    .orderBy('expires_at')
    .orderBy('id')
    .limit(limit)
    .execute();
  // One indexed scan per group (each has its own end bound), merged in (end, id) order.
  const due: { id: string; end: number }[] = [];
  for (const group of request.noShows) {
    const serviceIds = [...new Set(group.serviceIds)];
    if (serviceIds.length === 0) continue;
    const rows = await cx.db
      .selectFrom('seshn_bookings')
      .select(['id', 'end_time'])
      .where('organization_id', '=', scope.organizationId)
      .where('mode', '=', scope.mode)
      .where('status', '=', sql.lit('confirmed'))
      .where('attendance', '=', sql.lit('pending'))
      .where('service_id', 'in', serviceIds)
      .where('end_time', '<=', m.inst(group.endedBy))
      .orderBy('end_time')
      .orderBy('id')
      .limit(limit)
      .execute();
    for (const r of rows) due.push({ id: r.id, end: m.readInst(r.end_time) });
  }
  due.sort((a, b) => a.end - b.end || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const noShows = [...new Set(due.map((d) => d.id))].slice(0, limit);
  return { lapsedHolds: lapsed.map((r) => ({ id: r.id, resourceId: r.resource_id })), noShows };
}

/**
 * `tryLockResources`: the resource rows of `resourceIds` no other transaction holds, locked in id
 * order until the caller's transaction ends (`FOR UPDATE SKIP LOCKED`). Without row locks
 * (SQLite) every id: the transaction's write lock already stands for them.
 */
export async function tryLockResources(
  cx: StoreContext,
  scope: Scope,
  resourceIds: string[],
): Promise<string[]> {
  const ids = [...new Set(resourceIds)].sort();
  if (ids.length === 0 || !cx.p.locking.rowLocks) return ids;
  let q = cx.db
    .selectFrom('seshn_resources')
    .select('id')
    .where('organization_id', '=', scope.organizationId)
    .where('mode', '=', scope.mode)
    .where('id', 'in', ids)
    .orderBy('id')
    .forUpdate();
  if (cx.p.locking.skipLocked) q = q.skipLocked();
  return (await q.execute()).map((r) => r.id).sort();
}

/**
 * `markNoShows`: of `bookingIds`, those still confirmed with attendance `pending` and not held by
 * another transaction are locked (`FOR UPDATE SKIP LOCKED`), marked `no_show` at `now` by a guarded
 * update, and returned as stored, in the order asked. Of concurrent callers each booking is marked
 * by exactly one: a row locked by another is skipped, and one marked meanwhile fails the guard.
 */
export function markNoShows(
  cx: StoreContext,
  scope: Scope,
  request: MarkNoShowsRequest,
): Promise<BookingRecord[]> {
  const ids = [...new Set(request.bookingIds)];
  if (ids.length === 0) return Promise.resolve([]);
  return cx.atomic(async (cx) => {
    let q = cx.db
      .selectFrom('seshn_bookings')
      .select('id')
      .where('organization_id', '=', scope.organizationId)
      .where('mode', '=', scope.mode)
      .where('id', 'in', ids)
      .where('status', '=', 'confirmed')
      .where('attendance', '=', 'pending')
      .orderBy('id');
    if (cx.p.locking.rowLocks) q = q.forUpdate();
    if (cx.p.locking.skipLocked) q = q.skipLocked();
    const claimed = (await q.execute()).map((r) => r.id);
    if (claimed.length === 0) return [];
    await cx.db
      .updateTable('seshn_bookings')
      .set({ attendance: 'no_show', updated_at: cx.m.inst(request.now) })
      .where('organization_id', '=', scope.organizationId)
      .where('mode', '=', scope.mode)
      .where('id', 'in', claimed)
      .where('status', '=', 'confirmed')
      .where('attendance', '=', 'pending')
      .execute();
    const marked = await getRecords(cx, 'booking', scope, claimed);
    const order = new Map(ids.map((id, i) => [id, i]));
    return marked
      .filter((b) => b.status === 'confirmed' && b.attendance === 'no_show')
      .sort((a, b) => order.get(a.id)! - order.get(b.id)!);
  });
}
