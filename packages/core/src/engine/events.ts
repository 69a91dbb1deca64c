/**
 * Read access to the transactional outbox: every state change appended its event in the same
 * transaction. Delivery (webhooks) reads the same rows.
 * @module
 */
import type { z } from 'zod';
import { EventListSchema } from '../schema/events.js';
import { parseInput } from '../schema/parse.js';
import { toIso } from '../time/zone.js';
import type { EngineContext } from './context.js';
import { checkCursor } from './cursor.js';

export function eventsApi(ctx: EngineContext) {
  return {
    async list(params: z.input<typeof EventListSchema> = {}) {
      const p = parseInput(EventListSchema, params);
      await checkCursor(ctx, 'event', p.startingAfter);
      const page = await ctx.adapter.list(
        'event',
        ctx.scope,
        { type: p.type },
        { limit: p.limit, startingAfter: p.startingAfter },
      );
      return {
        data: page.data.map((e) => ({
          id: e.id,
          object: 'event' as const,
          type: e.type,
          data: e.data,
          createdAt: toIso(e.createdAt),
        })),
        hasMore: page.hasMore,
      };
    },
  };
}
