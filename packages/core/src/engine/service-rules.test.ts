import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { computeSlots } from '../availability/index.js';
import { checkReservation } from '../booking/reservation-check.js';
import type { BookingRecord, OccupationRecord, ResourceRecord, ServiceRecord } from '../ports/adapter.js';
import { type ServiceCreateInput, ServiceCreateSchema } from '../schema/catalog.js';
import { localDateTimeToEpochMs } from '../time/zone.js';
import { staticSlotReasons, staticSlotReasonsMany } from './bookings.js';
import {
  engineInput,
  freeWindowInput,
  serviceConfig,
  sessionStarts,
  sessionStartsFor,
  toEngineOccupations,
} from './service-rules.js';

const MIN = 60_000;
const DAY = 24 * 60 * MIN;
const TZ = 'Europe/London';
const NOW = Date.UTC(2026, 0, 5);

const resource: ResourceRecord = {
  id: 'rsc_1',
  name: 'Studio',
  timezone: TZ,
  capacity: null,
  metadata: {},
  availability: {
    weekly: Object.fromEntries(
      ['mon', 'tue', 'wed', 'thu', 'fri'].map((d) => [d, [{ start: '09:00', end: '18:00' }]]),
    ),
    overrides: [{ date: '2026-02-02', hours: [] }],
  },
  archivedAt: null,
  createdAt: 0,
  updatedAt: 0,
};

function service(over: Partial<ServiceCreateInput>): ServiceRecord {
  const config = ServiceCreateSchema.parse({
    name: 'Svc',
    kind: 'appointment',
    durationMinutes: 60,
    resourceIds: [resource.id],
    horizonDays: 120,
    minNoticeMinutes: 60,
    ...over,
  });
  return {
    id: 'svc_1',
    name: 'Svc',
    kind: config.kind,
    config: config as unknown as Record<string, unknown>,
    archivedAt: null,
    createdAt: 0,
    updatedAt: 0,
  };
}

const yoga = service({
  kind: 'class',
  capacity: 10,
  timetable: [
    { resourceId: resource.id, dtstart: '2026-01-06T18:30', rrule: 'FREQ=WEEKLY;BYDAY=TU,TH' },
    { resourceId: resource.id, dtstart: '2026-01-10T09:00', rrule: 'FREQ=WEEKLY;BYDAY=SA;COUNT=5' },
  ],
});
const massage = service({ gridMinutes: 30 });

/** Whole minutes from 2026-01-03 to late July (across the March DST change and the horizon). */
const startsArb = fc.array(
  fc.integer({ min: -2 * 24 * 60, max: 200 * 24 * 60 }).map((m) => NOW + m * MIN),
  { maxLength: 12 },
);
const sessionOr = (s: number, k: number) =>
  k % 3 === 0 ? localDateTimeToEpochMs(`2026-0${1 + (k % 6)}-0${1 + (k % 7)}T18:30`, TZ) : s;

describe('staticSlotReasonsMany', () => {
  it('equals staticSlotReasons start by start, for appointments and classes', () => {
    fc.assert(
      fc.property(startsArb, fc.constantFrom(massage, yoga), (raw, svc) => {
        const starts = raw.map((s, k) => (svc === yoga ? sessionOr(s, k) : s));
        const duration = svc === yoga ? 60 : 30;
        expect(staticSlotReasonsMany(svc, resource, starts, duration, 1, NOW)).toEqual(
          starts.map((s) => staticSlotReasons(svc, resource, s, duration, 1, NOW)),
        );
      }),
      { numRuns: 60 },
    );
  });

  it('names each occurrence of a weekly run by its own rule', () => {
    const starts = [0, 7, 14, 28].map((d) => localDateTimeToEpochMs('2026-01-05T09:00', TZ) + d * DAY);
    const codes = staticSlotReasonsMany(massage, resource, starts, 30, 1, NOW).map((r) =>
      r.map((x) => x.code),
    );
    // 2026-02-02 is closed by an override.
    expect(codes).toEqual([[], [], [], ['closed_override']]);
    expect(staticSlotReasonsMany(massage, resource, [], 30, 1, NOW)).toEqual([]);
  });
});

describe('sessionStartsFor', () => {
  it('finds every session among the candidates of a span', () => {
    const tue = localDateTimeToEpochMs('2026-01-06T18:30', TZ);
    // 18:30 local after the March change is 17:30Z: the same UTC time a week on is no session.
    const afterDst = localDateTimeToEpochMs('2026-03-31T18:30', TZ);
    // The latest candidate is a session too: the span must reach past the last start.
    const candidates = [
      tue,
      tue + 7 * DAY,
      afterDst,
      tue + DAY,
      afterDst + 7 * DAY + 60 * MIN,
      afterDst + 14 * DAY,
    ];
    const found = sessionStartsFor(yoga, resource, candidates, 60 * MIN);
    expect(candidates.map((c) => found.includes(c))).toEqual([true, true, true, false, false, true]);
    expect(sessionStartsFor(yoga, resource, [], 60 * MIN)).toEqual([]);
  });

  it('still finds late candidates when the span holds more sessions than one expansion returns', () => {
    const every = service({
      kind: 'class',
      durationMinutes: 5,
      timetable: [
        { resourceId: resource.id, dtstart: '2026-01-05T00:00', rrule: 'FREQ=MINUTELY;INTERVAL=5' },
      ],
    });
    const first = localDateTimeToEpochMs('2026-01-05T10:00', TZ);
    // 10,000 five-minute sessions last ~35 days: the last candidate is past that.
    const candidates = [first, first + 20 * DAY, first + 60 * DAY, first + 60 * DAY + MIN];
    const found = sessionStartsFor(every, resource, candidates, 5 * MIN);
    expect(candidates.map((c) => found.includes(c))).toEqual([true, true, true, false]);
    // The span alone would stop ~35 days in.
    expect(sessionStarts(every, resource, first, first + 61 * DAY).includes(first + 60 * DAY)).toBe(false);
  });
});

describe('serviceConfig', () => {
  const stored = (config: Record<string, unknown>): ServiceRecord => ({
    id: 'svc_1',
    name: 'Svc',
    kind: 'appointment',
    config,
    archivedAt: null,
    createdAt: 0,
    updatedAt: 0,
  });
  const base = { name: 'Svc', kind: 'appointment', durationMinutes: 60, resourceIds: [resource.id] };

  it('parses the stored document: a field added since it was written reads as its default', () => {
    const { holdCutoffMinutes: _gone, ...older } = ServiceCreateSchema.parse(base);
    const config = serviceConfig(stored(older as Record<string, unknown>));
    expect(config.holdCutoffMinutes).toBe(0);
    expect(config.capacity).toBe(1);
  });

  it('refuses a stored document the schema refuses, as storage_error', () => {
    expect(() => serviceConfig(stored({ ...base, durationMinutes: 'sixty' }))).toThrow(
      expect.objectContaining({ code: 'storage_error', details: expect.objectContaining({ id: 'svc_1' }) }),
    );
  });

  it('parses each record once', () => {
    const record = stored(ServiceCreateSchema.parse(base) as unknown as Record<string, unknown>);
    expect(serviceConfig(record)).toBe(serviceConfig(record));
  });
});

describe('waiting demand in availability', () => {
  const at = localDateTimeToEpochMs('2026-01-06T10:00', TZ);
  const end = at + 60 * MIN;
  const slotKey = `svc_1|${resource.id}|${at}|${end}`;
  const spin = (strictOrder: boolean) =>
    service({
      kind: 'class',
      capacity: 4,
      bufferAfterMinutes: 15,
      waitlist: { policy: 'auto_book', strictOrder },
      timetable: [{ resourceId: resource.id, dtstart: '2026-01-06T10:00', rrule: 'FREQ=DAILY;COUNT=1' }],
    });
  const occ = (
    kind: OccupationRecord['kind'],
    id: string,
    seats: number,
    over: Partial<OccupationRecord> = {},
  ) =>
    ({
      kind,
      id,
      resourceId: resource.id,
      start: at,
      end,
      occupiedStart: at,
      occupiedEnd: end + 15 * MIN,
      slotKey,
      seats,
      ...(kind === 'waiting' ? { position: Number(id.slice(3)) } : {}),
      ...over,
    }) as OccupationRecord;
  const rows = [occ('booking', 'bkg_1', 1), occ('waiting', 'wl_1', 4), occ('waiting', 'wl_2', 1)];
  const remaining = (
    svc: ServiceRecord,
    occupations: OccupationRecord[],
    extra: { promotes?: { entryId: string; position: number } } = {},
  ) => {
    const input = engineInput(svc, resource, {
      durationMinutes: 60,
      seats: 1,
      from: at - DAY,
      to: at + DAY,
      now: NOW,
      occupations,
      ...extra,
    });
    const slot = computeSlots(input, { includeUnavailable: true }).find((x) => x.start === at);
    return slot?.remaining;
  };

  it('one booking occupation per slot of the seats kept for its waiting entries, overlapping nothing', () => {
    expect(toEngineOccupations(rows, { capacity: 4, strict: false })).toEqual([
      { kind: 'booking', start: at, end, bufferBeforeMinutes: 0, bufferAfterMinutes: 15, seats: 1, slotKey },
      {
        kind: 'booking',
        start: at,
        end: at,
        bufferBeforeMinutes: 0,
        bufferAfterMinutes: 0,
        seats: 1,
        slotKey,
      },
    ]);
    expect(toEngineOccupations(rows, { capacity: 4, strict: true })[1]).toMatchObject({ seats: 3 });
    // Nothing kept (nobody fits): no occupation. Without waiting demand: waiting rows dropped.
    expect(
      toEngineOccupations([occ('booking', 'bkg_1', 3), occ('waiting', 'wl_1', 2)], {
        capacity: 4,
        strict: false,
      }),
    ).toHaveLength(1);
    expect(toEngineOccupations(rows)).toHaveLength(1);
  });

  it('remaining is what a newcomer can book: non-strict passes the big entry, strict does not', () => {
    // 3 free; wl_1 (4 seats) does not fit, wl_2 (1) does.
    expect(remaining(spin(false), rows)).toBe(2);
    expect(remaining(spin(true), rows)).toBe(0);
    expect(remaining(spin(false), rows.slice(0, 1))).toBe(3);
  });

  it('read for a promotion, only the entries ahead of the promoted one keep seats', () => {
    expect(remaining(spin(false), rows, { promotes: { entryId: 'wl_2', position: 2 } })).toBe(3);
    expect(remaining(spin(true), rows, { promotes: { entryId: 'wl_2', position: 2 } })).toBe(0);
    expect(remaining(spin(false), rows, { promotes: { entryId: 'wl_1', position: 1 } })).toBe(3);
  });

  it("waiting entries of other services' slots on the resource are not counted", () => {
    const other = occ('waiting', 'wl_9', 3, { slotKey: `svc_2|${resource.id}|${at}|${end}` });
    expect(remaining(spin(false), [occ('booking', 'bkg_1', 1), other])).toBe(3);
  });

  it('free windows ignore waiting entries', () => {
    const input = freeWindowInput(null, resource, {
      from: at - DAY,
      to: at + DAY,
      now: NOW,
      occupations: rows,
    });
    expect(input.occupations).toHaveLength(1);
  });

  it('agrees with checkReservation: remaining seats are accepted, one more is refused', () => {
    const booking = (seats: number): BookingRecord => ({
      id: 'bkg_new',
      serviceId: 'svc_1',
      resourceId: resource.id,
      contactId: 'con_1',
      slotKey,
      startTime: at,
      endTime: end,
      occupiedStart: at,
      occupiedEnd: end + 15 * MIN,
      seats,
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
    });
    const services = [spin(false), spin(true)];
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 4 }),
        fc.array(fc.integer({ min: 1, max: 4 }), { maxLength: 5 }),
        fc.boolean(),
        (bookedSeats, queue, strict) => {
          const occupations = [
            ...(bookedSeats > 0 ? [occ('booking', 'bkg_1', bookedSeats)] : []),
            ...queue.map((seats, i) => occ('waiting', `wl_${i + 1}`, seats)),
          ];
          const left = remaining(services[strict ? 1 : 0] as ServiceRecord, occupations) as number;
          const check = (seats: number) =>
            checkReservation([{ booking: booking(seats), capacity: 4, strictWaitlist: strict }], occupations);
          if (left > 0) expect(check(left).accepted).toEqual([0]);
          const refused = check(left + 1).conflicts[0];
          expect(refused).toMatchObject({ reason: 'full', remaining: left });
        },
      ),
      { numRuns: 200 },
    );
  });
});

describe('waiting demand never conflicts with other slots', () => {
  it('an appointment slot waited for stays full, an overlapping one stays bookable', () => {
    const at = localDateTimeToEpochMs('2026-01-06T10:00', TZ);
    const slotKey = `svc_1|${resource.id}|${at}|${at + 60 * MIN}`;
    // Its hold lapsed (no longer listed); an entry waits for the seat.
    const rows: OccupationRecord[] = [
      {
        kind: 'waiting',
        id: 'wl_1',
        resourceId: resource.id,
        start: at,
        end: at + 60 * MIN,
        occupiedStart: at,
        occupiedEnd: at + 60 * MIN,
        slotKey,
        seats: 1,
        position: 1,
      },
    ];
    const input = engineInput(massage, resource, {
      durationMinutes: 60,
      seats: 1,
      from: at - 60 * MIN,
      to: at + 120 * MIN,
      now: NOW,
      occupations: rows,
    });
    const slots = computeSlots(input, { includeUnavailable: true });
    expect(slots.find((x) => x.start === at)).toMatchObject({
      remaining: 0,
      available: false,
      reasons: ['full'],
    });
    expect(slots.find((x) => x.start === at + 30 * MIN)).toMatchObject({ remaining: 1, available: true });
    expect(slots.find((x) => x.start === at - 30 * MIN)).toMatchObject({ available: true });
  });
});
