/**
 * One client process of the raw SQLite baseline (bench/lib/raw-reserve.ts): its own better-sqlite3
 * connection on the shared file, booking one seat at a time with
 * `BEGIN IMMEDIATE; UPDATE slot …; INSERT booking; COMMIT` in a synchronous loop.
 *
 * It reports ready once its statements are prepared; the parent then sends the measured window
 * `[t0, t1)`, and the loop counts only the attempts that complete inside it (the ones before `t0`
 * are the warm-up). Run as: node --import tsx raw-sqlite-worker.ts '<job as JSON>'
 * @module
 */
import { nowUs } from './measure.js';
import { loadBetterSqlite3 } from './raw-reserve.js';

export interface RawWorkerJob {
  file: string;
  /** Written into each booking row. */
  client: number;
  busyTimeoutMs: number;
  synchronous: 'OFF' | 'NORMAL' | 'FULL';
}

export interface RawWorkerResult {
  counts: { ok: number; rejected: number; errors: number };
  errorSamples: Record<string, number>;
  /** Latency of each counted attempt, in microseconds. */
  lat: number[];
  /** `PRAGMA synchronous` as the connection reports it (1 = NORMAL). */
  synchronous: unknown;
}

const job = JSON.parse(process.argv[2] ?? '{}') as RawWorkerJob;
const send = (m: unknown) => new Promise<void>((resolve) => process.send!(m, () => resolve()));

const Database = loadBetterSqlite3();
const db = new Database(job.file);
db.pragma('journal_mode = WAL');
db.pragma(`busy_timeout = ${job.busyTimeoutMs}`);
db.pragma(`synchronous = ${job.synchronous}`);
const synchronous = db.pragma('synchronous', { simple: true });

const begin = db.prepare('BEGIN IMMEDIATE');
const commit = db.prepare('COMMIT');
const rollback = db.prepare('ROLLBACK');
const update = db.prepare('UPDATE slot SET booked = booked + ? WHERE id = ? AND booked + ? <= capacity');
const insert = db.prepare('INSERT INTO booking (slot_id, seats, client_id) VALUES (?, ?, ?)');

function book(): 'ok' | 'rejected' {
  begin.run();
  try {
    if (update.run(1, 1, 1).changes !== 1) {
      rollback.run();
      return 'rejected';
    }
    insert.run(1, 1, job.client);
    commit.run();
    return 'ok';
  } catch (error) {
    if (db.inTransaction) rollback.run();
    throw error;
  }
}

const window = await new Promise<{ t0: number; t1: number }>((resolve) => {
  process.once('message', (m: { t0: number; t1: number }) => resolve(m));
  void send({ ready: true });
});

const counts = { ok: 0, rejected: 0, errors: 0 };
const errorSamples: Record<string, number> = {};
const lat: number[] = [];
for (;;) {
  const t = nowUs();
  let outcome: 'ok' | 'rejected' | null = null;
  let code = '';
  try {
    outcome = book();
  } catch (error) {
    code = String((error as { code?: string }).code ?? (error as Error).message);
  }
  const now = Date.now();
  if (now >= window.t1) break;
  if (now < window.t0) continue;
  if (outcome === null) {
    counts.errors++;
    errorSamples[code] = (errorSamples[code] ?? 0) + 1;
  } else {
    counts[outcome]++;
    lat.push(nowUs() - t);
  }
}
db.close();
await send({ counts, errorSamples, lat, synchronous } satisfies RawWorkerResult);
process.exit(0);
