import { describe, expect, it } from 'vitest';
import type { EngineContext } from '../engine/context.js';
import { SeshnError } from '../errors/seshn-error.js';
import { unionBranches } from '../schema/messages.js';
import { buildEngine, type Engine } from './engine.js';
import { bindOperations, inputOf } from './handle.js';
import { jsonSchemaOf } from './json-schema.js';
import type { OperationSpec } from './operation.js';
import { findOperation, OPERATIONS, operationList } from './table.js';

/** Engine factories only close over the context; none touches it until a method runs. */
const idleContext = {} as EngineContext;

/** An engine whose every method records its call and returns the call. */
function recordingEngine() {
  const calls: { method: string; args: unknown[] }[] = [];
  const engine = new Proxy(
    {},
    {
      get: (_t, group: string) =>
        new Proxy(
          {},
          {
            get:
              (_g, method: string) =>
              async (...args: unknown[]) => {
                calls.push({ method: `${group}.${method}`, args });
                return { called: `${group}.${method}` };
              },
          },
        ),
    },
  ) as Engine;
  return { engine, calls };
}

/** The schema a document's root `$ref` points at (named schemas sit in `$defs`). */
function root(json: Record<string, unknown>): Record<string, unknown> {
  const ref = json.$ref as string | undefined;
  if (!ref) return json;
  return (json.$defs as Record<string, Record<string, unknown>>)[ref.replace('#/$defs/', '')]!;
}

/** Top-level field names an input schema takes (every branch of a union). */
function inputFields(op: OperationSpec): Set<string> {
  const schemas = unionBranches(op.input) ?? [op.input];
  const fields = new Set<string>();
  for (const s of schemas) {
    const json = root(jsonSchemaOf(s));
    for (const key of Object.keys((json.properties as object | undefined) ?? {})) fields.add(key);
  }
  return fields;
}

describe('the operation table', () => {
  it('has one operation per engine method, named after its place in the table', () => {
    const engine = buildEngine(idleContext);
    expect(Object.keys(OPERATIONS).sort()).toEqual(Object.keys(engine).sort());
    for (const [group, ops] of Object.entries(OPERATIONS)) {
      const methods = Object.keys(engine[group as keyof Engine]).sort();
      expect(Object.keys(ops).sort(), group).toEqual(methods);
      for (const [method, op] of Object.entries(ops)) expect(op.name).toBe(`${group}.${method}`);
    }
    expect(new Set(operationList.map((op) => op.name)).size).toBe(operationList.length);
    expect(findOperation('bookings.create')).toBe(OPERATIONS.bookings.create);
  });

  it('gives every operation a unique route whose path fields are input fields', () => {
    const routes = operationList.flatMap((op) => (op.http ? [`${op.http.method} ${op.http.path}`] : []));
    expect(new Set(routes).size).toBe(routes.length);
    for (const op of operationList) {
      const fields = inputFields(op);
      for (const [, name] of (op.http?.path ?? '').matchAll(/\{(\w+)\}/g)) {
        expect(fields.has(name!), `${op.name}: {${name}}`).toBe(true);
      }
      for (const name of op.positional) expect(fields.has(name), `${op.name}: ${name}`).toBe(true);
    }
  });

  it('declares reads as reads: GET never mutates, and what mutates needs write or admin', () => {
    for (const op of operationList) {
      if (op.http?.method === 'GET') expect(op.mutates, op.name).toBe(false);
      if (op.mutates) expect(op.permission, op.name).not.toBe('read');
      // A read is `read`, or `admin` for what only admins may see (API keys, the audit log).
      else expect(['read', 'admin'], op.name).toContain(op.permission);
      // Public operations are reads; embedded-only ones have no route.
      if (op.public) expect(op.mutates, op.name).toBe(false);
    }
    expect(OPERATIONS.organizations.create.http).toBeNull();
    expect(OPERATIONS.testClock.advance.testModeOnly).toBe(true);
    expect(OPERATIONS.resources.create.permission).toBe('admin');
    expect(OPERATIONS.bookings.create.permission).toBe('write');
  });

  it('turns every input and output into JSON Schema, with instants as date-time strings and unions as anyOf', () => {
    for (const op of operationList) {
      const input = root(jsonSchemaOf(op.input, 'input'));
      const output = root(jsonSchemaOf(op.output, 'output'));
      // Never "anything": a generator could not describe the operation.
      expect(
        Object.keys(input).filter((k) => k !== '$schema'),
        op.name,
      ).not.toEqual([]);
      expect(
        Object.keys(output).filter((k) => k !== '$schema'),
        op.name,
      ).not.toEqual([]);
    }
    const create = root(jsonSchemaOf(OPERATIONS.bookings.create.input));
    expect(create.anyOf).toHaveLength(2);
    const branch = (create.anyOf as Record<string, unknown>[])[1]!;
    const byStart = root(branch) as { properties: Record<string, unknown> };
    expect(byStart.properties.startTime).toEqual({ $ref: '#/$defs/Instant' });
    expect((branch.$defs as Record<string, unknown>).Instant).toMatchObject({
      type: 'string',
      format: 'date-time',
    });
    expect(JSON.stringify(jsonSchemaOf(OPERATIONS.bookings.get.output, 'output'))).toContain('"expiresAt"');
  });
});

describe('the handle derived from the table', () => {
  it('maps the short forms of the product pages onto the one input object', () => {
    const op = (name: string) => findOperation(name)!;
    expect(inputOf(op('bookings.confirm'), ['bkg_1'])).toEqual({ id: 'bkg_1' });
    expect(inputOf(op('bookings.confirm'), [{ id: 'bkg_1' }])).toEqual({ id: 'bkg_1' });
    expect(inputOf(op('bookings.cancel'), ['bkg_1', { reason: 'ill' }])).toEqual({
      id: 'bkg_1',
      reason: 'ill',
    });
    expect(inputOf(op('bookingSeries.cancelOccurrence'), ['bks_1', 3])).toEqual({ id: 'bks_1', index: 3 });
    expect(inputOf(op('bookingSeries.cancelOccurrence'), ['bks_1', 3, { reason: 'x' }])).toEqual({
      id: 'bks_1',
      index: 3,
      reason: 'x',
    });
    expect(inputOf(op('resources.update'), ['rsc_1', { name: 'B' }])).toEqual({ id: 'rsc_1', name: 'B' });
    // The positional id wins over one smuggled in the rest.
    expect(inputOf(op('bookings.cancel'), ['bkg_1', { id: 'bkg_2' }])).toEqual({ id: 'bkg_1' });
    expect(inputOf(op('bookings.get'), [])).toEqual({});
    expect(inputOf(op('bookings.list'), [])).toBeUndefined();
    expect(() => inputOf(op('bookings.cancel'), ['bkg_1', 'ill'])).toThrow(SeshnError);
  });

  it('calls the engine method of each operation with what it was given, in both forms', async () => {
    const { engine, calls } = recordingEngine();
    const api = bindOperations(engine);
    await api.bookings.create({ slotId: 'slot_x', contactId: 'ct_1', seats: 2 });
    await api.bookings.confirm('bkg_1');
    await api.bookings.confirm({ id: 'bkg_1' });
    await api.bookings.reschedule('bkg_1', { startTime: '2030-01-07T10:00:00Z' });
    await api.bookingSeries.cancelOccurrence('bks_1', 3);
    await api.bookingSeries.cancelOccurrence({ id: 'bks_1', index: 3, reason: 'away' });
    await api.bookingSeries.rescheduleOccurrence('bks_1', 2, { slotId: 'slot_y' });
    await api.resources.update('rsc_1', { name: 'Studio B' });
    await api.allocations.delete('alc_1');
    await api.availability.query({ serviceId: 'svc_1', from: '2030-01-07', to: '2030-01-08' });
    expect(calls).toEqual([
      { method: 'bookings.create', args: [{ slotId: 'slot_x', contactId: 'ct_1', seats: 2 }] },
      { method: 'bookings.confirm', args: ['bkg_1'] },
      { method: 'bookings.confirm', args: ['bkg_1'] },
      { method: 'bookings.reschedule', args: ['bkg_1', { startTime: '2030-01-07T10:00:00Z' }] },
      { method: 'bookingSeries.cancelOccurrence', args: ['bks_1', 3, {}] },
      { method: 'bookingSeries.cancelOccurrence', args: ['bks_1', 3, { reason: 'away' }] },
      { method: 'bookingSeries.rescheduleOccurrence', args: ['bks_1', 2, { slotId: 'slot_y' }] },
      { method: 'resources.update', args: ['rsc_1', { name: 'Studio B' }] },
      { method: 'allocations.delete', args: ['alc_1'] },
      { method: 'availability.query', args: [{ serviceId: 'svc_1', from: '2030-01-07', to: '2030-01-08' }] },
    ]);
    // Every operation of the table is a method of the handle.
    for (const [group, ops] of Object.entries(OPERATIONS)) {
      for (const method of Object.keys(ops)) {
        expect(typeof (api as unknown as Record<string, Record<string, unknown>>)[group]![method]).toBe(
          'function',
        );
      }
    }
  });
});
