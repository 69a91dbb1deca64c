/**
 * `createSeshnHandler`: the whole `/v1` API as one web-standard `Request → Response` function,
 * built with Hono from the operation table. Express, Fastify, Hono, Bun and Deno all mount this
 * one function, so they answer alike. Per request: CORS (a preflight is answered before any
 * auth), a request id, the route (or `404` / `405`), the caller, the rate limit,
 * the input (path, query or body), `Idempotency-Key`, the operation, and its JSON.
 * @module
 */

import { parseInput, SeshnError } from '@seshn/core';
import { Hono } from 'hono';
import { cors } from 'hono/cors';
import { callerOf } from './auth.js';
import { readJsonBody } from './body.js';
import type { HttpSeshn } from './core.js';
import { errorOutcome, HttpError, JSON_TYPE, type Outcome, toResponse } from './errors.js';
import { checkIdempotencyKey, fingerprintOf, idempotent } from './idempotency.js';
import { openApiDocument } from './openapi.js';
import { type ResolvedOptions, resolveOptions, type SeshnHttpOptions } from './options.js';
import { pathInput, queryInput } from './query.js';
import { createRateLimit } from './rate-limit.js';
import { allowedMethods, type Route, routes } from './routes.js';

/** The handler: a `Request` in, a `Response` out. `env` is the runtime's second argument, if any. */
export type SeshnFetchHandler = (request: Request, env?: unknown) => Promise<Response>;

type Env = {
  Variables: { requestId: string; headers: Record<string, string> };
  Bindings: object;
};

const EXPOSED_HEADERS = [
  'Request-Id',
  'RateLimit-Limit',
  'RateLimit-Remaining',
  'RateLimit-Reset',
  'Retry-After',
  'Idempotent-Replayed',
];
const ALLOWED_HEADERS = [
  'Authorization',
  'Content-Type',
  'Idempotency-Key',
  'Seshn-Organization',
  'Seshn-Mode',
];

/** Calls the operation of `route` on `handle` with its one input object. */
function call(handle: HttpSeshn, route: Route, input: Record<string, unknown>): Promise<unknown> {
  const group = (handle as unknown as Record<string, Record<string, (input: unknown) => Promise<unknown>>>)[
    route.group
  ];
  const method = group?.[route.method];
  if (typeof method !== 'function') throw new Error(`The handle has no ${route.op.name}`);
  return method(input);
}

/**
 * The handler of `seshn`'s API. `seshn` is the root handle (`createSeshn(…)`): each request gets
 * the handle of its key's organization and mode from it.
 * @example
 * const handler = createSeshnHandler(seshn, { basePath: '/v1' });
 * Bun.serve({ fetch: handler });
 */
export function createSeshnHandler(seshn: HttpSeshn, options?: SeshnHttpOptions): SeshnFetchHandler {
  const app = buildApp(seshn, resolveOptions(options));
  return async (request, env) => app.fetch(request, env as never);
}

export function buildApp(seshn: HttpSeshn, options: ResolvedOptions): Hono<Env> {
  const { logger, basePath } = options;
  const rateLimit = createRateLimit(options.rateLimit, logger);
  const app = new Hono<Env>({ strict: false });

  // The request id first, so every answer (preflight, 404, 500) carries it, and headers gathered
  // on the way (rate limit) land on error answers too.
  app.use('*', async (c, next) => {
    const started = performance.now();
    const requestId = options.requestId();
    c.set('requestId', requestId);
    c.set('headers', {});
    await next();
    c.res.headers.set('Request-Id', requestId);
    for (const [name, value] of Object.entries(c.get('headers'))) {
      if (!c.res.headers.has(name)) c.res.headers.set(name, value);
    }
    // One line per request (debug: an access log is the host app's choice; failures log at error).
    logger.debug(
      {
        requestId,
        method: c.req.method,
        path: c.req.path,
        status: c.res.status,
        ms: Math.round(performance.now() - started),
      },
      `${c.req.method} ${c.req.path} ${c.res.status}`,
    );
  });

  if (options.cors) {
    const { origin, maxAge } = options.cors;
    app.use(
      '*',
      cors({
        origin: typeof origin === 'function' ? (o) => (origin(o) ? o : null) : origin,
        allowMethods: ['GET', 'POST', 'PATCH', 'DELETE'],
        allowHeaders: ALLOWED_HEADERS,
        exposeHeaders: EXPOSED_HEADERS,
        ...(maxAge === undefined ? {} : { maxAge }),
      }),
    );
  }

  app.onError((error, c) => toResponse(errorOutcome(error, c.get('requestId'), logger)));

  app.notFound((c) => {
    const url = new URL(c.req.url);
    const path = url.pathname.startsWith(basePath) ? url.pathname.slice(basePath.length) || '/' : null;
    const allow = path === null ? [] : allowedMethods(path);
    if (path === '/openapi.json') allow.push('GET', 'HEAD');
    const error =
      allow.length > 0
        ? HttpError.of(
            'method_not_allowed',
            `${c.req.method} is not allowed here; use ${allow.join(', ')}`,
            {
              allowed: allow,
            },
            { Allow: allow.join(', ') },
          )
        : new SeshnError('not_found', `No route ${c.req.method} ${url.pathname.slice(0, 200)}`, {
            reason: 'no_route',
          });
    return toResponse(errorOutcome(error, c.get('requestId'), logger));
  });

  const root = basePath ? app.basePath(basePath) : app;

  // The document is the same for every request at one server URL: built once per URL.
  const documents = new Map<string, string>();
  root.get('/openapi.json', (c) => {
    const serverUrl = serverUrlOf(c.req.raw, c.env);
    let text = documents.get(serverUrl);
    if (text === undefined) {
      text = JSON.stringify(openApiDocument({ serverUrl }));
      if (documents.size < 16) documents.set(serverUrl, text);
    }
    return new Response(text, { status: 200, headers: { 'content-type': JSON_TYPE } });
  });

  for (const route of routes()) {
    root.on(route.httpMethod, route.honoPath, async (c) => {
      const requestId = c.get('requestId');
      const request = c.req.raw;
      const caller = await callerOf(seshn, request, requestId, options.clientAddress(request, c.env));
      if (rateLimit) Object.assign(c.get('headers'), await rateLimit.consume(caller.rateKey));

      const params = pathInput(c.req.param() as Record<string, string>, route.fields);
      const given =
        route.inputFrom === 'query'
          ? queryInput(new URL(request.url).searchParams, route.fields)
          : await readJsonBody(request, options.bodyLimit);
      // The path names the target: `POST /bookings/A/cancel { id: B }` cancels A.
      const input = { ...given, ...params };

      const run = async (): Promise<Outcome> => {
        try {
          const result = await call(caller.handle, route, input);
          return { status: 200, body: JSON.stringify(result ?? null), headers: {} };
        } catch (error) {
          return errorOutcome(error, requestId, logger, { op: route.op.name });
        }
      };

      const key = request.headers.get('idempotency-key');
      if (key === null || route.httpMethod !== 'POST') return toResponse(await run());

      checkIdempotencyKey(key);
      // Input the operation would refuse is refused before the key is claimed: a bad request is a
      // 400 whatever the key was used for, and never holds the key.
      parseInput(route.op.input, input);
      const store = caller.handle.requests;
      const fingerprint = fingerprintOf(
        route.httpMethod,
        stripBase(new URL(request.url).pathname, basePath),
        given,
      );
      // An operation with its own idempotencyKey field gets the header's too: if this process dies
      // after the operation committed, the retry (lease lapsed) is deduplicated by the operation.
      if (route.fields.properties.has('idempotencyKey') && input.idempotencyKey === undefined) {
        input.idempotencyKey = key;
      }
      const outcome = await idempotent({
        store,
        key,
        fingerprint,
        operation: route.op.name,
        waitMs: options.idempotencyWaitMs,
        logger,
        requestId,
        run,
      });
      return toResponse(outcome);
    });
  }
  return app;
}

function stripBase(pathname: string, basePath: string): string {
  return basePath && pathname.startsWith(basePath) ? pathname.slice(basePath.length) || '/' : pathname;
}

/**
 * The server URL the document names: the path the API is mounted at, as the client called it
 * (Express strips its mount path from the URL but keeps it in `originalUrl`).
 */
function serverUrlOf(request: Request, env: unknown): string {
  const original = (env as { incoming?: { originalUrl?: string } } | undefined)?.incoming?.originalUrl;
  const path = (original ?? new URL(request.url).pathname).split('?')[0] as string;
  const base = path.replace(/\/openapi\.json\/?$/, '');
  return base === '' ? '/' : base;
}
