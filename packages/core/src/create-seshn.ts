/**
 * `createSeshn`: the embedded booking engine. One handle per tenant scope; `withScope` gives the
 * same engine for another organization or mode.
 * @module
 */
import { z } from 'zod';
import { buildEngine } from './api/engine.js';
import { bindOperations, type SeshnApi } from './api/handle.js';
import { createContext, type EngineSetup, type SeshnLimits } from './engine/context.js';
import { assertAdapter, guardAdapter } from './engine/guard-adapter.js';
import { SeshnError, type SeshnFieldIssue } from './errors/seshn-error.js';
import type { Scope, SeshnAdapter } from './ports/adapter.js';
import { type Clock, systemClock } from './ports/clock.js';
import { type IdGenerator, type IdPrefix, typeIdGenerator } from './ports/ids.js';
import { type SeshnLogger, silentLogger } from './ports/logger.js';
import { checkProviders, type PaymentProvider } from './ports/providers.js';
import { parseInput } from './schema/parse.js';

export interface SeshnOptions {
  /** Storage: `sqliteAdapter(...)`, `postgresAdapter(...)`, `mysqlAdapter(...)` or your own. */
  adapter: SeshnAdapter;
  /** The clock. Tests move it; holds expire by it. Default: the system clock. */
  now?: Clock;
  /** Id generator. Default: TypeID (`bkg_…`, UUIDv7, time-sortable). */
  ids?: IdGenerator;
  /** Tenant scope of this handle. Default `org_default` / `live`. */
  organizationId?: string;
  mode?: 'live' | 'test';
  limits?: Partial<SeshnLimits>;
  /**
   * The clock of each tenant scope, when they differ (a test clock per organization in test
   * mode). Called once per scope a handle is made for; wins over `now`.
   */
  clockFor?: (scope: Scope) => Clock;
  /** Structured logs (pino's call shape). Default: silent. */
  logger?: SeshnLogger;
  /** The payment provider, e.g. `stripePayments({ … })` from `@seshn/stripe` (checked now, used by paid bookings in a later release). */
  payments?: PaymentProvider;
}

const ScopeSchema = z
  .object({ organizationId: z.string().min(1).max(64), mode: z.enum(['live', 'test']) })
  .strict();

/**
 * A handle: every operation of the table (`api/table.ts`) bound to one context, plus the
 * lifecycle of the adapter. Nothing here is written per operation.
 */
function build(setup: EngineSetup, scope: Scope): Seshn {
  const ctx = createContext(setup, scope);
  return {
    ...bindOperations(buildEngine(ctx), setup.logger),
    scope: ctx.scope,
    migrate: () => ctx.adapter.migrate(),
    close: () => ctx.adapter.close(),
    withScope(next: Scope) {
      return build(setup, parseInput(ScopeSchema, next));
    },
  };
}

/** The embedded engine: the groups of the operation table, and the adapter's lifecycle. */
export type Seshn = SeshnApi & {
  /** The tenant this handle reads and writes. */
  readonly scope: Scope;
  /** Creates or upgrades the database schema. Idempotent; safe from several processes at once. */
  migrate(): Promise<void>;
  /** Releases the adapter's connections (shared by every scoped handle). */
  close(): Promise<void>;
  /** The same engine for another organization or mode. */
  withScope(scope: Scope): Seshn;
};

const LimitsSchema = z
  .object({ maxSeriesOccurrences: z.number().int().min(1).max(10_000).optional() })
  .strict();

const kindOf = (value: unknown) =>
  value === null ? 'null' : Array.isArray(value) ? 'an array' : `a ${typeof value}`;

/** Ids Seshn stores: `<prefix>_` then letters, digits, `_` or `-`, at most 64 characters in all. */
const GENERATED_ID_RE = /^[A-Za-z0-9_-]+$/;

/**
 * An injected id generator, checked on every id it makes: the id must start with the prefix it
 * was asked for and an underscore (inputs are checked by that prefix, so `rsc_…` is a resource).
 */
function checkedIds(ids: IdGenerator): IdGenerator {
  return (prefix: IdPrefix) => {
    const id = ids(prefix);
    if (
      typeof id !== 'string' ||
      id.length > 64 ||
      !id.startsWith(`${prefix}_`) ||
      !GENERATED_ID_RE.test(id)
    ) {
      throw SeshnError.validation([
        {
          path: 'ids',
          message: `The ids option must return "${prefix}_" followed by letters, digits, _ or - (at most 64 characters) for prefix "${prefix}"`,
        },
      ]);
    }
    return id;
  };
}

/**
 * Checks the options once, at creation, so a wrong option is a `validation_failed` naming it
 * rather than a TypeError at first use. `now` is called once here.
 */
function checkOptions(options: SeshnOptions): void {
  if (options === null || typeof options !== 'object') {
    throw SeshnError.validation([{ path: '', message: 'Expected the options { adapter, now?, ids?, … }' }]);
  }
  assertAdapter(options.adapter);
  const fields: SeshnFieldIssue[] = [];
  if (options.now !== undefined) {
    if (typeof options.now !== 'function') {
      fields.push({
        path: 'now',
        message: `Expected a function returning a Date, got ${kindOf(options.now)}`,
      });
    } else {
      let value: unknown;
      try {
        value = options.now();
      } catch {
        fields.push({ path: 'now', message: 'now() threw when called; it must return the current Date' });
      }
      if (fields.length === 0 && !(value instanceof Date && Number.isFinite(value.getTime()))) {
        fields.push({
          path: 'now',
          message: `now() must return a valid Date, it returned ${value instanceof Date ? 'an invalid Date' : kindOf(value)}`,
        });
      }
    }
  }
  if (options.clockFor !== undefined && typeof options.clockFor !== 'function') {
    fields.push({
      path: 'clockFor',
      message: `Expected a function (scope) => clock, got ${kindOf(options.clockFor)}`,
    });
  }
  if (options.logger !== undefined) {
    const logger = options.logger as unknown as Record<string, unknown> | null;
    const missing = ['debug', 'info', 'warn', 'error'].filter(
      (level) => typeof logger?.[level] !== 'function',
    );
    if (missing.length > 0) {
      fields.push({
        path: 'logger',
        message: `Expected a logger with debug, info, warn and error (pino's shape); missing ${missing.join(', ')}`,
      });
    }
  }
  if (options.ids !== undefined && typeof options.ids !== 'function') {
    fields.push({ path: 'ids', message: `Expected a function (prefix) => id, got ${kindOf(options.ids)}` });
  }
  if (options.limits !== undefined) {
    const result = LimitsSchema.safeParse(options.limits);
    if (!result.success)
      fields.push(...(SeshnError.fromZod(result.error, 'limits').details.fields as SeshnFieldIssue[]));
  }
  if (fields.length > 0) throw SeshnError.validation(fields);
}

/**
 * Creates a Seshn handle on an adapter.
 *
 * @example
 * import { createSeshn } from '@seshn/core';
 * import { sqliteAdapter } from '@seshn/adapter-sqlite';
 * const seshn = createSeshn({ adapter: sqliteAdapter({ filename: ':memory:' }) });
 * await seshn.migrate();
 * const room = await seshn.resources.create({ name: 'Room A', timezone: 'Europe/London' });
 */
export function createSeshn(options: SeshnOptions): Seshn {
  checkOptions(options);
  const scope = parseInput(ScopeSchema, {
    organizationId: options.organizationId ?? 'org_default',
    mode: options.mode ?? 'live',
  });
  const limits: SeshnLimits = { maxSeriesOccurrences: 104, ...options.limits };
  const clock = options.now ?? systemClock;
  return build(
    {
      adapter: guardAdapter(options.adapter),
      clockFor: options.clockFor ?? (() => clock),
      ids: options.ids ? checkedIds(options.ids) : typeIdGenerator,
      limits,
      logger: options.logger ?? silentLogger,
      providers: checkProviders({ payments: options.payments }),
    },
    scope,
  );
}
