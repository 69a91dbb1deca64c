/**
 * Idempotency keys for create operations (`bookings.create`, `bookingSeries.create`): a retry
 * with the same key and the same request returns what the first request created; the same key
 * with a different request is `idempotency_conflict`. The key is claimed inside the operation's
 * own transaction, so it commits with the result or not at all (a failed request leaves no key).
 * @module
 */
import { SeshnError } from '../errors/seshn-error.js';
import type { Scope, SeshnStore } from '../ports/adapter.js';
import { fingerprint } from './fingerprint.js';

/** A request that carries an idempotency key. */
export interface IdempotentRequest {
  key: string;
  /** e.g. `bookings.create`: a key belongs to one operation. */
  operation: string;
  fingerprint: string;
}

/**
 * The key of a parsed request and its fingerprint (the request without the key), or `null` when
 * the request has no key.
 * @example
 * const idem = idempotentRequest('bookings.create', data); // data.idempotencyKey === 'k1'
 */
export function idempotentRequest(
  operation: string,
  data: { idempotencyKey?: string | undefined },
): IdempotentRequest | null {
  if (data.idempotencyKey === undefined) return null;
  const { idempotencyKey, ...rest } = data;
  return { key: idempotencyKey, operation, fingerprint: fingerprint(operation, rest) };
}

/**
 * The id the key's first request created, or `null` when the key is unused. Throws
 * `idempotency_conflict` when the key was used for another operation or another request.
 * @example
 * const prior = await priorResult(ctx.adapter, ctx.scope, idem);
 * if (prior) return view(await load(prior));
 */
export async function priorResult(
  store: SeshnStore,
  scope: Scope,
  request: IdempotentRequest,
): Promise<string | null> {
  const existing = await store.getIdempotencyKey(scope, request.key);
  if (!existing) return null;
  if (existing.operation !== request.operation || existing.fingerprint !== request.fingerprint) {
    throw new SeshnError('idempotency_conflict', 'This idempotency key was used for a different request', {
      operation: existing.operation,
    });
  }
  return existing.resultId;
}

/**
 * Claims the key inside the operation's transaction. `false` means a concurrent request with the
 * same key committed first: the caller abandons its work and replays with {@link priorResult}.
 * @example
 * if (idem && !(await claimKey(tx, scope, idem, record.id, now))) return { raced: true };
 */
export function claimKey(
  tx: SeshnStore,
  scope: Scope,
  request: IdempotentRequest,
  resultId: string,
  now: number,
): Promise<boolean> {
  return tx.claimIdempotencyKey(scope, {
    key: request.key,
    operation: request.operation,
    fingerprint: request.fingerprint,
    resultId,
    createdAt: now,
  });
}
