import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SeshnError } from '../errors/seshn-error.js';
import type { Pricing, PricingTier } from './pricing-schema.js';
import { quotePrice } from './quote-price.js';

const RUNS = { numRuns: 200 };
const ONE_HOUR = { seats: 1, durationMinutes: 60 };

/** Stripe's documented tiers (docs.stripe.com/subscriptions/pricing-models/tiered-pricing), in cents. */
const TYPOGRAPHIC: PricingTier[] = [
  { upTo: 5, unitAmount: 700 },
  { upTo: 10, unitAmount: 650 },
  { upTo: null, unitAmount: 600 },
];
const tiered = (mode: 'volume' | 'graduated', tiers: PricingTier[]): Pricing => ({
  strategy: 'tiered',
  mode,
  tiers,
  currency: 'usd',
});
const amountOf = (pricing: Pricing, seats: number, durationMinutes = 60) =>
  quotePrice(pricing, { seats, durationMinutes }).amount;

function validationFields(run: () => unknown): string[] {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(SeshnError);
    expect((error as SeshnError).code).toBe('validation_failed');
    return ((error as SeshnError).details.fields as { path: string }[]).map((f) => f.path);
  }
  throw new Error('expected a validation_failed error');
}

describe('flat', () => {
  it('charges amount whatever the seats and duration', () => {
    const pricing: Pricing = { strategy: 'flat', amount: 5000, currency: 'eur' };
    expect(quotePrice(pricing, { seats: 1, durationMinutes: 30 })).toEqual({ amount: 5000, currency: 'eur' });
    expect(quotePrice(pricing, { seats: 40, durationMinutes: 600 })).toEqual({
      amount: 5000,
      currency: 'eur',
    });
  });
});

describe('per_seat', () => {
  it('charges unitAmount × seats', () => {
    const pricing: Pricing = { strategy: 'per_seat', unitAmount: 2500, currency: 'usd' };
    expect(quotePrice(pricing, { seats: 1, durationMinutes: 60 })).toEqual({ amount: 2500, currency: 'usd' });
    expect(quotePrice(pricing, { seats: 3, durationMinutes: 60 })).toEqual({ amount: 7500, currency: 'usd' });
  });
  it('is free for a zero unit amount', () => {
    expect(amountOf({ strategy: 'per_seat', unitAmount: 0, currency: 'usd' }, 9)).toBe(0);
  });
});

describe('tiered, volume (Stripe: the tier containing the quantity prices every unit)', () => {
  it.each([
    [1, 700],
    [5, 3500],
    [6, 3900],
    [20, 12000],
    [25, 15000],
  ])("matches Stripe's documented table: %i seats cost %i", (seats, amount) => {
    expect(quotePrice(tiered('volume', TYPOGRAPHIC), { seats, durationMinutes: 60 })).toEqual({
      amount,
      currency: 'usd',
    });
  });

  it('puts a seat count equal to upTo in that tier (upTo is inclusive)', () => {
    expect(amountOf(tiered('volume', TYPOGRAPHIC), 10)).toBe(6500);
    expect(amountOf(tiered('volume', TYPOGRAPHIC), 11)).toBe(6600);
  });

  it('adds only the flat amount of the tier containing the seats', () => {
    const tiers: PricingTier[] = [
      { upTo: 5, unitAmount: 0, flatAmount: 2000 },
      { upTo: null, unitAmount: 500, flatAmount: 100 },
    ];
    expect(amountOf(tiered('volume', tiers), 3)).toBe(2000);
    expect(amountOf(tiered('volume', tiers), 7)).toBe(3600);
  });

  it('may charge less for more seats when a cheaper tier starts (Stripe: "the total might decrease")', () => {
    const tiers: PricingTier[] = [
      { upTo: 5, unitAmount: 700 },
      { upTo: null, unitAmount: 500 },
    ];
    expect(amountOf(tiered('volume', tiers), 5)).toBe(3500);
    expect(amountOf(tiered('volume', tiers), 6)).toBe(3000);
  });
});

describe('tiered, graduated (Stripe: each tier prices the units within it)', () => {
  it.each([
    [1, 700],
    [5, 3500],
    [6, 4150],
    [10, 6750],
    [11, 7350],
    [20, 12750],
    [25, 15750],
  ])("matches Stripe's documented table: %i seats cost %i", (seats, amount) => {
    expect(quotePrice(tiered('graduated', TYPOGRAPHIC), { seats, durationMinutes: 60 })).toEqual({
      amount,
      currency: 'usd',
    });
  });

  it('adds the flat amount of every tier with at least one seat, and no other', () => {
    const tiers: PricingTier[] = [
      { upTo: 5, unitAmount: 0, flatAmount: 2000 },
      { upTo: 10, unitAmount: 500, flatAmount: 300 },
      { upTo: null, unitAmount: 400, flatAmount: 7000 },
    ];
    expect(amountOf(tiered('graduated', tiers), 5)).toBe(2000);
    expect(amountOf(tiered('graduated', tiers), 6)).toBe(2000 + 500 + 300);
    expect(amountOf(tiered('graduated', tiers), 10)).toBe(2000 + 2500 + 300);
    expect(amountOf(tiered('graduated', tiers), 12)).toBe(2000 + 2500 + 300 + 800 + 7000);
  });

  it('with one open tier equals unitAmount × seats + flatAmount', () => {
    expect(amountOf(tiered('graduated', [{ upTo: null, unitAmount: 300, flatAmount: 50 }]), 4)).toBe(1250);
  });
});

describe('per_duration prices the time, not the seats (a room by the hour)', () => {
  const room: Pricing = { strategy: 'per_duration', unitAmount: 4000, unitMinutes: 60, currency: 'usd' };

  it('charges unitAmount per started unit: 60 min = 1 unit, 61 and 90 min = 2 units', () => {
    expect(quotePrice(room, { seats: 1, durationMinutes: 60 })).toEqual({ amount: 4000, currency: 'usd' });
    expect(amountOf(room, 1, 61)).toBe(8000);
    expect(amountOf(room, 1, 90)).toBe(8000);
    expect(amountOf(room, 1, 1)).toBe(4000);
    expect(amountOf(room, 1, 180)).toBe(12000);
  });

  it('charges the same for one seat or six (the seats share the room)', () => {
    expect(amountOf(room, 6, 90)).toBe(amountOf(room, 1, 90));
  });

  it('stays exact at the top of the safe range', () => {
    const pricing: Pricing = { strategy: 'per_duration', unitAmount: 1, unitMinutes: 3, currency: 'usd' };
    // 2^53 − 1 = 3 × 3002399751580330 + 1 (one more started unit); 2^53 − 2 divides evenly.
    expect(amountOf(pricing, 1, Number.MAX_SAFE_INTEGER)).toBe(3002399751580331);
    expect(amountOf(pricing, 1, Number.MAX_SAFE_INTEGER - 1)).toBe(3002399751580330);
  });
});

describe('quote input', () => {
  const perSeat: Pricing = { strategy: 'per_seat', unitAmount: 100, currency: 'usd' };

  it.each([0, -1, 1.5, Number.NaN, Infinity, 2 ** 53, '2', undefined, null])(
    'rejects seats = %s naming seats',
    (seats) => {
      expect(validationFields(() => quotePrice(perSeat, { seats, durationMinutes: 60 } as never))).toEqual([
        'seats',
      ]);
    },
  );

  it.each([0, -30, 0.5, Number.NaN, '60', undefined])('rejects durationMinutes = %s naming it', (d) => {
    expect(validationFields(() => quotePrice(perSeat, { seats: 1, durationMinutes: d } as never))).toEqual([
      'durationMinutes',
    ]);
  });

  it('rejects a missing input object', () => {
    expect(validationFields(() => quotePrice(perSeat, undefined as never))).toEqual(['seats']);
  });

  it('rejects a malformed stored configuration as validation_failed, never a TypeError', () => {
    const noOpenTier = {
      strategy: 'tiered',
      mode: 'volume',
      currency: 'usd',
      tiers: [{ upTo: 5, unitAmount: 1 }],
    };
    expect(validationFields(() => quotePrice(noOpenTier as Pricing, ONE_HOUR))).toEqual([
      'pricing.tiers.0.upTo',
    ]);
    const zeroUnit = { strategy: 'per_duration', unitAmount: 1, unitMinutes: 0, currency: 'usd' };
    expect(validationFields(() => quotePrice(zeroUnit as Pricing, ONE_HOUR))).toEqual([
      'pricing.unitMinutes',
    ]);
    expect(validationFields(() => quotePrice({ strategy: 'auction' } as never, ONE_HOUR))).toEqual([
      'pricing.strategy',
    ]);
    expect(validationFields(() => quotePrice(undefined as never, ONE_HOUR))).toEqual(['pricing']);
  });
});

describe('overflow', () => {
  it('refuses a per_seat price beyond MAX_SAFE_INTEGER instead of rounding it', () => {
    const pricing: Pricing = { strategy: 'per_seat', unitAmount: Number.MAX_SAFE_INTEGER, currency: 'usd' };
    expect(amountOf(pricing, 1)).toBe(Number.MAX_SAFE_INTEGER);
    expect(validationFields(() => amountOf(pricing, 2))).toEqual(['seats']);
  });

  it('refuses a graduated total whose flat amounts sum beyond MAX_SAFE_INTEGER', () => {
    const tiers: PricingTier[] = [
      { upTo: 1, unitAmount: 0, flatAmount: Number.MAX_SAFE_INTEGER },
      { upTo: null, unitAmount: 0, flatAmount: 1 },
    ];
    expect(amountOf(tiered('graduated', tiers), 1)).toBe(Number.MAX_SAFE_INTEGER);
    expect(validationFields(() => amountOf(tiered('graduated', tiers), 2))).toEqual(['seats']);
  });

  it('refuses a per_duration price beyond MAX_SAFE_INTEGER naming durationMinutes', () => {
    const pricing: Pricing = {
      strategy: 'per_duration',
      unitAmount: 2 ** 40,
      unitMinutes: 1,
      currency: 'usd',
    };
    expect(validationFields(() => amountOf(pricing, 1, 2 ** 13))).toEqual(['durationMinutes']);
  });
});

// ---------------------------------------------------------------------------------------------
// Properties

/** Well-formed tiers: ascending bounds built from positive steps, then the open tier. */
const tiersArb = (amount: fc.Arbitrary<number>, step: fc.Arbitrary<number>) =>
  fc
    .tuple(
      fc.array(fc.record({ step, unitAmount: amount, flatAmount: fc.option(amount, { nil: undefined }) }), {
        maxLength: 5,
      }),
      fc.record({ unitAmount: amount, flatAmount: fc.option(amount, { nil: undefined }) }),
    )
    .map(([bounded, open]) => {
      let upTo = 0;
      const tiers: PricingTier[] = bounded.map(({ step: s, unitAmount, flatAmount }) => {
        upTo += s;
        return flatAmount === undefined ? { upTo, unitAmount } : { upTo, unitAmount, flatAmount };
      });
      tiers.push(
        open.flatAmount === undefined ? { upTo: null, unitAmount: open.unitAmount } : { upTo: null, ...open },
      );
      return tiers;
    });

const smallAmount = fc.integer({ min: 0, max: 100_000 });
const smallTiers = tiersArb(smallAmount, fc.integer({ min: 1, max: 20 }));
const seatsArb = fc.integer({ min: 1, max: 150 });
const currency = 'usd';

const seatPricingArb: fc.Arbitrary<Pricing> = fc.oneof(
  smallAmount.map((amount): Pricing => ({ strategy: 'flat', amount, currency })),
  smallAmount.map((unitAmount): Pricing => ({ strategy: 'per_seat', unitAmount, currency })),
  smallTiers.map((tiers) => tiered('graduated', tiers)),
);

/** Graduated pricing seat by seat: the oracle the loop over tiers must agree with. */
function graduatedOneSeatAtATime(tiers: PricingTier[], seats: number): number {
  let total = 0;
  for (let seat = 1; seat <= seats; seat++) {
    const index = tiers.findIndex((t) => t.upTo === null || seat <= t.upTo);
    const tier = tiers[index]!;
    const lower = index === 0 ? 0 : tiers[index - 1]!.upTo!;
    total += tier.unitAmount + (seat === lower + 1 ? (tier.flatAmount ?? 0) : 0);
  }
  return total;
}

/** Exact price in BigInt, with no overflow checks: the oracle for range behaviour. */
function exactAmount(pricing: Pricing, seats: number, durationMinutes: number): bigint {
  const n = BigInt(seats);
  switch (pricing.strategy) {
    case 'flat':
      return BigInt(pricing.amount);
    case 'per_seat':
      return BigInt(pricing.unitAmount) * n;
    case 'per_duration': {
      const d = BigInt(durationMinutes);
      const u = BigInt(pricing.unitMinutes);
      return BigInt(pricing.unitAmount) * ((d + u - 1n) / u);
    }
    case 'tiered': {
      if (pricing.mode === 'volume') {
        const tier = pricing.tiers.find((t) => t.upTo === null || seats <= t.upTo)!;
        return BigInt(tier.unitAmount) * n + BigInt(tier.flatAmount ?? 0);
      }
      let total = 0n;
      let below = 0n;
      for (const tier of pricing.tiers) {
        if (n <= below) break;
        const top = tier.upTo === null || BigInt(tier.upTo) > n ? n : BigInt(tier.upTo);
        total += BigInt(tier.unitAmount) * (top - below) + BigInt(tier.flatAmount ?? 0);
        below = top;
      }
      return total;
    }
  }
}

describe('properties', () => {
  it('flat, per_seat and graduated are monotone non-decreasing in seats', () => {
    fc.assert(
      fc.property(seatPricingArb, seatsArb, seatsArb, (pricing, a, b) => {
        const [few, many] = a <= b ? [a, b] : [b, a];
        expect(amountOf(pricing, few)).toBeLessThanOrEqual(amountOf(pricing, many));
      }),
      RUNS,
    );
  });

  it('graduated agrees with pricing one seat at a time', () => {
    fc.assert(
      fc.property(smallTiers, seatsArb, (tiers, seats) => {
        expect(amountOf(tiered('graduated', tiers), seats)).toBe(graduatedOneSeatAtATime(tiers, seats));
      }),
      RUNS,
    );
  });

  it('graduated ≤ Σ over tiers of (unitAmount × seats + flatAmount)', () => {
    fc.assert(
      fc.property(smallTiers, seatsArb, (tiers, seats) => {
        const bound = tiers.reduce((sum, t) => sum + t.unitAmount * seats + (t.flatAmount ?? 0), 0);
        expect(amountOf(tiered('graduated', tiers), seats)).toBeLessThanOrEqual(bound);
      }),
      RUNS,
    );
  });

  it('volume charges every seat at the unit amount of exactly one tier', () => {
    fc.assert(
      fc.property(smallTiers, seatsArb, (tiers, seats) => {
        const amount = amountOf(tiered('volume', tiers), seats);
        expect(tiers.some((t) => amount === t.unitAmount * seats + (t.flatAmount ?? 0))).toBe(true);
      }),
      RUNS,
    );
  });

  it('per_duration rounds up to whole units and ignores seats', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 100_000 }),
        fc.integer({ min: 1, max: 24 * 60 }),
        fc.integer({ min: 1, max: 7 * 24 * 60 }),
        seatsArb,
        (unitAmount, unitMinutes, durationMinutes, seats) => {
          const pricing: Pricing = { strategy: 'per_duration', unitAmount, unitMinutes, currency };
          const amount = amountOf(pricing, seats, durationMinutes);
          expect(amount % unitAmount).toBe(0);
          const units = amount / unitAmount;
          expect(units * unitMinutes).toBeGreaterThanOrEqual(durationMinutes);
          expect((units - 1) * unitMinutes).toBeLessThan(durationMinutes);
          expect(amountOf(pricing, 1, durationMinutes)).toBe(amount);
        },
      ),
      RUNS,
    );
  });

  it('results are always safe integers equal to the exact price, or validation_failed when it is not safe', () => {
    const amount = fc.oneof(fc.integer({ min: 0, max: 1000 }), fc.maxSafeNat());
    const count = fc.oneof(
      fc.integer({ min: 1, max: 1000 }),
      fc.integer({ min: 1, max: Number.MAX_SAFE_INTEGER }),
    );
    const pricingArb: fc.Arbitrary<Pricing> = fc.oneof(
      amount.map((a): Pricing => ({ strategy: 'flat', amount: a, currency })),
      amount.map((unitAmount): Pricing => ({ strategy: 'per_seat', unitAmount, currency })),
      fc
        .tuple(
          fc.constantFrom('volume' as const, 'graduated' as const),
          tiersArb(amount, fc.integer({ min: 1, max: 2 ** 40 })),
        )
        .map(([mode, tiers]) => tiered(mode, tiers)),
      fc.tuple(amount, count).map(
        ([unitAmount, unitMinutes]): Pricing => ({
          strategy: 'per_duration',
          unitAmount,
          unitMinutes,
          currency,
        }),
      ),
    );
    fc.assert(
      fc.property(pricingArb, count, count, (pricing, seats, durationMinutes) => {
        const exact = exactAmount(pricing, seats, durationMinutes);
        if (exact <= BigInt(Number.MAX_SAFE_INTEGER)) {
          const quoted = quotePrice(pricing, { seats, durationMinutes }).amount;
          expect(Number.isSafeInteger(quoted)).toBe(true);
          expect(BigInt(quoted)).toBe(exact);
        } else {
          expect(validationFields(() => quotePrice(pricing, { seats, durationMinutes }))).toHaveLength(1);
        }
      }),
      RUNS,
    );
  });
});
