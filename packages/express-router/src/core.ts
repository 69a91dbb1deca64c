/**
 * What this package takes from `@seshn/core`, in one place: the handle, the principal a key
 * stands for, the idempotency store, and each operation's JSON Schema.
 * @module
 */
import type { OperationSpec, Principal, Seshn, SeshnRequests } from '@seshn/core';
// TEMPORARY: core's root entry does not export `jsonSchemaOf` yet (it is in `api/index.ts`
// only). Asked of core's owner; replace by `import { jsonSchemaOf } from '@seshn/core'` (until
// then a build of this package would bundle core's copy: the package stays private).
import { jsonSchemaOf } from '../../core/src/api/json-schema.js';

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
