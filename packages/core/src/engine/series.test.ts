import { describe, expect, it } from 'vitest';
// Core does not depend on the adapter package; tests reach its source directly.
import { sqliteAdapter } from '../../../adapter-sqlite/src/index.js';
import { createSeshn, type SeshnOptions } from '../create-seshn.js';
import { SeshnError } from '../errors/seshn-error.js';
import type { SeshnAdapter } from '../ports/adapter.js';
import { epochMsToLocal } from '../time/zone.js';

const ALL_DAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
const hours = (start: string, end: string) =>
  Object.fromEntries(ALL_DAYS.map((d) => [d, [{ start, end }]])) as Record<
    (typeof ALL_DAYS)[number],
    { start: string; end: string }[]
  >;

/** A clock the test moves. Starts Monday 2026-03-02 07:00 in New York. */
async function setup(
  options: {
    now?: string;
    timezone?: string;
    limits?: SeshnOptions['limits'];
    overrides?: { date: string; hours: { start: string; end: string }[] }[];
  } = {},
) {
  let clock = new Date(options.now ?? '2026-03-02T12:00:00Z');
  const adapter: SeshnAdapter = sqliteAdapter({ filename: ':memory:' });
  const seshn = createSeshn({
    adapter,
    now: () => clock,
    ...(options.limits ? { limits: options.limits } : {}),
  });
  await seshn.migrate();
  const timezone = options.timezone ?? 'America/New_York';
  const room = await seshn.resources.create({
    name: 'Room',
    timezone,
    availability: { weekly: hours('08:00', '20:00'), overrides: options.overrides ?? [] },
  });
  const massage = await seshn.services.create({
    name: 'Massage',
    kind: 'appointment',
    durationMinutes: 60,
    resourceIds: [room.id],
    pricing: { strategy: 'flat', amount: 5000, currency: 'usd' },
  });
  const jane = await seshn.contacts.create({ name: 'Jane' });
  const john = await seshn.contacts.create({ name: 'John' });
  return {
    seshn,
    adapter,
    room,
    massage,
    jane,
    john,
    setNow: (iso: string) => {
      clock = new Date(iso);
    },
    async counts() {
      const scope = seshn.scope;
      const now = clock.getTime();
      const page = { limit: 1000 };
      return {
        bookings: (await adapter.list('booking', scope, { now }, page)).data.length,
        series: (await adapter.list('series', scope, {}, page)).data.length,
        events: (await adapter.list('event', scope, {}, page)).data.length,
      };
    },
    async eventTypes() {
      const events = await adapter.list('event', seshn.scope, {}, { limit: 1000 });
      const out: Record<string, number> = {};
      for (const e of events.data) if (e.type.startsWith('booking')) out[e.type] = (out[e.type] ?? 0) + 1;
      return out;
    },
  };
}

async function failure(promise: Promise<unknown>): Promise<SeshnError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(SeshnError);
    return error as SeshnError;
  }
  throw new Error('expected the call to fail');
}

const fieldPaths = (e: SeshnError) => (e.details.fields as { path: string }[]).map((f) => f.path);
const localTime = (iso: string, tz: string) => {
  const v = epochMsToLocal(Date.parse(iso), tz);
  return `${v.date} ${String(Math.floor(v.minutes / 60)).padStart(2, '0')}:${String(v.minutes % 60).padStart(2, '0')}`;
};

const TUESDAYS_14 = { frequency: 'weekly', dayOfWeek: 2, time: '14:00', count: 8 } as const;

describe('bookingSeries.create — the seed example', () => {
  it('books every Tuesday at 14:00 for 8 weeks, then cancels occurrence 3', async () => {
    const t = await setup();
    const series = await t.seshn.bookingSeries.create({
      contactId: t.jane.id,
      serviceId: t.massage.id,
      recurrence: TUESDAYS_14,
      metadata: { plan: 'rehab' },
    });
    expect(series.object).toBe('booking_series');
    expect(series.id).toMatch(/^bks_/);
    expect(series.status).toBe('active');
    expect(series.resourceId).toBe(t.room.id);
    expect(series.metadata).toEqual({ plan: 'rehab' });
    expect(series.skipped).toBeUndefined();
    expect(series.recurrence).toMatchObject({
      ...TUESDAYS_14,
      rrule: 'FREQ=WEEKLY;BYDAY=TU;COUNT=8',
      dtstart: '2026-03-03T14:00',
      timezone: 'America/New_York',
    });
    expect(series.bookings).toHaveLength(8);
    expect(series.bookings.map((b) => b.occurrenceIndex)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    for (const b of series.bookings) {
      expect(b.status).toBe('confirmed');
      expect(b.seriesId).toBe(series.id);
      expect(b.price).toEqual({ amount: 5000, currency: 'usd' });
      expect(localTime(b.startTime, 'America/New_York')).toMatch(/ 14:00$/);
      expect(epochMsToLocal(Date.parse(b.startTime), 'America/New_York').weekday).toBe(2);
    }
    // The series crosses the spring-forward weekend (2026-03-08): the UTC hour changes, 14:00 stays.
    expect(series.bookings[0]!.startTime).toBe('2026-03-03T19:00:00.000Z');
    expect(series.bookings[1]!.startTime).toBe('2026-03-10T18:00:00.000Z');
    expect(await t.eventTypes()).toEqual({
      'booking_series.created': 1,
      'booking.created': 8,
      'booking.confirmed': 8,
    });

    const cancelled = await t.seshn.bookingSeries.cancelOccurrence(series.id, 3);
    expect(cancelled.status).toBe('cancelled');
    expect(cancelled.occurrenceIndex).toBe(3);
    expect(cancelled.id).toBe(series.bookings[3]!.id);
    const again = await t.seshn.bookingSeries.cancelOccurrence(series.id, 3);
    expect(again.status).toBe('cancelled');

    const fresh = await t.seshn.bookingSeries.get(series.id);
    expect(fresh.status).toBe('active');
    expect(fresh.bookings.map((b) => b.status)).toEqual([
      'confirmed',
      'confirmed',
      'confirmed',
      'cancelled',
      'confirmed',
      'confirmed',
      'confirmed',
      'confirmed',
    ]);
    expect((await t.eventTypes())['booking.cancelled']).toBe(1);
    // The freed slot can be booked by someone else.
    const single = await t.seshn.bookings.create({
      serviceId: t.massage.id,
      startTime: series.bookings[3]!.startTime,
      contactId: t.john.id,
    });
    expect(single.status).toBe('confirmed');

    const unknown = await failure(t.seshn.bookingSeries.cancelOccurrence(series.id, 99));
    expect(unknown.code).toBe('not_found');
    expect((await failure(t.seshn.bookingSeries.cancelOccurrence(series.id, -1))).code).toBe(
      'validation_failed',
    );
  });

  it('lists series by contact with their bookings, newest first', async () => {
    const t = await setup();
    const a = await t.seshn.bookingSeries.create({
      contactId: t.jane.id,
      serviceId: t.massage.id,
      recurrence: { ...TUESDAYS_14, count: 2 },
    });
    const b = await t.seshn.bookingSeries.create({
      contactId: t.john.id,
      serviceId: t.massage.id,
      recurrence: { ...TUESDAYS_14, time: '10:00', count: 3 },
    });
    const all = await t.seshn.bookingSeries.list();
    expect(all.data.map((s) => s.id)).toEqual([b.id, a.id]);
    expect(all.data.map((s) => s.bookings.length)).toEqual([3, 2]);
    const jane = await t.seshn.bookingSeries.list({ contactId: t.jane.id });
    expect(jane.data.map((s) => s.id)).toEqual([a.id]);
    const page = await t.seshn.bookingSeries.list({ limit: 1 });
    expect(page.hasMore).toBe(true);
    const next = await t.seshn.bookingSeries.list({ limit: 1, startingAfter: page.data[0]!.id });
    expect(next.data.map((s) => s.id)).toEqual([a.id]);
    expect(next.hasMore).toBe(false);
  });
});

describe('all or nothing', () => {
  it('fails naming exactly the taken occurrence and writes nothing', async () => {
    const t = await setup();
    await t.seshn.bookings.create({
      serviceId: t.massage.id,
      startTime: '2026-03-17T18:00:00Z', // Tuesday 14:00 EDT: occurrence 2
      contactId: t.john.id,
    });
    const before = await t.counts();
    const e = await failure(
      t.seshn.bookingSeries.create({
        contactId: t.jane.id,
        serviceId: t.massage.id,
        recurrence: TUESDAYS_14,
      }),
    );
    expect(e.code).toBe('slot_unavailable');
    // Same service, resource and time: the slot itself is full (capacity 1).
    expect(e.details.conflicts).toEqual([
      expect.objectContaining({
        index: 2,
        startTime: '2026-03-17T18:00:00.000Z',
        reason: 'full',
        remaining: 0,
      }),
    ]);
    expect(e.message).toMatch(/1 of 8 occurrences/);
    expect(await t.counts()).toEqual(before);
    expect((await t.seshn.bookings.list({ contactId: t.jane.id })).data).toEqual([]);
  });

  it('lists static-rule failures (a closed day) together with conflicts, in order', async () => {
    const t = await setup({ overrides: [{ date: '2026-03-24', hours: [] }] });
    await t.seshn.bookings.create({
      serviceId: t.massage.id,
      startTime: '2026-04-14T18:00:00Z', // occurrence 6
      contactId: t.john.id,
    });
    const e = await failure(
      t.seshn.bookingSeries.create({
        contactId: t.jane.id,
        serviceId: t.massage.id,
        recurrence: TUESDAYS_14,
      }),
    );
    const conflicts = e.details.conflicts as { index: number; reason: string; detail: string }[];
    expect(conflicts.map((c) => [c.index, c.reason])).toEqual([
      [3, 'closed_override'],
      [6, 'full'],
    ]);
    expect(conflicts.every((c) => c.detail.length > 0)).toBe(true);
    expect((await t.counts()).bookings).toBe(1);
  });

  it('checks the occurrences against each other (every 30 minutes, 60 minutes long)', async () => {
    const t = await setup();
    const halfHourly = await t.seshn.services.create({
      name: 'Half-hourly grid',
      kind: 'appointment',
      durationMinutes: 60,
      gridMinutes: 30,
      resourceIds: [t.room.id],
    });
    const e = await failure(
      t.seshn.bookingSeries.create({
        contactId: t.jane.id,
        serviceId: halfHourly.id,
        recurrence: { rrule: 'FREQ=MINUTELY;INTERVAL=30;COUNT=3', dtstart: '2026-03-03T10:00' },
      }),
    );
    // 10:30 overlaps the series' own 10:00; 11:00 fits after 10:00 once 10:30 is out.
    expect(
      (e.details.conflicts as { index: number; reason: string }[]).map((c) => [c.index, c.reason]),
    ).toEqual([[1, 'conflict']]);
    expect((await t.counts()).bookings).toBe(0);
  });

  it('names overlaps with other services and allocations', async () => {
    const t = await setup();
    const other = await t.seshn.services.create({
      name: 'Consult',
      kind: 'appointment',
      durationMinutes: 30,
      gridMinutes: 30,
      resourceIds: [t.room.id],
    });
    const taken = await t.seshn.bookings.create({
      serviceId: other.id,
      startTime: '2026-03-10T18:30:00Z', // 14:30 EDT, inside occurrence 1
      contactId: t.john.id,
    });
    const block = await t.seshn.allocations.create({
      resourceId: t.room.id,
      startTime: '2026-03-31T17:00:00Z',
      endTime: '2026-03-31T19:00:00Z',
      reason: 'maintenance',
    });
    const e = await failure(
      t.seshn.bookingSeries.create({
        contactId: t.jane.id,
        serviceId: t.massage.id,
        recurrence: TUESDAYS_14,
      }),
    );
    expect(e.details.conflicts).toEqual([
      expect.objectContaining({ index: 1, reason: 'conflict', withId: taken.id }),
      expect.objectContaining({ index: 4, reason: 'allocation', withId: block.id }),
    ]);
    expect(e.details.reason).toBe('conflict');
  });

  it('puts the whole series on the first pool resource that takes every occurrence', async () => {
    const t = await setup();
    const room2 = await t.seshn.resources.create({
      name: 'Room 2',
      timezone: 'America/New_York',
      availability: { weekly: hours('08:00', '20:00') },
    });
    const pooled = await t.seshn.services.create({
      name: 'Pooled',
      kind: 'appointment',
      durationMinutes: 60,
      resourceIds: [t.room.id, room2.id],
    });
    await t.seshn.bookings.create({
      serviceId: pooled.id,
      resourceId: t.room.id,
      startTime: '2026-03-24T18:00:00Z',
      contactId: t.john.id,
    });
    const series = await t.seshn.bookingSeries.create({
      contactId: t.jane.id,
      serviceId: pooled.id,
      recurrence: TUESDAYS_14,
    });
    expect(series.resourceId).toBe(room2.id);
    expect(new Set(series.bookings.map((b) => b.resourceId))).toEqual(new Set([room2.id]));

    // Both resources blocked somewhere: all or nothing fails and reports each resource.
    await t.seshn.bookings.create({
      serviceId: pooled.id,
      resourceId: t.room.id,
      startTime: '2026-03-03T15:00:00Z',
      contactId: t.john.id,
    });
    await t.seshn.bookings.create({
      serviceId: pooled.id,
      resourceId: room2.id,
      startTime: '2026-03-03T15:00:00Z',
      contactId: t.john.id,
    });
    const e = await failure(
      t.seshn.bookingSeries.create({
        contactId: t.jane.id,
        serviceId: pooled.id,
        recurrence: { ...TUESDAYS_14, time: '10:00' },
      }),
    );
    expect(e.details.resourceId).toBe(t.room.id);
    expect((e.details.resources as unknown[]).length).toBe(2);
  });
});

describe("onConflict: 'skip'", () => {
  it('books the rest and reports what was skipped', async () => {
    const t = await setup({ overrides: [{ date: '2026-04-07', hours: [] }] });
    await t.seshn.bookings.create({
      serviceId: t.massage.id,
      startTime: '2026-03-17T18:00:00Z',
      contactId: t.john.id,
    });
    const series = await t.seshn.bookingSeries.create({
      contactId: t.jane.id,
      serviceId: t.massage.id,
      recurrence: TUESDAYS_14,
      onConflict: 'skip',
    });
    expect(series.bookings.map((b) => b.occurrenceIndex)).toEqual([0, 1, 3, 4, 6, 7]);
    expect(series.skipped?.map((s) => [s.index, s.reason])).toEqual([
      [2, 'full'],
      [5, 'closed_override'],
    ]);
    expect(series.skipped?.[0]?.startTime).toBe('2026-03-17T18:00:00.000Z');
    const fresh = await t.seshn.bookingSeries.get(series.id);
    expect(fresh.skipped).toEqual(series.skipped);
    expect(fresh.recurrence).not.toHaveProperty('skipped');
    // A skipped occurrence has no booking.
    expect((await failure(t.seshn.bookingSeries.cancelOccurrence(series.id, 2))).code).toBe('not_found');
    expect((await t.eventTypes())['booking.created']).toBe(1 + 6);

    // Skip mode with nothing to skip: an empty list, on create and on get.
    const u = await setup();
    const clean = await u.seshn.bookingSeries.create({
      contactId: u.jane.id,
      serviceId: u.massage.id,
      recurrence: TUESDAYS_14,
      onConflict: 'skip',
    });
    expect(clean.bookings).toHaveLength(8);
    expect(clean.skipped).toEqual([]);
    expect((await u.seshn.bookingSeries.get(clean.id)).skipped).toEqual([]);
  });

  it('in a pool, uses the resource that loses the fewest occurrences', async () => {
    const t = await setup();
    const room2 = await t.seshn.resources.create({
      name: 'Room 2',
      timezone: 'America/New_York',
      availability: { weekly: hours('08:00', '20:00') },
    });
    const pooled = await t.seshn.services.create({
      name: 'Pooled',
      kind: 'appointment',
      durationMinutes: 60,
      resourceIds: [t.room.id, room2.id],
    });
    for (const [resourceId, startTime] of [
      [t.room.id, '2026-03-03T19:00:00Z'],
      [t.room.id, '2026-03-10T18:00:00Z'],
      [room2.id, '2026-03-17T18:00:00Z'],
    ] as const) {
      await t.seshn.bookings.create({ serviceId: pooled.id, resourceId, startTime, contactId: t.john.id });
    }
    const series = await t.seshn.bookingSeries.create({
      contactId: t.jane.id,
      serviceId: pooled.id,
      recurrence: TUESDAYS_14,
      onConflict: 'skip',
    });
    expect(series.resourceId).toBe(room2.id);
    expect(series.skipped?.map((x) => x.index)).toEqual([2]);
    expect(series.bookings).toHaveLength(7);
  });

  it('fails when nothing fits', async () => {
    const t = await setup();
    const before = await t.counts();
    const e = await failure(
      t.seshn.bookingSeries.create({
        contactId: t.jane.id,
        serviceId: t.massage.id,
        recurrence: { ...TUESDAYS_14, time: '21:00' },
        onConflict: 'skip',
      }),
    );
    expect(e.code).toBe('slot_unavailable');
    expect((e.details.conflicts as { reason: string }[]).map((c) => c.reason)).toEqual(
      Array(8).fill('outside_hours'),
    );
    expect(await t.counts()).toEqual(before);
  });
});

describe('preview', () => {
  it('returns what would be booked and what conflicts, and writes nothing', async () => {
    const t = await setup();
    await t.seshn.bookings.create({
      serviceId: t.massage.id,
      startTime: '2026-03-17T18:00:00Z',
      contactId: t.john.id,
    });
    const before = await t.counts();
    const preview = await t.seshn.bookingSeries.create({
      contactId: t.jane.id,
      serviceId: t.massage.id,
      recurrence: TUESDAYS_14,
      preview: true,
      idempotencyKey: 'preview-key',
    });
    expect(preview.object).toBe('booking_series_preview');
    expect(preview.bookable).toBe(false);
    expect(preview.resourceId).toBe(t.room.id);
    expect(preview.occurrences).toHaveLength(8);
    expect(preview.occurrences.filter((o) => !o.available).map((o) => o.index)).toEqual([2]);
    expect(preview.occurrences[0]).toMatchObject({
      startTime: '2026-03-03T19:00:00.000Z',
      endTime: '2026-03-03T20:00:00.000Z',
      price: { amount: 5000, currency: 'usd' },
    });
    expect(preview.conflicts).toEqual([expect.objectContaining({ index: 2, reason: 'full' })]);
    expect(await t.counts()).toEqual(before);

    const skip = await t.seshn.bookingSeries.create({
      contactId: t.jane.id,
      serviceId: t.massage.id,
      recurrence: TUESDAYS_14,
      preview: true,
      onConflict: 'skip',
    });
    expect(skip.bookable).toBe(true);
    expect(await t.counts()).toEqual(before);
    // The key was not consumed by the preview.
    const real = await t.seshn.bookingSeries.create({
      contactId: t.jane.id,
      serviceId: t.massage.id,
      recurrence: { ...TUESDAYS_14, time: '11:00' },
      idempotencyKey: 'preview-key',
    });
    expect(real.bookings).toHaveLength(8);
  });
});

describe('class series', () => {
  async function classSetup() {
    const t = await setup();
    const yoga = await t.seshn.services.create({
      name: 'Yoga',
      kind: 'class',
      durationMinutes: 60,
      capacity: 3,
      resourceIds: [t.room.id],
      timetable: [{ resourceId: t.room.id, rrule: 'FREQ=WEEKLY;BYDAY=TU', dtstart: '2026-01-06T18:00' }],
    });
    return { ...t, yoga };
  }

  it('books timetable sessions with seats, and fails on sessions that are full or do not exist', async () => {
    const t = await classSetup();
    const series = await t.seshn.bookingSeries.create({
      contactId: t.jane.id,
      serviceId: t.yoga.id,
      seats: 2,
      recurrence: { frequency: 'weekly', dayOfWeek: 2, time: '18:00', count: 5 },
    });
    const sessions = await t.seshn.availability.query({
      serviceId: t.yoga.id,
      from: '2026-03-03',
      to: '2026-03-31',
    });
    expect(series.bookings.map((b) => b.slotId)).toEqual(sessions.map((s) => s.id));
    expect(series.bookings.every((b) => b.seats === 2)).toBe(true);
    expect(sessions.every((s) => s.remaining === 1)).toBe(true);

    const full = await failure(
      t.seshn.bookingSeries.create({
        contactId: t.john.id,
        serviceId: t.yoga.id,
        seats: 2,
        recurrence: { frequency: 'weekly', dayOfWeek: 2, time: '18:00', count: 5 },
      }),
    );
    expect((full.details.conflicts as { reason: string; remaining: number }[]).map((c) => c.reason)).toEqual(
      Array(5).fill('full'),
    );
    expect((full.details.conflicts as { remaining: number }[])[0]!.remaining).toBe(1);

    const one = await t.seshn.bookingSeries.create({
      contactId: t.john.id,
      serviceId: t.yoga.id,
      recurrence: { frequency: 'weekly', dayOfWeek: 2, time: '18:00', count: 5 },
    });
    expect(one.bookings).toHaveLength(5);

    const offSession = await failure(
      t.seshn.bookingSeries.create({
        contactId: t.john.id,
        serviceId: t.yoga.id,
        recurrence: { frequency: 'weekly', dayOfWeek: 3, time: '18:00', count: 2 },
      }),
    );
    expect((offSession.details.conflicts as { reason: string }[]).map((c) => c.reason)).toEqual([
      'off_grid',
      'off_grid',
    ]);
  });
});

describe('DST: 14:00 stays 14:00 local', () => {
  for (const [timezone, springUtc, fallUtc] of [
    // US: forward 2026-03-08, back 2026-11-01. UK: forward 2026-03-29, back 2026-10-25.
    [
      'America/New_York',
      ['2026-03-01T19:00:00.000Z', '2026-03-08T18:00:00.000Z'],
      ['2026-10-25T18:00:00.000Z', '2026-11-01T19:00:00.000Z'],
    ],
    [
      'Europe/London',
      ['2026-03-22T14:00:00.000Z', '2026-03-29T13:00:00.000Z'],
      ['2026-10-18T13:00:00.000Z', '2026-10-25T14:00:00.000Z'],
    ],
  ] as const) {
    it(`across the spring-forward and fall-back weekends in ${timezone}`, async () => {
      const t = await setup({ timezone, now: '2026-02-20T12:00:00Z' });
      const series = await t.seshn.bookingSeries.create({
        contactId: t.jane.id,
        serviceId: t.massage.id,
        recurrence: {
          frequency: 'weekly',
          dayOfWeek: 7,
          time: '14:00',
          startDate: '2026-03-01',
          until: '2026-11-08',
        },
      });
      expect(series.bookings).toHaveLength(37);
      for (const b of series.bookings) {
        expect(localTime(b.startTime, timezone)).toMatch(/ 14:00$/);
        expect(Date.parse(b.endTime) - Date.parse(b.startTime)).toBe(3_600_000);
      }
      const starts = series.bookings.map((b) => b.startTime);
      for (const pair of [springUtc, fallUtc]) {
        const i = starts.indexOf(pair[0]);
        expect(i).toBeGreaterThanOrEqual(0);
        expect(starts[i + 1]).toBe(pair[1]);
      }
    });
  }

  it('moves a time in the spring-forward gap forward by the gap (02:30 → 03:30 that day only)', async () => {
    const t = await setup({ now: '2026-03-01T12:00:00Z' });
    const nightRoom = await t.seshn.resources.create({
      name: 'Night',
      timezone: 'America/New_York',
      availability: { weekly: hours('00:00', '24:00') },
    });
    const night = await t.seshn.services.create({
      name: 'Night shift',
      kind: 'appointment',
      durationMinutes: 60,
      gridMinutes: 30,
      resourceIds: [nightRoom.id],
    });
    const series = await t.seshn.bookingSeries.create({
      contactId: t.jane.id,
      serviceId: night.id,
      recurrence: { frequency: 'daily', time: '02:30', startDate: '2026-03-07', count: 3 },
    });
    expect(series.bookings.map((b) => localTime(b.startTime, 'America/New_York'))).toEqual([
      '2026-03-07 02:30',
      '2026-03-08 03:30',
      '2026-03-09 02:30',
    ]);
  });

  it('starts tomorrow when today’s occurrence has already passed (simple form without startDate)', async () => {
    // Tuesday 2026-03-03 15:00 in New York: today's 14:00 is gone, so the series starts next Tuesday.
    const t = await setup({ now: '2026-03-03T20:00:00Z' });
    const series = await t.seshn.bookingSeries.create({
      contactId: t.jane.id,
      serviceId: t.massage.id,
      recurrence: { ...TUESDAYS_14, count: 2 },
    });
    expect(series.recurrence.dtstart).toBe('2026-03-10T14:00');
    expect(series.bookings[0]!.startTime).toBe('2026-03-10T18:00:00.000Z');
  });
});

describe('cancel', () => {
  it('cancels from an index, then every upcoming one; past occurrences stay', async () => {
    const t = await setup();
    const series = await t.seshn.bookingSeries.create({
      contactId: t.jane.id,
      serviceId: t.massage.id,
      recurrence: TUESDAYS_14,
    });
    const partial = await t.seshn.bookingSeries.cancel(series.id, { from: 5 });
    expect(partial.status).toBe('active');
    expect(partial.bookings.map((b) => b.status)).toEqual([
      ...Array(5).fill('confirmed'),
      ...Array(3).fill('cancelled'),
    ]);
    expect(await t.eventTypes()).toMatchObject({ 'booking.cancelled': 3, 'booking_series.cancelled': 1 });

    // Two occurrences are in the past now.
    t.setNow('2026-03-12T12:00:00Z');
    const rest = await t.seshn.bookingSeries.cancel(series.id, { reason: 'moved away' });
    expect(rest.status).toBe('cancelled');
    expect(rest.bookings.map((b) => b.status)).toEqual([
      'confirmed',
      'confirmed',
      ...Array(6).fill('cancelled'),
    ]);
    expect(rest.bookings[2]!.cancellationReason).toBe('moved away');
    const types = await t.eventTypes();
    expect(types).toMatchObject({ 'booking.cancelled': 6, 'booking_series.cancelled': 2 });

    // Idempotent: nothing left to cancel, nothing emitted.
    const again = await t.seshn.bookingSeries.cancel(series.id);
    expect(again.status).toBe('cancelled');
    expect(await t.eventTypes()).toEqual(types);
  });

  it('cancels from an instant', async () => {
    const t = await setup();
    const series = await t.seshn.bookingSeries.create({
      contactId: t.jane.id,
      serviceId: t.massage.id,
      recurrence: TUESDAYS_14,
    });
    const after = await t.seshn.bookingSeries.cancel(series.id, { from: '2026-03-24T00:00:00Z' });
    expect(after.bookings.filter((b) => b.status === 'cancelled').map((b) => b.occurrenceIndex)).toEqual([
      3, 4, 5, 6, 7,
    ]);
    expect((await failure(t.seshn.bookingSeries.cancel(series.id, { from: 'soon' as never }))).code).toBe(
      'validation_failed',
    );
  });

  it('marks the series cancelled when the last upcoming occurrence is cancelled', async () => {
    const t = await setup();
    const series = await t.seshn.bookingSeries.create({
      contactId: t.jane.id,
      serviceId: t.massage.id,
      recurrence: { ...TUESDAYS_14, count: 2 },
    });
    await t.seshn.bookingSeries.cancelOccurrence(series.id, 0);
    expect((await t.seshn.bookingSeries.get(series.id)).status).toBe('active');
    await t.seshn.bookingSeries.cancelOccurrence(series.id, 1);
    expect((await t.seshn.bookingSeries.get(series.id)).status).toBe('cancelled');
    expect((await t.eventTypes())['booking_series.cancelled']).toBe(1);
  });
});

describe('rescheduleOccurrence', () => {
  it('moves one occurrence, keeping its id, series and index', async () => {
    const t = await setup();
    const series = await t.seshn.bookingSeries.create({
      contactId: t.jane.id,
      serviceId: t.massage.id,
      recurrence: TUESDAYS_14,
    });
    const moved = await t.seshn.bookingSeries.rescheduleOccurrence(series.id, 2, {
      startTime: '2026-03-18T18:00:00Z',
    });
    expect(moved.id).toBe(series.bookings[2]!.id);
    expect(moved.seriesId).toBe(series.id);
    expect(moved.occurrenceIndex).toBe(2);
    expect(moved.startTime).toBe('2026-03-18T18:00:00.000Z');
    const fresh = await t.seshn.bookingSeries.get(series.id);
    expect(fresh.bookings[2]!.startTime).toBe('2026-03-18T18:00:00.000Z');

    // Onto another occurrence of the same series: a conflict, nothing changes.
    const e = await failure(
      t.seshn.bookingSeries.rescheduleOccurrence(series.id, 2, { startTime: series.bookings[3]!.startTime }),
    );
    expect(e.code).toBe('slot_unavailable');
    expect((await t.seshn.bookingSeries.get(series.id)).bookings[2]!.startTime).toBe(
      '2026-03-18T18:00:00.000Z',
    );
    // By slot id.
    const slots = await t.seshn.availability.query({
      serviceId: t.massage.id,
      from: '2026-03-19',
      to: '2026-03-19',
    });
    const bySlot = await t.seshn.bookingSeries.rescheduleOccurrence(series.id, 2, { slotId: slots[0]!.id });
    expect(bySlot.slotId).toBe(slots[0]!.id);
    expect(
      (await failure(t.seshn.bookingSeries.rescheduleOccurrence(series.id, 8, { slotId: slots[1]!.id })))
        .code,
    ).toBe('not_found');
  });
});

describe('bounds and bad input', () => {
  const bad: [string, Record<string, unknown>, string][] = [
    ['unknown day', { frequency: 'weekly', dayOfWeek: 8, time: '14:00', count: 2 }, 'recurrence.dayOfWeek'],
    [
      'day as a word',
      { frequency: 'weekly', dayOfWeek: 'tuesday', time: '14:00', count: 2 },
      'recurrence.dayOfWeek',
    ],
    ['time 25:00', { frequency: 'weekly', dayOfWeek: 2, time: '25:00', count: 2 }, 'recurrence.time'],
    [
      'until before start',
      { frequency: 'weekly', dayOfWeek: 2, time: '14:00', startDate: '2026-04-01', until: '2026-03-20' },
      'recurrence.until',
    ],
    [
      'no occurrence before until',
      { frequency: 'monthly', dayOfMonth: 31, time: '14:00', startDate: '2026-04-01', until: '2026-04-30' },
      'recurrence.until',
    ],
    [
      'exdates remove every occurrence',
      {
        rrule: 'FREQ=DAILY;COUNT=2',
        dtstart: '2026-03-03T14:00',
        exdates: ['2026-03-03T14:00', '2026-03-04T14:00'],
      },
      'recurrence.exdates',
    ],
    ['endless simple rule', { frequency: 'weekly', dayOfWeek: 2, time: '14:00' }, 'recurrence.count'],
    ['endless rrule', { rrule: 'FREQ=WEEKLY;BYDAY=TU', dtstart: '2026-03-03T14:00' }, 'recurrence.rrule'],
    ['invalid rrule', { rrule: 'FREQ=SOMETIMES;COUNT=2', dtstart: '2026-03-03T14:00' }, 'recurrence.rrule'],
    ['invalid dtstart', { rrule: 'FREQ=DAILY;COUNT=2', dtstart: '2026-02-30T14:00' }, 'recurrence.dtstart'],
    ['more than the default cap', { frequency: 'daily', time: '14:00', count: 105 }, 'recurrence.count'],
    ['not an object', 'every tuesday' as never, 'recurrence'],
  ];
  for (const [name, recurrence, path] of bad) {
    it(`${name} → validation_failed on ${path}, nothing reserved`, async () => {
      const t = await setup();
      const e = await failure(
        t.seshn.bookingSeries.create({
          contactId: t.jane.id,
          serviceId: t.massage.id,
          recurrence: recurrence as never,
        }),
      );
      expect(e.code).toBe('validation_failed');
      expect(fieldPaths(e)).toContain(path);
      expect(await t.counts()).toMatchObject({ bookings: 0, series: 0 });
    });
  }

  it('honours a configured cap for count, until and rrule forms', async () => {
    const t = await setup({ limits: { maxSeriesOccurrences: 5 } });
    const base = { contactId: t.jane.id, serviceId: t.massage.id };
    const cases: [Record<string, unknown>, string][] = [
      [{ frequency: 'daily', time: '14:00', count: 6 }, 'recurrence.count'],
      [
        { frequency: 'daily', time: '14:00', startDate: '2026-03-03', until: '2026-03-08' },
        'recurrence.until',
      ],
      [{ rrule: 'FREQ=DAILY;COUNT=6', dtstart: '2026-03-03T14:00' }, 'recurrence.rrule'],
      [{ rrule: 'FREQ=MINUTELY;UNTIL=20270101T000000Z', dtstart: '2026-03-03T14:00' }, 'recurrence.rrule'],
    ];
    for (const [recurrence, path] of cases) {
      const e = await failure(t.seshn.bookingSeries.create({ ...base, recurrence: recurrence as never }));
      expect(fieldPaths(e)).toEqual([path]);
      expect(e.message).toMatch(/at most 5/);
    }
    const ok = await t.seshn.bookingSeries.create({
      ...base,
      recurrence: { frequency: 'daily', time: '14:00', startDate: '2026-03-03', count: 5 },
    });
    expect(ok.bookings).toHaveLength(5);
    expect((await t.counts()).bookings).toBe(5);
  });

  it('rejects other bad fields by name', async () => {
    const t = await setup();
    const base = { contactId: t.jane.id, serviceId: t.massage.id, recurrence: TUESDAYS_14 };
    expect(
      fieldPaths(await failure(t.seshn.bookingSeries.create({ ...base, onConflict: 'maybe' as never }))),
    ).toEqual(['onConflict']);
    expect(fieldPaths(await failure(t.seshn.bookingSeries.create({ ...base, seats: 0 })))).toEqual(['seats']);
    expect((await failure(t.seshn.bookingSeries.create({ ...base, contactId: 'ct_nope' }))).code).toBe(
      'not_found',
    );
    expect((await failure(t.seshn.bookingSeries.get('bks_nope'))).code).toBe('not_found');
    expect((await t.counts()).bookings).toBe(0);
  });
});

describe('holds, idempotency and tenants', () => {
  it('holds every occurrence until the TTL; lapsed holds free the slots', async () => {
    const t = await setup();
    const series = await t.seshn.bookingSeries.create({
      contactId: t.jane.id,
      serviceId: t.massage.id,
      recurrence: { ...TUESDAYS_14, count: 3 },
      hold: { ttlSeconds: 300 },
    });
    expect(series.bookings.map((b) => b.status)).toEqual(['held', 'held', 'held']);
    expect((await t.eventTypes())['booking.held']).toBe(3);
    t.setNow('2026-03-02T12:05:00Z');
    expect((await t.seshn.bookingSeries.get(series.id)).bookings.map((b) => b.status)).toEqual([
      'expired',
      'expired',
      'expired',
    ]);
    const again = await t.seshn.bookingSeries.create({
      contactId: t.john.id,
      serviceId: t.massage.id,
      recurrence: { ...TUESDAYS_14, count: 3 },
    });
    expect(again.bookings).toHaveLength(3);
    expect((await failure(t.seshn.bookingSeries.cancelOccurrence(series.id, 0))).code).toBe('invalid_state');
  });

  it('confirms every held occurrence at once, idempotently, leaving cancelled ones alone', async () => {
    const t = await setup();
    const series = await t.seshn.bookingSeries.create({
      contactId: t.jane.id,
      serviceId: t.massage.id,
      recurrence: { ...TUESDAYS_14, count: 3 },
      hold: { ttlSeconds: 300 },
    });
    await t.seshn.bookingSeries.cancelOccurrence(series.id, 1);
    const confirmed = await t.seshn.bookingSeries.confirm(series.id);
    expect(confirmed.bookings.map((b) => [b.status, b.expiresAt])).toEqual([
      ['confirmed', null],
      ['cancelled', expect.any(String)],
      ['confirmed', null],
    ]);
    expect((await t.eventTypes())['booking.confirmed']).toBe(2);
    t.setNow('2026-03-02T13:00:00Z'); // long past the TTL: confirmed bookings do not lapse
    const again = await t.seshn.bookingSeries.confirm(series.id);
    expect(again.bookings.map((b) => b.status)).toEqual(['confirmed', 'cancelled', 'confirmed']);
    expect((await t.eventTypes())['booking.confirmed']).toBe(2);
  });

  it('confirms nothing when a hold has lapsed, and names the lapsed occurrences', async () => {
    const t = await setup();
    const series = await t.seshn.bookingSeries.create({
      contactId: t.jane.id,
      serviceId: t.massage.id,
      recurrence: { ...TUESDAYS_14, count: 2 },
      hold: { ttlSeconds: 300 },
    });
    t.setNow('2026-03-02T12:05:00Z');
    const e = await failure(t.seshn.bookingSeries.confirm(series.id));
    expect(e.code).toBe('invalid_state');
    expect((e.details.occurrences as { index: number }[]).map((o) => o.index)).toEqual([0, 1]);
    expect((await t.seshn.bookingSeries.get(series.id)).bookings.map((b) => b.status)).toEqual([
      'expired',
      'expired',
    ]);
    expect((await t.eventTypes())['booking.confirmed'] ?? 0).toBe(0);
    expect((await failure(t.seshn.bookingSeries.confirm('bks_nope'))).code).toBe('not_found');
  });

  it('replays a retried create and rejects a key reused for another request', async () => {
    const t = await setup();
    const input = {
      contactId: t.jane.id,
      serviceId: t.massage.id,
      recurrence: TUESDAYS_14,
      idempotencyKey: 'series-1',
    };
    const first = await t.seshn.bookingSeries.create(input);
    const second = await t.seshn.bookingSeries.create(input);
    expect(second.id).toBe(first.id);
    expect(second.bookings.map((b) => b.id)).toEqual(first.bookings.map((b) => b.id));
    expect((await t.counts()).bookings).toBe(8);
    const e = await failure(
      t.seshn.bookingSeries.create({ ...input, recurrence: { ...TUESDAYS_14, count: 2 } }),
    );
    expect(e.code).toBe('idempotency_conflict');
    // A key of bookings.create is not a key of bookingSeries.create, and bookings.create still replays.
    const single = await t.seshn.bookings.create({
      serviceId: t.massage.id,
      startTime: '2026-03-05T15:00:00Z',
      contactId: t.john.id,
      idempotencyKey: 'single-1',
    });
    expect(
      (
        await t.seshn.bookings.create({
          serviceId: t.massage.id,
          startTime: '2026-03-05T15:00:00Z',
          contactId: t.john.id,
          idempotencyKey: 'single-1',
        })
      ).id,
    ).toBe(single.id);
    expect((await failure(t.seshn.bookingSeries.create({ ...input, idempotencyKey: 'single-1' }))).code).toBe(
      'idempotency_conflict',
    );
  });

  it('a failed create leaves its idempotency key unused', async () => {
    const t = await setup();
    await t.seshn.bookings.create({
      serviceId: t.massage.id,
      startTime: '2026-03-17T18:00:00Z',
      contactId: t.john.id,
    });
    const input = {
      contactId: t.jane.id,
      serviceId: t.massage.id,
      recurrence: TUESDAYS_14,
      idempotencyKey: 'k',
    };
    expect((await failure(t.seshn.bookingSeries.create(input))).code).toBe('slot_unavailable');
    const skipped = await t.seshn.bookingSeries.create({ ...input, onConflict: 'skip' });
    expect(skipped.bookings).toHaveLength(7);
  });

  it('another tenant sees not_found and an empty list', async () => {
    const t = await setup();
    const series = await t.seshn.bookingSeries.create({
      contactId: t.jane.id,
      serviceId: t.massage.id,
      recurrence: TUESDAYS_14,
    });
    const other = t.seshn.withScope({ organizationId: 'org_other', mode: 'live' });
    const test = t.seshn.withScope({ organizationId: t.seshn.scope.organizationId, mode: 'test' });
    for (const h of [other, test]) {
      expect((await failure(h.bookingSeries.get(series.id))).code).toBe('not_found');
      expect((await failure(h.bookingSeries.cancelOccurrence(series.id, 0))).code).toBe('not_found');
      expect((await failure(h.bookingSeries.cancel(series.id))).code).toBe('not_found');
      expect(
        (
          await failure(
            h.bookingSeries.rescheduleOccurrence(series.id, 0, { startTime: '2026-03-04T15:00:00Z' }),
          )
        ).code,
      ).toBe('not_found');
      expect((await h.bookingSeries.list()).data).toEqual([]);
    }
    expect((await t.seshn.bookingSeries.get(series.id)).bookings.every((b) => b.status === 'confirmed')).toBe(
      true,
    );
  });
});
