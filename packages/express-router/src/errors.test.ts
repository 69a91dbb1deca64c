import { SeshnError } from '@seshn/core';
import { describe, expect, it, vi } from 'vitest';
import { errorOutcome, HttpError } from './errors.js';
import { silentLogger } from './options.js';

describe('error outcomes', () => {
  it('answers a SeshnError with its code, status, message and details', () => {
    const outcome = errorOutcome(SeshnError.notFound('booking', 'bkg_1'), 'req_1', silentLogger);
    expect(outcome.status).toBe(404);
    expect(JSON.parse(outcome.body)).toEqual({
      error: {
        code: 'not_found',
        message: 'No booking with id bkg_1',
        details: { kind: 'booking', id: 'bkg_1' },
        requestId: 'req_1',
      },
    });
  });

  it("answers the router's own codes with their status and headers", () => {
    const outcome = errorOutcome(
      HttpError.of('method_not_allowed', 'no', {}, { Allow: 'GET' }),
      'req_2',
      silentLogger,
    );
    expect(outcome).toMatchObject({ status: 405, code: 'method_not_allowed', headers: { Allow: 'GET' } });
  });

  it('keeps failures of ours opaque: generic message, no details, the cause only in the log', () => {
    const error = vi.fn();
    const logger = { ...silentLogger, error };
    const bug = errorOutcome(new TypeError('secret internals'), 'req_3', logger);
    expect(bug.status).toBe(500);
    expect(bug.body).not.toContain('secret internals');
    expect(JSON.parse(bug.body).error).toMatchObject({
      code: 'internal_error',
      details: {},
      requestId: 'req_3',
    });
    const storage = errorOutcome(
      new SeshnError('storage_error', 'deadlock on table slot_seats', { table: 'slot_seats' }),
      'req_4',
      logger,
    );
    expect(storage.status).toBe(503);
    expect(storage.body).not.toContain('slot_seats');
    expect(error).toHaveBeenCalledTimes(2);
    expect(error.mock.calls[0]?.[0]).toMatchObject({ requestId: 'req_3', err: expect.any(TypeError) });
  });
});
