/**
 * The scenario suite: functions of an API (the embedded handle, or the SDK over HTTP) that each
 * drive one flow and return everything they saw — results and refusals — as plain data, so the
 * two implementations can be compared result for result.
 * @module
 */
import type { SeshnApi } from '@seshn/core';
import type { SeshnClientApi } from '../src/index.js';

/** What both implementations offer: the handle's groups that have routes. */
export type Api = Pick<SeshnApi, keyof SeshnClientApi>;

export interface Driver {
  api: Api;
  /** Every item of a list, across pages: `for await` on the SDK, page by page on the handle. */
  all(group: 'bookings' | 'contacts' | 'resources', input: { limit: number }): Promise<unknown[]>;
}

/** A refusal as data: code, message and details (the SDK's `requestId`/`status` left out). */
export interface Refusal {
  error: { code: string; message: string; details: unknown };
}

/** The result of `promise`, or its refusal. */
export async function outcome<T>(promise: Promise<T>): Promise<T | Refusal> {
  try {
    return await promise;
  } catch (error) {
    const e = error as { code?: string; message?: string; details?: unknown };
    if (typeof e?.code !== 'string') throw error;
    return {
      error: { code: e.code, message: e.message ?? '', details: JSON.parse(JSON.stringify(e.details ?? {})) },
    };
  }
}

const MON_TO_SUN = Object.fromEntries(
  ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'].map((d) => [d, [{ start: '09:00', end: '17:00' }]]),
);

/** A room, a 3-seat priced appointment service on it, and a contact. */
async function catalogOf(api: Api, label: string) {
  const room = await api.resources.create({
    name: `Room ${label}`,
    timezone: 'Europe/London',
    availability: { weekly: MON_TO_SUN },
  });
  const service = await api.services.create({
    name: `Session ${label}`,
    kind: 'appointment',
    durationMinutes: 60,
    capacity: 3,
    resourceIds: [room.id],
    pricing: { strategy: 'per_seat', unitAmount: 1500, currency: 'eur' },
    holdTtlSeconds: 900,
  });
  const contact = await api.contacts.create({ name: `Ada ${label}`, email: `ada-${label}@example.com` });
  return { room, service, contact };
}

export const SCENARIOS: Record<string, (d: Driver) => Promise<unknown>> = {
  async catalog({ api }) {
    const { room, service, contact } = await catalogOf(api, 'catalog');
    const gotRoom = await api.resources.get(room.id);
    const updated = await api.resources.update(room.id, { name: 'Room A', metadata: { floor: '2' } });
    const service2 = await api.services.update(service.id, { capacity: 4 });
    const gotService = await api.services.get({ id: service.id });
    const contact2 = await api.contacts.update(contact.id, { phone: '+447700900123' });
    const found = await api.contacts.find({ email: 'ada-catalog@example.com' });
    const resources = await api.resources.list({ limit: 5 });
    const services = await api.services.list();
    const archived = await api.services.archive(service.id);
    return {
      room,
      gotRoom,
      updated,
      service,
      service2,
      gotService,
      contact,
      contact2,
      found,
      resources,
      services,
      archived,
    };
  },

  async availability({ api }) {
    const { room, service } = await catalogOf(api, 'availability');
    const slots = await api.availability.query({
      serviceId: service.id,
      from: '2030-01-08',
      to: '2030-01-08',
      seats: 2,
    });
    const withUnavailable = await api.availability.query({
      serviceId: service.id,
      from: new Date('2030-01-08T00:00:00Z'),
      to: new Date('2030-01-08T12:00:00Z'),
      includeUnavailable: true,
      timezone: 'America/New_York',
    });
    const floyd = await api.availability.slots(service.id, {
      startTime: '2030-01-08T00:00:00Z',
      endTime: '2030-01-09T00:00:00Z',
      durationMs: 3_600_000,
    });
    const windows = await api.availability.windows({
      resourceIds: [room.id],
      from: '2030-01-08',
      to: '2030-01-09',
    });
    const explain = await api.availability.explain({
      serviceId: service.id,
      startTime: '2030-01-08T07:00:00Z',
    });
    const explainOk = await api.availability.explain({
      serviceId: service.id,
      startTime: '2030-01-08T10:00:00Z',
    });
    const quote = await api.pricing.quote({ slotId: slots[0]!.id, seats: 2 });
    const quote2 = await api.pricing.quote({
      serviceId: service.id,
      seats: 3,
      startTime: '2030-01-08T10:00:00Z',
    });
    return { slots, withUnavailable, floyd, windows, explain, explainOk, quote, quote2 };
  },

  async bookings({ api }) {
    const { service, contact } = await catalogOf(api, 'bookings');
    const [slot, later] = await api.availability.query({
      serviceId: service.id,
      from: '2030-01-07',
      to: '2030-01-07',
    });
    const held = await api.bookings.create({ slotId: slot!.id, contactId: contact.id, seats: 2, hold: true });
    const confirmed = await api.bookings.confirm(held.id);
    const checkedIn = await api.bookings.checkIn({ id: confirmed.id });
    const second = await api.bookings.create({
      slotId: later!.id,
      contactId: contact.id,
      notes: 'window seat',
    });
    const moved = await api.bookings.reschedule(second.id, { startTime: '2030-01-09T13:00:00Z' });
    const cancelled = await api.bookings.cancel(moved.id, { reason: 'ill' });
    const again = await api.bookings.cancel(moved.id);
    const got = await api.bookings.get(held.id);
    const list = await api.bookings.list({ contactId: contact.id, status: ['confirmed', 'cancelled'] });
    const one = await api.bookings.list({ contactId: contact.id, status: 'cancelled' });
    const byTime = await api.bookings.list({
      from: new Date('2030-01-09T00:00:00Z'),
      to: '2030-01-10T00:00:00Z',
    });
    const events = await api.events.list({ limit: 100 });
    return {
      held,
      confirmed,
      checkedIn,
      second,
      moved,
      cancelled,
      again,
      got,
      list,
      one,
      byTime,
      events: events.data.map((e) => (e as { type: string }).type),
    };
  },

  async series({ api }) {
    const { service, contact } = await catalogOf(api, 'series');
    const input = {
      contactId: contact.id,
      serviceId: service.id,
      seats: 1,
      recurrence: {
        frequency: 'weekly' as const,
        dayOfWeek: 3,
        time: '11:00',
        startDate: '2030-01-09',
        count: 3,
      },
    };
    const preview = await api.bookingSeries.create({ ...input, preview: true });
    const created = await api.bookingSeries.create(input);
    const cancelledOne = await api.bookingSeries.cancelOccurrence(created.id, 1, { reason: 'holiday' });
    const moved = await api.bookingSeries.rescheduleOccurrence(created.id, 2, {
      startTime: '2030-01-23T14:00:00Z',
    });
    const got = await api.bookingSeries.get(created.id);
    const list = await api.bookingSeries.list({ contactId: contact.id });
    const cancelledAll = await api.bookingSeries.cancel(created.id, { from: 0 });
    return { preview, created, cancelledOne, moved, got, list, cancelledAll };
  },

  async errors({ api }) {
    const { service, contact } = await catalogOf(api, 'errors');
    const [slot] = await api.availability.query({
      serviceId: service.id,
      from: '2030-01-10',
      to: '2030-01-10',
    });
    const booked = await api.bookings.create({ slotId: slot!.id, contactId: contact.id, seats: 3 });
    const [other] = await api.availability.query({
      serviceId: service.id,
      from: '2030-01-11',
      to: '2030-01-11',
    });
    const gone = await api.bookings.create({ slotId: other!.id, contactId: contact.id });
    await api.bookings.cancel(gone.id);
    return {
      booked,
      notFound: await outcome(api.bookings.get('bkg_00009999')),
      notFoundService: await outcome(api.services.get({ id: 'svc_00009999' })),
      full: await outcome(api.bookings.create({ slotId: slot!.id, contactId: contact.id, seats: 1 })),
      badSeats: await outcome(api.bookings.create({ slotId: slot!.id, contactId: contact.id, seats: 0 })),
      badFields: await outcome(
        api.resources.create({ name: '', timezone: 'Mars/Olympus', capacity: -1 } as never),
      ),
      unknownField: await outcome(api.contacts.create({ name: 'X', shoeSize: 44 } as never)),
      badCancel: await outcome(api.bookings.cancel(...([booked.id, 'ill'] as unknown as [string]))),
      invalidState: await outcome(api.bookings.confirm(gone.id)),
      badQuery: await outcome(
        api.availability.query({ serviceId: service.id, from: '2030-02-01', to: '2030-01-01' }),
      ),
    };
  },

  async allocations({ api }) {
    const { room, service } = await catalogOf(api, 'allocations');
    const blocked = await api.allocations.create({
      resourceId: room.id,
      startTime: new Date('2030-01-08T10:00:00Z'),
      endTime: '2030-01-08T12:00:00Z',
      reason: 'maintenance',
    });
    const got = await api.allocations.get(blocked.id);
    const list = await api.allocations.list({ resourceId: room.id });
    const slots = await api.availability.query({
      serviceId: service.id,
      from: '2030-01-08',
      to: '2030-01-08',
    });
    const explain = await api.availability.explain({
      serviceId: service.id,
      startTime: '2030-01-08T10:00:00Z',
    });
    const deleted = await api.allocations.delete(blocked.id);
    const after = await api.availability.query({
      serviceId: service.id,
      from: '2030-01-08',
      to: '2030-01-08',
    });
    return {
      blocked,
      got,
      list,
      slots,
      explain,
      deleted,
      after,
      gone: await outcome(api.allocations.get(blocked.id)),
    };
  },

  async holdExpiry({ api }) {
    const { service, contact } = await catalogOf(api, 'hold');
    const [slot] = await api.availability.query({
      serviceId: service.id,
      from: '2030-01-08',
      to: '2030-01-08',
    });
    const held = await api.bookings.create({
      slotId: slot!.id,
      contactId: contact.id,
      hold: { ttlSeconds: 60 },
    });
    const clock = await api.testClock.get();
    const advanced = await api.testClock.advance({ seconds: 120 });
    const expired = await api.bookings.get(held.id);
    const late = await outcome(api.bookings.confirm(held.id));
    return { held, clock, advanced, expired, late };
  },

  async pagination({ api, all }) {
    for (let i = 0; i < 7; i++) await api.contacts.create({ name: `Page ${i}` });
    const first = await api.contacts.list({ limit: 3 });
    const second = await api.contacts.list({ limit: 3, startingAfter: first.data[2]!.id });
    const everyone = await all('contacts', { limit: 3 });
    const badCursor = await outcome(api.contacts.list({ startingAfter: 'ct_00009999' }));
    return { first, second, count: everyone.length, everyone, badCursor };
  },
};
