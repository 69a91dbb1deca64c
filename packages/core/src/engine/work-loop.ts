/**
 * `seshn.work.start()` / `stop()`: the work runner on a timer, for an app that embeds Seshn and
 * has no scheduler of its own. One batch at a time; a batch that found more than its `limit`
 * is followed by the next at once, otherwise the loop sleeps `intervalMs`. `stop()` resolves once
 * the batch in flight has finished, so a graceful shutdown never cuts a transaction short.
 * @module
 */
import { z } from 'zod';
import type { SeshnLogger } from '../ports/logger.js';
import type { WorkRun } from '../schema/objects.js';
import { parseInput } from '../schema/parse.js';

/** The pause after a batch that found only work other runners hold. */
const BUSY_PAUSE_MS = 50;

export const WorkStartSchema = z
  .object({
    /** Pause between batches when nothing more is due (ms). */
    intervalMs: z.number().int().min(10).max(3_600_000).default(1000),
    /** Items of each kind per batch. */
    limit: z.number().int().min(1).max(10_000).default(500),
  })
  .strict();

export interface WorkControl {
  /** Runs `runDue` on a timer until `stop()`. Starting a running loop does nothing. */
  start(options?: z.input<typeof WorkStartSchema>): void;
  /** Stops the loop; resolves when the batch in flight (if any) has finished. */
  stop(): Promise<void>;
  /** Whether the loop is running. */
  readonly running: boolean;
}

export function workLoop(
  runDue: (input: { limit: number }) => Promise<WorkRun>,
  logger: SeshnLogger,
): WorkControl {
  let running = false;
  let timer: ReturnType<typeof setTimeout> | null = null;
  let inFlight: Promise<void> | null = null;

  const schedule = (ms: number, tick: () => void) => {
    timer = setTimeout(tick, ms);
    // The loop alone never keeps a process alive: the app's server does.
    (timer as { unref?: () => void }).unref?.();
  };

  return {
    get running() {
      return running;
    },
    start(options) {
      const o = parseInput(WorkStartSchema, options ?? {}, 'options');
      if (running) return;
      running = true;
      const tick = () => {
        timer = null;
        if (!running) return;
        inFlight = (async () => {
          let pause = o.intervalMs;
          try {
            const run = await runDue({ limit: o.limit });
            const did = run.expiredHolds + run.promoted + run.noShows + run.expiredEntitlements;
            // More is due: at once when this batch got somewhere; after a short pause when it
            // only found resources other runners hold (they are on it), so runners do not spin.
            if (run.hasMore) pause = did > 0 ? 0 : Math.min(o.intervalMs, BUSY_PAUSE_MS);
          } catch (error) {
            logger.error({ err: error }, `work: batch failed: ${(error as Error)?.message}`);
          }
          inFlight = null;
          if (running) schedule(pause, tick);
        })();
      };
      schedule(0, tick);
    },
    async stop() {
      running = false;
      if (timer) clearTimeout(timer);
      timer = null;
      await inFlight;
    },
  };
}
