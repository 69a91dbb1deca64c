/**
 * One client process of the SQLite hot-slot benchmark (bench/sqlite-reserve.ts): its own adapter
 * on the shared file, books one seat at a time through `seshn.bookings.create` in a loop.
 *
 * Mirrors the raw baseline's worker: it loops from boot, and counts only the attempts that
 * complete inside the measured window `[t0, t1)`. The parent sends the window once every worker
 * reported ready (booting TypeScript takes longer than booting the raw script, and must not eat
 * into the window). Run as: node --conditions=dev-source --import tsx sqlite-reserve-worker.ts
 * @module
 */
import { sqliteAdapter } from '../../packages/adapter-sqlite/src/index.js';
import { createSeshn, SeshnError } from '../../packages/core/src/index.js';

export interface ReserveWorkerJob {
  file: string;
  synchronous: 'OFF' | 'NORMAL' | 'FULL';
  busyTimeoutMs: number;
  /** The injected clock (epoch ms): fixed, so every attempt sees the same `now`. */
  now: number;
  serviceId: string;
  contactId: string;
  startTime: string;
}

export interface ReserveWorkerResult {
  counts: { ok: number; rejected: number; errors: number };
  errorSamples: Record<string, number>;
  /** Latency of each counted attempt, in microseconds. */
  lat: number[];
}

const job = JSON.parse(process.argv[2] ?? '{}') as ReserveWorkerJob;
const send = (m: unknown) => new Promise<void>((resolve) => process.send!(m, () => resolve()));

const seshn = createSeshn({
  adapter: sqliteAdapter({
    filename: job.file,
    synchronous: job.synchronous,
    busyTimeoutMs: job.busyTimeoutMs,
  }),
  now: () => new Date(job.now),
});
const request = { serviceId: job.serviceId, contactId: job.contactId, startTime: job.startTime, seats: 1 };
const nowUs = () => Number(process.hrtime.bigint() / 1000n);

let window: { t0: number; t1: number } | null = null;
process.on('message', (m: { t0: number; t1: number }) => {
  window = m;
});
// One booking before reporting ready: the connection is open and the code paths are loaded.
await seshn.bookings.create(request);
await send({ ready: true });

const counts = { ok: 0, rejected: 0, errors: 0 };
const errorSamples: Record<string, number> = {};
const lat: number[] = [];
for (;;) {
  const t = nowUs();
  let outcome: 'ok' | 'rejected' | 'error' = 'ok';
  let code = '';
  try {
    await seshn.bookings.create(request);
  } catch (error) {
    code = error instanceof SeshnError ? error.code : String((error as Error)?.message ?? error);
    outcome = code === 'slot_unavailable' ? 'rejected' : 'error';
  }
  const w = window as { t0: number; t1: number } | null;
  if (!w) {
    // The loop only awaits microtasks (better-sqlite3 is synchronous), so give the IPC message
    // carrying the window a turn of the event loop while warming up.
    await new Promise((resolve) => setImmediate(resolve));
    continue;
  }
  const now = Date.now();
  if (now >= w.t1) break;
  if (now < w.t0) continue;
  if (outcome === 'error') {
    counts.errors++;
    errorSamples[code] = (errorSamples[code] ?? 0) + 1;
  } else {
    counts[outcome]++;
    lat.push(nowUs() - t);
  }
}
await seshn.close();
await send({ counts, errorSamples, lat } satisfies ReserveWorkerResult);
process.exit(0);
