/**
 * The database the bad-input proof attacks: a SQLite file with two organizations (A, the caller;
 * B, another tenant), data in A's test mode (the caller's), in A's live mode and in B's test mode
 * (both out of the caller's reach), and A's keys of every kind — owner, staff, readonly,
 * publishable, revoked, live — plus a raw dump of every `seshn_*` table, read through a
 * better-sqlite3 connection of the test's own.
 * @module
 */
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { sqliteAdapter } from '@seshn/adapter-sqlite';
import { createSeshn, type Seshn } from '@seshn/core';
import type { FuzzWorld, IdKind } from './bad-input-requests.js';

const require = createRequire(import.meta.url);
/** The little of better-sqlite3 the dump uses (its types are not a dependency of this package). */
interface RawDatabase {
  prepare(sql: string): { all(): unknown[] };
  close(): void;
}
const BetterSqlite = require('better-sqlite3') as new (
  filename: string,
  options: { readonly: boolean; fileMustExist: boolean },
) => RawDatabase;

/** The fixed clock of the run: Monday 2030-01-07 00:00 UTC. */
export const NOW = Date.UTC(2030, 0, 7);
const HOUR = 3_600_000;
const iso = (ms: number) => new Date(ms).toISOString();

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

type Ids = Partial<Record<IdKind, string[]>>;

/** One scope's catalog and bookings: two of most kinds, so ids of every kind exist in it. */
async function populate(handle: Seshn, label: string): Promise<Ids> {
  const room = await handle.resources.create({
    name: `${label} room`,
    timezone: 'UTC',
    availability: { weekly: ALL_WEEK },
  });
  const studio = await handle.resources.create({
    name: `${label} studio`,
    timezone: 'Europe/London',
    availability: { weekly: ALL_WEEK },
  });
  const service = await handle.services.create({
    name: `${label} appointment`,
    kind: 'appointment',
    durationMinutes: 60,
    resourceIds: [room.id],
    horizonDays: null,
    public: true,
  });
  const yoga = await handle.services.create({
    name: `${label} yoga`,
    kind: 'class',
    durationMinutes: 60,
    capacity: 10,
    resourceIds: [studio.id],
    timetable: [{ resourceId: studio.id, rrule: 'FREQ=DAILY;BYHOUR=9,18', dtstart: '2030-01-01T09:00' }],
    horizonDays: null,
  });
  const contact = await handle.contacts.create({ name: `${label} contact`, email: 'fuzz@example.com' });
  const other = await handle.contacts.create({ name: `${label} other` });
  const allocation = await handle.allocations.create({
    resourceId: room.id,
    startTime: iso(NOW + 30 * HOUR),
    endTime: iso(NOW + 31 * HOUR),
  });
  const held = await handle.bookings.create({
    serviceId: service.id,
    contactId: contact.id,
    startTime: iso(NOW + 10 * HOUR),
    hold: true,
  });
  const confirmed = await handle.bookings.create({
    serviceId: service.id,
    contactId: other.id,
    startTime: iso(NOW + 12 * HOUR),
  });
  const series = await handle.bookingSeries.create({
    serviceId: service.id,
    contactId: contact.id,
    recurrence: { rrule: 'FREQ=DAILY;COUNT=2', dtstart: '2030-01-09T14:00' },
  });
  return {
    resource: [room.id, studio.id],
    service: [service.id, yoga.id],
    contact: [contact.id, other.id],
    allocation: [allocation.id],
    booking: [held.id, confirmed.id],
    series: [series.id],
  };
}

export interface FuzzTarget {
  seshn: Seshn;
  world: FuzzWorld;
  filename: string;
  /** Every row of every `seshn_*` table, as text, by table. */
  dump(): Record<string, string[]>;
  close(): Promise<void>;
}

export async function openFuzzTarget(dir: string): Promise<FuzzTarget> {
  const filename = join(dir, 'bad-input.db');
  const seshn = createSeshn({ adapter: sqliteAdapter({ filename }), now: () => new Date(NOW) });
  await seshn.migrate();
  const orgA = await seshn.organizations.create({ name: 'Fuzz A' });
  const orgB = await seshn.organizations.create({ name: 'Fuzz B' });
  const aTest = seshn.withScope({ organizationId: orgA.id, mode: 'test' });
  const aLive = seshn.withScope({ organizationId: orgA.id, mode: 'live' });
  const bTest = seshn.withScope({ organizationId: orgB.id, mode: 'test' });
  const own = await populate(aTest, 'A test');
  const live = await populate(aLive, 'A live');
  const other = await populate(bTest, 'B test');

  const key = (handle: Seshn, input: Parameters<Seshn['apiKeys']['create']>[0]) =>
    handle.apiKeys.create(input);
  const owner = await key(aTest, { name: 'owner', role: 'owner', mode: 'test' });
  const staff = await key(aTest, { name: 'staff', role: 'staff', mode: 'test' });
  const readonly = await key(aTest, { name: 'readonly', role: 'readonly', mode: 'test' });
  const publishable = await key(aTest, { name: 'widget', type: 'publishable', mode: 'test' });
  const revoked = await key(aTest, { name: 'revoked', role: 'owner', mode: 'test' });
  await aTest.apiKeys.revoke(revoked.id);
  const liveOwner = await key(aLive, { name: 'live owner', role: 'owner', mode: 'live' });
  const bOwner = await key(bTest, { name: 'B owner', role: 'owner', mode: 'test' });
  const bLive = await key(seshn.withScope({ organizationId: orgB.id, mode: 'live' }), {
    name: 'B live',
    role: 'admin',
    mode: 'live',
  });

  const foreign: Ids = {};
  for (const ids of [live, other]) {
    for (const [kind, list] of Object.entries(ids) as [IdKind, string[]][])
      foreign[kind] = [...(foreign[kind] ?? []), ...list];
  }
  // Keys belong to the organization (both modes), so only B's keys are foreign.
  foreign.apiKey = [bOwner.id, bLive.id];
  foreign.organization = [orgB.id];
  own.apiKey = [owner.id, staff.id, readonly.id, publishable.id, revoked.id, liveOwner.id];
  own.organization = [orgA.id];

  const [room] = own.resource!;
  const [service] = own.service!;
  const [contact] = own.contact!;
  const validBodies: FuzzWorld['validBodies'] = {
    'resources.create': { name: 'Fuzz room', timezone: 'UTC' },
    'resources.update': { name: 'Renamed' },
    'resources.archive': {},
    'services.create': {
      name: 'Fuzz service',
      kind: 'appointment',
      durationMinutes: 30,
      resourceIds: [room],
    },
    'services.update': { name: 'Renamed' },
    'services.archive': {},
    'allocations.create': {
      resourceId: room,
      startTime: iso(NOW + 50 * HOUR),
      endTime: iso(NOW + 51 * HOUR),
    },
    'contacts.create': { name: 'Fuzz contact' },
    'contacts.update': { name: 'Renamed' },
    'bookings.create': { serviceId: service, contactId: contact, startTime: iso(NOW + 14 * HOUR) },
    'bookings.confirm': {},
    'bookings.cancel': { reason: 'fuzz' },
    'bookings.reschedule': { startTime: iso(NOW + 16 * HOUR) },
    'bookingSeries.create': {
      serviceId: service,
      contactId: contact,
      recurrence: { rrule: 'FREQ=DAILY;COUNT=2', dtstart: '2030-01-20T14:00' },
    },
    'bookingSeries.confirm': {},
    'bookingSeries.cancel': {},
    'bookingSeries.cancelOccurrence': {},
    'bookingSeries.rescheduleOccurrence': { startTime: iso(NOW + 20 * HOUR) },
    'apiKeys.create': { name: 'made by fuzz', role: 'readonly' },
    'apiKeys.revoke': {},
    'testClock.advance': { seconds: 60 },
  };

  const raw = new BetterSqlite(filename, { readonly: true, fileMustExist: true });
  const tables = (
    raw
      .prepare(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE 'seshn\\_%' ESCAPE '\\' ORDER BY name",
      )
      .all() as {
      name: string;
    }[]
  ).map((t) => t.name);
  const text = (v: unknown) => (Buffer.isBuffer(v) ? `x'${v.toString('hex')}'` : v);
  return {
    seshn,
    filename,
    world: {
      keys: {
        owner: owner.secret,
        staff: staff.secret,
        readonly: readonly.secret,
        publishable: publishable.secret,
        revoked: revoked.secret,
        live: liveOwner.secret,
        other: bOwner.secret,
      },
      orgA: orgA.id,
      orgB: orgB.id,
      own,
      foreign,
      validBodies,
    },
    dump() {
      const out: Record<string, string[]> = {};
      for (const t of tables) {
        out[t] = (raw.prepare(`SELECT * FROM "${t}" ORDER BY 1`).all() as Record<string, unknown>[]).map(
          (row) => JSON.stringify(Object.entries(row).map(([k, v]) => [k, text(v)])),
        );
        // ORDER BY 1 may tie (a scope column first): sorted again as text, so equal tables dump equal.
        out[t]!.sort();
      }
      return out;
    },
    async close() {
      raw.close();
      await seshn.close?.();
    },
  };
}
