/**
 * What every operation of a Seshn handle needs: the adapter, the tenant scope, the clock and the
 * id generator, the logger and the plugins. Operations receive it instead of reaching for
 * globals. One {@link EngineSetup} serves every scope of a handle (`withScope`).
 * @module
 */
import { SeshnError } from '../errors/seshn-error.js';
import type { Scope, SeshnAdapter } from '../ports/adapter.js';
import type { Clock } from '../ports/clock.js';
import type { IdGenerator } from '../ports/ids.js';
import type { SeshnLogger } from '../ports/logger.js';
import type { SeshnProviders } from '../ports/providers.js';

export interface SeshnLimits {
  /** Most occurrences a booking series may have. Default 104. */
  maxSeriesOccurrences: number;
}

/** What a handle is built from, shared by all its scopes. */
export interface EngineSetup {
  adapter: SeshnAdapter;
  /** The clock of a scope: one clock for all, or one per scope (a test clock per organization). */
  clockFor: (scope: Scope) => Clock;
  ids: IdGenerator;
  limits: SeshnLimits;
  logger: SeshnLogger;
  providers: SeshnProviders;
}

export interface EngineContext extends EngineSetup {
  scope: Scope;
  clock: Clock;
  /** The scope's clock as epoch ms. */
  now(): number;
}

export function createContext(setup: EngineSetup, scope: Scope): EngineContext {
  const clock = setup.clockFor(scope);
  return {
    ...setup,
    scope,
    clock,
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
