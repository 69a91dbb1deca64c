/**
 * The SDK's own error: what the server answered (`{ error: { code, message, details, requestId } }`)
 * with the HTTP status, or what went wrong before an answer arrived (`connection_error`,
 * `timeout`, `aborted`, `invalid_response`).
 * @module
 */
import type { SeshnErrorCode } from '@seshn/core';

/** Codes only the client produces: no answer, or an answer that is not the API's. */
export type ClientErrorCode = 'connection_error' | 'timeout' | 'aborted' | 'invalid_response';

/** Every code a `SeshnError` of the SDK may carry: the server's (core's and the router's) and the client's. */
export type SdkErrorCode =
  | SeshnErrorCode
  | 'method_not_allowed'
  | 'payload_too_large'
  | 'unsupported_media_type'
  | 'rate_limited'
  | ClientErrorCode
  // A code a newer server may add: still a string, still a SeshnError.
  | (string & {});

export interface SeshnErrorInit {
  code: SdkErrorCode;
  message: string;
  details?: Record<string, unknown>;
  requestId?: string | null;
  /** The HTTP status, or `null` when no answer arrived. */
  status?: number | null;
  cause?: unknown;
}

/**
 * A refusal or failure of a call: `code` is stable (core's codes, see the API reference),
 * `details` structured (`details.fields` for `validation_failed`), `requestId` the server's
 * `Request-Id` to quote in a support request.
 */
export class SeshnError extends Error {
  override readonly name = 'SeshnError';
  readonly code: SdkErrorCode;
  readonly details: Record<string, unknown>;
  readonly requestId: string | null;
  readonly status: number | null;

  constructor(init: SeshnErrorInit) {
    super(init.message, init.cause === undefined ? undefined : { cause: init.cause });
    this.code = init.code;
    this.details = init.details ?? {};
    this.requestId = init.requestId ?? null;
    this.status = init.status ?? null;
  }

  toJSON() {
    return {
      code: this.code,
      message: this.message,
      details: this.details,
      requestId: this.requestId,
      status: this.status,
    };
  }
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** The code a status stands for when the body is not the API's error shape (a proxy's page). */
function codeOfStatus(status: number): SdkErrorCode {
  if (status === 400) return 'validation_failed';
  if (status === 401) return 'unauthorized';
  if (status === 403) return 'forbidden';
  if (status === 404) return 'not_found';
  if (status === 429) return 'rate_limited';
  if (status === 503) return 'storage_error';
  if (status >= 500) return 'internal_error';
  return 'invalid_response';
}

/** The `SeshnError` of an error answer: its body's `error` object, or one made from the status. */
export function errorFromResponse(status: number, body: unknown, requestId: string | null): SeshnError {
  const error = isRecord(body) && isRecord(body.error) ? body.error : null;
  if (error && typeof error.code === 'string') {
    return new SeshnError({
      code: error.code,
      message: typeof error.message === 'string' ? error.message : `HTTP ${status}`,
      details: isRecord(error.details) ? error.details : {},
      requestId: typeof error.requestId === 'string' ? error.requestId : requestId,
      status,
    });
  }
  return new SeshnError({
    code: codeOfStatus(status),
    message: `HTTP ${status} without a Seshn error body`,
    details: { body: typeof body === 'string' ? body.slice(0, 200) : body },
    requestId,
    status,
  });
}
