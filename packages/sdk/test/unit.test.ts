/** Query and body encoding, error mapping, backoff bounds and the retry policy, with a stub fetch. */
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { errorFromResponse } from '../src/errors.js';
import {
  apiRoot,
  backoffDelay,
  encodeQuery,
  encodeRequest,
  type FetchLike,
  inputOf,
  parseRetryAfter,
  randomUuid,
  retryableStatus,
  routeList,
  Seshn,
  SeshnError,
} from '../src/index.js';

const route = (name: string) => routeList.find((r) => r.name === name)!;

describe('encoding', () => {
  it('GET: path fields substituted and encoded, the rest in the query (arrays repeated, Dates ISO, objects JSON)', () => {
    expect(encodeRequest(route('bookings.get'), { id: 'bkg_a/b c' })).toEqual({
      method: 'GET',
      path: '/bookings/bkg_a%2Fb%20c',
      body: undefined,
    });
    const { path } = encodeRequest(route('bookings.list'), {
      status: ['held', 'confirmed'],
      from: new Date('2030-01-07T09:00:00Z'),
      limit: 10,
      metadata: { a: 1 },
      contactId: undefined,
    });
    const url = new URL(`http://x${path}`);
    expect(url.pathname).toBe('/bookings');
    expect(url.searchParams.getAll('status')).toEqual(['held', 'confirmed']);
    expect(url.searchParams.get('from')).toBe('2030-01-07T09:00:00.000Z');
    expect(url.searchParams.get('limit')).toBe('10');
    expect(url.searchParams.get('metadata')).toBe('{"a":1}');
    expect(url.searchParams.has('contactId')).toBe(false);
    expect(encodeQuery({})).toBe('');
    expect(encodeQuery({ a: [] })).toBe('');
    expect(encodeQuery({ q: 'a&b=c' })).toBe('?q=a%26b%3Dc');
  });

  it('POST/PATCH: JSON body without the path fields', () => {
    const r = encodeRequest(route('bookingSeries.cancelOccurrence'), { id: 'bks_1', index: 3, reason: 'x' });
    expect(r).toEqual({
      method: 'POST',
      path: '/booking-series/bks_1/occurrences/3/cancel',
      body: '{"reason":"x"}',
    });
    const p = encodeRequest(route('services.update'), { id: 'svc_1', capacity: 4, startTime: new Date(0) });
    expect(p.method).toBe('PATCH');
    expect(JSON.parse(p.body!)).toEqual({ capacity: 4, startTime: '1970-01-01T00:00:00.000Z' });
    expect(encodeRequest(route('testClock.get'), undefined)).toEqual({
      method: 'GET',
      path: '/test-clock',
      body: undefined,
    });
  });

  it('a missing path field is validation_failed naming it, before any request', () => {
    expect(() => encodeRequest(route('bookings.get'), {})).toThrow(
      expect.objectContaining({
        code: 'validation_failed',
        details: { fields: [{ path: 'id', message: 'Required' }] },
      }),
    );
  });

  it('call forms are the handle’s (core inputOf)', () => {
    expect(inputOf(route('bookings.get'), ['bkg_1'])).toEqual({ id: 'bkg_1' });
    expect(inputOf(route('bookings.get'), [{ id: 'bkg_1' }])).toEqual({ id: 'bkg_1' });
    expect(inputOf(route('bookings.cancel'), ['bkg_1', { reason: 'ill', id: 'other' }])).toEqual({
      id: 'bkg_1',
      reason: 'ill',
    });
    expect(inputOf(route('bookingSeries.cancelOccurrence'), ['bks_1', 3])).toEqual({ id: 'bks_1', index: 3 });
    expect(inputOf(route('bookings.list'), [])).toBeUndefined();
    expect(() => inputOf(route('bookings.cancel'), ['bkg_1', 'ill'])).toThrow(SeshnError);
  });

  it('query values round-trip through URLSearchParams', () => {
    fc.assert(
      fc.property(
        fc.dictionary(fc.string({ minLength: 1 }), fc.array(fc.string(), { minLength: 1, maxLength: 3 })),
        (input) => {
          const params = new URLSearchParams(encodeQuery(input).slice(1));
          for (const [k, v] of Object.entries(input)) expect(params.getAll(k)).toEqual(v);
        },
      ),
    );
  });
});

describe('errors', () => {
  it('the server’s error body becomes a SeshnError with code, message, details, requestId and status', () => {
    const e = errorFromResponse(
      409,
      {
        error: {
          code: 'slot_unavailable',
          message: 'Only 1 seat left',
          details: { remaining: 1 },
          requestId: 'req_1',
        },
      },
      'req_header',
    );
    expect(e).toBeInstanceOf(SeshnError);
    expect(e).toBeInstanceOf(Error);
    expect(e.toJSON()).toEqual({
      code: 'slot_unavailable',
      message: 'Only 1 seat left',
      details: { remaining: 1 },
      requestId: 'req_1',
      status: 409,
    });
    expect(e.name).toBe('SeshnError');
  });

  it('a body that is not the API’s (a proxy’s page) still gives a code from the status', () => {
    expect(errorFromResponse(502, '<html>bad gateway</html>', null)).toMatchObject({
      code: 'internal_error',
      status: 502,
    });
    expect(errorFromResponse(404, null, 'req_9')).toMatchObject({ code: 'not_found', requestId: 'req_9' });
    expect(errorFromResponse(429, {}, null).code).toBe('rate_limited');
  });
});

describe('backoff and retry policy', () => {
  it('full jitter stays within [0, min(max, base·2^attempt))', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 40 }),
        fc.integer({ min: 1, max: 5000 }),
        fc.integer({ min: 1, max: 60_000 }),
        fc.double({ min: 0, max: 0.999999, noNaN: true }),
        (attempt, baseDelayMs, maxDelayMs, r) => {
          const d = backoffDelay(attempt, { baseDelayMs, maxDelayMs }, () => r);
          expect(d).toBeGreaterThanOrEqual(0);
          expect(d).toBeLessThan(Math.max(1, Math.min(maxDelayMs, baseDelayMs * 2 ** attempt)));
        },
      ),
    );
    expect(backoffDelay(0, {}, () => 0.999)).toBeLessThan(500);
    expect(backoffDelay(10, {}, () => 0.999)).toBeLessThan(8000);
  });

  it('Retry-After: seconds or an HTTP date, capped at 60 s', () => {
    expect(parseRetryAfter('0')).toBe(0);
    expect(parseRetryAfter('2')).toBe(2000);
    expect(parseRetryAfter('100000')).toBe(60_000);
    expect(parseRetryAfter(new Date(10_000).toUTCString(), 5_000)).toBe(5000);
    expect(parseRetryAfter(null)).toBeNull();
    expect(parseRetryAfter('soon')).toBeNull();
  });

  it('429 and 503 always; 500/502/504 only for calls that change nothing; never another 4xx', () => {
    for (const mutates of [true, false]) {
      expect(retryableStatus(429, mutates)).toBe(true);
      expect(retryableStatus(503, mutates)).toBe(true);
      for (const s of [400, 401, 403, 404, 405, 409, 413, 415, 422])
        expect(retryableStatus(s, mutates)).toBe(false);
    }
    expect(retryableStatus(500, false)).toBe(true);
    expect(retryableStatus(500, true)).toBe(false);
  });
});

/** A fetch answering from `answers` in turn, recording each request. */
function stubFetch(answers: Array<(() => Promise<Response>) | Response>) {
  const calls: { url: string; init: RequestInit }[] = [];
  const fetch: FetchLike = async (url, init) => {
    calls.push({ url, init });
    const next = answers[Math.min(calls.length - 1, answers.length - 1)]!;
    return typeof next === 'function' ? next() : next.clone();
  };
  return { fetch, calls };
}
const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json', ...headers } });
const fail = (code: string) => json(500, { error: { code, message: code, details: {}, requestId: 'req_x' } });

describe('the client with a stub fetch', () => {
  const options = { baseUrl: 'https://api.example.com', backoff: { baseDelayMs: 1 } };

  it('retries a 500 for a read, not for a write', async () => {
    const read = stubFetch([fail('internal_error'), json(200, { id: 'bkg_1' })]);
    await expect(
      new Seshn('sk_test_x', { ...options, fetch: read.fetch }).bookings.get('bkg_1'),
    ).resolves.toEqual({ id: 'bkg_1' });
    expect(read.calls).toHaveLength(2);
    const write = stubFetch([fail('internal_error'), json(200, {})]);
    const seshn = new Seshn('sk_test_x', { ...options, fetch: write.fetch });
    await expect(seshn.contacts.create({ name: 'A' })).rejects.toMatchObject({
      code: 'internal_error',
      status: 500,
    });
    expect(write.calls).toHaveLength(1);
    // availability.slots is a POST that changes nothing: a 500 is retried.
    const slots = stubFetch([fail('internal_error'), json(200, [])]);
    await new Seshn('sk_test_x', { ...options, fetch: slots.fetch }).availability.slots('svc_1', {
      from: '2030-01-01',
      to: '2030-01-02',
    });
    expect(slots.calls).toHaveLength(2);
  });

  it('a network failure is connection_error, a slow answer timeout; both retried, then thrown', async () => {
    const down = stubFetch([() => Promise.reject(new TypeError('fetch failed'))]);
    const e1 = await new Seshn('sk_test_x', { ...options, fetch: down.fetch }).bookings
      .get('bkg_1')
      .catch((e) => e);
    expect(e1).toMatchObject({ code: 'connection_error', status: null });
    expect(down.calls).toHaveLength(3);
    const slow: FetchLike = (_url, init) =>
      new Promise((_resolve, reject) =>
        init.signal!.addEventListener('abort', () => reject(new DOMException('aborted', 'AbortError'))),
      );
    let n = 0;
    const counting: FetchLike = (url, init) => {
      n++;
      return slow(url, init);
    };
    const e2 = await new Seshn('sk_test_x', {
      ...options,
      fetch: counting,
      timeoutMs: 20,
      maxRetries: 1,
    }).bookings
      .get('bkg_1')
      .catch((e) => e);
    expect(e2).toMatchObject({ code: 'timeout' });
    expect(n).toBe(2);
  });

  it('a real refused connection is connection_error', async () => {
    const e = await new Seshn('sk_test_x', { baseUrl: 'http://127.0.0.1:1', maxRetries: 0 }).bookings
      .get('bkg_1')
      .catch((x) => x);
    expect(e).toBeInstanceOf(SeshnError);
    expect(e.code).toBe('connection_error');
  });

  it('an aborted call is aborted and not retried', async () => {
    const controller = new AbortController();
    controller.abort();
    const stub = stubFetch([json(200, {})]);
    const e = await new Seshn('sk_test_x', { ...options, fetch: stub.fetch })
      .withOptions({ signal: controller.signal })
      .bookings.get('bkg_1')
      .catch((x) => x);
    expect(e.code).toBe('aborted');
    expect(stub.calls).toHaveLength(0);
  });

  it('sends the key, the public organization, Idempotency-Key on POST only, JSON content type with a body only', async () => {
    const stub = stubFetch([json(200, { data: [], hasMore: false })]);
    await new Seshn('pk_test_abc', { ...options, fetch: stub.fetch }).services.list({ limit: 5 });
    await new Seshn({
      organizationId: 'org_1',
      mode: 'test',
      ...options,
      fetch: stub.fetch,
    }).availability.query({
      serviceId: 'svc_1',
      from: '2030-01-01',
      to: '2030-01-02',
    });
    await new Seshn('sk_test_x', { ...options, fetch: stub.fetch }).bookings.create({
      slotId: 'slot_x',
      contactId: 'ct_1',
    });
    const [list, pub, create] = stub.calls.map((c) => ({
      url: c.url,
      h: c.init.headers as Record<string, string>,
    }));
    expect(list!.url).toBe('https://api.example.com/v1/services?limit=5');
    expect(list!.h.Authorization).toBe('Bearer pk_test_abc');
    expect(list!.h['Idempotency-Key']).toBeUndefined();
    expect(list!.h['Content-Type']).toBeUndefined();
    expect(pub!.h.Authorization).toBeUndefined();
    expect(pub!.h['Seshn-Organization']).toBe('org_1');
    expect(pub!.h['Seshn-Mode']).toBe('test');
    expect(create!.h['Idempotency-Key']).toMatch(
      /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    );
    expect(create!.h['Content-Type']).toBe('application/json');
  });

  it('call(name, input) calls an operation by name; an unknown name is not_found', async () => {
    const stub = stubFetch([json(200, { id: 'bkg_1', status: 'confirmed' })]);
    const seshn = new Seshn('sk_test_x', { ...options, fetch: stub.fetch });
    await expect(seshn.call('bookings.confirm', { id: 'bkg_1' })).resolves.toEqual({
      id: 'bkg_1',
      status: 'confirmed',
    });
    expect(stub.calls[0]!.url).toBe('https://api.example.com/v1/bookings/bkg_1/confirm');
    expect(stub.calls[0]!.init.method).toBe('POST');
    await expect(seshn.call('organizations.create', {})).rejects.toMatchObject({ code: 'not_found' });
  });

  it('walks every page with startingAfter = the last id', async () => {
    const stub = stubFetch([
      json(200, { data: [{ id: 'a' }, { id: 'b' }], hasMore: true }),
      json(200, { data: [{ id: 'c' }], hasMore: true }),
      json(200, { data: [], hasMore: false }),
    ]);
    const seshn = new Seshn('sk_test_x', { ...options, fetch: stub.fetch });
    const ids: string[] = [];
    for await (const b of seshn.bookings.list({ limit: 2, status: 'held' })) ids.push(b.id);
    expect(ids).toEqual(['a', 'b', 'c']);
    expect(stub.calls.map((c) => new URL(c.url).search)).toEqual([
      '?limit=2&status=held',
      '?limit=2&status=held&startingAfter=b',
      '?limit=2&status=held&startingAfter=c',
    ]);
  });

  it('baseUrl: the origin or the /v1 root', () => {
    expect(apiRoot('https://api.example.com')).toBe('https://api.example.com/v1');
    expect(apiRoot('https://api.example.com/')).toBe('https://api.example.com/v1');
    expect(apiRoot('http://127.0.0.1:3000/v1/')).toBe('http://127.0.0.1:3000/v1');
    expect(apiRoot('https://x.example/seshn')).toBe('https://x.example/seshn/v1');
    expect(() => new Seshn('sk_x', { baseUrl: 'nope' })).toThrow(SeshnError);
    expect(() => new Seshn('', { baseUrl: 'http://x' })).toThrow(SeshnError);
  });

  it('randomUuid is a v4 UUID', () => {
    expect(randomUuid()).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });
});

describe('the built output', () => {
  const dist = fileURLToPath(new URL('../dist/index.js', import.meta.url));
  it.runIf(existsSync(dist))('dist/index.js imports nothing (after pnpm build)', () => {
    const text = readFileSync(dist, 'utf8');
    expect(text).not.toMatch(/^\s*import\s/m);
    expect(text).not.toMatch(/\bimport\s*\(|\brequire\s*\(/);
    expect(text).toMatch(/export \{[^}]*\bSeshn\b/);
  });
});
