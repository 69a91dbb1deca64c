/**
 * `@seshn/express-router`: the `/v1` HTTP API over the operation table (in progress: today the
 * error code → HTTP status table).
 * @module
 */
export { HTTP_STATUS, httpStatusOf } from './status.js';
