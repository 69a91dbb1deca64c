import type { ZodError } from 'zod';
import { ERROR_STATUS, type SeshnErrorCode } from './codes.js';

/** One problem with one input field, as listed in `details.fields` of a `validation_failed` error. */
export interface SeshnFieldIssue {
  /** Dotted path of the field, e.g. `availability.weekly.mon.0.end`. Empty for the whole input. */
  path: string;
  message: string;
}

/**
 * The only error Seshn throws on purpose. `code` is stable (see {@link ERROR_STATUS});
 * `message` is for people; `details` is structured and safe to show to API clients.
 *
 * @example
 * try { await seshn.bookings.create(input) }
 * catch (e) { if (e instanceof SeshnError && e.code === 'slot_unavailable') showFull() }
 */
export class SeshnError extends Error {
  override readonly name = 'SeshnError';
  readonly code: SeshnErrorCode;
  readonly details: Record<string, unknown>;

  constructor(
    code: SeshnErrorCode,
    message: string,
    details: Record<string, unknown> = {},
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.code = code;
    this.details = details;
  }

  /** HTTP status for this error's code. */
  get status(): number {
    return ERROR_STATUS[this.code];
  }

  toJSON() {
    return { code: this.code, message: this.message, details: this.details };
  }

  /** A `validation_failed` error naming each offending field. */
  static validation(fields: SeshnFieldIssue[], message?: string): SeshnError {
    const first = fields[0];
    const text =
      message ?? (first ? `Invalid input: ${first.path || 'input'}: ${first.message}` : 'Invalid input');
    return new SeshnError('validation_failed', text, { fields });
  }

  static fromZod(error: ZodError, prefix = ''): SeshnError {
    const fields = error.issues.map((issue) => ({
      path: [prefix, ...issue.path.map(String)].filter(Boolean).join('.'),
      message: issue.message,
    }));
    return SeshnError.validation(fields);
  }

  static notFound(kind: string, id: string): SeshnError {
    return new SeshnError('not_found', `No ${kind} with id ${id}`, { kind, id });
  }
}

export function isSeshnError(value: unknown): value is SeshnError {
  return value instanceof SeshnError;
}
