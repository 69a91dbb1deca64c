/**
 * The input contract on a real adapter (docs/input-contract.md): partial updates change only the
 * fields given, impossible instants and malformed metadata are `validation_failed` naming the
 * field (never a `storage_error`), ids are bounded and prefix-checked, list cursors must name a
 * row of the collection, time-zone names are stored canonical — and bad input changes nothing.
 * @module
 */
import type { Seshn, SeshnError } from '@seshn/core';
import { describe, expect, it } from 'vitest';
import { ALL_WEEK, HOUR, iso, makeWorld, T0 } from '../fixtures.js';
import type { SuiteContext } from '../suite.js';
import { expectCode } from './lifecycle.js';

const DAY = 24 * HOUR;
// biome-ignore lint/suspicious/noExplicitAny: deliberately wrong shapes
const anyInput = (x: unknown) => x as any;
const paths = (e: SeshnError) => (e.details.fields as { path: string; message: string }[]).map((f) => f.path);
const fieldMessage = (e: SeshnError, path: string) =>
  (e.details.fields as { path: string; message: string }[]).find((f) => f.path === path)?.message ?? '';

/** Asserts `promise` fails with validation_failed naming `path` (and returns the error). */
async function expectField(promise: Promise<unknown>, path: string) {
  const e = await expectCode(promise, 'validation_failed');
  expect(paths(e)).toContain(path);
  for (const f of e.details.fields as { path: string; message: string }[]) {
    expect(f.message).not.toBe('Invalid input');
  }
  return e;
}

const slotStarts = async (s: Seshn, serviceId: string, from: number, to: number) =>
  (await s.availability.query({ serviceId, from: iso(from), to: iso(to) })).map((x) => x.startTime);

export function inputContractTests(get: () => SuiteContext) {
  describe('input contract', () => {
    it('a partial resource update changes only the fields given (hours, overrides and metadata stay)', async () => {
      const { adapter } = get();
      const w = await makeWorld(adapter, 'partial-resource');
      const s = w.seshn;
      // Tuesday T0 + 1 day is closed by an override; Monday T0 is open all day.
      const room = await s.resources.create({
        name: 'Room 9',
        timezone: 'UTC',
        capacity: 4,
        metadata: { floor: 1, wing: 'east' },
        availability: { weekly: ALL_WEEK, overrides: [{ date: '2030-01-08', hours: [] }] },
      });
      const service = await s.services.create({
        name: 'Consult',
        kind: 'appointment',
        durationMinutes: 60,
        resourceIds: [room.id],
        horizonDays: null,
      });
      const monday = await slotStarts(s, service.id, T0, T0 + DAY);
      expect(monday.length).toBe(24);
      expect(await slotStarts(s, service.id, T0 + DAY, T0 + 2 * DAY)).toEqual([]);

      const renamed = await s.resources.update(room.id, { name: 'Room 10' });
      expect(renamed).toEqual({ ...room, name: 'Room 10', updatedAt: renamed.updatedAt });
      expect(await s.resources.get(room.id)).toEqual(renamed);
      // A renamed resource still offers its slots, and its holiday is still closed.
      expect(await slotStarts(s, service.id, T0, T0 + DAY)).toEqual(monday);
      expect(await slotStarts(s, service.id, T0 + DAY, T0 + 2 * DAY)).toEqual([]);

      const resized = await s.resources.update(room.id, { capacity: 6 });
      expect(await s.resources.get(room.id)).toEqual({
        ...renamed,
        capacity: 6,
        updatedAt: resized.updatedAt,
      });
      // `undefined` is "not given", like an absent key.
      await s.resources.update(room.id, { name: undefined, metadata: undefined });
      expect((await s.resources.get(room.id)).availability).toEqual(room.availability);

      // availability.weekly replaces the weekly hours and keeps the overrides …
      await s.resources.update(room.id, {
        availability: { weekly: { mon: [{ start: '09:00', end: '12:00' }] } },
      });
      const weekly = await s.resources.get(room.id);
      expect(weekly.availability).toEqual({
        weekly: { mon: [{ start: '09:00', end: '12:00' }] },
        overrides: [{ date: '2030-01-08', hours: [] }],
      });
      expect(await slotStarts(s, service.id, T0, T0 + DAY)).toEqual(
        [9, 10, 11].map((h) => iso(T0 + h * HOUR)),
      );
      // … and availability.overrides replaces the overrides and keeps the weekly hours.
      await s.resources.update(room.id, { availability: { overrides: [{ date: '2030-01-07', hours: [] }] } });
      expect((await s.resources.get(room.id)).availability).toEqual({
        weekly: { mon: [{ start: '09:00', end: '12:00' }] },
        overrides: [{ date: '2030-01-07', hours: [] }],
      });
      expect(await slotStarts(s, service.id, T0, T0 + DAY)).toEqual([]);

      // metadata merges key by key; null or '' removes a key; null for the whole clears it.
      await s.resources.update(room.id, { metadata: { wing: null, color: 'red', floor: '' } });
      expect((await s.resources.get(room.id)).metadata).toEqual({ color: 'red' });
      await s.resources.update(room.id, { metadata: { size: 3 } });
      expect((await s.resources.get(room.id)).metadata).toEqual({ color: 'red', size: 3 });
      await s.resources.update(room.id, { metadata: null });
      expect((await s.resources.get(room.id)).metadata).toEqual({});

      // Bad input changes nothing.
      const before = await s.resources.get(room.id);
      await expectField(s.resources.update(room.id, anyInput({ name: 'X', bogus: 1 })), 'bogus');
      await expectField(
        s.resources.update(room.id, anyInput({ availability: { weekly: { mon: 'x' } } })),
        'availability.weekly.mon',
      );
      expect(await s.resources.get(room.id)).toEqual(before);
    });

    it('a partial service update keeps pricing, timetable, buffers and everything else not given', async () => {
      const { adapter } = get();
      const w = await makeWorld(adapter, 'partial-service');
      const s = w.seshn;
      const appointment = await s.services.get(w.appointment.id);
      const renamed = await s.services.update(w.appointment.id, { name: 'Renamed', pricing: undefined });
      expect(renamed).toEqual({ ...appointment, name: 'Renamed', updatedAt: renamed.updatedAt });
      expect(await s.services.get(w.appointment.id)).toEqual(renamed);
      expect(await s.pricing.quote({ serviceId: w.appointment.id })).toEqual({
        amount: 5000,
        currency: 'usd',
      });
      // Buffers still apply: an appointment at 09:00 blocks 10:00 (15 min buffer after, grid 30).
      await s.bookings.create({
        serviceId: w.appointment.id,
        startTime: iso(T0 + 9 * HOUR),
        contactId: w.contact.id,
      });
      const after = await slotStarts(s, w.appointment.id, T0 + 8 * HOUR, T0 + 12 * HOUR);
      expect(after).not.toContain(iso(T0 + 10 * HOUR));
      expect(after).toContain(iso(T0 + 10.5 * HOUR));

      const yoga = await s.services.get(w.yoga.id);
      const sessions = await slotStarts(s, w.yoga.id, T0, T0 + DAY);
      expect(sessions).toEqual([iso(T0 + 9 * HOUR), iso(T0 + 18 * HOUR)]);
      const smaller = await s.services.update(w.yoga.id, { capacity: 3, metadata: { level: 'easy' } });
      expect(smaller).toEqual({
        ...yoga,
        capacity: 3,
        metadata: { level: 'easy' },
        updatedAt: smaller.updatedAt,
      });
      expect(await slotStarts(s, w.yoga.id, T0, T0 + DAY)).toEqual(sessions);
      await s.services.update(w.yoga.id, { metadata: { level: null, room: 'b' } });
      expect((await s.services.get(w.yoga.id)).metadata).toEqual({ room: 'b' });
      await expectField(s.services.update(w.yoga.id, anyInput({ capacity: 'many' })), 'capacity');
      expect((await s.services.get(w.yoga.id)).capacity).toBe(3);
    });

    it('a partial contact update keeps email, phone and metadata not given', async () => {
      const { adapter } = get();
      const w = await makeWorld(adapter, 'partial-contact');
      const s = w.seshn;
      const ann = await s.contacts.create({
        name: 'Ann',
        email: 'ann@example.com',
        phone: '+44 1234',
        metadata: { tier: 'gold', source: 'web' },
      });
      const renamed = await s.contacts.update(ann.id, { name: 'Ann Lee' });
      expect(renamed).toEqual({ ...ann, name: 'Ann Lee', updatedAt: renamed.updatedAt });
      expect(await s.contacts.get(ann.id)).toEqual(renamed);
      await s.contacts.update(ann.id, { metadata: { source: null, vip: true } });
      expect(await s.contacts.get(ann.id)).toMatchObject({
        email: 'ann@example.com',
        phone: '+44 1234',
        metadata: { tier: 'gold', vip: true },
      });
    });

    it('rejects instants that do not exist, naming the field and the format, and books nothing', async () => {
      const { adapter, raw } = get();
      const w = await makeWorld(adapter, 'instants');
      const s = w.seshn;
      const before = await raw.counts(s.scope);
      const bad = [
        '2030-02-30T09:00:00Z',
        '2030-04-31T10:00Z',
        '2030-01-07T24:00:00Z',
        '2030-01-07T25:61:00Z',
        '2030-01-07T09:00:00+25:00',
        '2030-01-07T09:00:60Z',
        '2030-13-01T09:00:00Z',
        '2030-01-07 09:00:00Z',
        'tomorrow',
      ];
      for (const startTime of bad) {
        const e = await expectField(
          s.bookings.create({ serviceId: w.appointment.id, startTime, contactId: w.contact.id }),
          'startTime',
        );
        expect(fieldMessage(e, 'startTime')).toMatch(/ISO 8601/);
        expect(fieldMessage(e, 'startTime')).toMatch(/offset/);
      }
      await expectField(
        s.allocations.create({
          resourceId: w.room.id,
          startTime: '2030-04-31T10:00Z',
          endTime: '2030-05-01T12:00Z',
        }),
        'startTime',
      );
      await expectField(
        s.availability.explain({ serviceId: w.appointment.id, startTime: '2030-02-29T09:00:00Z' }),
        'startTime',
      );
      await expectField(
        s.availability.query({ serviceId: w.appointment.id, from: '2030-02-30T00:00Z', to: '2030-03-02' }),
        'from',
      );
      await expectField(
        s.availability.query({ serviceId: w.appointment.id, from: '2030-02-28', to: '2030-02-30' }),
        'to',
      );
      await expectField(s.bookings.list({ from: '2030-06-31T00:00:00Z' }), 'from');
      await expectField(s.allocations.list({ to: '2030-06-31T00:00:00Z' }), 'to');
      await expectField(
        s.pricing.quote({ serviceId: w.appointment.id, startTime: '2030-02-30T09:00:00Z' }),
        'startTime',
      );
      const b = await s.bookings.create({
        serviceId: w.appointment.id,
        startTime: '2030-01-07T10:00:00+01:00',
        contactId: w.contact.id,
      });
      expect(b.startTime).toBe(iso(T0 + 9 * HOUR));
      await expectField(s.bookings.reschedule(b.id, { startTime: '2031-02-29T09:00:00Z' }), 'startTime');
      const after = await raw.counts(s.scope);
      expect(after.seshn_allocations).toBe(before.seshn_allocations);
      expect(after.seshn_bookings).toBe((before.seshn_bookings ?? 0) + 1);
      expect((await s.bookings.get(b.id)).startTime).toBe(iso(T0 + 9 * HOUR));
    });

    it('names each offending field of a union input (booking create / reschedule, hold, contacts.find)', async () => {
      const { adapter, raw } = get();
      const w = await makeWorld(adapter, 'union-fields');
      const s = w.seshn;
      const base = { serviceId: w.appointment.id, startTime: iso(T0 + 9 * HOUR), contactId: w.contact.id };
      const before = await raw.counts(s.scope);
      const cases: [unknown, string][] = [
        [{ ...base, seats: 1.5 }, 'seats'],
        [{ ...base, seats: '2' }, 'seats'],
        [{ ...base, contactId: undefined }, 'contactId'],
        [{ ...base, contactId: 42 }, 'contactId'],
        [{ ...base, hold: 'yes' }, 'hold'],
        [{ ...base, hold: { ttlSeconds: 0 } }, 'hold.ttlSeconds'],
        [{ ...base, startTime: 'tomorrow' }, 'startTime'],
        [{ ...base, durationMinutes: '60' }, 'durationMinutes'],
        [{ ...base, serviceId: undefined }, 'serviceId'],
        [{ slotId: 'slot_nonsense', contactId: w.contact.id }, 'slotId'],
        [{ slotId: 'slot_x', contactId: w.contact.id, seats: 0 }, 'seats'],
        [{ slotId: 42, contactId: w.contact.id }, 'slotId'],
        [{ ...base, colour: 'red' }, 'colour'],
      ];
      for (const [input, path] of cases) {
        const e = await expectField(s.bookings.create(anyInput(input)), path);
        expect(e.message).not.toMatch(/^Invalid input$/);
      }
      const missing = await expectField(s.bookings.create(anyInput({})), 'contactId');
      expect(paths(missing)).toEqual(expect.arrayContaining(['serviceId', 'startTime', 'contactId']));
      const b = await s.bookings.create(base);
      await expectField(s.bookings.reschedule(b.id, anyInput({})), 'startTime');
      await expectField(s.bookings.reschedule(b.id, anyInput({ slotId: 7 })), 'slotId');
      await expectField(
        s.bookings.reschedule(b.id, anyInput({ startTime: iso(T0), durationMinutes: 1.5 })),
        'durationMinutes',
      );
      await expectField(s.contacts.find(anyInput({})), 'email');
      await expectField(s.contacts.find(anyInput({ email: 5 })), 'email');
      await expectField(s.contacts.find(anyInput({ query: '' })), 'query');
      await expectField(
        s.bookingSeries.create({
          contactId: w.contact.id,
          serviceId: w.appointment.id,
          recurrence: { frequency: 'daily', time: '09:00', count: 2 },
          hold: anyInput('yes'),
        }),
        'hold',
      );
      await expectField(
        s.availability.query(anyInput({ serviceId: w.appointment.id, from: 5, to: '2030-01-08' })),
        'from',
      );
      expect((await raw.counts(s.scope)).seshn_bookings).toBe((before.seshn_bookings ?? 0) + 1);
    });

    it('validates metadata of every entity: JSON only, bounded, validation_failed never storage_error', async () => {
      const { adapter, raw } = get();
      const w = await makeWorld(adapter, 'metadata');
      const s = w.seshn;
      const cyclic: Record<string, unknown> = { a: 1 };
      cyclic.self = cyclic;
      const manyKeys = Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`k${i}`, i]));
      const bad: [Record<string, unknown>, string][] = [
        [{ fn: () => 1 }, 'metadata.fn'],
        [{ big: 10n }, 'metadata.big'],
        [{ when: new Date(T0) }, 'metadata.when'],
        [{ nested: cyclic }, 'metadata.nested'],
        [{ n: Number.NaN }, 'metadata.n'],
        [{ inf: Number.POSITIVE_INFINITY }, 'metadata.inf'],
        [{ list: [1, undefined] }, 'metadata.list'],
        [manyKeys, 'metadata'],
        [{ ['k'.repeat(41)]: 1 }, 'metadata'],
        [{ long: 'x'.repeat(501) }, 'metadata.long'],
        [{ deep: { text: 'y'.repeat(3000) } }, 'metadata.deep'],
      ];
      const before = await raw.counts(s.scope);
      const booking = await s.bookings.create({
        serviceId: w.appointment.id,
        startTime: iso(T0 + 9 * HOUR),
        contactId: w.contact.id,
        metadata: { ok: 'yes', nested: { list: [1, 'two', null, true] } },
      });
      expect((await s.bookings.get(booking.id)).metadata).toEqual({
        ok: 'yes',
        nested: { list: [1, 'two', null, true] },
      });
      for (const [metadata, path] of bad) {
        const attempts: Promise<unknown>[] = [
          s.resources.create({ name: 'R', timezone: 'UTC', metadata }),
          s.resources.update(w.room.id, { metadata }),
          s.services.create({
            name: 'S',
            kind: 'appointment',
            durationMinutes: 30,
            resourceIds: [w.room.id],
            metadata,
          }),
          s.services.update(w.appointment.id, { metadata }),
          s.contacts.create({ name: 'C', metadata }),
          s.contacts.update(w.contact.id, { metadata }),
          s.allocations.create({
            resourceId: w.room.id,
            startTime: iso(T0),
            endTime: iso(T0 + HOUR),
            metadata,
          }),
          s.bookings.create({
            serviceId: w.appointment.id,
            startTime: iso(T0 + 12 * HOUR),
            contactId: w.contact.id,
            metadata,
          }),
          s.bookingSeries.create({
            contactId: w.contact.id,
            serviceId: w.appointment.id,
            recurrence: { frequency: 'daily', time: '14:00', count: 2, startDate: '2030-01-07' },
            metadata,
          }),
        ];
        for (const attempt of attempts) await expectField(attempt, path);
      }
      const after = await raw.counts(s.scope);
      expect(after).toEqual({
        ...before,
        seshn_bookings: (before.seshn_bookings ?? 0) + 1,
        seshn_events: after.seshn_events,
      });
      expect((await s.resources.get(w.room.id)).metadata).toEqual({});
    });

    it('bounds and prefix-checks every id, and no message echoes more than a short prefix of it', async () => {
      const { adapter } = get();
      const w = await makeWorld(adapter, 'ids');
      const s = w.seshn;
      const long = `rsc_${'z'.repeat(200)}`;
      await expectField(s.resources.get(long), 'id');
      await expectField(s.resources.get(w.appointment.id), 'id');
      await expectField(s.services.get(w.room.id), 'id');
      await expectField(s.contacts.get(w.room.id), 'id');
      await expectField(s.allocations.get(w.room.id), 'id');
      await expectField(s.bookings.get(w.contact.id), 'id');
      await expectField(s.bookingSeries.get(w.contact.id), 'id');
      await expectField(
        s.bookings.create({ serviceId: w.room.id, startTime: iso(T0 + 9 * HOUR), contactId: w.contact.id }),
        'serviceId',
      );
      await expectField(
        s.bookings.create({
          serviceId: w.appointment.id,
          startTime: iso(T0 + 9 * HOUR),
          contactId: w.room.id,
        }),
        'contactId',
      );
      await expectField(
        s.bookings.create({
          serviceId: w.appointment.id,
          resourceId: w.contact.id,
          startTime: iso(T0 + 9 * HOUR),
          contactId: w.contact.id,
        }),
        'resourceId',
      );
      await expectField(
        s.services.create({
          name: 'S',
          kind: 'appointment',
          durationMinutes: 30,
          resourceIds: [w.contact.id],
        }),
        'resourceIds.0',
      );
      await expectField(
        s.allocations.create({ resourceId: long, startTime: iso(T0), endTime: iso(T0 + HOUR) }),
        'resourceId',
      );
      await expectField(s.bookings.list({ contactId: w.room.id }), 'contactId');
      await expectField(s.bookingSeries.list({ contactId: `ct_${'q'.repeat(120)}` }), 'contactId');
      await expectField(s.pricing.quote({ serviceId: w.room.id }), 'serviceId');
      await expectField(
        s.availability.query({ serviceId: w.room.id, from: '2030-01-07', to: '2030-01-07' }),
        'serviceId',
      );
      // A well-formed unknown id is not_found; its message and details carry at most 32 characters of it.
      const unknown = `rsc_${'a'.repeat(90)}`;
      const e = await expectCode(s.resources.get(unknown), 'not_found');
      expect(e.message).not.toContain(unknown.slice(0, 40));
      expect(JSON.stringify(e.details)).not.toContain(unknown.slice(0, 40));
      const noService = await expectCode(
        s.services.create({ name: 'S', kind: 'appointment', durationMinutes: 30, resourceIds: [unknown] }),
        'not_found',
      );
      expect(noService.message).not.toContain(unknown.slice(0, 40));
      const badKey = await expectCode(
        s.resources.create(anyInput({ name: 'R', timezone: 'UTC', ['x'.repeat(300)]: 1 })),
        'validation_failed',
      );
      expect(JSON.stringify(badKey.toJSON()).length).toBeLessThan(400);
      // Slot ids are checked by their decoder.
      await expectField(
        s.bookings.create({ slotId: `slot_${'A'.repeat(400)}`, contactId: w.contact.id }),
        'slotId',
      );
    });

    it('startingAfter must be an id of that list: wrong prefix is validation_failed, unknown is not_found', async () => {
      const { adapter } = get();
      const w = await makeWorld(adapter, 'cursors');
      const s = w.seshn;
      const booking = await s.bookings.create({
        serviceId: w.appointment.id,
        startTime: iso(T0 + 9 * HOUR),
        contactId: w.contact.id,
      });
      const allocation = await s.allocations.create({
        resourceId: w.room.id,
        startTime: iso(T0),
        endTime: iso(T0 + HOUR),
      });
      const series = await s.bookingSeries.create({
        contactId: w.contact.id,
        serviceId: w.appointment.id,
        recurrence: { frequency: 'daily', time: '14:00', count: 2, startDate: '2030-01-07' },
      });
      const events = await s.events.list({ limit: 1 });
      const lists: [string, (startingAfter: string) => Promise<unknown>, string, string][] = [
        ['resources', (a) => s.resources.list({ startingAfter: a }), w.room.id, 'rsc_unknown'],
        ['services', (a) => s.services.list({ startingAfter: a }), w.yoga.id, 'svc_unknown'],
        ['allocations', (a) => s.allocations.list({ startingAfter: a }), allocation.id, 'alc_unknown'],
        ['contacts', (a) => s.contacts.list({ startingAfter: a }), w.contact.id, 'ct_unknown'],
        ['bookings', (a) => s.bookings.list({ startingAfter: a }), booking.id, 'bkg_unknown'],
        ['series', (a) => s.bookingSeries.list({ startingAfter: a }), series.id, 'bks_unknown'],
        ['events', (a) => s.events.list({ startingAfter: a }), events.data[0]!.id, 'evt_unknown'],
      ];
      for (const [name, list, known, unknown] of lists) {
        await expect(list(known), name).resolves.toMatchObject({ hasMore: expect.any(Boolean) });
        const wrong = name === 'contacts' ? w.room.id : w.contact.id;
        await expectField(list(wrong), 'startingAfter');
        await expectField(list(`${known}${'0'.repeat(120)}`), 'startingAfter');
        const e = await expectCode(list(unknown), 'not_found');
        expect(e.details).toMatchObject({ field: 'startingAfter' });
      }
      // An id of another scope is unknown here.
      const other = await makeWorld(adapter, 'cursors-other');
      await expectCode(other.seshn.resources.list({ startingAfter: w.room.id }), 'not_found');
    });

    it('stores and returns time-zone names canonical, and rejects unknown ones', async () => {
      const { adapter } = get();
      const w = await makeWorld(adapter, 'zones');
      const s = w.seshn;
      const london = await s.resources.create({ name: 'L', timezone: 'europe/london' });
      expect(london.timezone).toBe('Europe/London');
      expect((await s.resources.get(london.id)).timezone).toBe('Europe/London');
      await s.resources.update(london.id, { timezone: 'AMERICA/NEW_YORK' });
      expect((await s.resources.get(london.id)).timezone).toBe('America/New_York');
      expect((await s.resources.create({ name: 'U', timezone: 'utc' })).timezone).toBe('UTC');
      await expectField(s.resources.create({ name: 'X', timezone: 'Europe/Londn' }), 'timezone');
      await expectField(s.resources.create({ name: 'X', timezone: '+01:00' }), 'timezone');
      // A query's zone is read the same way: dates are days in Europe/Paris.
      const query = (timezone: string) =>
        s.availability.query({ serviceId: w.appointment.id, from: '2030-01-08', to: '2030-01-08', timezone });
      const slots = await query('europe/paris');
      expect(slots[0]?.startTime).toBe(iso(T0 + DAY - HOUR));
      expect(slots.at(-1)?.startTime).toBe(iso(T0 + 2 * DAY - 1.5 * HOUR));
      expect(slots).toEqual(await query('Europe/Paris'));
      await expectField(query('Europe/Pariss'), 'timezone');
    });

    it('pricing.quote accepts exactly what bookings.create accepts', async () => {
      const { adapter } = get();
      const w = await makeWorld(adapter, 'quote-contract');
      const s = w.seshn;
      const start = T0 + 9 * HOUR;
      const okQuote = await s.pricing.quote({
        serviceId: w.yoga.id,
        seats: 2,
        startTime: iso(start),
        endTime: iso(start + HOUR),
      });
      expect(okQuote).toEqual({ amount: 3000, currency: 'usd' });
      const refused: [Record<string, unknown>, string][] = [
        [{ startTime: iso(start), endTime: iso(start + HOUR + 30_000) }, 'endTime'],
        [{ startTime: iso(start), endTime: iso(start + HOUR), durationMinutes: 60 }, 'durationMinutes'],
        [{ seats: 1.5 }, 'seats'],
        [{ seats: 0 }, 'seats'],
        [{ seats: '2' }, 'seats'],
        [{ durationMinutes: 59.5 }, 'durationMinutes'],
        [{ durationMinutes: '60' }, 'durationMinutes'],
        [{ endTime: iso(start + HOUR) }, 'startTime'],
      ];
      for (const [extra, path] of refused) {
        const input = anyInput({ serviceId: w.yoga.id, ...extra });
        await expectField(s.pricing.quote(input), path);
        if (path === 'startTime') continue; // a booking always has a start; a quote may omit it
        await expectField(
          s.bookings.create(anyInput({ startTime: iso(start), ...input, contactId: w.contact.id })),
          path,
        );
      }
      const [slot] = await s.availability.query({
        serviceId: w.yoga.id,
        from: iso(start),
        to: iso(start + HOUR),
      });
      expect(await s.pricing.quote({ slotId: slot!.id, seats: 3 })).toEqual({
        amount: 4500,
        currency: 'usd',
      });
      await expectField(s.pricing.quote({ slotId: 'slot_zzz' }), 'slotId');
    });
  });
}
