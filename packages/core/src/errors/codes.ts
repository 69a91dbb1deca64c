/**
 * The stable error codes of Seshn and the HTTP status each maps to (docs/api.md, "Errors").
 * Codes are part of the public contract: never rename one; add new ones at the end.
 * @module
 */
export const ERROR_STATUS = {
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
  /** The storage layer failed in a way retries did not fix (e.g. repeated deadlocks). */
  storage_error: 503,
  internal_error: 500,
} as const;

export type SeshnErrorCode = keyof typeof ERROR_STATUS;
