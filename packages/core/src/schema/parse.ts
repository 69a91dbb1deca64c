import type { z } from 'zod';
import { SeshnError } from '../errors/seshn-error.js';
import { friendlyError } from './messages.js';

/**
 * Parses `input` with `schema`, turning any zod failure into `SeshnError('validation_failed')`
 * with one entry per offending field. Every public entry point validates through this, so bad
 * input never reaches an engine or the database.
 */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown, prefix = ''): z.output<S> {
  const result = schema.safeParse(input, { error: friendlyError });
  if (!result.success) throw SeshnError.fromZod(result.error, prefix);
  return result.data;
}
