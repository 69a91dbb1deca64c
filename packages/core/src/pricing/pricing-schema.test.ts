import { describe, expect, it } from 'vitest';
import { SeshnError } from '../errors/seshn-error.js';
import { PricingSchema, parsePricing } from './pricing-schema.js';

/** The field paths of the `validation_failed` error `parsePricing(input)` throws. */
function rejectedFields(input: unknown): string[] {
  try {
    parsePricing(input);
  } catch (error) {
    expect(error).toBeInstanceOf(SeshnError);
    const e = error as SeshnError;
    expect(e.code).toBe('validation_failed');
    // Distinct paths: one field may break several rules (e.g. 2^53 is neither safe nor ≤ the max).
    return [...new Set((e.details.fields as { path: string }[]).map((f) => f.path))];
  }
  throw new Error(`expected ${JSON.stringify(input)} to be rejected`);
}

const tiered = (tiers: unknown, mode = 'graduated') => ({ strategy: 'tiered', mode, currency: 'usd', tiers });

describe('PricingSchema accepts', () => {
  it.each([
    { strategy: 'flat', amount: 0, currency: 'usd' },
    { strategy: 'flat', amount: Number.MAX_SAFE_INTEGER, currency: 'jpy' },
    { strategy: 'per_seat', unitAmount: 2500, currency: 'eur' },
    { strategy: 'per_duration', unitAmount: 4000, unitMinutes: 60, currency: 'gbp' },
    tiered([{ upTo: null, unitAmount: 100 }], 'volume'),
    tiered([
      { upTo: 5, unitAmount: 700, flatAmount: 0 },
      { upTo: 10, unitAmount: 650 },
      { upTo: null, unitAmount: 600, flatAmount: 1000 },
    ]),
  ])('a well-formed $strategy configuration unchanged', (input) => {
    expect(parsePricing(input)).toEqual(input);
  });

  it('is registered as the named schema Pricing', () => {
    expect(PricingSchema.meta()?.id).toBe('Pricing');
  });
});

describe('PricingSchema rejects, naming the field', () => {
  it('a negative price', () => {
    expect(rejectedFields({ strategy: 'flat', amount: -1, currency: 'usd' })).toEqual(['pricing.amount']);
    expect(rejectedFields({ strategy: 'per_seat', unitAmount: -5, currency: 'usd' })).toEqual([
      'pricing.unitAmount',
    ]);
    expect(rejectedFields(tiered([{ upTo: null, unitAmount: 1, flatAmount: -1 }]))).toEqual([
      'pricing.tiers.0.flatAmount',
    ]);
  });

  it('a fractional amount (money is integer minor units)', () => {
    expect(rejectedFields({ strategy: 'flat', amount: 10.5, currency: 'usd' })).toEqual(['pricing.amount']);
    expect(rejectedFields(tiered([{ upTo: null, unitAmount: 0.1 }]))).toEqual(['pricing.tiers.0.unitAmount']);
  });

  it('an amount beyond the safe integer range, and non-finite numbers', () => {
    expect(rejectedFields({ strategy: 'flat', amount: 2 ** 53, currency: 'usd' })).toEqual([
      'pricing.amount',
    ]);
    expect(rejectedFields({ strategy: 'per_seat', unitAmount: Number.NaN, currency: 'usd' })).toEqual([
      'pricing.unitAmount',
    ]);
    expect(rejectedFields({ strategy: 'per_seat', unitAmount: Infinity, currency: 'usd' })).toEqual([
      'pricing.unitAmount',
    ]);
  });

  it('an amount given as a string', () => {
    expect(rejectedFields({ strategy: 'flat', amount: '100', currency: 'usd' })).toEqual(['pricing.amount']);
  });

  it('tiers that do not ascend strictly by upTo', () => {
    const equal = [
      { upTo: 5, unitAmount: 1 },
      { upTo: 5, unitAmount: 1 },
      { upTo: null, unitAmount: 1 },
    ];
    expect(rejectedFields(tiered(equal))).toEqual(['pricing.tiers.1.upTo']);
    const descending = [
      { upTo: 10, unitAmount: 1 },
      { upTo: 3, unitAmount: 1 },
      { upTo: 7, unitAmount: 1 },
      { upTo: null, unitAmount: 1 },
    ];
    // 7 is above its neighbour 3 but still inside the first tier's range, so it is wrong too.
    expect(rejectedFields(tiered(descending))).toEqual(['pricing.tiers.1.upTo', 'pricing.tiers.2.upTo']);
  });

  it('tiers without an upTo: null last tier', () => {
    expect(rejectedFields(tiered([{ upTo: 5, unitAmount: 1 }]))).toEqual(['pricing.tiers.0.upTo']);
    expect(
      rejectedFields(
        tiered([
          { upTo: 5, unitAmount: 1 },
          { upTo: 10, unitAmount: 1 },
        ]),
      ),
    ).toEqual(['pricing.tiers.1.upTo']);
  });

  it('an upTo: null tier that is not the last', () => {
    expect(
      rejectedFields(
        tiered([
          { upTo: null, unitAmount: 1 },
          { upTo: null, unitAmount: 1 },
        ]),
      ),
    ).toEqual(['pricing.tiers.0.upTo']);
  });

  it('a missing upTo (null must be explicit, as Stripe requires inf)', () => {
    expect(rejectedFields(tiered([{ unitAmount: 1 }]))).toEqual(['pricing.tiers.0.upTo']);
  });

  it('an empty tier list, a zero or fractional upTo, and an unknown mode', () => {
    expect(rejectedFields(tiered([]))).toEqual(['pricing.tiers']);
    expect(
      rejectedFields(
        tiered([
          { upTo: 0, unitAmount: 1 },
          { upTo: null, unitAmount: 1 },
        ]),
      ),
    ).toEqual(['pricing.tiers.0.upTo']);
    expect(
      rejectedFields(
        tiered([
          { upTo: 2.5, unitAmount: 1 },
          { upTo: null, unitAmount: 1 },
        ]),
      ),
    ).toEqual(['pricing.tiers.0.upTo']);
    expect(rejectedFields(tiered([{ upTo: null, unitAmount: 1 }], 'stairstep'))).toEqual(['pricing.mode']);
  });

  it('an unknown or missing strategy', () => {
    expect(rejectedFields({ strategy: 'per_hour', unitAmount: 1, currency: 'usd' })).toEqual([
      'pricing.strategy',
    ]);
    expect(rejectedFields({ amount: 1, currency: 'usd' })).toEqual(['pricing.strategy']);
  });

  it('unitMinutes of 0, negative or fractional', () => {
    for (const unitMinutes of [0, -60, 7.5]) {
      expect(
        rejectedFields({ strategy: 'per_duration', unitAmount: 1, unitMinutes, currency: 'usd' }),
      ).toEqual(['pricing.unitMinutes']);
    }
  });

  it('a bad currency (upper case, wrong length, missing)', () => {
    for (const currency of ['USD', 'us', 'usdd', '', 42]) {
      expect(rejectedFields({ strategy: 'flat', amount: 1, currency })).toEqual(['pricing.currency']);
    }
    expect(rejectedFields({ strategy: 'flat', amount: 1 })).toEqual(['pricing.currency']);
  });

  it('fields that belong to another strategy or are misspelt', () => {
    // Each unknown key is named by its own path.
    expect(rejectedFields({ strategy: 'flat', amount: 1, unitAmount: 1, currency: 'usd' })).toEqual([
      'pricing.unitAmount',
    ]);
    expect(rejectedFields(tiered([{ upTo: null, unitAmount: 1, flat_amount: 500 }]))).toEqual([
      'pricing.tiers.0.flat_amount',
    ]);
  });

  it('a value that is not an object', () => {
    expect(rejectedFields(null)).toEqual(['pricing']);
    expect(rejectedFields('flat')).toEqual(['pricing']);
  });
});
