import { describe, expect, it } from 'vitest';
import type { AccountRecord, TransferItem, TransferRecord } from '../ports/ledger.js';
import { effectiveTransferStatus, planTransfers } from './plan.js';

const account = (id: string, over: Partial<AccountRecord> = {}): AccountRecord => ({
  id,
  kind: 'customer',
  code: 'customer',
  contactId: 'ct_a',
  entitlementId: 'ent_a',
  limited: true,
  debitsPosted: 0,
  creditsPosted: 10,
  createdAt: 0,
  ...over,
});
const system = account('acc_redeemed', {
  kind: 'system',
  code: 'redeemed',
  limited: false,
  creditsPosted: 0,
});
const spend = (id: string, amount: number, pendingUntil?: number): TransferItem => ({
  id,
  debitAccountId: 'acc_a',
  creditAccountId: 'acc_redeemed',
  amount,
  code: 'booking',
  entitlementId: 'ent_a',
  ...(pendingUntil === undefined ? {} : { pendingUntil }),
});
const snap = (over: { pending?: number; transfers?: TransferRecord[]; now?: number } = {}) => ({
  accounts: new Map([
    ['acc_a', account('acc_a')],
    ['acc_redeemed', system],
  ]),
  pendingDebits: new Map([['acc_a', over.pending ?? 0]]),
  transfers: new Map((over.transfers ?? []).map((t) => [t.id, t])),
  now: over.now ?? 100,
});
const refusal = (f: () => unknown) => {
  try {
    f();
  } catch (e) {
    return e as { code: string; details: Record<string, unknown> };
  }
  throw new Error('expected a refusal');
};

describe('planTransfers', () => {
  it('counts earlier items of the batch and live pending debits against the limit', () => {
    const plan = planTransfers([spend('trf_1', 4), spend('trf_2', 3, 500)], snap({ pending: 2 }));
    expect(plan.inserts.map((t) => [t.id, t.status])).toEqual([
      ['trf_1', 'posted'],
      ['trf_2', 'pending'],
    ]);
    // Only posted amounts change counters, and only on customer accounts.
    expect([...plan.counters]).toEqual([['acc_a', { debits: 4, credits: 0 }]]);
    const e = refusal(() => planTransfers([spend('trf_1', 4), spend('trf_2', 5)], snap({ pending: 2 })));
    expect(e.code).toBe('insufficient_credits');
    expect(e.details).toMatchObject({
      accountId: 'acc_a',
      available: 4,
      needed: 5,
      path: 'transfers[1].amount',
    });
  });

  it('validates shapes first: positive integer amounts, two accounts, one id per batch', () => {
    expect(refusal(() => planTransfers([spend('trf_1', 0)], snap())).code).toBe('validation_failed');
    expect(refusal(() => planTransfers([spend('trf_1', 1), spend('trf_1', 1)], snap())).code).toBe(
      'validation_failed',
    );
    expect(
      refusal(() =>
        planTransfers([{ ...spend('trf_1', 1), creditAccountId: 'acc_a' } as TransferItem], snap()),
      ).code,
    ).toBe('validation_failed');
  });

  it('settles: post and void a live pending one, refuse a lapsed post, no-op a repeat', () => {
    const pending: TransferRecord = {
      id: 'trf_p',
      debitAccountId: 'acc_a',
      creditAccountId: 'acc_redeemed',
      amount: 2,
      status: 'pending',
      expiresAt: 200,
      code: 'booking',
      entitlementId: 'ent_a',
      bookingId: null,
      metadata: {},
      createdAt: 0,
      updatedAt: 0,
    };
    const posted = planTransfers(
      [{ action: 'post', id: 'trf_p' }],
      snap({ transfers: [pending], pending: 2 }),
    );
    expect(posted.settles).toEqual([{ id: 'trf_p', status: 'posted' }]);
    expect(posted.counters.get('acc_a')).toEqual({ debits: 2, credits: 0 });
    expect(effectiveTransferStatus(pending, 200)).toBe('voided');
    expect(
      refusal(() =>
        planTransfers([{ action: 'post', id: 'trf_p' }], snap({ transfers: [pending], now: 200 })),
      ).code,
    ).toBe('invalid_state');
    expect(
      planTransfers([{ action: 'void', id: 'trf_p' }], snap({ transfers: [pending], now: 200 })).settles,
    ).toEqual([]);
    const done = { ...pending, status: 'posted' as const };
    expect(planTransfers([{ action: 'post', id: 'trf_p' }], snap({ transfers: [done] })).settles).toEqual([]);
  });
});
