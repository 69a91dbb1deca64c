/**
 * MCP tool-call latency against the SDK call underneath, in the same run.
 *
 * One process holds a Seshn API (`seshnListener` on `node:http`, 127.0.0.1, SQLite file in WAL
 * mode, a test-mode owner key, rate limit off) and an SDK client of it (`new Seshn(key,
 * { baseUrl })`). The MCP server (`createSeshnMcpServer(sdk)`) is driven by the MCP SDK's own
 * `Client` over a linked in-memory transport pair, so the difference between the two is what the
 * MCP layer adds: JSON-RPC framing, input validation with the operation's zod schema, the
 * structured result and its text, and the client's output-schema check.
 *
 * Calls alternate one by one (SDK, tool, SDK, tool, …; one in flight) so both see the same
 * database and machine state: `availability.query` vs `seshn_check_availability` (one class
 * service, one day, 2 slots) and `bookings.create` vs `seshn_create_booking` (a fresh session of a
 * 100,000-seat class per measurement, one seat a call). Latency per call in ms; the ratio is
 * MCP p50 / SDK p50.
 *
 * Knobs (environment): SESHN_BENCH_MCP_SECONDS (each measured window, default 3),
 * SESHN_BENCH_MCP_WARMUP (default 0.5).
 * @module
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sqliteAdapter } from '../packages/adapter-sqlite/src/index.js';
import { createSeshn } from '../packages/core/src/index.js';
import { seshnListener } from '../packages/express-router/src/index.js';
import { createSeshnMcpServer } from '../packages/mcp/src/index.js';
import { connectInMemory } from '../packages/mcp/test/connect.js';
import { Seshn } from '../packages/sdk/src/index.js';
import { latencySummary, nowUs } from './lib/measure.js';

const SECONDS = Number(process.env.SESHN_BENCH_MCP_SECONDS ?? 3);
const WARMUP = Number(process.env.SESHN_BENCH_MCP_WARMUP ?? 0.5);
const DAY_MS = 86_400_000;
const ALL_DAY = [{ start: '00:00', end: '24:00' }];
const ALL_WEEK = {
  mon: ALL_DAY,
  tue: ALL_DAY,
  wed: ALL_DAY,
  thu: ALL_DAY,
  fri: ALL_DAY,
  sat: ALL_DAY,
  sun: ALL_DAY,
};

interface Pair {
  sdkUs: number[];
  mcpUs: number[];
}

/** Alternates `sdk()` and `mcp()` for `seconds` (after a warm-up), timing each call. */
async function alternate(
  sdk: () => Promise<unknown>,
  mcp: () => Promise<unknown>,
  seconds: number,
): Promise<Pair> {
  const out: Pair = { sdkUs: [], mcpUs: [] };
  for (const [window, keep] of [
    [WARMUP, false],
    [seconds, true],
  ] as const) {
    const end = nowUs() + window * 1e6;
    while (nowUs() < end) {
      let t = nowUs();
      await sdk();
      if (keep) out.sdkUs.push(nowUs() - t);
      t = nowUs();
      await mcp();
      if (keep) out.mcpUs.push(nowUs() - t);
    }
  }
  return out;
}

function row(name: string, tool: string, pair: Pair): string {
  const sdk = latencySummary(pair.sdkUs);
  const mcp = latencySummary(pair.mcpUs);
  const ratio = sdk.p50Ms && mcp.p50Ms ? (mcp.p50Ms / sdk.p50Ms).toFixed(2) : 'n/a';
  const extra = sdk.p50Ms && mcp.p50Ms ? (mcp.p50Ms - sdk.p50Ms).toFixed(3) : 'n/a';
  return `| \`${name}\` / \`${tool}\` | ${pair.sdkUs.length} | ${sdk.p50Ms} | ${sdk.p99Ms} | ${mcp.p50Ms} | ${mcp.p99Ms} | **${ratio}×** | ${extra} |`;
}

export async function bench(): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'seshn-bench-mcp-'));
  const seshn = createSeshn({ adapter: sqliteAdapter({ filename: join(dir, 'seshn.db') }) });
  const server = createServer(seshnListener(seshn, { basePath: '/v1', rateLimit: false }));
  try {
    await seshn.migrate();
    const test = seshn.withScope({ organizationId: 'org_default', mode: 'test' });
    const { secret } = await test.apiKeys.create({ name: 'bench', role: 'owner' });
    const studio = await test.resources.create({
      name: 'Studio',
      timezone: 'Europe/Berlin',
      availability: { weekly: ALL_WEEK },
    });
    const service = await test.services.create({
      name: 'Yoga',
      kind: 'class',
      durationMinutes: 60,
      capacity: 100_000,
      resourceIds: [studio.id],
      timetable: [{ resourceId: studio.id, rrule: 'FREQ=DAILY;BYHOUR=9,18', dtstart: '2024-01-01T09:00' }],
      pricing: { strategy: 'per_seat', unitAmount: 1500, currency: 'eur' },
      horizonDays: null,
    });
    const contact = await test.contacts.create({ name: 'Ada', email: 'ada@example.com' });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
    const sdk = new Seshn(secret as string, { baseUrl, maxRetries: 0 });
    const mcp = await connectInMemory(createSeshnMcpServer(sdk), 'seshn-bench');
    const call = async (name: string, args: Record<string, unknown>) => {
      const r = await mcp.client.callTool({ name, arguments: args });
      if (r.isError) throw new Error(`${name}: ${JSON.stringify(r.content)}`);
      return r;
    };

    const day = new Date(Date.now() + 7 * DAY_MS).toISOString().slice(0, 10);
    const query = { serviceId: service.id, from: day, to: day, seats: 2 };
    const availability = await alternate(
      () => sdk.availability.query(query),
      () => call('seshn_check_availability', query),
      SECONDS,
    );

    // A fresh session for the bookings: the 18:00 class two weeks out.
    const later = new Date(Date.now() + 14 * DAY_MS).toISOString().slice(0, 10);
    const [, evening] = await sdk.availability.query({ serviceId: service.id, from: later, to: later });
    if (!evening) throw new Error('no evening session to book');
    const booking = { slotId: evening.id, contactId: contact.id, seats: 1 };
    const bookings = await alternate(
      () => sdk.bookings.create(booking),
      () => call('seshn_create_booking', booking),
      SECONDS,
    );
    await mcp.close();

    return [
      '## mcp: tool-call latency vs the SDK call underneath',
      '',
      `SDK over loopback HTTP to \`seshnListener\` (SQLite file, WAL; test owner key); the MCP server over that SDK, driven by the MCP SDK's \`Client\` on an in-memory transport. Calls alternate one at a time; ${SECONDS} s per operation after ${WARMUP} s warm-up. Ratio = MCP p50 / SDK p50; "+ms" is what MCP adds at p50.`,
      '',
      '| SDK / tool | calls each | SDK p50 ms | SDK p99 ms | MCP p50 ms | MCP p99 ms | ratio | +ms p50 |',
      '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
      row('availability.query', 'seshn_check_availability', availability),
      row('bookings.create', 'seshn_create_booking', bookings),
    ].join('\n');
  } finally {
    server.closeAllConnections();
    server.close();
    await seshn.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
