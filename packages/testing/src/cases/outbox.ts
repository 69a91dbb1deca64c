/**
 * The transactional outbox, claimed by workers: concurrent claimers get disjoint events, a lease
 * that runs out makes an event claimable again, and a dispatched event is never claimed again.
 * @module
 */
import { describe, expect, it } from 'vitest';
import { makeWorld, T0 } from '../fixtures.js';
import type { SuiteContext } from '../suite.js';

export function outboxTests(get: () => SuiteContext) {
  describe('outbox claims', () => {
    it('workers racing for events claim each exactly once; lapsed leases return, dispatched ones never', async () => {
      const { adapter } = get();
      const w = await makeWorld(adapter, 'outbox');
      for (let i = 0; i < 20; i++) await w.seshn.contacts.create({ name: `Guest ${i}` });
      const mine = new Set(
        (await adapter.listEvents(w.seshn.scope, {}, { limit: 100 })).data.map((e) => e.id),
      );
      expect(mine.size).toBeGreaterThanOrEqual(20);

      const lease = 60_000;
      const claimed = new Map<string, string>(); // event id → owner
      let duplicates = 0;
      await Promise.all(
        ['w1', 'w2', 'w3', 'w4'].map(async (owner) => {
          for (;;) {
            const batch = await adapter.claimEvents({ now: T0, limit: 7, leaseMs: lease, owner });
            if (batch.length === 0) return;
            for (const e of batch) {
              if (claimed.has(e.id)) duplicates++;
              claimed.set(e.id, owner);
            }
          }
        }),
      );
      expect(duplicates).toBe(0);
      for (const id of mine) expect(claimed.has(id)).toBe(true);
      const sample = [...mine][0]!;
      const claimedMine = (
        await adapter.claimEvents({ now: T0, limit: 1000, leaseMs: lease, owner: 'w5' })
      ).filter((e) => mine.has(e.id));
      expect(claimedMine).toEqual([]); // all leased

      // Dispatch everything except three of ours; a wrong owner cannot mark anything.
      const keep = [...mine].slice(0, 3);
      expect(await adapter.markEventsDispatched('nobody', [...claimed.keys()], T0)).toBe(0);
      for (const owner of ['w1', 'w2', 'w3', 'w4']) {
        const ids = [...claimed].filter(([id, o]) => o === owner && !keep.includes(id)).map(([id]) => id);
        expect(await adapter.markEventsDispatched(owner, ids, T0)).toBe(ids.length);
      }
      const again = await adapter.claimEvents({ now: T0 + lease, limit: 1000, leaseMs: lease, owner: 'w6' });
      expect(again.map((e) => e.id).sort()).toEqual([...keep].sort());
      expect(again[0]!.scope).toEqual(w.seshn.scope);
      expect(await adapter.markEventsDispatched('w6', keep, T0 + lease)).toBe(3);
      expect(
        await adapter.claimEvents({ now: T0 + 10 * lease, limit: 1000, leaseMs: lease, owner: 'w7' }),
      ).toEqual([]);
      expect(claimed.get(sample)).toBeDefined();
    });
  });
}
