/**
 * The `Pricing` of a service (docs/api.md, "Pricing"): one of four strategies, every amount in integer
 * minor units. The schema is the whole definition of a valid configuration, so a service with a
 * price that `quotePrice` could not evaluate is rejected when it is created, not when it is booked.
 * @module
 */
import { z } from 'zod';
import { AmountSchema, CurrencySchema } from '../schema/common.js';
import { parseInput } from '../schema/parse.js';

/** A positive safe integer count (seats in a tier boundary, minutes in a billing unit). */
const PositiveCountSchema = z
  .number()
  .int({ message: 'Expected a whole number' })
  .min(1, { message: 'Expected a number of at least 1' })
  .max(Number.MAX_SAFE_INTEGER);

/**
 * One tier of a tiered price, as in Stripe's `tiers[]`: it covers the seats after the previous
 * tier's `upTo` up to and including its own; `upTo: null` is Stripe's `inf`.
 */
export const PricingTierSchema = z.strictObject({
  upTo: PositiveCountSchema.nullable(),
  unitAmount: AmountSchema,
  flatAmount: AmountSchema.optional(),
});
export type PricingTier = z.infer<typeof PricingTierSchema>;

/**
 * Tiers are contiguous by construction (each starts after the previous `upTo`), so the only ways
 * to be wrong are order and the open end. Stripe requires exactly one `inf` tier, last; without it
 * a quantity above the last bound would have no price.
 */
const TiersSchema = z
  .array(PricingTierSchema)
  .min(1, { message: 'At least one tier is required' })
  .superRefine((tiers, ctx) => {
    const last = tiers.length - 1;
    let previous = 0;
    tiers.forEach((tier, i) => {
      if (i === last) {
        if (tier.upTo !== null) {
          ctx.addIssue({
            code: 'custom',
            path: [i, 'upTo'],
            message: 'The last tier must have upTo: null (it prices every seat above the previous tier)',
          });
        }
        return;
      }
      if (tier.upTo === null) {
        ctx.addIssue({
          code: 'custom',
          path: [i, 'upTo'],
          message: 'Only the last tier may have upTo: null',
        });
        return;
      }
      // An upTo below 1 already failed PositiveCountSchema; one message per mistake is enough.
      if (tier.upTo <= previous && tier.upTo >= 1) {
        ctx.addIssue({
          code: 'custom',
          path: [i, 'upTo'],
          message: `Tiers must ascend strictly by upTo (${tier.upTo} is not above ${previous})`,
        });
      }
      previous = Math.max(previous, tier.upTo);
    });
  });

export const FlatPricingSchema = z.strictObject({
  strategy: z.literal('flat'),
  amount: AmountSchema,
  currency: CurrencySchema,
});

export const PerSeatPricingSchema = z.strictObject({
  strategy: z.literal('per_seat'),
  unitAmount: AmountSchema,
  currency: CurrencySchema,
});

export const TieredPricingSchema = z.strictObject({
  strategy: z.literal('tiered'),
  mode: z.enum(['volume', 'graduated']),
  tiers: TiersSchema,
  currency: CurrencySchema,
});

export const PerDurationPricingSchema = z.strictObject({
  strategy: z.literal('per_duration'),
  unitAmount: AmountSchema,
  unitMinutes: PositiveCountSchema,
  currency: CurrencySchema,
});

/**
 * How a service is priced. Unknown keys are rejected (a misspelt `flat_amount` would otherwise
 * silently price a tier at zero).
 *
 * @example
 * PricingSchema.parse({
 *   strategy: 'tiered', mode: 'graduated', currency: 'usd',
 *   tiers: [{ upTo: 5, unitAmount: 700 }, { upTo: 10, unitAmount: 650 }, { upTo: null, unitAmount: 600 }],
 * });
 */
export const PricingSchema = z
  .discriminatedUnion('strategy', [
    FlatPricingSchema,
    PerSeatPricingSchema,
    TieredPricingSchema,
    PerDurationPricingSchema,
  ])
  .meta({ id: 'Pricing', description: 'How a service is priced; amounts are integer minor units' });

export type Pricing = z.infer<typeof PricingSchema>;
export type FlatPricing = z.infer<typeof FlatPricingSchema>;
export type PerSeatPricing = z.infer<typeof PerSeatPricingSchema>;
export type TieredPricing = z.infer<typeof TieredPricingSchema>;
export type PerDurationPricing = z.infer<typeof PerDurationPricingSchema>;
export type PricingStrategy = Pricing['strategy'];

/**
 * Validates a pricing configuration, throwing `SeshnError('validation_failed')` whose field paths
 * start with `pricing.` (e.g. `pricing.tiers.1.upTo`), as they would inside `services.create`.
 *
 * @example
 * const pricing = parsePricing({ strategy: 'per_seat', unitAmount: 2500, currency: 'eur' });
 */
export function parsePricing(input: unknown): Pricing {
  return parseInput(PricingSchema, input, 'pricing');
}
