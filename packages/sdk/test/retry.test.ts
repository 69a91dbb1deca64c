/**
 * Retries and idempotency against the real server: a proxy in front of it loses the first answer
 * (after the booking was made: it destroys the socket), then answers 503, then 429 with
 * `Retry-After: 0` — and the booking exists exactly once, the client gets it, and every attempt
 * carried the same `Idempotency-Key`. Refusals (400, 404, 409) are never retried.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { Seshn, SeshnError } from '../src/index.js';
import { type Listening, listen, SCOPE, startServer, type TestServer } from './server.js';

let upstream: TestServer;
let proxy: Listening;
/** What the proxy does with the n-th request (0-based); default: forward. */
let plan: Array<'drop' | '503' | '429' | 'forward'> = [];
let seen: { method: string; url: string; idempotencyKey: string | undefined }[] = [];
let replayed: (string | null)[] = [];

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

async function forward(req: IncomingMessage): Promise<Response> {
  const body = await readBody(req);
  const headers: Record<string, string> = {};
  for (const name of ['authorization', 'content-type', 'idempotency-key', 'accept']) {
    const value = req.headers[name];
    if (typeof value === 'string') headers[name] = value;
  }
  return fetch(upstream.origin + req.url, {
    method: req.method,
    headers,
    ...(body !== '' ? { body } : {}),
  });
}

async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
  const step = plan[seen.length] ?? 'forward';
  seen.push({
    method: req.method!,
    url: req.url!,
    idempotencyKey: req.headers['idempotency-key'] as string | undefined,
  });
  if (step === 'drop') {
    await (await forward(req)).text(); // the booking is made upstream…
    req.socket.destroy(); // …and its answer never arrives
    return;
  }
  if (step === '503' || step === '429') {
    await readBody(req);
    const code = step === '503' ? 'storage_error' : 'rate_limited';
    res.writeHead(Number(step), {
      'content-type': 'application/json',
      'request-id': `req_proxy${seen.length}`,
      ...(step === '429' ? { 'retry-after': '0' } : {}),
    });
    res.end(
      JSON.stringify({ error: { code, message: code, details: {}, requestId: `req_proxy${seen.length}` } }),
    );
    return;
  }
  const answer = await forward(req);
  replayed.push(answer.headers.get('idempotent-replayed'));
  const text = await answer.text();
  res.writeHead(answer.status, {
    'content-type': answer.headers.get('content-type') ?? 'application/json',
    'request-id': answer.headers.get('request-id') ?? '',
  });
  res.end(text);
}

let catalog: { slotId: string; contactId: string };
let serviceId: string;

beforeAll(async () => {
  upstream = await startServer();
  proxy = await listen((req, res) => {
    handle(req, res).catch((error) => {
      res.destroy(error as Error);
    });
  });
  const h = upstream.seshn.withScope(SCOPE);
  const room = await h.resources.create({
    name: 'Room',
    timezone: 'UTC',
    availability: { weekly: { tue: [{ start: '09:00', end: '17:00' }] } },
  });
  const service = await h.services.create({
    name: 'Session',
    kind: 'appointment',
    durationMinutes: 60,
    capacity: 2,
    resourceIds: [room.id],
  });
  const contact = await h.contacts.create({ name: 'Ada' });
  const [slot] = await h.availability.query({ serviceId: service.id, from: '2030-01-08', to: '2030-01-08' });
  catalog = { slotId: slot!.id, contactId: contact.id };
  serviceId = service.id;
});

afterAll(async () => {
  await proxy?.close();
  await upstream?.close();
});

beforeEach(() => {
  plan = [];
  seen = [];
  replayed = [];
});

const client = (options: { maxRetries?: number } = {}) =>
  new Seshn(upstream.secret, { baseUrl: proxy.origin, backoff: { baseDelayMs: 5 }, ...options });

describe('retries with one Idempotency-Key', () => {
  it('a lost answer, a 503 and a 429: the booking is made exactly once and the client gets it', async () => {
    plan = ['drop', '503', '429', 'forward'];
    const booking = await client({ maxRetries: 3 }).bookings.create({ ...catalog, seats: 2 });
    expect(booking.seats).toBe(2);
    expect(seen).toHaveLength(4);
    expect(seen.every((s) => s.method === 'POST' && s.url === '/v1/bookings')).toBe(true);
    const keys = new Set(seen.map((s) => s.idempotencyKey));
    expect(keys.size).toBe(1);
    expect([...keys][0]).toMatch(/^[0-9a-f-]{36}$/);
    expect(replayed).toEqual(['true']); // the last attempt got the stored answer of the first
    const stored = await upstream.seshn.withScope(SCOPE).bookings.list({ serviceId });
    expect(stored.data.map((b) => b.id)).toEqual([booking.id]);
    expect(stored.data[0]).toEqual(booking);
    // Cancel so the slot is free for the other tests.
    await upstream.seshn.withScope(SCOPE).bookings.cancel(booking.id);
  });

  it('gives up after maxRetries (default 2) with the last answer as a SeshnError', async () => {
    plan = ['503', '503', '503', 'forward'];
    const error = await client()
      .bookings.get('bkg_00000001')
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SeshnError);
    expect(error).toMatchObject({ code: 'storage_error', status: 503, requestId: 'req_proxy3' });
    expect(seen).toHaveLength(3);
  });

  it('uses the caller’s key: withOptions({ idempotencyKey }) or the operation’s idempotencyKey field', async () => {
    plan = ['503', 'forward', '503', 'forward'];
    const seshn = client();
    const a = await seshn.withOptions({ idempotencyKey: 'order-42' }).contacts.create({ name: 'Key A' });
    const b = await seshn.bookings.create({ ...catalog, idempotencyKey: 'booking-7' });
    expect(seen.map((s) => s.idempotencyKey)).toEqual(['order-42', 'order-42', 'booking-7', 'booking-7']);
    expect(a.name).toBe('Key A');
    // Same key again: the stored booking, not a second one.
    const again = await seshn.bookings.create({ ...catalog, idempotencyKey: 'booking-7' });
    expect(again.id).toBe(b.id);
    await upstream.seshn.withScope(SCOPE).bookings.cancel(b.id);
  });

  it('never retries a 400, 404 or 409', async () => {
    const seshn = client({ maxRetries: 5 });
    await expect(seshn.bookings.create({ ...catalog, seats: 0 })).rejects.toMatchObject({
      code: 'validation_failed',
      status: 400,
    });
    expect(seen).toHaveLength(1);
    await expect(seshn.bookings.get('bkg_00009999')).rejects.toMatchObject({
      code: 'not_found',
      status: 404,
    });
    expect(seen).toHaveLength(2);
    const held = await seshn.bookings.create({ ...catalog, seats: 2 });
    await expect(seshn.bookings.create({ ...catalog, seats: 1 })).rejects.toMatchObject({
      code: 'slot_unavailable',
      status: 409,
    });
    expect(seen).toHaveLength(4);
    // Every error carries the server's request id.
    const error = (await seshn.bookings.get('bkg_00009999').catch((e: unknown) => e)) as SeshnError;
    expect(error.requestId).toMatch(/^req_/);
    await seshn.bookings.cancel(held.id);
  });
});
