/**
 * The waitlist part of the storage port. Entries are plain records (`waitlistEntry` in the record
 * store: insert / get / update / list); what is not plain is reading a slot's queue under the
 * lock protocol, so that "who is waiting, in which order" stays true until the transaction that
 * promotes or admits someone ends.
 *
 * Lock protocol (bookings.ts): every write of a waitlist entry happens while its slot's resource
 * row is held (step 1) — a join, a leave, a promotion — so entry rows need no lock of their own
 * and their writes can never deadlock against a booking primitive.
 * @module
 */
import type { StoreNow } from './bookings.js';
import type { Scope, WaitlistEntryRecord } from './records.js';

/** One slot of one resource: what a queue belongs to. */
export interface WaitlistSlot {
  resourceId: string;
  slotKey: string;
}

export interface WaitlistQueue extends WaitlistSlot {
  /** Entries with status `waiting` whose slot has not started at `now`, by `position` ascending. */
  waiting: WaitlistEntryRecord[];
  /** The highest `position` ever given in this slot (any status), 0 when none: the next join takes `lastPosition + 1`. */
  lastPosition: number;
}

export interface ReadQueuesRequest {
  slots: WaitlistSlot[];
  /** Read once the locks are held (with `lock`); entries of slots started by then are left out. */
  now: StoreNow;
  /**
   * Take lock protocol step 1 first: the slots' resource rows in id order (`FOR UPDATE`; SQLite:
   * the transaction's write lock). Called on a transaction handle, the queues then stay as read
   * until it ends. Without it: a plain read (positions for a view).
   */
  lock?: boolean;
}

export interface ReadQueuesResult {
  /** The instant the queues were judged at (the clock as read under the locks). */
  now: number;
  /** One per distinct slot asked for, in the order asked. */
  queues: WaitlistQueue[];
}

export interface WaitlistStore {
  /** The queues of `slots` (see {@link ReadQueuesRequest}). */
  readQueues(scope: Scope, request: ReadQueuesRequest): Promise<ReadQueuesResult>;
}
