import { describe, expect, it } from 'vitest';
import { createSeshn } from './create-seshn.js';
import { SeshnError } from './errors/seshn-error.js';
import type { SeshnAdapter } from './ports/adapter.js';

describe('createSeshn', () => {
  it('names every method an adapter is missing', () => {
    const partial = {
      migrate: async () => {},
      transaction: async () => {},
      close: async () => {},
    } as unknown as SeshnAdapter;
    let error: unknown;
    try {
      createSeshn({ adapter: partial });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(SeshnError);
    const e = error as SeshnError;
    expect(e.code).toBe('validation_failed');
    expect(e.message).toContain('reserve');
    const paths = (e.details.fields as { path: string }[]).map((f) => f.path);
    expect(paths).toContain('adapter.reserve');
    expect(paths).toContain('adapter.claim');
    expect(paths).not.toContain('adapter.migrate');
  });

  it('rejects a missing adapter and a bad scope with validation_failed', () => {
    expect(() => createSeshn(undefined as never)).toThrow(SeshnError);
    const methods = new Proxy({}, { get: () => async () => undefined }) as SeshnAdapter;
    expect(() => createSeshn({ adapter: methods, mode: 'prod' as never })).toThrow(/mode/);
    expect(() => createSeshn({ adapter: methods, organizationId: '' })).toThrow(SeshnError);
  });

  it('resolves the clock per scope, for the handle and for every withScope', () => {
    const methods = new Proxy({}, { get: () => async () => undefined }) as SeshnAdapter;
    const asked: string[] = [];
    const seshn = createSeshn({
      adapter: methods,
      organizationId: 'org_a',
      clockFor: (scope) => {
        asked.push(`${scope.organizationId}/${scope.mode}`);
        return () => new Date(0);
      },
    });
    seshn.withScope({ organizationId: 'org_b', mode: 'test' });
    expect(asked).toEqual(['org_a/live', 'org_b/test']);
    expect(() => createSeshn({ adapter: methods, clockFor: 'x' as never })).toThrow(/clockFor/);
  });

  it('logs each call to the logger it is given: refusals at debug, its own failures at error', async () => {
    const failing = new Proxy(
      {},
      {
        get: (_t, name) =>
          ['migrate', 'transaction', 'close'].includes(String(name))
            ? async () => undefined
            : () => {
                throw new Error('disk on fire');
              },
      },
    ) as SeshnAdapter;
    const lines: { level: string; fields: Record<string, unknown> }[] = [];
    const at = (level: string) => (fields: Record<string, unknown>) => lines.push({ level, fields });
    const seshn = createSeshn({
      adapter: failing,
      logger: { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') },
    });
    await expect(seshn.bookings.get({ id: 'not-an-id' })).rejects.toMatchObject({
      code: 'validation_failed',
    });
    await expect(seshn.bookings.get('bkg_01')).rejects.toBeInstanceOf(Error);
    await expect(seshn.bookings.cancel('bkg_01', 'ill' as never)).rejects.toMatchObject({
      code: 'validation_failed',
    });
    expect(lines.map((l) => [l.level, l.fields.op, l.fields.code])).toEqual([
      ['debug', 'bookings.get', 'validation_failed'],
      ['error', 'bookings.get', expect.stringMatching(/storage_error|internal_error/)],
      ['debug', 'bookings.cancel', 'validation_failed'],
    ]);
    expect(() => createSeshn({ adapter: failing, logger: { info: () => {} } as never })).toThrow(/logger/);
  });

  it('checks a payment provider when it is given, before anything uses it', () => {
    const methods = new Proxy({}, { get: () => async () => undefined }) as SeshnAdapter;
    const provider = {
      name: 'fake',
      createIntent: async () => ({ id: 'pi_1', clientSecret: null, status: 'requires_payment_method' }),
      capture: async () => ({ status: 'succeeded' }),
      cancel: async () => ({ status: 'canceled' }),
      refund: async () => ({ id: 're_1', status: 'succeeded' }),
      parseEvent: async () => ({ id: 'evt_1', type: 'x', intentId: null, data: {} }),
    };
    expect(() => createSeshn({ adapter: methods, payments: provider })).not.toThrow();
    const { refund: _refund, ...noRefund } = provider;
    let error: unknown;
    try {
      createSeshn({ adapter: methods, payments: noRefund as never });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(SeshnError);
    expect((error as SeshnError).details.fields).toEqual([
      { path: 'payments.refund', message: 'Required payment provider method is missing' },
    ]);
  });
});
