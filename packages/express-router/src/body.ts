/**
 * The JSON body of a POST or PATCH: one object. An empty body is `{}` (so `POST
 * /bookings/{id}/confirm` needs none); anything else must say `application/json` and parse to an
 * object. Failures are the documented error shape, never the runtime's own parse error.
 * @module
 */
import { SeshnError } from '@seshn/core';
import { HttpError } from './errors.js';

/** `application/json`, `application/json; charset=utf-8`, or a `+json` type. */
const JSON_CONTENT_TYPE = /^application\/(?:[\w.+-]+\+)?json\s*(?:;|$)/i;

/** Reads the body text; the body limit is enforced by the handler's middleware before this runs. */
export async function readJsonBody(request: Request): Promise<Record<string, unknown>> {
  const text = await request.text();
  if (text.length === 0) return {};
  const type = request.headers.get('content-type') ?? '';
  if (!JSON_CONTENT_TYPE.test(type)) {
    throw HttpError.of(
      'unsupported_media_type',
      `Expected a JSON body with Content-Type: application/json${type ? `, got ${type.slice(0, 64)}` : ''}`,
      { contentType: type.slice(0, 64) || null },
    );
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw SeshnError.validation(
      [{ path: '', message: `Malformed JSON: ${(error as Error).message.slice(0, 120)}` }],
      'The request body is not valid JSON',
    );
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    const kind = value === null ? 'null' : Array.isArray(value) ? 'an array' : `a ${typeof value}`;
    throw SeshnError.validation([{ path: '', message: `Expected a JSON object, got ${kind}` }]);
  }
  if (depthOf(value) > MAX_DEPTH) {
    throw SeshnError.validation([{ path: '', message: `JSON nested deeper than ${MAX_DEPTH} levels` }]);
  }
  return value as Record<string, unknown>;
}

/**
 * No input of the table nests this deep; refusing it here keeps the recursive steps after this
 * (fingerprint, validation, storage) from overflowing the stack on a hostile body.
 */
const MAX_DEPTH = 64;

/** The nesting depth of parsed JSON, walked without recursion. */
function depthOf(root: unknown): number {
  let max = 0;
  const stack: Array<[unknown, number]> = [[root, 1]];
  while (stack.length > 0) {
    const [node, depth] = stack.pop() as [unknown, number];
    if (typeof node !== 'object' || node === null) continue;
    if (depth > max) max = depth;
    if (max > MAX_DEPTH) return max;
    for (const child of Object.values(node)) stack.push([child, depth + 1]);
  }
  return max;
}

/**
 * JSON with object keys sorted at every level: the same data gives the same text whatever order
 * the client wrote its fields in (the idempotency fingerprint).
 */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (typeof value === 'object' && value !== null) {
    const entries = Object.keys(value)
      .sort()
      .map((key) => `${JSON.stringify(key)}:${canonicalJson((value as Record<string, unknown>)[key])}`);
    return `{${entries.join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}
