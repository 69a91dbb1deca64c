/**
 * Core wraps the adapter once: it checks the adapter has every method of the contract when
 * `createSeshn` builds it, and turns driver errors into `SeshnError('storage_error')` with the
 * original as `cause`, so callers only ever see one error type.
 * @module
 */
import { SeshnError } from '../errors/seshn-error.js';
import { ADAPTER_METHODS, type SeshnAdapter, type SeshnStore } from '../ports/adapter.js';

export function assertAdapter(adapter: unknown): asserts adapter is SeshnAdapter {
  const a = adapter as Record<string, unknown> | null | undefined;
  const missing = ADAPTER_METHODS.filter((m) => typeof a?.[m] !== 'function');
  if (missing.length > 0) {
    throw new SeshnError('validation_failed', `The adapter is missing: ${missing.join(', ')}`, {
      fields: missing.map((m) => ({ path: `adapter.${m}`, message: 'Required adapter method is missing' })),
    });
  }
}

function toStorageError(error: unknown, method: string): unknown {
  if (error instanceof SeshnError) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new SeshnError(
    'storage_error',
    `Storage failed in ${method}: ${message}`,
    { method },
    { cause: error },
  );
}

function wrapStore<T extends SeshnStore>(store: T, passThrough: WeakSet<object>): T {
  return new Proxy(store, {
    get(target, prop, receiver) {
      const value = Reflect.get(target, prop, receiver);
      if (typeof value !== 'function' || typeof prop !== 'string') return value;
      if (prop === 'transaction') {
        return (fn: (tx: SeshnStore) => Promise<unknown>) =>
          (value as SeshnAdapter['transaction'])
            .call(target, async (tx) => {
              try {
                return await fn(wrapStore(tx, passThrough));
              } catch (error) {
                // The callback's own errors (a failed guard, a conflict) leave untouched.
                if (error && typeof error === 'object') passThrough.add(error);
                throw error;
              }
            })
            .catch((error: unknown) => {
              throw error && typeof error === 'object' && passThrough.has(error)
                ? error
                : toStorageError(error, prop);
            });
      }
      return (...args: unknown[]) => {
        try {
          const result = (value as (...a: unknown[]) => unknown).apply(target, args);
          return result instanceof Promise
            ? result.catch((e) => Promise.reject(toStorageError(e, prop)))
            : result;
        } catch (error) {
          throw toStorageError(error, prop);
        }
      };
    },
  });
}

export function guardAdapter(adapter: SeshnAdapter): SeshnAdapter {
  return wrapStore(adapter, new WeakSet());
}
