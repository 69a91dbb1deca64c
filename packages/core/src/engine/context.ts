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
import type { SecretsPort } from '../ports/secrets.js';
import type { AuditActor, Principal } from './principal.js';

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
  /** Randomness and hashing for API key secrets. */
  secrets: SecretsPort;
}

/** Who a handle acts for: its principal (authorized on every call), the audit actor, the request. */
export interface CallerContext {
  principal: Principal | null;
  actor: AuditActor | null;
  requestId: string | null;
}

export interface EngineContext extends EngineSetup, CallerContext {
  scope: Scope;
  clock: Clock;
  /** The scope's clock as epoch ms (the test clock's offset included). */
  now(): number;
  /** The organization's test clock offset, read when the call began (0 in live mode). */
  testOffsetMs: number;
}

const NO_CALLER: CallerContext = { principal: null, actor: null, requestId: null };

/**
 * The context of one scope. `testOffsetMs` moves the scope's clock (the test clock);
 * `baseClock` is the scope's clock without it (one per handle: `clockFor` is called once).
 */
export function createContext(
  setup: EngineSetup,
  scope: Scope,
  options: { caller?: CallerContext; testOffsetMs?: number; baseClock?: Clock } = {},
): EngineContext {
  const base = options.baseClock ?? setup.clockFor(scope);
  const offset = options.testOffsetMs ?? 0;
  const clock: Clock = offset === 0 ? base : () => shifted(base, offset);
  return {
    ...setup,
    ...(options.caller ?? NO_CALLER),
    scope,
    clock,
    testOffsetMs: offset,
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

/** `base()` moved by `offsetMs` (an invalid value stays invalid, for `now()` to report). */
function shifted(base: Clock, offsetMs: number): Date {
  const value: unknown = base();
  return value instanceof Date ? new Date(value.getTime() + offsetMs) : (value as Date);
}
