/**
 * The SQL ceiling of `bookings.create` on SQLite: the exact statements the library sends for one
 * hot-slot booking (captured from the adapter), replayed in a loop straight through
 * better-sqlite3 with fresh ids, no library code in between. The gap between this and the raw
 * baseline is the schema (row width, indexes, outbox events, triggers); the gap between this and
 * the library is JavaScript (validation, engines, query building, async plumbing).
 * @module
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sqliteAdapter } from '../../packages/adapter-sqlite/src/index.js';
import { createSeshn } from '../../packages/core/src/index.js';
import { OPEN_ALL_WEEK } from './hours.js';

interface Statement {
  reader: boolean;
  all(params: unknown[]): unknown[];
  run(params: unknown[]): unknown;
}
interface RawDb {
  prepare(sql: string): Statement;
  pragma(source: string): unknown;
  close(): void;
}

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const Database = createRequire(join(ROOT, 'packages', 'adapter-sqlite', 'package.json'))(
  'better-sqlite3',
) as new (
  file: string,
) => RawDb;

/** `select seshn_services`, `insert seshn_events`, `BEGIN IMMEDIATE`… */
function label(sql: string): string {
  const tables = [...new Set([...sql.matchAll(/(?:from|into) "(\w+)"/g)].map((m) => m[1]))];
  return tables.length ? `${sql.split(' ', 1)[0]} ${tables.join(' ∪ ')}` : sql;
}

/**
 * Bookings per second when replaying one `bookings.create`'s statements for `seconds`
 * (WAL, synchronous NORMAL, one connection, one process), after `warmupBookings` library bookings.
 * @example
 * const { perSecond, statements } = await measureSqlFloor(3);
 */
export async function measureSqlFloor(seconds: number, warmupBookings = 200) {
  const dir = mkdtempSync(join(tmpdir(), 'seshn-sql-floor-'));
  try {
    const db = new Database(join(dir, 'floor.db'));
    const log: { sql: string; params: unknown[] }[] = [];
    let capture = false;
    // Record what the adapter runs (it prepares through this object).
    const prepare = db.prepare.bind(db);
    db.prepare = (sql: string) => {
      const st = prepare(sql);
      const record = (params: unknown[]) => {
        if (capture) log.push({ sql, params: [...params] });
      };
      return {
        reader: st.reader,
        all: (params: unknown[]) => {
          record(params);
          return st.all(params);
        },
        run: (params: unknown[]) => {
          record(params);
          return st.run(params);
        },
      };
    };
    const now = Date.parse('2030-01-01T00:00:00Z');
    const seshn = createSeshn({
      adapter: sqliteAdapter({ database: db as never, synchronous: 'NORMAL' }),
      now: () => new Date(now),
    });
    await seshn.migrate();
    const room = await seshn.resources.create({
      name: 'Hall',
      timezone: 'UTC',
      availability: { weekly: OPEN_ALL_WEEK },
    });
    const service = await seshn.services.create({
      name: 'Hot slot',
      kind: 'appointment',
      durationMinutes: 60,
      capacity: 100_000,
      resourceIds: [room.id],
      horizonDays: null,
    });
    const contact = await seshn.contacts.create({ name: 'Bench' });
    const request = { serviceId: service.id, contactId: contact.id, startTime: '2030-01-07T10:00:00Z' };
    for (let i = 0; i < warmupBookings; i++) await seshn.bookings.create(request);
    capture = true;
    await seshn.bookings.create(request);
    capture = false;
    db.prepare = prepare;

    const statements = log.map((l) => ({ ...l, st: prepare(l.sql) }));
    // New booking and event ids every round (primary keys); everything else repeats.
    const ids = new Set(
      log.flatMap((l) => l.params.filter((p): p is string => typeof p === 'string' && /^(bkg|evt)_/.test(p))),
    );
    let n = 0;
    const end = performance.now() + seconds * 1000;
    while (performance.now() < end) {
      n++;
      for (const s of statements) {
        const params = s.params.map((p) => (typeof p === 'string' && ids.has(p) ? `${p}_${n}` : p));
        if (s.st.reader) s.st.all(params);
        else s.st.run(params);
      }
    }
    db.close();
    return {
      perSecond: Math.round(n / seconds),
      statements: statements.map((s) => label(s.sql)),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
