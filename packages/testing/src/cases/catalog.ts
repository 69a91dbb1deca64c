/**
 * The catalog on a real adapter: create / get / update / list / archive or delete for resources,
 * services, allocations and contacts, and what archiving means for booking.
 * @module
 */
import { describe, expect, it } from 'vitest';
import { HOUR, iso, makeWorld, T0 } from '../fixtures.js';
import type { SuiteContext } from '../suite.js';
import { expectCode } from './lifecycle.js';

const DAY9 = T0 + 9 * HOUR;

export function catalogTests(get: () => SuiteContext) {
  describe('catalog', () => {
    it('updates and archives resources; an archived resource takes no new bookings', async () => {
      const { adapter } = get();
      const w = await makeWorld(adapter, 'catalog-resource');
      const renamed = await w.seshn.resources.update(w.room.id, { name: 'Room 1', metadata: { floor: 2 } });
      expect(renamed).toMatchObject({
        id: w.room.id,
        name: 'Room 1',
        metadata: { floor: 2 },
        timezone: 'UTC',
      });
      expect(await w.seshn.resources.get(w.room.id)).toEqual(renamed);
      await expectCode(
        w.seshn.resources.update(w.room.id, { timezone: 'Nowhere/Land' }),
        'validation_failed',
      );
      expect((await w.seshn.resources.get(w.room.id)).timezone).toBe('UTC');
      const archived = await w.seshn.resources.archive(w.room.id);
      expect(archived.archived).toBe(true);
      const e = await expectCode(
        w.seshn.bookings.create({
          serviceId: w.appointment.id,
          startTime: iso(DAY9),
          contactId: w.contact.id,
        }),
        'slot_unavailable',
      );
      expect(e.message).toMatch(/no active resource/);
      expect(
        await w.seshn.availability.query({
          serviceId: w.appointment.id,
          from: iso(T0),
          to: iso(T0 + 24 * HOUR),
        }),
      ).toEqual([]);
    });

    it('updates a service as a whole, and an archived service cannot be booked', async () => {
      const { adapter } = get();
      const w = await makeWorld(adapter, 'catalog-service');
      const updated = await w.seshn.services.update(w.yoga.id, { capacity: 2, name: 'Small yoga' });
      expect(updated).toMatchObject({ id: w.yoga.id, capacity: 2, name: 'Small yoga', kind: 'class' });
      await expectCode(w.seshn.services.update(w.yoga.id, { durationMinutes: -5 }), 'validation_failed');
      // A class's timetable must stay on its resources; an appointment may move, but only to real ones.
      await expectCode(w.seshn.services.update(w.yoga.id, { resourceIds: [w.room.id] }), 'validation_failed');
      await expectCode(w.seshn.services.update(w.appointment.id, { resourceIds: ['rsc_nope'] }), 'not_found');
      expect((await w.seshn.services.get(w.yoga.id)).capacity).toBe(2);
      await w.seshn.bookings.create({
        serviceId: w.yoga.id,
        startTime: iso(DAY9),
        contactId: w.contact.id,
        seats: 2,
      });
      await expectCode(
        w.seshn.bookings.create({ serviceId: w.yoga.id, startTime: iso(DAY9), contactId: w.contact.id }),
        'slot_unavailable',
      );
      await w.seshn.services.archive(w.yoga.id);
      await expectCode(
        w.seshn.bookings.create({
          serviceId: w.yoga.id,
          startTime: iso(DAY9 + 24 * HOUR),
          contactId: w.contact.id,
        }),
        'invalid_state',
      );
      const listed = await w.seshn.services.list();
      expect(listed.data.map((s) => [s.id, s.archived])).toEqual([
        [w.yoga.id, true],
        [w.appointment.id, false],
      ]);
    });

    it('lists, reads and deletes allocations; a deleted block frees its time', async () => {
      const { adapter } = get();
      const w = await makeWorld(adapter, 'catalog-allocation');
      const a = await w.seshn.allocations.create({
        resourceId: w.room.id,
        startTime: iso(DAY9),
        endTime: iso(DAY9 + 2 * HOUR),
        reason: 'Maintenance',
      });
      const b = await w.seshn.allocations.create({
        resourceId: w.studio.id,
        startTime: iso(DAY9),
        endTime: iso(DAY9 + HOUR),
      });
      expect(await w.seshn.allocations.get(a.id)).toEqual(a);
      expect((await w.seshn.allocations.list({ resourceId: w.room.id })).data.map((x) => x.id)).toEqual([
        a.id,
      ]);
      expect(
        (await w.seshn.allocations.list({ from: iso(DAY9 + HOUR), to: iso(DAY9 + 3 * HOUR) })).data.map(
          (x) => x.id,
        ),
      ).toEqual([a.id]);
      expect((await w.seshn.allocations.list()).data.map((x) => x.id)).toEqual([b.id, a.id]);
      await expectCode(
        w.seshn.bookings.create({
          serviceId: w.appointment.id,
          startTime: iso(DAY9),
          contactId: w.contact.id,
        }),
        'slot_unavailable',
      );
      expect(await w.seshn.allocations.delete(a.id)).toEqual({
        id: a.id,
        object: 'allocation',
        deleted: true,
      });
      await expectCode(w.seshn.allocations.delete(a.id), 'not_found');
      await expectCode(w.seshn.allocations.get(a.id), 'not_found');
      const booked = await w.seshn.bookings.create({
        serviceId: w.appointment.id,
        startTime: iso(DAY9),
        contactId: w.contact.id,
      });
      expect(booked.status).toBe('confirmed');
    });

    it('updates, lists and finds contacts by email (case-insensitive) and by text', async () => {
      const { adapter } = get();
      const w = await makeWorld(adapter, 'catalog-contact');
      const ann = await w.seshn.contacts.create({
        name: 'Ann Lee',
        email: 'Ann.Lee@Example.com',
        phone: '+44 20 7946 0000',
      });
      const bob = await w.seshn.contacts.create({ name: 'Bob 100% Real' });
      expect((await w.seshn.contacts.find({ email: 'ann.lee@example.COM' })).data.map((c) => c.id)).toEqual([
        ann.id,
      ]);
      expect((await w.seshn.contacts.find({ query: 'lee' })).data.map((c) => c.id)).toEqual([ann.id]);
      expect((await w.seshn.contacts.find({ query: '7946' })).data.map((c) => c.id)).toEqual([ann.id]);
      // LIKE wildcards in the query are text, not patterns.
      expect((await w.seshn.contacts.find({ query: '100%' })).data.map((c) => c.id)).toEqual([bob.id]);
      expect((await w.seshn.contacts.find({ query: '%' })).data.map((c) => c.id)).toEqual([bob.id]);
      const moved = await w.seshn.contacts.update(ann.id, { email: 'ann@example.org', phone: null });
      expect(moved).toMatchObject({ email: 'ann@example.org', phone: null, name: 'Ann Lee' });
      expect((await w.seshn.contacts.find({ email: 'Ann.Lee@Example.com' })).data).toEqual([]);
      const page = await w.seshn.contacts.list({ limit: 2 });
      expect(page.data.map((c) => c.id)).toEqual([bob.id, ann.id]);
      expect(page.hasMore).toBe(true);
      await expectCode(w.seshn.contacts.update('ct_nope', { name: 'X' }), 'not_found');
    });
  });
}
