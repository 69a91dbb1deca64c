/**
 * `@seshn/testing` (internal): the adapter conformance suite every Seshn adapter runs.
 *
 * @example
 * // packages/adapter-x/test/conformance.test.ts
 * import { runConformanceSuite } from '@seshn/testing';
 * runConformanceSuite({ name: 'x', createAdapter: async () => xAdapter(...), raw: () => kysely, decodeInstant: Number });
 * @module
 */

export { runConformanceSuite } from './suite.js';
export type { ConformanceTarget, ProcessAdapterSpec } from './types.js';
