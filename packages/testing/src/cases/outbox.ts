/**
 * The transactional outbox, delivered per consumer: concurrent claimers of one consumer get
 * disjoint events, a lease that runs out makes an event claimable again, a settled delivery is
 * never claimed again by its consumer — and every consumer gets every event (fan-out), and a
 * claim can be scoped to one tenant.
 * @module
 */
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { makeWorld, T0 } from '../fixtures.js';
import type { SuiteContext } from '../suite.js';

export function outboxTests(get: () => SuiteContext) {
  describe('outbox claims', () => {
    it('workers racing for events claim each exactly once; lapsed leases return, settled ones never', async () => {
      const { adapter } = get();
      const w = await makeWorld(adapter, 'outbox');
      for (let i = 0; i < 20; i++) await w.seshn.contacts.create({ name: `Guest ${i}` });
      const mine = new Set(
        (await adapter.list('event', w.seshn.scope, {}, { limit: 100 })).data.map((e) => e.id),
      );
      expect(mine.size).toBeGreaterThanOrEqual(20);
      // A consumer of its own: other tests' claims and settlements do not interfere.
      const consumer = `test-${randomUUID().slice(0, 8)}`;

      const lease = 60_000;
      const claimed = new Map<string, string>(); // event id → owner
      let duplicates = 0;
      await Promise.all(
        ['w1', 'w2', 'w3', 'w4'].map(async (owner) => {
          for (;;) {
            const batch = await adapter.claim({ consumer, now: T0, limit: 7, leaseMs: lease, owner });
            if (batch.length === 0) return;
            for (const e of batch) {
              if (claimed.has(e.id)) duplicates++;
              claimed.set(e.id, owner);
              expect(e.attempt).toBe(1);
            }
          }
        }),
      );
      expect(duplicates).toBe(0);
      for (const id of mine) expect(claimed.has(id)).toBe(true);
      const sample = [...mine][0]!;
      const claimedMine = (
        await adapter.claim({ consumer, now: T0, limit: 1000, leaseMs: lease, owner: 'w5' })
      ).filter((e) => mine.has(e.id));
      expect(claimedMine).toEqual([]); // all leased

      // Settle everything except three of ours; a wrong owner cannot settle anything.
      const keep = [...mine].slice(0, 3);
      expect(
        await adapter.settle({ consumer, owner: 'nobody', eventIds: [...claimed.keys()], now: T0 }),
      ).toBe(0);
      for (const owner of ['w1', 'w2', 'w3', 'w4']) {
        const ids = [...claimed].filter(([id, o]) => o === owner && !keep.includes(id)).map(([id]) => id);
        expect(await adapter.settle({ consumer, owner, eventIds: ids, now: T0 })).toBe(ids.length);
      }
      const again = await adapter.claim({
        consumer,
        now: T0 + lease,
        limit: 1000,
        leaseMs: lease,
        owner: 'w6',
      });
      expect(again.map((e) => e.id).sort()).toEqual([...keep].sort());
      expect(again[0]!.scope).toEqual(w.seshn.scope);
      expect(again.map((e) => e.attempt)).toEqual([2, 2, 2]);
      expect(await adapter.settle({ consumer, owner: 'w6', eventIds: keep, now: T0 + lease })).toBe(3);
      expect(
        await adapter.claim({ consumer, now: T0 + 10 * lease, limit: 1000, leaseMs: lease, owner: 'w7' }),
      ).toEqual([]);
      expect(claimed.get(sample)).toBeDefined();
    });

    it('every consumer gets every event; a scoped claim sees only its scope; a retry waits for its instant', async () => {
      const { adapter } = get();
      const a = await makeWorld(adapter, 'outbox-a');
      const b = await makeWorld(adapter, 'outbox-b');
      await a.seshn.contacts.create({ name: 'Ann' });
      await b.seshn.contacts.create({ name: 'Bob' });
      const eventsOf = async (scope: typeof a.seshn.scope) =>
        (await adapter.list('event', scope, {}, { limit: 100 })).data.map((e) => e.id).sort();
      const ofA = await eventsOf(a.seshn.scope);
      const ofB = await eventsOf(b.seshn.scope);
      const run = randomUUID().slice(0, 8);
      const claimAll = async (consumer: string, scope = a.seshn.scope, now = T0) =>
        (await adapter.claim({ consumer, owner: 'w', now, limit: 1000, leaseMs: 1000, scope }))
          .map((e) => e.id)
          .sort();
      // Two endpoints of A: each gets all of A's events, none of B's.
      expect(await claimAll(`hook-1-${run}`)).toEqual(ofA);
      expect(await claimAll(`hook-2-${run}`)).toEqual(ofA);
      expect(await claimAll(`hook-1-${run}`, b.seshn.scope)).toEqual(ofB);
      // Settling for one consumer leaves the other's deliveries open.
      expect(await adapter.settle({ consumer: `hook-1-${run}`, owner: 'w', eventIds: ofA, now: T0 })).toBe(
        ofA.length,
      );
      expect(await claimAll(`hook-1-${run}`, a.seshn.scope, T0 + 5000)).toEqual([]);
      expect(await claimAll(`hook-2-${run}`, a.seshn.scope, T0 + 5000)).toEqual(ofA);
      // A failed delivery given back with a retry instant is claimable from that instant only.
      const retryAt = T0 + 60_000;
      expect(
        await adapter.settle({
          consumer: `hook-2-${run}`,
          owner: 'w',
          eventIds: ofA,
          now: T0 + 5000,
          retryAt,
        }),
      ).toBe(ofA.length);
      expect(await claimAll(`hook-2-${run}`, a.seshn.scope, retryAt - 1)).toEqual([]);
      expect(await claimAll(`hook-2-${run}`, a.seshn.scope, retryAt)).toEqual(ofA);
    });
  });
}
