import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_FC_SEED, fastCheckSeed } from './fast-check-seed.js';

const seed = fastCheckSeed(process.env.FC_SEED);

/** The report of a property that fails for some integers, or null when it passes. */
function failureReport(): string | null {
  try {
    fc.assert(fc.property(fc.integer(), fc.integer(), (a, b) => (a + b) % 5 !== 3));
    return null;
  } catch (error) {
    return (error as Error).message;
  }
}

describe('fast-check runs with a fixed seed (vitest.setup.ts)', () => {
  it('every property uses the default seed, or FC_SEED when given', () => {
    expect(fc.readConfigureGlobal().seed).toBe(seed);
    if (process.env.FC_SEED === undefined) expect(seed).toBe(DEFAULT_FC_SEED);
  });

  it('draws the same values every run', () => {
    if (seed === undefined) return; // FC_SEED=random explores on purpose
    expect(fc.sample(fc.integer(), 20)).toEqual(fc.sample(fc.integer(), 20));
  });

  it('a failing property fails the same way twice, and its report names the seed to replay', () => {
    if (seed === undefined) return;
    const first = failureReport();
    expect(first).not.toBeNull();
    expect(failureReport()).toBe(first);
    expect(first).toContain(`seed: ${seed}`);
  });

  it('reads FC_SEED as an integer or `random`, and rejects anything else', () => {
    expect(fastCheckSeed(undefined)).toBe(DEFAULT_FC_SEED);
    expect(fastCheckSeed('')).toBe(DEFAULT_FC_SEED);
    expect(fastCheckSeed('42')).toBe(42);
    expect(fastCheckSeed(' -7 ')).toBe(-7);
    expect(fastCheckSeed('random')).toBeUndefined();
    expect(() => fastCheckSeed('soon')).toThrow(/FC_SEED/);
    expect(() => fastCheckSeed('1.5')).toThrow(/FC_SEED/);
  });
});
