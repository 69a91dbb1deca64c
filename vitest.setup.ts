/**
 * Runs before every test file: every fast-check property (`fc.assert`, `@fast-check/vitest`) uses
 * one fixed seed, so a failure repeats run after run and on every machine. fast-check prints the
 * seed (and the shrunk counterexample's `path`) when a property fails.
 *
 * - `FC_SEED=<integer>` runs the properties with another seed (e.g. the one a failure printed);
 * - `FC_SEED=random` lets fast-check draw a fresh seed per property, to explore beyond the fixed one.
 * @module
 */
import fc from 'fast-check';
import { fastCheckSeed } from './packages/testing/src/fast-check-seed.js';

const seed = fastCheckSeed(process.env.FC_SEED);
if (seed !== undefined) fc.configureGlobal({ ...fc.readConfigureGlobal(), seed });
