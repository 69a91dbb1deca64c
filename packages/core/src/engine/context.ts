/**
 * What every operation of a Seshn handle needs: the adapter, the tenant scope, the clock and the
 * id generator. Operations receive it instead of reaching for globals.
 * @module
 */
import { SeshnError } from '../errors/seshn-error.js';
import type { Scope, SeshnAdapter } from '../ports/adapter.js';
import type { Clock } from '../ports/clock.js';
import type { IdGenerator } from '../ports/ids.js';

export interface SeshnLimits {
  /** Most occurrences a booking series may have. Default 104. */
  maxSeriesOccurrences: number;
}

export interface EngineContext {
  adapter: SeshnAdapter;
  scope: Scope;
  clock: Clock;
  ids: IdGenerator;
  limits: SeshnLimits;
  /** The injected clock as epoch ms. */
  now(): number;
}

export function createContext(
  adapter: SeshnAdapter,
  scope: Scope,
  clock: Clock,
  ids: IdGenerator,
  limits: SeshnLimits,
): EngineContext {
  return {
    adapter,
    scope,
    clock,
    ids,
    limits,
    now: () => {
      const value: unknown = clock();
      const t = value instanceof Date ? value.getTime() : Number.NaN;
      if (!Number.isFinite(t)) {
        throw SeshnError.validation([
          { path: 'now', message: 'The injected clock now() returned no valid Date' },
        ]);
      }
      return t;
    },
  };
}
