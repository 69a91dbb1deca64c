/**
 * The HTTP client: one method per routed operation of the table (`ROUTES`, generated from core),
 * each turning its arguments into a request the way the embedded handle takes them, with
 * `Idempotency-Key`s, timeouts and retries. Only platform APIs: `fetch`, `URL`,
 * `AbortController`, `crypto.randomUUID` (Node 20+, browsers, edge runtimes).
 * @module
 */
import { type EncodedRequest, encodeRequest, inputOf, type Route } from './encode.js';
import { errorFromResponse, SeshnError } from './errors.js';
import { ROUTES } from './operations.generated.js';
import { type BackoffOptions, backoffDelay, parseRetryAfter, retryableStatus, sleep } from './retry.js';
import type { Page, PageResult, RoutedOperation, SeshnClientApi } from './types.js';

export type FetchLike = (input: string, init: RequestInit) => Promise<Response>;

export interface SeshnOptions {
  /**
   * The API's address: the server's origin (`https://api.example.com`, `/v1` is added) or its
   * `/v1` root (`http://127.0.0.1:3000/v1`).
   */
  baseUrl: string;
  /** The `fetch` to use (default: the platform's `globalThis.fetch`). */
  fetch?: FetchLike;
  /** Per attempt, in ms; default 30 000. A timed-out attempt is retried like a lost connection. */
  timeoutMs?: number;
  /** Retries after the first attempt; default 2 (0 turns retries off). */
  maxRetries?: number;
  /** The waits between retries (exponential backoff with full jitter). */
  backoff?: BackoffOptions;
}

/** Keyless public mode: public operations of services marked `public: true`, for browsers. */
export interface SeshnPublicOptions extends SeshnOptions {
  /** The organization whose public services are read (`Seshn-Organization`). */
  organizationId: string;
  /** `test` reads test data (`Seshn-Mode: test`); default `live`. */
  mode?: 'live' | 'test';
}

/** Options of the calls made through `seshn.withOptions(…)`. */
export interface RequestOptions {
  /** The `Idempotency-Key` of a POST (default: the operation's `idempotencyKey` field, else a new UUID). */
  idempotencyKey?: string;
  timeoutMs?: number;
  maxRetries?: number;
  /** Cancels the call (and its retries): it rejects with `SeshnError` code `aborted`. */
  signal?: AbortSignal;
  /** Extra request headers. */
  headers?: Record<string, string>;
}

const DEFAULT_TIMEOUT_MS = 30_000;
const DEFAULT_MAX_RETRIES = 2;

/** A v4 UUID: `crypto.randomUUID` where there is one (not on plain-http pages), else from random bytes. */
export function randomUuid(): string {
  const c = (
    globalThis as { crypto?: { randomUUID?: () => string; getRandomValues?: (b: Uint8Array) => Uint8Array } }
  ).crypto;
  if (c && typeof c.randomUUID === 'function') return c.randomUUID();
  const bytes = new Uint8Array(16);
  if (c && typeof c.getRandomValues === 'function') c.getRandomValues(bytes);
  else for (let i = 0; i < 16; i++) bytes[i] = Math.floor(Math.random() * 256);
  bytes[6] = (bytes[6]! & 0x0f) | 0x40;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = [...bytes].map((b) => b.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** The `/v1` root of `baseUrl`, without a trailing slash. */
export function apiRoot(baseUrl: string): string {
  const url = new URL(baseUrl);
  const path = url.pathname.replace(/\/+$/, '');
  url.pathname = path.endsWith('/v1') ? path : `${path}/v1`;
  url.search = '';
  url.hash = '';
  return url.toString().replace(/\/+$/, '');
}

interface Settings {
  root: string;
  fetch: FetchLike;
  headers: Record<string, string>;
  timeoutMs: number;
  maxRetries: number;
  backoff: BackoffOptions;
}

/** Every route of the table as a `Route`, by name. */
export const routeList: readonly Route[] = Object.entries(ROUTES).map(
  ([name, entry]) => ({ name, ...entry }) as Route,
);

/** Builds a copy of a client (`withOptions`) without going through the public constructor. */
const INTERNAL: unique symbol = Symbol('seshn.internal');
interface Internal {
  settings: Settings;
  call: RequestOptions;
}

/** One attempt's answer. */
interface Answer {
  status: number;
  headers: Headers;
  body: unknown;
}

function badOptions(message: string): SeshnError {
  return new SeshnError({
    code: 'validation_failed',
    message,
    details: { fields: [{ path: '', message }] },
  });
}

export interface Seshn extends SeshnClientApi {}

/**
 * The Seshn API over HTTP, with the embedded handle's groups and methods:
 *
 * ```ts
 * const seshn = new Seshn('sk_test_…', { baseUrl: 'http://localhost:3000' });
 * const slots = await seshn.availability.query({ serviceId, from: '2030-01-07', to: '2030-01-07' });
 * ```
 *
 * A publishable key (`pk_…`) or `new Seshn({ organizationId, baseUrl })` (no key) reaches the
 * public operations only (availability, pricing, services get/list).
 */
// biome-ignore lint/suspicious/noUnsafeDeclarationMerging: the interface adds the generated groups.
export class Seshn {
  readonly #settings: Settings;
  readonly #call: RequestOptions;

  constructor(apiKey: string, options: SeshnOptions);
  constructor(options: SeshnPublicOptions);
  constructor(keyOrOptions: string | SeshnPublicOptions | symbol, maybeOptions?: SeshnOptions | Internal) {
    if (keyOrOptions === INTERNAL) {
      const internal = maybeOptions as Internal;
      this.#settings = internal.settings;
      this.#call = internal.call;
      this.#bind();
      return;
    }
    if (typeof keyOrOptions === 'symbol') throw badOptions('Expected new Seshn(apiKey, { baseUrl })');
    const options = (typeof keyOrOptions === 'string' ? maybeOptions : keyOrOptions) as
      | SeshnOptions
      | undefined;
    if (!options || typeof options !== 'object') throw badOptions('Expected new Seshn(apiKey, { baseUrl })');
    if (typeof options.baseUrl !== 'string') throw badOptions('baseUrl: expected the API address (http…)');
    let root: string;
    try {
      root = apiRoot(options.baseUrl);
    } catch {
      throw badOptions(`baseUrl: not a URL: ${options.baseUrl.slice(0, 64)}`);
    }
    const headers: Record<string, string> = { Accept: 'application/json' };
    if (typeof keyOrOptions === 'string') {
      if (keyOrOptions.trim() === '') throw badOptions('apiKey: expected sk_… or pk_…');
      headers.Authorization = `Bearer ${keyOrOptions}`;
    } else {
      const { organizationId, mode } = keyOrOptions;
      if (typeof organizationId !== 'string' || organizationId === '')
        throw badOptions('organizationId: expected org_… (or pass an API key first)');
      headers['Seshn-Organization'] = organizationId;
      if (mode === 'test') headers['Seshn-Mode'] = 'test';
    }
    const fetchImpl = options.fetch ?? globalThis.fetch?.bind(globalThis);
    if (typeof fetchImpl !== 'function') throw badOptions('fetch: no global fetch here; pass options.fetch');
    this.#settings = {
      root,
      fetch: fetchImpl,
      headers,
      timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
      maxRetries: options.maxRetries ?? DEFAULT_MAX_RETRIES,
      backoff: options.backoff ?? {},
    };
    this.#call = {};
    this.#bind();
  }

  /**
   * The same client with per-call options for the calls made through it:
   * `seshn.withOptions({ idempotencyKey: 'order-42' }).bookings.create(…)`.
   */
  withOptions(options: RequestOptions): Seshn {
    const call = { ...this.#call, ...options, headers: { ...this.#call.headers, ...options.headers } };
    return new (Seshn as unknown as new (token: symbol, internal: Internal) => Seshn)(INTERNAL, {
      settings: this.#settings,
      call,
    });
  }

  /** Calls operation `name` (`'bookings.create'`) with its one input object. */
  call(
    name: RoutedOperation | (string & {}),
    input?: unknown,
    options: RequestOptions = {},
  ): Promise<unknown> {
    const route = routeList.find((r) => r.name === name);
    if (!route) {
      return Promise.reject(
        new SeshnError({ code: 'not_found', message: `No operation ${String(name).slice(0, 64)} over HTTP` }),
      );
    }
    return this.#request(route, input, { ...this.#call, ...options });
  }

  #bind(): void {
    const groups: Record<string, Record<string, (...args: unknown[]) => unknown>> = {};
    for (const route of routeList) {
      const [group, method] = route.name.split('.') as [string, string];
      groups[group] ??= {};
      groups[group][method] = route.paginated
        ? (...args: unknown[]) => this.#list(route, args)
        : (...args: unknown[]) => {
            try {
              return this.#request(route, inputOf(route, args), this.#call);
            } catch (error) {
              return Promise.reject(error);
            }
          };
    }
    Object.assign(this, groups);
  }

  #list(route: Route, args: unknown[]): PageResult<Page<{ id: string }>> {
    let input: Record<string, unknown>;
    let first: Promise<Page<{ id: string }>>;
    try {
      input = { ...((inputOf(route, args) as Record<string, unknown> | undefined) ?? {}) };
      first = this.#request(route, input, this.#call) as Promise<Page<{ id: string }>>;
    } catch (error) {
      input = {};
      first = Promise.reject(error);
    }
    // Marked handled: a list whose first page is iterated a while after the call must not trip
    // Node's unhandled-rejection check; `await` and `for await` still see the rejection.
    first.catch(() => undefined);
    const result = first as PageResult<Page<{ id: string }>>;
    const next = (startingAfter: string) =>
      this.#request(route, { ...input, startingAfter }, this.#call) as Promise<Page<{ id: string }>>;
    result[Symbol.asyncIterator] = async function* () {
      let page = await first;
      for (;;) {
        yield* page.data;
        const last = page.data[page.data.length - 1];
        if (!page.hasMore || last === undefined) return;
        page = await next(last.id);
      }
    };
    return result;
  }

  async #request(route: Route, input: unknown, call: RequestOptions): Promise<unknown> {
    const s = this.#settings;
    const encoded = encodeRequest(route, input);
    const headers: Record<string, string> = { ...s.headers, ...call.headers };
    if (encoded.body !== undefined) headers['Content-Type'] = 'application/json';
    if (encoded.method === 'POST') {
      const own = (input as { idempotencyKey?: unknown } | undefined)?.idempotencyKey;
      headers['Idempotency-Key'] = call.idempotencyKey ?? (typeof own === 'string' ? own : randomUuid());
    }
    const maxRetries = call.maxRetries ?? s.maxRetries;
    const timeoutMs = call.timeoutMs ?? s.timeoutMs;
    for (let attempt = 0; ; attempt++) {
      let answer: Answer;
      try {
        answer = await this.#attempt(encoded, headers, timeoutMs, call.signal);
      } catch (error) {
        const retry =
          error instanceof SeshnError &&
          (error.code === 'connection_error' || error.code === 'timeout') &&
          attempt < maxRetries;
        if (!retry) throw error;
        await this.#wait(backoffDelay(attempt, s.backoff), call.signal);
        continue;
      }
      const requestId = answer.headers.get('request-id');
      if (answer.status >= 200 && answer.status < 300) return answer.body;
      if (attempt < maxRetries && retryableStatus(answer.status, route.mutates)) {
        const after = parseRetryAfter(answer.headers.get('retry-after'));
        await this.#wait(after ?? backoffDelay(attempt, s.backoff), call.signal);
        continue;
      }
      throw errorFromResponse(answer.status, answer.body, requestId);
    }
  }

  async #wait(ms: number, signal: AbortSignal | undefined): Promise<void> {
    try {
      await sleep(ms, signal);
    } catch (reason) {
      throw new SeshnError({ code: 'aborted', message: 'The call was aborted', cause: reason });
    }
  }

  async #attempt(
    encoded: EncodedRequest,
    headers: Record<string, string>,
    timeoutMs: number,
    signal: AbortSignal | undefined,
  ): Promise<Answer> {
    if (signal?.aborted)
      throw new SeshnError({ code: 'aborted', message: 'The call was aborted', cause: signal.reason });
    const controller = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, timeoutMs);
    const onAbort = () => controller.abort();
    signal?.addEventListener('abort', onAbort, { once: true });
    try {
      const response = await this.#settings.fetch(this.#settings.root + encoded.path, {
        method: encoded.method,
        headers,
        ...(encoded.body !== undefined ? { body: encoded.body } : {}),
        signal: controller.signal,
      });
      const text = await response.text();
      let body: unknown = text;
      if (text !== '') {
        try {
          body = JSON.parse(text);
        } catch {
          if (response.ok) {
            throw new SeshnError({
              code: 'invalid_response',
              message: `HTTP ${response.status} with a body that is not JSON`,
              status: response.status,
              requestId: response.headers.get('request-id'),
            });
          }
        }
      } else body = null;
      return { status: response.status, headers: response.headers, body };
    } catch (error) {
      if (error instanceof SeshnError) throw error;
      if (timedOut) {
        throw new SeshnError({ code: 'timeout', message: `No answer within ${timeoutMs} ms`, cause: error });
      }
      if (signal?.aborted)
        throw new SeshnError({ code: 'aborted', message: 'The call was aborted', cause: error });
      const reason = error instanceof Error ? error.message : String(error);
      throw new SeshnError({
        code: 'connection_error',
        message: `Could not reach Seshn at ${this.#settings.root}: ${reason}`,
        cause: error,
      });
    } finally {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
    }
  }
}
