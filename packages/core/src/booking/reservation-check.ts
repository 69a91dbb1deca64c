/**
 * The rule `reserve` enforces, as a pure function: adapters lock, read the live occupations, call
 * this, and insert what it accepts — so every database applies exactly the same arithmetic.
 * @module
 */
import type { OccupationRecord, ReserveConflict, ReserveItem } from '../ports/adapter.js';

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
 */
export function checkReservation(
  items: readonly ReserveItem[],
  occupations: readonly OccupationRecord[],
): ReservationVerdict {
  const live: OccupationRecord[] = [...occupations];
  const accepted: number[] = [];
  const conflicts: ReserveConflict[] = [];
  items.forEach(({ booking: b, capacity }, index) => {
    let sameSlotSeats = 0;
    let clash: ReserveConflict | null = null;
    for (const o of live) {
      if (o.resourceId !== b.resourceId) continue;
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
    if (sameSlotSeats + b.seats > capacity) {
      conflicts.push({ index, reason: 'full', remaining: Math.max(0, capacity - sameSlotSeats) });
      return;
    }
    accepted.push(index);
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
