/**
 * Every error the API answers has one shape, `{ error: { code, message, details, requestId } }`,
 * whoever raised it: core (`SeshnError`, status from `HTTP_STATUS`), the router itself (an
 * unknown route, a wrong method, a bad body), or a bug. Failures of Seshn's own (`internal_error`,
 * `storage_error`) are opaque to the client: their message is generic and their cause goes only
 * to the log, with the request id that ties the two together.
 * @module
 */
import { SeshnError } from '@seshn/core';
import type { HttpLogger } from './options.js';
import { httpStatusOf } from './status.js';

/** The codes only the HTTP layer raises (core's codes are in `HTTP_STATUS`). */
export const ROUTER_STATUS = {
  method_not_allowed: 405,
  payload_too_large: 413,
  unsupported_media_type: 415,
} as const;

export type RouterErrorCode = keyof typeof ROUTER_STATUS;

/**
 * An error with its HTTP status and response headers: the router's own codes, and core codes the
 * router raises with a header (`unauthorized` + `WWW-Authenticate`, `rate_limited` + `Retry-After`).
 */
export class HttpError extends Error {
  override readonly name = 'HttpError';
  constructor(
    readonly code: string,
    readonly status: number,
    message: string,
    readonly details: Record<string, unknown> = {},
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }

  static of(
    code: RouterErrorCode,
    message: string,
    details?: Record<string, unknown>,
    headers?: Record<string, string>,
  ) {
    return new HttpError(code, ROUTER_STATUS[code], message, details, headers);
  }
}

/** What a request is answered with, before it is a `Response` (so an idempotent run can store it). */
export interface Outcome {
  status: number;
  /** The JSON text of the body, exactly as sent (and replayed). */
  body: string;
  headers: Record<string, string>;
  /** The error code, when the outcome is an error. */
  code?: string;
}

const OPAQUE: Record<string, string> = {
  internal_error: 'Something went wrong on our side; the request id identifies it in our logs',
  storage_error: 'The storage layer is unavailable; try again shortly',
};

/** The outcome of a thrown value: its code and status, and a log line for failures of ours. */
export function errorOutcome(
  error: unknown,
  requestId: string,
  logger: HttpLogger,
  fields: Record<string, unknown> = {},
): Outcome {
  let code: string;
  let status: number;
  let message: string;
  let details: Record<string, unknown> = {};
  let headers: Record<string, string> = {};
  if (error instanceof HttpError) {
    ({ code, status, message, details, headers } = error);
  } else if (error instanceof SeshnError) {
    code = error.code;
    status = httpStatusOf(code);
    message = error.message;
    details = error.details;
  } else {
    code = 'internal_error';
    status = 500;
    message = '';
  }
  if (code in OPAQUE) {
    logger.error({ ...fields, requestId, code, err: error }, `request ${requestId} failed: ${code}`);
    message = OPAQUE[code] as string;
    details = {};
  } else {
    logger.debug({ ...fields, requestId, code, status }, `request ${requestId} refused: ${code}`);
  }
  return { status, code, headers, body: errorBody(code, message, details, requestId) };
}

export function errorBody(
  code: string,
  message: string,
  details: Record<string, unknown>,
  requestId: string,
) {
  return JSON.stringify({ error: { code, message, details, requestId } });
}

export const JSON_TYPE = 'application/json; charset=utf-8';

export function toResponse(outcome: Outcome): Response {
  return new Response(outcome.body, {
    status: outcome.status,
    headers: { 'content-type': JSON_TYPE, ...outcome.headers },
  });
}
