import type { AddressInfo } from 'node:net';
import { sqliteAdapter } from '@seshn/adapter-sqlite';
import { createSeshn } from '@seshn/core';
import express from 'express';
import Fastify from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HttpSeshn } from './core.js';

// biome-ignore lint/suspicious/noExplicitAny: tests read response JSON freely
type Json = any;
const json = (response: Response): Promise<Json> => response.json();

import { seshnRouter } from './express.js';
import { seshnFastify } from './fastify.js';

const seshn = createSeshn({ adapter: sqliteAdapter({ filename: ':memory:' }) }) as HttpSeshn;
let secret: string;
const closers: Array<() => Promise<void>> = [];

beforeAll(async () => {
  await seshn.migrate();
  const org = await seshn.organizations.create({ name: 'Mounts' });
  ({ secret } = await seshn.withScope({ organizationId: org.id, mode: 'test' }).apiKeys.create({
    name: 'mounts',
    role: 'owner',
  }));
});
afterAll(async () => {
  for (const close of closers) await close();
  await seshn.close();
});

async function expressBase(withJsonParser: boolean): Promise<string> {
  const app = express();
  // A parser before the router spends the stream: the mount re-encodes the parsed body.
  if (withJsonParser) app.use(express.json());
  app.use('/v1', seshnRouter(seshn));
  const server = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  closers.push(() => new Promise((resolve) => server.close(() => resolve())));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
}

async function fastifyBase(): Promise<string> {
  const app = Fastify();
  await app.register(seshnFastify, { seshn, prefix: '/v1', bodyLimit: 1000 });
  const address = await app.listen({ port: 0, host: '127.0.0.1' });
  closers.push(() => app.close());
  return `${address}/v1`;
}

// `ownsParsing`: malformed JSON reaches the router (after express.json() the app's parser answers it).
const mounts: Array<[string, () => Promise<string>, boolean]> = [
  ['express', () => expressBase(false), true],
  ['express after express.json()', () => expressBase(true), false],
  ['fastify', fastifyBase, true],
];

describe.each(mounts)('the %s mount', (_name, start, ownsParsing) => {
  let base: string;
  beforeAll(async () => {
    base = await start();
  });
  const auth = () => ({ authorization: `Bearer ${secret}` });

  it('routes an operation, with its body, and answers JSON with a Request-Id', async () => {
    const created = await fetch(`${base}/contacts`, {
      method: 'POST',
      headers: { ...auth(), 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'Ada' }),
    });
    expect(created.status).toBe(200);
    expect(created.headers.get('request-id')).toMatch(/^req_/);
    const contact = await json(created);
    const got = await fetch(`${base}/contacts/${contact.id}`, { headers: auth() });
    expect(await json(got)).toEqual(contact);
  });

  it('answers errors and the document in the API shape', async () => {
    const missing = await fetch(`${base}/nowhere`, { headers: auth() });
    expect(missing.status).toBe(404);
    expect((await json(missing)).error.code).toBe('not_found');
    const bad = await fetch(`${base}/contacts`, {
      method: 'POST',
      headers: { ...auth(), 'content-type': 'application/json' },
      body: ownsParsing ? '{"name":' : '{"name":1}',
    });
    expect(bad.status).toBe(400);
    expect((await json(bad)).error.code).toBe('validation_failed');
    const doc = await fetch(`${base}/openapi.json`);
    expect(await json(doc)).toMatchObject({ openapi: '3.1.0', servers: [{ url: '/v1' }] });
  });
});

describe('the fastify mount', () => {
  it('answers a body over the limit with 413 payload_too_large', async () => {
    const base = await fastifyBase();
    const big = await fetch(`${base}/contacts`, {
      method: 'POST',
      headers: { authorization: `Bearer ${secret}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'x'.repeat(5000) }),
    });
    expect(big.status).toBe(413);
    expect((await json(big)).error).toMatchObject({
      code: 'payload_too_large',
      requestId: big.headers.get('request-id'),
    });
  });
});
