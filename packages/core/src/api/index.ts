/**
 * The operation table and what is derived from it (see `table.ts`).
 * @module
 */
export { buildEngine, type Engine } from './engine.js';
export { bindOperations, inputOf, type SeshnApi } from './handle.js';
export { jsonSchemaOf } from './json-schema.js';
export type {
  GroupMethods,
  HttpBinding,
  HttpMethod,
  MethodOf,
  OperationSpec,
  Permission,
  TypedOperation,
} from './operation.js';
export { findOperation, OPERATIONS, type OperationTable, operationList } from './table.js';
