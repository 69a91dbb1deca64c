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
          let again = false;
          try {
            again = (await runDue({ limit: o.limit })).hasMore;
          } catch (error) {
            logger.error({ err: error }, `work: batch failed: ${(error as Error)?.message}`);
          }
          inFlight = null;
          if (running) schedule(again ? 0 : o.intervalMs, tick);
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
