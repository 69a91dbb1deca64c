/**
 * What the MCP server needs of a Seshn client: the handle's groups and methods it calls, with the
 * handle's own input and result types. `new Seshn(apiKey, { baseUrl })` from `@seshn/sdk` has this
 * shape, and so does an embedded handle from `createSeshn` (handy in tests and in-process agents).
 * @module
 */
import type { OperationTable, SeshnApi } from '@seshn/core';

/** `group.method` of every operation of core's table, e.g. `bookings.create`. */
export type OperationName = {
  [G in keyof OperationTable & string]: `${G}.${keyof OperationTable[G] & string}`;
}[keyof OperationTable & string];

type GroupOf<N extends OperationName> = N extends `${infer G}.${string}` ? G & keyof SeshnApi : never;
type MethodNameOf<N extends OperationName> = N extends `${string}.${infer M}` ? M : never;

/** The handle method an operation is called through. */
export type MethodFor<N extends OperationName> = SeshnApi[GroupOf<N>][MethodNameOf<N> &
  keyof SeshnApi[GroupOf<N>]];

/** The result an operation resolves to (its output schema's type). */
export type ResultOf<N extends OperationName> =
  MethodFor<N> extends (...args: never[]) => Promise<infer R> ? R : never;

/** The part of `SeshnApi` the MCP tools call: only these methods, in the one-object form. */
export interface SeshnMcpClient {
  availability: Pick<SeshnApi['availability'], 'query'>;
  pricing: Pick<SeshnApi['pricing'], 'quote'>;
  services: Pick<SeshnApi['services'], 'list'>;
  resources: Pick<SeshnApi['resources'], 'get'>;
  contacts: Pick<SeshnApi['contacts'], 'find'>;
  bookings: Pick<
    SeshnApi['bookings'],
    'create' | 'get' | 'list' | 'confirm' | 'cancel' | 'reschedule' | 'checkIn'
  >;
  entitlements: Pick<SeshnApi['entitlements'], 'balance'>;
  waitlist: Pick<SeshnApi['waitlist'], 'join'>;
}
