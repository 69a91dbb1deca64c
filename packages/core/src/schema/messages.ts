/**
 * Messages a person can act on for zod's built-in checks, and the one way a union input is
 * validated: pick the branch first, then report that branch's issues (docs/input-contract.md).
 * @module
 */
import { z } from 'zod';

const EXPECTED: Record<string, string> = {
  int: 'a whole number',
  number: 'a number',
  string: 'a string',
  boolean: 'true or false',
  object: 'an object',
  record: 'an object',
  array: 'an array',
  date: 'a Date',
  bigint: 'a bigint',
};

function received(input: unknown): string {
  if (input === null) return 'null';
  if (Array.isArray(input)) return 'an array';
  if (input instanceof Date) return 'a Date';
  if (typeof input === 'number') return Number.isFinite(input) ? String(input) : 'a non-finite number';
  if (typeof input === 'string') return 'a string';
  if (typeof input === 'object') return 'an object';
  return `a ${typeof input}`;
}

const UNITS: Record<string, string> = {
  string: ' characters',
  array: ' items',
  set: ' items',
  file: ' bytes',
};

/**
 * Per-parse error map (lower precedence than any message a schema sets itself): turns zod's
 * generic "Invalid input: expected int, received number" into "Expected a whole number, got 1.5".
 */
export const friendlyError: z.core.$ZodErrorMap = (issue) => {
  switch (issue.code) {
    case 'invalid_type': {
      const expected = EXPECTED[issue.expected] ?? String(issue.expected);
      if (issue.input === undefined) return `Required: ${expected}`;
      return `Expected ${expected}, got ${received(issue.input)}`;
    }
    case 'too_small': {
      const unit = UNITS[issue.origin] ?? '';
      const bound = issue.inclusive === false ? 'more than' : 'at least';
      return `Must be ${bound} ${String(issue.minimum)}${unit}`;
    }
    case 'too_big': {
      const unit = UNITS[issue.origin] ?? '';
      const bound = issue.inclusive === false ? 'less than' : 'at most';
      return `Must be ${bound} ${String(issue.maximum)}${unit}`;
    }
    case 'invalid_value':
      return `Expected one of: ${issue.values.map((v) => (typeof v === 'string' ? JSON.stringify(v) : String(v))).join(', ')}`;
    case 'unrecognized_keys':
      return 'Unknown field';
    default:
      return undefined;
  }
};

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * A union whose branch is chosen from the input before it is validated, so errors name the
 * fields of that branch instead of zod's "Invalid input" with an empty path.
 *
 * @param pick returns the index of the branch that should validate `value`.
 * @example
 * const Hold = branchedUnion([z.boolean(), z.object({ ttlSeconds: z.number() })], (v) => (isObject(v) ? 1 : 0));
 */
export function branchedUnion<const T extends readonly [z.ZodType, ...z.ZodType[]]>(
  branches: T,
  pick: (value: unknown) => number,
): z.ZodType<z.output<T[number]>, z.input<T[number]>> {
  const schema = z.unknown().transform((value, ctx) => {
    const branch = branches[pick(value)] ?? branches[0];
    const result = branch.safeParse(value, { error: friendlyError });
    if (result.success) return result.data as z.output<T[number]>;
    for (const issue of result.error.issues) {
      ctx.addIssue({ ...(issue as z.core.$ZodRawIssue), continue: false } as never);
    }
    return z.NEVER;
  }) as unknown as z.ZodType<z.output<T[number]>, z.input<T[number]>>;
  UNIONS.set(schema._zod.def, { branches, pick });
  return schema;
}

/**
 * The branches of every {@link branchedUnion}: it validates through a transform, which a JSON
 * Schema (OpenAPI) generator sees as "anything"; generators read the real `anyOf` from here.
 */
// Keyed by the schema's definition, which `.meta()`, `.optional()` … clones share with it.
const UNIONS = new WeakMap<object, { branches: readonly z.ZodType[]; pick: (value: unknown) => number }>();

/**
 * Documents a schema that validates through its own transform as the union of `branches` (for
 * JSON Schema and OpenAPI only: validation stays the schema's own), as a branched union is.
 */
export function documentAsUnion<S extends z.ZodType>(schema: S, branches: readonly z.ZodType[]): S {
  UNIONS.set(schema._zod.def, { branches, pick: () => 0 });
  return schema;
}

/** The branches of a {@link branchedUnion}, or `undefined` for any other schema. */
export function unionBranches(schema: z.ZodType): readonly z.ZodType[] | undefined {
  return UNIONS.get(schema._zod.def)?.branches;
}

/**
 * The same branched union with `shape` added to every branch (each must be an object schema):
 * how an operation's input carries the `id` next to a union body (`reschedule(id, { slotId })`).
 */
export function extendBranches<S extends z.ZodType, U extends z.core.$ZodLooseShape>(
  schema: S,
  shape: U,
): z.ZodType<z.output<S> & z.output<z.ZodObject<U>>, z.input<S> & z.input<z.ZodObject<U>>> {
  const union = UNIONS.get(schema._zod.def);
  if (!union) throw new TypeError('extendBranches needs a schema made by branchedUnion');
  const branches = union.branches.map((b) => (b as z.ZodObject).safeExtend(shape)) as unknown as [
    z.ZodType,
    ...z.ZodType[],
  ];
  return branchedUnion(branches, union.pick) as never;
}

/** `pick` for object inputs: the first branch whose key is present (not undefined), else `fallback`. */
export function byKey(keys: readonly (string | null)[], fallback: number) {
  return (value: unknown): number => {
    if (!isRecord(value)) return fallback;
    const i = keys.findIndex((k) => k !== null && value[k] !== undefined);
    return i < 0 ? fallback : i;
  };
}

/** `pick` for "a plain value or an object" unions: the object branch for objects. */
export const objectOr =
  (objectIndex: number, otherIndex: number) =>
  (value: unknown): number =>
    isRecord(value) ? objectIndex : otherIndex;
