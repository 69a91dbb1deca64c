import { describe, expect, it } from 'vitest';
import type { BookingRecord, OccupationRecord, ReserveItem } from '../ports/adapter.js';
import { checkReservation } from './reservation-check.js';

const MIN = 60_000;
const T = Date.UTC(2027, 0, 4, 9);
const R = 'rsc_1';
const key = (start: number, end: number, resourceId = R) => `svc_1|${resourceId}|${start}|${end}`;
const SLOT = { start: T, end: T + 60 * MIN };
const SLOT_KEY = key(SLOT.start, SLOT.end);

let n = 0;
function booking(over: Partial<BookingRecord> = {}): BookingRecord {
  const startTime = over.startTime ?? SLOT.start;
  const endTime = over.endTime ?? SLOT.end;
  const resourceId = over.resourceId ?? R;
  return {
    id: `bkg_${++n}`,
    serviceId: 'svc_1',
    resourceId,
    contactId: 'con_1',
    slotKey: key(startTime, endTime, resourceId),
    startTime,
    endTime,
    occupiedStart: startTime,
    occupiedEnd: endTime,
    seats: 1,
    status: 'confirmed',
    attendance: 'pending',
    expiresAt: null,
    priceAmount: null,
    priceCurrency: null,
    seriesId: null,
    occurrenceIndex: null,
    entitlementId: null,
    notes: null,
    metadata: {},
    cancellationReason: null,
    cancelledAt: null,
    createdAt: 0,
    updatedAt: 0,
    ...over,
  };
}

function booked(seats: number, over: Partial<OccupationRecord> = {}): OccupationRecord {
  return {
    kind: 'booking',
    id: `bkg_o${++n}`,
    resourceId: R,
    start: SLOT.start,
    end: SLOT.end,
    occupiedStart: SLOT.start,
    occupiedEnd: SLOT.end,
    slotKey: SLOT_KEY,
    seats,
    ...over,
  };
}

function waiting(
  id: string,
  seats: number,
  position: number,
  over: Partial<OccupationRecord> = {},
): OccupationRecord {
  return {
    kind: 'waiting',
    id,
    resourceId: R,
    start: SLOT.start,
    end: SLOT.end,
    occupiedStart: SLOT.start,
    occupiedEnd: SLOT.end,
    slotKey: SLOT_KEY,
    seats,
    position,
    ...over,
  };
}

const item = (seats: number, capacity: number, over: Partial<ReserveItem> = {}): ReserveItem => ({
  booking: booking({ seats }),
  capacity,
  ...over,
});

describe('checkReservation without waiting entries', () => {
  it('same-slot seats add up against capacity; no waitlisted field when nobody waits', () => {
    expect(checkReservation([item(2, 3)], [booked(1)])).toEqual({ accepted: [0], conflicts: [] });
    expect(checkReservation([item(3, 3)], [booked(1)])).toEqual({
      accepted: [],
      conflicts: [{ index: 0, reason: 'full', remaining: 2 }],
    });
  });
});

describe('checkReservation with waiting entries (invariant 5)', () => {
  it('a newcomer stands behind the waiting entries of its slot', () => {
    // Capacity 3, one seat booked, one entry waits for one: one seat is left for a newcomer.
    const occ = [booked(1), waiting('wl_1', 1, 1)];
    expect(checkReservation([item(1, 3)], occ)).toEqual({ accepted: [0], conflicts: [] });
    expect(checkReservation([item(2, 3)], occ)).toEqual({
      accepted: [],
      conflicts: [{ index: 0, reason: 'full', remaining: 1, waitlisted: 1 }],
    });
  });

  it('a newcomer is refused while a lapsed hold left a seat free but an entry waits for it', () => {
    // The store no longer lists the lapsed hold: its seat is free, and the waiting entry has it.
    const occ = [booked(2), waiting('wl_1', 1, 1)];
    expect(checkReservation([item(1, 3)], occ)).toEqual({
      accepted: [],
      conflicts: [{ index: 0, reason: 'full', remaining: 0, waitlisted: 1 }],
    });
    // Promoting that entry takes the seat.
    expect(
      checkReservation([item(1, 3, { promotes: { entryId: 'wl_1', position: 1 } })], occ).accepted,
    ).toEqual([0]);
  });

  it('non-strict: an entry too big for the free seats keeps none, a smaller one behind it does', () => {
    // Capacity 4, one booked (3 free); wl_1 wants 4 (does not fit), wl_2 wants 1.
    const occ = [booked(1), waiting('wl_1', 4, 1), waiting('wl_2', 1, 2)];
    expect(checkReservation([item(2, 4)], occ)).toEqual({ accepted: [0], conflicts: [] });
    expect(checkReservation([item(3, 4)], occ)).toEqual({
      accepted: [],
      conflicts: [{ index: 0, reason: 'full', remaining: 2, waitlisted: 1 }],
    });
  });

  it('strict: an entry too big for the free seats keeps all of them, nobody behind it books', () => {
    const occ = [booked(1), waiting('wl_1', 4, 1), waiting('wl_2', 1, 2)];
    expect(checkReservation([item(1, 4, { strictWaitlist: true })], occ)).toEqual({
      accepted: [],
      conflicts: [{ index: 0, reason: 'full', remaining: 0, waitlisted: 3 }],
    });
    // Not even the entry behind it, when it is promoted.
    expect(
      checkReservation(
        [item(1, 4, { strictWaitlist: true, promotes: { entryId: 'wl_2', position: 2 } })],
        occ,
      ),
    ).toEqual({ accepted: [], conflicts: [{ index: 0, reason: 'full', remaining: 0, waitlisted: 3 }] });
  });

  it('non-strict: an entry is promoted past a big entry ahead of it that does not fit', () => {
    const occ = [booked(1), waiting('wl_1', 4, 1), waiting('wl_2', 1, 2)];
    expect(
      checkReservation(
        [item(1, 4, { strictWaitlist: false, promotes: { entryId: 'wl_2', position: 2 } })],
        occ,
      ),
    ).toEqual({ accepted: [0], conflicts: [] });
    // When the big entry does fit in the free seats, it goes first.
    const fits = [waiting('wl_1', 3, 1), waiting('wl_2', 2, 2)];
    expect(checkReservation([item(2, 4, { promotes: { entryId: 'wl_2', position: 2 } })], fits)).toEqual({
      accepted: [],
      conflicts: [{ index: 0, reason: 'full', remaining: 1, waitlisted: 3 }],
    });
  });

  it('a promoted entry counts only the entries ahead of it, never itself or those behind', () => {
    const occ = [booked(1), waiting('wl_1', 1, 1), waiting('wl_2', 1, 2), waiting('wl_3', 1, 3)];
    // Capacity 3: two free, wl_1 keeps one, wl_2 takes the other; wl_3 behind it does not count.
    expect(
      checkReservation([item(1, 3, { promotes: { entryId: 'wl_2', position: 2 } })], occ).accepted,
    ).toEqual([0]);
    // wl_3 has wl_1 and wl_2 ahead of it: no seat left.
    expect(checkReservation([item(1, 3, { promotes: { entryId: 'wl_3', position: 3 } })], occ)).toEqual({
      accepted: [],
      conflicts: [{ index: 0, reason: 'full', remaining: 0, waitlisted: 2 }],
    });
  });

  it('a promoted entry never counts against itself, whatever position the item names', () => {
    const occ = [booked(1), waiting('wl_1', 1, 1)];
    expect(
      checkReservation([item(1, 2, { promotes: { entryId: 'wl_1', position: 9 } })], occ).accepted,
    ).toEqual([0]);
  });

  it('two items of one request promote entries 1 and 2: the first one promoted stops counting', () => {
    const occ = [waiting('wl_1', 1, 1), waiting('wl_2', 1, 2), waiting('wl_3', 1, 3)];
    const items = [
      item(1, 2, { promotes: { entryId: 'wl_1', position: 1 } }),
      item(1, 2, { promotes: { entryId: 'wl_2', position: 2 } }),
      item(1, 2),
    ];
    expect(checkReservation(items, occ)).toEqual({
      accepted: [0, 1],
      // The slot is full now; wl_3 does not fit, so keeps nothing.
      conflicts: [{ index: 2, reason: 'full', remaining: 0 }],
    });
  });

  it('an entry whose promoting item was refused still counts for the items after it', () => {
    // Capacity 2, one booked: wl_1 wants 2 (its item is refused), wl_2 wants 1.
    const occ = [booked(1), waiting('wl_1', 2, 1), waiting('wl_2', 1, 2)];
    const items = [
      item(2, 2, { strictWaitlist: true, promotes: { entryId: 'wl_1', position: 1 } }),
      item(1, 2, { strictWaitlist: true, promotes: { entryId: 'wl_2', position: 2 } }),
    ];
    expect(checkReservation(items, occ)).toEqual({
      accepted: [],
      conflicts: [
        { index: 0, reason: 'full', remaining: 1 },
        { index: 1, reason: 'full', remaining: 0, waitlisted: 1 },
      ],
    });
  });

  it('waiting entries count only against their own slot and resource, and never conflict', () => {
    // An entry for an overlapping slot (other key) on the same resource, and one on another resource.
    const other = key(SLOT.start + 30 * MIN, SLOT.end + 30 * MIN);
    const occ = [
      waiting('wl_1', 3, 1, { slotKey: other, start: SLOT.start + 30 * MIN, end: SLOT.end + 30 * MIN }),
      waiting('wl_2', 3, 1, { resourceId: 'rsc_2', slotKey: key(SLOT.start, SLOT.end, 'rsc_2') }),
    ];
    expect(checkReservation([item(3, 3)], occ)).toEqual({ accepted: [0], conflicts: [] });
  });

  it('a real conflict still beats a full slot', () => {
    const occ = [
      waiting('wl_1', 1, 1),
      booked(1, {
        id: 'bkg_other',
        slotKey: key(SLOT.start + 30 * MIN, SLOT.end + 30 * MIN),
        start: SLOT.start + 30 * MIN,
        end: SLOT.end + 30 * MIN,
        occupiedStart: SLOT.start + 30 * MIN,
        occupiedEnd: SLOT.end + 30 * MIN,
      }),
    ];
    expect(checkReservation([item(1, 1)], occ).conflicts).toEqual([
      { index: 0, reason: 'conflict', withId: 'bkg_other' },
    ]);
  });
});
