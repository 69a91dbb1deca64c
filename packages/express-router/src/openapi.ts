/**
 * The OpenAPI 3.1 document of the API, generated from the same operation table and zod schemas
 * the routes are: every route with its parameters, body, response and errors, so a client
 * generated from it cannot drift from the server. OpenAPI 3.1 embeds JSON Schema 2020-12, which
 * is what `jsonSchemaOf` writes; the named definitions are lifted into `components.schemas`.
 * @module
 */
import { encodeSlotId } from '@seshn/core';
import { type JsonSchema, jsonSchemaOf } from './core.js';
import { ROUTER_STATUS } from './errors.js';
import { routes } from './routes.js';
import { deref, liftDefs, objectBranches } from './schema.js';
import { HTTP_STATUS } from './status.js';

const REF = '#/components/schemas/';

export interface OpenApiOptions {
  /** The server URL clients call, e.g. `https://api.example.com/v1` (default `/v1`). */
  serverUrl?: string;
  title?: string;
  version?: string;
}

/** An OpenAPI 3.1 document (the fields this package writes; any 3.1 tool reads it). */
export interface OpenApiDocument {
  openapi: '3.1.0';
  info: { title: string; version: string; description?: string };
  servers: { url: string }[];
  security: Record<string, string[]>[];
  tags: { name: string }[];
  paths: Record<string, Record<string, unknown>>;
  components: {
    schemas: Record<string, JsonSchema>;
    responses: Record<string, unknown>;
    parameters: Record<string, unknown>;
    headers: Record<string, unknown>;
    securitySchemes: Record<string, unknown>;
  };
}

/** The error responses, by status: one `Error` schema, the codes each status carries. */
const ERROR_RESPONSES: Record<string, { name: string; description: string }> = {
  '400': {
    name: 'BadRequest',
    description: 'validation_failed: the input was refused; details.fields names each field',
  },
  '401': { name: 'Unauthorized', description: 'unauthorized: no API key, or an unknown or revoked one' },
  '402': { name: 'PaymentFailed', description: 'payment_failed' },
  '403': {
    name: 'Forbidden',
    description: "forbidden: the key's role or scopes do not allow this operation",
  },
  '404': {
    name: 'NotFound',
    description: 'not_found: no such object in this organization and mode, or no such route',
  },
  '405': { name: 'MethodNotAllowed', description: 'method_not_allowed (the Allow header lists the methods)' },
  '409': {
    name: 'Conflict',
    description:
      'slot_unavailable, slot_available, invalid_state, insufficient_credits or idempotency_conflict',
  },
  '413': { name: 'PayloadTooLarge', description: 'payload_too_large: the body is over the limit' },
  '415': {
    name: 'UnsupportedMediaType',
    description: 'unsupported_media_type: the body is not application/json',
  },
  '429': { name: 'RateLimited', description: 'rate_limited: retry after Retry-After seconds' },
  '500': { name: 'InternalError', description: 'internal_error: our failure; quote the request id' },
  '503': { name: 'StorageError', description: 'storage_error: storage unavailable; retry' },
};

const CODE_OF_STATUS: Record<string, string> = {};
for (const [code, status] of Object.entries({ ...HTTP_STATUS, ...ROUTER_STATUS })) {
  CODE_OF_STATUS[String(status)] ??= code;
}

const ERROR_SCHEMA: JsonSchema = {
  type: 'object',
  required: ['error'],
  properties: {
    error: {
      type: 'object',
      required: ['code', 'message', 'details', 'requestId'],
      properties: {
        code: {
          type: 'string',
          description: 'Stable error code',
          enum: [...new Set([...Object.keys(HTTP_STATUS), ...Object.keys(ROUTER_STATUS)])],
        },
        message: { type: 'string', description: 'For people; may change' },
        details: { type: 'object', additionalProperties: true, description: 'Structured, per code' },
        requestId: { type: 'string', description: 'The Request-Id of the request that got this error' },
      },
    },
  },
};

// ── Examples, from the schemas themselves (so they stay valid as the schemas change) ────────────

const EXAMPLE_INSTANT = '2026-03-15T09:00:00.000Z';
/** The end of an example interval (`endTime`, `to`, `until`): an hour after its start. */
const EXAMPLE_END = '2026-03-15T10:00:00.000Z';
const END_FIELD = /^(endTime|to|until)$/;
/** An example slot id: a well-formed one (it encodes the slot), as `availability.query` returns. */
const EXAMPLE_SLOT_ID = encodeSlotId({
  serviceId: 'svc_01jd8x3c5k2e8v4q6w9r7t1y0a',
  resourceId: 'rsc_01jd8x3c5k2e8v4q6w9r7t1y0a',
  start: Date.parse(EXAMPLE_INSTANT),
  end: Date.parse(EXAMPLE_END),
});

/** A value of `schema`: its example or default, else the first enum value, else a typed placeholder. */
function exampleOf(
  schema: JsonSchema,
  defs: Record<string, JsonSchema>,
  all: boolean,
  name = '',
  depth = 0,
): unknown {
  const node = deref(schema, defs);
  if (depth > 12) return undefined;
  if (Array.isArray(node.examples) && node.examples.length > 0) return node.examples[0];
  if ('default' in node) return node.default;
  if ('const' in node) return node.const;
  if (Array.isArray(node.enum)) return node.enum[0];
  const members = (node.anyOf ?? node.oneOf) as JsonSchema[] | undefined;
  if (Array.isArray(members)) {
    const first = members.find((m) => deref(m, defs).type !== 'null') ?? members[0];
    return first ? exampleOf(first, defs, all, name, depth + 1) : null;
  }
  const type = Array.isArray(node.type) ? node.type[0] : node.type;
  switch (type) {
    case 'string':
      if (node.format === 'date-time') return END_FIELD.test(name) ? EXAMPLE_END : EXAMPLE_INSTANT;
      if (node.format === 'date') return '2026-03-15';
      if (name === 'slotId') return EXAMPLE_SLOT_ID;
      if (/id$/i.test(name))
        return `${name.replace(/Id$/, '').slice(0, 3).toLowerCase() || 'obj'}_01hzx3c5k2e8v4q6w9r7t1y0ab`;
      if (/timezone/i.test(name)) return 'Europe/London';
      return typeof node.minLength === 'number' && node.minLength > 6 ? 'x'.repeat(node.minLength) : 'string';
    case 'integer':
    case 'number': {
      const min =
        typeof node.minimum === 'number'
          ? node.minimum
          : typeof node.exclusiveMinimum === 'number'
            ? node.exclusiveMinimum + 1
            : 1;
      return Math.max(min, Math.min(60, typeof node.maximum === 'number' ? node.maximum : 60));
    }
    case 'boolean':
      return false;
    case 'null':
      return null;
    case 'array': {
      const item =
        node.items && typeof node.items === 'object'
          ? exampleOf(node.items as JsonSchema, defs, all, name, depth + 1)
          : 'string';
      return [item];
    }
    case 'object': {
      // Requests: the required fields (the smallest valid call); responses: every field.
      const out: Record<string, unknown> = {};
      const required = new Set((node.required as string[]) ?? []);
      for (const [key, prop] of Object.entries((node.properties as Record<string, JsonSchema>) ?? {})) {
        if (all || required.has(key)) out[key] = exampleOf(prop, defs, all, key, depth + 1);
      }
      return out;
    }
    default:
      return {};
  }
}

// ── The document ───────────────────────────────────────────────────────────────────────────────

function withoutFields(schema: JsonSchema, fields: string[], defs: Record<string, JsonSchema>): JsonSchema {
  if (fields.length === 0) return schema;
  const branches = objectBranches(schema, defs);
  const strip = (branch: JsonSchema): JsonSchema => {
    const properties = { ...((branch.properties as Record<string, JsonSchema>) ?? {}) };
    for (const f of fields) delete properties[f];
    const required = ((branch.required as string[]) ?? []).filter((r) => !fields.includes(r));
    return { ...branch, properties, ...(required.length > 0 ? { required } : { required: undefined }) };
  };
  if (branches.length === 1) return clean(strip(branches[0] as JsonSchema));
  return { anyOf: branches.map((b) => clean(strip(b))) };
}

/** Drops keys set to `undefined` (JSON would drop them anyway; validators prefer them absent). */
function clean(schema: JsonSchema): JsonSchema {
  return Object.fromEntries(Object.entries(schema).filter(([, v]) => v !== undefined));
}

export function openApiDocument(options: OpenApiOptions = {}): OpenApiDocument {
  const schemas: Record<string, JsonSchema> = {};
  const paths: Record<string, Record<string, unknown>> = {};
  const tags = new Set<string>();

  for (const route of routes()) {
    const { op } = route;
    tags.add(route.group);
    const input = liftDefs(jsonSchemaOf(op.input, 'input'), schemas, REF);
    const output = liftDefs(jsonSchemaOf(op.output, 'output'), schemas, REF);
    const fieldSchema = (name: string) =>
      clean({ ...(route.fields.properties.get(name) ?? { type: 'string' }), default: undefined });

    // One example call, shared out: path fields, query parameters and the body's fields together.
    // An example the input schema declares (`.meta({ examples })`) wins: conditional rules (one
    // form or the other) are beyond what the schema walk can satisfy.
    const declared = (op.input.meta() as { examples?: unknown[] } | undefined)?.examples?.[0];
    const call = (declared ?? exampleOf(input, schemas, false) ?? {}) as Record<string, unknown>;
    const exampleFor = (name: string) => (call[name] === undefined ? {} : { example: call[name] });
    const parameters: unknown[] = route.pathFields.map((name) => ({
      name,
      in: 'path',
      required: true,
      schema: liftDefs(fieldSchema(name), schemas, REF),
      ...exampleFor(name),
    }));
    if (route.inputFrom === 'query') {
      for (const [name, field] of route.fields.properties) {
        if (route.pathFields.includes(name)) continue;
        const array = 'items' in field || JSON.stringify(field).includes('"type":"array"');
        parameters.push({
          name,
          in: 'query',
          required: route.fields.required.has(name),
          schema: liftDefs(field, schemas, REF),
          ...exampleFor(name),
          // Arrays: repeated (`?status=held&status=confirmed`) or comma-separated.
          ...(array ? { style: 'form', explode: true } : {}),
        });
      }
    }
    const isPost = route.httpMethod === 'POST';
    if (isPost) parameters.push({ $ref: '#/components/parameters/IdempotencyKey' });

    const operation: Record<string, unknown> = {
      operationId: op.name,
      summary: op.summary,
      tags: [route.group],
      parameters,
    };
    if (route.inputFrom === 'body') {
      const body = withoutFields(input, route.pathFields, schemas);
      const requiredFields = objectBranches(body, schemas).some(
        (b) => ((b.required as string[]) ?? []).length > 0,
      );
      operation.requestBody = {
        required: requiredFields,
        content: {
          'application/json': {
            schema: body,
            example: Object.fromEntries(Object.entries(call).filter(([k]) => !route.pathFields.includes(k))),
          },
        },
      };
    }
    if (op.public) {
      // A secret key, a publishable key, or (for a service with `public: true`) just the organization.
      operation.security = [{ secretKey: [] }, { publishableKey: [] }, { organization: [] }];
    }
    const errors = ['400', '401', '403', '404', '429', '500', '503'];
    if (route.inputFrom === 'body') errors.push('409', '413', '415');
    operation.responses = {
      '200': {
        description: 'OK',
        headers: {
          'Request-Id': { $ref: '#/components/headers/RequestId' },
          'RateLimit-Limit': { $ref: '#/components/headers/RateLimitLimit' },
          'RateLimit-Remaining': { $ref: '#/components/headers/RateLimitRemaining' },
          'RateLimit-Reset': { $ref: '#/components/headers/RateLimitReset' },
        },
        content: { 'application/json': { schema: output, example: exampleOf(output, schemas, true) } },
      },
      ...Object.fromEntries(
        errors
          .sort()
          .map((status) => [status, { $ref: `#/components/responses/${ERROR_RESPONSES[status]?.name}` }]),
      ),
    };
    paths[route.path] = { ...paths[route.path], [route.httpMethod.toLowerCase()]: operation };
  }

  schemas.Error = ERROR_SCHEMA;
  const responses: Record<string, unknown> = {};
  for (const [status, { name, description }] of Object.entries(ERROR_RESPONSES)) {
    const code = CODE_OF_STATUS[status] ?? 'internal_error';
    responses[name] = {
      description,
      headers: { 'Request-Id': { $ref: '#/components/headers/RequestId' } },
      content: {
        'application/json': {
          schema: { $ref: `${REF}Error` },
          example: {
            error: { code, message: description, details: {}, requestId: 'req_3kTMd9qXbW2nLp8vR5sYh7cA' },
          },
        },
      },
    };
  }

  return {
    openapi: '3.1.0',
    info: {
      title: options.title ?? 'Seshn API',
      version: options.version ?? '1',
      description:
        'The Seshn booking API. Authenticate with `Authorization: Bearer sk_live_…` (or `sk_test_…`: test keys see only test data). Every error is `{ error: { code, message, details, requestId } }`.',
    },
    servers: [{ url: options.serverUrl ?? '/v1' }],
    security: [{ secretKey: [] }],
    tags: [...tags].map((name) => ({ name })),
    paths,
    components: {
      schemas,
      responses,
      parameters: {
        IdempotencyKey: {
          name: 'Idempotency-Key',
          in: 'header',
          required: false,
          description:
            'Makes a retry safe: the same key and request within 24 h returns the first response byte for byte (Idempotent-Replayed: true); the same key with another request is 409 idempotency_conflict.',
          schema: { type: 'string', minLength: 1, maxLength: 255 },
        },
      },
      headers: {
        RequestId: {
          description: 'The id of this request (req_…), also in error bodies',
          schema: { type: 'string' },
        },
        RateLimitLimit: { description: 'Requests allowed per window', schema: { type: 'integer' } },
        RateLimitRemaining: { description: 'Requests left in this window', schema: { type: 'integer' } },
        RateLimitReset: { description: 'Seconds until the window resets', schema: { type: 'integer' } },
      },
      securitySchemes: {
        secretKey: {
          type: 'http',
          scheme: 'bearer',
          description: 'A secret API key: sk_live_… or sk_test_…',
        },
        publishableKey: {
          type: 'http',
          scheme: 'bearer',
          description: 'A publishable key (pk_live_… / pk_test_…): public operations only',
        },
        organization: {
          type: 'apiKey',
          in: 'header',
          name: 'Seshn-Organization',
          description:
            'No key: the organization id, for public operations of a service with public: true (Seshn-Mode: test for test mode)',
        },
      },
    },
  };
}
