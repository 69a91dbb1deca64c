import { operationList } from '@seshn/core';
import { describe, expect, it } from 'vitest';
import type { HttpOperation } from './core.js';
import { openApiDocument } from './openapi.js';

// biome-ignore lint/suspicious/noExplicitAny: a test reads the document's JSON freely
type OpenApiOperation = Record<string, any>;

describe('the OpenAPI document', () => {
  const doc = openApiDocument({ serverUrl: 'https://api.example.com/v1' });
  const operations = Object.values(doc.paths).flatMap((methods) => Object.values(methods)) as Array<
    Record<string, unknown>
  >;

  it('has every routed operation of the table once, by name', () => {
    const routed = (operationList as readonly HttpOperation[]).filter((op) => op.http).map((op) => op.name);
    expect(operations.map((op) => op.operationId).sort()).toEqual([...routed].sort());
    expect(doc.openapi).toBe('3.1.0');
    expect(doc.servers).toEqual([{ url: 'https://api.example.com/v1' }]);
  });

  it('references only schemas it defines, with no JSON Schema $defs left inside', () => {
    const text = JSON.stringify(doc);
    expect(text).not.toContain('$defs');
    expect(text).not.toContain('"$schema"');
    for (const [, name] of text.matchAll(/"#\/components\/schemas\/([^"]+)"/g)) {
      expect(doc.components.schemas, name).toHaveProperty(name as string);
    }
    for (const [, name] of text.matchAll(/"#\/components\/responses\/([^"]+)"/g)) {
      expect(doc.components.responses, name).toHaveProperty(name as string);
    }
  });

  it('writes path and query parameters, the body, and the error responses', () => {
    const cancel = doc.paths['/bookings/{id}/cancel']?.post as OpenApiOperation;
    expect(cancel.operationId).toBe('bookings.cancel');
    expect(cancel.tags).toEqual(['bookings']);
    expect(cancel.parameters).toContainEqual(
      expect.objectContaining({ name: 'id', in: 'path', required: true }),
    );
    expect(cancel.parameters).toContainEqual({ $ref: '#/components/parameters/IdempotencyKey' });
    expect(JSON.stringify(cancel.requestBody)).not.toContain('"id"');
    expect(cancel.responses['409']).toEqual({ $ref: '#/components/responses/Conflict' });

    const list = doc.paths['/bookings']?.get as OpenApiOperation;
    const names = list.parameters.map((p: { name: string }) => p.name);
    expect(names).toEqual(expect.arrayContaining(['limit', 'startingAfter', 'status']));
    expect(list.responses['200'].content['application/json'].example).toBeDefined();
    expect(doc.components.securitySchemes.secretKey).toEqual(
      expect.objectContaining({ type: 'http', scheme: 'bearer' }),
    );
  });
});
