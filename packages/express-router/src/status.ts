/**
 * The HTTP status of each `SeshnError` code. It belongs here, in the HTTP layer: core's errors
 * carry a stable code and no transport, and an embedder that never speaks HTTP never sees this.
 * @module
 */
import type { SeshnErrorCode } from '@seshn/core';

export const HTTP_STATUS = {
  validation_failed: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  slot_unavailable: 409,
  invalid_state: 409,
  insufficient_credits: 409,
  idempotency_conflict: 409,
  payment_failed: 402,
  rate_limited: 429,
  /** The storage layer failed in a way retries did not fix (e.g. repeated deadlocks): try again. */
  storage_error: 503,
  internal_error: 500,
  slot_available: 409,
} as const satisfies Record<SeshnErrorCode, number>;

/** The status an error with `code` is answered with; an unknown code is a 500. */
export function httpStatusOf(code: string): number {
  return (HTTP_STATUS as Record<string, number>)[code] ?? 500;
}
