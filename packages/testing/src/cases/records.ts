/**
 * The generic record store, straight on the adapter: every kind is read and written by the same
 * seven calls, scope-checked (another scope's row is invisible to each of them), cursor-paged.
 * @module
 */
import type { ContactRecord, ResourceRecord, Scope } from '@seshn/core';
import { describe, expect, it } from 'vitest';
import { T0, uniqueOrg } from '../fixtures.js';
import type { SuiteContext } from '../suite.js';

const resource = (id: string, at: number): ResourceRecord => ({
  id,
  name: `Room ${id}`,
  timezone: 'UTC',
  capacity: null,
  metadata: { n: id },
  availability: { weekly: {}, overrides: [] },
  archivedAt: null,
  createdAt: at,
  updatedAt: at,
});

export function recordStoreTests(get: () => SuiteContext) {
  describe('record store', () => {
    it('insert / get / getMany / update / list / archive, scope-checked, on every kind alike', async () => {
      const { adapter } = get();
      const scope: Scope = { organizationId: uniqueOrg('records'), mode: 'test' };
      const other: Scope = { ...scope, mode: 'live' };
      const ids = ['rsc_rec_a', 'rsc_rec_b', 'rsc_rec_c'].map(
        (id) => `${id}_${scope.organizationId.slice(-6)}`,
      );
      for (const [i, id] of ids.entries()) await adapter.insert('resource', scope, resource(id, T0 + i));
      expect(await adapter.get('resource', scope, ids[0]!)).toEqual(resource(ids[0]!, T0));
      expect(await adapter.get('resource', other, ids[0]!)).toBeNull();
      expect(
        (await adapter.getMany('resource', scope, [...ids, 'rsc_missing'])).map((r) => r.id).sort(),
      ).toEqual([...ids].sort());
      expect(await adapter.getMany('resource', other, ids)).toEqual([]);

      const renamed = { ...resource(ids[1]!, T0 + 1), name: 'Renamed', updatedAt: T0 + 10 };
      expect(await adapter.update('resource', scope, renamed)).toBe(true);
      expect(await adapter.update('resource', other, renamed)).toBe(false);
      expect((await adapter.get('resource', scope, ids[1]!))?.name).toBe('Renamed');

      // Newest id first, `limit + 1` read for hasMore, cursor by id.
      const first = await adapter.list('resource', scope, {}, { limit: 2 });
      expect(first.data.map((r) => r.id)).toEqual([...ids].sort().reverse().slice(0, 2));
      expect(first.hasMore).toBe(true);
      const rest = await adapter.list('resource', scope, {}, { limit: 2, startingAfter: first.data[1]!.id });
      expect(rest).toEqual({
        data: [await adapter.get('resource', scope, [...ids].sort()[0]!)],
        hasMore: false,
      });
      expect((await adapter.list('resource', other, {}, { limit: 10 })).data).toEqual([]);

      // Archiving keeps the first instant and is invisible to other scopes.
      const archived = await adapter.archive('resource', scope, ids[2]!, T0 + 20);
      expect(archived).toMatchObject({ id: ids[2], archivedAt: T0 + 20, updatedAt: T0 + 20 });
      expect(await adapter.archive('resource', scope, ids[2]!, T0 + 30)).toMatchObject({
        archivedAt: T0 + 20,
        updatedAt: T0 + 30,
      });
      expect(await adapter.archive('resource', other, ids[2]!, T0 + 40)).toBeNull();
      expect(await adapter.archive('resource', scope, 'rsc_missing', T0 + 40)).toBeNull();
    });

    it('filters: contacts by exact email or substring, allocations by resource and window; remove', async () => {
      const { adapter } = get();
      const scope: Scope = { organizationId: uniqueOrg('records-f'), mode: 'test' };
      const suffix = scope.organizationId.slice(-6);
      const contact = (id: string, name: string, email: string | null): ContactRecord => ({
        id: `ct_${id}_${suffix}`,
        name,
        email,
        phone: null,
        metadata: {},
        createdAt: T0,
        updatedAt: T0,
      });
      await adapter.insert('contact', scope, contact('a', 'Ann Lee', 'Ann@Example.com'));
      await adapter.insert('contact', scope, contact('b', 'Bo 50%', null));
      const find = async (filter: { email?: string; query?: string }) =>
        (await adapter.list('contact', scope, filter, { limit: 10 })).data.map((c) => c.name);
      expect(await find({ email: 'ann@example.COM' })).toEqual(['Ann Lee']);
      expect(await find({ query: 'lee' })).toEqual(['Ann Lee']);
      expect(await find({ query: '50%' })).toEqual(['Bo 50%']);
      expect(await find({ query: '5%' })).toEqual([]);

      const room = `rsc_f_${suffix}`;
      await adapter.insert('resource', scope, resource(room, T0));
      const block = (id: string, start: number, end: number, resourceId = room) => ({
        id: `alc_${id}_${suffix}`,
        resourceId,
        startTime: start,
        endTime: end,
        reason: null,
        metadata: {},
        createdAt: T0,
      });
      await adapter.insert('allocation', scope, block('1', T0, T0 + 100));
      await adapter.insert('allocation', scope, block('2', T0 + 200, T0 + 300));
      await adapter.insert('allocation', scope, block('3', T0, T0 + 300, 'rsc_elsewhere'));
      const blocks = async (filter: { resourceId?: string; from?: number; to?: number }) =>
        (await adapter.list('allocation', scope, filter, { limit: 10 })).data
          .map((a) => a.id.split('_')[1])
          .sort();
      expect(await blocks({})).toEqual(['1', '2', '3']);
      expect(await blocks({ resourceId: room })).toEqual(['1', '2']);
      // Half-open windows: [100, 200) touches neither block of the room.
      expect(await blocks({ resourceId: room, from: T0 + 100, to: T0 + 200 })).toEqual([]);
      expect(await blocks({ resourceId: room, from: T0 + 99, to: T0 + 201 })).toEqual(['1', '2']);
      expect(await adapter.remove('allocation', { ...scope, mode: 'live' }, `alc_1_${suffix}`)).toBe(false);
      expect(await adapter.remove('allocation', scope, `alc_1_${suffix}`)).toBe(true);
      expect(await adapter.remove('allocation', scope, `alc_1_${suffix}`)).toBe(false);
      expect(await blocks({ resourceId: room })).toEqual(['2']);
    });
  });
}
