/**
 * The price of one booking under a service's {@link Pricing}: a pure function, so a quote, a slot's
 * `price` and the booking's charge are the same number by construction.
 * @module
 */
import { SeshnError } from '../errors/seshn-error.js';
import type { Money } from '../schema/common.js';
import { type Pricing, PricingSchema, type PricingTier } from './pricing-schema.js';

/** What a price depends on: the seats booked and the booking's length. */
export interface PriceQuoteInput {
  /** Seats booked; a positive integer. */
  seats: number;
  /** Length of the booking in minutes; a positive integer. Only `per_duration` reads it. */
  durationMinutes: number;
}

/**
 * Prices a booking. Every result is an integer number of minor units no larger than
 * `Number.MAX_SAFE_INTEGER`; a price that would exceed it is refused, never rounded.
 *
 * - `flat`: `amount`, whatever the seats.
 * - `per_seat`: `unitAmount × seats`.
 * - `tiered`, `volume`: the tier containing `seats` prices all of them: `unitAmount × seats + flatAmount`.
 * - `tiered`, `graduated`: each tier prices the seats that fall in it, `unitAmount × count + flatAmount`
 *   for every tier with at least one seat, summed (Stripe's semantics).
 * - `per_duration`: `unitAmount × ceil(durationMinutes / unitMinutes)`. It prices the time, not the
 *   seats: a room by the hour costs the same for one person or six. A service that wants per-person
 *   time pricing uses `per_seat` with a fixed duration.
 *
 * @throws SeshnError `validation_failed` naming `seats` or `durationMinutes` when either is not a
 *   positive integer or the price overflows, or naming the `pricing` field that is malformed.
 * @example
 * quotePrice({ strategy: 'per_duration', unitAmount: 4000, unitMinutes: 60, currency: 'usd' },
 *   { seats: 3, durationMinutes: 90 }); // { amount: 8000, currency: 'usd' } (2 started hours)
 */
export function quotePrice(pricing: Pricing, input: PriceQuoteInput): Money {
  // Re-validated on every call (~2 µs): a stored configuration from an older or newer version must
  // fail as validation_failed, never as a TypeError or a NaN price.
  const parsed = PricingSchema.safeParse(pricing);
  if (!parsed.success) throw SeshnError.fromZod(parsed.error, 'pricing');
  const seats = requirePositiveInteger(input?.seats, 'seats');
  const durationMinutes = requirePositiveInteger(input?.durationMinutes, 'durationMinutes');
  return price(parsed.data, seats, durationMinutes);
}

function price(pricing: Pricing, seats: number, durationMinutes: number): Money {
  switch (pricing.strategy) {
    case 'flat':
      return { amount: pricing.amount, currency: pricing.currency };
    case 'per_seat':
      return { amount: multiply(pricing.unitAmount, seats, 'seats'), currency: pricing.currency };
    case 'tiered':
      return {
        amount:
          pricing.mode === 'volume'
            ? volumeAmount(pricing.tiers, seats)
            : graduatedAmount(pricing.tiers, seats),
        currency: pricing.currency,
      };
    case 'per_duration': {
      const units = ceilDiv(durationMinutes, pricing.unitMinutes);
      return { amount: multiply(pricing.unitAmount, units, 'durationMinutes'), currency: pricing.currency };
    }
  }
}

function volumeAmount(tiers: readonly PricingTier[], seats: number): number {
  // The schema guarantees a last tier with upTo: null, so some tier always matches.
  const tier = tiers.find((t) => t.upTo === null || seats <= t.upTo)!;
  return add(multiply(tier.unitAmount, seats, 'seats'), tier.flatAmount ?? 0);
}

function graduatedAmount(tiers: readonly PricingTier[], seats: number): number {
  let total = 0;
  let below = 0; // seats covered by the tiers before this one
  for (const tier of tiers) {
    if (seats <= below) break;
    // Tiers ascend strictly and end with upTo: null, so every tier reached here holds ≥ 1 seat.
    const upTo = tier.upTo === null ? seats : Math.min(tier.upTo, seats);
    total = add(total, add(multiply(tier.unitAmount, upTo - below, 'seats'), tier.flatAmount ?? 0));
    below = upTo;
  }
  return total;
}

function requirePositiveInteger(value: unknown, path: string): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 1) {
    throw SeshnError.validation([{ path, message: 'Expected a positive whole number' }]);
  }
  return value;
}

/**
 * Both operands are non-negative safe integers, so the float product is exact whenever the true
 * product is safe, and rounds to at least 2^53 (itself representable) whenever it is not.
 */
function multiply(a: number, b: number, path: string): number {
  const product = a * b;
  if (!Number.isSafeInteger(product)) throw overflow(path);
  return product;
}

function add(a: number, b: number): number {
  const sum = a + b;
  if (!Number.isSafeInteger(sum)) throw overflow('seats');
  return sum;
}

/** `ceil(a / b)` for positive safe integers in integer steps only (`%`, exact subtraction and division). */
function ceilDiv(a: number, b: number): number {
  const remainder = a % b;
  return (a - remainder) / b + (remainder > 0 ? 1 : 0);
}

function overflow(path: string): SeshnError {
  return SeshnError.validation([
    { path, message: `The price exceeds the largest representable amount (${Number.MAX_SAFE_INTEGER})` },
  ]);
}
