/**
 * Generated malformed requests for the bad-input proof (bad-input.http.test.ts): every route of
 * the operation table, each request carrying one defect with the statuses a correct API answers
 * it with, plus a "chaos" mix of several defects at once where only the invariants are checked.
 *
 * A request to an operation that writes is always built so that a correct API refuses it (a
 * path id that is not one of the caller's, a body its input schema refuses, a key that may not
 * call it, …): a 2xx on such a request is a bug, and so is any row it changes.
 * @module
 */
import { operationList } from '@seshn/core';
import fc from 'fast-check';
// The JSON Schema of an operation's input, for its field names (core's root does not export it yet).
import { jsonSchemaOf } from '../../core/src/api/json-schema.js';

export const BASE_PATH = '/v1';

/** The error codes the HTTP API documents (core's `HTTP_STATUS` and the router's own), with their status. */
export const DOCUMENTED_CODES: Record<string, number> = {
  validation_failed: 400,
  unauthorized: 401,
  payment_failed: 402,
  forbidden: 403,
  not_found: 404,
  method_not_allowed: 405,
  slot_unavailable: 409,
  invalid_state: 409,
  insufficient_credits: 409,
  idempotency_conflict: 409,
  slot_available: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  rate_limited: 429,
  internal_error: 500,
  storage_error: 503,
};

/** The kinds of ids the routes take, with their prefixes. */
export const ID_PREFIX = {
  resource: 'rsc',
  service: 'svc',
  allocation: 'alc',
  contact: 'ct',
  booking: 'bkg',
  series: 'bks',
  apiKey: 'key',
  organization: 'org',
  audit: 'aud',
  event: 'evt',
} as const;
export type IdKind = keyof typeof ID_PREFIX;

/** What the generators know of the database under test. */
export interface FuzzWorld {
  /** Secrets of the caller's organization (A): the main key is `owner` (test mode). */
  keys: {
    owner: string;
    staff: string;
    readonly: string;
    publishable: string;
    revoked: string;
    /** A live-mode owner key of A (refused by test-mode-only operations). */
    live: string;
    /** A valid key of another organization (B), test mode. */
    other: string;
  };
  orgA: string;
  orgB: string;
  /** Ids of A's test mode, by kind (never used in the path or body of a write). */
  own: Partial<Record<IdKind, string[]>>;
  /** Real ids the caller must not reach: A's live mode and B's test mode. */
  foreign: Partial<Record<IdKind, string[]>>;
  /** A body each write would accept in A's test mode, by operation (ids swapped for foreign ones). */
  validBodies: Record<string, Record<string, unknown>>;
}

export interface FuzzCase {
  defect: string;
  op: string | null;
  method: string;
  /** Path and query, from `/`. */
  target: string;
  headers: [string, string][];
  body?: string | Uint8Array;
  /** Statuses a correct API answers with (any 4xx when absent). */
  expect?: readonly number[];
  /** The request reaches an operation that writes: anything but a refusal is a bug. */
  mustRefuse: boolean;
}

export interface Route {
  name: string;
  group: string;
  method: string;
  path: string;
  segments: string[];
  mutates: boolean;
  permission: 'read' | 'write' | 'admin';
  public: boolean;
  testModeOnly: boolean;
  fields: string[];
  required: string[];
  input: { safeParse(value: unknown): { success: boolean } };
}

type Json = Record<string, unknown>;

function fieldsOf(schema: Json): { fields: string[]; required: string[] } {
  const defs = (schema.$defs ?? {}) as Record<string, Json>;
  const resolve = (node: Json): Json => {
    let n = node;
    for (let i = 0; i < 8 && typeof n.$ref === 'string'; i++) {
      const name = n.$ref.slice(n.$ref.lastIndexOf('/') + 1);
      n = { ...((n.$defs as Record<string, Json>)?.[name] ?? defs[name] ?? {}) };
    }
    return n;
  };
  const top = resolve(schema);
  const branches = Array.isArray(top.anyOf) ? (top.anyOf as Json[]).map(resolve) : [top];
  const fields = new Set<string>();
  const requiredBy = branches.map((b) => new Set((b.required ?? []) as string[]));
  for (const b of branches) for (const f of Object.keys((b.properties ?? {}) as Json)) fields.add(f);
  // Required: what every branch requires.
  const required = [...(requiredBy[0] ?? [])].filter((f) => requiredBy.every((r) => r.has(f)));
  return { fields: [...fields], required };
}

/** Every route of the operation table (operations with an HTTP binding). */
export function tableRoutes(): Route[] {
  return operationList.flatMap((op) => {
    const spec = op as typeof op & {
      http: { method: string; path: string } | null;
      public?: boolean;
      testModeOnly?: boolean;
    };
    if (!spec.http) return [];
    const { fields, required } = fieldsOf(jsonSchemaOf(op.input, 'input'));
    return [
      {
        name: op.name,
        group: op.name.split('.')[0] as string,
        method: spec.http.method,
        path: spec.http.path,
        segments: spec.http.path.split('/').slice(1),
        mutates: op.mutates,
        permission: op.permission,
        public: spec.public === true,
        testModeOnly: spec.testModeOnly === true,
        fields,
        required,
        input: op.input,
      },
    ];
  });
}

const GROUP_KIND: Record<string, IdKind> = {
  resources: 'resource',
  services: 'service',
  allocations: 'allocation',
  contacts: 'contact',
  bookings: 'booking',
  bookingSeries: 'series',
  apiKeys: 'apiKey',
};

/** The kind of id a path field names (`{id}` by the route's group, `{serviceId}`, …), or null (`{index}`). */
export function pathKind(route: Route, field: string): IdKind | null {
  if (field === 'id') return GROUP_KIND[route.group] ?? null;
  if (field.endsWith('Id'))
    return (field.slice(0, -2) as IdKind) in ID_PREFIX ? (field.slice(0, -2) as IdKind) : null;
  return null;
}

/** The methods any route answers at `segments` (raw path segments after the base path). */
export function methodsAt(routes: readonly Route[], segments: readonly string[]): Set<string> {
  const out = new Set<string>();
  for (const r of routes) {
    if (r.segments.length !== segments.length) continue;
    if (r.segments.every((s, i) => (s.startsWith('{') ? segments[i] !== '' : s === segments[i])))
      out.add(r.method);
  }
  return out;
}

// ── Values ─────────────────────────────────────────────────────────────────────────────────────

const NASTY_TEXT = [
  '',
  ' ',
  '\u0000',
  'a\u0000b',
  '\uD800',
  '\uDFFF',
  'x\uD83D',
  '\uDE00y',
  '\u202Eevil\u202C',
  '\u200F\u200E\u2067',
  '\uFEFF',
  '\u0301',
  'e\u0301\u0301\u0301',
  '𝕊𝖊𝖘𝖍𝖓 🧘‍♀️',
  'مرحبا',
  '\r\n\t',
  'null',
  'undefined',
  'NaN',
  'Infinity',
  '-0',
  '1e309',
  '__proto__',
  'constructor',
  '{"$ne":null}',
  "'; DROP TABLE seshn_bookings; --",
  '%00',
  '../../etc/passwd',
  '<script>alert(1)</script>',
  '2030-02-30T25:61:00Z',
  '0000-00-00',
  '2030-01-07T10:00:00+99:00',
  '9999-12-31T23:59:59.999Z',
  '10000-01-01T00:00:00Z',
  '2030-01-07',
  '2030-01-07T10:00:00Z',
  'FREQ=SECONDLY;COUNT=99999999',
  'FREQ=DAILY;UNTIL=99991231T000000Z',
];

const HUGE = [300, 5_000, 70_000].map((n) => 'x'.repeat(n));
const HUGE_UNICODE = ['\uD800', '🧘', 'é', '\u0000', '\u202E'].map((c) => c.repeat(3_000));
const nastyString: fc.Arbitrary<string> = fc.oneof(
  { weight: 8, arbitrary: fc.constantFrom(...NASTY_TEXT) },
  { weight: 4, arbitrary: fc.string({ unit: 'binary', maxLength: 30 }) },
  { weight: 1, arbitrary: fc.constantFrom(...HUGE) },
  { weight: 1, arbitrary: fc.constantFrom(...HUGE_UNICODE) },
);

const nastyNumber: fc.Arbitrary<number> = fc.oneof(
  fc.constantFrom(
    0,
    -0,
    -1,
    1.5,
    0.1,
    1e308,
    -1e308,
    2 ** 53 + 2,
    5e-324,
    100_001,
    2 ** 32,
    1e21,
    -2147483649,
  ),
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
);

function ownKey(): fc.Arbitrary<string> {
  return fc.oneof(
    fc.constantFrom(
      '__proto__',
      'constructor',
      'prototype',
      'toString',
      'hasOwnProperty',
      '',
      ' ',
      'ID',
      'Id',
    ),
    fc.constantFrom(
      'organizationId',
      'mode',
      'scope',
      'principal',
      'role',
      '$where',
      'a.b',
      '\u0000',
      '\uD800',
    ),
    fc.string({ maxLength: 12 }),
  );
}

/** An object with own properties (a `__proto__` key stays a key, as JSON.parse makes it). */
export function objectOf(entries: readonly (readonly [string, unknown])[]): Json {
  const o: Json = {};
  for (const [k, v] of entries)
    Object.defineProperty(o, k, { value: v, enumerable: true, writable: true, configurable: true });
  return o;
}

/** Strings of `alphabet` (cheaper than `fc.stringMatching`, which rebuilds its parser per call). */
function charsOf(alphabet: string, minLength: number, maxLength: number): fc.Arbitrary<string> {
  return fc.string({ unit: fc.constantFrom(...alphabet), minLength, maxLength });
}
const TYPEID = '0123456789abcdefghjkmnpqrstvwxyz';
const typeIdBody = charsOf(TYPEID, 26, 26);
const BASE64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-';

/** Memoized per world: the arbitraries below are built once, not per draw. */
const memo = new WeakMap<FuzzWorld, Map<string, fc.Arbitrary<unknown>>>();
function once<T>(world: FuzzWorld, key: string, make: () => fc.Arbitrary<T>): fc.Arbitrary<T> {
  let m = memo.get(world);
  if (!m) {
    m = new Map();
    memo.set(world, m);
  }
  if (!m.has(key)) m.set(key, make());
  return m.get(key) as fc.Arbitrary<T>;
}

function idsArb(world: FuzzWorld): fc.Arbitrary<string> {
  return once(world, 'ids', () => idsArbOf(world));
}

function idsArbOf(world: FuzzWorld): fc.Arbitrary<string> {
  const all = [...Object.values(world.own).flat(), ...Object.values(world.foreign).flat()];
  return fc.oneof(
    fc.constantFrom(...all),
    fc.constantFrom(...Object.values(ID_PREFIX)).chain((p) => typeIdBody.map((s) => `${p}_${s}`)),
  );
}

function nastyValue(world: FuzzWorld): fc.Arbitrary<unknown> {
  return once(world, 'nasty', () => nastyValueOf(world));
}

function nastyValueOf(world: FuzzWorld): fc.Arbitrary<unknown> {
  const { value } = fc.letrec<{ value: unknown }>((tie) => ({
    value: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      nastyString,
      nastyNumber,
      fc.boolean(),
      fc.constant(null),
      idsArb(world),
      fc.array(tie('value'), { maxLength: 4 }),
      fc.array(fc.tuple(ownKey(), tie('value')), { maxLength: 4 }).map(objectOf),
    ),
  }));
  return value;
}

/** A body of `route`'s own field names with nasty values (valid or not; see `refusedBody`). */
function noisyBody(world: FuzzWorld, route: Route): fc.Arbitrary<Json> {
  return once(world, `noisy:${route.name}`, () => noisyBodyOf(world, route));
}

function noisyBodyOf(world: FuzzWorld, route: Route): fc.Arbitrary<Json> {
  const names = route.fields.length > 0 ? route.fields : ['x'];
  return fc
    .array(fc.tuple(fc.constantFrom(...names), nastyValue(world)), {
      maxLength: Math.min(6, names.length + 1),
    })
    .map(objectOf);
}

/** The input the operation would see: the body with the path fields over it. */
function inputOf(body: Json, path: Record<string, string>): Json {
  const input: Json = { ...body };
  for (const [k, v] of Object.entries(path)) input[k] = /^\d+$/.test(v) ? Number(v) : decodeSafe(v);
  return input;
}

function decodeSafe(v: string): string {
  try {
    return decodeURIComponent(v);
  } catch {
    return v;
  }
}

/** A JSON object body the operation's input schema refuses (with the path's fields merged in). */
function refusedBody(world: FuzzWorld, route: Route, path: Record<string, string>): fc.Arbitrary<Json> {
  return once(world, `refused:${route.name}`, () => candidateBodies(world, route)).filter(
    (b) => !route.input.safeParse(inputOf(b, path)).success,
  );
}

function candidateBodies(world: FuzzWorld, route: Route): fc.Arbitrary<Json> {
  const extra = fc
    .tuple(
      noisyBody(world, route),
      ownKey().filter((k) => !route.fields.includes(k)),
      nastyValue(world),
    )
    .map(([b, k, v]) => objectOf([...Object.entries(b), [k, v]]));
  const missing = noisyBody(world, route).map((b) => {
    const copy = { ...b };
    for (const f of route.required) delete copy[f];
    return copy;
  });
  const wrongType = fc
    .tuple(
      noisyBody(world, route),
      fc.constantFrom(...(route.fields.length ? route.fields : ['x'])),
      nastyValue(world),
    )
    .map(([b, k, v]) => objectOf([...Object.entries(b), [k, v]]));
  const validKeys = Object.keys(world.validBodies[route.name] ?? {});
  const fromValid = validKeys.length
    ? fc
        .tuple(fc.constantFrom(...validKeys), nastyValue(world))
        .map(([k, v]) => objectOf([...Object.entries(world.validBodies[route.name]!), [k, v]]))
    : noisyBody(world, route);
  const validPlusExtra = world.validBodies[route.name]
    ? fc
        .tuple(
          ownKey().filter((k) => !route.fields.includes(k)),
          nastyValue(world),
        )
        .map(([k, v]) => objectOf([...Object.entries(world.validBodies[route.name]!), [k, v]]))
    : extra;
  return fc.oneof(extra, missing, wrongType, fromValid, validPlusExtra);
}

/** A valid body of `route` with every id swapped for a foreign one of the same kind. */
function foreignBody(world: FuzzWorld, route: Route): fc.Arbitrary<Json> | null {
  const valid = world.validBodies[route.name];
  if (!valid) return null;
  const idFields = Object.entries(valid).filter(([, v]) => typeof v === 'string' && kindOfId(v) !== null);
  const arrayFields = Object.entries(valid).filter(
    ([, v]) => Array.isArray(v) && v.every((x) => typeof x === 'string' && kindOfId(x)),
  );
  if (idFields.length + arrayFields.length === 0) return null;
  const swap = (id: string) => foreignOf(world, kindOfId(id)!);
  return fc
    .tuple(
      ...idFields.map(([, v]) => swap(v as string)),
      ...arrayFields.map(([, v]) => fc.tuple(...(v as string[]).map(swap))),
    )
    .map((swapped) => {
      const out: Json = { ...valid };
      [...idFields, ...arrayFields].forEach(([k], i) => {
        out[k] = swapped[i];
      });
      return out;
    });
}

export function kindOfId(id: string): IdKind | null {
  const prefix = id.slice(0, id.indexOf('_'));
  const entry = Object.entries(ID_PREFIX).find(([, p]) => p === prefix);
  return entry ? (entry[0] as IdKind) : null;
}

/** A real id of `kind` out of the caller's reach, or a well-formed one that exists nowhere. */
function foreignOf(world: FuzzWorld, kind: IdKind): fc.Arbitrary<string> {
  return once(world, `foreign:${kind}`, () => foreignOfKind(world, kind));
}

function foreignOfKind(world: FuzzWorld, kind: IdKind): fc.Arbitrary<string> {
  const real = world.foreign[kind] ?? [];
  const made = typeIdBody.map((s) => `${ID_PREFIX[kind]}_${s}`);
  return real.length
    ? fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...real) }, { weight: 1, arbitrary: made })
    : made;
}

/** A path segment that is not one of the caller's ids (for writes): malformed, foreign, or of another kind. */
function badSegment(world: FuzzWorld, kind: IdKind | null, socket: boolean): fc.Arbitrary<string> {
  const otherKind = Object.entries(world.own)
    .filter(([k]) => k !== kind)
    .flatMap(([, ids]) => ids ?? []);
  const raw = fc.oneof(
    fc.constantFrom(
      '%2F',
      'a%2Fb',
      '..%2F..%2Fbookings',
      '%00',
      '%ZZ',
      '%',
      '%C0%AF',
      '%ED%A0%80',
      '%EF%BF%BF',
      '%E2%80%AE',
      'null',
      'undefined',
      '__proto__',
      'constructor',
      '-1',
      '1e309',
      'NaN',
      '0x10',
      '1.5',
      '99999999999999999999',
      '%20',
      '*',
      ';',
      'search',
      'bkg_',
      'bkg_%2F..',
      'BKG_01JABCDEFGHJKMNPQRSTVWXYZ',
    ),
    fc
      .string({ unit: 'binary', minLength: 1, maxLength: 40 })
      .map((s) => encodeURIComponent(s.replaceAll(/[\uD800-\uDFFF]/g, '\uFFFD'))),
    fc
      .constantFrom(200, socket ? 2_000 : 20_000)
      .map((n) => `${kind ? ID_PREFIX[kind] : 'x'}_${'a'.repeat(n)}`),
  );
  return fc.oneof(
    { weight: 3, arbitrary: raw },
    { weight: 2, arbitrary: kind ? foreignOf(world, kind) : fc.constantFrom('1000001', '-1', '1.5', 'x') },
    ...(otherKind.length ? [{ weight: 1, arbitrary: fc.constantFrom(...otherKind) }] : []),
  );
}

/** A path segment for a read: the caller's own id mostly, sometimes a bad one. */
function readSegment(world: FuzzWorld, kind: IdKind | null, socket: boolean): fc.Arbitrary<string> {
  const own = kind ? (world.own[kind] ?? []) : [];
  const good = kind
    ? own.length
      ? fc.constantFrom(...own)
      : foreignOf(world, kind)
    : fc.constantFrom('0', '1', '2');
  return fc.oneof({ weight: 2, arbitrary: good }, { weight: 1, arbitrary: badSegment(world, kind, socket) });
}

function renderPath(route: Route, values: Record<string, string>): string {
  return `${BASE_PATH}/${route.segments.map((s) => (s.startsWith('{') ? values[s.slice(1, -1)] : s)).join('/')}`;
}

function pathFieldsOf(route: Route): string[] {
  return route.segments.filter((s) => s.startsWith('{')).map((s) => s.slice(1, -1));
}

function pathArb(
  world: FuzzWorld,
  route: Route,
  mode: 'bad' | 'read' | 'foreign',
  socket: boolean,
): fc.Arbitrary<Record<string, string>> {
  const fields = pathFieldsOf(route);
  if (fields.length === 0) return fc.constant({});
  return fc
    .tuple(
      ...fields.map((f, i) => {
        const kind = pathKind(route, f);
        if (mode === 'foreign' && i === 0 && kind) return foreignOf(world, kind);
        if (mode === 'foreign') return fc.constantFrom('0', '1');
        return mode === 'bad' && i === 0 ? badSegment(world, kind, socket) : readSegment(world, kind, socket);
      }),
    )
    .map((values) => Object.fromEntries(fields.map((f, i) => [f, values[i] as string])));
}

// ── Query strings ──────────────────────────────────────────────────────────────────────────────

const QUERY_VALUES = [
  'NaN',
  'Infinity',
  '-Infinity',
  '-0',
  '1e309',
  '9'.repeat(400),
  '0x1F',
  '1_000',
  '',
  'true',
  'false',
  'null',
  '[]',
  '{}',
  '{"__proto__":{"polluted":1}}',
  '[object Object]',
  ',,,',
  'held,,confirmed',
  '2030-02-30',
  '2030-01-07T10:00:00Z',
  '1900-01-01',
  '-1',
  '101',
  '1.5',
  '%',
  '%00',
];

function queryArb(world: FuzzWorld, route: Route | null, socket: boolean): fc.Arbitrary<string> {
  const names = fc.oneof(
    ...(route?.fields.length ? [fc.constantFrom(...route.fields)] : []),
    fc.constantFrom(
      '__proto__',
      'constructor',
      'prototype',
      'hasOwnProperty',
      '',
      'a[b]',
      'limit[]',
      'toString',
      'x',
    ),
    fc.string({ maxLength: 8 }),
  );
  const values = fc.oneof(
    fc.constantFrom(...QUERY_VALUES),
    idsArb(world),
    nastyString.map((s) => (socket ? s.slice(0, 600) : s)),
  );
  const pair = fc.tuple(names, values).map(([k, v]) => {
    const p = new URLSearchParams();
    p.append(k, v);
    return p.toString();
  });
  // Hand-made pieces URLSearchParams would never write: bad escapes, bare keys, empty pairs.
  const rawPiece = fc.constantFrom(
    'limit=%',
    'limit=%ZZ',
    'from=%ED%A0%80',
    '&&&',
    '=',
    '==',
    'limit',
    'limit=1&limit=2&limit=3',
    `limit=${'1'.repeat(5000)}`,
  );
  const repeated = fc
    .tuple(names, values, fc.integer({ min: 2, max: socket ? 20 : 300 }))
    .map(([k, v, n]) => {
      const p = new URLSearchParams();
      for (let i = 0; i < n; i++) p.append(k, v);
      return p.toString();
    });
  return fc
    .array(
      fc.oneof(
        { weight: 4, arbitrary: pair },
        { weight: 1, arbitrary: rawPiece },
        { weight: 1, arbitrary: repeated },
      ),
      {
        minLength: 1,
        maxLength: 6,
      },
    )
    .map((parts) => `?${parts.join('&')}`);
}

// ── Requests ───────────────────────────────────────────────────────────────────────────────────

const JSON_TYPE = 'application/json';

const BROKEN_JSON = [
  '{',
  '}',
  '{"a":}',
  "{'name':'x'}",
  '{"name":"x",}',
  '[1,',
  'undefined',
  'NaN',
  '{"name":"x"}garbage',
  '{"name":"x"}{"name":"y"}',
  '\u0000',
  '{"name":"\u0000\u0001',
  '{"a":1e999999}x',
  '{"name": "unterminated}',
  '<xml/>',
  'name=x',
  '\uD800',
  ' ',
  '{"a":"\\uD800"',
  '\\',
];

const NON_OBJECT_JSON = [
  '[]',
  '[{}]',
  '1',
  '-0',
  '1e999',
  '"text"',
  '""',
  'null',
  'true',
  'false',
  '[null]',
  '"{}"',
];

const WRONG_TYPES = [
  'text/plain',
  'text/plain;charset=UTF-8',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=xyz',
  'application/xml',
  'text/json',
  'image/png',
  'application/octet-stream',
  'application/jsonx',
  'json',
  '*/*',
];

function authHeaders(key: string): [string, string][] {
  return [['authorization', `Bearer ${key}`]];
}

function garbageAuth(world: FuzzWorld): fc.Arbitrary<[string, string][]> {
  return once(world, 'garbageAuth', () => garbageAuthOf(world));
}

const randomSecret = charsOf(BASE64URL, 43, 43);

function garbageAuthOf(world: FuzzWorld): fc.Arbitrary<[string, string][]> {
  const k = world.keys.owner;
  return fc.oneof(
    fc.constant<[string, string][]>([]),
    fc
      .constantFrom(
        '',
        'Bearer',
        'Bearer ',
        'Basic dXNlcjpwYXNz',
        `Basic ${Buffer.from(`${k}:`).toString('base64')}`,
        'Bearer sk_test_',
        'Bearer pk_live_',
        'Bearer sk_live_x',
        `Bearer ${k.slice(0, -1)}`,
        `Bearer ${k}x`,
        `Bearer ${k.toUpperCase()}`,
        `Bearer ${k.replace('sk_test_', 'sk_live_')}`,
        `Token ${k}`,
        k,
        `Bearer ${k}, Bearer ${k}`,
        `Bearer ${'A'.repeat(10_000)}`,
        `Bearer ${'é'.repeat(40)}`,
        'Bearer null',
        'Bearer undefined',
        `Bearer ${world.keys.revoked}`,
        `Bearer ${world.keys.revoked}`,
      )
      .map((v) => [['authorization', v]] as [string, string][]),
    fc
      .tuple(randomSecret, fc.constantFrom('sk_test_', 'sk_live_', 'pk_test_'))
      .map(([s, p]) => `${p}${s}`)
      .map((s) => [['authorization', `Bearer ${s}`]] as [string, string][]),
  );
}

export interface Generators {
  /** One defect per request, with the statuses a correct API answers it with. */
  single: fc.Arbitrary<FuzzCase>;
  /** Several defects at once: only the invariants (no 5xx, the shape, no write) are checked. */
  chaos: fc.Arbitrary<FuzzCase>;
  /** Writes refused inside the operation (foreign ids, a key without the permission), each with an Idempotency-Key. */
  keyedRefusals: fc.Arbitrary<FuzzCase>;
}

export function generators(world: FuzzWorld, options: { socket?: boolean } = {}): Generators {
  const socket = options.socket === true;
  const routes = tableRoutes();
  const routeArb = fc.constantFrom(...routes);
  const writes = routes.filter((r) => r.mutates);
  const bodyRoutes = routes.filter((r) => r.method === 'POST' || r.method === 'PATCH');
  const owner = authHeaders(world.keys.owner);
  const jsonHeaders: [string, string][] = [...owner, ['content-type', JSON_TYPE]];
  const goodKey = charsOf(BASE64URL.replace('_', ''), 1, 40);
  // Keys out of the documented form (1–255 visible ASCII): only in chaos, where they are one defect among others.
  const idemKey = fc.oneof(
    goodKey,
    fc.constantFrom('é', ' x ', '', 'a'.repeat(256), '\u00ff'.repeat(10), 'a\tb'),
  );
  const idemOf = (route: Route, keys: fc.Arbitrary<string>) =>
    route.method === 'POST'
      ? fc.option(
          keys.map((k): [string, string] => ['idempotency-key', k]),
          { nil: undefined },
        )
      : fc.constant(undefined);
  // Only on writes: a read answered 200 under a key would store that answer (a legitimate row).
  const maybeIdem = (route: Route) => (route.mutates ? idemOf(route, goodKey) : fc.constant(undefined));
  const withIdem = (h: [string, string][], extra: [string, string] | undefined) =>
    extra ? [...h, extra] : h;

  /** Path + query for a route: bad path for writes, any for reads. */
  const target = (route: Route, path: Record<string, string>, query = '') =>
    `${renderPath(route, path)}${query}`;
  const pathFor = (route: Route) => pathArb(world, route, route.mutates ? 'bad' : 'read', socket);

  /** A body for a route whose other parts carry the defect: a refused one for writes, noise for reads. */
  const bodyFor = (route: Route, path: Record<string, string>) =>
    route.mutates ? refusedBody(world, route, path) : noisyBody(world, route);

  const caseOf = (
    defect: string,
    route: Route | null,
    method: string,
    t: string,
    headers: [string, string][],
    body: string | Uint8Array | undefined,
    expect: readonly number[] | undefined,
    mustRefuse = route?.mutates ?? false,
  ): FuzzCase => ({
    defect,
    op: route?.name ?? null,
    method,
    target: t,
    headers,
    ...(body === undefined ? {} : { body }),
    ...(expect ? { expect } : {}),
    mustRefuse,
  });

  const requestParts = (route: Route, path: Record<string, string>) =>
    route.method === 'GET' || route.method === 'DELETE'
      ? fc.constant({ body: undefined as string | undefined, headers: owner })
      : bodyFor(route, path).map((b) => ({
          body: JSON.stringify(b) as string | undefined,
          headers: jsonHeaders,
        }));

  // 1. Authentication: missing, malformed, unknown or revoked keys (everything else fine).
  const authBad = routeArb.chain((route) =>
    pathFor(route).chain((path) =>
      fc
        .tuple(garbageAuth(world), requestParts(route, path), maybeIdem(route))
        .map(([auth, parts, idem]) =>
          caseOf(
            'auth:bad-key',
            route,
            route.method,
            target(route, path),
            withIdem([...auth, ...parts.headers.filter(([h]) => h !== 'authorization')], idem),
            parts.body,
            [401],
          ),
        ),
    ),
  );

  // 2. A real key that may not call the operation: readonly/staff/publishable/anonymous, live on test-only.
  const weakFor = (route: Route): fc.Arbitrary<{ headers: [string, string][]; expect: number[] }> | null => {
    const options: fc.Arbitrary<{ headers: [string, string][]; expect: number[] }>[] = [];
    if (route.permission !== 'read')
      options.push(fc.constant({ headers: authHeaders(world.keys.readonly), expect: [403] }));
    if (route.permission === 'admin')
      options.push(fc.constant({ headers: authHeaders(world.keys.staff), expect: [403] }));
    if (!route.public) {
      options.push(fc.constant({ headers: authHeaders(world.keys.publishable), expect: [403] }));
      options.push(
        fc.constantFrom(world.orgA, world.orgB, 'org_nope', 'garbage', '').chain((org) =>
          fc
            .constantFrom<[string, string][]>(
              [],
              [['seshn-mode', 'test']],
              [['seshn-mode', 'live']],
              [['seshn-mode', 'bogus']],
            )
            .map((m) => ({
              headers: [['seshn-organization', org] as [string, string], ...m],
              // A Seshn-Mode that is neither live nor test is a malformed header: 400 is right too.
              expect: m.length && m[0]![1] === 'bogus' ? [400, 401, 403] : [401, 403],
            })),
        ),
      );
    }
    if (route.testModeOnly)
      options.push(fc.constant({ headers: authHeaders(world.keys.live), expect: [403] }));
    return options.length ? fc.oneof(...options) : null;
  };
  const weakRoutes = routes.filter((r) => weakFor(r) !== null);
  const authWeak = fc.constantFrom(...weakRoutes).chain((route) =>
    // A valid body where there is one: only the key may refuse it.
    fc
      .tuple(
        weakFor(route)!,
        route.testModeOnly || world.validBodies[route.name] || !route.mutates
          ? pathArb(world, route, 'read', socket)
          : pathArb(world, route, 'bad', socket),
      )
      .chain(([weak, path]) =>
        (route.method === 'POST' || route.method === 'PATCH'
          ? world.validBodies[route.name]
            ? fc.constant(JSON.stringify(world.validBodies[route.name]))
            : bodyFor(route, path).map((b) => JSON.stringify(b))
          : fc.constant(undefined)
        ).map((body) =>
          caseOf(
            'auth:not-allowed',
            route,
            route.method,
            target(route, path),
            // No Idempotency-Key: a 403 may be stored under it as the operation's outcome (keyedRefusals).
            [
              ...weak.headers,
              ...(body === undefined ? [] : ([['content-type', JSON_TYPE]] as [string, string][])),
            ],
            body,
            weak.expect,
          ),
        ),
      ),
  );

  // 3. Wrong methods on real paths (the caller's own ids in them): 405.
  // (`new Request` upper-cases get/post/put/delete itself; a lower-case `patch` stays another method.)
  const allMethods = socket
    ? ['GET', 'POST', 'PATCH', 'DELETE', 'PUT']
    : ['GET', 'POST', 'PATCH', 'DELETE', 'PUT', 'FROB', 'patch', 'M-SEARCH'];
  const wrongMethod = routeArb
    .chain((route) =>
      pathArb(world, route, 'read', socket).chain((path) => {
        const segments = renderPath(route, path)
          .slice(BASE_PATH.length + 1)
          .split('/');
        const allowed = methodsAt(routes, segments);
        const wrong = allMethods.filter((m) => !allowed.has(m));
        if (wrong.length === 0) return fc.constant(null);
        return fc
          .tuple(
            fc.constantFrom(...wrong),
            fc.option(fc.constantFrom('{}', '{"name":"x"}'), { nil: undefined }),
          )
          .map(([m, body]) =>
            caseOf(
              'method:wrong',
              route,
              m,
              target(route, path),
              body === undefined || m === 'GET' ? owner : jsonHeaders,
              m === 'GET' ? undefined : body,
              [405],
              false,
            ),
          );
      }),
    )
    .filter((c): c is FuzzCase => c !== null);

  // 4. Unknown routes: 404.
  const unknownRoute = fc
    .constantFrom(
      ...[
        '/v1/nope',
        '/v1/bookings/%2e%2e/cancel',
        '/v1',
        '/v1/',
        '/v1/bookings/x/y/z',
        '/v1/BOOKINGS',
        '/v1/bookings%2Fbkg_x',
        '/v1/api-keys/x/y',
        '/v1/organizations',
        '/v1/__proto__',
        '/v1/constructor',
        '/v1/openapi.json/x',
        '/v1/%ZZ',
        `/v1/${'a'.repeat(socket ? 2000 : 50_000)}`,
      ],
      ...(socket ? [] : ['/', '/v2/bookings', '/bookings', '/v1bookings', '/admin']),
    )
    .chain((path) =>
      fc
        .constantFrom('GET', 'POST', 'DELETE')
        .map((m) =>
          caseOf(
            'route:unknown',
            null,
            m,
            path,
            m === 'POST' ? jsonHeaders : owner,
            m === 'POST' ? '{}' : undefined,
            [404],
            false,
          ),
        ),
    );

  // 5. Bodies that are not JSON objects, or not JSON at all, or not said to be JSON: 400 / 415.
  const bodyRouteArb = fc.constantFrom(...bodyRoutes);
  const pathForBody = (route: Route) =>
    pathArb(world, route, route.mutates && !world.validBodies[route.name] ? 'bad' : 'read', socket);
  const validOrNoise = (route: Route, path: Record<string, string>) =>
    world.validBodies[route.name] ? fc.constant(world.validBodies[route.name]!) : bodyFor(route, path);
  const brokenJson = bodyRouteArb.chain((route) =>
    fc
      .tuple(pathForBody(route), fc.constantFrom(...BROKEN_JSON), maybeIdem(route))
      .map(([path, text, idem]) =>
        caseOf(
          'json:malformed',
          route,
          route.method,
          target(route, path),
          withIdem(jsonHeaders, idem),
          text,
          [400],
        ),
      ),
  );
  const badBytes = bodyRouteArb.chain((route) =>
    fc
      .tuple(pathForBody(route), fc.constantFrom([0xff, 0xfe], [0xc0, 0xaf], [0xed, 0xa0, 0x80], [0x80]))
      .map(([path, bytes]) =>
        caseOf(
          'json:invalid-utf8',
          route,
          route.method,
          target(route, path),
          jsonHeaders,
          // `{"name":"<bytes>"`: broken twice (bad UTF-8, no closing brace) so every reading refuses it.
          Uint8Array.from([...Buffer.from('{"name":"'), ...bytes, ...Buffer.from('"')]),
          [400],
        ),
      ),
  );
  const nonObject = bodyRouteArb.chain((route) =>
    fc
      .tuple(pathForBody(route), fc.constantFrom(...NON_OBJECT_JSON), maybeIdem(route))
      .map(([path, text, idem]) =>
        caseOf(
          'json:not-an-object',
          route,
          route.method,
          target(route, path),
          withIdem(jsonHeaders, idem),
          text,
          [400],
        ),
      ),
  );
  const deepJson = bodyRouteArb.chain((route) =>
    fc
      .tuple(pathForBody(route), fc.constantFrom(1_000, 20_000, 100_000), fc.boolean(), maybeIdem(route))
      .map(([path, depth, arrays, idem]) =>
        caseOf(
          'json:deep',
          route,
          route.method,
          target(route, path),
          withIdem(jsonHeaders, idem),
          arrays
            ? `{"metadata":${'['.repeat(depth)}${']'.repeat(depth)}}`
            : `{"metadata":${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}}`,
          // Refused by the body's validation (400) or by its size (413: 100,000 levels of {"a": is 500 kB, under the cap).
          [400, 413],
        ),
      ),
  );
  const wrongType = bodyRouteArb.chain((route) =>
    fc.tuple(pathForBody(route), maybeIdem(route)).chain(([path, idem]) =>
      fc
        .tuple(
          validOrNoise(route, path),
          fc.oneof(
            fc.constantFrom(...WRONG_TYPES).map((t) => [['content-type', t]] as [string, string][]),
            fc.constant<[string, string][]>([]),
          ),
        )
        .map(([body, type]) =>
          caseOf(
            'content-type:wrong',
            route,
            route.method,
            target(route, path),
            withIdem([...owner, ...type], idem),
            // Bytes, so the Request does not add a text/plain type of its own.
            Buffer.from(JSON.stringify(body)),
            [415],
          ),
        ),
    ),
  );
  const oversized = bodyRouteArb.chain((route) =>
    fc
      .tuple(pathForBody(route), fc.constantFrom(1_048_577, 1_500_000), maybeIdem(route))
      .map(([path, n, idem]) =>
        caseOf(
          'body:too-large',
          route,
          route.method,
          target(route, path),
          withIdem(jsonHeaders, idem),
          JSON.stringify({ ...(world.validBodies[route.name] ?? {}), notes: 'x'.repeat(n) }),
          [413],
        ),
      ),
  );

  // 6. JSON objects the operation's input refuses: wrong types, missing and unknown fields, nasty strings: 400.
  const invalidBody = bodyRouteArb.chain((route) =>
    pathFor(route).chain((path) =>
      fc.tuple(refusedBody(world, route, path), maybeIdem(route)).map(([body, idem]) =>
        caseOf(
          'body:invalid',
          route,
          route.method,
          target(route, path),
          withIdem(jsonHeaders, idem),
          JSON.stringify(body),
          // A path id of another kind or malformed is refused by validation too; a foreign one may be looked up first.
          pathFieldsOf(route).length ? [400, 404] : [400],
        ),
      ),
    ),
  );

  // 7. Ids: malformed path ids (400/404), and foreign real ids (other tenant, other mode) in paths and bodies: 404.
  const badPathId = routes.filter((r) => pathFieldsOf(r).length > 0);
  const malformedId = fc
    .constantFrom(...badPathId)
    .chain((route) =>
      pathArb(world, route, 'bad', socket).chain((path) =>
        requestParts(route, path).map((parts) =>
          caseOf(
            'id:malformed-or-foreign',
            route,
            route.method,
            target(route, path),
            parts.headers,
            parts.body,
            [400, 404],
          ),
        ),
      ),
    );
  const foreignRoutes = routes.filter(
    (r) => pathFieldsOf(r).some((f) => pathKind(r, f)) || foreignBody(world, r) !== null,
  );
  const foreignId = foreignRequest(world, foreignRoutes, socket, (route, path, body) =>
    caseOf(
      'id:foreign',
      route,
      route.method,
      target(route, path),
      body === undefined ? owner : jsonHeaders,
      body,
      [404],
    ),
  );

  // 8. Absurd query strings on reads (and on deletes, whose path is then not the caller's): 200 or 400.
  const queryRoutes = routes.filter((r) => r.method === 'GET' || r.method === 'DELETE');
  const absurdQuery = fc
    .constantFrom(...queryRoutes)
    .chain((route) =>
      fc
        .tuple(pathFor(route), queryArb(world, route, socket))
        .map(([path, q]) =>
          caseOf(
            'query:absurd',
            route,
            route.method,
            target(route, path, q),
            owner,
            undefined,
            route.mutates ? [400, 404] : [200, 400, 404],
          ),
        ),
    );

  const single = fc.oneof(
    { weight: 3, arbitrary: authBad },
    { weight: 2, arbitrary: authWeak },
    { weight: 2, arbitrary: wrongMethod },
    { weight: 1, arbitrary: unknownRoute },
    { weight: 2, arbitrary: brokenJson },
    { weight: 1, arbitrary: badBytes },
    { weight: 2, arbitrary: nonObject },
    { weight: 1, arbitrary: deepJson },
    { weight: 2, arbitrary: wrongType },
    { weight: socket ? 0 : 1, arbitrary: oversized },
    { weight: 6, arbitrary: invalidBody },
    { weight: 3, arbitrary: malformedId },
    { weight: 3, arbitrary: foreignId },
    { weight: 4, arbitrary: absurdQuery },
  );

  // Chaos: each part drawn on its own; a write keeps at least one defect that refuses it.
  // Tagged: an Idempotency-Key goes only with a key that cannot authenticate (a refusal inside an
  // operation may store its key — that is keyedRefusals' business).
  // The live and other-tenant keys only on reads: the ids "foreign" to the caller are their own.
  const anyAuth = (route: Route) =>
    fc.oneof(
      fc.constant(owner).map((h) => ({ h, authenticates: true })),
      garbageAuth(world).map((h) => ({ h, authenticates: false })),
      fc
        .constantFrom(
          world.keys.readonly,
          world.keys.staff,
          world.keys.publishable,
          ...(route.mutates ? [] : [world.keys.live, world.keys.other]),
        )
        .map((k) => ({ h: authHeaders(k), authenticates: true })),
      fc
        .constantFrom(world.orgA, world.orgB)
        .map((o) => ({ h: [['seshn-organization', o]] as [string, string][], authenticates: true })),
    );
  // No body reads as `{}`: only where a write refuses `{}` (`entitlements.expireDue {}` is a real call).
  const anyBody = (route: Route, path: Record<string, string>) =>
    fc.oneof(
      fc.constant(
        route.mutates && route.input.safeParse(inputOf({}, path)).success ? '{"\u0000":1}' : undefined,
      ),
      fc.constantFrom(...BROKEN_JSON, ...NON_OBJECT_JSON),
      bodyFor(route, path).map((b) => JSON.stringify(b)),
      // Noise that may be valid only for reads: a write's body here is always one its input refuses.
      (route.mutates ? bodyFor(route, path) : noisyBody(world, route)).map((b) => JSON.stringify(b)),
    );
  const chaos = routeArb.chain((route) =>
    fc
      .tuple(
        pathFor(route),
        anyAuth(route),
        // Another method only where no route answers it: the same path under another method is
        // another operation (PATCH on a GET's path with the caller's own id would be a real update).
        fc.oneof(
          { weight: 4, arbitrary: fc.constant<string | null>(route.method) },
          {
            weight: 1,
            arbitrary: fc.constantFrom<string | null>('GET', 'POST', 'PATCH', 'DELETE', 'PUT', null),
          },
        ),
        fc.oneof(
          fc.constant(JSON_TYPE),
          fc.constant('APPLICATION/JSON; charset=utf-8'),
          fc.constantFrom(...WRONG_TYPES),
          fc.constant(null),
        ),
        fc.option(queryArb(world, route, socket), { nil: '' }),
        idemOf(route, idemKey),
      )
      .chain(([path, auth, drawn, type, q, idem]) =>
        anyBody(route, path).map((body) => {
          const allowed = methodsAt(
            routes,
            renderPath(route, path)
              .slice(BASE_PATH.length + 1)
              .split('/'),
          );
          const method =
            drawn === null || (drawn !== route.method && allowed.has(drawn)) ? route.method : drawn;
          const sendsBody = body !== undefined && method !== 'GET';
          const headers: [string, string][] = [
            ...auth.h,
            ...(type && sendsBody ? ([['content-type', type]] as [string, string][]) : []),
          ];
          return caseOf(
            'chaos',
            route,
            method,
            target(route, path, q),
            auth.authenticates ? headers : withIdem(headers, idem),
            sendsBody ? Buffer.from(body) : undefined,
            undefined,
            route.mutates && method === route.method,
          );
        }),
      ),
  );

  // Writes refused inside the operation, with an Idempotency-Key each (the one place a refusal may store a row).
  const keyedRefusals = fc
    .tuple(
      foreignRequest(
        world,
        writes.filter((r) => foreignRoutes.includes(r)),
        socket,
        (route, path, body) =>
          caseOf(
            'idempotent:foreign',
            route,
            route.method,
            target(route, path),
            body === undefined ? owner : jsonHeaders,
            body,
            [404],
          ),
      ),
      goodKey,
      fc.constantFrom<[string, string][]>([], authHeaders(world.keys.readonly)),
    )
    .map(([c, key, weak]) => ({
      ...c,
      headers: [
        ...(weak.length ? weak : c.headers.filter(([h]) => h === 'authorization')),
        ...c.headers.filter(([h]) => h !== 'authorization'),
        ['idempotency-key', key] as [string, string],
      ],
      defect: weak.length ? 'idempotent:not-allowed' : c.defect,
      expect: weak.length ? [403] : c.expect,
    }));

  // Over a socket, Node itself answers a request line and headers over 16 KiB (431, no body of ours).
  const fits = (c: FuzzCase) =>
    !socket || c.target.length + c.headers.reduce((n, [k, v]) => n + k.length + v.length, 0) < 12_000;
  return { single: single.filter(fits), chaos: chaos.filter(fits), keyedRefusals };
}

function foreignRequest(
  world: FuzzWorld,
  routes: Route[],
  socket: boolean,
  make: (route: Route, path: Record<string, string>, body: string | undefined) => FuzzCase,
): fc.Arbitrary<FuzzCase> {
  return fc.constantFrom(...routes).chain((route) => {
    const hasPathId = pathFieldsOf(route).some((f) => pathKind(route, f));
    const body = foreignBody(world, route);
    const viaPath = hasPathId
      ? pathArb(world, route, 'foreign', socket).map((path) => ({
          path,
          body:
            route.method === 'GET' || route.method === 'DELETE'
              ? undefined
              : JSON.stringify(world.validBodies[route.name] ?? {}),
        }))
      : null;
    const viaBody = body && !hasPathId ? body.map((b) => ({ path: {}, body: JSON.stringify(b) })) : null;
    const arb = viaPath ?? viaBody!;
    return arb.map(({ path, body: text }) => {
      const c = make(route, path, text);
      // With a foreign path id, a body the input refuses is refused first (validation precedes the lookup).
      const input = inputOf(text === undefined ? {} : (JSON.parse(text) as Json), path);
      return route.input.safeParse(input).success ? c : { ...c, expect: [400] };
    });
  });
}

/** The web `Request` of a case, against `origin`. */
export function requestOf(c: FuzzCase, origin: string): Request {
  const headers = new Headers();
  for (const [k, v] of c.headers) headers.append(k, v);
  return new Request(`${origin}${c.target}`, {
    method: c.method,
    headers,
    ...(c.body === undefined ? {} : { body: c.body }),
  });
}
