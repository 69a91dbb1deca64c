/**
 * `seshn.pricing.quote`: the price a booking would be charged, computed on the server exactly as
 * `bookings.create` computes it, from the same input rules (a quote never prices a booking that
 * `bookings.create` would refuse as input).
 * @module
 */
import { z } from 'zod';
import { decodeSlotId } from '../booking/slot-id.js';
import { SeshnError } from '../errors/seshn-error.js';
import { quotePrice } from '../pricing/index.js';
import { checkBookingTimes, SlotIdSchema } from '../schema/booking.js';
import { DurationMinutesSchema, InstantSchema, idSchema, type Money, SeatsSchema } from '../schema/common.js';
import { branchedUnion, byKey } from '../schema/messages.js';
import { parseInput } from '../schema/parse.js';
import type { EngineContext } from './context.js';
import { resolveDuration, serviceConfig } from './service-rules.js';

const MINUTE = 60_000;

/**
 * `{ slotId, seats? }` (a slot from availability), or `{ serviceId, seats?, startTime?, endTime? |
 * durationMinutes?, resourceId? }` with the booking's rules: whole minutes, `endTime` after
 * `startTime`, not both `endTime` and `durationMinutes`.
 */
const QuoteSchema = branchedUnion(
  [
    z.object({ slotId: SlotIdSchema, seats: SeatsSchema.default(1) }).strict(),
    z
      .object({
        serviceId: idSchema('service'),
        resourceId: idSchema('resource').optional(),
        seats: SeatsSchema.default(1),
        startTime: InstantSchema.optional(),
        endTime: InstantSchema.optional(),
        durationMinutes: DurationMinutesSchema.optional(),
      })
      .strict()
      .superRefine(checkBookingTimes),
  ],
  byKey(['slotId'], 1),
);
export type PricingQuoteInput = z.input<typeof QuoteSchema>;

export function pricingApi(ctx: EngineContext) {
  return {
    async quote(input: PricingQuoteInput): Promise<Money | null> {
      const q = parseInput(QuoteSchema, input);
      let serviceId: string;
      let requested: number | undefined;
      if ('slotId' in q) {
        const ref = decodeSlotId(q.slotId);
        serviceId = ref.serviceId;
        requested = (ref.end - ref.start) / MINUTE;
      } else {
        serviceId = q.serviceId;
        requested =
          q.endTime && q.startTime
            ? (q.endTime.getTime() - q.startTime.getTime()) / MINUTE
            : q.durationMinutes;
      }
      const service = await ctx.adapter.get('service', ctx.scope, serviceId);
      if (!service) throw SeshnError.notFound('service', serviceId);
      const duration = resolveDuration(service, requested);
      const pricing = serviceConfig(service).pricing;
      return pricing ? quotePrice(pricing, { seats: q.seats, durationMinutes: duration }) : null;
    },
  };
}
