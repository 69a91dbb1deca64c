/**
 * The options of the handler and its mounts, and their defaults in one place.
 * @module
 */
import { randomBytes } from 'node:crypto';
import type { RateLimiterAbstract } from 'rate-limiter-flexible';

/** Any logger with pino's call shape (`logger.warn({ requestId }, 'message')`). */
export interface HttpLogger {
  debug(fields: Record<string, unknown>, message: string): void;
  info(fields: Record<string, unknown>, message: string): void;
  warn(fields: Record<string, unknown>, message: string): void;
  error(fields: Record<string, unknown>, message: string): void;
}

export interface CorsOptions {
  /** Allowed origins: `'*'`, a list, or a test. */
  origin: string | string[] | ((origin: string) => boolean);
  /** Seconds a browser may cache a preflight answer. */
  maxAge?: number;
}

export interface SeshnHttpOptions {
  /** A path prefix stripped before routing, e.g. `'/v1'` (default `''`; the Fastify mount uses its prefix). */
  basePath?: string;
  /** The largest request body accepted, in bytes (default 1 MiB); larger is `413 payload_too_large`. */
  bodyLimit?: number;
  /** CORS for browser callers (default `{ origin: '*' }`); `false` sends no CORS headers. */
  cors?: false | CorsOptions;
  /**
   * Requests allowed per key (default 100 per second, in memory, per process). A
   * rate-limiter-flexible limiter (`RateLimiterRedis`, `RateLimiterPostgres`, …) shares the
   * count across processes; `false` turns limiting off.
   */
  rateLimit?: false | { points: number; durationSeconds: number } | RateLimiterAbstract;
  /** Where requests are logged (pino's call shape). Default: silent. */
  logger?: HttpLogger;
  /** The id of each request (default `req_` + 24 random base62 characters). */
  requestId?: () => string;
  /** How long a request waits for the same `Idempotency-Key` in flight elsewhere (default 10 s). */
  idempotencyWaitMs?: number;
  /**
   * The client address of a request, for rate limits of calls without a key (default: the
   * socket's address under Node (Express, Fastify, @hono/node-server), Deno's `remoteAddr`).
   */
  clientAddress?: (request: Request, env: unknown) => string | undefined;
}

const silent = () => {};
export const silentLogger: HttpLogger = { debug: silent, info: silent, warn: silent, error: silent };

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/** `req_` and 24 base62 characters (~142 bits): unique enough to find one request in the logs. */
export function newRequestId(): string {
  const bytes = randomBytes(24);
  let id = 'req_';
  for (const byte of bytes) id += BASE62[byte % 62];
  return id;
}

/** The client address when the runtime tells it: Node's socket, Deno's `remoteAddr`. */
export function defaultClientAddress(_request: Request, env: unknown): string | undefined {
  const e = env as
    | { incoming?: { socket?: { remoteAddress?: string } }; remoteAddr?: { hostname?: string } }
    | undefined;
  return e?.incoming?.socket?.remoteAddress ?? e?.remoteAddr?.hostname;
}

export interface ResolvedOptions {
  basePath: string;
  bodyLimit: number;
  cors: false | CorsOptions;
  rateLimit: SeshnHttpOptions['rateLimit'];
  logger: HttpLogger;
  requestId: () => string;
  idempotencyWaitMs: number;
  clientAddress: (request: Request, env: unknown) => string | undefined;
}

/** `''` or `/a/b` (leading slash, no trailing one). */
export function normalizeBasePath(path: string | undefined): string {
  if (!path || path === '/') return '';
  const trimmed = path.replace(/\/+$/, '');
  return trimmed.startsWith('/') ? trimmed : `/${trimmed}`;
}

export function resolveOptions(options: SeshnHttpOptions = {}): ResolvedOptions {
  const bodyLimit = options.bodyLimit ?? 1_048_576;
  if (!Number.isInteger(bodyLimit) || bodyLimit < 0) {
    throw new TypeError(`bodyLimit must be a whole number of bytes, got ${String(options.bodyLimit)}`);
  }
  return {
    basePath: normalizeBasePath(options.basePath),
    bodyLimit,
    cors: options.cors === undefined ? { origin: '*' } : options.cors,
    rateLimit: options.rateLimit === undefined ? { points: 100, durationSeconds: 1 } : options.rateLimit,
    logger: options.logger ?? silentLogger,
    requestId: options.requestId ?? newRequestId,
    idempotencyWaitMs: options.idempotencyWaitMs ?? 10_000,
    clientAddress: options.clientAddress ?? defaultClientAddress,
  };
}
