/**
 * Deterministic randomness for tests, so a failing sequence or race replays from its seed.
 * @module
 */

/**
 * A seeded PRNG (mulberry32): floats in [0, 1), the same sequence for the same seed.
 *
 * @example
 * const random = seededRandom(7);
 * const start = T0 + Math.floor(random() * 12) * 30 * MINUTE;
 */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
