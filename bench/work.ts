/**
 * The work runner: `seshn.work.runDue()` over 10,000 due items on SQLite (a file, WAL), Postgres
 * and MariaDB/MySQL, from one runner and from 3 runners at once (each its own OS process with its
 * own connections, as several app instances would run it), and the ratio of the two throughputs.
 *
 * The due items, per database and run (each run has an organization of its own, both seeded
 * before either runs, so both runs see the same tables): 50% lapsed plain holds (a class session
 * on each of 50 resources), 20% lapsed waitlist offers (a class with waitlist policy `offer` on
 * 20 resources, one session each, with as many entries still waiting behind the offers: each
 * lapsed offer promotes the next entry, a new offer that is not yet due) and 30% confirmed
 * bookings due an automatic no-show (an early session on each resource, ended more than its
 * `checkInClosesMinutesAfter` ago).
 *
 * Seeding, with an injected clock at T: through the engine the resources, the services, one
 * contact and one template of each kind per slot (`bookings.create` with `hold: true`, a confirmed
 * `bookings.create`, a filler booking and a `waitlist.join` on the full offer session); the rest
 * are copies of those rows (new id and contact) inserted through the adapter in bulk (`reserve`
 * of a slot's bookings in one transaction, waitlist entries with the next positions); then
 * `services.update` raises the offer class's capacity, so the engine itself promotes the first
 * half of each queue into offers. The networked databases get `ANALYZE` after the load. The
 * runner processes boot once, while the first database is seeded, and serve every run: (a) is
 * the first of them alone. Runs: the clock moves to T + 4 h (every hold and offer has lapsed,
 * every early session's check-in has closed) and the runners loop `runDue({ limit: 500 })` until
 * a batch says `hasMore: false`; the time is from the common start to the last runner's last
 * batch (booting and connecting do not count). On SQLite the 3 processes share the file and its
 * write lock, so they take turns.
 *
 * Check after each run, in SQL: the `booking.expired`, `booking.no_show`,
 * `waitlist.offer_expired` and `waitlist.promoted` events the run wrote equal the seeded numbers,
 * no booking or entry has two of a kind, the stored rows agree (expired, no-show, promoted,
 * nothing left waiting) and the runners' summed counts equal them too.
 *
 * Knobs: SESHN_BENCH_WORK_ITEMS (default 10000), SESHN_BENCH_WORK_RUNNERS (default 3),
 * SESHN_BENCH_WORK_LIMIT (default 500), SESHN_BENCH_DATABASES (default "sqlite,postgres,mysql").
 * @module
 */
import { fork } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  type BookingRecord,
  createSeshn,
  encodeSlotId,
  type ReserveItem,
  typeIdGenerator,
  type WaitlistEntryRecord,
} from '../packages/core/src/index.js';
import { type BenchDatabase, type BenchDatabaseKind, onEachDatabase } from './lib/databases.js';
import { OPEN_ALL_WEEK } from './lib/hours.js';
import { cpuSplit, procTicks, sleep } from './lib/measure.js';
import { connectRaw, loadBetterSqlite3 } from './lib/raw-reserve.js';
import type { WorkWorkerCommand, WorkWorkerJob, WorkWorkerResult } from './lib/work-worker.js';

const HERE = dirname(fileURLToPath(import.meta.url));
const WORKER = join(HERE, 'lib', 'work-worker.ts');
const ITEMS = Number(process.env.SESHN_BENCH_WORK_ITEMS ?? 10_000);
const RUNNERS = Number(process.env.SESHN_BENCH_WORK_RUNNERS ?? 3);
const LIMIT = Number(process.env.SESHN_BENCH_WORK_LIMIT ?? 500);
const DATABASES = (process.env.SESHN_BENCH_DATABASES ?? 'sqlite,postgres,mysql').split(',');
const RESOURCES = 50;
const OFFER_SLOTS = 20;
const HOLD_TTL_S = 600;
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
/** The seeding clock (a Tuesday); the runs happen at T + 4 h. */
const T0 = Date.parse('2030-01-01T00:00:00Z');
const RUN_AT = T0 + 4 * HOUR;
/** The sessions: no-shows 01:00–02:00 (check-in closed at 03:00), holds 09:00, offers the next day 12:00. */
const EARLY_START = Date.parse('2030-01-01T01:00:00Z');
const CLASS_START = Date.parse('2030-01-01T09:00:00Z');
const OFFER_START = Date.parse('2030-01-02T12:00:00Z');

const log = (message: string) => process.stderr.write(`[work] ${message}\n`);

/** The mix, split evenly over the slots (50 resources; offers on 20 sessions). */
function mix(items: number) {
  const holdsPer = Math.max(1, Math.round((items * 0.5) / RESOURCES));
  const noShowsPer = Math.max(1, Math.round((items * 0.3) / RESOURCES));
  const offersPer = Math.max(1, Math.round((items * 0.2) / OFFER_SLOTS));
  return {
    holdsPer,
    noShowsPer,
    offersPer,
    holds: holdsPer * RESOURCES,
    noShows: noShowsPer * RESOURCES,
    offers: offersPer * OFFER_SLOTS,
  };
}
const MIX = mix(ITEMS);
const TOTAL = MIX.holds + MIX.noShows + MIX.offers;

/** Seeds one organization's due items (see the module comment); returns the seeding time. */
async function seed(db: BenchDatabase, organizationId: string): Promise<number> {
  const t0 = performance.now();
  const adapter = db.make();
  const seshn = createSeshn({ adapter, now: () => new Date(T0), organizationId });
  const scope = seshn.scope;
  try {
    const rooms: string[] = [];
    for (let i = 0; i < RESOURCES; i++) {
      const r = await seshn.resources.create({
        name: `Room ${i + 1}`,
        timezone: 'UTC',
        availability: { weekly: OPEN_ALL_WEEK },
      });
      rooms.push(r.id);
    }
    // One contact per place in an offer queue (a contact joins a queue once): one through the
    // engine, the others copies of its row.
    const first = await seshn.contacts.create({ name: 'Member 1' });
    const contacts: string[] = [first.id];
    const contact = (await adapter.get('contact', scope, first.id))!;
    await adapter.transaction(async (tx) => {
      for (let i = 1; i < Math.max(2 * MIX.offersPer, 20); i++) {
        const id = typeIdGenerator('ct');
        await tx.insert('contact', scope, { ...contact, id, name: `Member ${i + 1}` });
        contacts.push(id);
      }
    });
    const daily = (ids: string[], at: string) =>
      ids.map((resourceId) => ({ resourceId, rrule: 'FREQ=DAILY', dtstart: `2030-01-01T${at}` }));
    const roomy = Math.max(MIX.holdsPer, MIX.noShowsPer) + 10;
    const klass = await seshn.services.create({
      name: 'Class',
      kind: 'class',
      durationMinutes: 60,
      capacity: roomy,
      holdTtlSeconds: HOLD_TTL_S,
      resourceIds: rooms,
      timetable: daily(rooms, '09:00'),
    });
    const early = await seshn.services.create({
      name: 'Early class',
      kind: 'class',
      durationMinutes: 60,
      capacity: roomy,
      resourceIds: rooms,
      timetable: daily(rooms, '01:00'),
    });
    const offerRooms = rooms.slice(0, OFFER_SLOTS);
    const popular = await seshn.services.create({
      name: 'Popular class',
      kind: 'class',
      durationMinutes: 60,
      capacity: 1,
      resourceIds: offerRooms,
      timetable: daily(offerRooms, '12:00'),
      waitlist: { policy: 'offer', offerTtlSeconds: HOLD_TTL_S },
    });

    /** `n` bookings of the slot of `template` (itself one of them): copies, one `reserve`. */
    const fill = async (templateId: string, n: number, capacity: number) => {
      const template = (await adapter.get('booking', scope, templateId)) as BookingRecord;
      const items: ReserveItem[] = [];
      for (let i = 1; i < n; i++) {
        items.push({
          booking: { ...template, id: typeIdGenerator('bkg'), contactId: contacts[i % contacts.length]! },
          capacity,
        });
      }
      if (items.length === 0) return;
      const result = await adapter.transaction((tx) => tx.reserve(scope, { now: T0, items }));
      if (!result.ok) throw new Error(`seeding refused: ${JSON.stringify(result.conflicts[0])}`);
    };

    for (const resourceId of rooms) {
      const hold = await seshn.bookings.create({
        serviceId: klass.id,
        resourceId,
        startTime: new Date(CLASS_START),
        contactId: contacts[0]!,
        hold: true,
      });
      await fill(hold.id, MIX.holdsPer, roomy);
      const attended = await seshn.bookings.create({
        serviceId: early.id,
        resourceId,
        startTime: new Date(EARLY_START),
        contactId: contacts[0]!,
      });
      await fill(attended.id, MIX.noShowsPer, roomy);
    }

    for (const resourceId of offerRooms) {
      await seshn.bookings.create({
        serviceId: popular.id,
        resourceId,
        startTime: new Date(OFFER_START),
        contactId: contacts[0]!,
      });
      const slotId = encodeSlotId({
        serviceId: popular.id,
        resourceId,
        start: OFFER_START,
        end: OFFER_START + HOUR,
      });
      const first = await seshn.waitlist.join({ slotId, contactId: contacts[0]! });
      const template = (await adapter.get('waitlistEntry', scope, first.id)) as WaitlistEntryRecord;
      await adapter.transaction(async (tx) => {
        // Entries are written under their resource row, as the engine writes them.
        await tx.tryLockResources(scope, [resourceId]);
        for (let p = 2; p <= 2 * MIX.offersPer; p++) {
          await tx.insert('waitlistEntry', scope, {
            ...template,
            id: typeIdGenerator('wl'),
            contactId: contacts[p - 1]!,
            position: p,
          });
        }
      });
    }
    // Statistics for the bulk-loaded rows first: a never-analysed Postgres table makes the
    // planner guess (an update by id scanned the whole scope through another index).
    await analyze(db);
    // Room for the first half of every queue: the engine promotes them into offers (held
    // bookings for `offerTtlSeconds`), the second half keeps waiting behind them.
    await seshn.services.update(popular.id, { capacity: 1 + MIX.offersPer });
    return (performance.now() - t0) / 1000;
  } finally {
    await seshn.close();
  }
}

/** `ANALYZE` after the bulk load (what autovacuum or InnoDB's auto-statistics would do). */
async function analyze(db: BenchDatabase): Promise<void> {
  if (db.kind === 'sqlite' || db.url === null) return;
  const c = await connectRaw(db.kind, db.url);
  try {
    await c.exec(
      db.kind === 'postgres'
        ? 'ANALYZE'
        : 'ANALYZE TABLE seshn_bookings, seshn_waitlist_entries, seshn_resources, seshn_events',
    );
  } finally {
    await c.end();
  }
}

/** Reads from the database under the engine (the check after a run), SQLite file or server. */
async function openSql(db: BenchDatabase, file: string) {
  if (db.kind === 'sqlite') {
    const Database = loadBetterSqlite3();
    const conn = new Database(file) as unknown as {
      prepare(sql: string): { all(): Record<string, unknown>[] };
      close(): void;
    };
    return {
      query: async (sql: string) => conn.prepare(sql).all(),
      end: async () => conn.close(),
    };
  }
  const c = await connectRaw(db.kind, db.url!);
  return { query: async (sql: string) => (await c.exec(sql)).rows, end: () => c.end() };
}

interface Stored {
  /** Events by type: count and distinct subject ids (booking or entry). */
  events: Record<string, { n: number; ids: number }>;
  bookings: Record<string, number>;
  entries: Record<string, number>;
}

const EVENT_TYPES = ['booking.expired', 'booking.no_show', 'waitlist.offer_expired', 'waitlist.promoted'];

async function stored(db: BenchDatabase, file: string, organizationId: string): Promise<Stored> {
  const idOf = {
    sqlite: "json_extract(data, '$.id')",
    postgres: "(data::json ->> 'id')",
    mysql: "json_unquote(json_extract(data, '$.id'))",
  }[db.kind];
  const org = `organization_id = '${organizationId}' AND mode = 'live'`;
  const sql = await openSql(db, file);
  try {
    const events: Stored['events'] = {};
    for (const type of EVENT_TYPES) events[type] = { n: 0, ids: 0 };
    for (const r of await sql.query(
      `SELECT type, count(*) AS n, count(DISTINCT ${idOf}) AS ids FROM seshn_events WHERE ${org} AND type IN (${EVENT_TYPES.map((t) => `'${t}'`).join(', ')}) GROUP BY type`,
    )) {
      events[String(r.type)] = { n: Number(r.n), ids: Number(r.ids) };
    }
    const bookings: Record<string, number> = {};
    for (const r of await sql.query(
      `SELECT status, attendance, count(*) AS n FROM seshn_bookings WHERE ${org} GROUP BY status, attendance`,
    )) {
      bookings[`${r.status}/${r.attendance}`] = Number(r.n);
    }
    const entries: Record<string, number> = {};
    for (const r of await sql.query(
      `SELECT status, count(*) AS n FROM seshn_waitlist_entries WHERE ${org} GROUP BY status`,
    )) {
      entries[String(r.status)] = Number(r.n);
    }
    return { events, bookings, entries };
  } finally {
    await sql.end();
  }
}

type WorkerMessage = { booted: true } | { ready: true } | { result: WorkWorkerResult };

/** A runner process, booted once for every run (bench/lib/work-worker.ts). */
function startWorker() {
  const child = fork(WORKER, [], {
    execArgv: ['--conditions=dev-source', '--import', 'tsx'],
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  const queue: WorkerMessage[] = [];
  const waiters: { resolve: (m: WorkerMessage) => void; reject: (e: Error) => void }[] = [];
  let gone: Error | null = null;
  child.on('message', (m: WorkerMessage) => {
    const w = waiters.shift();
    if (w) w.resolve(m);
    else queue.push(m);
  });
  const die = (error: Error) => {
    gone ??= error;
    for (const w of waiters.splice(0)) w.reject(gone);
  };
  child.on('error', die);
  child.on('exit', (code, signal) => die(new Error(`work runner exited (${code ?? signal})`)));
  const next = () =>
    new Promise<WorkerMessage>((resolve, reject) => {
      const m = queue.shift();
      if (m) resolve(m);
      else if (gone) reject(gone);
      else waiters.push({ resolve, reject });
    });
  const expect = async <K extends 'booted' | 'ready' | 'result'>(key: K) => {
    const m = await next();
    if (!(key in m)) throw new Error(`work runner: expected ${key}, got ${JSON.stringify(m)}`);
    return m as Extract<WorkerMessage, Record<K, unknown>>;
  };
  const send = (command: WorkWorkerCommand) => child.send(command);
  const booted = expect('booted');
  // Awaited before every run; a runner that failed to boot must not be an unhandled rejection.
  booted.catch(() => undefined);
  return {
    /** Opens the run's adapter in the runner; resolves once it is connected. */
    open: async (job: WorkWorkerJob) => {
      await booted;
      send({ open: job });
      await expect('ready');
    },
    /** Starts the run at `startAt` (epoch ms); resolves with the runner's tallies. */
    run: async (startAt: number) => {
      send({ startAt });
      return (await expect('result')).result;
    },
    stop: () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      send({ exit: true });
      setTimeout(() => child.kill(), 2000).unref();
    },
  };
}
type Worker = ReturnType<typeof startWorker>;

interface Run {
  runners: number;
  seconds: number;
  /** CPU of processes that are neither the benchmark's nor the database server's, % of one core. */
  foreignCpuPct: number;
  itemsPerS: number;
  batches: number;
  errors: number;
  errorSamples: Record<string, number>;
  check: string;
  ok: boolean;
}

/** `runners` of the runner processes loop `runDue` over one seeded organization; the check afterwards. */
async function runOn(
  db: BenchDatabase,
  file: string,
  organizationId: string,
  workers: Worker[],
): Promise<Run> {
  const runners = workers.length;
  const before = await stored(db, file, organizationId);
  const job: WorkWorkerJob = {
    kind: db.kind,
    target: db.kind === 'sqlite' ? file : db.url!,
    organizationId,
    now: RUN_AT,
    limit: LIMIT,
  };
  await Promise.all(workers.map((w) => w.open(job)));
  const startAt = Date.now() + 100;
  const running = Promise.all(workers.map((w) => w.run(startAt)));
  await sleep(Math.max(0, startAt - Date.now()));
  const pt0 = procTicks();
  const results = await running;
  const pt1 = procTicks();
  const seconds = (Math.max(...results.map((r) => r.finishedAt)) - startAt) / 1000;
  const foreignCpuPct = cpuSplit(pt0, pt1, seconds).foreign;
  const sum = (k: 'expiredHolds' | 'expiredOffers' | 'promoted' | 'noShows' | 'batches' | 'errors') =>
    results.reduce((s, r) => s + r[k], 0);
  const errorSamples: Record<string, number> = {};
  for (const r of results)
    for (const [k, v] of Object.entries(r.errorSamples)) errorSamples[k] = (errorSamples[k] ?? 0) + v;

  const after = await stored(db, file, organizationId);
  const delta = (t: string) => after.events[t]!.n - before.events[t]!.n;
  const expect: [string, number, number][] = [
    ['booking.expired events', delta('booking.expired'), MIX.holds + MIX.offers],
    ['booking.no_show events', delta('booking.no_show'), MIX.noShows],
    ['waitlist.offer_expired events', delta('waitlist.offer_expired'), MIX.offers],
    ['waitlist.promoted events', delta('waitlist.promoted'), MIX.offers],
    ['expired bookings', after.bookings['expired/pending'] ?? 0, MIX.holds + MIX.offers],
    ['no-show bookings', after.bookings['confirmed/no_show'] ?? 0, MIX.noShows],
    ['new offers (live holds)', after.bookings['held/pending'] ?? 0, MIX.offers],
    ['lapsed-offer entries', after.entries.expired ?? 0, MIX.offers],
    ['entries left waiting', after.entries.waiting ?? 0, 0],
    ['runners: expiredHolds', sum('expiredHolds'), MIX.holds + MIX.offers],
    ['runners: expiredOffers', sum('expiredOffers'), MIX.offers],
    ['runners: promoted', sum('promoted'), MIX.offers],
    ['runners: noShows', sum('noShows'), MIX.noShows],
  ];
  const wrong = expect
    .filter(([, got, want]) => got !== want)
    .map(([what, got, want]) => `${what} ${got} ≠ ${want}`);
  for (const t of EVENT_TYPES) {
    const e = after.events[t]!;
    if (e.ids !== e.n) wrong.push(`${t}: ${e.n - e.ids} duplicate(s)`);
  }
  const ok = wrong.length === 0;
  const check = ok
    ? `ok: ${delta('booking.expired').toLocaleString('en')} expired / ${delta('booking.no_show').toLocaleString('en')} no-show / ${delta('waitlist.promoted').toLocaleString('en')} promoted events, each once`
    : `FAILED: ${wrong.join('; ')}`;
  const run: Run = {
    runners,
    seconds,
    foreignCpuPct,
    itemsPerS: TOTAL / seconds,
    batches: sum('batches'),
    errors: sum('errors'),
    errorSamples,
    check,
    ok,
  };
  log(
    `${db.name} ${runners} runner(s): ${seconds.toFixed(2)} s, ${Math.round(run.itemsPerS)} items/s, ${run.batches} batches (${results.map((r) => r.batches).join(' + ')}), foreign CPU ${foreignCpuPct}%, ${run.errors} errors${run.errors ? ` ${JSON.stringify(errorSamples)}` : ''}; ${check}`,
  );
  return run;
}

interface Row {
  name: string;
  one: Run;
  many: Run;
}

async function benchOn(db: BenchDatabase, workers: Worker[]): Promise<Row> {
  // SQLite: onEachDatabase's file; the runners and the check open it themselves.
  const file = db.file ?? '';
  const single = 'org_bench_work_1';
  const multi = `org_bench_work_${RUNNERS}`;
  const t0 = performance.now();
  const adapter = db.make();
  await createSeshn({ adapter }).migrate();
  await adapter.close();
  // SQLite has one writer: seed one organization after the other; the servers take both at once.
  const seeds =
    db.kind === 'sqlite'
      ? [await seed(db, single), await seed(db, multi)]
      : await Promise.all([seed(db, single), seed(db, multi)]);
  await analyze(db);
  log(
    `${db.name}: seeded ${TOTAL} due items in each of two organizations in ${((performance.now() - t0) / 1000).toFixed(1)} s (${seeds.map((s) => s.toFixed(1)).join(' s, ')} s)`,
  );
  return {
    name: db.name,
    one: await runOn(db, file, single, workers.slice(0, 1)),
    many: await runOn(db, file, multi, workers),
  };
}

/**
 * The database servers' CPU is the benchmark's own (bench/lib/measure.ts counts the processes
 * `BENCH_PG_PID` / `BENCH_MY_PID` name and their children): found by name when not given — the
 * Postgres postmaster (a `postgres` process whose parent is not one) and mariadbd / mysqld.
 */
function findServerPids(): void {
  const comm = (pid: string) => {
    try {
      return readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
    } catch {
      return '';
    }
  };
  const parent = (pid: string) => {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1] ?? '';
    } catch {
      return '';
    }
  };
  let entries: string[];
  try {
    entries = readdirSync('/proc').filter((d) => /^[0-9]+$/.test(d));
  } catch {
    return;
  }
  for (const pid of entries) {
    const name = comm(pid);
    if (name === 'postgres' && !process.env.BENCH_PG_PID && comm(parent(pid)) !== 'postgres')
      process.env.BENCH_PG_PID = pid;
    if ((name === 'mariadbd' || name === 'mysqld') && !process.env.BENCH_MY_PID)
      process.env.BENCH_MY_PID = pid;
  }
}

export async function bench(): Promise<string> {
  findServerPids();
  const kinds = (['sqlite', 'postgres', 'mysql'] as const).filter((k) =>
    DATABASES.includes(k),
  ) as BenchDatabaseKind[];
  // The runner processes boot (load TypeScript) while the first database is seeded, and serve
  // every run: (a) is the first of them alone.
  const workers = Array.from({ length: RUNNERS }, () => startWorker());
  let rows: Row[];
  try {
    rows = await onEachDatabase('work', (db) => benchOn(db, workers), kinds);
  } finally {
    for (const w of workers) w.stop();
  }
  const fmt = (r: Run) =>
    `${r.seconds.toFixed(2)} s, ${Math.round(r.itemsPerS).toLocaleString('en')} items/s (${r.batches} batches${r.errors ? `, ${r.errors} failed` : ''})`;
  const failures = rows.flatMap((r) =>
    [r.one, r.many]
      .filter((x) => !x.ok || x.errors > 0)
      .map(
        (x) =>
          `- ${r.name}, ${x.runners} runner(s): ${x.check}${x.errors ? `; failed batches ${JSON.stringify(x.errorSamples)}` : ''}`,
      ),
  );
  return [
    '## Work runner: `work.runDue` over due items',
    '',
    `${TOTAL.toLocaleString('en')} due items per run: ${MIX.holds.toLocaleString('en')} lapsed holds (a class session on each of ${RESOURCES} resources), ${MIX.offers.toLocaleString('en')} lapsed waitlist offers (policy \`offer\`, ${OFFER_SLOTS} sessions, each with as many entries waiting behind: every lapsed offer promotes the next entry) and ${MIX.noShows.toLocaleString('en')} confirmed bookings due an automatic no-show. Seeded through the engine at T (one template per slot, copies inserted through the adapter, the offers made by the engine's own promotion), then the clock moves to T + 4 h. Runners loop \`runDue({ limit: ${LIMIT} })\` until \`hasMore\` is false, each runner its own OS process with its own connections; time from the common start to the last runner's last batch. (a) 1 runner, (b) ${RUNNERS} runners at once (on SQLite ${RUNNERS} processes on one file: they take turns at the write lock). Items/s counts the due items (promotions come on top). Foreign CPU = other work on this shared machine during the run (% of one core; the database server counts as the benchmark's, queries other clients send it included). Check: the events each run wrote (\`booking.expired\`, \`booking.no_show\`, \`waitlist.offer_expired\`, \`waitlist.promoted\`) and the stored rows equal the seeded numbers, with no booking or entry twice.`,
    '',
    `| database | (a) 1 runner | (b) ${RUNNERS} runners | ratio (b)/(a) | foreign CPU (a) / (b) | check (a) | check (b) |`,
    '| --- | ---: | ---: | ---: | ---: | --- | --- |',
    ...rows.map(
      (r) =>
        `| ${r.name} | ${fmt(r.one)} | ${fmt(r.many)} | ${(r.many.itemsPerS / r.one.itemsPerS).toFixed(2)}× | ${r.one.foreignCpuPct}% / ${r.many.foreignCpuPct}% | ${r.one.check} | ${r.many.check} |`,
    ),
    ...(failures.length ? ['', 'Problems:', '', ...failures] : []),
  ].join('\n');
}
