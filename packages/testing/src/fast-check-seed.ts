/**
 * The seed every fast-check property in the repository runs with (see `vitest.setup.ts` at the
 * root, which applies it with `fc.configureGlobal` before each test file).
 * @module
 */

/** The seed every property runs with unless `FC_SEED` says otherwise. */
export const DEFAULT_FC_SEED = 20_260_107;

/**
 * The seed `FC_SEED` asks for: unset or empty → {@link DEFAULT_FC_SEED}; an integer → that seed
 * (as the 32-bit integer fast-check uses); `random` → undefined (fast-check draws a fresh seed per
 * property and prints it on failure). Anything else throws.
 *
 * @example
 * fastCheckSeed(process.env.FC_SEED); // 20260107 unless FC_SEED is set
 * fastCheckSeed('-1183432891'); // replays the seed a failure printed
 */
export function fastCheckSeed(env: string | undefined): number | undefined {
  const value = env?.trim();
  if (value === undefined || value === '') return DEFAULT_FC_SEED;
  if (value === 'random') return undefined;
  const seed = Number(value);
  if (!/^-?\d+$/.test(value) || !Number.isSafeInteger(seed)) {
    throw new Error(`FC_SEED must be an integer or 'random', got ${JSON.stringify(value.slice(0, 20))}`);
  }
  return seed | 0;
}
