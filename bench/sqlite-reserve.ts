/**
 * Hot-slot reservation on a file-backed SQLite database (WAL): `seshn.bookings.create` of one
 * seat at a time on one slot, from 1 process and from 4 processes sharing the file, against the
 * raw-SQL baseline (bench/lib/raw-reserve.ts: `BEGIN IMMEDIATE; UPDATE slot …; INSERT booking;
 * COMMIT`) run in the same invocation on the same machine. Target: ≥ 0.7× the raw throughput.
 *
 * Method (mirrors the baseline's): a fresh database per run; every client is its own OS process
 * with its own connection, looping as fast as it can; a warm-up, then only attempts completing
 * inside the measured window count. The service has room for every attempt (100,000 seats, the
 * schema's maximum; the table reports any rejection), is open 24/7 with no horizon, and the clock
 * is fixed. Durability matches: journal WAL, `synchronous = NORMAL` on both sides (each reports
 * the setting its connections ended up with).
 *
 * Knobs (environment): SESHN_BENCH_SECONDS (measured window, default 5), SESHN_BENCH_WARMUP
 * (default 1), SESHN_BENCH_ROUNDS (median of N rounds, default 1), SESHN_BENCH_PROCS (default
 * "1,4").
 * @module
 */

import { fork } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sqliteAdapter } from '../packages/adapter-sqlite/src/index.js';
import { createSeshn } from '../packages/core/src/index.js';
import { type HotSlotRun, latencySummary, runWorkerWindow } from './lib/measure.js';
import { loadBetterSqlite3, rawSqliteHot } from './lib/raw-reserve.js';
import { measureSqlFloor } from './lib/sql-floor.js';
import type { ReserveWorkerJob, ReserveWorkerResult } from './lib/sqlite-reserve-worker.js';

const HERE = dirname(fileURLToPath(import.meta.url));
const WORKER = join(HERE, 'lib', 'sqlite-reserve-worker.ts');
const SECONDS = Number(process.env.SESHN_BENCH_SECONDS ?? 5);
const WARMUP = Number(process.env.SESHN_BENCH_WARMUP ?? 1);
const ROUNDS = Math.max(1, Number(process.env.SESHN_BENCH_ROUNDS ?? 1));
const PROCS = (process.env.SESHN_BENCH_PROCS ?? '1,4').split(',').map(Number);
const TARGET = 0.7;
const CAPACITY = 100_000;
const NOW = Date.parse('2030-01-01T00:00:00Z');
const START = '2030-01-07T10:00:00Z';
const BUSY_TIMEOUT_MS = 5000;

const Database = loadBetterSqlite3();

const log = (line: string) => process.stderr.write(`sqlite-reserve: ${line}\n`);

export type { HotSlotRun };

/** The raw baseline from `procs` processes, measured like the Seshn side. */
export function runRaw(procs: number): Promise<HotSlotRun> {
  return rawSqliteHot({ procs, seconds: SECONDS, warmup: WARMUP, busyTimeoutMs: BUSY_TIMEOUT_MS });
}

/** A fresh database with one resource open 24/7, one roomy service and one contact. */
async function freshDatabase(file: string) {
  for (const f of [file, `${file}-wal`, `${file}-shm`]) rmSync(f, { force: true });
  const seshn = createSeshn({ adapter: sqliteAdapter({ filename: file }), now: () => new Date(NOW) });
  await seshn.migrate();
  const allDay = [{ start: '00:00', end: '24:00' }];
  const room = await seshn.resources.create({
    name: 'Hall',
    timezone: 'UTC',
    availability: {
      weekly: { mon: allDay, tue: allDay, wed: allDay, thu: allDay, fri: allDay, sat: allDay, sun: allDay },
    },
  });
  const service = await seshn.services.create({
    name: 'Hot slot',
    kind: 'appointment',
    durationMinutes: 60,
    capacity: CAPACITY,
    resourceIds: [room.id],
    horizonDays: null,
    minNoticeMinutes: 0,
  });
  const contact = await seshn.contacts.create({ name: 'Bench' });
  await seshn.close();
  // Like the baseline: every run starts with an empty WAL.
  const db = new Database(file);
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.close();
  return { serviceId: service.id, contactId: contact.id };
}

function startWorker(job: ReserveWorkerJob) {
  const child = fork(WORKER, [JSON.stringify(job)], {
    execArgv: ['--conditions=dev-source', '--import', 'tsx'],
    serialization: 'advanced',
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  let onReady: () => void = () => undefined;
  const ready = new Promise<void>((resolve) => {
    onReady = resolve;
  });
  const done = new Promise<ReserveWorkerResult>((resolve, reject) => {
    let result: ReserveWorkerResult | null = null;
    child.on('message', (m: { ready: true } | ReserveWorkerResult) => {
      if ('ready' in m) onReady();
      else result = m;
    });
    child.on('error', reject);
    child.on('exit', (code) => (result ? resolve(result) : reject(new Error(`worker exited ${code}`))));
  });
  // A worker that dies while booting must not leave the parent waiting for "ready" forever.
  return { child, ready: Promise.race([ready, done.then(() => undefined)]), done };
}

/** `seshn.bookings.create` from `procs` processes on one file, measured like the baseline. */
export async function runSeshn(procs: number): Promise<HotSlotRun> {
  const dir = mkdtempSync(join(tmpdir(), 'seshn-bench-reserve-'));
  try {
    const file = join(dir, 'bench.db');
    const fixture = await freshDatabase(file);
    const job: ReserveWorkerJob = {
      file,
      synchronous: 'NORMAL',
      busyTimeoutMs: BUSY_TIMEOUT_MS,
      now: NOW,
      startTime: START,
      ...fixture,
    };
    const workers = Array.from({ length: procs }, () => startWorker(job));
    const { counts, errorSamples, lat, foreignCpuPct } = await runWorkerWindow(workers, WARMUP, SECONDS);
    const check = new Database(file, { readonly: true });
    const stored = check
      .prepare(
        "SELECT count(*) AS n, coalesce(sum(seats), 0) AS seats FROM seshn_bookings WHERE status = 'confirmed'",
      )
      .get() as { n: number; seats: number };
    const events = (
      check
        .prepare(
          "SELECT count(*) AS n FROM seshn_events WHERE type IN ('booking.created', 'booking.confirmed')",
        )
        .get() as { n: number }
    ).n;
    const sync = check.pragma('synchronous', { simple: true });
    check.close();
    return {
      okPerS: Math.round(counts.ok / SECONDS),
      ...counts,
      errorSamples,
      ...latencySummary(lat),
      foreignCpuPct,
      // Every booking is one seat and appended two events (created, confirmed) with it.
      consistent: stored.seats === stored.n && stored.n <= CAPACITY && events === 2 * stored.n,
      note: `${stored.n} bookings stored, ${events} events (reader's synchronous=${sync})`,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor((s.length - 1) / 2)]!;
};
/** The run with the median throughput (so its latencies belong to the figure shown). */
const medianRun = (runs: HotSlotRun[]) => {
  const m = median(runs.map((r) => r.okPerS));
  return runs.find((r) => r.okPerS === m)!;
};

const ms = (v: number | null) => (v === null ? '–' : v < 1 ? v.toFixed(3) : v.toFixed(2));

export interface HotSlotRow {
  procs: number;
  raw: HotSlotRun;
  seshn: HotSlotRun;
  ratio: number;
}

/** Runs both sides for each process count; rounds alternate which side goes first. */
export async function measure(procsList: number[] = PROCS): Promise<HotSlotRow[]> {
  const rows: HotSlotRow[] = [];
  for (const procs of procsList) {
    const raws: HotSlotRun[] = [];
    const ours: HotSlotRun[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      const order = round % 2 === 0 ? (['raw', 'seshn'] as const) : (['seshn', 'raw'] as const);
      for (const side of order) {
        const run = side === 'raw' ? await runRaw(procs) : await runSeshn(procs);
        (side === 'raw' ? raws : ours).push(run);
        log(
          `${procs} proc(s) round ${round + 1}/${ROUNDS} ${side}: ${run.okPerS} bookings/s, p50 ${ms(run.p50Ms)} ms, p99 ${ms(run.p99Ms)} ms, rejected ${run.rejected}, errors ${run.errors}, foreign CPU ${run.foreignCpuPct}% (${run.note})`,
        );
      }
    }
    const raw = medianRun(raws);
    const seshn = medianRun(ours);
    rows.push({ procs, raw, seshn, ratio: seshn.okPerS / raw.okPerS });
  }
  return rows;
}

export function renderSection(
  rows: HotSlotRow[],
  floor?: { perSecond: number; statements: string[] },
): string {
  const problems = rows.flatMap((r) =>
    (['raw', 'seshn'] as const).flatMap((side) => {
      const run = r[side];
      const out: string[] = [];
      if (run.rejected || run.errors)
        out.push(
          `${side}, ${r.procs} proc: ${run.rejected} rejected, ${run.errors} errors ${JSON.stringify(run.errorSamples)}`,
        );
      if (!run.consistent) out.push(`${side}, ${r.procs} proc: stored data inconsistent (${run.note})`);
      return out;
    }),
  );
  return [
    '## SQLite hot-slot reservation: `bookings.create` vs raw SQL',
    '',
    `One slot, one seat per booking, every attempt fits (capacity ${CAPACITY.toLocaleString('en')}); a file-backed database in WAL mode with \`synchronous = NORMAL\` on both sides; one OS process per client, all on one file. Raw = the in-repo baseline \`bench/lib/raw-reserve.ts\` (\`BEGIN IMMEDIATE; UPDATE slot …; INSERT booking; COMMIT\` on a slot table, no library), run in the same invocation. ${WARMUP} s warm-up, ${SECONDS} s measured${ROUNDS > 1 ? `, median of ${ROUNDS} rounds` : ''}. Latency is per attempt, in ms. Foreign CPU is other work on this shared machine during the window (% of one core): only the ratio is comparable across runs. Target ≥ ${TARGET}× raw.`,
    '',
    '| processes | raw bookings/s | seshn bookings/s | ratio | raw p50 / p99 | seshn p50 / p99 | foreign CPU raw / seshn | target |',
    '| ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |',
    ...rows.map(
      (r) =>
        `| ${r.procs} | ${r.raw.okPerS.toLocaleString('en')} | ${r.seshn.okPerS.toLocaleString('en')} | ${r.ratio.toFixed(3)}× | ${ms(r.raw.p50Ms)} / ${ms(r.raw.p99Ms)} | ${ms(r.seshn.p50Ms)} / ${ms(r.seshn.p99Ms)} | ${r.raw.foreignCpuPct}% / ${r.seshn.foreignCpuPct}% | ${r.ratio >= TARGET ? 'met' : 'MISSED'} (≥ ${TARGET}×) |`,
    ),
    '',
    ...(floor
      ? [
          `SQL ceiling: the ${floor.statements.length} statements of one \`bookings.create\` (${floor.statements.map((x) => `\`${x}\``).join(', ')}), replayed in one process through better-sqlite3 without the library: ${floor.perSecond.toLocaleString('en')} bookings/s${rows[0] ? ` (${(floor.perSecond / rows[0].raw.okPerS).toFixed(2)}× raw, library at ${(rows[0].seshn.okPerS / floor.perSecond).toFixed(2)}× of it)` : ''}.`,
          '',
        ]
      : []),
    ...(problems.length
      ? ['Problems:', '', ...problems.map((p) => `- ${p}`)]
      : ['No rejections or errors; the stored bookings and events match on both sides.']),
  ].join('\n');
}

/** The markdown section for `pnpm bench`. */
export async function bench(): Promise<string> {
  const rows = await measure();
  log('SQL ceiling: replaying the statements of bookings.create without the library…');
  const floor = await measureSqlFloor(Math.min(SECONDS, 3));
  log(`SQL ceiling: ${floor.perSecond} bookings/s`);
  return renderSection(rows, floor);
}
