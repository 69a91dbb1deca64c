/**
 * From a call's arguments to an HTTP request: the one input object (the handle's call forms),
 * the path with its `{field}` segments filled in, and the rest as a query string (GET, DELETE)
 * or a JSON body (POST, PATCH) — the way `@seshn/express-router` reads them back.
 * @module
 */
import { SeshnError } from './errors.js';

/** What the client knows of one operation (an entry of `ROUTES`, plus its name). */
export interface Route {
  readonly name: string;
  readonly method: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  readonly path: string;
  readonly positional: readonly string[];
  readonly mutates: boolean;
  readonly public: boolean;
  readonly paginated: boolean;
}

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Date);

function validation(path: string, message: string): SeshnError {
  return new SeshnError({
    code: 'validation_failed',
    message: `Invalid input: ${path || 'input'}: ${message}`,
    details: { fields: [{ path, message }] },
  });
}

/**
 * The one input object a call's arguments stand for — the same rule as the embedded handle
 * (core's `inputOf`): `get(id)`, `cancel(id, { reason })`, `cancelOccurrence(id, 3)` or the
 * one-object form `get({ id })`.
 */
export function inputOf(route: Route, args: readonly unknown[]): unknown {
  const names = route.positional;
  if (names.length === 0) return args[0];
  if (args.length <= 1 && (args[0] === undefined || isPlainObject(args[0]))) return args[0] ?? {};
  const input: Record<string, unknown> = {};
  names.forEach((name, i) => {
    input[name] = args[i];
  });
  const rest = args[names.length];
  if (rest === undefined) return input;
  if (!isPlainObject(rest)) {
    throw validation('', `Expected an object after ${names.join(', ')} (the other fields of ${route.name})`);
  }
  return { ...rest, ...input };
}

/** One query value as text: instants as ISO 8601, objects as JSON, the rest as `String`. */
export function queryText(value: unknown): string {
  if (value instanceof Date) return value.toISOString();
  if (value !== null && typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

/**
 * `input` as a query string: arrays as repeated keys (`status=held&status=confirmed`), `undefined`
 * left out. An empty array sends nothing (the field is absent, as if not given).
 */
export function encodeQuery(input: Record<string, unknown>): string {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(input)) {
    if (value === undefined) continue;
    if (Array.isArray(value)) for (const item of value) params.append(name, queryText(item));
    else params.append(name, queryText(value));
  }
  const text = params.toString();
  return text === '' ? '' : `?${text}`;
}

export interface EncodedRequest {
  method: Route['method'];
  /** Path and query, relative to the base URL (`/bookings/bkg_…/cancel`). */
  path: string;
  /** The JSON body (POST, PATCH), else `undefined`. */
  body: string | undefined;
}

/** The request for `input` on `route`: path fields substituted, the other fields in the query or body. */
export function encodeRequest(route: Route, input: unknown): EncodedRequest {
  if (input !== undefined && !isPlainObject(input))
    throw validation('', `Expected an object for ${route.name}`);
  const rest: Record<string, unknown> = { ...(input ?? {}) };
  const path = route.path.replace(/\{(\w+)\}/g, (_, name: string) => {
    const value = rest[name];
    if (value === undefined || value === null || value === '') throw validation(name, 'Required');
    delete rest[name];
    return encodeURIComponent(queryText(value));
  });
  if (route.method === 'GET' || route.method === 'DELETE') {
    return { method: route.method, path: path + encodeQuery(rest), body: undefined };
  }
  return { method: route.method, path, body: JSON.stringify(rest) };
}
