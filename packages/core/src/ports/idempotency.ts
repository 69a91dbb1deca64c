/**
 * Idempotency keys: a create operation claims its key inside its own transaction, so the key
 * commits with the result or not at all.
 * @module
 */
import type { Scope } from './records.js';

export interface IdempotencyRecord {
  key: string;
  /** The operation the key was used for, e.g. `bookings.create`. */
  operation: string;
  /** Fingerprint of the request: a retry must send the same request. */
  fingerprint: string;
  /** Id of the object the first request created. */
  resultId: string;
  createdAt: number;
}

export interface IdempotencyStore {
  getIdempotencyKey(scope: Scope, key: string): Promise<IdempotencyRecord | null>;
  /**
   * Claims the key for this request: `true` when it was free, `false` (changing nothing, and
   * without aborting the caller's transaction) when the scope already has it. Keys compare byte
   * for byte on every database: `'k-1'` and `'k-1 '` are two keys.
   */
  claimIdempotencyKey(scope: Scope, record: IdempotencyRecord): Promise<boolean>;
}
