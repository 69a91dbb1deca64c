/**
 * `@seshn/express-router`: the `/v1` HTTP API over core's operation table, as one fetch handler
 * (`createSeshnHandler`) and its mounts for Express (`seshnRouter`) and Fastify (`seshnFastify`),
 * with its OpenAPI 3.1 document (`openApiDocument`) and error code → status table.
 * @module
 */
export type { HttpSeshn, Principal } from './core.js';
export { ROUTER_STATUS, type RouterErrorCode } from './errors.js';
export { seshnListener, seshnRouter } from './express.js';
export { type SeshnFastifyOptions, seshnFastify } from './fastify.js';
export { createSeshnHandler, type SeshnFetchHandler } from './handler.js';
export { type OpenApiDocument, type OpenApiOptions, openApiDocument } from './openapi.js';
export type { CorsOptions, HttpLogger, SeshnHttpOptions } from './options.js';
export { HTTP_STATUS, httpStatusOf } from './status.js';
