/**
 * `Idempotency-Key` on a POST: the first request with a key runs and its outcome is stored; a
 * retry with the same key and the same request gets the stored status and body byte for byte; the
 * same key with another request is a conflict; a retry while the first is still running waits for
 * it. The store is core's (`seshn.requests`, per organization and mode), so every process shares it.
 * @module
 */
import { createHash } from 'node:crypto';
import { SeshnError } from '@seshn/core';
import { canonicalJson } from './body.js';
import type { RequestStore } from './core.js';
import { HttpError, type Outcome } from './errors.js';
import type { HttpLogger } from './options.js';

export const MAX_KEY_LENGTH = 255;

/** Checks the header's key: 1 to 255 visible characters. */
export function checkIdempotencyKey(key: string): string {
  if (key.length === 0 || key.length > MAX_KEY_LENGTH || !/^[\x21-\x7e]+$/.test(key)) {
    throw SeshnError.validation([
      { path: 'Idempotency-Key', message: `Expected 1 to ${MAX_KEY_LENGTH} visible ASCII characters` },
    ]);
  }
  return key;
}

/** What makes two requests "the same": method, path and body (fields in any order). */
export function fingerprintOf(method: string, path: string, body: unknown): string {
  return createHash('sha256')
    .update(`${method}\n${path}\n${canonicalJson(body)}`)
    .digest('hex');
}

/**
 * Whether an outcome is kept for replays: what the operation decided (2xx, and 4xx such as
 * `slot_unavailable`), not a refusal of the input (the client fixes it and retries with the same
 * key), nor a refusal of the caller (`forbidden`: the operation never started; with a key that
 * may call it, the same request must run), nor a failure of ours (the retry should run again).
 */
export function isStored(outcome: Outcome): boolean {
  return outcome.status < 500 && !NOT_STORED.has(outcome.code ?? '');
}

const NOT_STORED = new Set(['validation_failed', 'forbidden']);

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export interface IdempotentRun {
  store: RequestStore;
  key: string;
  fingerprint: string;
  operation: string;
  waitMs: number;
  logger: HttpLogger;
  requestId: string;
  run: () => Promise<Outcome>;
}

/** Runs `run` once per key, or answers with the outcome stored for the key. */
export async function idempotent(input: IdempotentRun): Promise<Outcome & { replayed?: boolean }> {
  const { store, key, fingerprint, operation, waitMs } = input;
  const deadline = Date.now() + waitMs;
  let delay = 25;
  for (;;) {
    const claim = await store.begin({ key, fingerprint, operation });
    if (claim.state === 'replay') {
      return {
        status: claim.status,
        body: claim.body,
        headers: { 'Idempotent-Replayed': 'true' },
        replayed: true,
      };
    }
    if (claim.state === 'conflict') {
      throw new HttpError(
        'idempotency_conflict',
        409,
        'This Idempotency-Key was used for another request (another path or body)',
        { reason: 'different_request' },
      );
    }
    if (claim.state === 'run') break;
    // busy: the first request with this key is still running, here or in another process.
    if (Date.now() + delay > deadline) {
      throw new HttpError(
        'idempotency_conflict',
        409,
        'A request with this Idempotency-Key is still in progress; retry later',
        { reason: 'in_progress' },
      );
    }
    await sleep(delay);
    delay = Math.min(delay * 2, 500);
  }
  let outcome: Outcome;
  try {
    outcome = await input.run();
  } catch (error) {
    await release(input);
    throw error;
  }
  if (!isStored(outcome)) {
    await release(input);
    return outcome;
  }
  try {
    await store.finish({ key, status: outcome.status, body: outcome.body });
  } catch (error) {
    // The operation ran; its answer stands. The claim's lease lapses and a retry runs again
    // (operations that take an `idempotencyKey` get the header's, and dedupe that retry).
    input.logger.error(
      { err: error, requestId: input.requestId, key },
      'idempotency: storing the outcome failed',
    );
  }
  return outcome;
}

async function release(input: IdempotentRun): Promise<void> {
  try {
    await input.store.abandon({ key: input.key });
  } catch (error) {
    input.logger.warn(
      { err: error, requestId: input.requestId, key: input.key },
      'idempotency: abandon failed',
    );
  }
}
