/**
 * Measuring helpers shared by the reservation benchmarks and their raw-SQL baseline: latency
 * percentiles, a closed-loop runner for K async clients, and a split of the machine's CPU time into
 * the benchmark's own processes and everything else (a flag for runs disturbed by other work).
 * @module
 */
import { readdirSync, readFileSync } from 'node:fs';

export const nowUs = (): number => Number(process.hrtime.bigint() / 1000n);
export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** One measured run of a hot-slot benchmark, raw SQL or Seshn. */
export interface HotSlotRun {
  okPerS: number;
  ok: number;
  rejected: number;
  errors: number;
  errorSamples: Record<string, number>;
  p50Ms: number | null;
  p99Ms: number | null;
  /** CPU of processes that are not the benchmark's, in % of one core (a noisy-machine flag). */
  foreignCpuPct: number | null;
  /** What the stored data says (the run is void if this is not true). */
  consistent: boolean;
  note: string;
}

/** The nearest-rank percentile `p` (0–100) of ascending `sorted`. */
function percentile(sorted: Float64Array, p: number): number | null {
  if (sorted.length === 0) return null;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i]!;
}

/** Latencies in microseconds → p50 and p99 in milliseconds (µs precision). */
export function latencySummary(latUs: readonly number[]): { p50Ms: number | null; p99Ms: number | null } {
  const sorted = Float64Array.from(latUs).sort();
  const ms = (v: number | null) => (v === null ? null : Math.round(v) / 1000);
  return { p50Ms: ms(percentile(sorted, 50)), p99Ms: ms(percentile(sorted, 99)) };
}

/** CPU ticks of one process and whether it belongs to the benchmark. */
type ProcTicks = Map<number, { ticks: number; ours: boolean }>;

/**
 * CPU time (clock ticks, user + system) of every process on the machine (Linux `/proc`; empty
 * elsewhere). Ours: this process and its children, plus the database servers named by
 * `BENCH_PG_PID` / `BENCH_MY_PID` (the Postgres postmaster and its children, mariadbd). Kernel
 * threads are left out.
 */
export function procTicks(): ProcTicks {
  const self = process.pid;
  const pg = Number(process.env.BENCH_PG_PID ?? -1);
  const my = Number(process.env.BENCH_MY_PID ?? -1);
  const out: ProcTicks = new Map();
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    return out;
  }
  for (const d of entries) {
    if (!/^[0-9]+$/.test(d)) continue;
    let stat: string;
    try {
      stat = readFileSync(`/proc/${d}/stat`, 'utf8');
    } catch {
      continue;
    }
    const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const pid = Number(d);
    const ppid = Number(rest[1]);
    if (pid === 2 || ppid === 2) continue;
    const ours = pid === self || ppid === self || pid === pg || ppid === pg || pid === my;
    out.set(pid, { ticks: Number(rest[11]) + Number(rest[12]), ours });
  }
  return out;
}

/**
 * CPU used between two {@link procTicks} samples, in % of one core, split into the benchmark's
 * processes and foreign ones. Processes started in between count fully; processes that exited in
 * between are missed (a lower bound).
 */
export function cpuSplit(a: ProcTicks, b: ProcTicks, seconds: number): { foreign: number; ours: number } {
  let ours = 0;
  let foreign = 0;
  for (const [pid, v] of b) {
    const d = v.ticks - (a.get(pid)?.ticks ?? 0);
    if (d <= 0) continue;
    if (v.ours) ours += d;
    else foreign += d;
  }
  // Ticks are 1/100 s, so ticks per second is % of one core.
  return { foreign: Math.round(foreign / seconds), ours: Math.round(ours / seconds) };
}

export type Outcome = 'ok' | 'rejected';

/** What {@link runLoops} counted inside the measured window. */
export interface LoopResult {
  elapsedS: number;
  counts: { ok: number; rejected: number; errors: number };
  errorSamples: Record<string, number>;
  /** Latency of every counted attempt (ok or rejected), in microseconds. */
  lat: number[];
  foreignCpuPct: number;
}

/**
 * K async clients, each calling `op(client)` in a loop as fast as it can: `warmup` seconds not
 * counted, then only attempts that complete inside the `seconds`-long window count. An attempt
 * that throws counts as an error, with `describe(error)` as its sample key.
 */
export async function runLoops(o: {
  k: number;
  seconds: number;
  warmup: number;
  op: (client: number) => Promise<Outcome>;
  describe: (error: unknown) => string;
}): Promise<LoopResult> {
  let measuring = false;
  let stop = false;
  const counts = { ok: 0, rejected: 0, errors: 0 };
  const errorSamples: Record<string, number> = {};
  const lat: number[] = [];
  const loops = Array.from({ length: o.k }, async (_, client) => {
    while (!stop) {
      const t = nowUs();
      let outcome: Outcome;
      try {
        outcome = await o.op(client);
      } catch (error) {
        if (measuring && !stop) {
          counts.errors++;
          const key = o.describe(error);
          errorSamples[key] = (errorSamples[key] ?? 0) + 1;
        }
        continue;
      }
      if (!measuring || stop) continue;
      counts[outcome]++;
      lat.push(nowUs() - t);
    }
  });
  await sleep(o.warmup * 1000);
  const pt0 = procTicks();
  const t0 = nowUs();
  measuring = true;
  await sleep(o.seconds * 1000);
  stop = true;
  const elapsedS = (nowUs() - t0) / 1e6;
  const pt1 = procTicks();
  await Promise.all(loops);
  return { elapsedS, counts, errorSamples, lat, foreignCpuPct: cpuSplit(pt0, pt1, elapsedS).foreign };
}

/** What one forked worker of a process benchmark reports after its window. */
export interface WorkerTally {
  counts: { ok: number; rejected: number; errors: number };
  errorSamples: Record<string, number>;
  lat: number[];
}

/**
 * Runs the measured window of forked workers that loop on their own: once all are `ready`, every
 * worker gets the same `{ t0, t1 }` (after `warmup` seconds), CPU is sampled over `[t0, t1)`, and
 * what the workers count inside it is merged.
 */
export async function runWorkerWindow<R extends WorkerTally>(
  workers: { child: { send(message: unknown): unknown }; ready: Promise<void>; done: Promise<R> }[],
  warmup: number,
  seconds: number,
): Promise<WorkerTally & { foreignCpuPct: number; results: R[] }> {
  await Promise.all(workers.map((w) => w.ready));
  const t0 = Date.now() + warmup * 1000;
  const t1 = t0 + seconds * 1000;
  for (const w of workers) w.child.send({ t0, t1 });
  await sleep(Math.max(0, t0 - Date.now()));
  const pt0 = procTicks();
  await sleep(Math.max(0, t1 - Date.now()));
  const pt1 = procTicks();
  const results = await Promise.all(workers.map((w) => w.done));
  const counts = { ok: 0, rejected: 0, errors: 0 };
  const errorSamples: Record<string, number> = {};
  const lat: number[] = [];
  for (const r of results) {
    counts.ok += r.counts.ok;
    counts.rejected += r.counts.rejected;
    counts.errors += r.counts.errors;
    for (const [k, v] of Object.entries(r.errorSamples)) errorSamples[k] = (errorSamples[k] ?? 0) + v;
    for (const v of r.lat) lat.push(v);
  }
  return { counts, errorSamples, lat, foreignCpuPct: cpuSplit(pt0, pt1, seconds).foreign, results };
}
