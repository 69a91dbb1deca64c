/**
 * JSON Schema (draft 2020-12, what OpenAPI 3.1 embeds) of an operation's input or output, from
 * the same zod schemas the engine validates with. Two kinds of schema need help: instants, which
 * zod checks with a custom parser (here: `string`, `date-time`), and branched unions, which
 * validate through a transform (here: the `anyOf` of their branches).
 * @module
 */
import { z } from 'zod';
import { INSTANT_FORMAT } from '../schema/common.js';
import { unionBranches } from '../schema/messages.js';

type JsonSchema = Record<string, unknown>;

const BY_ID: Record<string, JsonSchema> = {
  Instant: { type: 'string', format: 'date-time', description: INSTANT_FORMAT },
  DateOrInstant: {
    anyOf: [
      { type: 'string', format: 'date' },
      { type: 'string', format: 'date-time' },
    ],
    description: `A calendar date YYYY-MM-DD, or ${INSTANT_FORMAT}`,
  },
};

function replace(target: JsonSchema, next: JsonSchema): void {
  for (const key of Object.keys(target)) delete target[key];
  Object.assign(target, next);
}

/**
 * The JSON Schema of `schema` as a request (`input`) or a response (`output`) carries it.
 * @example
 * jsonSchemaOf(findOperation('bookings.create')!.input); // { anyOf: [{ … slotId … }, { … serviceId … }] }
 */
export function jsonSchemaOf(schema: z.ZodType, io: 'input' | 'output' = 'input'): JsonSchema {
  return z.toJSONSchema(schema, {
    io,
    target: 'draft-2020-12',
    unrepresentable: 'any',
    override: (ctx) => {
      const node = ctx.zodSchema as unknown as z.ZodType;
      const id = z.globalRegistry.get(node)?.id;
      const fixed = id === undefined ? undefined : BY_ID[id];
      if (fixed) {
        replace(ctx.jsonSchema as JsonSchema, { ...fixed });
        return;
      }
      const branches = unionBranches(node);
      if (branches)
        replace(ctx.jsonSchema as JsonSchema, { anyOf: branches.map((b) => jsonSchemaOf(b, io)) });
    },
  }) as JsonSchema;
}
