/**
 * The stable error codes of Seshn. Codes are part of the public contract: never rename one; add
 * new ones at the end. How a transport answers each (an HTTP status) is that transport's
 * business: see `@seshn/express-router`.
 * @module
 */
export const ERROR_CODES = [
  'validation_failed',
  'unauthorized',
  'forbidden',
  'not_found',
  'slot_unavailable',
  'invalid_state',
  'insufficient_credits',
  'idempotency_conflict',
  'payment_failed',
  'rate_limited',
  /** The storage layer failed in a way retries did not fix (e.g. repeated deadlocks). */
  'storage_error',
  'internal_error',
  /** A waitlist join for a slot that has room: book it instead (`details.operation`). */
  'slot_available',
] as const;

export type SeshnErrorCode = (typeof ERROR_CODES)[number];
