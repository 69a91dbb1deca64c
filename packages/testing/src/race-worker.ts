/**
 * A child process of the cross-process races: builds its own adapter (own connections) from a
 * JSON spec, waits for the common start instant, fires its attempts and prints one JSON line.
 * Each process has its own fixed clock (`now`), so processes can disagree about a hold's expiry.
 * Run as: node --conditions=dev-source --import tsx race-worker.ts '<job json>'
 * @module
 */
import { createSeshn, type SeshnAdapter, SeshnError } from '@seshn/core';
import type { ProcessAdapterSpec } from './types.js';

export interface RaceJob {
  spec: ProcessAdapterSpec;
  organizationId: string;
  now: number;
  startAt: number;
  attempts: (
    | {
        serviceId: string;
        startTime: string;
        durationMinutes?: number;
        seats: number;
        contactId: string;
      }
    /** Confirms a held booking instead of creating one (`seats` is the hold's, for the tally). */
    | { confirm: string; seats: number }
  )[];
}

const job = JSON.parse(process.argv[2] ?? '{}') as RaceJob;
const mod = (await import(job.spec.module)) as Record<string, (o: unknown) => SeshnAdapter>;
const adapter = mod[job.spec.exportName]!(job.spec.options);
const seshn = createSeshn({ adapter, now: () => new Date(job.now), organizationId: job.organizationId });

const results: { ok: boolean; code?: string; seats: number; id?: string }[] = [];
// Warm the connection before the common start so the race is about reservations, not connecting.
await seshn.bookings.list({ limit: 1 });
while (Date.now() < job.startAt) await new Promise((r) => setTimeout(r, 2));
for (const a of job.attempts) {
  try {
    const b = 'confirm' in a ? await seshn.bookings.confirm(a.confirm) : await seshn.bookings.create(a);
    results.push({ ok: true, seats: a.seats, id: b.id });
  } catch (error) {
    results.push({
      ok: false,
      seats: a.seats,
      code: error instanceof SeshnError ? error.code : `crash:${String(error)}`,
    });
  }
}
await seshn.close();
process.stdout.write(`${JSON.stringify(results)}\n`);
