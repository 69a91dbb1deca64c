/**
 * The routes, read off the operation table: one per operation with an HTTP binding. Nothing
 * here names an operation; an operation added to the table is routed, parsed and documented
 * without a change to this package.
 * @module
 */
import { OPERATIONS } from '@seshn/core';
import { type HttpOperation, jsonSchemaOf } from './core.js';
import { type InputFields, inputFieldsOf } from './schema.js';

export type HttpMethod = 'GET' | 'POST' | 'PATCH' | 'DELETE';

export interface Route {
  op: HttpOperation;
  /** The handle's group and method: `seshn[group][method](input)`. */
  group: string;
  method: string;
  httpMethod: HttpMethod;
  /** As the table writes it: `/bookings/{id}/cancel`. */
  path: string;
  /** As Hono writes it: `/bookings/:id/cancel`. */
  honoPath: string;
  /** The `{field}` segments, in order. */
  pathFields: string[];
  /** Whether input comes from the query string (GET, DELETE) or a JSON body (POST, PATCH). */
  inputFrom: 'query' | 'body';
  /** The input's fields, from its JSON Schema (for query coercion and the OpenAPI document). */
  fields: InputFields;
  /** Matches a request path (for `405` and its `Allow` list). */
  pattern: RegExp;
}

const PARAM_RE = /\{([A-Za-z_][A-Za-z0-9_]*)\}/g;

function patternOf(path: string): RegExp {
  const source = path
    .split(PARAM_RE)
    .map((part, i) => (i % 2 === 1 ? '[^/]+' : part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
    .join('');
  return new RegExp(`^${source}/?$`);
}

function buildRoutes(): Route[] {
  const routes: Route[] = [];
  for (const [group, operations] of Object.entries(OPERATIONS)) {
    for (const [method, spec] of Object.entries(operations as Record<string, HttpOperation>)) {
      const binding = spec.http;
      if (!binding) continue; // embedded only (organizations.*)
      routes.push({
        op: spec,
        group,
        method,
        httpMethod: binding.method,
        path: binding.path,
        honoPath: binding.path.replace(PARAM_RE, ':$1'),
        pathFields: [...binding.path.matchAll(PARAM_RE)].map((m) => m[1] as string),
        inputFrom: binding.method === 'GET' || binding.method === 'DELETE' ? 'query' : 'body',
        fields: inputFieldsOf(jsonSchemaOf(spec.input, 'input')),
        pattern: patternOf(binding.path),
      });
    }
  }
  // Fixed segments before parameters, so `/contacts/search` is not read as `/contacts/{id}`
  // (Hono tries handlers in the order they were added). The sort is stable: table order stays.
  const specificity = (route: Route) =>
    route.path
      .split('/')
      .map((segment) => (segment.startsWith('{') ? '1' : '0'))
      .join('');
  return routes.sort((a, b) =>
    specificity(a) < specificity(b) ? -1 : specificity(a) > specificity(b) ? 1 : 0,
  );
}

let cached: Route[] | undefined;

/** Every route, computed once (the table does not change at run time). */
export function routes(): readonly Route[] {
  cached ??= buildRoutes();
  return cached;
}

const METHOD_ORDER = ['GET', 'HEAD', 'POST', 'PATCH', 'DELETE'];

/** The methods some route answers at `path` (relative to the base path), for `405` + `Allow`. */
export function allowedMethods(path: string): string[] {
  const methods = new Set<string>();
  for (const route of routes()) if (route.pattern.test(path)) methods.add(route.httpMethod);
  if (methods.has('GET')) methods.add('HEAD');
  return METHOD_ORDER.filter((m) => methods.has(m));
}
