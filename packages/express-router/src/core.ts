/**
 * What this package takes from `@seshn/core`, in one place: the handle, the principal a key
 * stands for, the idempotency store, and each operation's JSON Schema.
 * @module
 */
import {
  jsonSchemaOf,
  type OperationSpec,
  type Principal,
  type Seshn,
  type SeshnRequests,
} from '@seshn/core';

export type { Principal };
export { jsonSchemaOf };

export type JsonSchema = Record<string, unknown>;

/** The handle as the router uses it (any handle from `createSeshn`). */
export type HttpSeshn = Seshn;

/** The HTTP idempotency store of one scope (`seshn.requests`). */
export type RequestStore = SeshnRequests;

export type BeginResult = Awaited<ReturnType<SeshnRequests['begin']>>;

/** An operation as the router reads it (`http: null`: embedded only). */
export type HttpOperation = OperationSpec;
