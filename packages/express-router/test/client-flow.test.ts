/**
 * A client generated from the OpenAPI document (openapi-typescript types in
 * `generated/openapi.d.ts` + openapi-fetch) drives a whole booking flow against running servers:
 * availability → hold → confirm → cancel → series. Every path, parameter and body below is
 * checked by `tsc` against the generated types, and `openapi.test.ts` fails when those types are
 * not what the served document generates: a drift between spec and server fails the build.
 */
import createClient from 'openapi-fetch';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { components, paths } from './generated/openapi.js';
import { ALL_WEEK, legs, openDatabases, openTarget, type Target } from './harness.js';

const databases = await openDatabases();
afterAll(() => databases.close());

type Booking = components['schemas']['Booking'];

describe.each(legs(databases))('generated client — $name', (leg) => {
  if (!leg.spec) {
    it(`not run: ${leg.reason}`, () => expect(leg.spec).toBeNull());
    return;
  }
  let t: Target;
  let client: ReturnType<typeof createClient<paths>>;
  beforeAll(async () => {
    t = await openTarget(leg);
    client = createClient<paths>({
      baseUrl: t.baseUrl,
      headers: { Authorization: `Bearer ${t.org.owner.secret}` },
    });
  }, 120_000);
  afterAll(async () => {
    await t?.close();
  });

  it('availability → hold → confirm → cancel → series, typed end to end', async () => {
    const room = await client.POST('/resources', {
      body: { name: 'Room', timezone: 'UTC', availability: { weekly: ALL_WEEK } },
    });
    expect(room.response.status).toBe(200);
    const resourceId = room.data!.id;
    const service = await client.POST('/services', {
      body: {
        name: 'Haircut',
        kind: 'appointment',
        durationMinutes: 30,
        resourceIds: [resourceId],
        pricing: { strategy: 'flat', amount: 2500, currency: 'eur' },
        horizonDays: null,
      },
    });
    const serviceId = service.data!.id;
    const contact = await client.POST('/contacts', { body: { name: 'Ada', email: 'ada@example.com' } });
    const contactId = contact.data!.id;

    const slots = await client.GET('/availability', {
      params: { query: { serviceId, from: '2030-01-08', to: '2030-01-08', seats: 1 } },
    });
    expect(slots.response.status).toBe(200);
    const slot = slots.data!.find((s) => s.startTime === '2030-01-08T10:00:00.000Z')!;
    expect(slot).toMatchObject({ remaining: 1, price: { amount: 2500, currency: 'eur' } });
    const quote = await client.GET('/pricing/quote', { params: { query: { slotId: slot.id } } });
    expect(quote.data).toEqual({ amount: 2500, currency: 'eur' });

    const held = await client.POST('/bookings', {
      params: { header: { 'Idempotency-Key': `client-${Math.random().toString(36).slice(2)}` } },
      body: { slotId: slot.id, contactId, hold: true },
    });
    expect(held.response.status).toBe(200);
    const booking: Booking = held.data!;
    const status: 'held' | 'confirmed' | 'cancelled' | 'expired' = booking.status;
    expect(status).toBe('held');

    const confirmed = await client.POST('/bookings/{id}/confirm', { params: { path: { id: booking.id } } });
    expect(confirmed.data).toMatchObject({ id: booking.id, status: 'confirmed', expiresAt: null });
    const cancelled = await client.POST('/bookings/{id}/cancel', {
      params: { path: { id: booking.id } },
      body: { reason: 'changed plans' },
    });
    expect(cancelled.data).toMatchObject({ status: 'cancelled', cancellationReason: 'changed plans' });
    const page = await client.GET('/bookings', { params: { query: { contactId, limit: 10 } } });
    expect(page.data).toMatchObject({ data: [{ id: booking.id, status: 'cancelled' }], hasMore: false });

    const recurrence = { frequency: 'weekly', time: '10:00', startDate: '2030-02-04', count: 3 } as const;
    const preview = await client.POST('/booking-series', {
      body: { serviceId, contactId, recurrence, preview: true },
    });
    expect(preview.data).toMatchObject({ object: 'booking_series_preview', bookable: true });
    const series = await client.POST('/booking-series', { body: { serviceId, contactId, recurrence } });
    expect(series.response.status).toBe(200);
    const seriesData = series.data as components['schemas']['BookingSeries'];
    expect(seriesData.bookings.map((b) => b.status)).toEqual(['confirmed', 'confirmed', 'confirmed']);
    const got = await client.GET('/booking-series/{id}', { params: { path: { id: seriesData.id } } });
    expect(got.data?.id).toBe(seriesData.id);
    const occurrence = await client.POST('/booking-series/{id}/occurrences/{index}/cancel', {
      params: { path: { id: seriesData.id, index: 0 } },
    });
    expect(occurrence.data).toMatchObject({ occurrenceIndex: 0, status: 'cancelled' });
    const ended = await client.POST('/booking-series/{id}/cancel', {
      params: { path: { id: seriesData.id } },
    });
    expect(ended.data?.status).toBe('cancelled');
  });

  it('errors come back typed as the Error schema', async () => {
    const missing = await client.GET('/bookings/{id}', {
      params: { path: { id: 'bkg_01hzzzzzzzzzzzzzzzzzzzzzzz' } },
    });
    expect(missing.response.status).toBe(404);
    expect(missing.data).toBeUndefined();
    const code: string | undefined = missing.error?.error.code;
    expect(code).toBe('not_found');
    expect(missing.error?.error.requestId).toBe(missing.response.headers.get('request-id'));

    const invalid = await client.POST('/contacts', { body: { name: '' } });
    expect(invalid.response.status).toBe(400);
    expect(invalid.error?.error.code).toBe('validation_failed');
  });

  it('the types refuse what the document does not have (checked by tsc)', () => {
    // Never called: these lines exist for the type checker.
    const typeChecks = () => {
      // @ts-expect-error: no such route in the document
      void client.GET('/bookingz');
      // @ts-expect-error: bookings.confirm is POST only
      void client.GET('/bookings/{id}/confirm', { params: { path: { id: 'bkg_x' } } });
      // @ts-expect-error: serviceId is a required query parameter of availability.query
      void client.GET('/availability', { params: { query: { from: '2030-01-08', to: '2030-01-08' } } });
    };
    expect(typeof typeChecks).toBe('function');
  });
});
