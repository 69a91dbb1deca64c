/**
 * better-sqlite3 against node:sqlite under the SQLite adapter, in one process on one machine:
 * hot-slot `bookings.create` (one seat at a time on one slot, a file database in WAL mode,
 * `synchronous = NORMAL`) and a week of `availability.query` on a booked calendar. Rounds
 * alternate the drivers; each figure is the median of the rounds. Needs Node 22.13+:
 *
 *   node --conditions=dev-source --import tsx packages/adapter-sqlite/test/compare-drivers.ts
 *
 * Knobs: SESHN_BENCH_SECONDS (window per measurement, default 3), SESHN_BENCH_ROUNDS (default 3).
 * @module
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSeshn } from '@seshn/core';
import { sqliteAdapter } from '../src/index.js';

const SECONDS = Number(process.env.SESHN_BENCH_SECONDS ?? 3);
const ROUNDS = Number(process.env.SESHN_BENCH_ROUNDS ?? 3);
const NOW = Date.parse('2030-01-01T00:00:00Z');
const DRIVERS = ['better-sqlite3', 'node:sqlite'] as const;
type Driver = (typeof DRIVERS)[number];

async function world(driver: Driver, file: string) {
  for (const f of [file, `${file}-wal`, `${file}-shm`]) rmSync(f, { force: true });
  const seshn = createSeshn({ adapter: sqliteAdapter({ filename: file, driver }), now: () => new Date(NOW) });
  await seshn.migrate();
  const allDay = [{ start: '00:00', end: '24:00' }];
  const weekly = Object.fromEntries(
    ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'].map((d) => [d, allDay]),
  );
  const room = await seshn.resources.create({ name: 'Room', timezone: 'UTC', availability: { weekly } });
  const hot = await seshn.services.create({
    name: 'Hot class',
    kind: 'appointment',
    durationMinutes: 60,
    capacity: 100_000,
    resourceIds: [room.id],
    horizonDays: null,
    minNoticeMinutes: 0,
  });
  const contact = await seshn.contacts.create({ name: 'Bench', email: 'bench@example.com' });
  return { seshn, room, hot, contact };
}

/** Operations per second of `op` over the window, after a short warm-up. */
async function rate(op: () => Promise<unknown>): Promise<number> {
  const warm = Date.now() + 300;
  while (Date.now() < warm) await op();
  let n = 0;
  const start = performance.now();
  const end = start + SECONDS * 1000;
  while (performance.now() < end) {
    await op();
    n++;
  }
  return n / ((performance.now() - start) / 1000);
}

async function measure(driver: Driver, dir: string) {
  const { seshn, hot, contact } = await world(driver, join(dir, `${driver.replace(':', '-')}.db`));
  const start = '2030-01-07T10:00:00Z';
  const reserve = await rate(() =>
    seshn.bookings.create({ serviceId: hot.id, startTime: start, seats: 1, contactId: contact.id }),
  );
  // A calendar with bookings spread over the week, then a week of slots.
  for (let h = 0; h < 7 * 24; h += 5) {
    await seshn.bookings.create({
      serviceId: hot.id,
      startTime: new Date(Date.parse('2030-01-08T00:00:00Z') + h * 3_600_000).toISOString(),
      seats: 1,
      contactId: contact.id,
    });
  }
  const query = await rate(() =>
    seshn.availability.query({ serviceId: hot.id, from: '2030-01-08T00:00:00Z', to: '2030-01-15T00:00:00Z' }),
  );
  await seshn.close();
  return { reserve, query };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

const dir = mkdtempSync(join(tmpdir(), 'seshn-drivers-'));
try {
  const runs: Record<Driver, { reserve: number[]; query: number[] }> = {
    'better-sqlite3': { reserve: [], query: [] },
    'node:sqlite': { reserve: [], query: [] },
  };
  for (let round = 0; round < ROUNDS; round++) {
    for (const driver of round % 2 === 0 ? DRIVERS : [...DRIVERS].reverse()) {
      const r = await measure(driver, dir);
      runs[driver].reserve.push(r.reserve);
      runs[driver].query.push(r.query);
    }
  }
  const bs3 = runs['better-sqlite3'];
  const ns = runs['node:sqlite'];
  console.log(`node ${process.version}, ${ROUNDS} rounds of ${SECONDS} s, median`);
  console.log('| measure | better-sqlite3 | node:sqlite | node:sqlite / better-sqlite3 |');
  console.log('| --- | ---: | ---: | ---: |');
  for (const key of ['reserve', 'query'] as const) {
    const a = median(bs3[key]);
    const b = median(ns[key]);
    const label =
      key === 'reserve' ? 'bookings.create, hot slot (ops/s)' : 'availability.query, one week (ops/s)';
    console.log(`| ${label} | ${a.toFixed(0)} | ${b.toFixed(0)} | ${(b / a).toFixed(2)} |`);
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
