/**
 * Adapters with a test hook spliced into their transactions, to act (kill a connection, take a
 * lock) at an exact point inside a reservation.
 * @module
 */
import type { SeshnAdapter, SeshnStore } from '@seshn/core';

/**
 * The adapter, with `hook` run inside each transaction right after `reserve` returned (before the
 * transaction commits). Everything else is passed through, bound to the real adapter.
 *
 * @example
 * const adapter = afterReserve(postgresAdapter({ connectionString }), async () => {
 *   await admin.query('SELECT pg_terminate_backend(...)');
 * });
 * await expect(createSeshn({ adapter }).bookings.create(input)).rejects.toThrow();
 */
export function afterReserve(adapter: SeshnAdapter, hook: () => Promise<void>): SeshnAdapter {
  const bind = (target: object, prop: string | symbol) => {
    const value = Reflect.get(target, prop);
    return typeof value === 'function' ? value.bind(target) : value;
  };
  return new Proxy(adapter, {
    get(target, prop) {
      if (prop !== 'transaction') return bind(target, prop);
      return <T>(fn: (tx: SeshnStore) => Promise<T>) =>
        target.transaction((tx) =>
          fn(
            new Proxy(tx, {
              get(inner, name) {
                if (name !== 'reserve') return bind(inner, name);
                return async (...args: Parameters<SeshnStore['reserve']>) => {
                  const result = await inner.reserve(...args);
                  await hook();
                  return result;
                };
              },
            }),
          ),
        );
    },
  });
}
