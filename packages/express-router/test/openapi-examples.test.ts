/**
 * The examples of the OpenAPI document are what a developer sends first from
 * Postman or a generated client; each should be accepted by the operation it illustrates, and each
 * response example should be an answer the server could give.
 */
import { type OperationSpec, operationList } from '@seshn/core';
import { describe, expect, it } from 'vitest';
import { openApiDocument } from '../src/index.js';

// biome-ignore lint/suspicious/noExplicitAny: the document is read as JSON
type Json = any;
const doc: Json = JSON.parse(JSON.stringify(openApiDocument()));
const routed = (
  operationList as readonly (Omit<OperationSpec, 'http'> & { http: OperationSpec['http'] | null })[]
)
  .filter((op) => op.http !== null)
  .map((op) => ({ name: op.name, op, operation: doc.paths[op.http!.path][op.http!.method.toLowerCase()] }));

// The operation's example call names its parameters' values; a parameter's schema examples
// describe its values, not that the example call sends it.
const exampleOf = (p: Json) => p.example ?? (Object.values(p.examples ?? {})[0] as Json)?.value;
const issues = (result: {
  success: boolean;
  error?: { issues: { path: PropertyKey[]; message: string }[] };
}) =>
  result.success ? [] : result.error!.issues.slice(0, 3).map((i) => `${i.path.join('.')}: ${i.message}`);

describe('the examples of the OpenAPI document', () => {
  it.each(routed)(
    '$name: its request example (parameters + body) passes its input schema',
    ({ op, operation }) => {
      const input: Record<string, unknown> = {
        ...(operation.requestBody?.content?.['application/json']?.example ?? {}),
      };
      for (const p of operation.parameters ?? []) {
        if (p.$ref || p.in === 'header') continue;
        const example = exampleOf(p);
        if (example !== undefined) input[p.name] = example;
      }
      expect(issues(op.input.safeParse(input))).toEqual([]);
    },
  );

  it.each(routed)('$name: its 200 example passes its output schema', ({ op, operation }) => {
    const example = operation.responses['200']?.content?.['application/json']?.example;
    expect(example).toBeDefined();
    expect(issues(op.output.safeParse(example))).toEqual([]);
  });

  it('no request property is an empty (any) schema: bookingSeries.create documents its recurrence', () => {
    const recurrence = doc.components.schemas.BookingSeriesCreate.properties.recurrence;
    expect(recurrence).not.toEqual({});
  });
});
