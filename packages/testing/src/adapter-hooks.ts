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
  return wrapTransactionMethod(
    adapter,
    'reserve',
    (reserve) =>
      (async (...args: Parameters<SeshnStore['reserve']>) => {
        const result = await reserve(...args);
        await hook();
        return result;
      }) as SeshnStore['reserve'],
  );
}

/**
 * The adapter, with one method of every transaction handle replaced by `wrap(original)`: to fail
 * a write at an exact step (the event insert of a booking) or act between two steps.
 *
 * @example
 * const failing = wrapTransactionMethod(adapter, 'enqueue', () => async () => {
 *   throw new Error('outbox down');
 * });
 */
export function wrapTransactionMethod<K extends keyof SeshnStore>(
  adapter: SeshnAdapter,
  method: K,
  wrap: (original: SeshnStore[K]) => SeshnStore[K],
): SeshnAdapter {
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
                const value = bind(inner, name);
                return name === method ? wrap(value as SeshnStore[K]) : value;
              },
            }),
          ),
        );
    },
  });
}
