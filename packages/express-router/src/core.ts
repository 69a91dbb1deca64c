/**
 * What this package takes from `@seshn/core`, in one place. Part of it is the tenancy API that
 * core is gaining with the HTTP issue (`authenticate`, `withPrincipal`, `requests`, `Principal`,
 * `OperationSpec.http: … | null`, `public`): until those land, the types are written here from
 * the agreed contract, and the handle is read through `HttpSeshn` so the router compiles against
 * either core. When core exports them, this file re-exports core's instead.
 * @module
 */
import type { OperationSpec, Seshn } from '@seshn/core';
// TEMPORARY: core's root entry does not export `jsonSchemaOf` yet (it is in `api/index.ts`
// only). Asked of core's owner; replace by `import { jsonSchemaOf } from '@seshn/core'`.
import { jsonSchemaOf } from '../../core/src/api/json-schema.js';

export { jsonSchemaOf };

export type JsonSchema = Record<string, unknown>;

export type ApiKeyRole = 'owner' | 'admin' | 'staff' | 'readonly';

/** Who a request acts for: an API key, or nobody (public operations of one organization). */
export type Principal =
  | {
      type: 'api_key';
      keyId: string;
      keyType: 'secret' | 'publishable';
      organizationId: string;
      mode: 'live' | 'test';
      role: ApiKeyRole | null;
      scopes: string[] | null;
    }
  | { type: 'anonymous'; organizationId: string; mode: 'live' | 'test' };

export type BeginResult =
  | { state: 'run' }
  | { state: 'replay'; status: number; body: string }
  | { state: 'conflict' }
  | { state: 'busy' };

/** The HTTP idempotency store of one scope (`seshn.requests`). */
export interface RequestStore {
  begin(input: {
    key: string;
    fingerprint: string;
    operation: string;
    leaseMs?: number;
  }): Promise<BeginResult>;
  finish(input: { key: string; status: number; body: string }): Promise<void>;
  abandon(input: { key: string }): Promise<void>;
}

/** The handle as the router uses it: core's `Seshn` plus the tenancy methods of the contract. */
export type HttpSeshn = Seshn & {
  authenticate?(secret: string): Promise<Principal | null>;
  withPrincipal?(principal: Principal, options?: { requestId?: string }): HttpSeshn;
  requests?: RequestStore;
};

/** An operation as the router reads it (`http` may be `null`: embedded only). */
export type HttpOperation = Omit<OperationSpec, 'http'> & {
  http: OperationSpec['http'] | null;
  public?: boolean;
  testModeOnly?: boolean;
};
