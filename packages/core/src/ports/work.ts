/**
 * The background-work part of the storage port: finding what time made due, and claiming it so
 * that many runners in many processes never do one item twice at once.
 *
 * Claims follow the lock protocol (bookings.ts): a runner claims a resource's due holds by
 * locking the resource row *without waiting* (`FOR UPDATE SKIP LOCKED`, step 1 — so a runner
 * never queues behind a booking or another runner, it moves on to the next resource); no-show
 * marks free no seats and claim booking rows only. SQLite serialises every writer with its
 * database write lock, so a claim there always succeeds.
 * @module
 */
import type { BookingRecord, Scope } from './records.js';

export interface DueWorkRequest {
  now: number;
  /** At most this many items of each kind. */
  limit: number;
  /**
   * No-shows: confirmed bookings with attendance `pending` of these services whose session ended
   * at or before `endedBy` (one group per grace period).
   */
  noShows: { serviceIds: string[]; endedBy: number }[];
}

export interface DueWork {
  /** Bookings stored as `held` whose hold lapsed (`expiresAt <= now`), soonest lapse first. */
  lapsedHolds: { id: string; resourceId: string }[];
  /** Bookings due an automatic no-show, earliest end first. */
  noShows: string[];
}

export interface MarkNoShowsRequest {
  bookingIds: string[];
  now: number;
}

export interface WorkStore {
  /** What is due at `now`, read without locks (a claim checks each item again). */
  findDueWork(scope: Scope, request: DueWorkRequest): Promise<DueWork>;
  /**
   * Lock protocol step 1 without waiting: locks, in id order, those of the resource rows that no
   * other transaction holds (`FOR UPDATE SKIP LOCKED`) and returns their ids. On a transaction
   * handle the locks last until it ends. SQLite: every id (the write lock is held already).
   */
  tryLockResources(scope: Scope, resourceIds: string[]): Promise<string[]>;
  /**
   * Marks `no_show` (at `now`) those of `bookingIds` that are still confirmed with attendance
   * `pending`, skipping rows another transaction holds; returns them as stored afterwards. Of
   * any number of concurrent callers, each booking is marked by exactly one.
   */
  markNoShows(scope: Scope, request: MarkNoShowsRequest): Promise<BookingRecord[]>;
}
