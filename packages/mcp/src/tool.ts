/**
 * The mechanism that turns an operation of core's table into an MCP tool. A tool is a small
 * declarative record ({@link ToolSpec}): the operation's name, a description written for a model,
 * and how to say its result in a line of text. Everything else comes from the operation:
 *
 * - the input schema is the operation's zod input (`findOperation(name).input`): the tool
 *   validates with it, and advertises its JSON Schema (`jsonSchemaOf`), flattened to one object
 *   for models (a union of shapes becomes one object whose description names the alternatives);
 * - the output schema is the operation's output; `structuredContent` is the operation's result
 *   (wrapped as `{ [resultKey]: … }` when the result is not an object, e.g. a list of slots);
 * - read-only / destructive / idempotent hints follow from the operation's `mutates`.
 *
 * @module
 */

import type { StandardSchemaWithJSON } from '@modelcontextprotocol/server';
import { findOperation, jsonSchemaOf, type OperationSpec } from '@seshn/core';
import type { OperationName, ResultOf, SeshnMcpClient } from './client.js';

type Json = Record<string, unknown>;

/** What a tool's hooks get: the client, and the zone of a resource (cached per server). */
export interface ToolContext {
  client: SeshnMcpClient;
  /** The time zone of a resource (for showing a booking's times), or `undefined` if unknown. */
  zoneOf(resourceId: string): Promise<string | undefined>;
  /** Remembers a resource's zone (every slot carries one). */
  rememberZone(resourceId: string, timeZone: string): void;
}

/** One MCP tool over one operation. */
export interface ToolSpec<N extends OperationName = OperationName> {
  /** `seshn_…`: the tool's name. */
  name: `seshn_${string}`;
  /** The operation of core's table it calls (`findOperation(operation)`). */
  operation: N;
  title: string;
  /** Written for a model: when to use it, what to pass, what to do next. */
  description: string;
  /** Descriptions for a model of individual input fields (added to the advertised JSON Schema). */
  fields?: Record<string, string>;
  /** Key of `structuredContent` for a result that is not an object (`slots`, `price`). */
  resultKey?: string;
  /** The short human-readable text of a result (shown next to `structuredContent`). */
  text(result: ResultOf<N>, input: Json, ctx: ToolContext): string | Promise<string>;
  /**
   * Extra advice for a refusal, e.g. the next free slots after `slot_unavailable`; returns text
   * appended to the error message, or `undefined`.
   */
  recover?(error: ClientError, input: Json, ctx: ToolContext): Promise<string | undefined>;
}

/** Declares a tool; identity at run time (the generic ties `text` to the operation's result type). */
export function tool<const N extends OperationName>(spec: ToolSpec<N>): ToolSpec<N> {
  return spec;
}

/** A refusal from the client: the SDK's `SeshnError` or core's (same fields). */
export interface ClientError {
  code: string;
  message: string;
  details?: unknown;
  requestId?: string | null;
}

export function asClientError(error: unknown): ClientError {
  if (error && typeof error === 'object' && typeof (error as ClientError).code === 'string') {
    const e = error as ClientError;
    return {
      code: e.code,
      message: String(e.message ?? ''),
      details: e.details,
      requestId: e.requestId ?? null,
    };
  }
  const message = error instanceof Error ? error.message : String(error);
  return { code: 'client_error', message };
}

/** The operation a tool names; throws (at server creation) for a name not in the table. */
export function operationOf(spec: ToolSpec): OperationSpec {
  const op = findOperation(spec.operation);
  if (!op)
    throw new Error(`Tool ${spec.name} names ${spec.operation}, which is not an operation of core's table`);
  return op;
}

// ── JSON Schema for models ───────────────────────────────────────────────────────────────────

/** Moves every nested `$defs` to `defs` and drops nested `$schema` keys (in place). */
function hoistDefs(node: unknown, defs: Json): void {
  if (Array.isArray(node)) {
    for (const item of node) hoistDefs(item, defs);
    return;
  }
  if (!node || typeof node !== 'object') return;
  const obj = node as Json;
  delete obj.$schema;
  if (obj.$defs && typeof obj.$defs === 'object') {
    const nested = obj.$defs as Json;
    delete obj.$defs;
    for (const [k, v] of Object.entries(nested)) {
      if (k in defs) continue;
      defs[k] = v;
      hoistDefs(v, defs);
    }
  }
  for (const value of Object.values(obj)) hoistDefs(value, defs);
}

/** `schema` with the `$defs` it references (transitively), and no others. */
function withUsedDefs(schema: Json, defs: Json): Json {
  const used = new Set<string>();
  const visit = (node: unknown) => {
    if (Array.isArray(node)) return node.forEach(visit);
    if (!node || typeof node !== 'object') return;
    for (const [k, v] of Object.entries(node as Json)) {
      if (k === '$ref' && typeof v === 'string' && v.startsWith('#/$defs/')) {
        const name = v.slice('#/$defs/'.length);
        if (!used.has(name) && name in defs) {
          used.add(name);
          visit(defs[name]);
        }
      } else visit(v);
    }
  };
  visit(schema);
  if (used.size === 0) return schema;
  return { ...schema, $defs: Object.fromEntries([...used].sort().map((k) => [k, defs[k]])) };
}

/** The root of a schema with a root `$ref` resolved against its `$defs`. */
function resolveRoot(schema: Json, defs: Json): Json {
  let root = schema;
  for (let i = 0; i < 5 && typeof root.$ref === 'string' && root.$ref.startsWith('#/$defs/'); i++) {
    const target = defs[root.$ref.slice('#/$defs/'.length)] as Json | undefined;
    if (!target) break;
    const { $ref: _ref, ...rest } = root;
    root = { ...structuredClone(target), ...rest };
  }
  return root;
}

/**
 * The operation's input JSON Schema as one object a model can fill in: the root `$ref` resolved, a
 * root `anyOf` of objects merged into one object (properties of every branch; required = what
 * every branch requires) whose description names each alternative, and field descriptions added.
 */
export function modelInputSchema(op: OperationSpec, fields: Record<string, string> = {}): Json {
  const schema = structuredClone(jsonSchemaOf(op.input)) as Json;
  const defs: Json = {};
  hoistDefs(schema, defs);
  let root = resolveRoot(schema, defs);
  const branches = Array.isArray(root.anyOf) ? (root.anyOf as Json[]).map((b) => resolveRoot(b, defs)) : null;
  if (branches?.every((b) => b.type === 'object')) {
    const properties: Json = {};
    for (const b of branches) Object.assign(properties, { ...(b.properties as Json), ...properties });
    const required = branches
      .map((b) => (b.required as string[] | undefined) ?? [])
      .reduce((acc, r) => acc.filter((k) => r.includes(k)));
    const alternatives = branches
      .map((b) => {
        const own = ((b.required as string[] | undefined) ?? []).filter((k) => !required.includes(k));
        return own.length ? own.join(' + ') : '(no extra field)';
      })
      .join(', or ');
    const { anyOf: _anyOf, ...rest } = root;
    root = {
      ...rest,
      type: 'object',
      properties,
      ...(required.length ? { required } : {}),
      additionalProperties: false,
      description: [rest.description, `Give one of: ${alternatives}.`].filter(Boolean).join(' '),
    };
  }
  const properties = (root.properties ?? {}) as Json;
  for (const [name, description] of Object.entries(fields)) {
    const prop = properties[name] as Json | undefined;
    if (prop) properties[name] = { ...prop, description };
  }
  const { $schema: _s, ...body } = root;
  return withUsedDefs(body, defs);
}

/** The JSON Schema of `structuredContent`: the operation's output, wrapped when not an object. */
export function modelOutputSchema(op: OperationSpec, resultKey: string | undefined): Json {
  const schema = structuredClone(jsonSchemaOf(op.output, 'output')) as Json;
  const defs: Json = {};
  hoistDefs(schema, defs);
  const { $schema: _s, ...root } = resolveRoot(schema, defs);
  const withDefs = (s: Json) => withUsedDefs(s, defs);
  if (root.type === 'object' && !resultKey) return withDefs(root);
  if (!resultKey) throw new Error(`${op.name} does not answer an object: its tool needs a resultKey`);
  return withDefs({ type: 'object', properties: { [resultKey]: root }, required: [resultKey] });
}

/**
 * A Standard Schema carrying a JSON Schema for the MCP server. Its `validate` only checks that the
 * arguments are an object: the tool validates them with the operation's zod schema itself, so a
 * refusal is an actionable tool error naming the fields rather than a protocol error.
 */
export function standardSchema(json: Json, vendor = 'seshn'): StandardSchemaWithJSON<Json, Json> {
  return {
    '~standard': {
      version: 1,
      vendor,
      validate: (value: unknown) =>
        value !== null && typeof value === 'object' && !Array.isArray(value)
          ? { value: value as Json }
          : { issues: [{ message: 'Arguments must be a JSON object' }] },
      jsonSchema: { input: () => json, output: () => json },
    },
  };
}
