/**
 * The lock protocol under real concurrency: OS processes cancel bookings — some promoting the
 * freed seats to a new booking in the same transaction, the way a waitlist will (`release`, then
 * `reserve`, in one transaction) — while other processes create bookings on the same slot and on
 * the same exclusive resource. A release that took its locks in another order than a reserve
 * (slot-seat row before resource row) deadlocks here; with no retries allowed (`maxAttempts: 1`
 * where the adapter has it) a deadlock surfaces as `storage_error`, and a lock missing from
 * either side oversells. Asserted on every database: no crash or storage error, exact seat
 * totals (stored, counted per slot, and as the processes report them), no overlap.
 * @module
 */
import { describe, expect, it } from 'vitest';
import { HOUR, iso, MINUTE, makeWorld, T0 } from '../fixtures.js';
import { runProcessRace } from '../processes.js';
import { findOverlaps } from '../raw.js';
import type { SuiteContext } from '../suite.js';

const DAY9 = T0 + 9 * HOUR;
const PROCESSES = 4;

export function lockOrderTests(get: () => SuiteContext) {
  describe('lock order: releases racing reservations', () => {
    const processTest = (name: string, fn: () => Promise<void>) =>
      it(name, async () => {
        const { target, adapter } = get();
        if (!target.processAdapter) {
          // Only a private database (SQLite :memory:) lacks processes; it must say so.
          expect(adapter.capabilities.multiProcess).toBe(false);
          return;
        }
        await fn();
      }, 120_000);

    processTest(
      'cancels (some promoting the freed seat) and creates on one full slot, from 4 processes',
      async () => {
        const { adapter, raw, target } = get();
        const w = await makeWorld(adapter, 'lock-slot');
        const capacity = 10;
        const booked: { id: string }[] = [];
        for (let i = 0; i < capacity; i++) {
          booked.push(
            await w.seshn.bookings.create({
              serviceId: w.yoga.id,
              startTime: iso(DAY9),
              contactId: w.contact.id,
            }),
          );
        }
        const spec = {
          ...target.processAdapter!,
          options: { ...target.processAdapter!.options, maxAttempts: 1 },
        };
        const organizationId = w.seshn.scope.organizationId;
        const create = { serviceId: w.yoga.id, startTime: iso(DAY9), contactId: w.contact.id, seats: 1 };
        const jobs = Array.from({ length: PROCESSES }, (_, p) => ({
          spec,
          organizationId,
          now: w.clock.ms(),
          // Processes 0 and 1 cancel (0 promotes every freed seat); 2 and 3 create, interleaved.
          attempts:
            p < 2
              ? booked
                  .filter((_, i) => i % 2 === p)
                  .map((b, i) => ({
                    cancel: b.id,
                    seats: 1,
                    ...(p === 0 ? { promote: { id: `${b.id}p${i}`, capacity } } : {}),
                  }))
              : Array.from({ length: 8 }, () => create),
        }));
        const results = await runProcessRace(jobs);
        const flat = results.flat();
        expect(flat.filter((x) => !x.ok && x.code !== 'slot_unavailable')).toEqual([]);
        const cancelled = results[0]!.length + results[1]!.length;
        expect(cancelled).toBe(capacity);
        const promoted = results[0]!.filter((x) => x.promoted).length;
        const created = [...results[2]!, ...results[3]!].filter((x) => x.ok).length;
        const stored = [...(await raw.liveSeats(w.seshn.scope, w.clock.ms())).values()];
        const sold = promoted + created;
        expect(sold).toBeLessThanOrEqual(capacity);
        expect(stored.reduce((n, x) => n + x, 0)).toBe(sold);
        const seats = await raw.slotSeats(w.seshn.scope);
        expect(seats.counter).toEqual(seats.confirmed);
        expect(seats.strays).toEqual([]);
      },
    );

    processTest(
      'cancels (some promoting the freed time) and creates on one exclusive resource, from 4 processes',
      async () => {
        const { adapter, raw, target } = get();
        const w = await makeWorld(adapter, 'lock-range');
        const hours = [9, 11, 13, 15, 17, 19];
        const booked: { id: string }[] = [];
        for (const h of hours) {
          booked.push(
            await w.seshn.bookings.create({
              serviceId: w.appointment.id,
              startTime: iso(T0 + h * HOUR),
              contactId: w.contact.id,
            }),
          );
        }
        const spec = {
          ...target.processAdapter!,
          options: { ...target.processAdapter!.options, maxAttempts: 1 },
        };
        const organizationId = w.seshn.scope.organizationId;
        const jobs = Array.from({ length: PROCESSES }, (_, p) => ({
          spec,
          organizationId,
          now: w.clock.ms(),
          attempts:
            p < 2
              ? booked
                  .filter((_, i) => i % 2 === p)
                  .map((b, i) => ({
                    cancel: b.id,
                    seats: 1,
                    ...(p === 0 ? { promote: { id: `${b.id}p${i}`, capacity: 1 } } : {}),
                  }))
              : // The freed hours and the half hours overlapping them.
                hours.flatMap((h) =>
                  [h, h + 0.5].map((x) => ({
                    serviceId: w.appointment.id,
                    startTime: iso(T0 + x * HOUR + (p - 2) * 30 * MINUTE),
                    contactId: w.contact.id,
                    seats: 1,
                  })),
                ),
        }));
        const results = await runProcessRace(jobs);
        const flat = results.flat();
        expect(flat.filter((x) => !x.ok && x.code !== 'slot_unavailable')).toEqual([]);
        expect(results[0]!.length + results[1]!.length).toBe(hours.length);
        const promoted = results[0]!.filter((x) => x.promoted).length;
        const created = [...results[2]!, ...results[3]!].filter((x) => x.ok).length;
        const stored = await raw.bookings(w.seshn.scope);
        const live = stored.filter((b) => b.status === 'confirmed');
        expect(live.length).toBe(promoted + created);
        expect(findOverlaps(stored, w.clock.ms())).toEqual([]);
        const seats = await raw.slotSeats(w.seshn.scope);
        expect(seats.counter).toEqual(seats.confirmed);
      },
    );
  });
}
