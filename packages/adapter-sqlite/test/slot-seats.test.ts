/**
 * `seshn_slot_seats` is derived data kept by the booking primitives' own writes (no triggers): after any sequence of lifecycle operations
 * it must equal the confirmed seats of `seshn_bookings` grouped per slot, and the booking each
 * row names must be a confirmed booking of that slot.
 */
import { createSeshn, SeshnError } from '@seshn/core';
import { FROZEN_MIGRATIONS, seshnMigrations } from '@seshn/sql';
import { ALL_WEEK, HOUR, MINUTE, T0 } from '@seshn/testing';
import Database from 'better-sqlite3';
import fc from 'fast-check';
import { Kysely, Migrator, SqliteDialect } from 'kysely';
import { describe, expect, it } from 'vitest';
import { sqliteAdapter, sqliteProfile } from '../src/index.js';

async function world() {
  const db = new Database(':memory:');
  let now = T0;
  const seshn = createSeshn({ adapter: sqliteAdapter({ database: db }), now: () => new Date(now) });
  await seshn.migrate();
  const room = await seshn.resources.create({
    name: 'Room',
    timezone: 'UTC',
    availability: { weekly: ALL_WEEK },
  });
  const common = {
    kind: 'appointment' as const,
    durationMinutes: 60,
    gridMinutes: 30,
    resourceIds: [room.id],
  };
  const solo = await seshn.services.create({
    ...common,
    name: 'Solo',
    bufferAfterMinutes: 15,
    horizonDays: null,
  });
  const group = await seshn.services.create({ ...common, name: 'Group', capacity: 3, horizonDays: null });
  const contact = await seshn.contacts.create({ name: 'Ann' });
  return {
    db,
    seshn,
    services: [solo.id, group.id],
    contactId: contact.id,
    advance: (ms: number) => {
      now += ms;
    },
  };
}
type World = Awaited<ReturnType<typeof world>>;

const KEY = 'organization_id, mode, resource_id, slot_key, occupied_start, occupied_end';

function expectCountsMatchBookings(db: Database.Database) {
  const expected = db
    .prepare(
      `SELECT ${KEY}, sum(seats) AS seats FROM seshn_bookings WHERE status = 'confirmed'
       GROUP BY ${KEY} ORDER BY slot_key, occupied_start, occupied_end`,
    )
    .all();
  const actual = db
    .prepare(`SELECT ${KEY}, seats FROM seshn_slot_seats ORDER BY slot_key, occupied_start, occupied_end`)
    .all();
  expect(actual).toEqual(expected);
  const strays = db
    .prepare(
      `SELECT s.booking_id FROM seshn_slot_seats s WHERE NOT EXISTS (
         SELECT 1 FROM seshn_bookings b WHERE b.id = s.booking_id AND b.status = 'confirmed'
           AND b.slot_key = s.slot_key AND b.occupied_start = s.occupied_start AND b.occupied_end = s.occupied_end)`,
    )
    .all();
  expect(strays).toEqual([]);
}

type Op =
  | { op: 'create'; service: number; hour: number; seats: number; hold: boolean }
  | { op: 'confirm' | 'cancel'; i: number }
  | { op: 'reschedule'; i: number; halfHour: number }
  | { op: 'advance'; minutes: number };

async function apply(w: World, ids: string[], o: Op) {
  const pick = (i: number) => ids[i % Math.max(1, ids.length)];
  try {
    if (o.op === 'create') {
      const b = await w.seshn.bookings.create({
        serviceId: w.services[o.service]!,
        startTime: new Date(T0 + 10 * HOUR + o.hour * HOUR),
        seats: o.service === 0 ? 1 : o.seats,
        hold: o.hold,
        contactId: w.contactId,
      });
      ids.push(b.id);
    } else if (o.op === 'advance') {
      w.advance(o.minutes * MINUTE);
    } else {
      const id = pick(o.i);
      if (!id) return;
      if (o.op === 'confirm') await w.seshn.bookings.confirm(id);
      else if (o.op === 'cancel') await w.seshn.bookings.cancel(id);
      else if (o.op === 'reschedule')
        await w.seshn.bookings.reschedule(id, {
          startTime: new Date(T0 + 10 * HOUR + o.halfHour * 30 * MINUTE),
        });
    }
  } catch (error) {
    // Refusals (full, conflict, invalid state) are expected; anything else is a bug.
    if (!(error instanceof SeshnError) || error.code === 'storage_error') throw error;
  }
}

const opArb: fc.Arbitrary<Op> = fc.oneof(
  fc.record({
    op: fc.constant('create' as const),
    service: fc.nat(1),
    hour: fc.nat(3),
    seats: fc.integer({ min: 1, max: 2 }),
    hold: fc.boolean(),
  }),
  fc.record({ op: fc.constantFrom('confirm' as const, 'cancel' as const), i: fc.nat(20) }),
  fc.record({ op: fc.constant('reschedule' as const), i: fc.nat(20), halfHour: fc.nat(7) }),
  fc.record({ op: fc.constant('advance' as const), minutes: fc.integer({ min: 1, max: 8 }) }),
);

describe('seshn_slot_seats (SQLite)', () => {
  it('equals the confirmed seats of the bookings after every operation', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(opArb, { minLength: 5, maxLength: 40 }), async (ops) => {
        const w = await world();
        const ids: string[] = [];
        try {
          for (const o of ops) {
            await apply(w, ids, o);
            expectCountsMatchBookings(w.db);
          }
        } finally {
          w.db.close();
        }
      }),
      { numRuns: 40 },
    );
  }, 120_000);

  it('keeps one row per slot however many seats are sold', async () => {
    const w = await world();
    for (let i = 0; i < 3; i++) {
      await w.seshn.bookings.create({
        serviceId: w.services[1]!,
        startTime: new Date(T0 + 10 * HOUR),
        contactId: w.contactId,
      });
    }
    const rows = w.db.prepare('SELECT seats FROM seshn_slot_seats').all();
    expect(rows).toEqual([{ seats: 3 }]);
    // The fourth seat does not fit: the count is what reserve checks.
    await expect(
      w.seshn.bookings.create({
        serviceId: w.services[1]!,
        startTime: new Date(T0 + 10 * HOUR),
        contactId: w.contactId,
      }),
    ).rejects.toMatchObject({ code: 'slot_unavailable', details: { reason: 'full', remaining: 0 } });
    w.db.close();
  });

  it('names a confirmed booking when the named one leaves (never a hold of the slot)', async () => {
    const w = await world();
    const book = (hold: boolean) =>
      w.seshn.bookings.create({
        serviceId: w.services[1]!,
        startTime: new Date(T0 + 10 * HOUR),
        contactId: w.contactId,
        hold,
      });
    const a = await book(false);
    await book(true); // a hold of the same slot, older than c
    const c = await book(false);
    await w.seshn.bookings.cancel(a.id);
    expect(w.db.prepare('SELECT booking_id, seats FROM seshn_slot_seats').all()).toEqual([
      { booking_id: c.id, seats: 1 },
    ]);
    expectCountsMatchBookings(w.db);
    w.db.close();
  });

  it('names another booking of the slot when the named one is being moved into a conflict', async () => {
    const w = await world();
    const at10 = new Date(T0 + 10 * HOUR);
    const a = await w.seshn.bookings.create({
      serviceId: w.services[1]!,
      startTime: at10,
      contactId: w.contactId,
    });
    const b = await w.seshn.bookings.create({
      serviceId: w.services[1]!,
      startTime: at10,
      contactId: w.contactId,
    });
    expect(w.db.prepare('SELECT booking_id FROM seshn_slot_seats').get()).toEqual({ booking_id: a.id });
    // 10:30 is another slot overlapping 10:00, where b still is.
    const moved = w.seshn.bookings.reschedule(a.id, { startTime: new Date(T0 + 10.5 * HOUR) });
    await expect(moved).rejects.toMatchObject({
      code: 'slot_unavailable',
      details: { conflicts: [{ reason: 'conflict', withId: b.id }] },
    });
    // Moving a alone out of the way works, and the slot now names b.
    await w.seshn.bookings.cancel(b.id);
    await w.seshn.bookings.reschedule(a.id, { startTime: new Date(T0 + 10.5 * HOUR) });
    expectCountsMatchBookings(w.db);
    w.db.close();
  });

  it("reserve's read uses the slot and live-hold indexes, never a walk of the slot's bookings", async () => {
    const w = await world();
    const seen: string[] = [];
    const prepare = w.db.prepare.bind(w.db);
    w.db.prepare = ((source: string) => {
      seen.push(source);
      return prepare(source);
    }) as typeof w.db.prepare;
    await w.seshn.bookings.create({
      serviceId: w.services[1]!,
      startTime: new Date(T0 + 10 * HOUR),
      contactId: w.contactId,
    });
    w.db.prepare = prepare;
    const read = seen.find((s) => s.includes('seshn_slot_seats'));
    expect(read).toBeDefined();
    const params = (read!.match(/\?/g) ?? []).map(() => 0);
    const plan = (w.db.prepare(`EXPLAIN QUERY PLAN ${read}`).all(...params) as { detail: string }[])
      .map((r) => r.detail)
      .join('\n');
    expect(plan).toContain('seshn_slot_seats_occupancy');
    // Keyed by the end: the search skips every slot that ended before the window (history).
    expect(plan).toMatch(/seshn_slot_seats_occupancy \(.*occupied_end>\?\)/);
    expect(plan).toContain('seshn_bookings_holds');
    expect(plan).not.toContain('seshn_bookings_occupancy');
    w.db.close();
  });

  it('the migration that replaced the triggers recounts confirmed bookings made before it', async () => {
    const w = await world();
    for (const hour of [10, 10, 12]) {
      await w.seshn.bookings.create({
        serviceId: w.services[1]!,
        startTime: new Date(T0 + hour * HOUR),
        contactId: w.contactId,
      });
    }
    await w.seshn.bookings.create({
      serviceId: w.services[1]!,
      startTime: new Date(T0 + 14 * HOUR),
      contactId: w.contactId,
      hold: true,
    });
    // A counter out of step (as a database whose triggers missed writes could be) is recounted.
    w.db.exec(
      "UPDATE seshn_slot_seats SET seats = 99; INSERT INTO seshn_slot_seats SELECT organization_id, mode, resource_id, 'stray', start_time, end_time, occupied_start, occupied_end, 1, booking_id FROM seshn_slot_seats",
    );
    for (const statement of FROZEN_MIGRATIONS['2026-12-01T00:00_slot_seats_in_store']!.sqlite!)
      w.db.exec(statement);
    const triggers = w.db.prepare("SELECT name FROM sqlite_master WHERE type = 'trigger'").all();
    expect(triggers).toEqual([]);
    expect(w.db.prepare('SELECT seats FROM seshn_slot_seats ORDER BY start_time').all()).toEqual([
      { seats: 2 },
      { seats: 1 },
    ]);
    expectCountsMatchBookings(w.db);
    w.db.close();
  });

  it('a database from the trigger era upgrades in place: counted by its triggers, recounted, then kept by the store alone', async () => {
    const db = new Database(':memory:');
    const migrator = new Migrator({
      db: new Kysely({ dialect: new SqliteDialect({ database: db }) }),
      provider: { getMigrations: async () => seshnMigrations(sqliteProfile(false)) },
      migrationTableName: 'seshn_migration',
      migrationLockTableName: 'seshn_migration_lock',
    });
    expect((await migrator.migrateTo('2026-11-21T20:00_occupancy_by_end')).error).toBeUndefined();
    // Rows as the release before wrote them (its triggers kept the counter).
    const org = 'org_legacy';
    db.prepare(
      `INSERT INTO seshn_resources (id, organization_id, mode, name, timezone, capacity, metadata, availability, created_at, updated_at)
       VALUES ('rsc_1', ?, 'live', 'Room', 'UTC', NULL, '{}', '{"weekly":{},"overrides":[]}', ?, ?)`,
    ).run(org, T0, T0);
    const config = {
      name: 'Group',
      kind: 'appointment',
      durationMinutes: 60,
      capacity: 3,
      resourceIds: ['rsc_1'],
      horizonDays: null,
      metadata: {},
    };
    db.prepare(
      `INSERT INTO seshn_services (id, organization_id, mode, name, kind, config, created_at, updated_at)
       VALUES ('svc_1', ?, 'live', 'Group', 'appointment', ?, ?, ?)`,
    ).run(org, JSON.stringify(config), T0, T0);
    const start = T0 + 10 * HOUR;
    const slot = `svc_1|rsc_1|${start}|${start + HOUR}`;
    const book = db.prepare(
      `INSERT INTO seshn_bookings (id, organization_id, mode, service_id, resource_id, contact_id, slot_key, start_time, end_time,
         occupied_start, occupied_end, seats, status, attendance, expires_at, metadata, created_at, updated_at)
       VALUES (?, ?, 'live', 'svc_1', 'rsc_1', 'ct_1', ?, ?, ?, ?, ?, 1, ?, 'unknown', ?, '{}', ?, ?)`,
    );
    for (const [id, status] of [
      ['bkg_1', 'confirmed'],
      ['bkg_2', 'confirmed'],
      ['bkg_3', 'cancelled'],
      ['bkg_4', 'held'],
    ]) {
      book.run(
        id,
        org,
        slot,
        start,
        start + HOUR,
        start,
        start + HOUR,
        status,
        status === 'held' ? T0 + 600_000 : null,
        T0,
        T0,
      );
    }
    expect(db.prepare('SELECT seats, booking_id FROM seshn_slot_seats').all()).toEqual([
      { seats: 2, booking_id: 'bkg_1' },
    ]);
    // The rest of the history: the triggers go, the counter is recounted.
    expect((await migrator.migrateToLatest()).error).toBeUndefined();
    expect(db.prepare("SELECT name FROM sqlite_master WHERE type = 'trigger'").all()).toEqual([]);
    expectCountsMatchBookings(db);
    // Today's code on the upgraded database: every write counted once, by the store.
    const seshn = createSeshn({
      adapter: sqliteAdapter({ database: db }),
      now: () => new Date(T0),
      organizationId: org,
      mode: 'live',
    });
    await seshn.bookings.cancel('bkg_1');
    await seshn.bookings.confirm('bkg_4');
    expect(db.prepare('SELECT seats, booking_id FROM seshn_slot_seats').all()).toEqual([
      { seats: 2, booking_id: 'bkg_2' },
    ]);
    expectCountsMatchBookings(db);
    db.close();
  });
});
