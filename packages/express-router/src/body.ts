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

function tooLarge(limit: number): HttpError {
  return HttpError.of('payload_too_large', `The request body is larger than ${limit} bytes`, { limit });
}

/**
 * The body's bytes, at most `limit` of them: a declared length over the limit is refused before
 * reading, and a body without one (chunked) is cut off at the limit. Only routes that take a body
 * read it; a body sent to any other route is never buffered. (Not `hono/body-limit`: it rebuilds
 * the request with the global `Request`, which rejects the bridge's request object when
 * @hono/node-server leaves the globals alone, as the Express mount does.)
 */
async function readBytes(request: Request, limit: number): Promise<Uint8Array> {
  const declared = request.headers.get('content-length');
  if (declared !== null && Number(declared) > limit) throw tooLarge(limit);
  if (!request.body) return new Uint8Array(0);
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel().catch(() => {});
      throw tooLarge(limit);
    }
    chunks.push(value);
  }
  const bytes = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return bytes;
}

/** Not UTF-8 is a malformed body, not text with replacement characters. */
const UTF8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });

/** The JSON object of a POST or PATCH body (`{}` when there is none), read up to `limit` bytes. */
export async function readJsonBody(request: Request, limit: number): Promise<Record<string, unknown>> {
  const bytes = await readBytes(request, limit);
  if (bytes.byteLength === 0) return {};
  const type = request.headers.get('content-type') ?? '';
  if (!JSON_CONTENT_TYPE.test(type)) {
    throw HttpError.of(
      'unsupported_media_type',
      `Expected a JSON body with Content-Type: application/json${type ? `, got ${type.slice(0, 64)}` : ''}`,
      { contentType: type.slice(0, 64) || null },
    );
  }
  let text: string;
  try {
    text = UTF8.decode(bytes);
  } catch {
    throw SeshnError.validation(
      [{ path: '', message: 'The body is not UTF-8' }],
      'The request body is not valid UTF-8',
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
