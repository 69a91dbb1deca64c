/**
 * Live occupations of resources, as `reserve`, `move`, `confirm` and availability read them:
 * confirmed seats one row per slot (`seshn_slot_seats`, see slot-seats.ts), live holds one row per
 * booking (through the partial `seshn_bookings_holds` index), allocations, and the waiting
 * waitlist entries of slots not started yet (kind `waiting`, through the partial
 * `seshn_waitlist_entries_waiting` index): demand for their own slot only, which core's
 * `checkReservation` serves ahead of a newcomer.
 * @module
 */
import type { OccupationRecord, Scope } from '@seshn/core';
import { sql } from 'kysely';
import { num } from '../profile.js';
import {
  type AnyExpressionBuilder,
  type AnyQuery,
  anyDb,
  type Row,
  runTemplate,
  type StoreContext,
  whereScopeIn,
} from './context.js';

export type Range = { from: number; to: number };

export interface OccupationOptions {
  /** Bookings that do not count (the ones being moved or confirmed). */
  ignore?: readonly string[];
  /** Read live holds too (default); `false` reads what is sold: confirmed seats and allocations. */
  withHolds?: boolean;
  /**
   * Read the waiting entries of slots not started at `now` too (default). `confirm` reads
   * without them: a hold's seats were weighed against the queue when it was taken.
   */
  withWaiting?: boolean;
}

/**
 * Occupations of `resourceIds` overlapping any of `ranges` by their occupied (buffered) interval
 * at `now`. Same-slot seats add up either way, so `checkReservation` sees the same totals as with
 * one row per booking; a slot row names one of its confirmed bookings as its id.
 */
export async function readOccupations(
  cx: StoreContext,
  scope: Scope,
  resourceIds: string[],
  ranges: Range[],
  now: number,
  options: OccupationOptions = {},
): Promise<OccupationRecord[]> {
  if (resourceIds.length === 0 || ranges.length === 0) return [];
  const ignore = options.ignore ?? [];
  const withHolds = options.withHolds ?? true;
  const withWaiting = options.withWaiting ?? true;
  const m = cx.m;
  // Values by position: scope, now, the resource ids, then each range's from and to.
  const values: unknown[] = [scope.organizationId, scope.mode, m.inst(now), ...resourceIds];
  for (const r of ranges) values.push(m.inst(r.from), m.inst(r.to));
  const key = `occupations:${resourceIds.length}:${ranges.length}${withWaiting ? ':waiting' : ''}`;
  const rows = await runTemplate(cx, key, values, (v) => {
    const db = anyDb(cx);
    const rangeAt = 3 + resourceIds.length;
    const overlapping = (eb: AnyExpressionBuilder, start: string, end: string) =>
      eb.or(
        ranges.map((_, i) =>
          eb.and([eb(start, '<', v(rangeAt + 2 * i + 1)), eb(end, '>', v(rangeAt + 2 * i))]),
        ),
      );
    const columns = (kind: string, id: string, occStart: string, occEnd: string) => [
      sql.lit(kind).as('kind'),
      sql.ref(id).as('id'),
      'resource_id',
      sql.ref('start_time').as('start'),
      sql.ref('end_time').as('end'),
      sql.ref(occStart).as('occupied_start'),
      sql.ref(occEnd).as('occupied_end'),
    ];
    const scoped = (q: AnyQuery) => whereScopeIn(q, v, 'resource_id', 3, resourceIds.length);
    // `position` is the waiting entries' own; the other branches carry a 0 (a typed literal, so
    // every database resolves the union's column to an integer).
    const noPosition = sql<number>`0`.as('position');
    const confirmed = scoped(
      db
        .selectFrom('seshn_slot_seats')
        .select([
          ...columns('slot', 'booking_id', 'occupied_start', 'occupied_end'),
          'slot_key',
          'seats',
          noPosition,
        ]),
    ).where((eb: AnyExpressionBuilder) => overlapping(eb, 'occupied_start', 'occupied_end'));
    const held = scoped(
      db
        .selectFrom('seshn_bookings')
        .select([
          ...columns('booking', 'id', 'occupied_start', 'occupied_end'),
          'slot_key',
          'seats',
          noPosition,
        ]),
    )
      // A literal, not a parameter: the live-holds index is partial on it.
      .where('status', '=', sql.lit('held'))
      .where('expires_at', '>', v(2))
      .where((eb: AnyExpressionBuilder) => overlapping(eb, 'occupied_start', 'occupied_end'));
    const allocations = scoped(
      db
        .selectFrom('seshn_allocations')
        .select([
          ...columns('allocation', 'id', 'start_time', 'end_time'),
          sql<string | null>`null`.as('slot_key'),
          sql<number>`0`.as('seats'),
          noPosition,
        ]),
    ).where((eb: AnyExpressionBuilder) => overlapping(eb, 'start_time', 'end_time'));
    const all = confirmed.unionAll(held).unionAll(allocations);
    if (!withWaiting) return all;
    const waiting = scoped(
      db
        .selectFrom('seshn_waitlist_entries')
        .select([
          ...columns('waiting', 'id', 'occupied_start', 'occupied_end'),
          'slot_key',
          'seats',
          'position',
        ]),
    )
      // A literal, not a parameter: the waiting-entries index is partial on it.
      .where('status', '=', sql.lit('waiting'))
      .where('start_time', '>', v(2))
      .where((eb: AnyExpressionBuilder) => overlapping(eb, 'occupied_start', 'occupied_end'));
    return all.unionAll(waiting);
  });
  const occupations: OccupationRecord[] = [];
  const slots: OccupationRecord[] = [];
  for (const row of rows) {
    const o = toOccupation(cx, row);
    if (row.kind === 'slot') slots.push(o);
    else if (o.kind === 'booking' && (!withHolds || ignore.includes(o.id))) continue;
    else occupations.push(o);
  }
  if (ignore.length > 0 && slots.length > 0) await withoutIgnored(cx, scope, slots, ignore);
  for (const slot of slots) if (slot.seats > 0) occupations.push(slot);
  return occupations;
}

function toOccupation(cx: StoreContext, row: Row): OccupationRecord {
  const o: OccupationRecord = {
    kind: row.kind === 'allocation' ? 'allocation' : row.kind === 'waiting' ? 'waiting' : 'booking',
    id: String(row.id),
    resourceId: String(row.resource_id),
    start: cx.m.readInst(row.start),
    end: cx.m.readInst(row.end),
    occupiedStart: cx.m.readInst(row.occupied_start),
    occupiedEnd: cx.m.readInst(row.occupied_end),
    slotKey: row.slot_key === null ? null : String(row.slot_key),
    seats: num(row.seats),
  };
  if (o.kind === 'waiting') o.position = num(row.position);
  return o;
}

/**
 * An ignored confirmed booking (one being moved or confirmed) is inside its slot's count: take
 * its seats out of that slot, and when the slot named it, name another of its bookings.
 */
async function withoutIgnored(
  cx: StoreContext,
  scope: Scope,
  slots: OccupationRecord[],
  ignore: readonly string[],
): Promise<void> {
  const m = cx.m;
  const ignored = await cx.db
    .selectFrom('seshn_bookings')
    .select(['id', 'resource_id', 'slot_key', 'occupied_start', 'occupied_end', 'seats'])
    .where('organization_id', '=', scope.organizationId)
    .where('mode', '=', scope.mode)
    .where('id', 'in', [...ignore])
    .where('status', '=', 'confirmed')
    .execute();
  for (const b of ignored) {
    const slot = slots.find(
      (o) =>
        o.resourceId === b.resource_id &&
        o.slotKey === b.slot_key &&
        o.occupiedStart === m.readInst(b.occupied_start) &&
        o.occupiedEnd === m.readInst(b.occupied_end),
    );
    if (slot) slot.seats -= num(b.seats);
  }
  for (const slot of slots) {
    if (slot.seats <= 0 || !ignore.includes(slot.id)) continue;
    const other = await cx.db
      .selectFrom('seshn_bookings')
      .select('id')
      .where('organization_id', '=', scope.organizationId)
      .where('mode', '=', scope.mode)
      .where('resource_id', '=', slot.resourceId)
      .where('slot_key', '=', slot.slotKey ?? '')
      .where('status', '=', 'confirmed')
      .where('id', 'not in', [...ignore])
      .limit(1)
      .executeTakeFirst();
    if (other) slot.id = other.id;
  }
}
