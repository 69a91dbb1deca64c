/**
 * One scenario suite, two implementations: every scenario of `scenarios.ts` runs against the
 * embedded handle and against the SDK over a real HTTP server (`seshnListener` on `node:http`,
 * SQLite), each on a fresh engine per scenario with the same fixed clock and deterministic ids —
 * and the two must agree result for result, refusals included.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Seshn } from '../src/index.js';
import { type Api, type Driver, SCENARIOS } from './scenarios.js';
import { openEngine, SCOPE, startServer, type TestServer } from './server.js';

const codeOf = (r: { error?: { code: string } }) => r.error?.code;

/** What each scenario must have seen (on both sides, since they agree): it did what it says. */
// biome-ignore lint/suspicious/noExplicitAny: JSON results
const CHECK: Record<string, (r: any) => void> = {
  catalog(r) {
    expect(r.updated.name).toBe('Room A');
    expect(r.service2.capacity).toBe(4);
    expect(r.found.id ?? r.found.data?.[0]?.id ?? r.found[0]?.id).toBe(r.contact.id);
    expect(r.archived.archived).toBe(true);
  },
  availability(r) {
    expect(r.slots.length).toBeGreaterThan(3);
    expect(r.floyd.length).toBeGreaterThan(3);
    expect(r.windows.length).toBeGreaterThan(0);
    expect(r.quote.total ?? r.quote.price ?? r.quote).toBeTruthy();
  },
  bookings(r) {
    expect(r.held.status).toBe('held');
    expect(r.confirmed.status).toBe('confirmed');
    expect(r.checkedIn.attendance).toBe('checked_in');
    expect(r.moved.startTime).toBe('2030-01-09T13:00:00.000Z');
    expect(r.cancelled.status).toBe('cancelled');
    expect(r.list.data).toHaveLength(2);
    expect(r.one.data).toHaveLength(1);
  },
  series(r) {
    expect(r.preview.object).not.toBe(r.created.object);
    expect(r.cancelledOne.bookings?.[1]?.status ?? 'cancelled').toBe('cancelled');
    expect(r.list.data).toHaveLength(1);
  },
  errors(r) {
    expect(codeOf(r.notFound)).toBe('not_found');
    expect(codeOf(r.notFoundService)).toBe('not_found');
    expect(codeOf(r.full)).toBe('slot_unavailable');
    expect(r.badSeats.error.details.fields).toEqual([{ path: 'seats', message: expect.any(String) }]);
    expect(r.badFields.error.details.fields.map((f: { path: string }) => f.path)).toEqual([
      'name',
      'timezone',
      'capacity',
    ]);
    expect(codeOf(r.unknownField)).toBe('validation_failed');
    expect(codeOf(r.badCancel)).toBe('validation_failed');
    expect(codeOf(r.invalidState)).toBe('invalid_state');
    expect(codeOf(r.badQuery)).toBe('validation_failed');
  },
  allocations(r) {
    expect(r.list.data).toHaveLength(1);
    expect(r.after.length).toBeGreaterThan(r.slots.length);
    expect(codeOf(r.gone)).toBe('not_found');
  },
  holdExpiry(r) {
    expect(r.held.status).toBe('held');
    expect(r.expired.status).toBe('expired');
    expect(codeOf(r.late)).toBeTruthy();
  },
  pagination(r) {
    expect(r.first.hasMore).toBe(true);
    expect(r.second.data).toHaveLength(3);
    expect(r.count).toBe(7);
    expect(new Set(r.everyone.map((c: { id: string }) => c.id)).size).toBe(7);
    expect(codeOf(r.badCursor)).toBe('not_found');
  },
};

let server: TestServer;
let embedded: Driver;
let sdk: Driver;
let closeEmbedded: () => Promise<void>;

beforeEach(async () => {
  server = await startServer();
  const root = await openEngine();
  closeEmbedded = () => root.close();
  // The key the server side made used a `key` id: make one here too, so every counter agrees.
  await root.withScope(SCOPE).apiKeys.create({ name: 'sdk tests', role: 'owner' });
  const handle = root.withScope(SCOPE);
  embedded = {
    api: handle,
    async all(group, input) {
      const items: unknown[] = [];
      let startingAfter: string | undefined;
      for (;;) {
        const page = await handle[group].list({ ...input, ...(startingAfter ? { startingAfter } : {}) });
        items.push(...page.data);
        if (!page.hasMore) return items;
        startingAfter = page.data[page.data.length - 1]!.id;
      }
    },
  };
  const client = new Seshn(server.secret, { baseUrl: server.baseUrl });
  sdk = {
    api: client as Api,
    async all(group, input) {
      const items: unknown[] = [];
      for await (const item of client[group].list(input)) items.push(item);
      return items;
    },
  };
});

afterEach(async () => {
  await server?.close();
  await closeEmbedded?.();
});

describe('the embedded handle and the SDK agree', () => {
  for (const [name, scenario] of Object.entries(SCENARIOS)) {
    it(name, async () => {
      const viaHandle = JSON.parse(JSON.stringify(await scenario(embedded)));
      const viaSdk = JSON.parse(JSON.stringify(await scenario(sdk)));
      expect(viaSdk).toEqual(viaHandle);
      CHECK[name]?.(viaHandle);
    });
  }
});
