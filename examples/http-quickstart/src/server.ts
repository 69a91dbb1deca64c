/**
 * The HTTP quickstart: Seshn's `/v1` API on SQLite in a few lines of Express, a test-mode key,
 * and curl lines that book a slot. Run it with `pnpm --filter @seshn/example-http start`
 * (PORT, default 3000; SESHN_DB, default seshn.db). Each start prints a new test key; the demo
 * room, service and contact are created once, on the first start with an empty database.
 */
import { sqliteAdapter } from '@seshn/adapter-sqlite';
import { createSeshn } from '@seshn/core';
import { seshnRouter } from '@seshn/express-router';
import express from 'express';

const seshn = createSeshn({ adapter: sqliteAdapter({ filename: process.env.SESHN_DB ?? 'seshn.db' }) });
await seshn.migrate();

// Keys belong to an organization; this one is the handle's default (`org_default`), in test mode.
const studio = seshn.withScope({ organizationId: 'org_default', mode: 'test' });
const { secret } = await studio.apiKeys.create({ name: 'quickstart', role: 'owner' });

const app = express();
app.use('/v1', seshnRouter(seshn));
const server = app.listen(Number(process.env.PORT ?? 3000), '127.0.0.1', async () => {
  const address = server.address();
  const base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 3000}/v1`;
  const demo = await seedDemo();
  const auth = `-H "Authorization: Bearer $SESHN_KEY"`;
  console.log(`Seshn /v1 on ${base} (test mode)`);
  console.log(`export SESHN_KEY=${secret}`);
  console.log(
    `curl -s "${base}/availability?serviceId=${demo.serviceId}&from=${demo.day}&to=${demo.day}" ${auth}`,
  );
  console.log(
    `curl -s ${base}/bookings ${auth} -H 'Content-Type: application/json' -d '{"slotId":"${demo.slotId}","contactId":"${demo.contactId}"}'`,
  );
  console.log(`curl -s "${base}/bookings?contactId=${demo.contactId}" ${auth}`);
});

/** A room open every day 09:00–17:00, a one-hour appointment on it and a contact (first start only). */
async function seedDemo() {
  let [room] = (await studio.resources.list({ limit: 1 })).data;
  room ??= await studio.resources.create({
    name: 'Room 1',
    timezone: 'Europe/London',
    availability: {
      weekly: Object.fromEntries(
        ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'].map((day) => [
          day,
          [{ start: '09:00', end: '17:00' }],
        ]),
      ),
    },
  });
  let [service] = (await studio.services.list({ limit: 1 })).data;
  service ??= await studio.services.create({
    name: 'Massage',
    kind: 'appointment',
    durationMinutes: 60,
    resourceIds: [room.id],
    pricing: { strategy: 'flat', amount: 6500, currency: 'gbp' },
  });
  let [contact] = (await studio.contacts.list({ limit: 1 })).data;
  contact ??= await studio.contacts.create({ name: 'Jane Doe', email: 'jane@example.com' });
  // Tomorrow, as a calendar date (read in the room's zone by the API); its first free slot.
  const day = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);
  const slots = await studio.availability.query({ serviceId: service.id, from: day, to: day });
  return { serviceId: service.id, contactId: contact.id, day, slotId: slots[0]?.id ?? '<a slot id>' };
}
