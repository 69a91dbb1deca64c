import { describe, expect, it, vi } from 'vitest';
import type { BeginResult, RequestStore } from './core.js';
import { HttpError } from './errors.js';
import { fingerprintOf, idempotent } from './idempotency.js';
import { silentLogger } from './options.js';

/** A store answering `begin` from a script, recording finish/abandon. */
function scripted(...answers: BeginResult[]): RequestStore & { finished: unknown[]; abandoned: unknown[] } {
  const finished: unknown[] = [];
  const abandoned: unknown[] = [];
  return {
    finished,
    abandoned,
    begin: vi.fn(async (): Promise<BeginResult> => answers.shift() ?? { state: 'run' }),
    finish: async (input) => {
      finished.push(input);
    },
    abandon: async (input) => {
      abandoned.push(input);
    },
  };
}

const base = {
  key: 'k',
  fingerprint: 'f',
  operation: 'bookings.create',
  logger: silentLogger,
  requestId: 'req_1',
};
const ok = async () => ({ status: 200, body: '{"id":"bkg_1"}', headers: {} });

describe('Idempotency-Key', () => {
  it('fingerprints method, path and body with fields in any order', () => {
    expect(fingerprintOf('POST', '/bookings', { a: 1, b: { c: 2, d: 3 } })).toBe(
      fingerprintOf('POST', '/bookings', { b: { d: 3, c: 2 }, a: 1 }),
    );
    expect(fingerprintOf('POST', '/bookings', { a: 1 })).not.toBe(
      fingerprintOf('POST', '/contacts', { a: 1 }),
    );
  });

  it('runs and stores a first request, replays a stored one as it was', async () => {
    const store = scripted({ state: 'run' });
    expect(await idempotent({ ...base, store, waitMs: 0, run: ok })).toMatchObject({ status: 200 });
    expect(store.finished).toEqual([{ key: 'k', status: 200, body: '{"id":"bkg_1"}' }]);
    const replay = await idempotent({
      ...base,
      store: scripted({ state: 'replay', status: 409, body: '{"error":{}}' }),
      waitMs: 0,
      run: ok,
    });
    expect(replay).toEqual({
      status: 409,
      body: '{"error":{}}',
      headers: { 'Idempotent-Replayed': 'true' },
      replayed: true,
    });
  });

  it('does not store a refused input, a refused caller or a failure of ours', async () => {
    for (const outcome of [
      { status: 400, body: '{}', headers: {}, code: 'validation_failed' },
      { status: 403, body: '{}', headers: {}, code: 'forbidden' },
      { status: 503, body: '{}', headers: {}, code: 'storage_error' },
    ]) {
      const store = scripted({ state: 'run' });
      await idempotent({ ...base, store, waitMs: 0, run: async () => outcome });
      expect(store.finished).toEqual([]);
      expect(store.abandoned).toEqual([{ key: 'k' }]);
    }
  });

  it('waits while the key is in flight, then gives up with in_progress', async () => {
    const store = scripted(
      { state: 'busy' },
      { state: 'busy' },
      { state: 'replay', status: 200, body: '"x"' },
    );
    expect((await idempotent({ ...base, store, waitMs: 1000, run: ok })).body).toBe('"x"');
    const stuck = scripted(...Array.from({ length: 100 }, () => ({ state: 'busy' }) as const));
    const error = await idempotent({ ...base, store: stuck, waitMs: 60, run: ok }).catch((e) => e);
    expect(error).toBeInstanceOf(HttpError);
    expect(error).toMatchObject({
      code: 'idempotency_conflict',
      status: 409,
      details: { reason: 'in_progress' },
    });
  });
});
