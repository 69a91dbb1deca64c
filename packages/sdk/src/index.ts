/**
 * `@seshn/sdk`: the Seshn API over HTTP with the embedded handle's groups, methods and types.
 * No runtime dependencies: `fetch`, `URL`, `AbortController` and `crypto.randomUUID` only.
 * @module
 */
export {
  apiRoot,
  type FetchLike,
  type RequestOptions,
  randomUuid,
  routeList,
  Seshn,
  type SeshnOptions,
  type SeshnPublicOptions,
} from './client.js';
export type { Route } from './encode.js';
export { encodeQuery, encodeRequest, inputOf } from './encode.js';
export { type ClientErrorCode, type SdkErrorCode, SeshnError, type SeshnErrorInit } from './errors.js';
export { ROUTES } from './operations.generated.js';
export { type BackoffOptions, backoffDelay, parseRetryAfter, retryableStatus } from './retry.js';
export type {
  InputOf,
  OutputOf,
  Page,
  PageResult,
  RoutedOperation,
  SeshnClientApi,
  SeshnPublicApi,
} from './types.js';
