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
  entitlementAccountId,
  type Scope,
  SeshnError,
  SYSTEM_ACCOUNTS,
  type TransferItem,
} from '@seshn/core';
import { describe, expect, it } from 'vitest';
import { HOUR, T0, uniqueOrg } from '../fixtures.js';
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
}
