/**
 * Pricing: the `Pricing` schema of a service and the pure `quotePrice` engine.
 * @module
 */
export {
  type FlatPricing,
  FlatPricingSchema,
  type PerDurationPricing,
  PerDurationPricingSchema,
  type PerSeatPricing,
  PerSeatPricingSchema,
  type Pricing,
  PricingSchema,
  type PricingStrategy,
  type PricingTier,
  PricingTierSchema,
  parsePricing,
  type TieredPricing,
  TieredPricingSchema,
} from './pricing-schema.js';
export { type PriceQuoteInput, quotePrice } from './quote-price.js';
