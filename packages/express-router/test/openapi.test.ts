/**
 * The OpenAPI 3.1 document: served at GET /v1/openapi.json by every mount (no key), valid for an
 * independent validator, one operation per routed operation of the table (operationId = name,
 * path and method as the table says), and the committed client types generated from it.
 */
import { readFileSync } from 'node:fs';
import { Validator } from '@seriousme/openapi-schema-validator';
import { createSeshn, type OperationSpec, operationList } from '@seshn/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openApiDocument } from '../src/index.js';
import { CLIENT_TYPES_FILE, generateClientTypes } from './generate-client-types.js';
import { adapterFor, call, MOUNTS, openDatabases, type RunningServer, startServer } from './harness.js';

// biome-ignore lint/suspicious/noExplicitAny: the document is read as JSON
type Json = any;

const databases = await openDatabases();
const seshn = createSeshn({ adapter: adapterFor(databases.sqlite) });
const servers: Partial<Record<(typeof MOUNTS)[number], RunningServer>> = {};
beforeAll(async () => {
  await seshn.migrate();
  for (const mount of MOUNTS) servers[mount] = await startServer(mount, seshn);
});
afterAll(async () => {
  await Promise.all(Object.values(servers).map((s) => s?.close()));
  await seshn.close();
  await databases.close();
});

const routed = (
  operationList as readonly (Omit<OperationSpec, 'http'> & { http: OperationSpec['http'] | null })[]
)
  .filter((op) => op.http !== null)
  .map((op) => ({ name: op.name, method: op.http!.method.toLowerCase(), path: op.http!.path, op }));

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];

/** Every operation of the document: path, method and the operation object. */
function operationsOf(doc: Json) {
  return Object.entries(doc.paths as Record<string, Json>).flatMap(([path, item]) =>
    Object.entries(item)
      .filter(([method]) => METHODS.includes(method))
      .map(([method, operation]) => ({ path, method, operation: operation as Json })),
  );
}

describe('GET /v1/openapi.json', () => {
  it.each(MOUNTS)('%s serves it with no key, equal to openApiDocument()', async (mount) => {
    const r = await call(servers[mount]!.baseUrl, 'GET', '/openapi.json');
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toMatch(/^application\/json/);
    expect(r.headers.get('request-id')).toMatch(/^req_/);
    expect(r.body.openapi).toBe('3.1.0');
    expect(r.body.paths).toEqual(JSON.parse(JSON.stringify(openApiDocument().paths)));
  });

  it('passes @seriousme/openapi-schema-validator as OpenAPI 3.1', async () => {
    const served = (await call(servers.handler!.baseUrl, 'GET', '/openapi.json')).body;
    for (const doc of [served, openApiDocument({ serverUrl: 'https://api.example.com/v1' })]) {
      const validator = new Validator();
      const result = await validator.validate(JSON.parse(JSON.stringify(doc)));
      expect(result.errors ?? []).toEqual([]);
      expect(result.valid).toBe(true);
      expect(validator.version).toBe('3.1');
    }
  });
});

describe('the document follows the operation table', () => {
  const doc: Json = JSON.parse(JSON.stringify(openApiDocument()));
  const documented = operationsOf(doc).filter((o) => o.path !== '/openapi.json');

  it('its operationIds are exactly the names of the routed operations, each once', () => {
    expect(routed.length).toBeGreaterThan(40);
    const ids = documented.map((o) => o.operation.operationId);
    expect(new Set(ids).size).toBe(ids.length);
    expect([...ids].sort()).toEqual(routed.map((r) => r.name).sort());
    expect(routed.map((r) => r.name)).toEqual(
      expect.arrayContaining(['apiKeys.create', 'auditLog.list', 'testClock.advance', 'availability.slots']),
    );
    expect(routed.map((r) => r.name)).not.toContain('organizations.create');
  });

  it.each(routed)(
    '$name is $method $path, with its path parameters, tags and responses',
    ({ name, method, path, op }) => {
      const operation = doc.paths[path]?.[method];
      expect(operation, `${method.toUpperCase()} ${path}`).toBeDefined();
      expect(operation.operationId).toBe(name);
      expect(operation.tags).toEqual([name.split('.')[0]]);
      expect(typeof operation.summary).toBe('string');
      const pathParams = [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]);
      const params = (operation.parameters ?? []).map((p: Json) =>
        p.$ref ? doc.components.parameters[p.$ref.split('/').pop()] : p,
      );
      for (const field of pathParams) {
        expect(params).toContainEqual(expect.objectContaining({ name: field, in: 'path', required: true }));
      }
      expect(operation.responses['200']).toBeDefined();
      for (const status of ['400', '401', '403', '429', '500']) {
        expect(operation.responses[status], `${name} ${status}`).toBeDefined();
      }
      if (method === 'post' || method === 'patch') {
        expect(operation.requestBody?.content?.['application/json']?.schema).toBeDefined();
      }
      if (method === 'get' || method === 'delete') expect(operation.requestBody).toBeUndefined();
      // Public operations also take a publishable key (or none, naming the organization).
      const security = JSON.stringify(operation.security ?? doc.security);
      expect(security).toContain('secretKey');
      // Exactly the public operations also take a publishable key or no key (Seshn-Organization).
      const isPublic = (op as { public?: boolean }).public === true;
      expect(security.includes('publishableKey'), `${name} publishableKey`).toBe(isPublic);
      expect(security.includes('organization'), `${name} organization`).toBe(isPublic);
    },
  );

  it('declares the shared Error schema and the security schemes', () => {
    expect(doc.components.securitySchemes.secretKey).toMatchObject({ type: 'http', scheme: 'bearer' });
    expect(doc.components.securitySchemes.publishableKey).toBeDefined();
    const error = JSON.stringify(doc.components.schemas.Error ?? doc.components.responses);
    for (const field of ['code', 'message', 'details', 'requestId']) expect(error).toContain(field);
  });
});

describe('the generated client types', () => {
  it('test/generated/openapi.d.ts is what openapi-typescript makes of openApiDocument() now', async () => {
    const committed = readFileSync(CLIENT_TYPES_FILE, 'utf8');
    const fresh = await generateClientTypes();
    // On a mismatch: node --conditions=dev-source --import tsx packages/express-router/test/generate-client-types.ts
    expect(committed === fresh, 'the committed client types are stale: regenerate them').toBe(true);
  }, 60_000);
});
