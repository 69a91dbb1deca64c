/**
 * The tool table: every tool names an operation of core's table and validates with that
 * operation's zod input schema; the advertised schemas are the operation's, as one flat object
 * for models; and a tool for another operation is a few lines.
 */
import { Client, InMemoryTransport } from '@modelcontextprotocol/client';
import { findOperation, jsonSchemaOf, operationList } from '@seshn/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSeshnMcpServer, SESHN_TOOLS, schemasOf, tool } from '../src/index.js';
import { type SeshnFixture, startSeshn } from './fixture.js';
import { TOOL_NAMES } from './flow.js';

// biome-ignore lint/suspicious/noExplicitAny: JSON Schemas and results read by the tests
type Json = Record<string, any>;

/** Every `properties` key of a JSON Schema's root or of its root `anyOf` branches (refs resolved). */
function fieldsOf(schema: Json): string[] {
  const defs = (schema.$defs ?? {}) as Json;
  const resolve = (s: Json): Json => (typeof s.$ref === 'string' ? resolve(defs[s.$ref.slice(8)] ?? {}) : s);
  const root = resolve(schema);
  const branches = (root.anyOf as Json[] | undefined)?.map(resolve) ?? [root];
  return [...new Set(branches.flatMap((b) => Object.keys(b.properties ?? {})))].sort();
}

function refsOf(node: unknown, out: string[] = []): string[] {
  if (Array.isArray(node)) {
    for (const n of node) refsOf(n, out);
  } else if (node && typeof node === 'object') {
    for (const [k, v] of Object.entries(node)) {
      if (k === '$ref' && typeof v === 'string') out.push(v);
      else refsOf(v, out);
    }
  }
  return out;
}

describe('the tool table', () => {
  it('has the tools the product promises whose operations exist', () => {
    expect(SESHN_TOOLS.map((t) => t.name).sort()).toEqual([...TOOL_NAMES].sort());
  });

  it.each(SESHN_TOOLS.map((t) => [t.name, t] as const))(
    '%s names an operation and validates with its input schema',
    (_n, spec) => {
      const op = findOperation(spec.operation);
      expect(op, `${spec.operation} is in core's table`).toBeDefined();
      expect(operationList).toContain(op);
      const compiled = schemasOf(spec);
      expect(compiled.op).toBe(op);
      expect(compiled.input).toBe(op!.input); // the very zod schema, not a copy

      const advertised = compiled.inputSchema['~standard'].jsonSchema.input({
        target: 'draft-2020-12',
      }) as Json;
      expect(advertised.type).toBe('object');
      expect(advertised.anyOf).toBeUndefined();
      // The same fields as the operation's own JSON Schema (a union flattened into one object).
      expect(Object.keys(advertised.properties).sort()).toEqual(fieldsOf(jsonSchemaOf(op!.input)));
      for (const field of Object.keys(spec.fields ?? {})) {
        expect(advertised.properties[field]?.description, `${spec.name}.${field}`).toBe(spec.fields![field]);
      }
      // Self-contained: every $ref points into its own $defs; no nested $schema.
      for (const ref of refsOf(advertised)) expect(advertised.$defs?.[ref.slice(8)], ref).toBeDefined();
      expect(JSON.stringify(advertised)).not.toContain('$schema');

      const output = compiled.outputSchema['~standard'].jsonSchema.output({
        target: 'draft-2020-12',
      }) as Json;
      expect(output.type).toBe('object');
      for (const ref of refsOf(output)) expect(output.$defs?.[ref.slice(8)], ref).toBeDefined();
      expect(op!.mutates ? spec.name : 'read').not.toMatch(/^seshn_(get|list|find|check_availability|quote)/);
    },
  );

  it('refuses a tool that names no operation', () => {
    const ghost = tool({
      name: 'seshn_ghost',
      operation: 'bookings.vanish' as never,
      title: 'x',
      description: 'x',
      text: () => '',
    });
    expect(() => schemasOf(ghost)).toThrow(/not an operation of core's table/);
  });
});

describe('a new tool is a few lines', () => {
  let fx: SeshnFixture;
  beforeAll(async () => {
    fx = await startSeshn();
  });
  afterAll(() => fx?.close());

  it('serves a record for another operation of the table', async () => {
    const getService = tool({
      name: 'seshn_get_service',
      operation: 'services.get',
      title: 'Get a service',
      description: 'One service by id, with its length, capacity and pricing.',
      text: (s) => `${s.name}: ${s.durationMinutes} min`,
    });
    const server = createSeshnMcpServer(fx.handle as never, { tools: [...SESHN_TOOLS, getService] });
    const [a, b] = InMemoryTransport.createLinkedPair();
    await server.connect(b);
    const client = new Client({ name: 't', version: '1' });
    await client.connect(a);
    try {
      const r = await client.callTool({ name: 'seshn_get_service', arguments: { id: fx.serviceId } });
      expect(r.isError).toBeFalsy();
      expect(r.structuredContent).toMatchObject({ id: fx.serviceId, object: 'service' });
      expect(r.content).toEqual([{ type: 'text', text: 'Yoga: 60 min' }]);
    } finally {
      await client.close();
      await server.close();
    }
  });
});
