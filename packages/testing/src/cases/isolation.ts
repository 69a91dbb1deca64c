/**
 * Invariant 7: tenants never see each other. Another organization, or the other mode of the same
 * organization, gets `not_found` for every id and empty lists.
 * @module
 */
import { createSeshn } from '@seshn/core';
import { describe, expect, it } from 'vitest';
import { HOUR, makeWorld, T0, uniqueOrg } from '../fixtures.js';
import type { SuiteContext } from '../suite.js';
import { expectCode } from './lifecycle.js';

const iso = (ms: number) => new Date(ms).toISOString();

export function isolationTests(get: () => SuiteContext) {
  describe('tenant isolation', () => {
    it('another organization or mode cannot read, book, cancel or list the data', async () => {
      const { adapter, raw } = get();
      const w = await makeWorld(adapter, 'tenant');
      const booking = await w.seshn.bookings.create({
        serviceId: w.yoga.id,
        startTime: iso(T0 + 9 * HOUR),
        contactId: w.contact.id,
      });
      const slotId = booking.slotId;
      const others = [
        w.seshn.withScope({ organizationId: uniqueOrg('intruder'), mode: 'live' }),
        w.seshn.withScope({ organizationId: w.seshn.scope.organizationId, mode: 'test' }),
        createSeshn({ adapter, now: w.clock.now, organizationId: uniqueOrg('stranger') }),
      ];
      const before = await raw.counts(w.seshn.scope);
      for (const other of others) {
        await expectCode(other.bookings.get(booking.id), 'not_found');
        await expectCode(other.bookings.cancel(booking.id), 'not_found');
        await expectCode(other.bookings.confirm(booking.id), 'not_found');
        await expectCode(
          other.bookings.reschedule(booking.id, { startTime: iso(T0 + 18 * HOUR) }),
          'not_found',
        );
        await expectCode(other.bookings.checkIn(booking.id), 'not_found');
        await expectCode(other.resources.get(w.room.id), 'not_found');
        await expectCode(other.services.get(w.yoga.id), 'not_found');
        await expectCode(other.contacts.get(w.contact.id), 'not_found');
        await expectCode(other.bookings.create({ slotId, contactId: w.contact.id }), 'not_found');
        await expectCode(
          other.availability.query({ serviceId: w.yoga.id, from: iso(T0), to: iso(T0 + 24 * HOUR) }),
          'not_found',
        );
        await expectCode(
          other.allocations.create({ resourceId: w.room.id, startTime: iso(T0), endTime: iso(T0 + HOUR) }),
          'not_found',
        );
        expect((await other.bookings.list()).data).toEqual([]);
        expect((await other.resources.list()).data).toEqual([]);
        expect((await other.contacts.find({ email: 'jane@example.com' })).data).toEqual([]);
        expect((await other.events.list()).data).toEqual([]);
      }
      expect(await raw.counts(w.seshn.scope)).toEqual(before);
      expect((await w.seshn.bookings.get(booking.id)).status).toBe('confirmed');
    });

    it('a booking in one tenant does not take seats or time in another', async () => {
      const { adapter } = get();
      const a = await makeWorld(adapter, 'tenant-a');
      const b = await makeWorld(adapter, 'tenant-b', { mode: 'test' });
      await a.seshn.bookings.create({
        serviceId: a.appointment.id,
        startTime: iso(T0 + 9 * HOUR),
        contactId: a.contact.id,
      });
      const inB = await b.seshn.bookings.create({
        serviceId: b.appointment.id,
        startTime: iso(T0 + 9 * HOUR),
        contactId: b.contact.id,
      });
      expect(inB.status).toBe('confirmed');
    });
  });
}
