/**
 * The booking primitives: the few writes that carry the no-overbooking invariant, each one
 * atomic, each taking the same locks in the same order (the lock protocol below), so that any
 * composition of them in one transaction — a `release` that promotes a waitlist entry with a
 * `reserve`, a `move` — can never deadlock against, or oversell next to, a concurrent one.
 *
 * **The lock protocol** (packages/sql/README.md has it per database):
 * 1. the resource rows of every booking involved, in resource-id order (`SELECT … FOR UPDATE`;
 *    on SQLite the transaction's `BEGIN IMMEDIATE` database write lock stands for all locks);
 * 2. then the slot-seat rows (`seshn_slot_seats`) the write changes, in key order;
 * 3. then the booking rows themselves.
 * A primitive never takes a resource lock after a slot-seat or booking lock. The clock (`now`)
 * is read once the resource locks are held.
 * @module
 */
import type { Attendance } from '../schema/booking.js';
import type { BookingRecord, Scope } from './records.js';

/**
 * A live occupation of a resource, as `reserve` and availability see it. `waiting` is not an
 * occupation of time but demand for one slot: a waitlist entry of that slot (id `wl_…`, its
 * seats, its `position`), which only ever counts against bookings of the same `slotKey`.
 */
export interface OccupationRecord {
  kind: 'booking' | 'allocation' | 'waiting';
  id: string;
  resourceId: string;
  /** Booking: the slot; allocation: the block. */
  start: number;
  end: number;
  /** Booking: buffered interval; allocation: same as start/end. */
  occupiedStart: number;
  occupiedEnd: number;
  slotKey: string | null;
  seats: number;
  /** `waiting` only: the entry's place in its slot's queue. */
  position?: number;
}

/** One booking to reserve. The adapter checks it against live occupations and inserts it. */
export interface ReserveItem {
  booking: BookingRecord;
  /** Seats the slot has in total (the service's capacity). */
  capacity: number;
  /**
   * The service's waitlist order (invariant 5): the free seats of a slot go first to its waiting
   * entries ahead of this item, in position order. `false` (default): an entry needing more seats
   * than are left does not stop smaller ones behind it; `true`: it does, and nothing behind it
   * (this item included) gets a seat.
   */
  strictWaitlist?: boolean;
  /**
   * This item promotes that waiting entry: only entries ahead of it (lower position) count as
   * demand. Without it the item is a newcomer, behind every waiting entry of its slot.
   */
  promotes?: { entryId: string; position: number };
}

/**
 * The instant a primitive judges liveness at: a number, or a clock the store reads once it holds
 * its locks (inside the transaction, after any wait for another writer), which is what the engine
 * passes: a clock read before the lock was granted can be stale by the time the check runs.
 */
export type StoreNow = number | (() => number);

/** Resolves a {@link StoreNow}: call it after the locks are taken. */
export function resolveNow(now: StoreNow): number {
  return typeof now === 'function' ? now() : now;
}

export interface ReserveRequest {
  /** The clock: holds with `expiresAt <= now` no longer occupy anything (invariant 2). */
  now: StoreNow;
  items: ReserveItem[];
  /** `all` (default): every item or none. `skip`: insert the items that fit, report the rest. */
  policy?: 'all' | 'skip';
}

export type ReserveConflictReason = 'full' | 'conflict' | 'buffer_conflict' | 'allocation';

export interface ReserveConflict {
  /** Index into `items`. */
  index: number;
  reason: ReserveConflictReason;
  /** Seats left in the slot for this item (for `full`): free seats not kept for waiting entries. */
  remaining?: number;
  /** Seats of the slot kept for waiting entries ahead of this item (for `full`, when any). */
  waitlisted?: number;
  /** The booking or allocation it collides with. */
  withId?: string;
}

export type ReserveResult =
  | { ok: true; bookings: BookingRecord[]; skipped: ReserveConflict[] }
  | { ok: false; conflicts: ReserveConflict[] };

/** One hold to make permanent, with the seats its slot has in total (the service's capacity). */
export interface ConfirmItem {
  bookingId: string;
  capacity: number;
}

export interface ConfirmRequest {
  /** Read once the locks are held; a hold with `expiresAt <= now` is lapsed and is not confirmed. */
  now: StoreNow;
  items: ConfirmItem[];
  /** Applied with the status change (e.g. `updatedAt`). */
  updatedAt?: number;
}

/** Why a hold was not confirmed. */
export interface ConfirmRefusal {
  /** The booking as stored when it was refused. */
  booking: BookingRecord;
  /**
   * `not_held`: not a live hold at `now` (confirmed, cancelled, expired, or lapsed);
   * `seats_taken`: a live hold whose seats or time another booking now occupies — sold by a writer
   * whose clock saw the hold lapse, or the capacity shrank since it was taken.
   */
  reason: 'not_held' | 'seats_taken' | 'not_found';
  conflict?: ReserveConflict;
}

export interface ConfirmResult {
  /** The instant the check ran at (the clock as read under the locks). */
  now: number;
  /** The bookings confirmed, as stored afterwards; empty when anything was refused (all or none). */
  confirmed: BookingRecord[];
  refused: ConfirmRefusal[];
}

/** Bookings moved to new slots: each item's `booking` is the booking (same id) as it will be. */
export interface MoveRequest {
  now: StoreNow;
  items: ReserveItem[];
}

export type MoveResult =
  | {
      ok: true;
      /** The bookings moved, as given. A booking no longer live (held and unexpired, or confirmed) is left out and not moved. */
      bookings: BookingRecord[];
    }
  | { ok: false; conflicts: ReserveConflict[] };

export interface ReleaseRequest {
  /** Read once the locks are held. */
  now: StoreNow;
  bookingIds: string[];
  /**
   * `cancelled`: bookings live at `now` (held and unexpired, or confirmed) become cancelled, with
   * `cancelledAt = now` and `reason`. `expired`: holds that lapsed at `now` and are still stored as
   * `held` become expired — a booking is marked at most once, so the `booking.expired` event the
   * caller writes for each returned record is never written twice.
   */
  to: 'cancelled' | 'expired';
  reason?: string | null | undefined;
}

export interface ReleaseResult {
  /** The instant the release ran at (the clock as read under the locks). */
  now: number;
  /** The bookings released, as stored afterwards (those not in a releasable state are left out). */
  released: BookingRecord[];
}

export interface AttendanceRequest {
  bookingId: string;
  attendance: Attendance;
  now: number;
}

export interface BookingStore {
  /**
   * Live occupations of the given resources overlapping `[from, to)` by their occupied
   * (buffered) interval: confirmed seats (per slot), held bookings with `expiresAt > now`,
   * allocations, and the waiting entries (kind `waiting`) of slots not started at `now`. What
   * availability and the reservation check both read.
   */
  listOccupations(
    scope: Scope,
    resourceIds: string[],
    from: number,
    to: number,
    now: number,
  ): Promise<OccupationRecord[]>;

  /**
   * **The no-overbooking invariant (invariants 1, 2, 3).** Atomically checks every item against
   * the live occupations of its resource — seats of the same slot (`slotKey`) must stay within
   * `capacity`; any other overlap of occupied intervals, or with an allocation, is a conflict;
   * items of one request are checked against each other too — and inserts the bookings that fit.
   * Waiting entries of a slot are demand ahead of a newcomer (invariant 5, see
   * {@link ReserveItem.strictWaitlist}); an item that `promotes` an entry counts only those ahead
   * of it, and an entry promoted by an earlier item of the request stops counting.
   * With policy `all` (default) either every item is inserted or none and `conflicts` names each
   * failing item. Holds count until `expiresAt` (`> now`), with or without a sweeper.
   *
   * Locks (the protocol above): the items' resource rows in id order, then the slot-seat rows of
   * the confirmed items it adds. Holds concurrent callers in any number of processes: never an
   * in-memory lock. Runs in the caller's transaction when called on a transaction handle.
   */
  reserve(scope: Scope, request: ReserveRequest): Promise<ReserveResult>;

  /**
   * **Rescheduling: the new slot is reserved before the old one is freed.** Under the locks of
   * the resources of both the old and the new slots (one id-ordered set), each item is checked
   * like a `reserve` against every live occupation except the booking itself, and the booking row
   * is rewritten in place (its id kept); then the old slot's seats are taken out of its slot-seat
   * row and added to the new one's. The old seats are never free while the move is undecided.
   * All or none.
   */
  move(scope: Scope, request: MoveRequest): Promise<MoveResult>;

  /**
   * **Confirming a hold keeps its seats, so it is checked like a reservation (invariant 1).**
   * Under the same locks as {@link BookingStore.reserve} (the bookings' resource rows in id order,
   * or the database write lock), with `now` read after they are held: each item must still be a
   * live hold (`held`, `expiresAt > now`), and its seats must still fit its slot next to every
   * confirmed booking of its resource — a writer whose clock saw the hold lapse may have sold
   * them. Other holds do not refuse it (they were counted when this hold was taken, and each meets
   * this check when it is confirmed), nor do allocations made after it (a block stops new
   * bookings only). All or none: when any item is refused nothing changes.
   */
  confirm(scope: Scope, request: ConfirmRequest): Promise<ConfirmResult>;

  /**
   * **Frees seats: cancel and expire.** Takes the same locks in the same order as `reserve` —
   * the bookings' resource rows in id order, then their slot-seat rows — before it changes a
   * booking, so a later `reserve` in the same transaction (promoting a waitlist entry into the
   * freed seats) extends the protocol instead of inverting it. Guarded: of two concurrent releases
   * of one booking exactly one changes it.
   */
  release(scope: Scope, request: ReleaseRequest): Promise<ReleaseResult>;

  /**
   * Sets a confirmed booking's attendance (check-in, no-show): applies only while the booking is
   * confirmed at `now` and its attendance is not already this value (an idempotent mark); returns
   * the updated record, or `null` when the guard failed. Frees no seats, so it takes no lock.
   */
  setAttendance(scope: Scope, request: AttendanceRequest): Promise<BookingRecord | null>;
}
