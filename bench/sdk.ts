/**
 * `@seshn/sdk` round trip against raw `fetch` of the same request, on the same local server:
 * `availability.query` (one service, one day) and `bookings.create` (one seat of a slot with
 * 100,000 seats, so it never fills). The server (`seshnListener` on `node:http`, SQLite in memory,
 * `rateLimit: false`) runs in a child process (this file with `--sdk-bench-server`), so the
 * client's work is all this process does. One connection, sequential requests; the two clients
 * alternate request by request so drift (the growing bookings table, other load on the machine)
 * hits both alike. Raw fetch sends what the SDK sends: the same URL, `Authorization`, `Accept`, and for
 * the POST `Content-Type`, a fresh `Idempotency-Key` and the JSON body.
 *
 * Target: SDK / raw ≤ 1.1× (median latency). Knobs: SESHN_BENCH_SDK_SECONDS (per client and
 * operation, default 3).
 * @module
 */
import { type ChildProcess, fork } from 'node:child_process';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { sqliteAdapter } from '../packages/adapter-sqlite/src/index.js';
import { createSeshn } from '../packages/core/src/index.js';
import { seshnListener } from '../packages/express-router/src/index.js';
import { Seshn } from '../packages/sdk/src/index.js';
import { latencySummary } from './lib/measure.js';

const SECONDS = Number(process.env.SESHN_BENCH_SDK_SECONDS ?? 3);
const TARGET = 1.1;
const SERVER_FLAG = '--sdk-bench-server';

interface Ready {
  origin: string;
  secret: string;
  serviceId: string;
  contactId: string;
  slotId: string;
  day: string;
}

/** The child: a server with one room, one 100,000-seat service, a contact and a test key. */
async function serve(): Promise<void> {
  const seshn = createSeshn({ adapter: sqliteAdapter({ filename: ':memory:' }) });
  await seshn.migrate();
  const h = seshn.withScope({ organizationId: 'org_default', mode: 'test' });
  const { secret } = await h.apiKeys.create({ name: 'bench', role: 'owner' });
  const hours = [{ start: '09:00', end: '17:00' }];
  const week = Object.fromEntries(['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'].map((d) => [d, hours]));
  const room = await h.resources.create({ name: 'Hall', timezone: 'UTC', availability: { weekly: week } });
  const service = await h.services.create({
    name: 'Open session',
    kind: 'appointment',
    durationMinutes: 60,
    capacity: 100_000,
    resourceIds: [room.id],
  });
  const contact = await h.contacts.create({ name: 'Bench' });
  const day = new Date(Date.now() + 2 * 86_400_000).toISOString().slice(0, 10);
  const [slot] = await h.availability.query({ serviceId: service.id, from: day, to: day });
  const server = createServer(seshnListener(seshn, { basePath: '/v1', rateLimit: false }));
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const ready: Ready = {
    origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    secret,
    serviceId: service.id,
    contactId: contact.id,
    slotId: slot!.id,
    day,
  };
  process.send!(ready);
  process.on('disconnect', () => process.exit(0));
}

function startChild(): Promise<{ child: ChildProcess; ready: Ready }> {
  const child = fork(fileURLToPath(import.meta.url), [SERVER_FLAG], {
    execArgv: process.execArgv,
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  return new Promise((resolve, reject) => {
    child.once('message', (ready) => resolve({ child, ready: ready as Ready }));
    child.once('exit', (code) => reject(new Error(`the bench server exited (${code})`)));
  });
}

type Call = () => Promise<unknown>;

/**
 * Alternates `a` and `b` request by request (a, b, a, b, …) until each has run SECONDS, so
 * whatever else the machine does hits both alike; latencies in µs.
 */
async function alternate(a: Call, b: Call): Promise<[number[], number[]]> {
  const lat: [number[], number[]] = [[], []];
  const spent = [0, 0];
  for (let i = 0; i < 50; i++) {
    await a();
    await b();
  }
  while (spent[0]! < SECONDS * 1000 || spent[1]! < SECONDS * 1000) {
    for (const [i, call] of [a, b].entries()) {
      const t0 = performance.now();
      await call();
      const ms = performance.now() - t0;
      lat[i]!.push(ms * 1000);
      spent[i]! += ms;
    }
  }
  return lat;
}

function row(name: string, sdk: number[], raw: number[]): { line: string; ratio: number } {
  const s = latencySummary(sdk);
  const r = latencySummary(raw);
  const ratio = s.p50Ms! / r.p50Ms!;
  const mean = (xs: number[]) => xs.reduce((x, y) => x + y, 0) / xs.length / 1000;
  const ok = ratio <= TARGET ? 'yes' : '**no**';
  return {
    ratio,
    line: `| ${name} | ${sdk.length} / ${raw.length} | ${s.p50Ms} / ${r.p50Ms} | ${s.p99Ms} / ${r.p99Ms} | ${(mean(sdk) / mean(raw)).toFixed(3)}× | **${ratio.toFixed(3)}×** | ${ok} |`,
  };
}

export async function bench(): Promise<string> {
  const { child, ready } = await startChild();
  try {
    const seshn = new Seshn(ready.secret, { baseUrl: ready.origin });
    const root = `${ready.origin}/v1`;
    const auth = { Authorization: `Bearer ${ready.secret}`, Accept: 'application/json' };
    const query = { serviceId: ready.serviceId, from: ready.day, to: ready.day };
    const queryUrl = `${root}/availability?${new URLSearchParams(query)}`;
    const booking = { slotId: ready.slotId, contactId: ready.contactId, seats: 1 };
    const check = async (response: Response) => {
      const body = await response.json();
      if (!response.ok) throw new Error(`HTTP ${response.status}: ${JSON.stringify(body)}`);
      return body;
    };
    const rawQuery = () => fetch(queryUrl, { headers: auth }).then(check);
    const rawCreate = () =>
      fetch(`${root}/bookings`, {
        method: 'POST',
        headers: { ...auth, 'Content-Type': 'application/json', 'Idempotency-Key': crypto.randomUUID() },
        body: JSON.stringify(booking),
      }).then(check);
    // Same answers first: the comparison is of the same work.
    const [viaSdk, viaRaw] = [await seshn.availability.query(query), (await rawQuery()) as unknown[]];
    if (JSON.stringify(viaSdk) !== JSON.stringify(viaRaw))
      throw new Error('SDK and raw fetch answers differ');

    const [qSdk, qRaw] = await alternate(() => seshn.availability.query(query), rawQuery);
    const [cSdk, cRaw] = await alternate(() => seshn.bookings.create(booking), rawCreate);
    const rows = [row('`availability.query`', qSdk, qRaw), row('`bookings.create`', cSdk, cRaw)];
    return [
      '## SDK round trip vs raw fetch',
      '',
      `\`@seshn/sdk\` against \`fetch\` of the same request, one connection, sequential, alternating request by request, ${SECONDS} s each; server in a child process (\`seshnListener\`, SQLite in memory, \`rateLimit: false\`). Target: SDK / raw ≤ ${TARGET}× (median).`,
      '',
      '| operation | requests SDK / raw | p50 ms SDK / raw | p99 ms SDK / raw | mean ratio | p50 ratio | ≤ 1.1× |',
      '| --- | --- | --- | --- | --- | --- | --- |',
      ...rows.map((r) => r.line),
    ].join('\n');
  } finally {
    child.disconnect();
    child.kill();
  }
}

if (process.argv.includes(SERVER_FLAG)) {
  serve().catch((error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
    process.exit(1);
  });
}
