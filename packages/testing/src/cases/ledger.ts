/**
 * The credit ledger on a real database: the storage primitive (`postTransfers`: all or none,
 * limits under the account lock, transfer ids as idempotency keys, two-phase pending transfers
 * that lapse with no sweeper), and — over the public API — products, entitlements and a
 * model-based test against an in-memory ledger, checked after every step with raw SQL over the
 * transfers table (balances sum to zero, no limited account negative).
 * @module
 */
import {
  type AccountOpen,
  createSeshn,
  entitlementAccountId,
  type Scope,
  type Seshn,
  SeshnError,
  SYSTEM_ACCOUNTS,
  type TransferItem,
} from '@seshn/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { HOUR, MINUTE, makeWorld, movableClock, T0, uniqueOrg } from '../fixtures.js';
import type { SuiteContext } from '../suite.js';

const DAY = 24 * HOUR;

async function refused(call: Promise<unknown>, code: string): Promise<SeshnError> {
  const error = await call.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error, `expected ${code}`).toBeInstanceOf(SeshnError);
  expect((error as SeshnError).code).toBe(code);
  return error as SeshnError;
}

const systemAccounts = (): AccountOpen[] =>
  (Object.keys(SYSTEM_ACCOUNTS) as (keyof typeof SYSTEM_ACCOUNTS)[]).map((code) => ({
    id: SYSTEM_ACCOUNTS[code],
    kind: 'system',
    code,
    contactId: null,
    entitlementId: null,
    limited: false,
    createdAt: T0,
  }));

const customer = (entitlementId: string, limited = true): AccountOpen => ({
  id: entitlementAccountId(entitlementId),
  kind: 'customer',
  code: 'customer',
  contactId: 'ct_ann',
  entitlementId,
  limited,
  createdAt: T0,
});

const grant = (id: string, entitlementId: string, amount: number): TransferItem => ({
  id,
  debitAccountId: SYSTEM_ACCOUNTS.issued,
  creditAccountId: entitlementAccountId(entitlementId),
  amount,
  code: 'grant',
  entitlementId,
});

const spend = (id: string, entitlementId: string, amount: number, pendingUntil?: number): TransferItem => ({
  id,
  debitAccountId: entitlementAccountId(entitlementId),
  creditAccountId: SYSTEM_ACCOUNTS.redeemed,
  amount,
  code: 'booking',
  entitlementId,
  ...(pendingUntil === undefined ? {} : { pendingUntil }),
});

export function ledgerTests(get: () => SuiteContext) {
  describe('ledger: the postTransfers primitive', () => {
    async function setup(label: string) {
      const { adapter } = get();
      const scope: Scope = { organizationId: uniqueOrg(label), mode: 'test' };
      await adapter.openAccounts(scope, [...systemAccounts(), customer('ent_a'), customer('ent_m', false)]);
      // Opening again is harmless (every grant opens the system accounts).
      await adapter.openAccounts(scope, systemAccounts());
      await adapter.postTransfers(scope, { now: T0, transfers: [grant('trf_g1', 'ent_a', 10)] });
      const balance = async (entitlementId: string, now = T0) =>
        (await adapter.getBalances(scope, { accountIds: [entitlementAccountId(entitlementId)], now }))[0]!;
      return { adapter, scope, balance };
    }

    it('posts, refuses an overdraft with the numbers, and writes nothing of a refused batch', async () => {
      const { adapter, scope, balance } = await setup('ledger-post');
      const { raw } = get();
      expect(await balance('ent_a')).toEqual({
        accountId: entitlementAccountId('ent_a'),
        debitsPosted: 0,
        creditsPosted: 10,
        debitsPending: 0,
        creditsPending: 0,
        available: 10,
      });
      await adapter.postTransfers(scope, { now: T0, transfers: [spend('trf_s1', 'ent_a', 4)] });
      expect((await balance('ent_a')).available).toBe(6);
      const before = await raw.counts(scope);
      // The second item would overdraw: neither is written.
      const e = await refused(
        adapter.postTransfers(scope, {
          now: T0,
          transfers: [spend('trf_s2', 'ent_a', 5), spend('trf_s3', 'ent_a', 2)],
        }),
        'insufficient_credits',
      );
      expect(e.details).toMatchObject({ accountId: entitlementAccountId('ent_a'), available: 1, needed: 2 });
      expect(await raw.counts(scope)).toEqual(before);
      expect((await balance('ent_a')).available).toBe(6);
      // An unlimited account (a membership) may go below zero.
      await adapter.postTransfers(scope, { now: T0, transfers: [spend('trf_m1', 'ent_m', 3)] });
      expect((await balance('ent_m')).available).toBe(-3);
      const ledger = await raw.ledger(scope, T0);
      expect(ledger.zeroSum).toBe(0);
      expect(ledger.counterDrift).toEqual([]);
    });

    it('a transfer id is its idempotency key: the same content is a no-op, other content a conflict', async () => {
      const { adapter, scope, balance } = await setup('ledger-idem');
      const first = await adapter.postTransfers(scope, { now: T0, transfers: [spend('trf_x', 'ent_a', 3)] });
      const again = await adapter.postTransfers(scope, {
        now: T0 + 1000,
        transfers: [spend('trf_x', 'ent_a', 3)],
      });
      expect(again.transfers).toEqual(first.transfers);
      expect((await balance('ent_a')).available).toBe(7);
      const e = await refused(
        adapter.postTransfers(scope, { now: T0, transfers: [spend('trf_x', 'ent_a', 4)] }),
        'idempotency_conflict',
      );
      expect(e.details).toMatchObject({ id: 'trf_x' });
      expect((await balance('ent_a')).available).toBe(7);
    });

    it('bad input refuses before anything is written', async () => {
      const { adapter, scope } = await setup('ledger-bad');
      const { raw } = get();
      const before = await raw.counts(scope);
      for (const amount of [0, -1, 1.5]) {
        const e = await refused(
          adapter.postTransfers(scope, { now: T0, transfers: [spend('trf_b', 'ent_a', amount)] }),
          'validation_failed',
        );
        expect(JSON.stringify(e.details)).toContain('transfers[0].amount');
      }
      await refused(adapter.postTransfers(scope, { now: T0, transfers: [] }), 'validation_failed');
      await refused(
        adapter.postTransfers(scope, { now: T0, transfers: [spend('trf_b', 'ent_nobody', 1)] }),
        'not_found',
      );
      await refused(
        adapter.postTransfers(scope, { now: T0, transfers: [{ action: 'post', id: 'trf_none' }] }),
        'not_found',
      );
      // Another scope's account does not exist here.
      const other: Scope = { organizationId: uniqueOrg('ledger-bad-other'), mode: 'test' };
      await refused(
        adapter.postTransfers(other, { now: T0, transfers: [spend('trf_b', 'ent_a', 1)] }),
        'not_found',
      );
      expect(await raw.counts(scope)).toEqual(before);
    });

    it('two-phase: pending holds credits, post keeps them, void frees them, a lapse frees them with no write', async () => {
      const { adapter, scope, balance } = await setup('ledger-pending');
      const { raw } = get();
      const until = T0 + HOUR;
      await adapter.postTransfers(scope, { now: T0, transfers: [spend('trf_p1', 'ent_a', 3, until)] });
      expect(await balance('ent_a')).toMatchObject({ debitsPending: 3, debitsPosted: 0, available: 7 });
      await adapter.postTransfers(scope, { now: T0, transfers: [{ action: 'post', id: 'trf_p1' }] });
      expect(await balance('ent_a')).toMatchObject({ debitsPending: 0, debitsPosted: 3, available: 7 });
      // Posting twice is a retry; voiding a posted one is refused.
      await adapter.postTransfers(scope, { now: T0, transfers: [{ action: 'post', id: 'trf_p1' }] });
      await refused(
        adapter.postTransfers(scope, { now: T0, transfers: [{ action: 'void', id: 'trf_p1' }] }),
        'invalid_state',
      );

      await adapter.postTransfers(scope, { now: T0, transfers: [spend('trf_p2', 'ent_a', 2, until)] });
      await adapter.postTransfers(scope, { now: T0, transfers: [{ action: 'void', id: 'trf_p2' }] });
      expect((await balance('ent_a')).available).toBe(7);

      // 7 available: a pending 7 takes them all, and the credits come back when it lapses.
      await adapter.postTransfers(scope, { now: T0, transfers: [spend('trf_p3', 'ent_a', 7, until)] });
      await refused(
        adapter.postTransfers(scope, { now: T0, transfers: [spend('trf_p4', 'ent_a', 1)] }),
        'insufficient_credits',
      );
      expect((await balance('ent_a', until)).available).toBe(7);
      // Past its expiry it can no longer be posted (a confirm racing the lapse settles one way).
      await refused(
        adapter.postTransfers(scope, { now: until, transfers: [{ action: 'post', id: 'trf_p3' }] }),
        'invalid_state',
      );
      await adapter.postTransfers(scope, { now: until, transfers: [spend('trf_p4', 'ent_a', 7)] });
      expect((await balance('ent_a', until)).available).toBe(0);
      const ledger = await raw.ledger(scope, until);
      expect(ledger.zeroSum).toBe(0);
      expect(ledger.counterDrift).toEqual([]);
      expect(ledger.pending.size).toBe(0);
    });

    it('concurrent spends never overdraw, and concurrent replays of one id write it once', async () => {
      const { adapter, scope, balance } = await setup('ledger-race');
      const { raw } = get();
      const outcomes = await Promise.all(
        Array.from({ length: 24 }, (_, i) =>
          adapter.postTransfers(scope, { now: T0, transfers: [spend(`trf_r${i}`, 'ent_a', 1)] }).then(
            () => 'ok',
            (e: unknown) => (e as SeshnError).code,
          ),
        ),
      );
      expect(outcomes.filter((o) => o === 'ok')).toHaveLength(10);
      expect(outcomes.filter((o) => o !== 'ok')).toEqual(Array(14).fill('insufficient_credits'));
      expect((await balance('ent_a')).available).toBe(0);
      const replays = await Promise.all(
        Array.from({ length: 8 }, () =>
          adapter.postTransfers(scope, { now: T0, transfers: [grant('trf_again', 'ent_a', 2)] }),
        ),
      );
      expect(new Set(replays.map((r) => JSON.stringify(r.transfers)))).toHaveProperty('size', 1);
      expect((await balance('ent_a')).available).toBe(2);
      const ledger = await raw.ledger(scope, T0);
      expect(ledger.transfers).toBe(1 + 10 + 1);
      expect(ledger.zeroSum).toBe(0);
      expect(ledger.counterDrift).toEqual([]);
    });

    it('runs inside a caller transaction, all or none with the caller’s other writes', async () => {
      const { adapter, scope, balance } = await setup('ledger-tx');
      await adapter
        .transaction(async (tx) => {
          await tx.postTransfers(scope, { now: T0, transfers: [spend('trf_t1', 'ent_a', 2)] });
          throw new Error('the caller fails after posting');
        })
        .catch(() => undefined);
      expect((await balance('ent_a')).available).toBe(10);
      const r = await adapter.transaction((tx) =>
        tx.postTransfers(scope, { now: () => T0 + DAY, transfers: [spend('trf_t2', 'ent_a', 2)] }),
      );
      expect(r.now).toBe(T0 + DAY);
      expect((await balance('ent_a')).available).toBe(8);
      const page = await adapter.list(
        'transfer',
        scope,
        { accountId: entitlementAccountId('ent_a') },
        { limit: 10 },
      );
      expect(page.data.map((t) => t.id).sort()).toEqual(['trf_g1', 'trf_t2']);
    });
  });
  ledgerApiTests(get);
}

// ── The public API over the ledger ─────────────────────────────────────────────────────────────

function ledgerApiTests(get: () => SuiteContext) {
  describe('ledger: products and entitlements', () => {
    it('a grant writes the entitlement, its account and the grant transfer; revoke and expiry move what is left', async () => {
      const { adapter, raw } = get();
      const w = await makeWorld(adapter, 'ledger-grant');
      const s = w.seshn;
      const pack = await s.products.create({
        name: 'Five',
        type: 'pack',
        credits: 5,
        validDays: 30,
        price: { amount: 5000, currency: 'usd' },
      });
      const e = await s.entitlements.grant({ contactId: w.contact.id, productId: pack.id });
      expect(e).toMatchObject({
        object: 'entitlement',
        status: 'active',
        type: 'pack',
        source: 'purchase',
        credits: { granted: 5, used: 0, pending: 0, remaining: 5 },
        accountId: entitlementAccountId(e.id),
      });
      expect(await s.ledger.balance({ accountId: SYSTEM_ACCOUNTS.issued })).toMatchObject({
        posted: { debits: 5, credits: 0 },
        available: -5,
      });
      const transfers = await s.ledger.transfers({ entitlementId: e.id });
      expect(transfers.data).toEqual([
        expect.objectContaining({ code: 'grant', amount: 5, status: 'posted', creditAccountId: e.accountId }),
      ]);
      const accounts = await s.ledger.accounts({ limit: 100 });
      expect(accounts.data.map((a) => a.id).sort()).toEqual(
        [e.accountId, ...Object.values(SYSTEM_ACCOUNTS)].sort(),
      );
      expect(await s.ledger.deferredRevenue()).toEqual({
        object: 'deferred_revenue',
        products: [
          {
            productId: pack.id,
            name: 'Five',
            entitlements: 1,
            creditsSold: 5,
            creditsUnused: 5,
            deferred: [{ amount: 5000, currency: 'usd' }],
          },
        ],
      });

      // A comp of a membership: no credits, no limit; a pass: one credit.
      const member = await s.products.create({ name: 'Monthly', type: 'membership', validDays: 31 });
      const comp = await s.entitlements.grant({
        contactId: w.contact.id,
        productId: member.id,
        source: 'comp',
      });
      expect(comp).toMatchObject({ credits: null, price: null, status: 'active', source: 'comp' });
      const pass = await s.products.create({ name: 'Drop-in', type: 'pass' });
      const p = await s.entitlements.grant({ contactId: w.contact.id, productId: pass.id });
      expect(p.credits).toEqual({ granted: 1, used: 0, pending: 0, remaining: 1 });
      const balance = await s.entitlements.balance({ contactId: w.contact.id });
      expect(balance.totals).toEqual({ remaining: 6, pending: 0, unlimited: true });
      expect(balance.entitlements).toHaveLength(3);

      // Revoke: the 1 credit of the pass goes back to issued.
      const revoked = await s.entitlements.revoke(p.id);
      expect(revoked).toMatchObject({ status: 'revoked', credits: { remaining: 0, used: 1 } });
      expect(await s.entitlements.revoke(p.id)).toEqual(revoked);
      expect(
        (await s.entitlements.list({ contactId: w.contact.id, status: 'revoked' })).data.map((x) => x.id),
      ).toEqual([p.id]);

      // Expiry: past 30 days the pack reads expired, and the run moves its 5 credits once.
      w.clock.advance(31 * 24 * HOUR);
      expect((await s.entitlements.get(e.id)).status).toBe('expired');
      const run = await s.entitlements.expireDue();
      expect(run.expired).toEqual(expect.arrayContaining([{ entitlementId: e.id, credits: 5 }]));
      expect(await s.entitlements.expireDue()).toEqual({ object: 'expiry_run', expired: [], hasMore: false });
      expect(await s.ledger.balance({ accountId: SYSTEM_ACCOUNTS.expired })).toMatchObject({
        posted: { debits: 0, credits: 5 },
      });
      const types = (await raw.events(s.scope))
        .map((x) => x.type)
        .filter((t) => t.startsWith('entitlement.'));
      expect(types.sort()).toEqual(
        [
          'entitlement.granted',
          'entitlement.granted',
          'entitlement.granted',
          'entitlement.revoked',
          'entitlement.expired',
          'entitlement.expired',
        ].sort(),
      );
      const ledger = await raw.ledger(s.scope, w.clock.now().getTime());
      expect(ledger.zeroSum).toBe(0);
      expect(ledger.counterDrift).toEqual([]);
    });

    it('an idempotency key makes a retried grant return the first, and another request with it a conflict', async () => {
      const { adapter } = get();
      const w = await makeWorld(adapter, 'ledger-grant-idem');
      const s = w.seshn;
      const pack = await s.products.create({ name: 'Three', type: 'pack', credits: 3 });
      const first = await s.entitlements.grant({
        contactId: w.contact.id,
        productId: pack.id,
        idempotencyKey: 'buy-1',
      });
      const again = await s.entitlements.grant({
        contactId: w.contact.id,
        productId: pack.id,
        idempotencyKey: 'buy-1',
      });
      expect(again.id).toBe(first.id);
      await refused(
        s.entitlements.grant({
          contactId: w.contact.id,
          productId: pack.id,
          source: 'comp',
          idempotencyKey: 'buy-1',
        }),
        'idempotency_conflict',
      );
      expect((await s.entitlements.list({ contactId: w.contact.id })).data).toHaveLength(1);
    });

    it('bad input names the field and writes nothing: unknown product or contact, zero or negative credits, another tenant', async () => {
      const { adapter, raw } = get();
      const w = await makeWorld(adapter, 'ledger-bad-api');
      const s = w.seshn;
      const pack = await s.products.create({ name: 'Two', type: 'pack', credits: 2 });
      const before = await raw.counts(s.scope);
      const field = (e: SeshnError) => JSON.stringify(e.details);
      for (const credits of [0, -3, 2.5]) {
        const e = await refused(
          s.products.create({ name: 'Bad', type: 'pack', credits }),
          'validation_failed',
        );
        expect(field(e)).toContain('credits');
      }
      expect(
        field(await refused(s.products.create({ name: 'Bad', type: 'pack' }), 'validation_failed')),
      ).toContain('credits');
      expect(
        field(
          await refused(
            s.products.create({ name: 'Bad', type: 'membership', credits: 4 }),
            'validation_failed',
          ),
        ),
      ).toContain('credits');
      expect(
        field(
          await refused(
            s.products.create({ name: 'Bad', type: 'pack', credits: 2, period: { every: 'week' } }),
            'validation_failed',
          ),
        ),
      ).toContain('period');
      expect(
        (await refused(s.entitlements.grant({ contactId: w.contact.id, productId: 'prd_nope' }), 'not_found'))
          .details,
      ).toMatchObject({ field: 'productId' });
      expect(
        (await refused(s.entitlements.grant({ contactId: 'ct_nope', productId: pack.id }), 'not_found'))
          .details,
      ).toMatchObject({ field: 'contactId' });
      await refused(
        s.entitlements.grant({ contactId: w.contact.id, productId: 'svc_x' }),
        'validation_failed',
      );
      await refused(s.ledger.balance({ accountId: 'acc_nope' }), 'not_found');
      expect(await raw.counts(s.scope)).toEqual(before);

      // Another tenant's product and entitlement do not exist here.
      const e = await s.entitlements.grant({ contactId: w.contact.id, productId: pack.id });
      const other = await makeWorld(adapter, 'ledger-bad-api-other');
      const otherBefore = await raw.counts(other.seshn.scope);
      await refused(
        other.seshn.entitlements.grant({ contactId: other.contact.id, productId: pack.id }),
        'not_found',
      );
      await refused(other.seshn.entitlements.get(e.id), 'not_found');
      await refused(other.seshn.entitlements.revoke(e.id), 'not_found');
      await refused(other.seshn.ledger.balance({ accountId: e.accountId }), 'not_found');
      expect(await raw.counts(other.seshn.scope)).toEqual(otherBefore);
      // An archived product is no longer granted.
      await s.products.archive(pack.id);
      await refused(s.entitlements.grant({ contactId: w.contact.id, productId: pack.id }), 'invalid_state');
    });
  });

  describe('ledger: model-based', () => {
    type Step =
      | { t: 'grant'; product: 0 | 1 | 2; comp: boolean }
      | { t: 'hold'; ent: number; amount: number; ttl: number }
      | { t: 'spend'; ent: number; amount: number }
      | { t: 'post'; pick: number }
      | { t: 'void'; pick: number }
      | { t: 'replay'; pick: number }
      | { t: 'advance'; ms: number }
      | { t: 'revoke'; ent: number }
      | { t: 'expire' };

    const step: fc.Arbitrary<Step> = fc.oneof(
      fc.record({
        t: fc.constant('grant' as const),
        product: fc.constantFrom(0, 1, 2) as fc.Arbitrary<0 | 1 | 2>,
        comp: fc.boolean(),
      }),
      fc.record({
        t: fc.constant('hold' as const),
        ent: fc.nat(5),
        amount: fc.integer({ min: 1, max: 4 }),
        ttl: fc.constantFrom(10 * MINUTE, 2 * HOUR),
      }),
      fc.record({ t: fc.constant('spend' as const), ent: fc.nat(5), amount: fc.integer({ min: 1, max: 4 }) }),
      fc.record({ t: fc.constant('post' as const), pick: fc.nat(20) }),
      fc.record({ t: fc.constant('void' as const), pick: fc.nat(20) }),
      fc.record({ t: fc.constant('replay' as const), pick: fc.nat(20) }),
      fc.record({ t: fc.constant('advance' as const), ms: fc.constantFrom(5 * MINUTE, HOUR, 3 * 24 * HOUR) }),
      fc.record({ t: fc.constant('revoke' as const), ent: fc.nat(5) }),
      fc.constant({ t: 'expire' as const }),
    );

    interface MTransfer {
      id: string;
      debit: string;
      credit: string;
      amount: number;
      status: 'pending' | 'posted' | 'voided';
      expiresAt: number | null;
      item: TransferItem;
    }
    interface MEnt {
      id: string;
      account: string;
      limited: boolean;
      from: string;
      status: 'active' | 'revoked' | 'expired';
      expiresAt: number | null;
    }

    it('after every step all balances sum to zero, no limited account is negative, and the adapter agrees with the model', async () => {
      const { adapter, raw } = get();
      await fc.assert(
        fc.asyncProperty(fc.array(step, { minLength: 5, maxLength: 25 }), async (steps) => {
          const clock = movableClock();
          const seshn: Seshn = createSeshn({
            adapter,
            now: clock.now,
            organizationId: uniqueOrg('ledger-model'),
          });
          const scope = seshn.scope;
          const contact = await seshn.contacts.create({ name: 'Model' });
          const products = [
            await seshn.products.create({ name: 'Pack', type: 'pack', credits: 5, validDays: 2 }),
            await seshn.products.create({ name: 'Pass', type: 'pass', validDays: 1 }),
            await seshn.products.create({ name: 'Member', type: 'membership', validDays: 4 }),
          ];
          const ents: MEnt[] = [];
          const transfers: MTransfer[] = [];
          let n = 0;
          const now = () => clock.now().getTime();
          const live = (t: MTransfer) =>
            t.status === 'pending' && t.expiresAt !== null && t.expiresAt > now();
          const posted = (acc: string) =>
            transfers
              .filter((t) => t.status === 'posted')
              .reduce((s, t) => s + (t.credit === acc ? t.amount : 0) - (t.debit === acc ? t.amount : 0), 0);
          const pendingDebits = (acc: string) =>
            transfers.filter((t) => live(t) && t.debit === acc).reduce((s, t) => s + t.amount, 0);
          const available = (acc: string) => posted(acc) - pendingDebits(acc);
          const entOf = (i: number) => (ents.length ? ents[i % ents.length]! : null);
          const post = (items: TransferItem[]) =>
            adapter.postTransfers(scope, { now: now(), transfers: items });

          for (const st of steps) {
            switch (st.t) {
              case 'grant': {
                const product = products[st.product]!;
                const e = await seshn.entitlements.grant({
                  contactId: contact.id,
                  productId: product.id,
                  source: st.comp ? 'comp' : 'purchase',
                });
                const from = st.comp ? SYSTEM_ACCOUNTS.comped : SYSTEM_ACCOUNTS.issued;
                ents.push({
                  id: e.id,
                  account: e.accountId,
                  limited: product.credits !== null,
                  from,
                  status: 'active',
                  expiresAt: e.expiresAt === null ? null : Date.parse(e.expiresAt),
                });
                if (product.credits !== null) {
                  const item: TransferItem = {
                    action: 'create',
                    id: `trf_grant_${e.id.slice(4)}`,
                    debitAccountId: from,
                    creditAccountId: e.accountId,
                    amount: product.credits,
                    code: st.comp ? 'comp' : 'grant',
                    entitlementId: e.id,
                  };
                  transfers.push({
                    id: item.id,
                    debit: from,
                    credit: e.accountId,
                    amount: product.credits,
                    status: 'posted',
                    expiresAt: null,
                    item,
                  });
                }
                break;
              }
              case 'hold':
              case 'spend': {
                const e = entOf(st.ent);
                if (!e) break;
                n += 1;
                const id = `trf_m${n}`;
                const pendingUntil = st.t === 'hold' ? now() + st.ttl : undefined;
                const item = spend(id, e.id, st.amount, pendingUntil);
                const ok = !e.limited || available(e.account) >= st.amount;
                const result = await post([item]).then(
                  () => 'ok',
                  (err: unknown) => (err as SeshnError).code,
                );
                expect(result, `${st.t} ${st.amount} on ${e.id}`).toBe(ok ? 'ok' : 'insufficient_credits');
                if (ok) {
                  transfers.push({
                    id,
                    debit: e.account,
                    credit: SYSTEM_ACCOUNTS.redeemed,
                    amount: st.amount,
                    status: pendingUntil === undefined ? 'posted' : 'pending',
                    expiresAt: pendingUntil ?? null,
                    item,
                  });
                }
                break;
              }
              case 'post':
              case 'void': {
                const pending = transfers.filter((t) => t.expiresAt !== null);
                if (!pending.length) break;
                const t = pending[st.pick % pending.length]!;
                const target = st.t === 'post' ? 'posted' : 'voided';
                const effective = t.status === 'pending' && !live(t) ? 'voided' : t.status;
                const expected =
                  effective === target ? 'ok' : effective === 'pending' ? 'ok' : 'invalid_state';
                const result = await post([{ action: st.t, id: t.id }]).then(
                  () => 'ok',
                  (err: unknown) => (err as SeshnError).code,
                );
                expect(result, `${st.t} ${t.id} (${effective})`).toBe(expected);
                if (effective === 'pending') t.status = target;
                break;
              }
              case 'replay': {
                if (!transfers.length) break;
                const t = transfers[st.pick % transfers.length]!;
                const before = await raw.counts(scope);
                await post([t.item]);
                expect(await raw.counts(scope)).toEqual(before);
                break;
              }
              case 'advance':
                clock.advance(st.ms);
                break;
              case 'revoke': {
                const e = entOf(st.ent);
                if (!e) break;
                await seshn.entitlements.revoke(e.id);
                if (e.status === 'revoked') break;
                const left = available(e.account);
                if (left > 0) {
                  const id = `trf_rvk_${e.id.slice(4)}_${transfers.filter((t) => t.status === 'posted' && t.debit === e.account).reduce((s, t) => s + t.amount, 0)}`;
                  const item = {
                    id,
                    debitAccountId: e.account,
                    creditAccountId: e.from,
                    amount: left,
                    code: 'revoke' as const,
                    entitlementId: e.id,
                  };
                  transfers.push({
                    id,
                    debit: e.account,
                    credit: e.from,
                    amount: left,
                    status: 'posted',
                    expiresAt: null,
                    item,
                  });
                }
                e.status = 'revoked';
                break;
              }
              case 'expire': {
                await seshn.entitlements.expireDue({ limit: 500 });
                for (const e of ents) {
                  if (e.status !== 'active' || e.expiresAt === null || e.expiresAt > now()) continue;
                  const left = available(e.account);
                  if (left > 0) {
                    const id = `trf_exp_${e.id.slice(4)}_${transfers.filter((t) => t.status === 'posted' && t.debit === e.account).reduce((s, t) => s + t.amount, 0)}`;
                    const item = {
                      id,
                      debitAccountId: e.account,
                      creditAccountId: SYSTEM_ACCOUNTS.expired,
                      amount: left,
                      code: 'expire' as const,
                      entitlementId: e.id,
                    };
                    transfers.push({
                      id,
                      debit: e.account,
                      credit: SYSTEM_ACCOUNTS.expired,
                      amount: left,
                      status: 'posted',
                      expiresAt: null,
                      item,
                    });
                  }
                  if (pendingDebits(e.account) === 0) e.status = 'expired';
                }
                break;
              }
            }

            // After every step: the raw transfers table against the model.
            const stored = await raw.ledger(scope, now());
            expect(stored.zeroSum, 'posted balances sum to zero').toBe(0);
            expect(stored.counterDrift, 'customer counters equal their transfers').toEqual([]);
            expect(stored.transfers).toBe(transfers.length);
            for (const e of ents) {
              const have = (stored.posted.get(e.account) ?? 0) - (stored.pending.get(e.account) ?? 0);
              expect(have, `available of ${e.id}`).toBe(available(e.account));
              if (e.limited) expect(have, `${e.id} is limited`).toBeGreaterThanOrEqual(0);
            }
            const balances = await adapter.getBalances(scope, {
              accountIds: ents.map((e) => e.account),
              now: now(),
            });
            for (const b of balances) {
              expect(b.available, b.accountId).toBe(available(b.accountId));
            }
            const views = await seshn.entitlements.list({ contactId: contact.id, limit: 100 });
            for (const v of views.data) {
              const e = ents.find((x) => x.id === v.id)!;
              expect(v.status === 'revoked', v.id).toBe(e.status === 'revoked');
            }
          }
        }),
        { numRuns: 12 },
      );
    });
  });
}
