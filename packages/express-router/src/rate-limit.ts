/**
 * Requests per key with rate-limiter-flexible: its memory limiter by default (per process), or
 * any of its limiters (Redis, Postgres, …) when several processes must share one count. Every
 * authenticated response says where the caller stands (`RateLimit-*`, the IETF draft's names).
 * @module
 */
import { type RateLimiterAbstract, RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
import { HttpError } from './errors.js';
import type { HttpLogger, SeshnHttpOptions } from './options.js';

export interface RateLimit {
  /** Counts one request for `key`: its `RateLimit-*` headers, or throws `429 rate_limited`. */
  consume(key: string): Promise<Record<string, string>>;
}

function headersOf(limit: number, res: RateLimiterRes): Record<string, string> {
  return {
    'RateLimit-Limit': String(limit),
    'RateLimit-Remaining': String(Math.max(0, res.remainingPoints)),
    'RateLimit-Reset': String(Math.max(0, Math.ceil(res.msBeforeNext / 1000))),
  };
}

export function createRateLimit(option: SeshnHttpOptions['rateLimit'], logger: HttpLogger): RateLimit | null {
  if (option === false || option === undefined) return null;
  // rate-limiter-flexible exports no RateLimiterAbstract at run time (only its types): any object
  // with `consume` is a limiter.
  const limiter =
    typeof (option as RateLimiterAbstract).consume === 'function'
      ? (option as RateLimiterAbstract)
      : new RateLimiterMemory({
          points: (option as { points: number }).points,
          duration: (option as { durationSeconds: number }).durationSeconds,
        });
  return {
    async consume(key) {
      try {
        return headersOf(limiter.points, await limiter.consume(key));
      } catch (rejection) {
        if (rejection instanceof RateLimiterRes) {
          const headers = headersOf(limiter.points, rejection);
          const retryAfter = String(Math.max(1, Math.ceil(rejection.msBeforeNext / 1000)));
          throw new HttpError(
            'rate_limited',
            429,
            `Too many requests: ${limiter.points} per ${limiter.duration} s; retry after ${retryAfter} s`,
            { limit: limiter.points, retryAfterSeconds: Number(retryAfter) },
            { ...headers, 'Retry-After': retryAfter },
          );
        }
        // The limiter's store failed (Redis down, …): let the request through rather than take the
        // API down with the limiter; the log says so.
        logger.warn({ err: rejection, key }, 'rate limiter failed; request let through');
        return {};
      }
    },
  };
}
