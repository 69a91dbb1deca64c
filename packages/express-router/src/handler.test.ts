import { sqliteAdapter } from '@seshn/adapter-sqlite';
import { createSeshn } from '@seshn/core';
import { ALL_WEEK, movableClock, T0 } from '@seshn/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HttpSeshn } from './core.js';

// biome-ignore lint/suspicious/noExplicitAny: tests read response JSON freely
type Json = any;
const json = (response: Response): Promise<Json> => response.json();

import { createSeshnHandler } from './handler.js';

const ORIGIN = 'http://api.test';
const seshn = createSeshn({ adapter: sqliteAdapter({ filename: ':memory:' }), now: movableClock(T0).now });
let handler: ReturnType<typeof createSeshnHandler>;
let secret: string;
let organizationId: string;
const withoutAuth = ({ authorization: _a, ...rest }: Record<string, string>) => rest;

const call = (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) =>
  handler(
    new Request(`${ORIGIN}/v1${path}`, {
      method,
      headers: {
        authorization: `Bearer ${secret}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...headers,
      },
      body: body === undefined ? null : typeof body === 'string' ? body : JSON.stringify(body),
    }),
  );

beforeAll(async () => {
  await seshn.migrate();
  const org = await seshn.organizations.create({ name: 'Smoke' });
  organizationId = org.id;
  const admin = seshn.withScope({ organizationId: org.id, mode: 'test' });
  ({ secret } = await admin.apiKeys.create({ name: 'smoke', role: 'owner' }));
  handler = createSeshnHandler(seshn as HttpSeshn, {
    basePath: '/v1',
    rateLimit: { points: 1000, durationSeconds: 1 },
  });
});
afterAll(() => seshn.close());

describe('the bare fetch handler', () => {
  it('creates a resource, a service and a contact, and books', async () => {
    const resource = await call('POST', '/resources', {
      name: 'Room',
      timezone: 'UTC',
      availability: { weekly: ALL_WEEK },
    });
    expect(resource.status).toBe(200);
    expect(resource.headers.get('request-id')).toMatch(/^req_/);
    expect(resource.headers.get('ratelimit-limit')).toBe('1000');
    const room = await json(resource);
    expect(room).toMatchObject({ object: 'resource', name: 'Room' });

    const service = await json(
      await call('POST', '/services', {
        name: 'Cut',
        kind: 'appointment',
        durationMinutes: 30,
        resourceIds: [room.id],
      }),
    );
    const contact = await json(await call('POST', '/contacts', { name: 'Ada' }));

    const day = new Date(T0 + 86_400_000).toISOString().slice(0, 10);
    const slots = await call('GET', `/availability?serviceId=${service.id}&from=${day}&to=${day}&seats=1`);
    const page = await json(slots.clone());
    expect(slots.status, JSON.stringify(page).slice(0, 400)).toBe(200);
    const slot = (await json(slots))[0];

    const booked = await call(
      'POST',
      '/bookings',
      { slotId: slot.id, contactId: contact.id },
      { 'idempotency-key': 'k1' },
    );
    expect(booked.status).toBe(200);
    const text = await booked.text();
    expect(JSON.parse(text)).toMatchObject({ object: 'booking', status: 'confirmed' });

    const again = await call(
      'POST',
      '/bookings',
      { contactId: contact.id, slotId: slot.id },
      { 'idempotency-key': 'k1' },
    );
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(await again.text()).toBe(text);

    const other = await call(
      'POST',
      '/bookings',
      { slotId: slot.id, contactId: contact.id, seats: 2 },
      { 'idempotency-key': 'k1' },
    );
    expect(other.status).toBe(409);
    expect((await json(other)).error.code).toBe('idempotency_conflict');

    const id = JSON.parse(text).id;
    const got = await call('GET', `/bookings/${id}`);
    expect(await json(got)).toMatchObject({ id, status: 'confirmed' });
    const list = await call('GET', `/bookings?limit=1&status=confirmed,held`);
    expect(await json(list)).toMatchObject({ data: [{ id }], hasMore: false });
  });

  it('runs concurrent POSTs with one Idempotency-Key once, with one body for all', async () => {
    const texts = await Promise.all(
      Array.from({ length: 8 }, () =>
        call('POST', '/contacts', { name: 'Once' }, { 'idempotency-key': 'same-contact' }).then((r) =>
          r.text(),
        ),
      ),
    );
    expect(new Set(texts).size).toBe(1);
    const page = await json(await call('GET', '/contacts?limit=100'));
    expect(page.data.filter((c: { name: string }) => c.name === 'Once')).toHaveLength(1);
  });

  it('answers every error in one shape with the request id', async () => {
    const cases: Array<[Response, number, string]> = [
      [await call('GET', '/nowhere'), 404, 'not_found'],
      [await call('PUT', '/bookings'), 405, 'method_not_allowed'],
      [await call('POST', '/contacts', '{"name":'), 400, 'validation_failed'],
      [await call('POST', '/contacts', '[1]'), 400, 'validation_failed'],
      [
        await call('POST', '/contacts', 'name=x', { 'content-type': 'text/plain' }),
        415,
        'unsupported_media_type',
      ],
      [await call('POST', '/contacts', { name: 'x'.repeat(2_000_000) }), 413, 'payload_too_large'],
      [await call('GET', '/bookings/bkg_nope'), 404, 'not_found'],
      [await call('GET', '/resources?limit=ten'), 400, 'validation_failed'],
      [
        await call('GET', '/resources', undefined, { authorization: 'Bearer sk_test_wrong' }),
        401,
        'unauthorized',
      ],
    ];
    for (const [response, status, code] of cases) {
      expect(response.status, code).toBe(status);
      const body = await json(response);
      expect(body.error).toMatchObject({ code, requestId: response.headers.get('request-id') });
      expect(typeof body.error.message).toBe('string');
      expect(body.error.details).toBeTypeOf('object');
    }
    expect((await call('PUT', '/bookings')).headers.get('allow')).toBe('GET, HEAD, POST');
    expect(
      (await call('GET', '/resources', undefined, { authorization: '' })).headers.get('www-authenticate'),
    ).toMatch(/^Bearer/);
  });

  it('answers a CORS preflight before auth, and serves the OpenAPI document without a key', async () => {
    const preflight = await handler(
      new Request(`${ORIGIN}/v1/bookings`, {
        method: 'OPTIONS',
        headers: { origin: 'https://widget.example', 'access-control-request-method': 'POST' },
      }),
    );
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe('*');
    const doc = await handler(new Request(`${ORIGIN}/v1/openapi.json`));
    expect(doc.status).toBe(200);
    expect(await json(doc)).toMatchObject({ openapi: '3.1.0', servers: [{ url: '/v1' }] });
  });

  it('lets a caller without a key read a public service, and nothing else', async () => {
    const room = await json(
      await call('POST', '/resources', {
        name: 'Open',
        timezone: 'UTC',
        availability: { weekly: ALL_WEEK },
      }),
    );
    const open = await json(
      await call('POST', '/services', {
        name: 'Open',
        kind: 'appointment',
        durationMinutes: 30,
        resourceIds: [room.id],
        public: true,
      }),
    );
    const day = new Date(T0 + 86_400_000).toISOString().slice(0, 10);
    const anonymous = { authorization: '', 'seshn-organization': organizationId, 'seshn-mode': 'test' };
    const query = `/availability?serviceId=${open.id}&from=${day}&to=${day}`;
    const slots = await handler(new Request(`${ORIGIN}/v1${query}`, { headers: withoutAuth(anonymous) }));
    expect(slots.status, await slots.clone().text()).toBe(200);
    expect(slots.headers.get('ratelimit-limit')).toBe('1000');
    const list = await handler(new Request(`${ORIGIN}/v1/bookings`, { headers: withoutAuth(anonymous) }));
    expect(list.status).toBe(403);
    expect((await json(list)).error.code).toBe('forbidden');
  });

  it('limits requests per key with RateLimit headers and Retry-After', async () => {
    const limited = createSeshnHandler(seshn as HttpSeshn, { rateLimit: { points: 2, durationSeconds: 60 } });
    const get = () =>
      limited(new Request(`${ORIGIN}/resources`, { headers: { authorization: `Bearer ${secret}` } }));
    expect((await get()).headers.get('ratelimit-remaining')).toBe('1');
    await get();
    const refused = await get();
    expect(refused.status).toBe(429);
    expect(refused.headers.get('retry-after')).toMatch(/^\d+$/);
    expect((await json(refused)).error.code).toBe('rate_limited');
  });
});
