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
import { describe, expect } from 'vitest';
import { HOUR, iso, MINUTE, makeWorld, T0, type World } from '../fixtures.js';
import { runProcessRace } from '../processes.js';
import type { RaceJob } from '../race-worker.js';
import { findOverlaps } from '../raw.js';
import type { SuiteContext } from '../suite.js';
import { processTest } from './process-test.js';

const DAY9 = T0 + 9 * HOUR;
const PROCESSES = 4;

export function lockOrderTests(get: () => SuiteContext) {
  /**
   * Jobs for 4 processes: 0 and 1 cancel `booked` (0 promotes every seat it frees to a new
   * booking, in the same transaction), 2 and 3 run `creates(p)`; no transaction may retry.
   */
  const race = async (
    w: World,
    booked: { id: string }[],
    capacity: number,
    creates: (p: number) => RaceJob['attempts'],
  ) => {
    const { target } = get();
    const spec = {
      ...target.processAdapter!,
      options: { ...target.processAdapter!.options, maxAttempts: 1 },
    };
    const results = await runProcessRace(
      Array.from({ length: PROCESSES }, (_, p) => ({
        spec,
        organizationId: w.seshn.scope.organizationId,
        now: w.clock.ms(),
        attempts:
          p < 2
            ? booked
                .filter((_, i) => i % 2 === p)
                .map((b, i) => ({
                  cancel: b.id,
                  seats: 1,
                  ...(p === 0 ? { promote: { id: `${b.id}p${i}`, capacity } } : {}),
                }))
            : creates(p),
      })),
    );
    expect(results.flat().filter((x) => !x.ok && x.code !== 'slot_unavailable')).toEqual([]);
    expect(results[0]!.length + results[1]!.length).toBe(booked.length);
    return {
      promoted: results[0]!.filter((x) => x.promoted).length,
      created: [...results[2]!, ...results[3]!].filter((x) => x.ok).length,
    };
  };

  describe('lock order: releases racing reservations', () => {
    processTest(
      get,
      'cancels (some promoting the freed seat) and creates on one full slot, from 4 processes',
      async () => {
        const { adapter, raw } = get();
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
        const create = { serviceId: w.yoga.id, startTime: iso(DAY9), contactId: w.contact.id, seats: 1 };
        const { promoted, created } = await race(w, booked, capacity, () =>
          Array.from({ length: 8 }, () => create),
        );
        const stored = [...(await raw.liveSeats(w.seshn.scope, w.clock.ms())).values()];
        expect(promoted + created).toBeLessThanOrEqual(capacity);
        expect(stored.reduce((n, x) => n + x, 0)).toBe(promoted + created);
        const seats = await raw.slotSeats(w.seshn.scope);
        expect(seats.counter).toEqual(seats.confirmed);
        expect(seats.strays).toEqual([]);
      },
    );

    processTest(
      get,
      'cancels (some promoting the freed time) and creates on one exclusive resource, from 4 processes',
      async () => {
        const { adapter, raw } = get();
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
        // Creators ask for the freed hours and the half hours overlapping them.
        const { promoted, created } = await race(w, booked, 1, (p) =>
          hours.flatMap((h) =>
            [h, h + 0.5].map((x) => ({
              serviceId: w.appointment.id,
              startTime: iso(T0 + x * HOUR + (p - 2) * 30 * MINUTE),
              contactId: w.contact.id,
              seats: 1,
            })),
          ),
        );
        const stored = await raw.bookings(w.seshn.scope);
        expect(stored.filter((b) => b.status === 'confirmed').length).toBe(promoted + created);
        expect(findOverlaps(stored, w.clock.ms())).toEqual([]);
        const seats = await raw.slotSeats(w.seshn.scope);
        expect(seats.counter).toEqual(seats.confirmed);
      },
    );
  });
}
