/**
 * What one public operation is: its name, its input and output as zod schemas, whether it changes
 * anything, the permission an API key needs for it, where it lives over HTTP, and how it runs on
 * the engine. Everything a caller can reach — the embedded handle, and the HTTP routes, OpenAPI
 * document, SDK and MCP tools built on it — is derived from these records, so they cannot drift.
 * @module
 */
import type { z } from 'zod';
import type { Engine } from './engine.js';

/** What an API key must be allowed to do: `read` data, `write` bookings and contacts, `admin` the catalog. */
export type Permission = 'read' | 'write' | 'admin';

export type HttpMethod = 'GET' | 'POST' | 'PATCH' | 'DELETE';

/**
 * Where the operation lives under `/v1`. `{name}` segments are input fields taken from the path;
 * for `GET` and `DELETE` the other fields are query parameters, otherwise the JSON body.
 */
export interface HttpBinding {
  method: HttpMethod;
  path: `/${string}`;
}

export interface OperationSpec<
  I extends z.ZodType = z.ZodType,
  O extends z.ZodType = z.ZodType,
  P extends readonly string[] = readonly string[],
> {
  /** `group.method`, e.g. `bookings.create`: the handle's `seshn.bookings.create`. */
  name: `${string}.${string}`;
  /** One line for people (OpenAPI summary, MCP tool description). */
  summary: string;
  /** Everything the operation takes, as one object. */
  input: I;
  output: O;
  mutates: boolean;
  permission: Permission;
  /** Where it lives over HTTP; `null` for an operation only the embedding app may call (`organizations.*`). */
  http: HttpBinding | null;
  /**
   * Callable by a publishable key (`pk_…`), and without a key for a service whose config says
   * `public: true` (availability, pricing, the service itself).
   */
  public?: boolean;
  /** Only in test mode (the test clock): in live mode it is `forbidden`, `details.reason: 'live_mode'`. */
  testModeOnly?: boolean;
  /**
   * Input fields the handle also takes as leading positional arguments, as the product pages
   * write them: `get(id)`, `confirm(id)`, `update(id, patch)`, `cancelOccurrence(id, 3)`. The
   * argument after them (if any) is an object with the remaining fields.
   */
  positional: P;
  /** Runs the operation; the engine validates `input` with the same schema. */
  run(engine: Engine, input: z.input<I>): Promise<z.output<O>>;
}

/** An operation whose handle method has a hand-written (narrower) type, e.g. overloads on a flag. */
export interface TypedOperation<M> {
  /** Type-only: the method type the handle exposes. Never set at run time. */
  readonly method?: M;
}

/**
 * Declares one operation. Identity at run time; the generics keep each operation's own input,
 * output and positional arguments for the handle's types.
 */
export function operation<I extends z.ZodType, O extends z.ZodType, const P extends readonly string[] = []>(
  spec: Omit<OperationSpec<I, O, P>, 'positional'> & { positional?: P },
): OperationSpec<I, O, P> {
  return { ...spec, positional: (spec.positional ?? []) as unknown as P };
}

/** A group of operations (`bookings`, `resources`, …) by method name. */
export type OperationGroup = Record<string, OperationSpec>;

// ── The handle's method types, derived from a spec ────────────────────────────────────────────

/** `Omit` over each member of a union (a union input stays a union). */
type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

/** `[input?]` when every field is optional, else `[input]`. */
type InputArgs<In> = object extends In ? [input?: In] : [input: In];

type RestArgs<In, K extends PropertyKey> =
  object extends DistributiveOmit<In, K> ? [rest?: DistributiveOmit<In, K>] : [rest: DistributiveOmit<In, K>];

type PositionalArgs<In, P extends readonly string[]> = P extends readonly [
  infer A extends keyof In & string,
  infer B extends keyof In & string,
]
  ? [a: In[A], b: In[B], ...RestArgs<In, A | B>]
  : P extends readonly [infer A extends keyof In & string]
    ? [a: In[A], ...RestArgs<In, A>]
    : never;

/** The handle method of an operation: the one-object form, plus the positional form if it has one. */
export type MethodOf<Op> = Op extends { readonly method?: infer M }
  ? unknown extends M
    ? DerivedMethod<Op>
    : M
  : DerivedMethod<Op>;

type DerivedMethod<Op> =
  Op extends OperationSpec<infer I, infer O, infer P>
    ? P extends readonly []
      ? (...args: InputArgs<z.input<I>>) => Promise<z.output<O>>
      : {
          (...args: PositionalArgs<z.input<I>, P>): Promise<z.output<O>>;
          (input: z.input<I>): Promise<z.output<O>>;
        }
    : never;

/** The handle's side of a group: one method per operation. */
export type GroupMethods<G> = { [M in keyof G]: MethodOf<G[M]> };
