/**
 * A child process of the cross-process races: builds its own adapter (own connections) from a
 * JSON spec, waits for the common start instant, fires its attempts and prints one JSON line.
 * Each process has its own fixed clock (`now`), so processes can disagree about a hold's expiry.
 * Run as: node --conditions=dev-source --import tsx race-worker.ts '<job json>'
 * @module
 */
import { createSeshn, type SeshnAdapter, SeshnError, type WorkRun } from '@seshn/core';
import type { ProcessAdapterSpec } from './types.js';

export interface RaceJob {
  spec: ProcessAdapterSpec;
  organizationId: string;
  now: number;
  startAt: number;
  attempts: ((
    | {
        serviceId: string;
        startTime: string;
        durationMinutes?: number;
        seats: number;
        contactId: string;
        resourceId?: string;
        /** Pays with the contact's credits (`bookings.create({ useCredits })`). */
        useCredits?: true | { entitlementId: string };
      }
    /** Confirms a held booking instead of creating one (`seats` is the hold's, for the tally). */
    | { confirm: string; seats: number }
    /**
     * Cancels a booking (`seats` is its seats). With `promote`, in the same transaction and on the
     * adapter's primitives, the freed seats go straight to a new booking of the same slot (id
     * `promote.id`) — what a waitlist promotion does: a `reserve` inside the `release`.
     */
    | { cancel: string; seats: number; promote?: { id: string; capacity: number } }
    /** Claims an HTTP idempotency key (`seshn.requests.begin`): `ok` when it may run, `code` the state. */
    | { begin: { key: string; fingerprint: string; operation: string }; seats: number }
    /** Cancels a booking through the engine (`seshn.bookings.cancel`: refund, then waitlist promotion). */
    | { cancelBooking: string; seats?: number }
    /** One batch of due work (`seshn.work.runDue`); the result carries its counts (`run`). */
    | { runDue: { limit?: number }; seats?: number }
    /** Joins a slot's waitlist (`seshn.waitlist.join`); the result's `id` is the entry. */
    | { join: { slotId: string; contactId: string; seats?: number }; seats?: number }
  ) /** Runs the attempt in another organization (live mode) than the job's. */ & {
    organizationId?: string;
  })[];
}

/** A cancel with a promotion, on the adapter's own primitives (one transaction). */
async function cancelAndPromote(
  adapter: SeshnAdapter,
  scope: { organizationId: string; mode: 'live' | 'test' },
  a: { cancel: string; promote: { id: string; capacity: number } },
): Promise<{ ok: boolean; code?: string; promoted?: string }> {
  return adapter.transaction(async (tx) => {
    const { released, now } = await tx.release(scope, {
      now: job.now,
      bookingIds: [a.cancel],
      to: 'cancelled',
    });
    const freed = released[0];
    if (!freed) return { ok: false, code: 'invalid_state' };
    const promoted = await tx.reserve(scope, {
      now,
      items: [
        {
          capacity: a.promote.capacity,
          booking: {
            ...freed,
            id: a.promote.id,
            status: 'confirmed',
            expiresAt: null,
            cancelledAt: null,
            cancellationReason: null,
            createdAt: now,
            updatedAt: now,
          },
        },
      ],
    });
    return promoted.ok ? { ok: true, promoted: a.promote.id } : { ok: true };
  });
}

const job = JSON.parse(process.argv[2] ?? '{}') as RaceJob;
const mod = (await import(job.spec.module)) as Record<string, (o: unknown) => SeshnAdapter>;
const adapter = mod[job.spec.exportName]!(job.spec.options);
const home = createSeshn({ adapter, now: () => new Date(job.now), organizationId: job.organizationId });

const results: {
  ok: boolean;
  code?: string;
  seats: number;
  id?: string;
  promoted?: string;
  run?: WorkRun;
}[] = [];
// Warm the connection before the common start so the race is about reservations, not connecting.
await home.bookings.list({ limit: 1 });
while (Date.now() < job.startAt) await new Promise((r) => setTimeout(r, 2));
for (const a of job.attempts) {
  const seshn = a.organizationId ? home.withScope({ organizationId: a.organizationId, mode: 'live' }) : home;
  try {
    if ('begin' in a) {
      const claim = await seshn.requests.begin(a.begin);
      results.push({ ok: claim.state === 'run', code: claim.state, seats: 0 });
      continue;
    }
    if ('cancelBooking' in a) {
      const b = await seshn.bookings.cancel(a.cancelBooking);
      results.push({ ok: b.status === 'cancelled', seats: a.seats ?? b.seats, id: b.id });
      continue;
    }
    if ('runDue' in a) {
      const run = await seshn.work.runDue(a.runDue);
      results.push({ ok: true, seats: 0, run });
      continue;
    }
    if ('join' in a) {
      const e = await seshn.waitlist.join(a.join);
      results.push({ ok: true, seats: 0, id: e.id });
      continue;
    }
    if ('cancel' in a) {
      const r = a.promote
        ? await cancelAndPromote(adapter, seshn.scope, { cancel: a.cancel, promote: a.promote })
        : { ok: (await seshn.bookings.cancel(a.cancel)).status === 'cancelled' };
      results.push({ ...r, seats: a.seats, id: a.cancel });
      continue;
    }
    if ('confirm' in a) {
      const b = await seshn.bookings.confirm(a.confirm);
      results.push({ ok: true, seats: a.seats, id: b.id });
      continue;
    }
    const { organizationId: _elsewhere, ...input } = a;
    const b = await seshn.bookings.create(input);
    results.push({ ok: true, seats: a.seats, id: b.id });
  } catch (error) {
    results.push({
      ok: false,
      seats: a.seats ?? 0,
      code: error instanceof SeshnError ? error.code : `crash:${String(error)}`,
    });
  }
}
await home.close();
process.stdout.write(`${JSON.stringify(results)}\n`);
