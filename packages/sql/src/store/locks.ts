/**
 * The lock protocol's first step, shared by every booking primitive (see packages/sql/README.md):
 * the resource rows of everything a write touches, in resource-id order, before anything else.
 * @module
 */
import type { BookingRecord, Scope } from '@seshn/core';
import type { StoreContext } from './context.js';
import { getRecords } from './records.js';

/**
 * Locks the resource rows, in id order, until the transaction ends (`SELECT … FOR UPDATE`). Every
 * write that makes or frees seats queues here, so two writers of one resource never interleave
 * and two multi-resource writers cannot deadlock. Without row locks (SQLite) nothing is taken:
 * `BEGIN IMMEDIATE` already holds the database's single write lock for the whole transaction.
 */
export async function lockResources(
  cx: StoreContext,
  scope: Scope,
  resourceIds: Iterable<string>,
): Promise<void> {
  const ids = [...new Set(resourceIds)].sort();
  if (!cx.p.locking.rowLocks || ids.length === 0) return;
  await cx.db
    .selectFrom('seshn_resources')
    .select('id')
    .where('organization_id', '=', scope.organizationId)
    .where('mode', '=', scope.mode)
    .where('id', 'in', ids)
    .orderBy('id')
    .forUpdate()
    .execute();
}

/**
 * The bookings of `ids`, read once their resources (and `alsoLock`) are locked, in one id-ordered
 * set. A booking a concurrent move put on a resource not locked yet is read again after locking
 * that one too (a rare second round, outside id order: a deadlock it causes is transient and the
 * transaction retries).
 */
export async function lockBookings(
  cx: StoreContext,
  scope: Scope,
  ids: string[],
  alsoLock: Iterable<string> = [],
): Promise<BookingRecord[]> {
  let bookings = await getRecords(cx, 'booking', scope, ids);
  const locked = new Set<string>();
  let wanted = new Set([...alsoLock, ...bookings.map((b) => b.resourceId)]);
  for (;;) {
    const missing = [...wanted].filter((r) => !locked.has(r));
    if (missing.length === 0) return bookings;
    await lockResources(cx, scope, missing);
    for (const r of missing) locked.add(r);
    if (!cx.p.locking.rowLocks) return bookings;
    bookings = await getRecords(cx, 'booking', scope, ids);
    wanted = new Set(bookings.map((b) => b.resourceId));
  }
}
