/**
 * The rule `reserve` enforces, as a pure function: adapters lock, read the live occupations, call
 * this, and insert what it accepts — so every database applies exactly the same arithmetic.
 * @module
 */
import type { OccupationRecord, ReserveConflict, ReserveItem } from '../ports/adapter.js';
import { type QueueEntry, serveQueue } from '../waitlist/policy.js';

export interface ReservationVerdict {
  /** Indexes of the items that fit (in order). */
  accepted: number[];
  conflicts: ReserveConflict[];
}

/**
 * Checks `items` in order against `occupations` and against the items accepted before them.
 * Same slot (`slotKey`) → seats add up against `capacity`; any other overlap of occupied
 * intervals on the same resource → `conflict` when the slots themselves overlap, else
 * `buffer_conflict`; overlap with an allocation → `allocation`.
 *
 * Waiting entries (kind `waiting`, invariant 5) are demand for their own slot only and never
 * conflict with anything: of the slot's free seats (`capacity` minus its booked seats), those the
 * entries ahead of an item get first (`serveQueue`, strict when `item.strictWaitlist`) are not
 * the item's; it fits when its seats are at most what is left, else `full` with that `remaining`
 * and the seats kept as `waitlisted`. A newcomer has every entry of its slot ahead of it; an item
 * that `promotes` an entry only those with a lower position; an entry promoted by an item
 * accepted earlier in the request no longer counts (its seats are that item's booking now).
 */
export function checkReservation(
  items: readonly ReserveItem[],
  occupations: readonly OccupationRecord[],
): ReservationVerdict {
  const live: OccupationRecord[] = [...occupations];
  const accepted: number[] = [];
  const conflicts: ReserveConflict[] = [];
  const promoted = new Set<string>();
  items.forEach(({ booking: b, capacity, strictWaitlist, promotes }, index) => {
    let sameSlotSeats = 0;
    const ahead: QueueEntry[] = [];
    let clash: ReserveConflict | null = null;
    for (const o of live) {
      if (o.resourceId !== b.resourceId) continue;
      if (o.kind === 'waiting') {
        if (o.slotKey === null || o.slotKey !== b.slotKey || promoted.has(o.id)) continue;
        const position = o.position ?? 0;
        if (promotes && (o.id === promotes.entryId || position >= promotes.position)) continue;
        ahead.push({ id: o.id, seats: o.seats, position });
        continue;
      }
      if (o.kind === 'booking' && o.slotKey === b.slotKey) {
        sameSlotSeats += o.seats;
        continue;
      }
      if (!(o.occupiedStart < b.occupiedEnd && b.occupiedStart < o.occupiedEnd)) continue;
      const reason =
        o.kind === 'allocation'
          ? 'allocation'
          : o.start < b.endTime && b.startTime < o.end
            ? 'conflict'
            : 'buffer_conflict';
      // Report the most direct cause: a real overlap beats a buffer-only one.
      if (!clash || (clash.reason === 'buffer_conflict' && reason !== 'buffer_conflict')) {
        clash = { index, reason, withId: o.id };
      }
    }
    if (clash) {
      conflicts.push(clash);
      return;
    }
    const { used, room } = serveQueue(capacity - sameSlotSeats, ahead, strictWaitlist === true);
    if (b.seats > room) {
      const conflict: ReserveConflict = { index, reason: 'full', remaining: Math.max(0, room) };
      if (used > 0) conflict.waitlisted = used;
      conflicts.push(conflict);
      return;
    }
    accepted.push(index);
    if (promotes) promoted.add(promotes.entryId);
    live.push({
      kind: 'booking',
      id: b.id,
      resourceId: b.resourceId,
      start: b.startTime,
      end: b.endTime,
      occupiedStart: b.occupiedStart,
      occupiedEnd: b.occupiedEnd,
      slotKey: b.slotKey,
      seats: b.seats,
    });
  });
  return { accepted, conflicts };
}
