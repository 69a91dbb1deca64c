/**
 * One HTTP suite, run unchanged against every mount (Express 5, Fastify 5, the bare handler) on
 * every database (a SQLite file, a scratch Postgres database): real listening servers, fetch,
 * API keys. What the booking flow answers over HTTP is what the embedded handle answers.
 */
import { Agent, request as httpRequest } from 'node:http';
import { createSeshn } from '@seshn/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fingerprintOf } from '../src/idempotency.js';
import { expectError, expectOk, unique, wire } from './assertions.js';
import {
  adapterFor,
  type Catalog,
  call,
  createCatalog,
  DAY,
  HOUR,
  iso,
  type Key,
  legs,
  MINUTE,
  openDatabases,
  openTarget,
  type Reply,
  runFixture,
  startServer,
  startServerProcess,
  T0,
  type Target,
} from './harness.js';
import { responseChecker } from './response-schemas.js';

const databases = await openDatabases();
afterAll(() => databases.close());

/** Raw requests over ONE keep-alive connection, in order (what a pooled client does). */
async function onOneConnection(
  url: string,
  requests: { method: string; path: string; headers: Record<string, string>; body?: string }[],
) {
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  const out: { status: number | string; text: string; connection: string | undefined }[] = [];
  try {
    for (const r of requests) {
      out.push(
        await new Promise((resolve) => {
          const req = httpRequest(
            `${url}${r.path}`,
            { method: r.method, headers: r.headers, agent },
            (res) => {
              let text = '';
              res.setEncoding('utf8');
              res.on('data', (d) => {
                text += d;
              });
              res.on('end', () =>
                resolve({ status: res.statusCode ?? 0, text, connection: res.headers.connection }),
              );
            },
          );
          req.on('error', (error) =>
            resolve({ status: `error: ${error.message}`, text: '', connection: undefined }),
          );
          req.end(r.body);
        }),
      );
    }
  } finally {
    agent.destroy();
  }
  return out;
}

const SUITE_RATE_LIMIT = { points: 100_000, durationSeconds: 1 };

describe.each(legs(databases))('HTTP API — $name', (leg) => {
  if (!leg.spec) {
    it(`not run: ${leg.reason}`, () => expect(leg.spec).toBeNull());
    return;
  }
  let t: Target;
  let cat: Catalog;
  let owner: Key;
  const day = (n: number, hour = 0, minute = 0) => iso(T0 + n * DAY + hour * HOUR + minute * MINUTE);
  const newContact = async (key: Key = owner) =>
    expectOk(await t.call('POST', '/contacts', { key, body: { name: unique('Contact') } })) as { id: string };

  beforeAll(async () => {
    // A limit the suite's bursts (20 concurrent requests and more) never reach: the default
    // (100 per second) and small limits are tested on servers of their own.
    t = await openTarget(leg, { rateLimit: SUITE_RATE_LIMIT });
    owner = t.org.owner;
    cat = await createCatalog(t, owner);
  }, 120_000);
  afterAll(async () => {
    await t?.close();
  });

  describe('catalog', () => {
    it('resources, services and contacts: create, get, update, list, find and search', async () => {
      const room = expectOk(await t.call('GET', `/resources/${cat.room.id}`, { key: owner }));
      expect(room).toMatchObject({ id: cat.room.id, object: 'resource', name: 'Room', timezone: 'UTC' });
      expect(room).toEqual(wire(await t.org.live.resources.get(cat.room.id)));

      const renamed = expectOk(
        await t.call('PATCH', `/resources/${cat.studio.id}`, { key: owner, body: { name: 'Big studio' } }),
      );
      expect(renamed).toMatchObject({ id: cat.studio.id, name: 'Big studio' });
      const resources = expectOk(await t.call('GET', '/resources', { key: owner, query: { limit: 100 } }));
      expect(resources.hasMore).toBe(false);
      expect(resources.data.map((r: { id: string }) => r.id)).toEqual(
        expect.arrayContaining([cat.room.id, cat.studio.id]),
      );

      const yoga = expectOk(await t.call('GET', `/services/${cat.yoga.id}`, { key: owner }));
      expect(yoga).toMatchObject({ id: cat.yoga.id, object: 'service', kind: 'class', capacity: 10 });
      expect(yoga).toEqual(wire(await t.org.live.services.get(cat.yoga.id)));
      const services = expectOk(await t.call('GET', '/services', { key: owner }));
      expect(services.data.map((s: { id: string }) => s.id)).toEqual([cat.yoga.id, cat.appointment.id]);

      const contact = expectOk(await t.call('GET', `/contacts/${cat.contact.id}`, { key: owner }));
      expect(contact).toMatchObject({ id: cat.contact.id, object: 'contact', email: cat.contact.email });
      const patched = expectOk(
        await t.call('PATCH', `/contacts/${cat.contact.id}`, {
          key: owner,
          body: { phone: '+44 20 7946 0000' },
        }),
      );
      expect(patched.phone).toBe('+44 20 7946 0000');

      const byEmail = expectOk(
        await t.call('GET', '/contacts/search', {
          key: owner,
          query: { email: cat.contact.email.toUpperCase() },
        }),
      );
      expect(byEmail.data.map((c: { id: string }) => c.id)).toEqual([cat.contact.id]);
      const byText = expectOk(
        await t.call('GET', '/contacts/search', { key: owner, query: { query: '7946' } }),
      );
      expect(byText.data.map((c: { id: string }) => c.id)).toEqual([cat.contact.id]);
      const contacts = expectOk(await t.call('GET', '/contacts', { key: owner, query: { limit: 1 } }));
      expect(contacts).toMatchObject({ data: [{ object: 'contact' }], hasMore: expect.any(Boolean) });
    });
  });

  describe('availability and pricing', () => {
    it('GET /availability takes its input from the query string, coerced by the schema', async () => {
      const query = { serviceId: cat.appointment.id, from: '2030-01-08', to: '2030-01-08' };
      const slots = expectOk(await t.call('GET', '/availability', { key: owner, query }));
      expect(slots.length).toBeGreaterThan(10);
      expect(slots[0]).toMatchObject({
        serviceId: cat.appointment.id,
        resourceId: cat.room.id,
        startTime: '2030-01-08T00:00:00.000Z',
        endTime: '2030-01-08T01:00:00.000Z',
        remaining: 1,
        price: { amount: 5000, currency: 'usd' },
      });
      expect(slots).toEqual(wire(await t.org.live.availability.query(query)));
      // Numbers and booleans from the query string.
      const coerced = expectOk(
        await t.call('GET', '/availability', {
          key: owner,
          query: { ...query, seats: 1, durationMinutes: 60, includeUnavailable: false },
        }),
      );
      expect(coerced).toEqual(slots);
      const withUnavailable = expectOk(
        await t.call('GET', '/availability', {
          key: owner,
          query: { ...query, includeUnavailable: true, seats: 2 },
        }),
      );
      expect(withUnavailable.every((s: { available: boolean }) => s.available === false)).toBe(true);
      // A bad query value is a 400 naming the field.
      const bad = expectError(
        await t.call('GET', '/availability', { key: owner, query: { ...query, seats: 'many' } }),
        400,
        'validation_failed',
      );
      expect(JSON.stringify(bad.details)).toContain('seats');
    });

    it('POST /services/{id}/availability/slots answers the Floyd body as GET /availability does', async () => {
      const window = { from: day(1, 9), to: day(1, 12) };
      const viaQuery = expectOk(
        await t.call('GET', '/availability', {
          key: owner,
          query: { serviceId: cat.appointment.id, ...window },
        }),
      );
      // Slots start in [from, to): 09:00 … 11:30 on the 30-minute grid.
      expect(viaQuery.map((s: { startTime: string }) => s.startTime)).toEqual([
        day(1, 9),
        day(1, 9, 30),
        day(1, 10),
        day(1, 10, 30),
        day(1, 11),
        day(1, 11, 30),
      ]);
      const floyd = expectOk(
        await t.call('POST', `/services/${cat.appointment.id}/availability/slots`, {
          key: owner,
          body: { startTime: window.from, endTime: window.to, durationMs: 3_600_000 },
        }),
      );
      expect(floyd).toEqual(viaQuery);
      const queryForm = expectOk(
        await t.call('POST', `/services/${cat.appointment.id}/availability/slots`, {
          key: owner,
          body: window,
        }),
      );
      expect(queryForm).toEqual(viaQuery);
      expectError(
        await t.call('POST', `/services/${cat.appointment.id}/availability/slots`, {
          key: owner,
          body: { ...window, startTime: window.from, endTime: window.to },
        }),
        400,
        'validation_failed',
      );
    });

    it('windows (service or repeated resourceIds), explain and the pricing quote', async () => {
      const windows = expectOk(
        await t.call('GET', '/availability/windows', {
          key: owner,
          query: { serviceId: cat.appointment.id, from: day(1, 9), to: day(1, 12) },
        }),
      );
      expect(windows).toEqual([
        { resourceId: cat.room.id, startTime: day(1, 9), endTime: day(1, 12), durationMinutes: 180 },
      ]);
      const both = expectOk(
        await t.call('GET', '/availability/windows', {
          key: owner,
          query: { resourceIds: [cat.room.id, cat.studio.id], from: day(1, 9), to: day(1, 10) },
        }),
      );
      expect(both.map((w: { resourceId: string }) => w.resourceId).sort()).toEqual(
        [cat.room.id, cat.studio.id].sort(),
      );

      const yes = expectOk(
        await t.call('GET', '/availability/explain', {
          key: owner,
          query: { serviceId: cat.appointment.id, startTime: day(1, 9) },
        }),
      );
      expect(yes).toMatchObject({ available: true, resourceId: cat.room.id });
      const no = expectOk(
        await t.call('GET', '/availability/explain', {
          key: owner,
          query: { serviceId: cat.appointment.id, startTime: day(1, 9, 10) },
        }),
      );
      expect(no.available).toBe(false);
      expect(no.reasons.length).toBeGreaterThan(0);

      const [slot] = expectOk(
        await t.call('GET', '/availability', {
          key: owner,
          query: { serviceId: cat.yoga.id, from: '2030-01-08', to: '2030-01-08' },
        }),
      );
      expect(slot).toMatchObject({ startTime: day(1, 9), capacity: 10, remaining: 10 });
      const quote = expectOk(
        await t.call('GET', '/pricing/quote', { key: owner, query: { slotId: slot.id, seats: 3 } }),
      );
      expect(quote).toEqual({ amount: 4500, currency: 'usd' });
      const byStart = expectOk(
        await t.call('GET', '/pricing/quote', {
          key: owner,
          query: { serviceId: cat.appointment.id, startTime: day(1, 9) },
        }),
      );
      expect(byStart).toEqual({ amount: 5000, currency: 'usd' });
    });
  });

  describe('bookings', () => {
    it('held → confirm → reschedule → check-in, each answer what the embedded handle reads', async () => {
      const [, , slot] = expectOk(
        await t.call('GET', '/availability', {
          key: owner,
          query: { serviceId: cat.appointment.id, from: day(2, 9), to: day(2, 12) },
        }),
      );
      expect(slot.startTime).toBe(day(2, 10));
      const held = expectOk(
        await t.call('POST', '/bookings', {
          key: owner,
          body: { slotId: slot.id, contactId: cat.contact.id, hold: true, metadata: { via: 'http' } },
        }),
      );
      expect(held).toMatchObject({
        object: 'booking',
        status: 'held',
        slotId: slot.id,
        expiresAt: iso(t.clock.ms() + 600_000),
        price: { amount: 5000, currency: 'usd' },
        metadata: { via: 'http' },
      });
      expect(held.id).toMatch(/^bkg_/);
      const got = expectOk(await t.call('GET', `/bookings/${held.id}`, { key: owner }));
      expect(got).toEqual(wire(await t.org.live.bookings.get(held.id)));

      const confirmed = expectOk(await t.call('POST', `/bookings/${held.id}/confirm`, { key: owner }));
      expect(confirmed).toMatchObject({ id: held.id, status: 'confirmed', expiresAt: null });
      const moved = expectOk(
        await t.call('POST', `/bookings/${held.id}/reschedule`, {
          key: owner,
          body: { startTime: day(2, 12) },
        }),
      );
      expect(moved).toMatchObject({
        id: held.id,
        status: 'confirmed',
        startTime: day(2, 12),
        endTime: day(2, 13),
      });

      const early = expectError(
        await t.call('POST', `/bookings/${held.id}/check-in`, { key: owner }),
        409,
        'invalid_state',
      );
      expect(early.details.reason).toBe('check_in_window');
      t.clock.set(Date.parse(day(2, 11, 30)));
      try {
        const checkedIn = expectOk(await t.call('POST', `/bookings/${held.id}/check-in`, { key: owner }));
        expect(checkedIn).toMatchObject({ id: held.id, attendance: 'checked_in' });
      } finally {
        t.clock.set(T0);
      }
    });

    it('cancel frees the slot; no-show once the session has started; a taken slot is 409', async () => {
      const booked = expectOk(
        await t.call('POST', '/bookings', {
          key: owner,
          body: { serviceId: cat.appointment.id, startTime: day(2, 15), contactId: cat.contact.id },
        }),
      );
      expect(booked).toMatchObject({ status: 'confirmed', startTime: day(2, 15) });
      const taken = expectError(
        await t.call('POST', '/bookings', {
          key: owner,
          body: { serviceId: cat.appointment.id, startTime: day(2, 15), contactId: cat.contact.id },
        }),
        409,
        'slot_unavailable',
      );
      expect(taken.details.reason).toBeDefined();
      const cancelled = expectOk(
        await t.call('POST', `/bookings/${booked.id}/cancel`, { key: owner, body: { reason: 'ill' } }),
      );
      expect(cancelled).toMatchObject({ id: booked.id, status: 'cancelled', cancellationReason: 'ill' });
      const again = expectOk(
        await t.call('POST', '/bookings', {
          key: owner,
          body: { serviceId: cat.appointment.id, startTime: day(2, 15), contactId: cat.contact.id },
        }),
      );
      expect(again.status).toBe('confirmed');

      const tooEarly = expectError(
        await t.call('POST', `/bookings/${again.id}/no-show`, { key: owner }),
        409,
        'invalid_state',
      );
      expect(tooEarly.details.reason).toBe('no_show_too_early');
      t.clock.set(Date.parse(day(2, 15, 5)));
      try {
        const noShow = expectOk(await t.call('POST', `/bookings/${again.id}/no-show`, { key: owner }));
        expect(noShow).toMatchObject({ id: again.id, attendance: 'no_show' });
      } finally {
        t.clock.set(T0);
      }
      expectError(
        await t.call('GET', '/bookings/bkg_01hzzzzzzzzzzzzzzzzzzzzzzz', { key: owner }),
        404,
        'not_found',
      );
    });

    it('lists in cursor pages: limit + startingAfter → { data, hasMore }', async () => {
      const contact = await newContact();
      const ids: string[] = [];
      for (let i = 0; i < 5; i++) {
        const b = expectOk(
          await t.call('POST', '/bookings', {
            key: owner,
            body: { serviceId: cat.yoga.id, startTime: day(3, 9), contactId: contact.id },
          }),
        );
        ids.push(b.id);
      }
      const pages: { data: { id: string }[]; hasMore: boolean }[] = [];
      let startingAfter: string | undefined;
      do {
        const page = expectOk(
          await t.call('GET', '/bookings', {
            key: owner,
            query: { contactId: contact.id, limit: 2, startingAfter },
          }),
        );
        expect(Object.keys(page).sort()).toEqual(['data', 'hasMore']);
        pages.push(page);
        startingAfter = page.data.at(-1)?.id;
      } while (pages.at(-1)!.hasMore && pages.length < 10);
      expect(pages.map((p) => [p.data.length, p.hasMore])).toEqual([
        [2, true],
        [2, true],
        [1, false],
      ]);
      expect(pages.flatMap((p) => p.data.map((b) => b.id))).toEqual([...ids].reverse());
      const filtered = expectOk(
        await t.call('GET', '/bookings', {
          key: owner,
          query: { contactId: contact.id, status: ['confirmed', 'held'], limit: 100 },
        }),
      );
      expect(filtered.data).toHaveLength(5);
      expectError(
        await t.call('GET', '/bookings', { key: owner, query: { limit: 0 } }),
        400,
        'validation_failed',
      );
    });

    it('booking series: preview, create held, get, list, confirm, cancel and reschedule occurrences, cancel', async () => {
      const contact = await newContact();
      const input = {
        contactId: contact.id,
        serviceId: cat.appointment.id,
        recurrence: { frequency: 'weekly', time: '10:00', startDate: '2030-02-04', count: 4 },
      };
      const preview = expectOk(
        await t.call('POST', '/booking-series', { key: owner, body: { ...input, preview: true } }),
      );
      expect(preview).toMatchObject({ object: 'booking_series_preview', bookable: true, conflicts: [] });
      expect(preview.occurrences.map((o: { startTime: string }) => o.startTime)).toEqual([
        '2030-02-04T10:00:00.000Z',
        '2030-02-11T10:00:00.000Z',
        '2030-02-18T10:00:00.000Z',
        '2030-02-25T10:00:00.000Z',
      ]);
      const series = expectOk(
        await t.call('POST', '/booking-series', { key: owner, body: { ...input, hold: true } }),
      );
      expect(series).toMatchObject({ object: 'booking_series', status: 'active', contactId: contact.id });
      expect(series.bookings.map((b: { status: string }) => b.status)).toEqual([
        'held',
        'held',
        'held',
        'held',
      ]);
      const got = expectOk(await t.call('GET', `/booking-series/${series.id}`, { key: owner }));
      expect(got).toEqual(wire(await t.org.live.bookingSeries.get(series.id)));
      const list = expectOk(
        await t.call('GET', '/booking-series', { key: owner, query: { contactId: contact.id } }),
      );
      expect(list).toMatchObject({ data: [{ id: series.id }], hasMore: false });

      const confirmed = expectOk(
        await t.call('POST', `/booking-series/${series.id}/confirm`, { key: owner }),
      );
      expect(confirmed.bookings.map((b: { status: string }) => b.status)).toEqual([
        'confirmed',
        'confirmed',
        'confirmed',
        'confirmed',
      ]);
      const one = expectOk(
        await t.call('POST', `/booking-series/${series.id}/occurrences/1/cancel`, {
          key: owner,
          body: { reason: 'holiday' },
        }),
      );
      expect(one).toMatchObject({ seriesId: series.id, occurrenceIndex: 1, status: 'cancelled' });
      const moved = expectOk(
        await t.call('POST', `/booking-series/${series.id}/occurrences/2/reschedule`, {
          key: owner,
          body: { startTime: '2030-02-18T13:00:00.000Z' },
        }),
      );
      expect(moved).toMatchObject({ occurrenceIndex: 2, startTime: '2030-02-18T13:00:00.000Z' });
      expectError(
        await t.call('POST', `/booking-series/${series.id}/occurrences/9/cancel`, { key: owner }),
        404,
        'not_found',
      );
      const ended = expectOk(await t.call('POST', `/booking-series/${series.id}/cancel`, { key: owner }));
      expect(ended.status).toBe('cancelled');
      expect(ended.bookings.map((b: { status: string }) => b.status)).toEqual([
        'cancelled',
        'cancelled',
        'cancelled',
        'cancelled',
      ]);
    });
  });

  describe('errors: one shape, a Request-Id on every response', () => {
    it('unknown route 404, wrong method 405 with Allow, unknown id 404', async () => {
      expectError(await t.call('GET', '/no-such-thing', { key: owner }), 404, 'not_found');
      expectError(await t.call('GET', '/bookings/bkg_1/nope', { key: owner }), 404, 'not_found');
      const wrong = await t.call('GET', '/bookings/bkg_x/confirm', { key: owner });
      expectError(wrong, 405, 'method_not_allowed');
      expect(wrong.headers.get('allow')).toMatch(/\bPOST\b/);
      const put = await t.call('PUT', '/bookings', { key: owner, body: {} });
      expectError(put, 405, 'method_not_allowed');
      expect(
        put.headers
          .get('allow')
          ?.split(',')
          .map((m) => m.trim()),
      ).toEqual(expect.arrayContaining(['GET', 'POST']));
      expectError(
        await t.call('PUT', `/bookings/${'bkg_x'}`, { key: owner, body: {} }),
        405,
        'method_not_allowed',
      );
      expectError(await t.call('GET', `/contacts/${cat.contact.id}x`, { key: owner }), 404, 'not_found');
    });

    it('malformed JSON and non-object bodies 400, a wrong content type 415, an empty body is {}', async () => {
      const json = { 'content-type': 'application/json' };
      expectError(
        await t.call('POST', '/contacts', { key: owner, raw: '{"name": "Ann"', headers: json }),
        400,
        'validation_failed',
      );
      expectError(
        await t.call('POST', '/contacts', { key: owner, raw: '[1, 2]', headers: json }),
        400,
        'validation_failed',
      );
      expectError(
        await t.call('POST', '/contacts', { key: owner, raw: '"Ann"', headers: json }),
        400,
        'validation_failed',
      );
      expectError(
        await t.call('POST', '/contacts', {
          key: owner,
          raw: JSON.stringify({ name: 'Ann' }),
          headers: { 'content-type': 'text/plain' },
        }),
        415,
        'unsupported_media_type',
      );
      const invalid = expectError(
        await t.call('POST', '/bookings', { key: owner, body: { contactId: cat.contact.id } }),
        400,
        'validation_failed',
      );
      expect(Array.isArray(invalid.details.fields)).toBe(true);
      // An empty body is `{}`: confirm takes only the id from the path.
      const b = expectOk(
        await t.call('POST', '/bookings', {
          key: owner,
          body: { serviceId: cat.yoga.id, startTime: day(3, 18), contactId: cat.contact.id, hold: true },
        }),
      );
      const confirmed = expectOk(
        await t.call('POST', `/bookings/${b.id}/confirm`, { key: owner, raw: '', headers: json }),
      );
      expect(confirmed.status).toBe('confirmed');
    });

    it('DELETE with no body: 405 on a route without DELETE, 200 for allocations.delete', async () => {
      const wrong = await t.call('DELETE', '/bookings', { key: owner });
      expectError(wrong, 405, 'method_not_allowed');
      expect(wrong.headers.get('allow')).toMatch(/GET.*POST|POST.*GET/);
      const allocation = expectOk(
        await t.call('POST', '/allocations', {
          key: owner,
          body: {
            resourceId: cat.room.id,
            startTime: '2030-03-01T09:00:00.000Z',
            endTime: '2030-03-01T10:00:00.000Z',
          },
        }),
      );
      const deleted = expectOk(await t.call('DELETE', `/allocations/${allocation.id}`, { key: owner }));
      expect(deleted).toEqual({ id: allocation.id, object: 'allocation', deleted: true });
    });

    it('a chunked POST (no Content-Length) is read like any other', async () => {
      const body = new ReadableStream({
        start(controller) {
          controller.enqueue(new TextEncoder().encode('{"name":"Chunky"}'));
          controller.close();
        },
      });
      const r = await fetch(`${t.baseUrl}/contacts`, {
        method: 'POST',
        body,
        duplex: 'half',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${owner.secret}` },
      } as RequestInit);
      expect({ status: r.status, text: (await r.text()).slice(0, 300) }).toMatchObject({ status: 200 });
    });

    it('an oversized body is a 413 the client can read, and the connection stays usable or is closed cleanly', async () => {
      const big = JSON.stringify({ name: 'Ann', notes: 'x'.repeat(1_100_000) });
      const headers = {
        'content-type': 'application/json',
        authorization: `Bearer ${owner.secret}`,
        'content-length': String(Buffer.byteLength(big)),
      };
      const small = JSON.stringify({ name: 'Ann' });
      const replies = await onOneConnection(t.baseUrl, [
        { method: 'POST', path: '/contacts', headers, body: big },
        { method: 'POST', path: '/contacts', headers, body: big },
        {
          method: 'POST',
          path: '/contacts',
          headers: { ...headers, 'content-length': String(Buffer.byteLength(small)) },
          body: small,
        },
      ]);
      expect(replies.map((r) => r.status)).toEqual([413, 413, 200]);
      expect(JSON.parse(replies[0]!.text).error.code).toBe('payload_too_large');
    });

    it('no key, an unknown key or a malformed header is 401 with WWW-Authenticate: Bearer', async () => {
      for (const r of [
        await t.call('GET', '/bookings'),
        await t.call('GET', '/bookings', { key: 'sk_test_0000000000000000000000000000000000000000' }),
        await t.call('GET', '/bookings', { headers: { authorization: `Basic ${btoa('a:b')}` } }),
      ]) {
        expectError(r, 401, 'unauthorized');
        expect(r.headers.get('www-authenticate')).toMatch(/^Bearer/);
      }
    });

    it('CORS: a preflight is answered before auth, and responses expose Request-Id', async () => {
      const preflight = await fetch(`${t.baseUrl}/bookings`, {
        method: 'OPTIONS',
        headers: {
          origin: 'https://widget.example',
          'access-control-request-method': 'POST',
          'access-control-request-headers': 'authorization, content-type, idempotency-key',
        },
      });
      expect(preflight.status).toBeLessThan(300);
      expect(preflight.headers.get('access-control-allow-origin')).toBe('*');
      const r = await fetch(`${t.baseUrl}/services`, {
        headers: { origin: 'https://widget.example', authorization: `Bearer ${owner.secret}` },
      });
      expect(r.status).toBe(200);
      expect(r.headers.get('access-control-expose-headers')?.toLowerCase()).toContain('request-id');
    });
  });

  describe('isolation', () => {
    it("another organization's ids are 404", async () => {
      const theirs = await createCatalog(t, t.other.owner, 'other');
      const booking = expectOk(
        await t.call('POST', '/bookings', {
          key: t.other.owner,
          body: { serviceId: theirs.appointment.id, startTime: day(5, 9), contactId: theirs.contact.id },
        }),
      );
      expectError(await t.call('GET', `/bookings/${booking.id}`, { key: owner }), 404, 'not_found');
      expectError(await t.call('POST', `/bookings/${booking.id}/cancel`, { key: owner }), 404, 'not_found');
      expectError(await t.call('GET', `/contacts/${theirs.contact.id}`, { key: owner }), 404, 'not_found');
      expectError(
        await t.call('GET', `/services/${theirs.appointment.id}`, { key: owner }),
        404,
        'not_found',
      );
      expectError(
        await t.call('PATCH', `/resources/${theirs.room.id}`, { key: owner, body: { name: 'Mine' } }),
        404,
        'not_found',
      );
      expectError(
        await t.call('POST', '/bookings', {
          key: owner,
          body: { serviceId: theirs.appointment.id, startTime: day(5, 11), contactId: cat.contact.id },
        }),
        404,
        'not_found',
      );
      expectError(
        await t.call('GET', '/availability', {
          key: owner,
          query: { serviceId: theirs.appointment.id, from: '2030-01-12', to: '2030-01-12' },
        }),
        404,
        'not_found',
      );
      const mine = expectOk(await t.call('GET', '/bookings', { key: owner, query: { limit: 100 } }));
      expect(mine.data.map((b: { id: string }) => b.id)).not.toContain(booking.id);
      // And the reverse, still the other tenant's own.
      expect(expectOk(await t.call('GET', `/bookings/${booking.id}`, { key: t.other.owner })).id).toBe(
        booking.id,
      );
    });

    it('a test key never sees live data, and a live key never sees test data', async () => {
      const live = expectOk(
        await t.call('POST', '/bookings', {
          key: owner,
          body: { serviceId: cat.appointment.id, startTime: day(5, 14), contactId: cat.contact.id },
        }),
      );
      const test = t.org.testOwner;
      expectError(await t.call('GET', `/bookings/${live.id}`, { key: test }), 404, 'not_found');
      expectError(await t.call('GET', `/services/${cat.appointment.id}`, { key: test }), 404, 'not_found');
      expectError(await t.call('GET', `/contacts/${cat.contact.id}`, { key: test }), 404, 'not_found');
      const testServices = expectOk(await t.call('GET', '/services', { key: test }));
      expect(testServices.data.map((s: { id: string }) => s.id)).not.toContain(cat.appointment.id);

      const testContact = await newContact(test);
      expectError(await t.call('GET', `/contacts/${testContact.id}`, { key: owner }), 404, 'not_found');
      const liveContacts = expectOk(await t.call('GET', '/contacts', { key: owner, query: { limit: 100 } }));
      expect(liveContacts.data.map((c: { id: string }) => c.id)).not.toContain(testContact.id);
      expect(expectOk(await t.call('GET', `/contacts/${testContact.id}`, { key: test })).id).toBe(
        testContact.id,
      );
    });

    it('a readonly key reads and cannot write (403); staff cannot change the catalog', async () => {
      const ro = t.org.readonly;
      expectOk(await t.call('GET', '/bookings', { key: ro }));
      expectOk(await t.call('GET', `/services/${cat.appointment.id}`, { key: ro }));
      const refused = expectError(
        await t.call('POST', '/contacts', { key: ro, body: { name: 'Nope' } }),
        403,
        'forbidden',
      );
      expect(refused.details).toMatchObject({ permission: 'write' });
      expectError(
        await t.call('POST', '/bookings', {
          key: ro,
          body: { serviceId: cat.appointment.id, startTime: day(5, 16), contactId: cat.contact.id },
        }),
        403,
        'forbidden',
      );
      expectError(
        await t.call('POST', '/resources', { key: ro, body: { name: 'X', timezone: 'UTC' } }),
        403,
        'forbidden',
      );
      const staff = expectError(
        await t.call('POST', '/resources', { key: t.org.staff, body: { name: 'X', timezone: 'UTC' } }),
        403,
        'forbidden',
      );
      expect(staff.details).toMatchObject({ permission: 'admin' });
      expectOk(await t.call('POST', '/contacts', { key: t.org.staff, body: { name: unique('by staff') } }));
    });

    it('a publishable key reads public availability and cannot book', async () => {
      const pk = t.org.publishable;
      expect(pk.secret).toMatch(/^pk_live_/);
      const query = { serviceId: cat.appointment.id, from: '2030-01-13', to: '2030-01-13' };
      const slots = expectOk(await t.call('GET', '/availability', { key: pk, query }));
      expect(slots).toEqual(expectOk(await t.call('GET', '/availability', { key: owner, query })));
      expectOk(await t.call('GET', `/services/${cat.appointment.id}`, { key: pk }));
      expectOk(await t.call('GET', '/pricing/quote', { key: pk, query: { slotId: slots[0].id } }));
      expectError(
        await t.call('POST', '/bookings', {
          key: pk,
          body: { slotId: slots[0].id, contactId: cat.contact.id },
        }),
        403,
        'forbidden',
      );
      expectError(await t.call('GET', '/bookings', { key: pk }), 403, 'forbidden');
      expectError(await t.call('POST', '/contacts', { key: pk, body: { name: 'Widget' } }), 403, 'forbidden');
    });

    it('no key + Seshn-Organization reads only a public: true service', async () => {
      const headers = { 'seshn-organization': t.org.id };
      const query = { serviceId: cat.yoga.id, from: '2030-01-13', to: '2030-01-13' };
      const slots = expectOk(await t.call('GET', '/availability', { headers, query }));
      expect(slots).toEqual(expectOk(await t.call('GET', '/availability', { key: owner, query })));
      expect(expectOk(await t.call('GET', `/services/${cat.yoga.id}`, { headers })).public).toBe(true);
      expectOk(
        await t.call('POST', `/services/${cat.yoga.id}/availability/slots`, {
          headers,
          body: { from: '2030-01-13', to: '2030-01-13' },
        }),
      );
      // Not public: the appointment service.
      const closed = await t.call('GET', '/availability', {
        headers,
        query: { ...query, serviceId: cat.appointment.id },
      });
      expect([403, 404]).toContain(closed.status);
      expectError(closed, closed.status, closed.status === 403 ? 'forbidden' : 'not_found');
      // Never a booking or a private read.
      expectError(
        await t.call('POST', '/bookings', {
          headers,
          body: { slotId: slots[0].id, contactId: cat.contact.id },
        }),
        403,
        'forbidden',
      );
      expectError(await t.call('GET', '/bookings', { headers }), 403, 'forbidden');
      // Another organization named: the service is not there.
      expectError(
        await t.call('GET', '/availability', { headers: { 'seshn-organization': t.other.id }, query }),
        404,
        'not_found',
      );
    });

    it('a key revoked from another OS process is 401 on its next request', async () => {
      const key = await t.org.live.apiKeys.create({ name: unique('doomed'), role: 'staff' });
      expectOk(await t.call('GET', '/bookings', { key: key.secret, query: { limit: 1 } }));
      const result = await runFixture<{ pid: number; key: { id: string; revokedAt: string | null } }>(
        'revoke-key.ts',
        { spec: t.spec, organizationId: t.org.id, keyId: key.id },
      );
      expect(result.pid).not.toBe(process.pid);
      expect(result.key).toMatchObject({ id: key.id, revokedAt: expect.any(String) });
      const r = await t.call('GET', '/bookings', { key: key.secret, query: { limit: 1 } });
      expectError(r, 401, 'unauthorized');
      expect(r.headers.get('www-authenticate')).toMatch(/^Bearer/);
    });
  });

  describe('idempotency', () => {
    it('20 concurrent POST /bookings with one Idempotency-Key create one booking, byte-identical bodies', async () => {
      const contact = await newContact();
      const key = unique('idem');
      const body = { serviceId: cat.appointment.id, startTime: day(4, 10), contactId: contact.id };
      const replies = await Promise.all(
        Array.from({ length: 20 }, () =>
          t.call('POST', '/bookings', { key: owner, body, headers: { 'idempotency-key': key } }),
        ),
      );
      expect(replies.map((r) => r.status)).toEqual(Array(20).fill(200));
      expect(new Set(replies.map((r) => r.text)).size).toBe(1);
      expect(replies.filter((r) => r.headers.get('idempotent-replayed') === 'true')).toHaveLength(19);
      const list = expectOk(
        await t.call('GET', '/bookings', { key: owner, query: { contactId: contact.id } }),
      );
      expect(list.data.map((b: { id: string }) => b.id)).toEqual([replies[0]!.body.id]);

      const replay = await t.call('POST', '/bookings', {
        key: owner,
        body,
        headers: { 'idempotency-key': key },
      });
      expect(replay.status).toBe(200);
      expect(replay.text).toBe(replies[0]!.text);
      expect(replay.headers.get('idempotent-replayed')).toBe('true');

      const conflict = expectError(
        await t.call('POST', '/bookings', {
          key: owner,
          body: { ...body, startTime: day(4, 12) },
          headers: { 'idempotency-key': key },
        }),
        409,
        'idempotency_conflict',
      );
      expect(conflict.requestId).not.toBe(replies[0]!.headers.get('request-id'));
    });

    it('10 concurrent POST /booking-series with one Idempotency-Key create one series', async () => {
      const contact = await newContact();
      const key = unique('idem-series');
      const body = {
        contactId: contact.id,
        serviceId: cat.appointment.id,
        recurrence: { frequency: 'weekly', time: '08:00', startDate: '2030-03-04', count: 3 },
      };
      const replies = await Promise.all(
        Array.from({ length: 10 }, () =>
          t.call('POST', '/booking-series', { key: owner, body, headers: { 'idempotency-key': key } }),
        ),
      );
      expect(replies.map((r) => r.status)).toEqual(Array(10).fill(200));
      expect(new Set(replies.map((r) => r.text)).size).toBe(1);
      const list = expectOk(
        await t.call('GET', '/booking-series', { key: owner, query: { contactId: contact.id } }),
      );
      expect(list.data.map((s: { id: string }) => s.id)).toEqual([replies[0]!.body.id]);
    });

    it('without a key, 10 concurrent POSTs for one exclusive slot: one booking, nine 409 slot_unavailable', async () => {
      const contact = await newContact();
      const body = { serviceId: cat.appointment.id, startTime: day(4, 16), contactId: contact.id };
      const replies = await Promise.all(
        Array.from({ length: 10 }, () => t.call('POST', '/bookings', { key: owner, body })),
      );
      expect(replies.filter((r) => r.status === 200)).toHaveLength(1);
      for (const r of replies.filter((r) => r.status !== 200)) expectError(r, 409, 'slot_unavailable');
      const list = expectOk(
        await t.call('GET', '/bookings', { key: owner, query: { contactId: contact.id } }),
      );
      expect(list.data).toHaveLength(1);
    });

    it('a refused request is replayed with its status; keys are per organization', async () => {
      const key = unique('idem-refused');
      const body = { serviceId: cat.appointment.id, startTime: day(4, 10), contactId: cat.contact.id };
      const first = expectError(
        await t.call('POST', '/bookings', { key: owner, body, headers: { 'idempotency-key': key } }),
        409,
        'slot_unavailable',
      );
      const replay = await t.call('POST', '/bookings', {
        key: owner,
        body,
        headers: { 'idempotency-key': key },
      });
      expect(replay.status).toBe(409);
      expect(replay.headers.get('idempotent-replayed')).toBe('true');
      expect(replay.body.error.requestId).toBe(first.requestId);
      // The same key in the other organization is a new request there.
      const theirs = await t.call('POST', '/contacts', {
        key: t.other.owner,
        body: { name: 'Other' },
        headers: { 'idempotency-key': key },
      });
      expect(theirs.status).toBe(200);
      expect(theirs.headers.get('idempotent-replayed')).toBeNull();
    });
  });

  describe('audit log', () => {
    it('GET /audit-log lists the writes with actor key id, action, target and request id', async () => {
      const created = await t.call('POST', '/contacts', {
        key: t.org.staff,
        body: { name: unique('Audited') },
      });
      const contact = expectOk(created);
      const updated = await t.call('PATCH', `/contacts/${contact.id}`, {
        key: owner,
        body: { email: `${unique('a')}@example.com` },
      });
      expectOk(updated);
      const log = expectOk(
        await t.call('GET', '/audit-log', { key: owner, query: { targetId: contact.id } }),
      );
      expect(log.hasMore).toBe(false);
      expect(log.data).toHaveLength(2);
      const [update, create] = log.data;
      expect(create).toMatchObject({
        actor: { type: 'api_key', id: t.org.staff.id },
        action: 'contacts.create',
        targetId: contact.id,
        requestId: created.headers.get('request-id'),
        changes: { before: null, after: expect.any(Object) },
      });
      expect(create.id).toMatch(/^aud_/);
      expect(update).toMatchObject({
        actor: { type: 'api_key', id: owner.id },
        action: 'contacts.update',
        targetId: contact.id,
        requestId: updated.headers.get('request-id'),
        changes: { before: expect.any(Object), after: expect.any(Object) },
      });
      const bookings = expectOk(
        await t.call('GET', '/audit-log', { key: owner, query: { action: 'bookings.create', limit: 2 } }),
      );
      expect(bookings.data).toHaveLength(2);
      expect(bookings.data.every((e: { action: string }) => e.action === 'bookings.create')).toBe(true);
      // Reads are not audited.
      const reads = expectOk(
        await t.call('GET', '/audit-log', { key: owner, query: { action: 'bookings.get' } }),
      );
      expect(reads.data).toEqual([]);
    });

    it('readonly and staff keys are 403; a test key reads only the test-mode log', async () => {
      expectError(await t.call('GET', '/audit-log', { key: t.org.readonly }), 403, 'forbidden');
      expectError(await t.call('GET', '/audit-log', { key: t.org.staff }), 403, 'forbidden');
      const liveIds = expectOk(
        await t.call('GET', '/audit-log', { key: owner, query: { limit: 100 } }),
      ).data.map((e: { id: string }) => e.id);
      const testLog = expectOk(
        await t.call('GET', '/audit-log', { key: t.org.testOwner, query: { limit: 100 } }),
      );
      for (const entry of testLog.data) expect(liveIds).not.toContain(entry.id);
    });
  });

  describe('test clock', () => {
    it('POST /test-clock/advance in test mode makes a hold expire; live mode refuses', async () => {
      const test = t.org.testOwner;
      const testCat = await createCatalog(t, test, 'test');
      const before = expectOk(await t.call('GET', '/test-clock', { key: test }));
      expect(before).toMatchObject({ now: expect.any(String), offsetSeconds: expect.any(Number) });
      const hold = expectOk(
        await t.call('POST', '/bookings', {
          key: test,
          body: {
            serviceId: testCat.appointment.id,
            startTime: day(6, 10),
            contactId: testCat.contact.id,
            hold: true,
          },
        }),
      );
      expect(hold.status).toBe('held');
      const liveHold = expectOk(
        await t.call('POST', '/bookings', {
          key: owner,
          body: {
            serviceId: cat.appointment.id,
            startTime: day(6, 10),
            contactId: cat.contact.id,
            hold: true,
          },
        }),
      );
      const advanced = expectOk(
        await t.call('POST', '/test-clock/advance', { key: test, body: { seconds: 601 } }),
      );
      expect(advanced.offsetSeconds).toBe(before.offsetSeconds + 601);
      expect(Date.parse(advanced.now) - Date.parse(before.now)).toBeGreaterThanOrEqual(601_000);
      expect(expectOk(await t.call('GET', `/bookings/${hold.id}`, { key: test })).status).toBe('expired');
      expectError(await t.call('POST', `/bookings/${hold.id}/confirm`, { key: test }), 409, 'invalid_state');
      // Live mode: the clock did not move, and it cannot be moved.
      expect(expectOk(await t.call('GET', `/bookings/${liveHold.id}`, { key: owner })).status).toBe('held');
      const refused = expectError(
        await t.call('POST', '/test-clock/advance', { key: owner, body: { seconds: 601 } }),
        403,
        'forbidden',
      );
      expect(refused.details.reason).toBe('live_mode');
      expectError(
        await t.call('POST', '/test-clock/advance', { key: test, body: { seconds: 0 } }),
        400,
        'validation_failed',
      );
    });
  });

  describe('rate limit', () => {
    it('a tiny limit answers 429 rate_limited with Retry-After and RateLimit-* headers', async () => {
      const limited = await t.startServer({ rateLimit: { points: 3, durationSeconds: 60 } });
      const get = (key: Key) =>
        fetch(`${limited.baseUrl}/services`, { headers: { authorization: `Bearer ${key.secret}` } });
      const ok = [await get(owner), await get(owner), await get(owner)];
      expect(ok.map((r) => r.status)).toEqual([200, 200, 200]);
      expect(ok.map((r) => r.headers.get('ratelimit-limit'))).toEqual(['3', '3', '3']);
      expect(ok.map((r) => r.headers.get('ratelimit-remaining'))).toEqual(['2', '1', '0']);
      for (const r of ok) expect(Number(r.headers.get('ratelimit-reset'))).toBeGreaterThan(0);
      const over = await get(owner);
      const text = await over.text();
      const reply: Reply = { status: over.status, headers: over.headers, text, body: JSON.parse(text) };
      expectError(reply, 429, 'rate_limited');
      const retryAfter = Number(over.headers.get('retry-after'));
      expect(retryAfter).toBeGreaterThan(0);
      expect(retryAfter).toBeLessThanOrEqual(60);
      expect(over.headers.get('ratelimit-remaining')).toBe('0');
      // Per key: another key of the same organization still passes.
      expect((await get(t.org.readonly)).status).toBe(200);
    });
  });

  describe('API keys and scopes', () => {
    it('POST /api-keys shows the secret once; get and list never show it; revoke is idempotent and effective', async () => {
      const created = expectOk(
        await t.call('POST', '/api-keys', { key: owner, body: { name: 'ci', role: 'staff' } }),
      );
      expect(created.secret).toMatch(/^sk_live_[A-Za-z0-9_-]{43,}$/);
      expect(created).toMatchObject({
        type: 'secret',
        role: 'staff',
        mode: 'live',
        scopes: null,
        revokedAt: null,
      });
      expect(created.redacted).toBe(`sk_live_…${created.secret.slice(-4)}`);
      expectOk(await t.call('GET', '/bookings', { key: created.secret, query: { limit: 1 } }));
      const got = expectOk(await t.call('GET', `/api-keys/${created.id}`, { key: owner }));
      expect(got).not.toHaveProperty('secret');
      const { secret, ...rest } = created;
      expect(got).toEqual(rest);
      const list = await t.call('GET', '/api-keys', { key: owner, query: { limit: 100 } });
      const ids = expectOk(list).data.map((k: { id: string }) => k.id);
      expect(ids).toEqual(expect.arrayContaining([created.id, t.org.testOwner.id, t.org.publishable.id]));
      expect(list.text).not.toContain(secret);
      expect(list.text).not.toContain(owner.secret);

      const revoked = expectOk(await t.call('POST', `/api-keys/${created.id}/revoke`, { key: owner }));
      expect(revoked.revokedAt).toEqual(expect.any(String));
      expectError(await t.call('GET', '/bookings', { key: secret }), 401, 'unauthorized');
      const again = expectOk(await t.call('POST', `/api-keys/${created.id}/revoke`, { key: owner }));
      expect(again.revokedAt).toBe(revoked.revokedAt);
      expectError(await t.call('GET', `/api-keys/${t.other.owner.id}`, { key: owner }), 404, 'not_found');
    });

    it('a key mints keys up to its own role and only for its own mode; staff mints none', async () => {
      const admin = await t.org.live.apiKeys.create({ name: unique('admin'), role: 'admin' });
      expectError(
        await t.call('POST', '/api-keys', { key: admin.secret, body: { name: 'boss', role: 'owner' } }),
        403,
        'forbidden',
      );
      expectError(
        await t.call('POST', '/api-keys', {
          key: admin.secret,
          body: { name: 'tester', role: 'staff', mode: 'test' },
        }),
        403,
        'forbidden',
      );
      expectOk(
        await t.call('POST', '/api-keys', { key: admin.secret, body: { name: 'peer', role: 'admin' } }),
      );
      expectError(
        await t.call('POST', '/api-keys', { key: t.org.staff, body: { name: 'x', role: 'readonly' } }),
        403,
        'forbidden',
      );
      const test = expectOk(
        await t.call('POST', '/api-keys', {
          key: t.org.testOwner,
          body: { name: 'test staff', role: 'staff' },
        }),
      );
      expect(test.secret).toMatch(/^sk_test_/);
      expect(test.mode).toBe('test');
    });

    it('scopes narrow a key: <group>:read, <group>:write (implies read)', async () => {
      const reader = await t.org.live.apiKeys.create({
        name: unique('reader'),
        role: 'staff',
        scopes: ['bookings:read'],
      });
      expectOk(await t.call('GET', '/bookings', { key: reader.secret }));
      const noContacts = expectError(
        await t.call('GET', '/contacts', { key: reader.secret }),
        403,
        'forbidden',
      );
      expect(noContacts.details.scope).toBe('contacts:read');
      const noWrite = expectError(
        await t.call('POST', '/bookings', {
          key: reader.secret,
          body: { serviceId: cat.yoga.id, startTime: day(1, 9), contactId: cat.contact.id },
        }),
        403,
        'forbidden',
      );
      expect(noWrite.details.scope).toBe('bookings:write');
      const writer = await t.org.live.apiKeys.create({
        name: unique('writer'),
        role: 'staff',
        scopes: ['contacts:write'],
      });
      expectOk(await t.call('GET', '/contacts', { key: writer.secret }));
      expectOk(await t.call('POST', '/contacts', { key: writer.secret, body: { name: 'scoped' } }));
    });
  });

  describe('idempotency, more', () => {
    it("the header's key is passed down to bookings.create (a retry after a crash still books once)", async () => {
      const key = unique('down');
      const body = { serviceId: cat.appointment.id, startTime: day(7, 10), contactId: cat.contact.id };
      const first = expectOk(
        await t.call('POST', '/bookings', { key: owner, body, headers: { 'idempotency-key': key } }),
      );
      const embedded = await t.org.live.bookings.create({ ...body, idempotencyKey: key });
      expect(embedded.id).toBe(first.id);
      const audit = expectOk(
        await t.call('GET', '/audit-log', { key: owner, query: { targetId: first.id } }),
      );
      expect(audit.data.map((e: { action: string }) => e.action)).toEqual(['bookings.create']);
    });

    it('a key over 255 characters is 400; keys are per mode; they expire after 24 h', async () => {
      expectError(
        await t.call('POST', '/contacts', {
          key: owner,
          body: { name: 'long' },
          headers: { 'idempotency-key': 'k'.repeat(256) },
        }),
        400,
        'validation_failed',
      );
      const key = unique('per-mode');
      const live = expectOk(
        await t.call('POST', '/contacts', {
          key: owner,
          body: { name: 'A' },
          headers: { 'idempotency-key': key },
        }),
      );
      const test = await t.call('POST', '/contacts', {
        key: t.org.testOwner,
        body: { name: 'A' },
        headers: { 'idempotency-key': key },
      });
      expect(test.status).toBe(200);
      expect(test.headers.get('idempotent-replayed')).toBeNull();
      expect(test.body.id).not.toBe(live.id);
      const replay = await t.call('POST', '/contacts', {
        key: owner,
        body: { name: 'A' },
        headers: { 'idempotency-key': key },
      });
      expect(replay.headers.get('idempotent-replayed')).toBe('true');
      t.clock.set(T0 + 25 * HOUR);
      try {
        const later = await t.call('POST', '/contacts', {
          key: owner,
          body: { name: 'A' },
          headers: { 'idempotency-key': key },
        });
        expect(later.status).toBe(200);
        expect(later.headers.get('idempotent-replayed')).toBeNull();
        expect(later.body.id).not.toBe(live.id);
      } finally {
        t.clock.set(T0);
      }
    });

    it('20 concurrent idempotent POSTs leave one audit entry', async () => {
      const key = unique('idem-audit');
      const contact = expectOk(await t.call('POST', '/contacts', { key: owner, body: { name: 'C' } }));
      const body = { serviceId: cat.appointment.id, startTime: day(7, 14), contactId: contact.id };
      const replies = await Promise.all(
        Array.from({ length: 20 }, () =>
          t.call('POST', '/bookings', { key: owner, body, headers: { 'idempotency-key': key } }),
        ),
      );
      const id = replies[0]!.body.id;
      const audit = expectOk(await t.call('GET', '/audit-log', { key: owner, query: { targetId: id } }));
      expect(audit.data).toHaveLength(1);
      expect(audit.data[0].requestId).toBe(
        replies.find((r) => r.headers.get('idempotent-replayed') !== 'true')!.headers.get('request-id'),
      );
    });
  });

  describe('inputs, more', () => {
    it('unknown and repeated scalar query parameters are 400', async () => {
      expectError(
        await t.call('GET', '/bookings', { key: owner, query: { bogus: '1' } }),
        400,
        'validation_failed',
      );
      expectError(
        await t.call('GET', '/availability', {
          key: owner,
          query: { serviceId: [cat.appointment.id, cat.yoga.id], from: '2030-01-08', to: '2030-01-08' },
        }),
        400,
        'validation_failed',
      );
    });

    it('GET /test-clock in live mode is 403 live_mode', async () => {
      const r = expectError(await t.call('GET', '/test-clock', { key: owner }), 403, 'forbidden');
      expect(r.details.reason).toBe('live_mode');
    });

    it('anonymous callers are rate limited per organization and address', async () => {
      const limited = await t.startServer({ rateLimit: { points: 2, durationSeconds: 60 } });
      const get = (org: string) =>
        fetch(`${limited.baseUrl}/services/${cat.yoga.id}`, { headers: { 'seshn-organization': org } });
      expect([(await get(t.org.id)).status, (await get(t.org.id)).status]).toEqual([200, 200]);
      const over = await get(t.org.id);
      expect(over.status).toBe(429);
      expect(over.headers.get('retry-after')).toMatch(/^\d+$/);
      expect((await get(t.other.id)).status).toBe(404);
    });
  });

  describe('requests, more', () => {
    it('path fields win over body fields', async () => {
      const a = expectOk(
        await t.call('POST', '/bookings', {
          key: owner,
          body: { serviceId: cat.yoga.id, startTime: day(8, 9), contactId: cat.contact.id },
        }),
      );
      const b = expectOk(
        await t.call('POST', '/bookings', {
          key: owner,
          body: { serviceId: cat.yoga.id, startTime: day(8, 9), contactId: cat.contact.id },
        }),
      );
      const cancelled = expectOk(
        // Off the document (its body schema has no id), so not recorded for the schema check.
        await call(t.baseUrl, 'POST', `/bookings/${a.id}/cancel`, {
          key: owner,
          body: { id: b.id, reason: 'path wins' },
        }),
      );
      expect(cancelled.id).toBe(a.id);
      expect(expectOk(await t.call('GET', `/bookings/${b.id}`, { key: owner })).status).toBe('confirmed');
    });

    it('a PATCH with an empty body changes nothing and answers the object', async () => {
      const before = expectOk(await t.call('GET', `/contacts/${cat.contact.id}`, { key: owner }));
      const after = expectOk(await t.call('PATCH', `/contacts/${cat.contact.id}`, { key: owner }));
      expect(after).toEqual(before);
    });

    it('RateLimit-* headers on every authenticated answer, refusals too (default 100 per second)', async () => {
      const r = await t.call('GET', '/services', { key: owner });
      expect(r.headers.get('ratelimit-limit')).toBe(String(SUITE_RATE_LIMIT.points));
      const refused = await t.call('GET', '/audit-log', { key: t.org.readonly });
      expect(refused.status).toBe(403);
      expect(refused.headers.get('ratelimit-limit')).toBe(String(SUITE_RATE_LIMIT.points));
      const defaults = await t.startServer({});
      const first = await call(defaults.baseUrl, 'GET', '/services', { key: t.org.staff });
      expect(first.headers.get('ratelimit-limit')).toBe('100');
      expect(first.headers.get('ratelimit-remaining')).toBe('99');
    });

    it('a body refused as invalid does not hold its Idempotency-Key', async () => {
      const key = unique('fixme');
      expectError(
        await t.call('POST', '/contacts', {
          key: owner,
          body: { name: '' },
          headers: { 'idempotency-key': key },
        }),
        400,
        'validation_failed',
      );
      const fixed = await t.call('POST', '/contacts', {
        key: owner,
        body: { name: 'Fixed' },
        headers: { 'idempotency-key': key },
      });
      expect(fixed.status).toBe(200);
      expect(fixed.headers.get('idempotent-replayed')).toBeNull();
      // The same key on another route is a conflict.
      expectError(
        await t.call('POST', '/resources', {
          key: owner,
          body: { name: 'Fixed', timezone: 'UTC' },
          headers: { 'idempotency-key': key },
        }),
        409,
        'idempotency_conflict',
      );
    });

    it('a key in flight elsewhere: the request waits, then answers the stored response; past idempotencyWaitMs it is 409 in_progress', async () => {
      const waiting = await t.startServer({ idempotencyWaitMs: 400 });
      const body = { name: unique('In flight') };
      const fingerprint = fingerprintOf('POST', '/contacts', body);
      const key = unique('busy');
      expect(await t.org.live.requests.begin({ key, fingerprint, operation: 'contacts.create' })).toEqual({
        state: 'run',
      });
      const started = Date.now();
      const gaveUp = await call(waiting.baseUrl, 'POST', '/contacts', {
        key: owner,
        body,
        headers: { 'idempotency-key': key },
      });
      // It polled (with backoff) for at most idempotencyWaitMs before giving up.
      expect(Date.now() - started).toBeGreaterThanOrEqual(150);
      expect(Date.now() - started).toBeLessThan(400 + 1500);
      const error = expectError(gaveUp, 409, 'idempotency_conflict');
      expect(error.details.reason).toBe('in_progress');
      // Finished while a retry waits: the retry answers what was stored.
      const retry = call(waiting.baseUrl, 'POST', '/contacts', {
        key: owner,
        body,
        headers: { 'idempotency-key': key },
      });
      await new Promise((resolve) => setTimeout(resolve, 100));
      await t.org.live.requests.finish({ key, status: 200, body: '{"stored":true}' });
      const replayed = await retry;
      expect(replayed.status).toBe(200);
      expect(replayed.text).toBe('{"stored":true}');
      expect(replayed.headers.get('idempotent-replayed')).toBe('true');
    });

    it('a claim whose lease lapsed (a crashed process) is taken over by the next request', async () => {
      const body = { name: unique('Crashed') };
      const key = unique('lease');
      await t.org.live.requests.begin({
        key,
        fingerprint: fingerprintOf('POST', '/contacts', body),
        operation: 'contacts.create',
      });
      // The lease (60 s by default) is judged by the scope's clock.
      t.clock.advance(61_000);
      try {
        const r = await t.call('POST', '/contacts', {
          key: owner,
          body,
          headers: { 'idempotency-key': key },
        });
        expect(r.status).toBe(200);
        expect(r.body.name).toBe(body.name);
      } finally {
        t.clock.set(T0);
      }
    });

    it('a refused write leaves no audit entry', async () => {
      const latest = async () =>
        expectOk(await t.call('GET', '/audit-log', { key: owner, query: { limit: 2 } })).data as {
          id: string;
          action: string;
          targetId: string | null;
        }[];
      const [before] = await latest();
      const booked = expectOk(
        await t.call('POST', '/bookings', {
          key: owner,
          body: { serviceId: cat.appointment.id, startTime: day(8, 14), contactId: cat.contact.id },
        }),
      );
      expectError(
        await t.call('POST', '/bookings', {
          key: owner,
          body: { serviceId: cat.appointment.id, startTime: day(8, 14), contactId: cat.contact.id },
        }),
        409,
        'slot_unavailable',
      );
      // Newest first: the booking's entry, then the one that was newest before; nothing for the refusal.
      const [after, previous] = await latest();
      expect(after).toMatchObject({ action: 'bookings.create', targetId: booked.id });
      expect(previous!.id).toBe(before!.id);
    });

    it('test-mode idempotency keys expire by the test clock', async () => {
      const key = unique('test-expiry');
      const body = { name: 'T' };
      const first = expectOk(
        await t.call('POST', '/contacts', {
          key: t.org.testOwner,
          body,
          headers: { 'idempotency-key': key },
        }),
      );
      expectOk(
        await t.call('POST', '/test-clock/advance', { key: t.org.testOwner, body: { seconds: 25 * 3600 } }),
      );
      const later = await t.call('POST', '/contacts', {
        key: t.org.testOwner,
        body,
        headers: { 'idempotency-key': key },
      });
      expect(later.headers.get('idempotent-replayed')).toBeNull();
      expect(later.body.id).not.toBe(first.id);
    });

    it('CORS origins: a listed origin is allowed, another is not; cors: false sends none', async () => {
      const listed = await t.startServer({ cors: { origin: ['https://a.example'], maxAge: 600 } });
      const preflight = (url: string, origin: string) =>
        fetch(`${url}/availability`, {
          method: 'OPTIONS',
          headers: { origin, 'access-control-request-method': 'GET' },
        });
      const ok = await preflight(listed.baseUrl, 'https://a.example');
      expect(ok.headers.get('access-control-allow-origin')).toBe('https://a.example');
      expect(ok.headers.get('access-control-max-age')).toBe('600');
      const other = await preflight(listed.baseUrl, 'https://b.example');
      expect(other.headers.get('access-control-allow-origin')).not.toBe('https://b.example');
      const none = await t.startServer({ cors: false });
      const r = await fetch(`${none.baseUrl}/services`, {
        headers: { origin: 'https://a.example', authorization: `Bearer ${owner.secret}` },
      });
      expect(r.status).toBe(200);
      expect(r.headers.get('access-control-allow-origin')).toBeNull();
    });
  });

  describe('keys, processes and failures', () => {
    it('the key decides the organization and mode: Seshn-Organization and Seshn-Mode are ignored with a key', async () => {
      const headers = { 'seshn-organization': t.other.id, 'seshn-mode': 'test' };
      const mine = expectOk(await t.call('GET', `/contacts/${cat.contact.id}`, { key: owner, headers }));
      expect(mine.id).toBe(cat.contact.id);
      const theirs = await createCatalog(t, t.other.owner, 'other4');
      expectError(
        await t.call('GET', `/contacts/${theirs.contact.id}`, { key: owner, headers }),
        404,
        'not_found',
      );
    });

    it('the Bearer scheme is case-insensitive; a test publishable key sees only test services', async () => {
      expectOk(await t.call('GET', '/services', { headers: { authorization: `bearer ${owner.secret}` } }));
      const pkTest = await t.org.test.apiKeys.create({ name: unique('pk test'), type: 'publishable' });
      expect(pkTest.secret).toMatch(/^pk_test_/);
      expectError(
        await t.call('GET', `/services/${cat.appointment.id}`, { key: pkTest.secret }),
        404,
        'not_found',
      );
    });

    it('anonymous with Seshn-Mode: test reads a public test-mode service, not the live one', async () => {
      const testCat = await createCatalog(t, t.org.testOwner, 'anon-test');
      const headers = { 'seshn-organization': t.org.id, 'seshn-mode': 'test' };
      const query = { serviceId: testCat.yoga.id, from: '2030-01-08', to: '2030-01-08' };
      expect(expectOk(await t.call('GET', '/availability', { headers, query }))).toHaveLength(2);
      expectError(
        await t.call('GET', '/availability', { headers, query: { ...query, serviceId: cat.yoga.id } }),
        404,
        'not_found',
      );
      expectError(
        await t.call('GET', '/services', { headers: { ...headers, 'seshn-mode': 'staging' } }),
        400,
        'validation_failed',
      );
    });

    it('20 concurrent POSTs with one Idempotency-Key across two OS processes book once, with identical bodies', async () => {
      const other = await startServerProcess(t.spec, T0);
      try {
        const contact = expectOk(
          await t.call('POST', '/contacts', { key: owner, body: { name: unique('Two processes') } }),
        );
        const key = unique('idem-2p');
        const body = { serviceId: cat.appointment.id, startTime: day(9, 10), contactId: contact.id };
        const replies = await Promise.all(
          Array.from({ length: 20 }, (_, i) =>
            call(i % 2 === 0 ? t.baseUrl : other.baseUrl, 'POST', '/bookings', {
              key: owner,
              body,
              headers: { 'idempotency-key': key },
            }),
          ),
        );
        expect(replies.map((r) => r.status)).toEqual(Array(20).fill(200));
        expect(new Set(replies.map((r) => r.text)).size).toBe(1);
        expect(replies.filter((r) => r.headers.get('idempotent-replayed') !== 'true')).toHaveLength(1);
        const list = expectOk(
          await t.call('GET', '/bookings', { key: owner, query: { contactId: contact.id } }),
        );
        expect(list.data.map((b: { id: string }) => b.id)).toEqual([replies[0]!.body.id]);
      } finally {
        await other.stop();
      }
    }, 60_000);

    it('the openapi.json a mount serves names the path it is mounted at', async () => {
      const doc = expectOk(await t.call('GET', '/openapi.json'));
      expect(doc.servers).toEqual([{ url: expect.stringMatching(/\/v1$/) }]);
    });

    it('a failing database is an opaque 5xx in the error shape; the cause goes only to the log', async () => {
      const logged: { level: string; fields: Record<string, unknown>; message: string }[] = [];
      const log = (level: string) => (fields: Record<string, unknown>, message: string) => {
        logged.push({ level, fields, message });
      };
      const broken = createSeshn({ adapter: adapterFor(t.spec), now: () => new Date(T0) });
      const server = await startServer(leg.mount, broken, {
        logger: { debug: log('debug'), info: log('info'), warn: log('warn'), error: log('error') },
      });
      try {
        expectOk(await call(server.baseUrl, 'GET', '/services', { key: owner }));
        await broken.close();
        const r = await call(server.baseUrl, 'GET', '/services', { key: owner });
        expect([500, 503]).toContain(r.status);
        const error = expectError(r, r.status, r.status === 503 ? 'storage_error' : 'internal_error');
        expect(error.details).toEqual({});
        expect(r.text.toLowerCase()).not.toMatch(/sqlite|postgres|pool|connection|stack|\.ts:/);
        const entry = logged.find((l) => l.level === 'error' && l.fields.requestId === error.requestId);
        expect(entry, 'the cause is logged with the request id').toBeDefined();
      } finally {
        await server.close();
      }
    });
  });

  describe('coercion, audit contents, test-mode stamps', () => {
    it('query arrays: repeated or comma-separated; booleans only true|false; integers only integers', async () => {
      const query = { serviceId: cat.appointment.id, from: '2030-01-08', to: '2030-01-08' };
      const repeated = expectOk(
        await t.call('GET', '/bookings', {
          key: owner,
          query: { status: ['confirmed', 'held'], limit: 100 },
        }),
      );
      const comma = expectOk(
        await t.call('GET', '/bookings', { key: owner, query: { status: 'confirmed,held', limit: 100 } }),
      );
      expect(comma).toEqual(repeated);
      const windows = expectOk(
        await t.call('GET', '/availability/windows', {
          key: owner,
          query: { resourceIds: `${cat.room.id},${cat.studio.id}`, from: '2030-01-08', to: '2030-01-08' },
        }),
      );
      expect(new Set(windows.map((w: { resourceId: string }) => w.resourceId))).toEqual(
        new Set([cat.room.id, cat.studio.id]),
      );
      for (const bad of [
        { includeUnavailable: 'yes' },
        { includeUnavailable: '1' },
        { seats: '2.5' },
        { seats: '' },
        { seats: '0x2' },
        { seats: '+2' },
      ]) {
        expectError(
          await t.call('GET', '/availability', { key: owner, query: { ...query, ...bad } }),
          400,
          'validation_failed',
        );
      }
      // Bodies are JSON: no coercion there.
      expectError(
        await t.call('POST', '/bookings', {
          key: owner,
          body: {
            serviceId: cat.yoga.id,
            startTime: '2030-01-08T09:00:00.000Z',
            contactId: cat.contact.id,
            seats: '2',
          },
        }),
        400,
        'validation_failed',
      );
    });

    it('the audit log never holds a secret; an update records before and after', async () => {
      const created = expectOk(
        await t.call('POST', '/api-keys', {
          key: owner,
          body: { name: unique('audited key'), role: 'readonly' },
        }),
      );
      const entries = await t.call('GET', '/audit-log', { key: owner, query: { targetId: created.id } });
      expect(expectOk(entries).data).toMatchObject([{ action: 'apiKeys.create', targetId: created.id }]);
      expect(entries.text).not.toContain(created.secret);
      expect(entries.text).not.toContain(created.secret.slice(8));
      expect(JSON.stringify(entries.body.data[0].changes.after)).not.toMatch(/hash/i);

      const contact = expectOk(await t.call('POST', '/contacts', { key: owner, body: { name: 'Before' } }));
      expectOk(await t.call('PATCH', `/contacts/${contact.id}`, { key: owner, body: { name: 'After' } }));
      const [update] = expectOk(
        await t.call('GET', '/audit-log', {
          key: owner,
          query: { targetId: contact.id, action: 'contacts.update' },
        }),
      ).data;
      expect(update.changes.before).toMatchObject({ name: 'Before' });
      expect(update.changes.after).toMatchObject({ name: 'After' });
    });

    it('test mode: new records are stamped by the test clock; GET /test-clock is the base clock plus the offset', async () => {
      const test = t.org.testOwner;
      expectOk(await t.call('POST', '/test-clock/advance', { key: test, body: { seconds: 3600 } }));
      const clock = expectOk(await t.call('GET', '/test-clock', { key: test }));
      expect(Date.parse(clock.now)).toBe(t.clock.ms() + clock.offsetSeconds * 1000);
      const contact = expectOk(await t.call('POST', '/contacts', { key: test, body: { name: 'Later' } }));
      expect(contact.createdAt).toBe(clock.now);
      const live = expectOk(await t.call('POST', '/contacts', { key: owner, body: { name: 'Now' } }));
      expect(live.createdAt).toBe(new Date(t.clock.ms()).toISOString());
    });
  });

  describe('the OpenAPI document describes what the server answered', () => {
    it('every answer above to a documented route has a declared status and a body valid for its schema', () => {
      const check = responseChecker();
      const checked = t.answers.map((answer) => ({ answer, problems: check(answer) }));
      const documented = checked.filter((c) => c.problems !== null);
      expect(documented.length).toBeGreaterThan(150);
      expect(new Set(documented.map((c) => c.answer.status))).toEqual(
        new Set([200, 400, 401, 403, 404, 409, 415]),
      );
      expect(documented.flatMap((c) => c.problems!)).toEqual([]);
    });
  });
});
