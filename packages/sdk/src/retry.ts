/**
 * When and how long to wait before retrying: exponential backoff with full jitter, `Retry-After`
 * honoured on `429` and `503`.
 * @module
 */

export interface BackoffOptions {
  /** The first retry waits up to this long (ms); each further one doubles it. Default 500. */
  baseDelayMs?: number;
  /** No wait is longer than this (ms), `Retry-After` included. Default 8000 (Retry-After: 60000). */
  maxDelayMs?: number;
}

export const DEFAULT_BASE_DELAY_MS = 500;
export const DEFAULT_MAX_DELAY_MS = 8_000;
/** The longest `Retry-After` the client waits for; a longer one is waited for this long. */
export const MAX_RETRY_AFTER_MS = 60_000;

/**
 * Full jitter: a uniformly random wait in `[0, min(max, base · 2^attempt))`, `attempt` counting
 * from 0 for the first retry. `random` is injectable for tests.
 */
export function backoffDelay(attempt: number, options: BackoffOptions = {}, random = Math.random): number {
  const base = options.baseDelayMs ?? DEFAULT_BASE_DELAY_MS;
  const max = options.maxDelayMs ?? DEFAULT_MAX_DELAY_MS;
  const ceiling = Math.min(max, base * 2 ** Math.max(0, attempt));
  return Math.floor(random() * ceiling);
}

/** `Retry-After` in ms (delta seconds or an HTTP date), or `null` when absent or unreadable. */
export function parseRetryAfter(header: string | null, now = Date.now()): number | null {
  if (header === null) return null;
  const text = header.trim();
  if (/^\d+(?:\.\d+)?$/.test(text)) return Math.min(MAX_RETRY_AFTER_MS, Math.round(Number(text) * 1000));
  const at = Date.parse(text);
  if (Number.isNaN(at)) return null;
  return Math.min(MAX_RETRY_AFTER_MS, Math.max(0, at - now));
}

/**
 * Whether an answer with `status` is worth another attempt: `429` and `503` always (the server
 * did nothing, or will replay what it did for the same `Idempotency-Key`); `500`, `502` and `504`
 * only for a call that changes nothing; never another `4xx`.
 */
export function retryableStatus(status: number, mutates: boolean): boolean {
  if (status === 429 || status === 503) return true;
  if (status === 500 || status === 502 || status === 504) return !mutates;
  return false;
}

/** Resolves after `ms` (0: on the next macrotask), or rejects when `signal` aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
