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
import type { Scope, SeshnAdapter } from './ports/adapter.js';
import { type Clock, systemClock } from './ports/clock.js';
import { type IdGenerator, typeIdGenerator } from './ports/ids.js';
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
  assertAdapter(options?.adapter);
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
      options.ids ?? typeIdGenerator,
      limits,
    ),
  );
}
