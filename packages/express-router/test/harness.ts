/**
 * Real servers for the HTTP proofs: each mount (Express 5, Fastify 5, the bare fetch handler under
 * `node:http`) listening on 127.0.0.1:0, on each database (a SQLite file another process can open,
 * a scratch Postgres database per run), with an organization, its keys and a movable base clock.
 *
 * A test file calls `openDatabases()` once (top-level await), then `legs(databases)` gives one
 * entry per mount × database for `describe.each`; a Postgres server missing on a developer machine
 * gives a leg that says why it is not run (with `CI=true` it fails the run instead).
 * @module
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { getRequestListener } from '@hono/node-server';
import { createSeshn, type Seshn } from '@seshn/core';
import {
  ALL_WEEK,
  type MovableClock,
  movableClock,
  openScratchDatabase,
  type PgDriver,
  T0,
} from '@seshn/testing';
import express from 'express';
import Fastify from 'fastify';
import { createSeshnHandler, type SeshnHttpOptions, seshnFastify, seshnRouter } from '../src/index.js';
import { adapterFor, type DbSpec } from './db.js';

export { ALL_WEEK, adapterFor, type DbSpec, T0 };

// `pg` ships no types and this package has no @types/pg: @seshn/testing's driver type is enough.
const pg = createRequire(import.meta.url)('pg') as PgDriver;
export const HOUR = 3_600_000;
export const MINUTE = 60_000;
export const DAY = 24 * HOUR;
export const iso = (ms: number): string => new Date(ms).toISOString();

export type MountKind = 'express' | 'fastify' | 'handler';
export type DbKind = 'sqlite' | 'postgres';
export const MOUNTS: readonly MountKind[] = ['express', 'fastify', 'handler'];

export interface Databases {
  sqlite: DbSpec;
  /** `null` when the Postgres server is unreachable on a developer machine (CI=true throws instead). */
  postgres: DbSpec | null;
  /** Drops the scratch database and removes the SQLite directory. */
  close(): Promise<void>;
}

/** One SQLite file in a fresh temp directory and one scratch Postgres database, for one test file. */
export async function openDatabases(): Promise<Databases> {
  const dir = mkdtempSync(join(tmpdir(), 'seshn-http-'));
  const scratch = await openScratchDatabase('postgres', pg);
  return {
    sqlite: { kind: 'sqlite', filename: join(dir, 'seshn.db') },
    postgres: scratch ? { kind: 'postgres', url: scratch.url } : null,
    async close() {
      await scratch?.drop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export interface Leg {
  name: string;
  mount: MountKind;
  db: DbKind;
  /** The database, or `null` when it is not run here (then `reason` says why). */
  spec: DbSpec | null;
  reason?: string;
}

/** Every mount × database; a leg with `spec: null` is reported as not run, with its reason. */
export function legs(databases: Databases, mounts: readonly MountKind[] = MOUNTS): Leg[] {
  const out: Leg[] = [];
  for (const db of ['sqlite', 'postgres'] as const) {
    for (const mount of mounts) {
      const spec = databases[db];
      out.push({
        name: `${mount} on ${db}`,
        mount,
        db,
        spec,
        ...(spec
          ? {}
          : {
              reason:
                'the Postgres server is unreachable (set SESHN_TEST_POSTGRES_URL; CI=true makes this a failure)',
            }),
      });
    }
  }
  return out;
}

export interface RunningServer {
  /** `http://127.0.0.1:<port>/v1` */
  baseUrl: string;
  origin: string;
  close(): Promise<void>;
}

function closeNodeServer(server: Server): Promise<void> {
  return new Promise((resolve, reject) => {
    server.close((error) => (error ? reject(error) : resolve()));
    server.closeAllConnections();
  });
}

function listen(server: Server): Promise<string> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      resolve(`http://127.0.0.1:${port}`);
    });
  });
}

/** Starts `mount` serving `seshn` under `/v1` on a free loopback port. */
export async function startServer(
  mount: MountKind,
  seshn: Seshn,
  options: SeshnHttpOptions = {},
): Promise<RunningServer> {
  if (mount === 'fastify') {
    const app = Fastify({ logger: false });
    await app.register(seshnFastify, { ...options, seshn, prefix: '/v1' });
    const origin = await app.listen({ port: 0, host: '127.0.0.1' });
    return {
      origin,
      baseUrl: `${origin}/v1`,
      close: async () => {
        app.server.closeAllConnections();
        await app.close();
      },
    };
  }
  let server: Server;
  if (mount === 'express') {
    const app = express();
    app.use('/v1', seshnRouter(seshn, options));
    server = createServer(app);
  } else {
    const handler = createSeshnHandler(seshn, { ...options, basePath: '/v1' });
    server = createServer(getRequestListener(handler, { overrideGlobalObjects: false }));
  }
  const origin = await listen(server);
  return { origin, baseUrl: `${origin}/v1`, close: () => closeNodeServer(server) };
}

export interface Key {
  id: string;
  secret: string;
}

/** An organization with its keys. */
export interface Tenant {
  id: string;
  owner: Key;
  readonly: Key;
  staff: Key;
  testOwner: Key;
  publishable: Key;
  /** The embedded handle of the organization's live scope. */
  live: Seshn;
  test: Seshn;
}

let tenantCounter = 0;

/** A fresh organization with owner, staff, readonly and test-mode keys and a publishable key. */
export async function createTenant(seshn: Seshn, label: string): Promise<Tenant> {
  tenantCounter += 1;
  const org = await seshn.organizations.create({
    name: `${label} ${process.pid}-${tenantCounter}-${Math.random().toString(36).slice(2, 8)}`,
  });
  const live = seshn.withScope({ organizationId: org.id, mode: 'live' });
  const test = seshn.withScope({ organizationId: org.id, mode: 'test' });
  const key = async (input: Parameters<Seshn['apiKeys']['create']>[0], handle = live): Promise<Key> => {
    const created = await handle.apiKeys.create(input);
    return { id: created.id, secret: created.secret };
  };
  return {
    id: org.id,
    owner: await key({ name: 'owner', role: 'owner' }),
    staff: await key({ name: 'staff', role: 'staff' }),
    readonly: await key({ name: 'readonly', role: 'readonly' }),
    testOwner: await key({ name: 'test owner', role: 'owner', mode: 'test' }, test),
    publishable: await key({ name: 'widget', type: 'publishable' }),
    live,
    test,
  };
}

/** One answer: status, headers, the raw text and the parsed JSON (or `undefined`). */
export interface Reply {
  status: number;
  headers: Headers;
  text: string;
  // biome-ignore lint/suspicious/noExplicitAny: a JSON body, read by the assertions
  body: any;
}

export interface CallOptions {
  /** A secret or publishable key for `Authorization: Bearer …`. */
  key?: Key | string | null;
  body?: unknown;
  /** Sent as is (no JSON encoding, no content type unless given in `headers`). */
  raw?: string | Uint8Array;
  query?: Record<string, string | number | boolean | string[] | undefined>;
  headers?: Record<string, string>;
}

/** Calls the API at `baseUrl` with fetch. */
export async function call(
  baseUrl: string,
  method: string,
  path: string,
  options: CallOptions = {},
): Promise<Reply> {
  const url = new URL(baseUrl + path);
  for (const [name, value] of Object.entries(options.query ?? {})) {
    if (value === undefined) continue;
    if (Array.isArray(value)) for (const v of value) url.searchParams.append(name, v);
    else url.searchParams.set(name, String(value));
  }
  const headers: Record<string, string> = {};
  const key = options.key;
  if (key) headers.authorization = `Bearer ${typeof key === 'string' ? key : key.secret}`;
  let body: string | Uint8Array | undefined;
  if (options.raw !== undefined) body = options.raw;
  else if (options.body !== undefined) {
    body = JSON.stringify(options.body);
    headers['content-type'] = 'application/json';
  }
  Object.assign(headers, options.headers);
  const response = await fetch(url, { method, headers, body });
  const text = await response.text();
  let parsed: unknown;
  try {
    parsed = text === '' ? undefined : JSON.parse(text);
  } catch {
    parsed = undefined;
  }
  return { status: response.status, headers: response.headers, text, body: parsed };
}

/** A running mount on a database, with its tenant and clock. */
export interface Target {
  leg: Leg;
  /** The root embedded handle the server serves (base clock `clock`). */
  seshn: Seshn;
  clock: MovableClock;
  server: RunningServer;
  baseUrl: string;
  org: Tenant;
  /** A second organization on the same server (isolation). */
  other: Tenant;
  spec: DbSpec;
  /** `call` on this server (recorded in `answers`). */
  call(method: string, path: string, options?: CallOptions): Promise<Reply>;
  /** Every answer `call` got, for checking against the OpenAPI document. */
  answers: { method: string; path: string; status: number; body: unknown; request?: unknown }[];
  /** Another server of the same mount on the same handle, with other options (rate limits). */
  startServer(options: SeshnHttpOptions): Promise<RunningServer>;
  close(): Promise<void>;
}

/** Migrates, creates two organizations with their keys, and starts the leg's server. */
export async function openTarget(leg: Leg, options: SeshnHttpOptions = {}): Promise<Target> {
  if (!leg.spec) throw new Error(`${leg.name} is not run: ${leg.reason}`);
  const spec = leg.spec;
  const clock = movableClock(T0);
  const seshn = createSeshn({ adapter: adapterFor(spec), now: clock.now });
  await seshn.migrate();
  const org = await createTenant(seshn, `Org ${leg.name}`);
  const other = await createTenant(seshn, `Other ${leg.name}`);
  const server = await startServer(leg.mount, seshn, options);
  const extra: RunningServer[] = [];
  const answers: Target['answers'] = [];
  return {
    leg,
    seshn,
    clock,
    server,
    baseUrl: server.baseUrl,
    org,
    other,
    spec,
    answers,
    async call(method, path, callOptions) {
      const reply = await call(server.baseUrl, method, path, callOptions);
      answers.push({
        method,
        path: path.split('?')[0]!,
        status: reply.status,
        body: reply.body,
        request: callOptions?.body,
      });
      return reply;
    },
    async startServer(more) {
      const s = await startServer(leg.mount, seshn, more);
      extra.push(s);
      return s;
    },
    async close() {
      await Promise.all([server, ...extra].map((s) => s.close().catch(() => undefined)));
      await seshn.close();
    },
  };
}

/** The catalog most tests book on, created over HTTP with the owner key. */
export interface Catalog {
  room: { id: string };
  studio: { id: string };
  /** 60 min, grid 30, 15 min buffer after, flat 50.00 usd, open 24/7 UTC. */
  appointment: { id: string };
  /** A capacity-10 class, daily 09:00 and 18:00 UTC, per seat 15.00 usd, `public: true`. */
  yoga: { id: string };
  contact: { id: string; email: string };
}

export async function createCatalog(t: Target, key: Key, label = 'cat'): Promise<Catalog> {
  const ok = async (path: string, body: unknown) => {
    const r = await t.call('POST', path, { key, body });
    if (r.status !== 200) throw new Error(`POST ${path}: ${r.status} ${r.text}`);
    return r.body as { id: string };
  };
  const room = await ok('/resources', { name: 'Room', timezone: 'UTC', availability: { weekly: ALL_WEEK } });
  const studio = await ok('/resources', {
    name: 'Studio',
    timezone: 'UTC',
    availability: { weekly: ALL_WEEK },
  });
  const appointment = await ok('/services', {
    name: 'Appointment',
    kind: 'appointment',
    durationMinutes: 60,
    gridMinutes: 30,
    bufferAfterMinutes: 15,
    resourceIds: [room.id],
    pricing: { strategy: 'flat', amount: 5000, currency: 'usd' },
    horizonDays: null,
  });
  const yoga = await ok('/services', {
    name: 'Yoga',
    kind: 'class',
    durationMinutes: 60,
    capacity: 10,
    resourceIds: [studio.id],
    timetable: [{ resourceId: studio.id, rrule: 'FREQ=DAILY;BYHOUR=9,18', dtstart: '2030-01-01T09:00' }],
    pricing: { strategy: 'per_seat', unitAmount: 1500, currency: 'usd' },
    horizonDays: null,
    public: true,
  });
  const email = `${label}-${Math.random().toString(36).slice(2, 10)}@example.com`;
  const contact = await ok('/contacts', { name: `Jane ${label}`, email });
  return { room, studio, appointment, yoga, contact: { id: contact.id, email } };
}

const FIXTURES = fileURLToPath(new URL('./fixtures/', import.meta.url));
const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));

/** A server of the API in another OS process (`fixtures/serve.ts`), on the same database. */
export interface ServerProcess {
  baseUrl: string;
  pid: number;
  /** Stops that process (SIGTERM to its pid) and waits for it to exit. */
  stop(): Promise<void>;
}

/** Starts `fixtures/serve.ts` on `spec` with its base clock at `nowMs`; resolves once it listens. */
export function startServerProcess(spec: DbSpec, nowMs: number): Promise<ServerProcess> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [
        '--conditions=dev-source',
        '--import',
        'tsx',
        join(FIXTURES, 'serve.ts'),
        JSON.stringify({ spec, nowMs }),
      ],
      { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let out = '';
    let err = '';
    const exited = new Promise<void>((done) => child.once('exit', () => done()));
    child.stderr.on('data', (d) => {
      err += d;
    });
    child.once('exit', (code) =>
      reject(new Error(`serve.ts exited ${code} before listening: ${err.slice(0, 2000)}`)),
    );
    child.stdout.on('data', (d) => {
      out += d;
      const line = out.split('\n').find((l) => l.startsWith('{'));
      if (!line) return;
      const { url } = JSON.parse(line) as { url: string };
      resolve({
        baseUrl: url,
        pid: child.pid!,
        stop: async () => {
          if (child.exitCode === null) child.kill('SIGTERM');
          await exited;
        },
      });
    });
  });
}

/**
 * Runs `test/fixtures/<script>` in a new OS process (`node --conditions=dev-source --import tsx`)
 * with `args` as its JSON argument; resolves with the JSON its last stdout line prints.
 */
export function runFixture<T = unknown>(script: string, args: unknown): Promise<T> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ['--conditions=dev-source', '--import', 'tsx', join(FIXTURES, script), JSON.stringify(args)],
      { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => {
      out += d;
    });
    child.stderr.on('data', (d) => {
      err += d;
    });
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) return reject(new Error(`${script} exited ${code}: ${err.slice(0, 2000)}`));
      try {
        resolve(JSON.parse(out.trim().split('\n').pop() ?? 'null') as T);
      } catch {
        reject(new Error(`${script} printed no JSON: ${out.slice(0, 500)} ${err.slice(0, 500)}`));
      }
    });
  });
}
