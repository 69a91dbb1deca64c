/**
 * `createSeshn`: the embedded booking engine. One handle per tenant scope; `withScope` gives the
 * same engine for another organization or mode.
 * @module
 */
import { z } from 'zod';
import { availabilityApi } from './engine/availability.js';
import { bookingsApi } from './engine/bookings.js';
import { allocationsApi, contactsApi, resourcesApi, servicesApi } from './engine/catalog.js';
import { createContext, type EngineContext, type SeshnLimits } from './engine/context.js';
import { eventsApi } from './engine/events.js';
import { assertAdapter, guardAdapter } from './engine/guard-adapter.js';
import { pricingApi } from './engine/pricing.js';
import { bookingSeriesApi } from './engine/series.js';
import { SeshnError, type SeshnFieldIssue } from './errors/seshn-error.js';
import type { Scope, SeshnAdapter } from './ports/adapter.js';
import { type Clock, systemClock } from './ports/clock.js';
import { type IdGenerator, type IdPrefix, typeIdGenerator } from './ports/ids.js';
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
}

const ScopeSchema = z
  .object({ organizationId: z.string().min(1).max(64), mode: z.enum(['live', 'test']) })
  .strict();

function build(ctx: EngineContext) {
  return {
    /** The tenant this handle reads and writes. */
    scope: ctx.scope,
    resources: resourcesApi(ctx),
    services: servicesApi(ctx),
    allocations: allocationsApi(ctx),
    contacts: contactsApi(ctx),
    availability: availabilityApi(ctx),
    pricing: pricingApi(ctx),
    bookings: bookingsApi(ctx),
    bookingSeries: bookingSeriesApi(ctx),
    events: eventsApi(ctx),
    /** Creates or upgrades the database schema. Idempotent; safe from several processes at once. */
    migrate: () => ctx.adapter.migrate(),
    /** Releases the adapter's connections (shared by every scoped handle). */
    close: () => ctx.adapter.close(),
    /** The same engine for another organization or mode. */
    withScope(scope: Scope) {
      const next = parseInput(ScopeSchema, scope);
      return build(createContext(ctx.adapter, next, ctx.clock, ctx.ids, ctx.limits));
    },
  };
}

export type Seshn = ReturnType<typeof build>;

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
  return build(
    createContext(
      guardAdapter(options.adapter),
      scope,
      options.now ?? systemClock,
      options.ids ? checkedIds(options.ids) : typeIdGenerator,
      limits,
    ),
  );
}
