/**
 * The client's types, computed from core's `SeshnApi` (the embedded handle's type) restricted to
 * the operations that have an HTTP route (`ROUTES`): same groups, same methods, same call forms,
 * same input and result types. List methods also iterate every item of every page.
 * Type-only imports: nothing here exists at run time.
 * @module
 */
import type { SeshnApi } from '@seshn/core';
import type { ROUTES } from './operations.generated.js';

type Routes = typeof ROUTES;

/** `group.method` of every operation with an HTTP route. */
export type RoutedOperation = keyof Routes;

type GroupOf<N> = N extends `${infer G}.${string}` ? G : never;
type MethodOf<G extends string, N = RoutedOperation> = N extends `${G}.${infer M}` ? M : never;

/** A cursor page, as every list operation answers. */
export interface Page<T> {
  data: T[];
  hasMore: boolean;
}

/**
 * What a list method returns: a promise of the first page that is also an async iterable over
 * every item of every page (`for await (const b of seshn.bookings.list({ … }))`), fetched one
 * page at a time with `startingAfter` = the last id of the page before.
 */
export interface PageResult<P extends { data: readonly unknown[] }>
  extends Promise<P>,
    AsyncIterable<P['data'][number]> {}

type ClientMethod<M, Paginated> = Paginated extends true
  ? M extends (...args: infer A) => Promise<infer R>
    ? R extends { data: readonly unknown[]; hasMore: boolean }
      ? (...args: A) => PageResult<R>
      : M
    : M
  : M;

/** The client's groups: `SeshnApi`'s, with the methods that have a route. */
export type SeshnClientApi = {
  [G in GroupOf<RoutedOperation> & keyof SeshnApi]: {
    [M in MethodOf<G> & keyof SeshnApi[G]]: ClientMethod<
      SeshnApi[G][M],
      Routes[`${G}.${M & string}` & RoutedOperation]['paginated']
    >;
  };
};

type PublicOperation = {
  [N in RoutedOperation]: Routes[N]['public'] extends true ? N : never;
}[RoutedOperation];

/**
 * What a publishable key or keyless public mode may call (`availability.*`, `pricing.quote`,
 * `services.get/list`): annotate a browser client with it to keep other calls out at compile
 * time — `const widget: SeshnPublicApi = new Seshn('pk_live_…', { baseUrl })`.
 */
export type SeshnPublicApi = {
  [G in GroupOf<PublicOperation> & keyof SeshnClientApi]: Pick<
    SeshnClientApi[G],
    MethodOf<G & string, PublicOperation> & keyof SeshnClientApi[G]
  >;
};

/** The input type of operation `N` (`'bookings.create'`): its one-object form. */
export type InputOf<N extends RoutedOperation> = N extends `${infer G}.${infer M}`
  ? G extends keyof SeshnApi
    ? M extends keyof SeshnApi[G]
      ? SeshnApi[G][M] extends (input: infer I) => unknown
        ? NonNullable<I>
        : never
      : never
    : never
  : never;

/** The result type of operation `N`. */
export type OutputOf<N extends RoutedOperation> = N extends `${infer G}.${infer M}`
  ? G extends keyof SeshnApi
    ? M extends keyof SeshnApi[G]
      ? SeshnApi[G][M] extends (...args: never[]) => Promise<infer R>
        ? R
        : never
      : never
    : never
  : never;
