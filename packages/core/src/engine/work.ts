/**
 * `seshn.work`: what time makes due, done in batches that many runners in many processes can
 * share. Each kind is claimed so no item is done twice at once and each change writes its event
 * once:
 * - **lapsed holds** (offers included), per resource: the resource row is locked without waiting
 *   (`tryLockResources`, SKIP LOCKED — a runner never queues behind a booking or another runner),
 *   then `release(to: 'expired')` marks each hold once and the freed seats promote the queue in
 *   the same transaction (`afterRelease`);
 * - **no-shows**: confirmed bookings still `pending` once check-in closed (the session end plus
 *   the service's `checkInClosesMinutesAfter`), claimed row by row (`markNoShows`, SKIP LOCKED);
 * - **credit expiry**: `dueExpirations` of the ledger (entitlement row, then account rows).
 * @module
 */
import type { WorkRun } from '../schema/objects.js';
import { parseInput } from '../schema/parse.js';
import { type WorkRunDueInput, WorkRunDueSchema } from '../schema/waitlist.js';
import { bookingEvent } from './bookings.js';
import type { EngineContext } from './context.js';
import { dueExpirations } from './ledger.js';
import { listAll } from './list-all.js';
import { serviceConfig } from './service-rules.js';
import { afterRelease, withPromotion } from './waitlist.js';

const MINUTE = 60_000;
/** Items per transaction: short transactions keep the resource locks brief for bookers. */
const CHUNK = 100;

/** Services with automatic no-shows, grouped by their grace (minutes after the session end). */
async function noShowGroups(ctx: EngineContext, now: number) {
  const byGrace = new Map<number, string[]>();
  for (const s of await listAll(ctx.adapter, 'service', ctx.scope, {})) {
    const attendance = serviceConfig(s).attendance;
    if (attendance?.autoNoShow === false) continue;
    const grace = attendance?.checkInClosesMinutesAfter ?? 60;
    byGrace.set(grace, [...(byGrace.get(grace) ?? []), s.id]);
  }
  // Strictly after check-in closes: at `closesAt` itself a check-in is still accepted.
  return [...byGrace].map(([grace, serviceIds]) => ({ serviceIds, endedBy: now - grace * MINUTE - 1 }));
}

function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

export function workApi(ctx: EngineContext) {
  const scope = ctx.scope;
  return {
    /**
     * One batch of due work (at most `limit` items of each kind): expires lapsed holds and
     * promotes their waitlists, expires offers and promotes the next entry, marks no-shows,
     * expires credits. Returns the counts; `hasMore` when more was due than the batch took.
     */
    async runDue(input: WorkRunDueInput = {}): Promise<WorkRun> {
      const { limit } = parseInput(WorkRunDueSchema, input);
      const now = ctx.now();
      const groups = await noShowGroups(ctx, now);
      const due = await ctx.adapter.findDueWork(scope, { now, limit, noShows: groups });
      const run: WorkRun = {
        object: 'work_run',
        expiredHolds: 0,
        expiredOffers: 0,
        promoted: 0,
        noShows: 0,
        expiredEntitlements: 0,
        hasMore: false,
      };

      const byResource = new Map<string, string[]>();
      for (const h of due.lapsedHolds)
        byResource.set(h.resourceId, [...(byResource.get(h.resourceId) ?? []), h.id]);
      let skipped = 0;
      for (const [resourceId, ids] of byResource) {
        for (const batch of chunks(ids, CHUNK)) {
          const done = await withPromotion(ctx, async (tx) => {
            // Another runner (or a booking) holds this resource: leave it to them, go on.
            if ((await tx.tryLockResources(scope, [resourceId])).length === 0) return null;
            const { released, now: at } = await tx.release(scope, {
              now: ctx.now,
              bookingIds: batch,
              to: 'expired',
            });
            if (released.length === 0) return { expired: 0, promoted: 0, expiredOffers: 0 };
            await tx.enqueue(
              scope,
              released.map((b) => bookingEvent(ctx, 'booking.expired', b, at)),
            );
            const after = await afterRelease(ctx, tx, released, at);
            return { expired: released.length, ...after };
          });
          if (done === null) {
            skipped += batch.length;
            break;
          }
          run.expiredHolds += done.expired;
          run.expiredOffers += done.expiredOffers;
          run.promoted += done.promoted;
        }
      }

      for (const batch of chunks(due.noShows, CHUNK)) {
        const marked = await ctx.adapter.transaction(async (tx) => {
          const at = ctx.now();
          const bookings = await tx.markNoShows(scope, { bookingIds: batch, now: at });
          if (bookings.length > 0) {
            await tx.enqueue(
              scope,
              bookings.map((b) => bookingEvent(ctx, 'booking.no_show', b, at, { automatic: true })),
            );
          }
          return bookings.length;
        });
        run.noShows += marked;
      }

      const expiry = await dueExpirations(ctx, now, limit);
      run.expiredEntitlements = expiry.expired.length;
      run.hasMore =
        due.lapsedHolds.length >= limit || due.noShows.length >= limit || expiry.hasMore || skipped > 0;
      const total = run.expiredHolds + run.noShows + run.expiredEntitlements + run.promoted;
      if (total > 0 || skipped > 0) {
        ctx.logger.info(
          { ...run, skipped, organizationId: scope.organizationId, mode: scope.mode },
          `work: ${run.expiredHolds} holds expired (${run.expiredOffers} offers), ${run.promoted} promoted, ${run.noShows} no-shows, ${run.expiredEntitlements} entitlements expired`,
        );
      }
      return run;
    },
  };
}
