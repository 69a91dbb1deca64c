/**
 * Confirmed seats per slot (`seshn_slot_seats`), so `reserve` reads one row per slot instead of
 * one per booking: without it, booking a popular slot gets slower with every seat sold.
 *
 * The table is derived data, kept here — by the booking primitives' own writes, in the same
 * transaction, for every database alike — and nowhere else: every write that makes a booking
 * confirmed or stops it being confirmed is a primitive (`reserve`, `confirm`, `move`, `release`),
 * and each calls {@link addSeats} / {@link takeSeats} after its booking rows. Only confirmed
 * bookings are counted: a hold stops occupying at `expiresAt` without any write (invariant 2),
 * so live holds are read one by one, through an index that skips lapsed ones.
 *
 * Invariant (tested on every database): the table equals "confirmed seats of `seshn_bookings`
 * grouped by (scope, resource, slot, occupied interval)", and each row's `booking_id` names a
 * confirmed booking of that slot (reported as `withId` when another slot collides with it).
 *
 * Lock protocol, step 2: a caller holds the slots' resource rows already; the rows here are
 * written in key order.
 * @module
 */
import type { BookingRecord, Scope } from '@seshn/core';
import { sql } from 'kysely';
import {
  type AnyExpressionBuilder,
  type AnyQuery,
  anyDb,
  INSERT_CHUNK,
  insertRows,
  type StoreContext,
} from './context.js';

/** The primary key of a slot-seat row, in the order the templates bind it. */
const KEY = ['organization_id', 'mode', 'resource_id', 'slot_key', 'occupied_start', 'occupied_end'] as const;

interface SlotGroup {
  key: string;
  /** A booking of the group: its slot columns are the group's. */
  first: BookingRecord;
  seats: number;
  ids: string[];
}

/** Confirmed bookings grouped by their slot-seat row, in key order. */
function groups(bookings: BookingRecord[]): SlotGroup[] {
  const byKey = new Map<string, SlotGroup>();
  for (const b of bookings) {
    if (b.status !== 'confirmed') continue;
    const key = JSON.stringify([b.resourceId, b.slotKey, b.occupiedStart, b.occupiedEnd]);
    const g = byKey.get(key);
    if (g) {
      g.seats += b.seats;
      g.ids.push(b.id);
    } else byKey.set(key, { key, first: b, seats: b.seats, ids: [b.id] });
  }
  return [...byKey.values()].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}

/** `WHERE` of one slot-seat row (values by position from `at`: scope, resource, slot, occupied start/end). */
function whereSlot(q: AnyQuery, v: (i: number) => unknown, at: number, alias = ''): AnyQuery {
  return KEY.reduce((next, column, i) => next.where(`${alias}${column}`, '=', v(at + i)), q);
}

function slotValues(cx: StoreContext, scope: Scope, b: BookingRecord): unknown[] {
  return [
    scope.organizationId,
    scope.mode,
    b.resourceId,
    b.slotKey,
    cx.m.inst(b.occupiedStart),
    cx.m.inst(b.occupiedEnd),
  ];
}

/** The slot-seat upsert of one group, with its values bound from `at` on (11 values). */
function upsertSlot(
  cx: StoreContext,
  v: (i: number) => unknown,
  at: number,
  db: AnyQuery = anyDb(cx),
): AnyQuery {
  const insert = db.insertInto('seshn_slot_seats').values({
    ...Object.fromEntries(KEY.map((column, i) => [column, v(at + i)])),
    start_time: v(at + 6),
    end_time: v(at + 7),
    seats: v(at + 8),
    booking_id: v(at + 9),
  });
  const bump = { seats: sql`${sql.ref('seshn_slot_seats.seats')} + ${v(at + 10)}` };
  return cx.p.conflictStyle === 'insert_ignore'
    ? insert.onDuplicateKeyUpdate(bump)
    : insert.onConflict((oc: AnyQuery) => oc.columns([...KEY]).doUpdateSet(bump));
}

/** The values {@link upsertSlot} binds for a group: its key (0–5), start, end, seats, named booking, seats. */
function upsertValues(cx: StoreContext, scope: Scope, g: SlotGroup): unknown[] {
  const b = g.first;
  return [...slotValues(cx, scope, b), cx.m.inst(b.startTime), cx.m.inst(b.endTime), g.seats, b.id, g.seats];
}

/** Adds the seats of the confirmed ones among `bookings` (as stored now) to their slots' rows. */
export async function addSeats(cx: StoreContext, scope: Scope, bookings: BookingRecord[]): Promise<void> {
  for (const g of groups(bookings)) {
    await cx.db.executeQuery(
      cx.t.query('slot-seats:add', upsertValues(cx, scope, g), (v) => upsertSlot(cx, v, 0)),
    );
  }
}

/**
 * Inserts new bookings and adds the confirmed ones' seats to their slots' rows. Where the
 * database runs data-modifying CTEs (`writableCte`) and the bookings fill one slot row, the
 * insert and the upsert are one statement: `reserve`'s hot path costs the round trips it had when
 * a trigger kept the counter.
 */
export async function insertBookings(
  cx: StoreContext,
  scope: Scope,
  bookings: BookingRecord[],
): Promise<void> {
  const rows: Record<string, unknown>[] = bookings.map((b) => cx.m.booking.toRow(scope, b));
  const slots = groups(bookings);
  if (!cx.p.writableCte || slots.length !== 1 || rows.length > INSERT_CHUNK) {
    await insertRows(cx, 'seshn_bookings', rows);
    await addSeats(cx, scope, bookings);
    return;
  }
  const columns = Object.keys(rows[0]!);
  const values = [
    ...rows.flatMap((row) => columns.map((c) => row[c])),
    ...upsertValues(cx, scope, slots[0]!),
  ];
  const at = rows.length * columns.length;
  const query = cx.t.query(`insert-with-seats:${rows.length}:${columns.join(',')}`, values, (v) =>
    upsertSlot(
      cx,
      v,
      at,
      anyDb(cx).with('inserted', (db) =>
        db
          .insertInto('seshn_bookings')
          .values(
            rows.map((_, r) => Object.fromEntries(columns.map((c, k) => [c, v(r * columns.length + k)]))),
          ),
      ),
    ),
  );
  await cx.db.executeQuery(query);
}

/**
 * Takes the seats of the bookings among `before` that were confirmed (as they were before the
 * write that just changed them) out of their slots' rows. A row whose named booking left names
 * another confirmed booking of the slot; a row with no seats left goes.
 */
export async function takeSeats(cx: StoreContext, scope: Scope, before: BookingRecord[]): Promise<void> {
  for (const g of groups(before)) {
    const slot = slotValues(cx, scope, g.first);
    await cx.db.executeQuery(
      cx.t.query('slot-seats:take', [g.seats, ...slot], (v) =>
        whereSlot(
          anyDb(cx)
            .updateTable('seshn_slot_seats')
            .set({ seats: sql`seats - ${v(0)}` }),
          v,
          1,
        ),
      ),
    );
    // Values: the slot (0–5), then the ids leaving it.
    await cx.db.executeQuery(
      cx.t.query(`slot-seats:rename:${g.ids.length}`, [...slot, ...g.ids], (v) =>
        whereSlot(
          anyDb(cx)
            .updateTable('seshn_slot_seats')
            .set((eb: AnyExpressionBuilder) => ({
              booking_id: eb.fn.coalesce(
                whereSlot(
                  eb.selectFrom('seshn_bookings as b').select(eb.fn.min('b.id').as('id')),
                  v,
                  0,
                  'b.',
                ).where('b.status', '=', 'confirmed'),
                eb.ref('booking_id'),
              ),
            })),
          v,
          0,
        ).where(
          'booking_id',
          'in',
          g.ids.map((_, i) => v(6 + i)),
        ),
      ),
    );
    await cx.db.executeQuery(
      cx.t.query('slot-seats:drop', slot, (v) =>
        whereSlot(anyDb(cx).deleteFrom('seshn_slot_seats'), v, 0).where('seats', '<=', 0),
      ),
    );
  }
}
