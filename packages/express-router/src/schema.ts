/**
 * Reading core's JSON Schemas (`jsonSchemaOf`) the way the router needs them: one flat map of
 * named definitions, and the fields an operation's input takes. Branched unions are generated
 * branch by branch, so a branch carries its own `$schema` and `$defs`; both are lifted here so
 * every `$ref` points into one table (OpenAPI's `components.schemas`, or a lookup map).
 * @module
 */
import type { JsonSchema } from './core.js';

const isObject = (value: unknown): value is JsonSchema =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * A copy of `schema` without `$schema` or `$defs` anywhere, its `#/$defs/X` references rewritten
 * to `${refPrefix}X`, and the definitions it held added to `defs` (the first of a name wins:
 * names come from core's schema registry, so one name is one schema).
 */
export function liftDefs(
  schema: JsonSchema,
  defs: Record<string, JsonSchema>,
  refPrefix: string,
): JsonSchema {
  const walk = (node: unknown): unknown => {
    if (Array.isArray(node)) return node.map(walk);
    if (!isObject(node)) return node;
    const out: JsonSchema = {};
    for (const [key, value] of Object.entries(node)) {
      if (key === '$schema') continue;
      if (key === '$defs' && isObject(value)) {
        for (const [name, def] of Object.entries(value)) {
          if (!(name in defs)) defs[name] = walk(def) as JsonSchema;
        }
        continue;
      }
      if (key === '$ref' && typeof value === 'string' && value.startsWith('#/$defs/')) {
        out[key] = refPrefix + value.slice('#/$defs/'.length);
        continue;
      }
      out[key] = walk(value);
    }
    return out;
  };
  return walk(schema) as JsonSchema;
}

/** The fields of an input schema, over the branches of a union (a field of any branch is a field). */
export interface InputFields {
  /** Each field's schema, references resolved at the top (the field's own node). */
  properties: Map<string, JsonSchema>;
  /** Fields every branch requires. */
  required: Set<string>;
  /** The definitions the schemas refer to (`#/$defs/X` → `defs.X`). */
  defs: Record<string, JsonSchema>;
}

/** Follows `$ref`s (into `defs`) until a schema with content. */
export function deref(node: JsonSchema, defs: Record<string, JsonSchema>): JsonSchema {
  let current = node;
  for (let hops = 0; hops < 16 && typeof current.$ref === 'string'; hops++) {
    const name = current.$ref.slice(current.$ref.lastIndexOf('/') + 1);
    const next = defs[name];
    if (!next) break;
    const { $ref: _ref, ...rest } = current;
    current = { ...next, ...rest };
  }
  return current;
}

/** The object branches of a schema: itself, or the members of its `anyOf` / `oneOf`. */
export function objectBranches(node: JsonSchema, defs: Record<string, JsonSchema>): JsonSchema[] {
  const resolved = deref(node, defs);
  const members = (resolved.anyOf ?? resolved.oneOf) as JsonSchema[] | undefined;
  if (Array.isArray(members)) return members.flatMap((m) => objectBranches(m, defs));
  return isObject(resolved.properties) || resolved.type === 'object' ? [resolved] : [];
}

export function inputFieldsOf(schema: JsonSchema): InputFields {
  const defs: Record<string, JsonSchema> = {};
  const root = liftDefs(schema, defs, '#/$defs/');
  const branches = objectBranches(root, defs);
  const properties = new Map<string, JsonSchema>();
  const requiredCounts = new Map<string, number>();
  for (const branch of branches) {
    for (const [name, field] of Object.entries((branch.properties as Record<string, JsonSchema>) ?? {})) {
      if (!properties.has(name)) properties.set(name, deref(field, defs));
    }
    for (const name of (branch.required as string[]) ?? []) {
      requiredCounts.set(name, (requiredCounts.get(name) ?? 0) + 1);
    }
  }
  const required = new Set(
    [...requiredCounts].filter(([, count]) => count === branches.length).map(([name]) => name),
  );
  return { properties, required, defs };
}

/** The JSON types a schema admits (`type`, and those of its `anyOf` / `oneOf` members). */
export function typesOf(node: JsonSchema, defs: Record<string, JsonSchema>): Set<string> {
  const resolved = deref(node, defs);
  const types = new Set<string>();
  const own = resolved.type;
  if (typeof own === 'string') types.add(own);
  else if (Array.isArray(own)) for (const t of own) types.add(String(t));
  if ('const' in resolved) types.add(resolved.const === null ? 'null' : typeof resolved.const);
  if (Array.isArray(resolved.enum)) for (const v of resolved.enum) types.add(v === null ? 'null' : typeof v);
  for (const member of ((resolved.anyOf ?? resolved.oneOf) as JsonSchema[] | undefined) ?? []) {
    for (const t of typesOf(member, defs)) types.add(t);
  }
  // A schema with no type information (`{}`, `metadata`) takes anything.
  if (types.size === 0 && !resolved.not) types.add('any');
  return types;
}

/** The item schema of an array-admitting schema (the first array member of a union). */
export function itemsOf(node: JsonSchema, defs: Record<string, JsonSchema>): JsonSchema | undefined {
  const resolved = deref(node, defs);
  if (resolved.type === 'array') return isObject(resolved.items) ? resolved.items : {};
  for (const member of ((resolved.anyOf ?? resolved.oneOf) as JsonSchema[] | undefined) ?? []) {
    const items = itemsOf(member, defs);
    if (items) return items;
  }
  return undefined;
}
