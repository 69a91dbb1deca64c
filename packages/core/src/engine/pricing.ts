/**
 * `seshn.pricing.quote`: the price a booking would be charged, computed on the server exactly as
 * `bookings.create` computes it.
 * @module
 */
import { z } from 'zod';
import { SeshnError } from '../errors/seshn-error.js';
import { quotePrice } from '../pricing/index.js';
import { DurationMinutesSchema, InstantSchema, type Money, SeatsSchema } from '../schema/common.js';
import { parseInput } from '../schema/parse.js';
import type { EngineContext } from './context.js';
import { resolveDuration, serviceConfig } from './service-rules.js';

const QuoteSchema = z
  .object({
    serviceId: z.string().min(1),
    seats: SeatsSchema.default(1),
    startTime: InstantSchema.optional(),
    endTime: InstantSchema.optional(),
    durationMinutes: DurationMinutesSchema.optional(),
  })
  .strict()
  .refine((q) => !q.endTime || (q.startTime && q.endTime.getTime() > q.startTime.getTime()), {
    message: 'endTime must be after startTime',
    path: ['endTime'],
  });

export function pricingApi(ctx: EngineContext) {
  return {
    async quote(input: z.input<typeof QuoteSchema>): Promise<Money | null> {
      const q = parseInput(QuoteSchema, input);
      const service = await ctx.adapter.getService(ctx.scope, q.serviceId);
      if (!service) throw SeshnError.notFound('service', q.serviceId);
      const requested =
        q.endTime && q.startTime
          ? Math.ceil((q.endTime.getTime() - q.startTime.getTime()) / 60_000)
          : q.durationMinutes;
      const duration = resolveDuration(service, requested);
      const pricing = serviceConfig(service).pricing;
      return pricing ? quotePrice(pricing, { seats: q.seats, durationMinutes: duration }) : null;
    },
  };
}
