/**
 * Query strings (and path segments) are text; operations take typed input. Each value is
 * coerced by the field's JSON Schema from the operation's input (`jsonSchemaOf`), not by a
 * per-route list, and only where the text is unambiguous: a value that does not read as the
 * field's type is passed on as text, so the operation's own validation names the field.
 * @module
 */
import type { JsonSchema } from './core.js';
import { type InputFields, itemsOf, typesOf } from './schema.js';

const NUMBER_RE = /^-?(?:\d+|\d*\.\d+)(?:[eE][+-]?\d+)?$/;

/** One text value as `field` takes it. */
export function coerceScalar(text: string, field: JsonSchema, defs: Record<string, JsonSchema>): unknown {
  const types = typesOf(field, defs);
  if (types.has('string') || types.has('any')) {
    // Text is already right; an object-taking `any` field (metadata) may be sent as JSON.
    if (types.has('any') && text.startsWith('{')) return parseJsonOr(text);
    return text;
  }
  if ((types.has('integer') || types.has('number')) && NUMBER_RE.test(text)) return Number(text);
  if (types.has('boolean') && (text === 'true' || text === 'false')) return text === 'true';
  if (types.has('null') && text === 'null') return null;
  if (types.has('object') && text.startsWith('{')) return parseJsonOr(text);
  return text;
}

function parseJsonOr(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/**
 * The values given for one field (`?status=held&status=confirmed`, or `?status=held,confirmed`)
 * as the field takes them: an array field gets an array (repeated or comma-separated), a
 * scalar field its one value (a repeated scalar stays an array, which its validation refuses).
 */
export function coerceField(values: string[], field: JsonSchema, defs: Record<string, JsonSchema>): unknown {
  const items = itemsOf(field, defs);
  const scalarToo = typesOf(field, defs).size > 1 || !items;
  if (items) {
    const parts = values.length > 1 ? values : values[0]!.includes(',') ? values[0]!.split(',') : null;
    // One value with no comma: the scalar form when the field has one (`status=held`), else a list of one.
    if (parts) return parts.map((v) => coerceScalar(v, items, defs));
    if (!scalarToo) return [coerceScalar(values[0]!, items, defs)];
  }
  if (values.length > 1) return values.map((v) => coerceScalar(v, field, defs));
  return coerceScalar(values[0]!, field, defs);
}

/**
 * The input fields a query string gives. Unknown names pass through as text, so a strict input
 * schema refuses them by name (`Unknown field`) rather than the router ignoring a typo.
 */
export function queryInput(params: URLSearchParams, fields: InputFields): Record<string, unknown> {
  // fromEntries defines own properties: a `__proto__` parameter is a field, not a prototype.
  return Object.fromEntries(
    [...new Set(params.keys())].map((name) => {
      const values = params.getAll(name);
      const field = fields.properties.get(name);
      const value = field ? coerceField(values, field, fields.defs) : values.length > 1 ? values : values[0];
      return [name, value];
    }),
  );
}

/** Path segments (`{id}`, `{index}`) coerced like query values. */
export function pathInput(params: Record<string, string>, fields: InputFields): Record<string, unknown> {
  const input: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(params)) {
    const field = fields.properties.get(name);
    input[name] = field ? coerceScalar(value, field, fields.defs) : value;
  }
  return input;
}
