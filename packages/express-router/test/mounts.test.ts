/**
 * The mounts inside real applications: Express with a JSON body parser running before the router
 * (the stream is already read), Fastify with routes and a JSON parser of its own next to the
 * plugin, and each mount under a deeper prefix. On the SQLite file (the mounts do not depend on
 * the database; http.test.ts runs both).
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { getRequestListener } from '@hono/node-server';
import { createSeshn } from '@seshn/core';
import express from 'express';
import Fastify from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSeshnHandler, seshnFastify, seshnRouter } from '../src/index.js';
import { expectError, expectOk, unique } from './assertions.js';
import { adapterFor, call, createTenant, openDatabases, type Tenant } from './harness.js';

const databases = await openDatabases();
const seshn = createSeshn({ adapter: adapterFor(databases.sqlite) });
let org: Tenant;
const closers: (() => Promise<void>)[] = [];
beforeAll(async () => {
  await seshn.migrate();
  org = await createTenant(seshn, 'Mounts');
});
afterAll(async () => {
  await Promise.all(closers.map((close) => close().catch(() => undefined)));
  await seshn.close();
  await databases.close();
});

async function listen(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  closers.push(
    () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  );
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/** What every mount must still do: create over JSON, replay it, refuse bad JSON in the API's shape. */
async function exercise(baseUrl: string, { parserInFront = false } = {}) {
  const name = unique('Mounted');
  const key = unique('mount');
  const created = await call(baseUrl, 'POST', '/contacts', {
    key: org.owner,
    body: { name, email: `${key}@example.com` },
    headers: { 'idempotency-key': key },
  });
  expect(expectOk(created)).toMatchObject({ object: 'contact', name });
  const replay = await call(baseUrl, 'POST', '/contacts', {
    key: org.owner,
    body: { name, email: `${key}@example.com` },
    headers: { 'idempotency-key': key },
  });
  expect(replay.headers.get('idempotent-replayed')).toBe('true');
  expect(replay.text).toBe(created.text);
  // An empty body (confirm takes only the path) and a GET with a query string.
  const found = expectOk(
    await call(baseUrl, 'GET', '/contacts/search', { key: org.owner, query: { query: name } }),
  );
  expect(found.data.map((c: { id: string }) => c.id)).toEqual([created.body.id]);
  // Bad JSON: the app's own parser answers it when it runs first (Express's 400, not ours).
  if (!parserInFront) {
    expectError(
      await call(baseUrl, 'POST', '/contacts', {
        key: org.owner,
        raw: '{"name":',
        headers: { 'content-type': 'application/json' },
      }),
      400,
      'validation_failed',
    );
  }
  expectError(await call(baseUrl, 'GET', '/nothing-here', { key: org.owner }), 404, 'not_found');
}

describe('Express 5', () => {
  it('after app.use(express.json()), next to routes of its own, at /v1', async () => {
    const app = express();
    app.use(express.json());
    app.post('/hello', (req, res) => {
      res.json({ echoed: req.body });
    });
    app.use('/v1', seshnRouter(seshn));
    const origin = await listen(createServer(app));
    await exercise(`${origin}/v1`, { parserInFront: true });
    const hello = await call(origin, 'POST', '/hello', { body: { a: 1 } });
    expect(hello.body).toEqual({ echoed: { a: 1 } });
  });

  it('with express.json({ verify }) keeping the raw bytes, under /api/v1', async () => {
    const app = express();
    app.use(
      express.json({
        verify: (req, _res, buf) => {
          (req as unknown as { rawBody: Buffer }).rawBody = buf;
        },
      }),
    );
    app.use('/api/v1', seshnRouter(seshn));
    const origin = await listen(createServer(app));
    await exercise(`${origin}/api/v1`, { parserInFront: true });
  });
});

describe('Fastify 5', () => {
  it('registered next to JSON routes of the app, at /v1 and at /api/v1', async () => {
    const app = Fastify({ logger: false });
    app.post('/hello', async (request) => ({ echoed: request.body }));
    await app.register(seshnFastify, { seshn, prefix: '/v1' });
    await app.register(seshnFastify, { seshn, prefix: '/api/v1' });
    const origin = await app.listen({ port: 0, host: '127.0.0.1' });
    closers.push(async () => {
      app.server.closeAllConnections();
      await app.close();
    });
    await exercise(`${origin}/v1`);
    await exercise(`${origin}/api/v1`);
    const hello = await call(origin, 'POST', '/hello', { body: { a: 1 } });
    expect(hello.body).toEqual({ echoed: { a: 1 } });
    const outside = await call(origin, 'GET', '/elsewhere');
    expect(outside.status).toBe(404);
  });
});

describe('the bare handler', () => {
  it('with basePath /api/v1 under node:http, and called directly with a web Request', async () => {
    const handler = createSeshnHandler(seshn, { basePath: '/api/v1' });
    const origin = await listen(createServer(getRequestListener(handler, { overrideGlobalObjects: false })));
    await exercise(`${origin}/api/v1`);
    const direct = await handler(
      new Request('http://any.host/api/v1/services', {
        headers: { authorization: `Bearer ${org.owner.secret}` },
      }),
    );
    expect(direct.status).toBe(200);
    expect(direct.headers.get('request-id')).toMatch(/^req_/);
    expect(await direct.json()).toMatchObject({ data: [], hasMore: false });
  });
});
