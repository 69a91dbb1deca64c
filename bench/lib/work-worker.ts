/**
 * One runner process of the work benchmark (bench/work.ts), used for every run of the benchmark:
 * per run its own adapter (own connections) on the shared database and its own fixed clock; it
 * loops `seshn.work.runDue({ limit })` until a batch reports `hasMore: false`, then reports its
 * tallies and waits for the next run.
 *
 * It boots while the parent seeds (`booted`), opens its adapter when given a run's job (`open` →
 * `ready`), and starts at the common instant the parent sends once every runner is ready:
 * booting TypeScript and opening connections do not count. `exit` ends it. Run as:
 * node --conditions=dev-source --import tsx work-worker.ts
 * @module
 */
import { mysqlAdapter } from '../../packages/adapter-mysql/src/index.js';
import { postgresAdapter } from '../../packages/adapter-postgres/src/index.js';
import { sqliteAdapter } from '../../packages/adapter-sqlite/src/index.js';
import { createSeshn, type SeshnAdapter, SeshnError } from '../../packages/core/src/index.js';

export interface WorkWorkerJob {
  kind: 'sqlite' | 'postgres' | 'mysql';
  /** The SQLite file, or the server database's URL. */
  target: string;
  organizationId: string;
  /** The injected clock (epoch ms): fixed, every item seeded is due at it. */
  now: number;
  limit: number;
}

/** Parent → runner. */
export type WorkWorkerCommand = { open: WorkWorkerJob } | { startAt: number } | { exit: true };

export interface WorkWorkerResult {
  batches: number;
  expiredHolds: number;
  expiredOffers: number;
  promoted: number;
  noShows: number;
  /** Epoch ms (sub-ms) when its first batch started and its last batch ended. */
  startedAt: number;
  finishedAt: number;
  errors: number;
  errorSamples: Record<string, number>;
}

const send = (m: unknown) => new Promise<void>((resolve) => process.send!(m, () => resolve()));
const epochMs = () => performance.timeOrigin + performance.now();

function open(job: WorkWorkerJob): SeshnAdapter {
  if (job.kind === 'sqlite') return sqliteAdapter({ filename: job.target });
  if (job.kind === 'postgres') return postgresAdapter({ connectionString: job.target });
  return mysqlAdapter({ uri: job.target });
}

const inbox: WorkWorkerCommand[] = [];
let wake: (() => void) | null = null;
process.on('message', (m: WorkWorkerCommand) => {
  inbox.push(m);
  wake?.();
});
async function next(): Promise<WorkWorkerCommand> {
  while (inbox.length === 0) await new Promise<void>((resolve) => (wake = resolve));
  return inbox.shift()!;
}

async function run(job: WorkWorkerJob): Promise<WorkWorkerResult> {
  const seshn = createSeshn({
    adapter: open(job),
    now: () => new Date(job.now),
    organizationId: job.organizationId,
  });
  try {
    // One read before reporting ready: the connection is open and the code paths are loaded.
    await seshn.services.list({ limit: 1 });
    await send({ ready: true });
    const command = await next();
    if (!('startAt' in command))
      throw new Error(`work runner: expected the start, got ${JSON.stringify(command)}`);
    while (Date.now() < command.startAt) await new Promise((resolve) => setTimeout(resolve, 1));
    const r: WorkWorkerResult = {
      batches: 0,
      expiredHolds: 0,
      expiredOffers: 0,
      promoted: 0,
      noShows: 0,
      startedAt: epochMs(),
      finishedAt: 0,
      errors: 0,
      errorSamples: {},
    };
    for (;;) {
      try {
        const batch = await seshn.work.runDue({ limit: job.limit });
        r.batches++;
        r.expiredHolds += batch.expiredHolds;
        r.expiredOffers += batch.expiredOffers;
        r.promoted += batch.promoted;
        r.noShows += batch.noShows;
        if (!batch.hasMore) break;
      } catch (error) {
        // A failed batch is reported (and its items are left for the next one); give up after 50.
        r.errors++;
        const key =
          error instanceof SeshnError
            ? `${error.code}: ${error.message.slice(0, 80)}`
            : String(error).slice(0, 120);
        r.errorSamples[key] = (r.errorSamples[key] ?? 0) + 1;
        if (r.errors >= 50) break;
      }
    }
    r.finishedAt = epochMs();
    return r;
  } finally {
    await seshn.close();
  }
}

// Booted (the modules are loaded): the parent may still be seeding.
await send({ booted: true });
for (;;) {
  const command = await next();
  if (!('open' in command)) break;
  await send({ result: await run(command.open) });
}
process.exit(0);
