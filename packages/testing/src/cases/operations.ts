/**
 * The operation table's promises on a real database: every operation answers with exactly the
 * shape its output schema declares (no field missing, none undeclared), through the short forms
 * of the product pages and through the one-object form alike.
 * @module
 */
import { findOperation, operationList } from '@seshn/core';
import { describe, expect, it } from 'vitest';
import { HOUR, iso, MINUTE, makeWorld, T0 } from '../fixtures.js';
import type { SuiteContext } from '../suite.js';

const DAY9 = T0 + 9 * HOUR;

export function operationTests(get: () => SuiteContext) {
  describe('operation table', () => {
    it('every operation answers with exactly the shape its output schema declares', async () => {
      const { adapter } = get();
      const w = await makeWorld(adapter, 'op-shapes');
      const s = w.seshn;
      const seen = new Set<string>();
      const check = async <T>(name: string, call: Promise<T>): Promise<T> => {
        const value = await call;
        const op = findOperation(name);
        expect(op, name).toBeDefined();
        const parsed = op!.output.safeParse(value);
        expect(parsed.success ? 'ok' : JSON.stringify(parsed.error.issues).slice(0, 800), name).toBe('ok');
        // Parsing drops undeclared fields: equal means nothing undeclared came back.
        expect(parsed.data, name).toEqual(value);
        seen.add(name);
        return value;
      };

      const room = await check('resources.create', s.resources.create({ name: 'Extra', timezone: 'UTC' }));
      await check('resources.get', s.resources.get(room.id));
      await check('resources.update', s.resources.update(room.id, { name: 'Extra room' }));
      await check('resources.list', s.resources.list({ limit: 2 }));
      await check('resources.archive', s.resources.archive({ id: room.id }));
      await check('services.get', s.services.get(w.appointment.id));
      await check('services.list', s.services.list());
      const svc = await check(
        'services.create',
        s.services.create({
          name: 'Short',
          kind: 'appointment',
          durationMinutes: 30,
          resourceIds: [w.room.id],
          horizonDays: null,
        }),
      );
      await check('services.update', s.services.update(svc.id, { name: 'Shorter' }));
      await check('services.archive', s.services.archive(svc.id));
      const block = await check(
        'allocations.create',
        s.allocations.create({
          resourceId: w.room.id,
          startTime: iso(DAY9 + 20 * HOUR),
          endTime: iso(DAY9 + 21 * HOUR),
        }),
      );
      await check('allocations.get', s.allocations.get(block.id));
      await check('allocations.list', s.allocations.list({ resourceId: w.room.id }));
      await check('allocations.delete', s.allocations.delete(block.id));
      await check('contacts.get', s.contacts.get(w.contact.id));
      await check('contacts.list', s.contacts.list());
      await check('contacts.update', s.contacts.update(w.contact.id, { phone: '+44 20 7946 0000' }));
      await check('contacts.find', s.contacts.find({ email: 'jane@example.com' }));
      const other = await check('contacts.create', s.contacts.create({ name: 'Sam' }));

      const slots = await check(
        'availability.query',
        s.availability.query({ serviceId: w.yoga.id, from: iso(T0), to: iso(T0 + 24 * HOUR) }),
      );
      await check(
        'availability.query',
        s.availability.query({
          serviceId: w.appointment.id,
          from: '2030-01-07',
          to: '2030-01-07',
          includeUnavailable: true,
        }),
      );
      // The Floyd-style body asks for the same slots as `query` does.
      const floyd = await check(
        'availability.slots',
        s.availability.slots(w.yoga.id, {
          startTime: iso(T0),
          endTime: iso(T0 + 24 * HOUR),
          durationMs: 60 * 60_000,
        }),
      );
      expect(floyd).toEqual(slots);
      await check(
        'availability.windows',
        s.availability.windows({ resourceIds: [w.room.id], from: iso(T0), to: iso(T0 + 24 * HOUR) }),
      );
      await check(
        'availability.explain',
        s.availability.explain({ serviceId: w.appointment.id, startTime: iso(DAY9) }),
      );
      await check('pricing.quote', s.pricing.quote({ slotId: slots[0]!.id, seats: 2 }));

      const booked = await check(
        'bookings.create',
        s.bookings.create({ slotId: slots[0]!.id, contactId: w.contact.id, seats: 2 }),
      );
      await check('bookings.get', s.bookings.get(booked.id));
      await check('bookings.list', s.bookings.list({ contactId: w.contact.id }));
      const held = await check(
        'bookings.create',
        s.bookings.create({
          serviceId: w.appointment.id,
          startTime: iso(DAY9),
          contactId: other.id,
          hold: true,
        }),
      );
      await check('bookings.reschedule', s.bookings.reschedule(held.id, { startTime: iso(DAY9 + HOUR) }));
      await check('bookings.confirm', s.bookings.confirm(held.id));
      w.clock.set(DAY9 - 30 * MINUTE);
      await check('bookings.checkIn', s.bookings.checkIn(booked.id));
      w.clock.set(DAY9 + 5 * MINUTE);
      await check('bookings.markNoShow', s.bookings.markNoShow({ id: booked.id }));
      await check('bookings.undoAttendance', s.bookings.undoAttendance(booked.id));
      await check('bookings.cancel', s.bookings.cancel(held.id, { reason: 'changed plans' }));

      // A full class session: the rest of its seats sold, then the waitlist.
      w.clock.set(T0);
      const session = slots[1]!;
      await s.bookings.create({ slotId: session.id, contactId: other.id, seats: session.capacity });
      const entry = await check(
        'waitlist.join',
        s.waitlist.join({ slotId: session.id, contactId: w.contact.id, seats: 1 }),
      );
      await check('waitlist.get', s.waitlist.get(entry.id));
      await check('waitlist.list', s.waitlist.list({ slotId: session.id }));
      await check('waitlist.list', s.waitlist.list({ contactId: w.contact.id, status: 'waiting' }));
      await check('waitlist.leave', s.waitlist.leave(entry.id));
      await check('work.runDue', s.work.runDue({ limit: 10 }));

      w.clock.set(T0);
      const recurrence = { rrule: 'FREQ=DAILY;COUNT=3', dtstart: '2030-01-08T14:00' };
      await check(
        'bookingSeries.create',
        s.bookingSeries.create({
          serviceId: w.appointment.id,
          contactId: w.contact.id,
          recurrence,
          preview: true,
        }),
      );
      const series = await check(
        'bookingSeries.create',
        s.bookingSeries.create({
          serviceId: w.appointment.id,
          contactId: w.contact.id,
          recurrence,
          hold: { ttlSeconds: 600 },
        }),
      );
      await check('bookingSeries.confirm', s.bookingSeries.confirm(series.id));
      await check('bookingSeries.get', s.bookingSeries.get(series.id));
      await check('bookingSeries.list', s.bookingSeries.list({ contactId: w.contact.id }));
      await check(
        'bookingSeries.rescheduleOccurrence',
        s.bookingSeries.rescheduleOccurrence(series.id, 1, {
          startTime: iso(T0 + 2 * 24 * HOUR + 16 * HOUR),
        }),
      );
      await check('bookingSeries.cancelOccurrence', s.bookingSeries.cancelOccurrence(series.id, 2));
      await check('bookingSeries.cancel', s.bookingSeries.cancel(series.id, { reason: 'moved away' }));
      await check('events.list', s.events.list({ limit: 5 }));

      const org = await check('organizations.create', s.organizations.create({ name: 'Shapes Ltd' }));
      await check('organizations.get', s.organizations.get(org.id));
      const key = await check('apiKeys.create', s.apiKeys.create({ name: 'server', role: 'staff' }));
      await check('apiKeys.get', s.apiKeys.get(key.id));
      await check('apiKeys.list', s.apiKeys.list({ limit: 2 }));
      const audited = s.withActor({ type: 'user', id: 'usr_shapes' }, { requestId: 'req_shapes' });
      await check('apiKeys.revoke', audited.apiKeys.revoke(key.id));
      await check('auditLog.list', s.auditLog.list({ limit: 5 }));
      const test = s.withScope({ ...s.scope, mode: 'test' });
      await check('testClock.get', test.testClock.get());
      await check('testClock.advance', test.testClock.advance({ seconds: 60 }));

      const pack = await check(
        'products.create',
        s.products.create({
          name: 'Ten classes',
          type: 'pack',
          credits: 10,
          validDays: 90,
          price: { amount: 9000, currency: 'usd' },
        }),
      );
      await check('products.get', s.products.get(pack.id));
      await check('products.list', s.products.list({ limit: 2 }));
      await check('products.update', s.products.update(pack.id, { name: 'Ten-class pack' }));
      const ent = await check(
        'entitlements.grant',
        s.entitlements.grant({ contactId: w.contact.id, productId: pack.id }),
      );
      await check('entitlements.get', s.entitlements.get(ent.id));
      await check('entitlements.list', s.entitlements.list({ contactId: w.contact.id }));
      await check('entitlements.balance', s.entitlements.balance({ contactId: w.contact.id }));
      await check('ledger.accounts', s.ledger.accounts({ contactId: w.contact.id }));
      await check('ledger.balance', s.ledger.balance({ accountId: ent.accountId }));
      await check('ledger.transfers', s.ledger.transfers({ entitlementId: ent.id }));
      await check('ledger.deferredRevenue', s.ledger.deferredRevenue());
      await check('entitlements.expireDue', s.entitlements.expireDue({ limit: 10 }));
      await check('entitlements.revoke', s.entitlements.revoke(ent.id));
      await check('products.archive', s.products.archive(pack.id));

      // The scenario reached every operation of the table.
      expect(operationList.map((op) => op.name).filter((name) => !seen.has(name))).toEqual([]);
    });

    it('the short forms and the one-object form reach the same operation', async () => {
      const { adapter } = get();
      const w = await makeWorld(adapter, 'op-forms');
      const s = w.seshn;
      const series = await s.bookingSeries.create({
        serviceId: w.appointment.id,
        contactId: w.contact.id,
        recurrence: { rrule: 'FREQ=DAILY;COUNT=3', dtstart: '2030-01-08T14:00' },
      });
      const byPosition = await s.bookingSeries.cancelOccurrence(series.id, 0, { reason: 'ill' });
      const byObject = await s.bookingSeries.cancelOccurrence({ id: series.id, index: 1, reason: 'ill' });
      expect([byPosition.status, byObject.status]).toEqual(['cancelled', 'cancelled']);
      expect([byPosition.occurrenceIndex, byObject.occurrenceIndex]).toEqual([0, 1]);
      expect(await s.bookings.get({ id: byPosition.id })).toEqual(await s.bookings.get(byPosition.id));
      const bad = await s.bookings.get({ id: 'rsc_not_a_booking' }).catch((e: unknown) => e);
      expect(bad).toMatchObject({ code: 'validation_failed' });
    });
  });
}
