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

/** A claim of an HTTP idempotency key (see `seshn.requests.begin`). */
export interface RequestClaim {
  key: string;
  /** Fingerprint of the request (method, path, body): a retry must send the same request. */
  fingerprint: string;
  /** The operation the request runs, e.g. `bookings.create`. */
  operation: string;
  /** The scope's clock, epoch ms. */
  now: number;
  /** How long the claim stays in flight before another request may take it over. */
  leaseMs: number;
  /** A key created at or before this instant is expired: the claim treats it as new. */
  expiredBefore: number;
}

/** What `beginRequest` decided: run the request, replay its stored response, or neither. */
export type RequestBegin =
  | { state: 'run' }
  | { state: 'replay'; status: number; body: string }
  | { state: 'conflict' }
  | { state: 'busy' };

/**
 * The HTTP idempotency response store: one row per key and scope, claimed atomically (a unique
 * key: of two concurrent claims exactly one runs), then finished with the response or abandoned.
 */
export interface RequestStore {
  /**
   * Claims the key: `run` when it was free, expired, or in flight with a lapsed lease;
   * `replay` when it finished (same fingerprint and operation); `conflict` when it was used for
   * another request; `busy` while another claim holds it.
   */
  beginRequest(scope: Scope, claim: RequestClaim): Promise<RequestBegin>;
  /** Stores the response of the claimed key (body byte for byte). */
  finishRequest(
    scope: Scope,
    result: { key: string; status: number; body: string; now: number },
  ): Promise<void>;
  /** Drops an unfinished claim (a finished key stays). */
  abandonRequest(scope: Scope, request: { key: string }): Promise<void>;
}
