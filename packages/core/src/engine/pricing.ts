import { decodeSlotId } from '../booking/slot-id.js';
import { SeshnError } from '../errors/seshn-error.js';
import { quotePrice } from '../pricing/index.js';
import { type PricingQuoteInput, PricingQuoteSchema } from '../schema/booking.js';
import type { Money } from '../schema/common.js';
import { parseInput } from '../schema/parse.js';
import type { EngineContext } from './context.js';
import { resolveDuration, serviceConfig } from './service-rules.js';

const MINUTE = 60_000;

export type { PricingQuoteInput };

export function pricingApi(ctx: EngineContext) {
  return {
    async quote(input: PricingQuoteInput): Promise<Money | null> {
      const q = parseInput(PricingQuoteSchema, input);
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
