/**
 * The waitlist's seat arithmetic (invariant 5), as pure functions: which waiting entries of one
 * slot the free seats go to, and how many seats are left for someone behind them. The reservation
 * check, availability and promotion all apply exactly this rule.
 * @module
 */

/** One waiting entry of a slot's queue: its id, the seats it wants and its place in the queue. */
export interface QueueEntry {
  id: string;
  seats: number;
  position: number;
}

/** How the free seats of a slot were shared out among its queue. */
export interface ServedQueue {
  /** Ids of the entries that get their seats, in position order. */
  served: string[];
  /**
   * Seats kept for the queue: the seats of the served entries, plus, in strict order, every free
   * seat left once an entry did not fit (nobody passes it). Never negative.
   */
  used: number;
  /**
   * Seats left for whoever stands behind the whole queue (a newcomer): `free - used`. Negative
   * only when the slot is already over capacity (`free < 0`).
   */
  room: number;
  /** Strict order only: an entry did not fit, so nobody behind it got a seat. */
  blocked: boolean;
}

/** Orders a queue by position (ties, which a stored queue never has, by id: deterministic). */
function byPosition(a: QueueEntry, b: QueueEntry): number {
  return a.position - b.position || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

/**
 * Shares `free` seats among `queue` in position order. Non-strict: an entry fits when its seats
 * are at most the seats still unassigned, and takes them; one that does not fit is passed over and
 * the next is tried (a big entry never blocks a smaller one behind it). Strict: the first entry
 * that does not fit blocks the queue, every free seat left stays with it, and nobody behind it is
 * served. Seats are never over-assigned: `used <= max(0, free)`.
 * @example
 * serveQueue(3, [{ id: 'a', seats: 4, position: 1 }, { id: 'b', seats: 2, position: 2 }], false);
 * // { served: ['b'], used: 2, room: 1, blocked: false }
 * serveQueue(3, [{ id: 'a', seats: 4, position: 1 }, { id: 'b', seats: 2, position: 2 }], true);
 * // { served: [], used: 3, room: 0, blocked: true }
 */
export function serveQueue(free: number, queue: readonly QueueEntry[], strict: boolean): ServedQueue {
  const served: string[] = [];
  let used = 0;
  let blocked = false;
  const ordered = queue.length > 1 ? [...queue].sort(byPosition) : queue;
  for (const entry of ordered) {
    if (entry.seats <= free - used) {
      served.push(entry.id);
      used += entry.seats;
    } else if (strict) {
      blocked = true;
      used = Math.max(used, free);
      break;
    }
  }
  return { served, used, room: free - used, blocked };
}

/**
 * Seats a newcomer (behind every entry of `queue`) can book in a slot with `free` seats: never
 * negative.
 * @example
 * newcomerRoom(2, [{ id: 'a', seats: 1, position: 1 }], false); // 1
 */
export function newcomerRoom(free: number, queue: readonly QueueEntry[], strict: boolean): number {
  return Math.max(0, serveQueue(free, queue, strict).room);
}

/**
 * The part of a slot's queue that stands ahead of a booking: without `promotes` (a newcomer) every
 * entry; with it only entries with a lower position than the promoted one (never the entry
 * itself). Entries in `promoted` (already given seats by an earlier booking of the same request)
 * are left out.
 * @example
 * entriesAhead(queue, { promotes: { entryId: 'wl_3', position: 3 } }); // entries at positions 1, 2
 */
export function entriesAhead<E extends QueueEntry>(
  queue: readonly E[],
  options: {
    promotes?: { entryId: string; position: number } | undefined;
    promoted?: ReadonlySet<string> | undefined;
  } = {},
): E[] {
  const { promotes, promoted } = options;
  return queue.filter(
    (e) =>
      !promoted?.has(e.id) &&
      (promotes === undefined || (e.id !== promotes.entryId && e.position < promotes.position)),
  );
}
