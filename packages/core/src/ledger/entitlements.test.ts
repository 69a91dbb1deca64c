import { describe, expect, it } from 'vitest';
import type { SeshnError } from '../errors/seshn-error.js';
import type { EntitlementRecord } from '../ports/records.js';
import { chooseEntitlement, entitlementStatus, periodBounds } from './entitlements.js';

const T = Date.UTC(2030, 0, 9, 12); // a Wednesday
const DAY = 86_400_000;

const ent = (id: string, over: Partial<EntitlementRecord> = {}): EntitlementRecord => ({
  id,
  contactId: 'ct_a',
  productId: 'prd_a',
  accountId: `acc_${id}`,
  type: 'pack',
  source: 'purchase',
  status: 'active',
  credits: 10,
  creditsPerSeat: 1,
  serviceIds: null,
  period: null,
  price: null,
  validFrom: T - DAY,
  expiresAt: T + 30 * DAY,
  metadata: {},
  revokedAt: null,
  createdAt: T - DAY,
  updatedAt: T - DAY,
  ...over,
});

const req = { serviceId: 'svc_yoga', seats: 1, at: T + DAY, now: T };

describe('chooseEntitlement', () => {
  it('picks the covering entitlement with room that expires soonest, no expiry last', () => {
    const a = ent('ent_a', { expiresAt: T + 20 * DAY });
    const b = ent('ent_b', { expiresAt: T + 5 * DAY });
    const c = ent('ent_c', { expiresAt: null });
    const got = chooseEntitlement(
      [
        { entitlement: a, available: 3 },
        { entitlement: b, available: 2 },
        { entitlement: c, available: 9 },
      ],
      req,
    );
    expect(got).toEqual({ entitlement: b, amount: 1 });
    expect(
      chooseEntitlement(
        [
          { entitlement: c, available: 1 },
          { entitlement: a, available: 1 },
        ],
        req,
      ).entitlement,
    ).toBe(a);
  });

  it('skips exhausted, expired, revoked, not-covering and period-limited ones; seats × creditsPerSeat', () => {
    const cands = [
      { entitlement: ent('ent_1', { expiresAt: T + 1 * DAY }), available: 5 }, // expires before the session
      { entitlement: ent('ent_2', { status: 'revoked', expiresAt: T + 2 * DAY }), available: 5 },
      { entitlement: ent('ent_3', { serviceIds: ['svc_other'], expiresAt: T + 3 * DAY }), available: 5 },
      { entitlement: ent('ent_4', { creditsPerSeat: 2, expiresAt: T + 4 * DAY }), available: 3 }, // needs 4
      {
        entitlement: ent('ent_5', {
          type: 'membership',
          credits: null,
          period: { every: 'week', limit: 2 },
          expiresAt: T + 5 * DAY,
        }),
        available: -7,
        periodUsed: 2,
      },
      { entitlement: ent('ent_6', { creditsPerSeat: 2, expiresAt: T + 6 * DAY }), available: 4 },
    ];
    expect(chooseEntitlement(cands, { ...req, seats: 2 })).toEqual({
      entitlement: cands[5]!.entitlement,
      amount: 4,
    });
    const e = (() => {
      try {
        chooseEntitlement(cands.slice(0, 5), { ...req, seats: 2 });
      } catch (error) {
        return error as SeshnError;
      }
      throw new Error('expected a refusal');
    })();
    expect(e.code).toBe('insufficient_credits');
    expect((e.details as { candidates: { reason: string }[] }).candidates.map((c) => c.reason)).toEqual([
      'expires_before_session',
      'revoked',
      'service_not_covered',
      'exhausted',
      'period_limit',
    ]);
  });

  it('a named entitlement: another contact’s (absent) is not_found, one that cannot pay insufficient_credits', () => {
    const pass = ent('ent_pass', { type: 'pass', credits: 1 });
    expect(
      chooseEntitlement([{ entitlement: pass, available: 1 }], { ...req, entitlementId: 'ent_pass' }).amount,
    ).toBe(1);
    expect(() =>
      chooseEntitlement([{ entitlement: pass, available: 1 }], { ...req, entitlementId: 'ent_x' }),
    ).toThrow(expect.objectContaining({ code: 'not_found' }));
    // A pass used once has nothing left.
    expect(() =>
      chooseEntitlement([{ entitlement: pass, available: 0 }], { ...req, entitlementId: 'ent_pass' }),
    ).toThrow(
      expect.objectContaining({
        code: 'insufficient_credits',
        details: expect.objectContaining({ reason: 'exhausted' }),
      }),
    );
  });
});

describe('entitlementStatus', () => {
  it('revoked, then expired (stored or past expiresAt), then exhausted, else active', () => {
    expect(entitlementStatus(ent('e', { status: 'revoked' }), 5, T)).toBe('revoked');
    expect(entitlementStatus(ent('e', { expiresAt: T }), 5, T)).toBe('expired');
    expect(entitlementStatus(ent('e', { status: 'expired' }), 5, T)).toBe('expired');
    expect(entitlementStatus(ent('e'), 0, T)).toBe('exhausted');
    expect(entitlementStatus(ent('e', { credits: null }), -4, T)).toBe('active');
    expect(entitlementStatus(ent('e'), 1, T)).toBe('active');
  });
});

describe('periodBounds', () => {
  it('an ISO week from Monday 00:00 local, and a calendar month, in the zone', () => {
    expect(periodBounds(T, 'week', 'UTC')).toEqual({
      start: Date.UTC(2030, 0, 7),
      end: Date.UTC(2030, 0, 14),
    });
    expect(periodBounds(T, 'month', 'UTC')).toEqual({
      start: Date.UTC(2030, 0, 1),
      end: Date.UTC(2030, 1, 1),
    });
    // New York is UTC−5 in January: the local week starts Monday 05:00Z.
    expect(periodBounds(T, 'week', 'America/New_York')).toEqual({
      start: Date.UTC(2030, 0, 7, 5),
      end: Date.UTC(2030, 0, 14, 5),
    });
    // Sunday 23:30 in New York is still the week that began the Monday before.
    const sundayNight = Date.UTC(2030, 0, 14, 4, 30);
    expect(periodBounds(sundayNight, 'week', 'America/New_York').start).toBe(Date.UTC(2030, 0, 7, 5));
    // A month across a DST change keeps local midnights (London: GMT in March 1st, BST on April 1st).
    expect(periodBounds(Date.UTC(2030, 2, 15), 'month', 'Europe/London')).toEqual({
      start: Date.UTC(2030, 2, 1),
      end: Date.UTC(2030, 2, 31, 23),
    });
  });
});
