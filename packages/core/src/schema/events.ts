/**
 * Inputs of `seshn.events`: the outbox, newest first, optionally of one type.
 * @module
 */
import { z } from 'zod';
import { listParamsSchema } from './common.js';

export const EventListSchema = listParamsSchema('event')
  .extend({ type: z.string().min(1).max(64).optional() })
  .strict();
export type EventListInput = z.input<typeof EventListSchema>;
