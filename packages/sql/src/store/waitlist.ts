/**
 * The waitlist (core's `WaitlistStore`): a slot's queue read under the lock protocol. Entries are
 * plain records otherwise (`waitlistEntry` in records.ts). Every write of an entry happens while
 * its slot's resource row is held (lock protocol step 1), so the queue read here with `lock`
 * stays as read until the transaction ends, and entry rows need no lock of their own.
 * @module
 */
import {
  type ReadQueuesRequest,
  type ReadQueuesResult,
  resolveNow,
  type Scope,
  type WaitlistQueue,
  type WaitlistSlot,
} from '@seshn/core';
import { sql } from 'kysely';
import { num } from '../profile.js';
import type { AnyExpressionBuilder, StoreContext } from './context.js';
import { lockResources } from './locks.js';

const slotId = (s: WaitlistSlot) => `${s.resourceId}\u0000${s.slotKey}`;

/**
 * `readQueues`. With `lock`: the slots' resource rows in id order first (step 1), then the clock,
 * then the queues. Two reads, both on the unique `(scope, resource, slot key, position)` index:
 * the waiting entries of slots not started at `now`, by position, and each slot's highest
 * position of any status.
 */
export function readQueues(
  cx: StoreContext,
  scope: Scope,
  request: ReadQueuesRequest,
): Promise<ReadQueuesResult> {
  const read = async (cx: StoreContext): Promise<ReadQueuesResult> => {
    const slots: WaitlistSlot[] = [];
    const seen = new Set<string>();
    for (const s of request.slots) {
      if (seen.has(slotId(s))) continue;
      seen.add(slotId(s));
      slots.push({ resourceId: s.resourceId, slotKey: s.slotKey });
    }
    if (request.lock)
      await lockResources(
        cx,
        scope,
        slots.map((s) => s.resourceId),
      );
    const now = resolveNow(request.now);
    if (slots.length === 0) return { now, queues: [] };
    const ofSlots = (eb: AnyExpressionBuilder) =>
      eb.or(slots.map((s) => eb.and([eb('resource_id', '=', s.resourceId), eb('slot_key', '=', s.slotKey)])));
    const waiting = await cx.db
      .selectFrom('seshn_waitlist_entries')
      .selectAll()
      .where('organization_id', '=', scope.organizationId)
      .where('mode', '=', scope.mode)
      .where(ofSlots)
      .where('status', '=', sql.lit('waiting'))
      .where('start_time', '>', cx.m.inst(now))
      .orderBy('position')
      .execute();
    const last = await cx.db
      .selectFrom('seshn_waitlist_entries')
      .select(['resource_id', 'slot_key', (eb) => eb.fn.max('position').as('last')])
      .where('organization_id', '=', scope.organizationId)
      .where('mode', '=', scope.mode)
      .where(ofSlots)
      .groupBy(['resource_id', 'slot_key'])
      .execute();
    const queues = new Map<string, WaitlistQueue>(
      slots.map((s) => [slotId(s), { ...s, waiting: [], lastPosition: 0 }]),
    );
    for (const row of waiting) {
      const entry = cx.m.waitlistEntry.fromRow(row);
      queues.get(slotId(entry))?.waiting.push(entry);
    }
    for (const row of last) {
      const q = queues.get(slotId({ resourceId: row.resource_id, slotKey: row.slot_key }));
      if (q) q.lastPosition = num(row.last);
    }
    return { now, queues: [...queues.values()] };
  };
  // Locks last until the transaction ends: outside one, the read gets a transaction of its own.
  return request.lock ? cx.atomic(read) : read(cx);
}
