/**
 * Hot-slot reservation on Postgres and MariaDB/MySQL: `seshn.bookings.create` of one seat at a
 * time on one slot at 1, 8, 32 and 64 concurrent clients (a pool of that size), against the
 * raw-SQL baseline (bench/lib/raw-reserve.ts: `BEGIN; UPDATE slot …; INSERT booking; COMMIT`) run
 * in the same invocation on the same servers. Targets: ≥ 0.7× the raw throughput and p99 ≤ 2× the raw p99 at every level. Then an
 * exclusive-resource race: 64 clients book the same hour of a capacity-1 service at once; exactly
 * one may win.
 *
 * Method (bench/lib/measure.ts `runLoops`, on both sides): K async clients in one process (Seshn's
 * in this one, the baseline's in a process of its own), each looping as fast as it can over K
 * connections; a warm-up, then only attempts completing inside the measured window count. Every side gets a database of its own, created and dropped
 * here (the baseline drops and creates its own tables in it); the Seshn side gets a fresh one per
 * level. The service has room for every attempt (100,000 seats, the schema's maximum), is open
 * 24/7 with no horizon, and the clock is fixed. Servers: SESHN_TEST_POSTGRES_URL /
 * SESHN_TEST_MYSQL_URL (default: the local CI servers), with their default durability.
 *
 * Knobs (environment): SESHN_BENCH_SECONDS (measured window, default 5), SESHN_BENCH_WARMUP
 * (default 1), SESHN_BENCH_CLIENTS (default "1,8,32,64"), SESHN_BENCH_DATABASES (default
 * "postgres,mysql").
 * @module
 */

import { mysqlAdapter } from '../packages/adapter-mysql/src/index.js';
import { postgresAdapter } from '../packages/adapter-postgres/src/index.js';
import { createSeshn, type SeshnAdapter, SeshnError } from '../packages/core/src/index.js';
import {
  createScratchDatabase,
  redact,
  type ScratchDatabase,
  serverUrl,
} from '../packages/testing/src/databases.js';
import { drivers } from './lib/drivers.js';
import { OPEN_ALL_WEEK } from './lib/hours.js';
import { type HotSlotRun, latencySummary, runLoops } from './lib/measure.js';
import { connectRaw, rawServerHotInChild } from './lib/raw-reserve.js';

type Kind = 'postgres' | 'mysql';

const SECONDS = Number(process.env.SESHN_BENCH_SECONDS ?? 5);
const WARMUP = Number(process.env.SESHN_BENCH_WARMUP ?? 1);
const CLIENTS = (process.env.SESHN_BENCH_CLIENTS ?? '1,8,32,64').split(',').map(Number);
const DATABASES = (process.env.SESHN_BENCH_DATABASES ?? 'postgres,mysql').split(',') as Kind[];
const TARGET_THROUGHPUT = 0.7;
const TARGET_P99 = 2;
const CAPACITY = 100_000;
const RACE_CLIENTS = 64;
const NOW = Date.parse('2030-01-01T00:00:00Z');
const START = '2030-01-07T10:00:00Z';
const HOUR = 3_600_000;

const log = (message: string) => process.stderr.write(`[db-reserve] ${message}\n`);

export type { HotSlotRun };

/** The raw baseline with K clients on its own database, in a process of its own, measured like the Seshn side. */
export function runRaw(kind: Kind, k: number, database: ScratchDatabase): Promise<HotSlotRun> {
  return rawServerHotInChild(kind, database.url, { k, seconds: SECONDS, warmup: WARMUP });
}

/** SESHN_BENCH_PG_EXCLUSION=0 measures Postgres without its exclusion constraint. */
const PG_EXCLUSION = process.env.SESHN_BENCH_PG_EXCLUSION !== '0';

function openAdapter(kind: Kind, url: string, poolSize: number): SeshnAdapter {
  return kind === 'postgres'
    ? postgresAdapter({ connectionString: url, poolSize, exclusionConstraint: PG_EXCLUSION })
    : mysqlAdapter({ uri: url, poolSize });
}

/** One resource open 24/7, one service of `capacity` seats, one contact. */
async function fixture(adapter: SeshnAdapter, capacity: number) {
  const seshn = createSeshn({ adapter, now: () => new Date(NOW) });
  await seshn.migrate();
  const room = await seshn.resources.create({
    name: 'Hall',
    timezone: 'UTC',
    availability: { weekly: OPEN_ALL_WEEK },
  });
  const service = await seshn.services.create({
    name: capacity === 1 ? 'Exclusive' : 'Hot slot',
    kind: 'appointment',
    durationMinutes: 60,
    capacity,
    resourceIds: [room.id],
    horizonDays: null,
    minNoticeMinutes: 0,
  });
  const contact = await seshn.contacts.create({ name: 'Bench' });
  return { seshn, serviceId: service.id, contactId: contact.id };
}

/** What the run stored, counted in SQL: bookings, their confirmed seats, booking events. */
async function storedCounts(kind: Kind, url: string) {
  const c = await connectRaw(kind, url);
  try {
    const b = (
      await c.exec(
        "SELECT count(*) AS n, coalesce(sum(CASE WHEN status = 'confirmed' THEN seats ELSE 0 END), 0) AS seats FROM seshn_bookings",
      )
    ).rows[0];
    const e = (await c.exec("SELECT count(*) AS n FROM seshn_events WHERE type LIKE 'booking.%'")).rows[0];
    return { bookings: Number(b?.n), seats: Number(b?.seats), events: Number(e?.n) };
  } finally {
    await c.end();
  }
}

/** `seshn.bookings.create` from K clients over a pool of K on a fresh database, measured like the baseline. */
export async function runSeshn(kind: Kind, k: number): Promise<HotSlotRun> {
  const database = await createScratchDatabase(kind, drivers[kind] as never, { name: scratchName('seshn') });
  const adapter = openAdapter(kind, database.url, k);
  try {
    const { seshn, serviceId, contactId } = await fixture(adapter, CAPACITY);
    const request = { serviceId, contactId, startTime: START, seats: 1 };
    const run = await runLoops({
      k,
      seconds: SECONDS,
      warmup: WARMUP,
      op: async () => {
        try {
          await seshn.bookings.create(request);
          return 'ok';
        } catch (error) {
          if (error instanceof SeshnError && error.code === 'slot_unavailable') return 'rejected';
          throw error;
        }
      },
      describe: (e) => (e instanceof SeshnError ? `${e.code}: ${e.message.slice(0, 80)}` : String(e)),
    });
    const stored = await storedCounts(kind, database.url);
    return {
      okPerS: Math.round(run.counts.ok / run.elapsedS),
      ...run.counts,
      errorSamples: run.errorSamples,
      ...latencySummary(run.lat),
      foreignCpuPct: run.foreignCpuPct,
      // Every booking is one confirmed seat and appended two events (created, confirmed).
      consistent:
        stored.seats === stored.bookings &&
        stored.bookings <= CAPACITY &&
        stored.events === 2 * stored.bookings,
      note: `${stored.bookings} bookings stored, ${stored.events} booking events`,
    };
  } finally {
    await adapter.close();
    await database.drop();
  }
}

let scratchCounter = 0;
const scratchName = (side: string) =>
  `seshn_bench_${side}_${process.pid}_${++scratchCounter}_${Math.random().toString(16).slice(2, 8)}`;

export interface RaceResult {
  winners: number;
  refused: number;
  errors: number;
  stored: number;
  ms: number;
}

/** 64 clients (a pool of 64) book the same hour of a capacity-1 service at once. */
export async function exclusiveRace(kind: Kind, rounds = 3): Promise<RaceResult[]> {
  const database = await createScratchDatabase(kind, drivers[kind] as never, { name: scratchName('race') });
  const adapter = openAdapter(kind, database.url, RACE_CLIENTS);
  try {
    const { seshn, serviceId, contactId } = await fixture(adapter, 1);
    // Open every connection first, so the race measures reservations rather than connecting.
    await Promise.all(Array.from({ length: RACE_CLIENTS }, () => seshn.bookings.list({ limit: 1 })));
    const results: RaceResult[] = [];
    for (let round = 0; round < rounds; round++) {
      const startTime = new Date(Date.parse(START) + (round + 1) * 24 * HOUR).toISOString();
      const t0 = process.hrtime.bigint();
      const outcomes = await Promise.all(
        Array.from({ length: RACE_CLIENTS }, () =>
          seshn.bookings.create({ serviceId, contactId, startTime, seats: 1 }).then(
            () => 'won' as const,
            (e: unknown) =>
              e instanceof SeshnError && e.code === 'slot_unavailable'
                ? ('refused' as const)
                : ('error' as const),
          ),
        ),
      );
      const ms = Number(process.hrtime.bigint() - t0) / 1e6;
      const page = await seshn.bookings.list({
        from: new Date(startTime),
        to: new Date(Date.parse(startTime) + HOUR),
        limit: 100,
      });
      results.push({
        winners: outcomes.filter((o) => o === 'won').length,
        refused: outcomes.filter((o) => o === 'refused').length,
        errors: outcomes.filter((o) => o === 'error').length,
        stored: page.data.length,
        ms,
      });
    }
    return results;
  } finally {
    await adapter.close();
    await database.drop();
  }
}

const ms = (v: number | null) => (v === null ? '–' : v < 1 ? v.toFixed(3) : v.toFixed(2));
const label: Record<Kind, string> = { postgres: 'Postgres', mysql: 'MariaDB/MySQL' };

export interface HotSlotRow {
  kind: Kind;
  k: number;
  raw: HotSlotRun;
  seshn: HotSlotRun;
  ratio: number;
  p99Ratio: number | null;
}

/** Both sides at each level; the side that goes first alternates between levels. */
export async function measure(kinds: Kind[] = DATABASES, levels: number[] = CLIENTS): Promise<HotSlotRow[]> {
  const rows: HotSlotRow[] = [];
  for (const kind of kinds) {
    log(`${kind}: server ${redact(serverUrl(kind))}`);
    const rawDb = await createScratchDatabase(kind, drivers[kind] as never, { name: scratchName('raw') });
    try {
      for (const [i, k] of levels.entries()) {
        const order = i % 2 === 0 ? (['raw', 'seshn'] as const) : (['seshn', 'raw'] as const);
        const runs: Partial<Record<'raw' | 'seshn', HotSlotRun>> = {};
        for (const side of order) {
          const run = side === 'raw' ? await runRaw(kind, k, rawDb) : await runSeshn(kind, k);
          runs[side] = run;
          log(
            `${kind} K=${k} ${side}: ${run.okPerS} bookings/s, p50 ${ms(run.p50Ms)} ms, p99 ${ms(run.p99Ms)} ms, rejected ${run.rejected}, errors ${run.errors}, foreign CPU ${run.foreignCpuPct}% (${run.note})`,
          );
        }
        const raw = runs.raw!;
        const seshn = runs.seshn!;
        rows.push({
          kind,
          k,
          raw,
          seshn,
          ratio: seshn.okPerS / raw.okPerS,
          p99Ratio: raw.p99Ms && seshn.p99Ms !== null ? seshn.p99Ms / raw.p99Ms : null,
        });
      }
    } finally {
      await rawDb.drop();
    }
  }
  return rows;
}

export function renderSection(rows: HotSlotRow[], races: Map<Kind, RaceResult[]>): string {
  const problems = rows.flatMap((r) =>
    (['raw', 'seshn'] as const).flatMap((side) => {
      const run = r[side];
      const out: string[] = [];
      if (run.rejected || run.errors)
        out.push(
          `${r.kind} ${side}, K=${r.k}: ${run.rejected} rejected, ${run.errors} errors ${JSON.stringify(run.errorSamples)}`,
        );
      if (!run.consistent) out.push(`${r.kind} ${side}, K=${r.k}: stored data inconsistent (${run.note})`);
      return out;
    }),
  );
  const verdict = (r: HotSlotRow) => {
    const t = r.ratio >= TARGET_THROUGHPUT;
    const p = r.p99Ratio !== null && r.p99Ratio <= TARGET_P99;
    return t && p ? 'met' : `MISSED (${[t ? '' : 'throughput', p ? '' : 'p99'].filter(Boolean).join(', ')})`;
  };
  const raceRows = [...races.entries()].flatMap(([kind, results]) =>
    results.map(
      (r, i) =>
        `| ${label[kind]} | ${i + 1} | ${r.winners} | ${r.refused} | ${r.errors} | ${r.stored} | ${r.ms.toFixed(0)} ms | ${r.winners === 1 && r.stored === 1 && r.errors === 0 ? 'ok' : 'FAILED'} |`,
    ),
  );
  return [
    '## Postgres and MariaDB hot-slot reservation: `bookings.create` vs raw SQL',
    '',
    `One slot, one seat per booking, every attempt fits (capacity ${CAPACITY.toLocaleString('en')}); K async clients in one process over a pool of K connections; default server durability. Raw = the in-repo baseline \`bench/lib/raw-reserve.ts\` (\`BEGIN; UPDATE slot …; INSERT booking; COMMIT\` on a slot table, no library, one connection per client, in a process of its own), run in the same invocation on its own database. Seshn = the whole \`bookings.create\` (validation, slot rules, pricing, then one transaction: lock the resource row, read the slot's live seats, insert the booking and its two events), a fresh database per level. ${WARMUP} s warm-up, ${SECONDS} s measured. Latency per attempt in ms. Foreign CPU = other work on this shared 2-core machine during the window (% of one core). Targets: ≥ ${TARGET_THROUGHPUT}× raw throughput and p99 ≤ ${TARGET_P99}× raw p99.`,
    '',
    '| database | clients | raw bookings/s | seshn bookings/s | ratio | raw p50 / p99 | seshn p50 / p99 | p99 ratio | foreign CPU raw / seshn | target |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |',
    ...rows.map(
      (r) =>
        `| ${label[r.kind]} | ${r.k} | ${r.raw.okPerS.toLocaleString('en')} | ${r.seshn.okPerS.toLocaleString('en')} | ${r.ratio.toFixed(2)}× | ${ms(r.raw.p50Ms)} / ${ms(r.raw.p99Ms)} | ${ms(r.seshn.p50Ms)} / ${ms(r.seshn.p99Ms)} | ${r.p99Ratio === null ? '–' : `${r.p99Ratio.toFixed(2)}×`} | ${r.raw.foreignCpuPct}% / ${r.seshn.foreignCpuPct}% | ${verdict(r)} |`,
    ),
    '',
    ...(problems.length
      ? ['Problems:', '', ...problems.map((p) => `- ${p}`)]
      : ['No rejections or errors; the stored bookings and events match on both sides.']),
    '',
    `### Exclusive-resource race: ${RACE_CLIENTS} clients, one hour, capacity 1`,
    '',
    `${RACE_CLIENTS} concurrent \`bookings.create\` for the same hour (a pool of ${RACE_CLIENTS} connections, opened beforehand); time from the first call until all ${RACE_CLIENTS} have an answer.`,
    '',
    '| database | round | winners | refused (slot_unavailable) | errors | stored | time | |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |',
    ...raceRows,
  ].join('\n');
}

/** The markdown section for `pnpm bench`. */
export async function bench(): Promise<string> {
  return renderSection(await measure(), await races());
}

async function races(): Promise<Map<Kind, RaceResult[]>> {
  const races = new Map<Kind, RaceResult[]>();
  for (const kind of DATABASES) {
    const results = await exclusiveRace(kind);
    for (const r of results)
      log(
        `${kind} race: ${r.winners} winner(s), ${r.refused} refused, ${r.errors} errors, ${r.ms.toFixed(0)} ms`,
      );
    races.set(kind, results);
  }
  return races;
}
