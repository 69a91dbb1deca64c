/**
 * The outbox (core's `OutboxStore`): events appended with the change they describe, delivered per
 * consumer through `seshn_event_deliveries` — one row per (consumer, event), made when the
 * consumer first claims the event, holding its lease, attempts and settled instant. The event row
 * is never leased, so one event fans out to any number of consumers.
 *
 * Claiming is safe with many workers of one consumer at once: the lease is taken by a guarded
 * update of the delivery rows (only rows unsettled and unleased at `now` change), locked with
 * `FOR UPDATE SKIP LOCKED` first where the database has it so workers pass each other's rows
 * instead of queueing; SQLite's write lock serialises claims.
 * @module
 */
import type { ClaimedEvent, ClaimRequest, EventRecord, Scope, SettleRequest } from '@seshn/core';
import { num } from '../profile.js';
import { insertRows, type StoreContext } from './context.js';

export function enqueue(cx: StoreContext, scope: Scope, events: EventRecord[]): Promise<void> {
  if (events.length === 0) return Promise.resolve();
  // One serialization per distinct payload object: a booking's created/confirmed pair shares one.
  const serialized = new Map<unknown, string>();
  const jsonOf = (data: unknown) => {
    let text = serialized.get(data);
    if (text === undefined) {
      text = JSON.stringify(data ?? {});
      serialized.set(data, text);
    }
    return text;
  };
  return insertRows(
    cx,
    'seshn_events',
    events.map((e) => cx.m.event.toRow(scope, e, jsonOf(e.data))),
  );
}

export function claim(cx: StoreContext, request: ClaimRequest): Promise<ClaimedEvent[]> {
  return cx.atomic(async (cx) => {
    const now = cx.m.inst(request.now);
    const { consumer, scope } = request;
    // Events the consumer has no delivery row for, or whose delivery is open and unleased.
    let candidates = cx.db
      .selectFrom('seshn_events as e')
      .leftJoin('seshn_event_deliveries as d', (join) =>
        join.onRef('d.event_id', '=', 'e.id').on('d.consumer', '=', consumer),
      )
      .select(['e.id', 'e.organization_id', 'e.mode'])
      .where((eb) =>
        eb.or([
          eb('d.event_id', 'is', null),
          eb.and([
            eb('d.settled_at', 'is', null),
            eb.or([eb('d.lease_until', 'is', null), eb('d.lease_until', '<=', now)]),
          ]),
        ]),
      )
      .orderBy('e.id')
      .limit(request.limit);
    if (scope) {
      candidates = candidates
        .where('e.organization_id', '=', scope.organizationId)
        .where('e.mode', '=', scope.mode);
    }
    const found = await candidates.execute();
    if (found.length === 0) return [];
    // Delivery rows for events claimed the first time (in id order; a concurrent claimer's rows are skipped).
    const fresh = cx.db.insertInto('seshn_event_deliveries').values(
      found.map((e) => ({
        consumer,
        event_id: e.id,
        organization_id: e.organization_id,
        mode: e.mode,
        lease_owner: null,
        lease_until: null,
        attempts: 0,
        settled_at: null,
      })),
    );
    await (cx.p.conflictStyle === 'insert_ignore'
      ? fresh.ignore()
      : fresh.onConflict((oc) => oc.columns(['consumer', 'event_id']).doNothing())
    ).execute();
    const ids = found.map((e) => e.id);
    let open = cx.db
      .selectFrom('seshn_event_deliveries')
      .select('event_id')
      .where('consumer', '=', consumer)
      .where('event_id', 'in', ids)
      .where('settled_at', 'is', null)
      .where((eb) => eb.or([eb('lease_until', 'is', null), eb('lease_until', '<=', now)]))
      .orderBy('event_id');
    if (cx.p.locking.rowLocks) open = open.forUpdate();
    if (cx.p.locking.skipLocked) open = open.skipLocked();
    const mine = (await open.execute()).map((r) => r.event_id);
    if (mine.length === 0) return [];
    const leaseUntil = cx.m.inst(request.now + request.leaseMs);
    await cx.db
      .updateTable('seshn_event_deliveries')
      .set((eb) => ({
        lease_owner: request.owner,
        lease_until: leaseUntil,
        attempts: eb('attempts', '+', 1),
      }))
      .where('consumer', '=', consumer)
      .where('event_id', 'in', mine)
      .where('settled_at', 'is', null)
      .where((eb) => eb.or([eb('lease_until', 'is', null), eb('lease_until', '<=', now)]))
      .execute();
    const rows = await cx.db
      .selectFrom('seshn_events as e')
      .innerJoin('seshn_event_deliveries as d', (join) =>
        join.onRef('d.event_id', '=', 'e.id').on('d.consumer', '=', consumer),
      )
      .selectAll('e')
      .select('d.attempts')
      .where('e.id', 'in', mine)
      .where('d.lease_owner', '=', request.owner)
      .where('d.lease_until', '=', leaseUntil)
      .orderBy('e.id')
      .execute();
    return rows.map((row) => ({
      ...cx.m.event.fromRow(row),
      scope: { organizationId: row.organization_id, mode: row.mode as Scope['mode'] },
      attempt: num(row.attempts),
    }));
  });
}

export async function settle(cx: StoreContext, request: SettleRequest): Promise<number> {
  if (request.eventIds.length === 0) return 0;
  const result = await cx.db
    .updateTable('seshn_event_deliveries')
    .set(
      request.retryAt === undefined
        ? { settled_at: cx.m.inst(request.now), lease_until: null }
        : { lease_owner: null, lease_until: cx.m.inst(request.retryAt) },
    )
    .where('consumer', '=', request.consumer)
    .where('event_id', 'in', request.eventIds)
    .where('lease_owner', '=', request.owner)
    .where('settled_at', 'is', null)
    .executeTakeFirst();
  return num(result.numUpdatedRows);
}
