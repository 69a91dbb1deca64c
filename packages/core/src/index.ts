/**
 * `@seshn/core`: the domain model, the pure engines and `createSeshn`.
 * @module
 */

export type * from './availability/types.js';
export * from './errors/index.js';
export * from './schema/common.js';
export * from './schema/hours.js';
export { parseInput } from './schema/parse.js';
export * from './time/index.js';
