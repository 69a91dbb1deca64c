/**
 * The handle's groups of methods, derived from the operation table: each method takes the
 * operation's one input object, or — where the operation names positional fields — the short
 * forms of the product pages (`get(id)`, `cancel(id, { reason })`, `cancelOccurrence(id, 3)`).
 * @module
 */
import { SeshnError } from '../errors/seshn-error.js';
import { type SeshnLogger, silentLogger } from '../ports/logger.js';
import type { Engine } from './engine.js';
import type { GroupMethods, OperationSpec } from './operation.js';
import { OPERATIONS, type OperationTable } from './table.js';

/** Every group of the handle (`seshn.bookings`, `seshn.resources`, …) with its methods. */
export type SeshnApi = { [G in keyof OperationTable]: GroupMethods<OperationTable[G]> };

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Date);

/** The one input object a call's arguments stand for. */
export function inputOf(op: OperationSpec, args: readonly unknown[]): unknown {
  const names = op.positional;
  if (names.length === 0) return args[0];
  // The one-object form: `get({ id })`, `cancelOccurrence({ id, index })`.
  if (args.length <= 1 && (args[0] === undefined || isPlainObject(args[0]))) return args[0] ?? {};
  const input: Record<string, unknown> = {};
  names.forEach((name, i) => {
    input[name] = args[i];
  });
  const rest = args[names.length];
  if (rest === undefined) return input;
  if (!isPlainObject(rest)) {
    throw SeshnError.validation([
      { path: '', message: `Expected an object after ${names.join(', ')} (the other fields of ${op.name})` },
    ]);
  }
  // The positional values win: `cancel(id, { id: other })` cancels `id`.
  return { ...rest, ...input };
}

/** Codes that mean Seshn or its storage failed, not the caller: logged as errors. */
const FAILURES = new Set(['storage_error', 'internal_error']);

/** Runs `op`, logging its outcome: `debug` for every call, `error` for a failure of Seshn's own. */
function logged(op: OperationSpec, logger: SeshnLogger, run: () => Promise<unknown>): Promise<unknown> {
  return run().then(
    (result) => {
      logger.debug({ op: op.name }, `${op.name} ok`);
      return result;
    },
    (error: unknown) => {
      const code = error instanceof SeshnError ? error.code : 'internal_error';
      const fields = { op: op.name, code, err: error };
      if (FAILURES.has(code)) logger.error(fields, `${op.name} failed: ${(error as Error)?.message}`);
      else logger.debug(fields, `${op.name} refused: ${code}`);
      throw error;
    },
  );
}

/**
 * Where a call's engine comes from: one engine for every call, or one per call (a handle that
 * authorizes, audits, or reads its test clock first).
 */
export type EngineSource = Engine | ((op: OperationSpec, input: unknown) => Engine | Promise<Engine>);

/** Binds every operation of the table to `engine` (logging each call when a logger is given). */
export function bindOperations(source: EngineSource, logger?: SeshnLogger): SeshnApi {
  const log = logger && logger !== silentLogger ? logger : null;
  const perCall = typeof source === 'function' ? source : null;
  const api: Record<string, Record<string, (...args: unknown[]) => Promise<unknown>>> = {};
  for (const [group, operations] of Object.entries(OPERATIONS)) {
    const methods: Record<string, (...args: unknown[]) => Promise<unknown>> = {};
    for (const [method, op] of Object.entries(operations as Record<string, OperationSpec>)) {
      // async: a bad call (`cancel(id, 'ill')`) rejects like every other validation failure.
      const call = perCall
        ? async (args: unknown[]) => {
            const input = inputOf(op, args);
            return op.run(await perCall(op, input), input as never);
          }
        : async (args: unknown[]) => op.run(source as Engine, inputOf(op, args) as never);
      methods[method] = log
        ? (...args: unknown[]) => logged(op, log, () => call(args))
        : (...args: unknown[]) => call(args);
    }
    api[group] = methods;
  }
  return api as unknown as SeshnApi;
}
