/**
 * Invariant 1 under real concurrency: many reservations at once over separate connections, and
 * separate OS processes racing on one slot and on one exclusive resource.
 * @module
 */
import { SeshnError } from '@seshn/core';
import { describe, expect, it } from 'vitest';
import { HOUR, iso, MINUTE, makeWorld, T0 } from '../fixtures.js';
import { runProcessRace } from '../processes.js';
import { seededRandom } from '../random.js';
import { findOverlaps } from '../raw.js';
import type { SuiteContext } from '../suite.js';
import { processTest } from './process-test.js';

const DAY9 = T0 + 9 * HOUR;

export function raceTests(get: () => SuiteContext) {
  describe('races', () => {
    it('many concurrent reservations on one slot sell exactly its capacity', async () => {
      const { adapter, raw } = get();
      const w = await makeWorld(adapter, 'race-seats');
      const attempts = Array.from({ length: 40 }, (_, i) =>
        w.seshn.bookings
          .create({ serviceId: w.yoga.id, startTime: iso(DAY9), contactId: w.contact.id, seats: 1 + (i % 3) })
          .then(
            (b) => ({ ok: true as const, seats: b.seats }),
            (e: unknown) => {
              if (!(e instanceof SeshnError) || e.code !== 'slot_unavailable') throw e;
              return { ok: false as const, seats: 0 };
            },
          ),
      );
      const results = await Promise.all(attempts);
      const sold = results.reduce((n, r) => n + r.seats, 0);
      const stored = [...(await raw.liveSeats(w.seshn.scope, w.clock.ms())).values()];
      expect(stored).toEqual([sold]);
      expect(sold).toBeLessThanOrEqual(10);
      expect(sold).toBeGreaterThanOrEqual(8); // 40 attempts of 1–3 seats leave at most 2 unsold
    });

    it('concurrent overlapping appointments on one exclusive resource leave no overlap', async () => {
      const { adapter, raw } = get();
      const w = await makeWorld(adapter, 'race-range');
      const r = seededRandom(7);
      const starts = Array.from({ length: 40 }, () => DAY9 + Math.floor(r() * 12) * 30 * MINUTE);
      const results = await Promise.allSettled(
        starts.map((s) =>
          w.seshn.bookings.create({
            serviceId: w.appointment.id,
            startTime: iso(s),
            contactId: w.contact.id,
          }),
        ),
      );
      for (const x of results) {
        if (x.status === 'rejected') expect((x.reason as SeshnError).code).toBe('slot_unavailable');
      }
      const stored = await raw.bookings(w.seshn.scope);
      expect(stored.length).toBe(results.filter((x) => x.status === 'fulfilled').length);
      expect(stored.length).toBeGreaterThan(0);
      expect(findOverlaps(stored, w.clock.ms())).toEqual([]);
    });

    it('cancel and confirm racing on one hold: exactly one wins', async () => {
      const { adapter, raw } = get();
      const w = await makeWorld(adapter, 'race-state');
      const held = await w.seshn.bookings.create({
        serviceId: w.yoga.id,
        startTime: iso(DAY9),
        contactId: w.contact.id,
        hold: true,
      });
      const [c1, c2] = await Promise.allSettled([
        w.seshn.bookings.confirm(held.id),
        w.seshn.bookings.cancel(held.id),
      ]);
      const status = (await raw.bookings(w.seshn.scope))[0]!.status;
      if (status === 'confirmed') {
        // confirm won; the cancel then cancels the confirmed booking
        expect(c1.status).toBe('fulfilled');
      } else {
        expect(status).toBe('cancelled');
        expect(c2.status).toBe('fulfilled');
      }
      const types = (await raw.events(w.seshn.scope)).map((e) => e.type);
      expect(types.filter((t) => t === 'booking.cancelled').length).toBeLessThanOrEqual(1);
    });

    processTest(
      get,

      '4 OS processes racing 200 attempts of 1–3 seats on a 10-seat slot sell exactly 10',
      async () => {
        const { adapter, raw, target } = get();
        const w = await makeWorld(adapter, 'proc-seats');
        const r = seededRandom(42);
        const jobs = Array.from({ length: 4 }, () => ({
          spec: target.processAdapter!,
          organizationId: w.seshn.scope.organizationId,
          now: w.clock.ms(),
          // The last attempts ask for one seat so the slot always fills exactly.
          attempts: Array.from({ length: 50 }, (_, i) => ({
            serviceId: w.yoga.id,
            startTime: iso(DAY9),
            contactId: w.contact.id,
            seats: i >= 45 ? 1 : 1 + Math.floor(r() * 3),
          })),
        }));
        const results = (await runProcessRace(jobs)).flat();
        const crashes = results.filter((x) => !x.ok && x.code !== 'slot_unavailable');
        expect(crashes).toEqual([]);
        const sold = results.filter((x) => x.ok).reduce((n, x) => n + x.seats, 0);
        const stored = [...(await raw.liveSeats(w.seshn.scope, w.clock.ms())).values()];
        expect(sold).toBe(10);
        expect(stored).toEqual([10]);
      },
    );

    processTest(
      get,
      '4 OS processes racing for overlapping hours on an exclusive resource: one winner per conflict',
      async () => {
        const { adapter, raw, target } = get();
        const w = await makeWorld(adapter, 'proc-range');
        const r = seededRandom(99);
        // Every process tries the same contested hour first, then random overlapping starts.
        const jobs = Array.from({ length: 4 }, () => ({
          spec: target.processAdapter!,
          organizationId: w.seshn.scope.organizationId,
          now: w.clock.ms(),
          attempts: [
            DAY9,
            ...Array.from({ length: 24 }, () => DAY9 + Math.floor(r() * 16) * 30 * MINUTE),
          ].map((s) => ({
            serviceId: w.appointment.id,
            startTime: iso(s),
            contactId: w.contact.id,
            seats: 1,
          })),
        }));
        const results = await runProcessRace(jobs);
        const flat = results.flat();
        expect(flat.filter((x) => !x.ok && x.code !== 'slot_unavailable')).toEqual([]);
        const firstAttempts = results.map((res) => res[0]!);
        expect(firstAttempts.filter((x) => x.ok).length).toBe(1);
        const stored = await raw.bookings(w.seshn.scope);
        expect(stored.length).toBe(flat.filter((x) => x.ok).length);
        expect(findOverlaps(stored, w.clock.ms())).toEqual([]);
      },
    );
  });
}
