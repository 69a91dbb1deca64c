import { afterAll, beforeAll, expect, it } from 'vitest';
import { Seshn } from '../src/index.js';
import { startServer, type TestServer } from './server.js';

let t: TestServer;
beforeAll(async () => {
  t = await startServer();
});
afterAll(() => t?.close());

it('smoke', async () => {
  const seshn = new Seshn(t.secret, { baseUrl: t.origin });
  const r = await seshn.resources.create({
    name: 'Room',
    timezone: 'UTC',
    availability: { weekly: { mon: [{ start: '09:00', end: '17:00' }] } },
  });
  const s = await seshn.services.create({
    name: 'Cut',
    kind: 'appointment',
    durationMinutes: 60,
    resourceIds: [r.id],
  });
  const c = await seshn.contacts.create({ name: 'Ada' });
  const slots = await seshn.availability.query({ serviceId: s.id, from: '2030-01-07', to: '2030-01-07' });
  const b = await seshn.bookings.create({ slotId: slots[0]!.id, contactId: c.id, seats: 1 });
  const got = await seshn.bookings.get(b.id);
  expect(got).toEqual(b);
  const all = [];
  for await (const x of seshn.bookings.list({ limit: 1 })) all.push(x);
  expect(all).toHaveLength(1);
  await expect(seshn.bookings.get('bkg_nope')).rejects.toMatchObject({ code: 'not_found', status: 404 });
});
