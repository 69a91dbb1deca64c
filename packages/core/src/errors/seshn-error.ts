import type { ZodError } from 'zod';
import type { SeshnErrorCode } from './codes.js';

/** One problem with one input field, as listed in `details.fields` of a `validation_failed` error. */
export interface SeshnFieldIssue {
  /** Dotted path of the field, e.g. `availability.weekly.mon.0.end`. Empty for the whole input. */
  path: string;
  message: string;
}

/**
 * The only error Seshn throws on purpose. `code` is stable (see `ERROR_CODES`);
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

  toJSON() {
    return { code: this.code, message: this.message, details: this.details };
  }

  /** A `validation_failed` error naming each offending field. */
  static validation(fields: SeshnFieldIssue[], message?: string): SeshnError {
    const first = fields[0];
    const more = fields.length > 1 ? ` (and ${fields.length - 1} more)` : '';
    const text =
      message ??
      (first ? `Invalid input: ${first.path || 'input'}: ${first.message}${more}` : 'Invalid input');
    return new SeshnError('validation_failed', text, { fields });
  }

  /**
   * One field per problem: an unknown key is named by its own path, and a union that zod could
   * not match reports the issues of its closest branch (schemas pick their branch first, see
   * `branchedUnion`; this is the safety net).
   */
  static fromZod(error: ZodError, prefix = ''): SeshnError {
    return SeshnError.validation(zodFields(error.issues, prefix ? [prefix] : []));
  }

  /** `not_found` for the id of `kind`; the message and details carry at most 32 characters of it. */
  static notFound(kind: string, id: string, details: Record<string, unknown> = {}): SeshnError {
    const shown = clip(id);
    return new SeshnError('not_found', `No ${kind} with id ${shown}`, { kind, id: shown, ...details });
  }
}

/** At most `max` characters of a value for a message, so an error never echoes a long input. */
export function clip(value: unknown, max = 32): string {
  const text = String(value);
  return text.length > max ? `${text.slice(0, max)}…` : text;
}

type LooseIssue = {
  code?: string;
  path: PropertyKey[];
  message: string;
  keys?: string[];
  errors?: LooseIssue[][];
};

function zodFields(issues: readonly LooseIssue[], base: string[]): SeshnFieldIssue[] {
  const out: SeshnFieldIssue[] = [];
  for (const issue of issues) {
    const path = [...base, ...issue.path.map((p) => clip(String(p), 40))];
    if (issue.code === 'unrecognized_keys' && issue.keys?.length) {
      for (const key of issue.keys) {
        out.push({ path: [...path, clip(key)].join('.'), message: 'Unknown field' });
      }
    } else if (issue.code === 'invalid_union' && issue.errors?.length) {
      const closest = [...issue.errors].sort((a, b) => a.length - b.length)[0]!;
      out.push(...zodFields(closest, path));
    } else {
      out.push({ path: path.join('.'), message: issue.message });
    }
  }
  return out;
}

export function isSeshnError(value: unknown): value is SeshnError {
  return value instanceof SeshnError;
}
