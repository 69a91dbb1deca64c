/**
 * Checks real answers against the OpenAPI document: for a request to a documented route, the
 * body the server accepted must validate against the declared request body, the status must be
 * one the operation declares, and the JSON body must validate against the schema declared for
 * that status (JSON Schema 2020-12, with formats), by an independent validator (Ajv,
 * which @seriousme/openapi-schema-validator is built on and brings along).
 * @module
 */
import { createRequire } from 'node:module';
import { openApiDocument } from '../src/index.js';

// Ajv comes with the OpenAPI validator (a devDependency of this package), not on its own.
const requireFromValidator = createRequire(
  createRequire(import.meta.url).resolve('@seriousme/openapi-schema-validator'),
);
type AjvError = { instancePath: string; message?: string; params?: unknown };
type ValidateFn = ((data: unknown) => boolean) & { errors?: AjvError[] | null };
const Ajv2020 = requireFromValidator('ajv/dist/2020').default as new (
  options: object,
) => {
  addSchema(schema: object, key: string): void;
  getSchema(ref: string): ValidateFn | undefined;
};
const addFormats = requireFromValidator('ajv-formats').default as (ajv: unknown) => void;

// biome-ignore lint/suspicious/noExplicitAny: the document is read as JSON
type Json = any;

export interface Answer {
  method: string;
  /** The path under `/v1`, e.g. `/bookings/bkg_…/confirm`. */
  path: string;
  status: number;
  body: unknown;
  /** The JSON body sent, if any. */
  request?: unknown;
}

const pointer = (...parts: string[]) =>
  parts.map((p) => p.replaceAll('~', '~0').replaceAll('/', '~1')).join('/');

/** A checker for answers, over the document `openApiDocument()` makes now. */
export function responseChecker() {
  const doc: Json = JSON.parse(JSON.stringify(openApiDocument()));
  const ajv = new Ajv2020({ strict: false, allErrors: true, validateFormats: true });
  addFormats(ajv);
  ajv.addSchema(doc, 'doc');
  const routes = Object.keys(doc.paths)
    .map((template) => ({
      template,
      params: (template.match(/\{/g) ?? []).length,
      re: new RegExp(`^${template.replace(/\{\w+\}/g, '[^/]+')}$`),
    }))
    .sort((a, b) => a.params - b.params);
  const cache = new Map<string, ValidateFn>();
  const compiled = (ref: string) => {
    let validate = cache.get(ref);
    if (!validate) {
      validate = ajv.getSchema(ref);
      if (validate) cache.set(ref, validate);
    }
    return validate;
  };

  /** What is wrong with `answer` (empty: nothing), or `null` when its route is not documented. */
  return function check(answer: Answer): string[] | null {
    const route = routes.find(
      (r) => r.re.test(answer.path) && doc.paths[r.template][answer.method.toLowerCase()],
    );
    if (!route) return null;
    const method = answer.method.toLowerCase();
    const operation = doc.paths[route.template][method];
    let response = operation.responses[String(answer.status)];
    let where = pointer('paths', route.template, method, 'responses', String(answer.status));
    const name = `${operation.operationId} ${answer.status}`;
    if (!response) return [`${name}: status ${answer.status} is not declared`];
    // A body the server accepted (2xx) must be one the document allows.
    const problems: string[] = [];
    if (answer.status < 300 && answer.request !== undefined && operation.requestBody) {
      const requestRef = `doc#/${pointer('paths', route.template, method, 'requestBody', 'content', 'application/json', 'schema')}`;
      const validateRequest = compiled(requestRef);
      if (!validateRequest) problems.push(`${name}: cannot resolve ${requestRef}`);
      else if (!validateRequest(answer.request)) {
        problems.push(
          ...(validateRequest.errors ?? [])
            .slice(0, 5)
            .map(
              (e) =>
                `${operation.operationId} request: ${e.instancePath || '/'} ${e.message} ${JSON.stringify(e.params)}`,
            ),
        );
      }
    }
    if (response.$ref) {
      where = response.$ref.slice(2);
      response = doc.components.responses[response.$ref.split('/').pop()];
    }
    const media = response.content?.['application/json'];
    if (!media?.schema) return [`${name}: no JSON schema declared`];
    const ref = `doc#/${where}/content/${pointer('application/json')}/schema`;
    const validate = compiled(ref);
    if (!validate) return [...problems, `${name}: cannot resolve ${ref}`];
    if (validate(answer.body)) return problems;
    return [
      ...problems,
      ...(validate.errors ?? [])
        .slice(0, 5)
        .map((e) => `${name}: ${e.instancePath || '/'} ${e.message} ${JSON.stringify(e.params)}`),
    ];
  };
}
