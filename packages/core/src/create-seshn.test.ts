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
});
