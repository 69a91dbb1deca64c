/**
 * The HTTP API over loopback against the same operations called in-process, in the same run.
 *
 * A server process (this file, forked with `--http-bench-server`) holds the Seshn handle on one
 * database and serves it twice on 127.0.0.1: the bare fetch handler through `node:http`
 * (`seshnListener`: `createSeshnHandler` behind @hono/node-server's bridge) and the Express 5
 * mount (`app.use('/v1', seshnRouter(seshn))`). This process drives them with autocannon at 1, 8
 * and 32 connections; then the server process calls the same operation in-process with as many
 * promises in flight: on its embedded handle (`seshn.withScope(…)`: no HTTP, no key); "keyed",
 * doing per call what the HTTP handler asks of core (`authenticate` + `withPrincipal`: key lookup,
 * authorization, an audit entry per write); and, at 1 connection, through the fetch handler itself
 * with a web `Request` (the HTTP layer without node:http and the socket). Client and server are
 * separate processes, so autocannon's own work does not run on the server's event loop.
 *
 * Primary: the bare handler through `node:http`. It is the layer this package adds and every
 * mount shares (Express and Fastify wrap the same handler), so its ratio to in-process is the
 * cost of the HTTP API itself; the Express mount is measured once per operation (8 connections)
 * to show what Express adds on top.
 *
 * Operations: `GET /v1/availability` (one service, one day); `POST /v1/bookings` on a hot slot
 * (one class session of 100,000 seats, a fresh session per measurement so it never fills) and on
 * spread slots (an appointment service on 8 resources, every request a different 15-minute slot).
 * Each HTTP request carries a test-mode owner key (authenticated on every request, a hash and a
 * database read) and each write through it appends its audit entry in the same transaction — the
 * embedded handle does neither (the keyed runs do), so both are part of the HTTP cost against
 * the embedded p50. Rate limiting is off
 * (`rateLimit: false`): the default 100 requests per second per key would cap the measurement.
 *
 * Latency per request in ms from autocannon's per-response timings (hrtime, not its 1-ms
 * histogram); only 2xx count. Databases: a SQLite file (WAL) and a scratch Postgres database
 * (openScratchDatabase; skipped with the reason when the server is unreachable).
 *
 * Knobs (environment): SESHN_BENCH_HTTP_SECONDS (each measured window, default 2; the whole
 * benchmark takes about 3 minutes), SESHN_BENCH_HTTP_WARMUP (default 0.5),
 * SESHN_BENCH_HTTP_CONNECTIONS (default "1,8,32"), SESHN_BENCH_HTTP_DATABASES (default
 * "sqlite,postgres"). Run alone: `pnpm bench http`.
 * @module
 */
import { type ChildProcess, fork } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { postgresAdapter } from '../packages/adapter-postgres/src/index.js';
import { sqliteAdapter } from '../packages/adapter-sqlite/src/index.js';
import { createSeshn, type Seshn, SeshnError } from '../packages/core/src/index.js';
import { createSeshnHandler, seshnListener, seshnRouter } from '../packages/express-router/src/index.js';
import { openScratchDatabase, redact, serverUrl } from '../packages/testing/src/databases.js';
import { drivers } from './lib/drivers.js';
import { OPEN_ALL_WEEK } from './lib/hours.js';
import { cpuSplit, latencySummary, nowUs, procTicks, sleep } from './lib/measure.js';

const SECONDS = Number(process.env.SESHN_BENCH_HTTP_SECONDS ?? 2);
const WARMUP = Number(process.env.SESHN_BENCH_HTTP_WARMUP ?? 0.5);
const LEVELS = (process.env.SESHN_BENCH_HTTP_CONNECTIONS ?? '1,8,32').split(',').map(Number);
const DATABASES = (process.env.SESHN_BENCH_HTTP_DATABASES ?? 'sqlite,postgres').split(',') as DbKind[];
const EXPRESS_LEVEL = 8;
const TARGET = 1.3;
const NOW = Date.parse('2030-01-01T00:00:00Z');
const DAY = 86_400_000;
const SLOT = 15 * 60_000;
const SPREAD_RESOURCES = 8;
/** Each measurement's spread slots start on a day of their own, this many days apart. */
const SPREAD_DAYS_PER_RUN = 400;

type DbKind = 'sqlite' | 'postgres';
/**
 * How the server process calls the operation in-process: the embedded handle; with a key
 * (`authenticate` + `withPrincipal` per call: what the HTTP handler asks of core); or the fetch
 * handler itself with a web `Request` (the whole HTTP layer but node:http and the socket).
 */
type Via = 'embedded' | 'keyed' | 'handler';
type Op = 'availability' | 'hot' | 'spread';
const OPS: Op[] = ['availability', 'hot', 'spread'];
const OP_LABEL: Record<Op, string> = {
  availability: '`GET /v1/availability` (1 service, 1 day)',
  hot: '`POST /v1/bookings` hot slot',
  spread: '`POST /v1/bookings` spread slots',
};

const HERE = fileURLToPath(import.meta.url);
const fromRouter = createRequire(join(dirname(HERE), '..', 'packages', 'express-router', 'package.json'));

const log = (message: string) => process.stderr.write(`[http] ${message}\n`);

// ── What the two processes say to each other ───────────────────────────────────────────────────

type DbSpec = { kind: 'sqlite'; filename: string } | { kind: 'postgres'; url: string };

interface Fixture {
  secret: string;
  availabilityServiceId: string;
  hotServiceId: string;
  spreadServiceId: string;
  spreadResourceIds: string[];
  contactId: string;
}

type ToServer =
  | { type: 'setup'; db: DbSpec; poolSize: number }
  | { type: 'inproc'; op: Op; k: number; run: number; seconds: number; warmup: number; via: Via }
  | { type: 'close' };

type FromServer =
  | { type: 'listening' }
  | { type: 'ready'; ports: { handler: number; express: number }; fixture: Fixture }
  | { type: 'inproc'; result: Measured }
  | { type: 'error'; message: string };

interface Measured {
  perS: number;
  ok: number;
  errors: number;
  errorSamples: Record<string, number>;
  p50Ms: number | null;
  p99Ms: number | null;
}

// ── The request of each operation ──────────────────────────────────────────────────────────────

/** The session of the hot slot of measurement `run`: its day's 10:00 class. */
const hotStart = (run: number) => new Date(NOW + (7 + run) * DAY + 10 * 3_600_000).toISOString();

/** The `i`-th spread slot of measurement `run`: resource i mod 8, each resource's slots in turn. */
function spreadSlot(f: Fixture, run: number, i: number): { resourceId: string; startTime: string } {
  const base = NOW + 30 * DAY + run * SPREAD_DAYS_PER_RUN * DAY;
  return {
    resourceId: f.spreadResourceIds[i % SPREAD_RESOURCES] as string,
    startTime: new Date(base + Math.floor(i / SPREAD_RESOURCES) * SLOT).toISOString(),
  };
}

const AVAILABILITY_DAY = { from: '2030-01-08T00:00:00.000Z', to: '2030-01-09T00:00:00.000Z' };

// ── Server process ─────────────────────────────────────────────────────────────────────────────

async function makeFixture(root: Seshn): Promise<{ scope: Seshn; fixture: Fixture }> {
  const org = await root.organizations.create({ name: 'HTTP bench' });
  const scope = root.withScope({ organizationId: org.id, mode: 'test' });
  const key = await scope.apiKeys.create({ name: 'bench', role: 'owner', mode: 'test' });
  const room = await scope.resources.create({
    name: 'Room',
    timezone: 'UTC',
    availability: { weekly: OPEN_ALL_WEEK },
  });
  const availability = await scope.services.create({
    name: 'Consultation',
    kind: 'appointment',
    durationMinutes: 60,
    gridMinutes: 15,
    resourceIds: [room.id],
    horizonDays: null,
  });
  const hall = await scope.resources.create({
    name: 'Hall',
    timezone: 'UTC',
    availability: { weekly: OPEN_ALL_WEEK },
  });
  const hot = await scope.services.create({
    name: 'Hot class',
    kind: 'class',
    durationMinutes: 60,
    capacity: 100_000,
    resourceIds: [hall.id],
    timetable: [{ resourceId: hall.id, rrule: 'FREQ=DAILY;BYHOUR=10', dtstart: '2030-01-01T10:00' }],
    horizonDays: null,
  });
  const desks = [];
  for (let i = 0; i < SPREAD_RESOURCES; i++) {
    desks.push(
      await scope.resources.create({
        name: `Desk ${i}`,
        timezone: 'UTC',
        availability: { weekly: OPEN_ALL_WEEK },
      }),
    );
  }
  const spread = await scope.services.create({
    name: 'Spread',
    kind: 'appointment',
    durationMinutes: 15,
    gridMinutes: 15,
    resourceIds: desks.map((d) => d.id),
    horizonDays: null,
  });
  const contact = await scope.contacts.create({ name: 'Bench' });
  // A few bookings on the availability day, so the query has occupations to subtract.
  for (const h of [9, 12, 15]) {
    await scope.bookings.create({
      serviceId: availability.id,
      contactId: contact.id,
      startTime: new Date(Date.parse(AVAILABILITY_DAY.from) + h * 3_600_000).toISOString(),
    });
  }
  return {
    scope,
    fixture: {
      secret: key.secret,
      availabilityServiceId: availability.id,
      hotServiceId: hot.id,
      spreadServiceId: spread.id,
      spreadResourceIds: desks.map((d) => d.id),
      contactId: contact.id,
    },
  };
}

/** Runs the operation in-process (`m.via`) with `k` in flight, measured like the HTTP side. */
async function inProcess(
  root: Seshn,
  scope: Seshn,
  handler: (request: Request) => Promise<Response>,
  f: Fixture,
  m: Extract<ToServer, { type: 'inproc' }>,
): Promise<Measured> {
  let i = 0;
  let n = 0;
  if (m.via === 'handler') {
    const auth = { authorization: `Bearer ${f.secret}`, 'content-type': 'application/json' };
    // One descriptor for the whole run: its counter gives every spread request its own slot.
    const r = requestFor(m.op, f, m.run);
    const viaHandler = async () => {
      const body =
        'setupRequest' in r ? r.setupRequest?.({ method: r.method, path: r.path }).body : undefined;
      const response = await handler(
        new Request(`http://seshn.bench${r.path}`, { method: r.method, headers: auth, body }),
      );
      const text = await response.text();
      if (response.status >= 300) throw new Error(`${response.status} ${text.slice(0, 100)}`);
    };
    return closedLoops(m.k, m.seconds, m.warmup, viaHandler);
  }
  const handle = async () => {
    if (m.via === 'embedded') return scope;
    const principal = await root.authenticate(f.secret);
    if (!principal) throw new Error('the bench key did not authenticate');
    return root.withPrincipal(principal, { requestId: `req_bench${++n}` });
  };
  const call: Record<Op, () => Promise<unknown>> = {
    availability: async () =>
      (await handle()).availability.query({ serviceId: f.availabilityServiceId, ...AVAILABILITY_DAY }),
    hot: async () =>
      (await handle()).bookings.create({
        serviceId: f.hotServiceId,
        contactId: f.contactId,
        startTime: hotStart(m.run),
      }),
    spread: async () =>
      (await handle()).bookings.create({
        serviceId: f.spreadServiceId,
        contactId: f.contactId,
        ...spreadSlot(f, m.run, i++),
      }),
  };
  return closedLoops(m.k, m.seconds, m.warmup, call[m.op]);
}

/**
 * `k` callers, each calling `op` again as soon as it answers; only calls completing inside the
 * `seconds` window after `warmup` count. (Not measure.ts's runLoops: better-sqlite3 answers
 * without I/O, so a loop of resolved promises would never let its timer fire.)
 */
async function closedLoops(
  k: number,
  seconds: number,
  warmup: number,
  op: () => Promise<unknown>,
): Promise<Measured> {
  let measuring = false;
  let stop = false;
  const lat: number[] = [];
  let errors = 0;
  const errorSamples: Record<string, number> = {};
  // All k calls stay in flight together, interleaving at their awaits as k requests do in the
  // server. Every millisecond the callers between two calls wait at one shared gate — a single
  // macrotask turn, so timers (and this window's end) fire — and resume together, still
  // interleaved (one setImmediate each would run them one after another on a driver without I/O).
  let lastTurn = nowUs();
  let gate: Promise<void> | null = null;
  const turn = (): Promise<void> | null => {
    if (nowUs() - lastTurn < 1000) return null;
    gate ??= new Promise<void>((resolve) =>
      setImmediate(() => {
        gate = null;
        lastTurn = nowUs();
        resolve();
      }),
    );
    return gate;
  };
  const loops = Array.from({ length: k }, async () => {
    while (!stop) {
      const waiting = turn();
      if (waiting) await waiting;
      const t = nowUs();
      try {
        await op();
      } catch (e) {
        if (measuring && !stop) {
          errors++;
          const key =
            e instanceof SeshnError ? `${e.code}: ${e.message.slice(0, 80)}` : String(e).slice(0, 120);
          errorSamples[key] = (errorSamples[key] ?? 0) + 1;
        }
        continue;
      }
      if (measuring && !stop) lat.push(nowUs() - t);
    }
  });
  await sleep(warmup * 1000);
  const t0 = nowUs();
  measuring = true;
  await sleep(seconds * 1000);
  stop = true;
  const elapsedS = (nowUs() - t0) / 1e6;
  await Promise.all(loops);
  return {
    perS: Math.round(lat.length / elapsedS),
    ok: lat.length,
    errors,
    errorSamples,
    ...latencySummary(lat),
  };
}

type ExpressApp = ((req: IncomingMessage, res: ServerResponse) => void) & {
  use(path: string, handler: unknown): void;
};

function listen(listener: (req: IncomingMessage, res: ServerResponse) => void): Promise<Server> {
  const server = createServer(listener);
  server.keepAliveTimeout = 60_000;
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve(server));
  });
}

async function serve(): Promise<void> {
  const send = (m: FromServer) => process.send?.(m);
  let seshn: Seshn | null = null;
  let scope: Seshn | null = null;
  let fixture: Fixture | null = null;
  let fetchHandler: ((request: Request) => Promise<Response>) | null = null;
  const servers: Server[] = [];
  process.on('message', (m: ToServer) => {
    void (async () => {
      try {
        if (m.type === 'setup') {
          const adapter =
            m.db.kind === 'sqlite'
              ? sqliteAdapter({ filename: m.db.filename })
              : postgresAdapter({ connectionString: m.db.url, poolSize: m.poolSize });
          seshn = createSeshn({ adapter, now: () => new Date(NOW) });
          await seshn.migrate();
          ({ scope, fixture } = await makeFixture(seshn));
          const options = { rateLimit: false as const };
          fetchHandler = createSeshnHandler(seshn, { ...options, basePath: '/v1' });
          const bare = await listen(seshnListener(seshn, { ...options, basePath: '/v1' }));
          const express = fromRouter('express') as () => ExpressApp;
          const app = express();
          app.use('/v1', seshnRouter(seshn, options));
          const viaExpress = await listen(app);
          servers.push(bare, viaExpress);
          send({
            type: 'ready',
            fixture,
            ports: {
              handler: (bare.address() as AddressInfo).port,
              express: (viaExpress.address() as AddressInfo).port,
            },
          });
        } else if (m.type === 'inproc') {
          send({ type: 'inproc', result: await inProcess(seshn!, scope!, fetchHandler!, fixture!, m) });
        } else {
          for (const s of servers) {
            s.closeAllConnections();
            s.close();
          }
          await seshn?.close();
          process.exit(0);
        }
      } catch (error) {
        send({
          type: 'error',
          message: error instanceof Error ? (error.stack ?? error.message) : String(error),
        });
      }
    })();
  });
  // Messages sent before this listener existed would be lost: the parent waits for this one.
  send({ type: 'listening' });
}

// ── Client side (this process) ─────────────────────────────────────────────────────────────────

interface AutocannonRequest {
  method: string;
  path: string;
  headers?: Record<string, string>;
  body?: string;
}
interface AutocannonInstance {
  on(
    event: 'response',
    listener: (client: unknown, statusCode: number, bytes: number, ms: number) => void,
  ): void;
}
type Autocannon = (
  options: {
    url: string;
    connections: number;
    duration: number;
    pipelining?: number;
    headers?: Record<string, string>;
    requests?: {
      method: string;
      path: string;
      setupRequest?: (req: AutocannonRequest) => AutocannonRequest;
    }[];
  },
  done: (error: unknown, result: { errors: number; timeouts: number; non2xx: number }) => void,
) => AutocannonInstance;
const autocannon = fromRouter('autocannon') as Autocannon;

class ServerProcess {
  private readonly child: ChildProcess;
  private waiting: ((m: FromServer) => void) | null = null;
  private readonly listening: Promise<void>;
  constructor() {
    this.child = fork(HERE, ['--http-bench-server'], {
      execArgv: ['--conditions=dev-source', '--import', 'tsx'],
      stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
    });
    this.listening = new Promise((resolve, reject) => {
      this.child.once('exit', (code, signal) => {
        const message = `the server process exited (${code ?? signal})`;
        reject(new Error(message));
        this.waiting?.({ type: 'error', message });
      });
      this.child.on('message', (m: FromServer) => (m.type === 'listening' ? resolve() : this.waiting?.(m)));
    });
  }
  async ask(m: ToServer): Promise<FromServer> {
    await this.listening;
    return new Promise((resolve, reject) => {
      this.waiting = (reply) => (reply.type === 'error' ? reject(new Error(reply.message)) : resolve(reply));
      this.child.send(m);
    });
  }
  async close(): Promise<void> {
    const exited = new Promise((resolve) => this.child.once('exit', resolve));
    this.child.send({ type: 'close' } satisfies ToServer);
    await Promise.race([exited, new Promise((r) => setTimeout(r, 5_000))]);
    if (this.child.exitCode === null) this.child.kill();
  }
}

/** The request autocannon sends for `op` (a fresh body per request for the spread slots). */
function requestFor(op: Op, f: Fixture, run: number) {
  if (op === 'availability') {
    const q = new URLSearchParams({ serviceId: f.availabilityServiceId, ...AVAILABILITY_DAY });
    return { method: 'GET', path: `/v1/availability?${q}` };
  }
  if (op === 'hot') {
    const body = JSON.stringify({
      serviceId: f.hotServiceId,
      contactId: f.contactId,
      startTime: hotStart(run),
    });
    return {
      method: 'POST',
      path: '/v1/bookings',
      setupRequest: (req: AutocannonRequest) => ({ ...req, body }),
    };
  }
  let i = 0;
  return {
    method: 'POST',
    path: '/v1/bookings',
    setupRequest: (req: AutocannonRequest) => ({
      ...req,
      body: JSON.stringify({
        serviceId: f.spreadServiceId,
        contactId: f.contactId,
        ...spreadSlot(f, run, i++),
      }),
    }),
  };
}

function cannon(port: number, f: Fixture, op: Op, connections: number, run: number, seconds: number) {
  return new Promise<Measured>((resolve, reject) => {
    const lat: number[] = [];
    const statuses: Record<string, number> = {};
    const t0 = process.hrtime.bigint();
    const instance = autocannon(
      {
        url: `http://127.0.0.1:${port}`,
        connections,
        duration: seconds,
        headers: { authorization: `Bearer ${f.secret}`, 'content-type': 'application/json' },
        requests: [requestFor(op, f, run)],
      },
      (error, result) => {
        if (error) return reject(error);
        const elapsedS = Number(process.hrtime.bigint() - t0) / 1e9;
        const errors = result.errors + result.timeouts + result.non2xx;
        resolve({
          perS: Math.round(lat.length / elapsedS),
          ok: lat.length,
          errors,
          errorSamples: statuses,
          ...latencySummary(lat),
        });
      },
    );
    instance.on('response', (_client, statusCode, _bytes, ms) => {
      if (statusCode >= 200 && statusCode < 300) lat.push(ms * 1000);
      else statuses[String(statusCode)] = (statuses[String(statusCode)] ?? 0) + 1;
    });
  });
}

interface Row {
  db: DbKind;
  op: Op;
  k: number;
  mount: 'handler' | 'express';
  http: Measured;
  /** CPU of other processes during the HTTP window, in % of one core (a noisy-machine flag). */
  foreignCpuPct: number;
  /** In-process runs by `Via` (none on the Express rows: they use the node:http row's). */
  inproc: Partial<Record<Via, Measured>>;
}

/** The fetch handler in-process is measured at one connection only (it has no socket to queue on). */
const HANDLER_LEVEL = 1;

async function measureDb(kind: DbKind, spec: DbSpec): Promise<Row[]> {
  const server = new ServerProcess();
  const rows: Row[] = [];
  try {
    const ready = (await server.ask({ type: 'setup', db: spec, poolSize: Math.max(...LEVELS) })) as Extract<
      FromServer,
      { type: 'ready' }
    >;
    const f = ready.fixture;
    // Every measurement books a hot session and spread slots of its own (see hotStart, spreadSlot).
    let run = 0;
    let foreign = 0;
    const http = async (mount: 'handler' | 'express', op: Op, k: number) => {
      await cannon(ready.ports[mount], f, op, k, ++run, WARMUP);
      const t0 = procTicks();
      const s0 = nowUs();
      const measured = await cannon(ready.ports[mount], f, op, k, ++run, SECONDS);
      foreign = cpuSplit(t0, procTicks(), (nowUs() - s0) / 1e6).foreign;
      return measured;
    };
    const inproc = async (op: Op, k: number, via: Via) => {
      const reply = await server.ask({
        type: 'inproc',
        op,
        k,
        run: ++run,
        seconds: SECONDS,
        warmup: WARMUP,
        via,
      });
      return (reply as Extract<FromServer, { type: 'inproc' }>).result;
    };
    for (const op of OPS) {
      for (const [i, k] of LEVELS.entries()) {
        const vias: Via[] = k === HANDLER_LEVEL ? ['embedded', 'keyed', 'handler'] : ['embedded', 'keyed'];
        const runs: Partial<Record<Via, Measured>> = {};
        let h: Measured | null = null;
        // The side that goes first alternates between levels.
        if (i % 2 === 0) h = await http('handler', op, k);
        for (const via of i % 2 === 0 ? vias : [...vias].reverse()) runs[via] = await inproc(op, k, via);
        if (i % 2 === 1) h = await http('handler', op, k);
        const m = h as Measured;
        log(
          `${kind} ${op} c=${k}: HTTP ${m.perS}/s p50 ${fmt(m.p50Ms)} p99 ${fmt(m.p99Ms)} (errors ${m.errors}, foreign CPU ${foreign}%) | ${vias.map((v) => `${v} ${runs[v]?.perS}/s p50 ${fmt(runs[v]?.p50Ms ?? null)}`).join(' | ')}`,
        );
        rows.push({ db: kind, op, k, mount: 'handler', http: m, foreignCpuPct: foreign, inproc: runs });
      }
      const e = await http('express', op, EXPRESS_LEVEL);
      log(
        `${kind} ${op} c=${EXPRESS_LEVEL} express: ${e.perS}/s p50 ${fmt(e.p50Ms)} p99 ${fmt(e.p99Ms)} (errors ${e.errors})`,
      );
      rows.push({
        db: kind,
        op,
        k: EXPRESS_LEVEL,
        mount: 'express',
        http: e,
        foreignCpuPct: foreign,
        inproc: {},
      });
    }
  } finally {
    await server.close();
  }
  return rows;
}

const fmt = (v: number | null) => (v === null ? '–' : v < 1 ? v.toFixed(3) : v.toFixed(2));
const ratioOf = (a: number | null, b: number | null | undefined) => (a !== null && b ? a / b : null);
const times = (r: number | null) => (r === null ? '–' : `${r.toFixed(2)}×`);

function render(rows: Row[], skipped: string[]): string {
  const base = (r: Row) =>
    rows.find((x) => x.db === r.db && x.op === r.op && x.k === r.k && x.mount === 'handler');
  const cell = (m: Measured | undefined) => (m ? `${m.perS.toLocaleString('en')} / ${fmt(m.p50Ms)}` : '–');
  const line = (r: Row) => {
    const runs = base(r)?.inproc ?? {};
    const ratio = ratioOf(r.http.p50Ms, runs.embedded?.p50Ms);
    const errors = r.http.errors + Object.values(r.inproc).reduce((n, m) => n + (m?.errors ?? 0), 0);
    return `| ${r.db === 'sqlite' ? 'SQLite' : 'Postgres'} | ${OP_LABEL[r.op]} | ${r.mount === 'handler' ? 'node:http' : 'Express'} | ${r.k} | ${r.http.perS.toLocaleString('en')} | ${fmt(r.http.p50Ms)} / ${fmt(r.http.p99Ms)} | ${cell(runs.embedded)} | ${cell(runs.keyed)} | ${r.mount === 'handler' ? cell(runs.handler) : '–'} | ${times(ratio)} | ${times(ratioOf(r.http.p50Ms, runs.keyed?.p50Ms))} | ${ratio === null ? '–' : ratio <= TARGET ? 'met' : 'MISSED'} | ${r.foreignCpuPct}% | ${errors} |`;
  };
  const problems = rows.flatMap((r) =>
    [
      [r.mount, r.http] as const,
      ...Object.entries(r.inproc).map(([via, m]) => [`in-process ${via}`, m] as const),
    ].flatMap(([side, m]) =>
      m && m.errors > 0
        ? [`${r.db} ${r.op} c=${r.k} ${side}: ${m.errors} errors ${JSON.stringify(m.errorSamples)}`]
        : [],
    ),
  );
  return [
    '## HTTP API over loopback vs in-process',
    '',
    `autocannon (this process) against a server process on 127.0.0.1: the bare handler through \`node:http\` (primary: the layer every mount shares) at each level, and the Express 5 mount at ${EXPRESS_LEVEL} connections. Then, in the server process, the same operation with as many calls in flight as connections: on the embedded handle (\`withScope\`: no key, no audit); "keyed", doing per call what the HTTP handler asks of core (\`authenticate\` + \`withPrincipal\`: key lookup, authorization, an audit entry per write); and at ${HANDLER_LEVEL} connection the fetch handler itself called with a web \`Request\` (the whole HTTP layer but node:http and the socket). Rate limiting off. ${WARMUP} s warm-up, ${SECONDS} s measured per cell; a fresh hot session and fresh spread slots per cell. Cells: calls/s / p50 ms; latency per request (2xx only). Ratio = HTTP p50 / embedded p50 at the same concurrency (target ≤ ${TARGET}×); "vs keyed" divides by the keyed p50, leaving the transport alone (router, JSON, node:http, loopback). Foreign CPU = other work on the machine during the HTTP window (% of one core; this is a shared 2-core machine). The Express rows use the node:http row's in-process runs of the same level.`,
    '',
    '| database | operation | server | connections | HTTP req/s | HTTP p50 / p99 | embedded | keyed | fetch handler, no socket | p50 ratio | vs keyed | ≤ 1.3× | foreign CPU | errors |',
    '| --- | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- | ---: | ---: |',
    ...rows.map(line),
    '',
    ...(skipped.length ? skipped.map((s) => `- Not run: ${s}`) : []),
    ...(problems.length ? ['Errors:', '', ...problems.map((p) => `- ${p}`)] : ['No errors on any side.']),
  ].join('\n');
}

/** The markdown section for `pnpm bench`. */
export async function bench(): Promise<string> {
  const rows: Row[] = [];
  const skipped: string[] = [];
  for (const kind of DATABASES) {
    if (kind === 'sqlite') {
      const dir = mkdtempSync(join(tmpdir(), 'seshn-bench-http-'));
      try {
        log('sqlite: a file in a temp directory');
        rows.push(...(await measureDb('sqlite', { kind: 'sqlite', filename: join(dir, 'bench.db') })));
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    } else if (kind === 'postgres') {
      let scratch: Awaited<ReturnType<typeof openScratchDatabase>> = null;
      let reason = '';
      try {
        scratch = await openScratchDatabase('postgres', drivers.postgres);
      } catch (error) {
        reason = error instanceof Error ? error.message : String(error);
      }
      if (!scratch) {
        const why = `Postgres (${redact(serverUrl('postgres'))}) is unreachable${reason ? `: ${reason}` : ''}; set SESHN_TEST_POSTGRES_URL`;
        log(`skipped: ${why}`);
        skipped.push(why);
        continue;
      }
      try {
        log(`postgres: scratch database on ${redact(serverUrl('postgres'))}`);
        rows.push(...(await measureDb('postgres', { kind: 'postgres', url: scratch.url })));
      } finally {
        await scratch.drop();
      }
    }
  }
  return render(rows, skipped);
}

if (process.argv.includes('--http-bench-server')) void serve();
