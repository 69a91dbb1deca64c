/**
 * Tenancy on a real database: API keys (created, authenticated by their secret — stored only as
 * a hash — and refused once revoked), roles and scopes, publishable keys and anonymous callers,
 * the audit log written in the transaction of each change, the per-organization test clock, and
 * the HTTP idempotency response store (`seshn.requests`).
 * @module
 */
import { authorize, createSeshn, findOperation, type Principal, type Seshn } from '@seshn/core';
import { describe, expect, it } from 'vitest';
import { HOUR, iso, MINUTE, makeWorld, movableClock, T0, uniqueOrg } from '../fixtures.js';
import { runProcessRace } from '../processes.js';
import type { SuiteContext } from '../suite.js';
import { expectCode } from './lifecycle.js';
import { processTest } from './process-test.js';

const DAY = 24 * HOUR;

/** `fn`'s rejection, as a plain object (code and details). */
async function refusal(
  call: Promise<unknown>,
): Promise<{ code?: string; details?: Record<string, unknown> }> {
  const error = await call.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error, 'expected a refusal').not.toBeNull();
  return error as { code?: string; details?: Record<string, unknown> };
}

export function tenancyTests(get: () => SuiteContext) {
  describe('tenancy: API keys, roles and scopes', () => {
    it('a key is created, authenticates by its secret (stored only as a hash), and is refused once revoked', async () => {
      const { adapter, raw } = get();
      const seshn = createSeshn({ adapter, now: movableClock().now, organizationId: uniqueOrg('keys') });
      const org = await seshn.organizations.create({ name: 'Acme' });
      expect(await seshn.organizations.get(org.id)).toEqual(org);
      const owner = seshn.withScope({ organizationId: org.id, mode: 'test' });
      const key = await owner.apiKeys.create({ name: 'server', role: 'admin' });
      expect(key.secret).toMatch(/^sk_test_[A-Za-z0-9_-]{43}$/);
      expect(key.redacted).toBe(`sk_test_…${key.secret.slice(-4)}`);
      expect(key).toMatchObject({
        type: 'secret',
        role: 'admin',
        mode: 'test',
        scopes: null,
        revokedAt: null,
      });
      // Only the hash is stored: the secret is in no column.
      const rows = await raw.db.selectFrom('seshn_api_keys').selectAll().where('id', '=', key.id).execute();
      expect(rows).toHaveLength(1);
      expect(JSON.stringify(rows)).not.toContain(key.secret);
      expect(await owner.apiKeys.get(key.id)).not.toHaveProperty('secret');

      const principal = await seshn.authenticate(key.secret);
      expect(principal).toEqual({
        type: 'api_key',
        keyId: key.id,
        keyType: 'secret',
        organizationId: org.id,
        mode: 'test',
        role: 'admin',
        scopes: null,
      });
      expect(await seshn.authenticate(`${key.secret.slice(0, -1)}x`)).toBeNull();
      expect(await seshn.authenticate('sk_test_short')).toBeNull();
      expect(await seshn.authenticate(key.secret.replace('sk_test_', 'sk_live_'))).toBeNull();
      expect(await seshn.authenticate(42 as unknown as string)).toBeNull();

      // Another organization sees neither the key nor its audit.
      const stranger = seshn.withScope({ organizationId: uniqueOrg('stranger'), mode: 'test' });
      await expectCode(stranger.apiKeys.get(key.id), 'not_found');
      expect((await stranger.apiKeys.list()).data).toEqual([]);
      // Keys belong to the organization: the live handle lists the test key too.
      expect((await owner.withScope({ organizationId: org.id, mode: 'live' }).apiKeys.get(key.id)).id).toBe(
        key.id,
      );

      const scoped = seshn.withPrincipal(principal!);
      expect(scoped.scope).toEqual({ organizationId: org.id, mode: 'test' });
      const listed = await scoped.apiKeys.list();
      expect(listed.data.map((k) => k.id)).toEqual([key.id]);
      const revoked = await scoped.apiKeys.revoke(key.id);
      expect(revoked.revokedAt).not.toBeNull();
      expect(await scoped.apiKeys.revoke(key.id)).toEqual(revoked); // idempotent
      // Read from the database every time: another handle (another process) sees it at once.
      const elsewhere = createSeshn({ adapter });
      expect(await elsewhere.authenticate(key.secret)).toBeNull();
      expect(await seshn.authenticate(key.secret)).toBeNull();
    });

    it('roles and scopes decide what a key may call; an admin cannot mint an owner or the other mode', async () => {
      const { adapter } = get();
      const w = await makeWorld(adapter, 'roles');
      const s = w.seshn;
      const principalOf = async (input: Parameters<Seshn['apiKeys']['create']>[0]) =>
        (await s.authenticate((await s.apiKeys.create(input)).secret))!;
      const readonly = s.withPrincipal(await principalOf({ name: 'ro', role: 'readonly' }));
      const staff = s.withPrincipal(await principalOf({ name: 'staff', role: 'staff' }));
      const admin = s.withPrincipal(await principalOf({ name: 'admin', role: 'admin' }));

      expect((await readonly.bookings.list()).data).toEqual([]);
      const denied = await refusal(readonly.contacts.create({ name: 'Nope' }));
      expect(denied).toMatchObject({ code: 'forbidden', details: { permission: 'write' } });
      await staff.contacts.create({ name: 'Staff made' });
      expect(await refusal(staff.resources.create({ name: 'R', timezone: 'UTC' }))).toMatchObject({
        code: 'forbidden',
        details: { permission: 'admin' },
      });
      await admin.resources.create({ name: 'R', timezone: 'UTC' });
      expect(await refusal(admin.apiKeys.create({ name: 'o', role: 'owner' }))).toMatchObject({
        code: 'forbidden',
        details: { reason: 'role_too_high' },
      });
      expect(await refusal(admin.apiKeys.create({ name: 't', role: 'staff', mode: 'test' }))).toMatchObject({
        code: 'forbidden',
        details: { reason: 'other_mode' },
      });
      expect(await refusal(admin.organizations.create({ name: 'x' }))).toMatchObject({
        code: 'forbidden',
        details: { reason: 'embedded_only' },
      });
      expect(await refusal(staff.auditLog.list())).toMatchObject({ code: 'forbidden' });

      // Scopes narrow the role: bookings:write implies bookings:read, nothing else.
      const narrow = s.withPrincipal(
        await principalOf({ name: 'narrow', role: 'admin', scopes: ['bookings:write', 'contacts:read'] }),
      );
      expect((await narrow.bookings.list()).data).toEqual([]);
      expect((await narrow.contacts.list()).data.length).toBeGreaterThan(0);
      expect(await refusal(narrow.contacts.create({ name: 'No' }))).toMatchObject({
        code: 'forbidden',
        details: { scope: 'contacts:write' },
      });
      expect(await refusal(narrow.resources.list())).toMatchObject({
        code: 'forbidden',
        details: { scope: 'resources:read' },
      });
      const all = s.withPrincipal(await principalOf({ name: 'all', role: 'staff', scopes: ['*'] }));
      expect((await all.resources.list()).data.length).toBeGreaterThan(0);

      // authorize itself, on the table's operations.
      const p = (await s.authenticate((await s.apiKeys.create({ name: 'p', role: 'readonly' })).secret))!;
      expect(() => authorize(p, findOperation('bookings.get')!)).not.toThrow();
      expect(() => authorize(p, findOperation('bookings.create')!)).toThrow(/write/);
      // A principal's handle stays in its scope.
      expect(() => readonly.withScope({ organizationId: uniqueOrg('other'), mode: 'live' })).toThrow();
    });

    it('a publishable key and an anonymous caller reach only public operations', async () => {
      const { adapter } = get();
      const w = await makeWorld(adapter, 'public');
      const s = w.seshn;
      const pk = await s.apiKeys.create({ name: 'site', type: 'publishable' });
      expect(pk.secret).toMatch(/^pk_live_/);
      expect(pk.role).toBeNull();
      const publishable = (await s.authenticate(pk.secret))!;
      expect(publishable).toMatchObject({ type: 'api_key', keyType: 'publishable', role: null });
      const site = s.withPrincipal(publishable);
      const publicOps = ['availability.query', 'services.get'].filter((n) => findOperation(n)!.public);
      if (publicOps.includes('services.get')) {
        expect((await site.services.get(w.appointment.id)).id).toBe(w.appointment.id);
      }
      expect(await refusal(site.bookings.list())).toMatchObject({
        code: 'forbidden',
        details: { reason: 'not_public' },
      });
      expect(await refusal(site.contacts.create({ name: 'x' }))).toMatchObject({ code: 'forbidden' });

      const anonymous: Principal = { type: 'anonymous', ...s.scope };
      const visitor = s.withPrincipal(anonymous);
      expect(await refusal(visitor.bookings.list())).toMatchObject({ code: 'forbidden' });
      if (publicOps.includes('services.get')) {
        // The fixture's services are not public: an anonymous caller is refused even for public ops.
        expect(await refusal(visitor.services.get(w.appointment.id))).toMatchObject({
          code: 'forbidden',
          details: { reason: 'service_not_public' },
        });
      }
    });
  });

  describe('tenancy: the audit log', () => {
    it('writes one entry per committed write transaction, in that transaction; a failed change leaves none', async () => {
      const { adapter } = get();
      const w = await makeWorld(adapter, 'audit');
      const s = w.seshn;
      const key = (await s.authenticate((await s.apiKeys.create({ name: 'ops', role: 'admin' })).secret))!;
      const audited = s.withPrincipal(key, { requestId: 'req_1' });
      const before = (await s.auditLog.list({ limit: 100 })).data.length;

      const contact = await audited.contacts.create({ name: 'Audited' });
      const booking = await audited.bookings.create({
        serviceId: w.appointment.id,
        startTime: iso(T0 + 9 * HOUR),
        contactId: contact.id,
      });
      await audited.bookings.cancel(booking.id, { reason: 'changed plans' });
      // Refused changes (validation, a taken slot, a missing id) write no entry.
      await expectCode(audited.contacts.create({ name: '' }), 'validation_failed');
      await expectCode(audited.bookings.cancel('bkg_missing'), 'not_found');
      const other = await s.bookings.create({
        serviceId: w.appointment.id,
        startTime: iso(T0 + 12 * HOUR),
        contactId: w.contact.id,
      });
      await expectCode(
        audited.bookings.create({
          serviceId: w.appointment.id,
          startTime: iso(T0 + 12 * HOUR),
          contactId: contact.id,
        }),
        'slot_unavailable',
      );
      // Reads write nothing.
      await audited.bookings.get(booking.id);

      const entries = (await audited.auditLog.list({ limit: 100 })).data;
      expect(entries.length - before).toBe(3);
      const [cancel, create, contactEntry] = entries;
      expect(contactEntry).toMatchObject({
        actor: { type: 'api_key', id: key.type === 'api_key' ? key.keyId : '' },
        action: 'contacts.create',
        targetId: contact.id,
        requestId: 'req_1',
        changes: { before: null, after: { id: contact.id, name: 'Audited' } },
      });
      expect(create).toMatchObject({ action: 'bookings.create', targetId: booking.id });
      expect(create!.changes.after).toMatchObject({ id: booking.id, status: 'confirmed' });
      expect(cancel).toMatchObject({ action: 'bookings.cancel', targetId: booking.id });
      expect(cancel!.changes.before).toMatchObject({ status: 'confirmed' });
      expect(cancel!.changes.after).toMatchObject({ status: 'cancelled' });
      expect((await audited.auditLog.list({ targetId: booking.id })).data.map((e) => e.action)).toEqual([
        'bookings.cancel',
        'bookings.create',
      ]);
      expect((await audited.auditLog.list({ action: 'contacts.create' })).data).toHaveLength(1);
      // Unaudited handles write no entries; the other booking has none.
      expect((await s.auditLog.list({ targetId: other.id })).data).toEqual([]);
      // Secrets' hashes never reach the log.
      await audited.apiKeys.create({ name: 'second', role: 'staff' });
      const keyEntry = (await audited.auditLog.list({ action: 'apiKeys.create' })).data[0]!;
      expect(keyEntry.changes.after).not.toHaveProperty('hash');

      // withActor: the embedding app's user, audited the same way, without authorization.
      const user = s.withActor({ type: 'user', id: 'usr_42' }, { requestId: 'req_2' });
      await user.contacts.update(contact.id, { name: 'Renamed' });
      const [renamed] = (await s.auditLog.list({ limit: 1 })).data;
      expect(renamed).toMatchObject({
        actor: { type: 'user', id: 'usr_42' },
        action: 'contacts.update',
        requestId: 'req_2',
        changes: { before: { name: 'Audited' }, after: { name: 'Renamed' } },
      });
      // A test key's writes are audited in test mode.
      expect((await s.withScope({ ...s.scope, mode: 'test' }).auditLog.list()).data).toEqual([]);
    });

    it('ledger writes are audited: product, grant and an expiry run each have their entry', async () => {
      const { adapter } = get();
      const w = await makeWorld(adapter, 'audit-ledger');
      const s = w.seshn;
      const key = (await s.authenticate((await s.apiKeys.create({ name: 'ops', role: 'admin' })).secret))!;
      const audited = s.withPrincipal(key, { requestId: 'req_expiry' });
      const pack = await audited.products.create({ name: 'Pack', type: 'pack', credits: 3, validDays: 1 });
      await audited.entitlements.grant({ contactId: w.contact.id, productId: pack.id });
      w.clock.advance(2 * 24 * HOUR);
      const run = await audited.entitlements.expireDue();
      expect(run.expired).toHaveLength(1);
      const entries = (await s.auditLog.list({ limit: 100 })).data;
      expect(entries.map((e) => e.action)).toEqual([
        'entitlements.expireDue',
        'entitlements.grant',
        'products.create',
      ]);
      expect(entries[0]).toMatchObject({
        actor: { type: 'api_key', id: key.type === 'api_key' ? key.keyId : '' },
      });
      expect(entries[0]!.requestId).toBe('req_expiry');
    });

    it('an entry commits with its change or not at all: a rolled-back transaction leaves no audit row', async () => {
      const { adapter, raw } = get();
      const w = await makeWorld(adapter, 'audit-rollback');
      const audited = w.seshn.withActor({ type: 'user', id: 'usr_1' });
      // A series whose second occurrence collides: all-or-nothing, so nothing commits.
      await w.seshn.bookings.create({
        serviceId: w.appointment.id,
        startTime: '2030-01-09T14:00:00.000Z',
        contactId: w.contact.id,
      });
      await expectCode(
        audited.bookingSeries.create({
          serviceId: w.appointment.id,
          contactId: w.contact.id,
          recurrence: { rrule: 'FREQ=DAILY;COUNT=3', dtstart: '2030-01-08T14:00' },
        }),
        'slot_unavailable',
      );
      const rows = await raw.db
        .selectFrom('seshn_audit_log')
        .selectAll()
        .where('organization_id', '=', w.seshn.scope.organizationId)
        .execute();
      expect(rows).toEqual([]);
    });
  });

  describe('tenancy: the test clock', () => {
    it('advancing the test clock expires a hold for every handle of the test mode; live mode refuses it', async () => {
      const { adapter } = get();
      const w = await makeWorld(adapter, 'clock', { mode: 'test' });
      const s = w.seshn;
      expect(await s.testClock.get()).toEqual({ object: 'test_clock', now: iso(T0), offsetSeconds: 0 });
      const hold = await s.bookings.create({
        serviceId: w.appointment.id,
        startTime: iso(T0 + 9 * HOUR),
        contactId: w.contact.id,
        hold: true,
      });
      expect(hold.status).toBe('held');
      const key = (await s.authenticate((await s.apiKeys.create({ name: 'k', role: 'staff' })).secret))!;
      const viaKey = s.withPrincipal(key);
      const advanced = await viaKey.testClock.advance({ seconds: 3600 });
      expect(advanced).toEqual({ object: 'test_clock', now: iso(T0 + HOUR), offsetSeconds: 3600 });
      // Another handle of the same organization (another process) reads the same clock.
      const other = createSeshn({
        adapter,
        now: w.clock.now,
        organizationId: s.scope.organizationId,
        mode: 'test',
      });
      expect((await other.testClock.get()).offsetSeconds).toBe(3600);
      expect((await other.bookings.get(hold.id)).status).toBe('expired');
      expect((await s.bookings.get(hold.id)).status).toBe('expired');
      await expectCode(s.testClock.advance({ seconds: 0 }), 'validation_failed');

      const live = s.withScope({ ...s.scope, mode: 'live' });
      for (const call of [live.testClock.advance({ seconds: 60 }), live.testClock.get()]) {
        expect(await refusal(call)).toMatchObject({ code: 'forbidden', details: { reason: 'live_mode' } });
      }
      // The live clock did not move.
      const liveHold = await live.resources.create({ name: 'Live', timezone: 'UTC' });
      expect(liveHold.createdAt).toBe(iso(T0));
    });
  });

  describe('tenancy: the test clock under concurrency', () => {
    it('first advances made at once all count: none is lost and none fails', async () => {
      const { adapter } = get();
      const handles = Array.from({ length: 4 }, () =>
        createSeshn({
          adapter,
          now: movableClock().now,
          organizationId: uniqueOrg('clock-race'),
          mode: 'test',
        }),
      );
      const organizationId = handles[0]!.scope.organizationId;
      const same = handles.map((h) => h.withScope({ organizationId, mode: 'test' }));
      await Promise.all(same.map((h) => h.testClock.advance({ seconds: 60 })));
      expect((await same[0]!.testClock.get()).offsetSeconds).toBe(240);
    });
  });

  describe('tenancy: HTTP idempotency responses', () => {
    it('two concurrent begins: exactly one runs; then replay, conflict, busy and abandon', async () => {
      const { adapter } = get();
      const clock = movableClock();
      const s = createSeshn({ adapter, now: clock.now, organizationId: uniqueOrg('requests') });
      const claim = { key: 'idem-1', fingerprint: 'f1', operation: 'bookings.create' };
      const results = await Promise.all(Array.from({ length: 8 }, () => s.requests.begin(claim)));
      expect(results.filter((r) => r.state === 'run')).toHaveLength(1);
      expect(results.filter((r) => r.state === 'busy')).toHaveLength(7);
      expect(await s.requests.begin({ ...claim, fingerprint: 'f2' })).toEqual({ state: 'conflict' });
      const body = '{"id":"bkg_1","note":"ünïcödé ✓ \\n"}';
      await s.requests.finish({ key: claim.key, status: 201, body });
      expect(await s.requests.begin(claim)).toEqual({ state: 'replay', status: 201, body });
      expect(await s.requests.begin({ ...claim, operation: 'contacts.create' })).toEqual({
        state: 'conflict',
      });
      // A finished key stays: abandon drops only claims in flight.
      await s.requests.abandon({ key: claim.key });
      expect(await s.requests.begin(claim)).toMatchObject({ state: 'replay' });

      // Per scope: the same key elsewhere is new; keys compare exactly.
      const other = s.withScope({ ...s.scope, mode: 'test' });
      expect(await other.requests.begin(claim)).toEqual({ state: 'run' });
      expect(await s.requests.begin({ ...claim, key: 'idem-1 ' })).toEqual({ state: 'run' });

      const second = { key: 'idem-2', fingerprint: 'f', operation: 'bookings.create' };
      expect(await s.requests.begin(second)).toEqual({ state: 'run' });
      await s.requests.abandon({ key: second.key });
      expect(await s.requests.begin(second)).toEqual({ state: 'run' });
      await expectCode(s.requests.begin({ ...second, key: 'k'.repeat(256) }), 'validation_failed');
    });

    processTest(get, 'processes racing to begin one idempotency key: exactly one runs', async () => {
      const { target } = get();
      const organizationId = uniqueOrg('requests-race');
      const begin = { key: 'race-key', fingerprint: 'f', operation: 'bookings.create' };
      const results = await runProcessRace(
        Array.from({ length: 3 }, () => ({
          spec: target.processAdapter!,
          organizationId,
          now: T0,
          attempts: [{ begin, seats: 0 }],
        })),
      );
      const states = results.flat().map((r) => r.code);
      expect(states.filter((s) => s === 'run')).toHaveLength(1);
      expect(states.filter((s) => s === 'busy')).toHaveLength(2);
    });

    it('a lapsed lease is taken over; keys expire after 24 hours by the scope clock', async () => {
      const { adapter } = get();
      const clock = movableClock();
      const s = createSeshn({ adapter, now: clock.now, organizationId: uniqueOrg('leases') });
      const claim = { key: 'crashed', fingerprint: 'f', operation: 'bookings.create', leaseMs: 5_000 };
      expect(await s.requests.begin(claim)).toEqual({ state: 'run' });
      clock.advance(4_000);
      expect(await s.requests.begin(claim)).toEqual({ state: 'busy' });
      clock.advance(1_000);
      const takeovers = await Promise.all([s.requests.begin(claim), s.requests.begin(claim)]);
      expect(takeovers.map((r) => r.state).sort()).toEqual(['busy', 'run']);
      await s.requests.finish({ key: claim.key, status: 200, body: 'ok' });
      clock.advance(DAY - 6_000);
      expect(await s.requests.begin(claim)).toEqual({ state: 'replay', status: 200, body: 'ok' });
      clock.advance(2 * MINUTE);
      // Older than 24 hours: a new request, even with another fingerprint.
      expect(await s.requests.begin({ ...claim, fingerprint: 'other' })).toEqual({ state: 'run' });
      await s.requests.finish({ key: claim.key, status: 409, body: 'second' });
      expect(await s.requests.begin({ ...claim, fingerprint: 'other' })).toEqual({
        state: 'replay',
        status: 409,
        body: 'second',
      });
    });
  });
}
