/**
 * Publishable-key and keyless public mode against the real server: availability, pricing and the
 * service with a `pk_test_…` key or with only `Seshn-Organization` for a `public: true` service,
 * and everything else refused as a `SeshnError`.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Seshn, SeshnError } from '../src/index.js';
import { SCOPE, startServer, type TestServer } from './server.js';

let t: TestServer;
let publicServiceId: string;
let privateServiceId: string;
let publishable: string;

beforeAll(async () => {
  t = await startServer();
  const h = t.seshn.withScope(SCOPE);
  const room = await h.resources.create({
    name: 'Court',
    timezone: 'UTC',
    availability: { weekly: { tue: [{ start: '09:00', end: '12:00' }] } },
  });
  const base = { kind: 'appointment' as const, durationMinutes: 60, resourceIds: [room.id] };
  publicServiceId = (await h.services.create({ ...base, name: 'Open', public: true })).id;
  privateServiceId = (await h.services.create({ ...base, name: 'Members' })).id;
  publishable = (await h.apiKeys.create({ name: 'widget', type: 'publishable' })).secret;
});
afterAll(() => t?.close());

const day = { from: '2030-01-08', to: '2030-01-08' };

describe('public availability', () => {
  it('a publishable key reads availability, quotes and services, and nothing else', async () => {
    expect(publishable).toMatch(/^pk_test_/);
    const seshn = new Seshn(publishable, { baseUrl: t.baseUrl });
    const slots = await seshn.availability.query({ serviceId: privateServiceId, ...day });
    expect(slots.map((s) => s.startTime)).toEqual([
      '2030-01-08T09:00:00.000Z',
      '2030-01-08T10:00:00.000Z',
      '2030-01-08T11:00:00.000Z',
    ]);
    // A free service: the quote is `null`, as on the handle.
    await expect(seshn.pricing.quote({ slotId: slots[0]!.id })).resolves.toBeNull();
    expect((await seshn.services.get(privateServiceId)).name).toBe('Members');
    const refused = await seshn.contacts.create({ name: 'Eve' }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(SeshnError);
    expect((refused as SeshnError).status).toBe(403);
    expect((refused as SeshnError).code).toBe('forbidden');
  });

  it('no key: Seshn-Organization reads a public service only', async () => {
    const seshn = new Seshn({ organizationId: SCOPE.organizationId, mode: 'test', baseUrl: t.baseUrl });
    const slots = await seshn.availability.query({ serviceId: publicServiceId, ...day });
    expect(slots).toHaveLength(3);
    const other = await seshn.availability
      .query({ serviceId: privateServiceId, ...day })
      .catch((e: unknown) => e);
    expect(other).toBeInstanceOf(SeshnError);
    expect([401, 403, 404]).toContain((other as SeshnError).status);
    const write = await seshn.bookings
      .create({ slotId: slots[0]!.id, contactId: 'ct_x' })
      .catch((e: unknown) => e);
    expect(write).toBeInstanceOf(SeshnError);
    expect([401, 403]).toContain((write as SeshnError).status);
  });
});
