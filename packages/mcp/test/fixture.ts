/**
 * A real Seshn HTTP API for the MCP tests: `seshnListener` on `node:http` (port 0) over SQLite in
 * memory, a test-mode owner key of `org_default`, and a small catalog: a capacity-3 class in
 * Europe/Berlin, daily at 09:00 and 18:00 local time, 15.00 EUR per seat.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { sqliteAdapter } from '@seshn/adapter-sqlite';
import { createSeshn } from '@seshn/core';
import { seshnListener } from '@seshn/express-router';
import type { SeshnMcpClient } from '../src/index.js';

const ALL_DAY = [{ start: '00:00', end: '24:00' }];
const ALL_WEEK = {
  mon: ALL_DAY,
  tue: ALL_DAY,
  wed: ALL_DAY,
  thu: ALL_DAY,
  fri: ALL_DAY,
  sat: ALL_DAY,
  sun: ALL_DAY,
};

export interface SeshnFixture {
  baseUrl: string;
  secret: string;
  serviceId: string;
  resourceId: string;
  contactId: string;
  contactEmail: string;
  /** A day a week from now (YYYY-MM-DD, UTC), with the class at 09:00 and 18:00 Berlin time. */
  day: string;
  /** The embedded handle of the key (what the SDK reaches over HTTP), for tests without the SDK. */
  handle: SeshnMcpClient;
  close(): Promise<void>;
}

export async function startSeshn(): Promise<SeshnFixture> {
  const seshn = createSeshn({ adapter: sqliteAdapter({ filename: ':memory:' }) });
  await seshn.migrate();
  const scoped = seshn.withScope({ organizationId: 'org_default', mode: 'test' });
  const { secret } = await scoped.apiKeys.create({ name: 'mcp-test', role: 'owner' });
  const studio = await scoped.resources.create({
    name: 'Studio',
    timezone: 'Europe/Berlin',
    availability: { weekly: ALL_WEEK },
  });
  const yoga = await scoped.services.create({
    name: 'Yoga',
    kind: 'class',
    durationMinutes: 60,
    capacity: 3,
    resourceIds: [studio.id],
    timetable: [{ resourceId: studio.id, rrule: 'FREQ=DAILY;BYHOUR=9,18', dtstart: '2024-01-01T09:00' }],
    pricing: { strategy: 'per_seat', unitAmount: 1500, currency: 'eur' },
    horizonDays: null,
  });
  const contact = await scoped.contacts.create({ name: 'Ada Lovelace', email: 'ada@example.com' });
  const pack = await scoped.products.create({
    name: '10-class pack',
    type: 'pack',
    credits: 10,
    validDays: 365,
  });
  await scoped.entitlements.grant({ contactId: contact.id, productId: pack.id });
  const server = createServer(seshnListener(seshn, { basePath: '/v1', rateLimit: false }));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const principal = await seshn.authenticate(secret as string);
  if (!principal) throw new Error('the test key does not authenticate');
  const handle = seshn.withPrincipal(principal);
  const day = new Date(Date.now() + 7 * 86_400_000).toISOString().slice(0, 10);
  return {
    baseUrl: `http://127.0.0.1:${port}/v1`,
    secret: secret as string,
    serviceId: yoga.id,
    resourceId: studio.id,
    contactId: contact.id,
    contactEmail: 'ada@example.com',
    day,
    handle,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await seshn.close();
    },
  };
}
