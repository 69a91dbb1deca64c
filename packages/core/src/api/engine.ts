/**
 * The engine behind the operation table: one object per group, bound to one context (adapter,
 * tenant scope, clock, ids). Operations run on it; nothing else reaches it.
 * @module
 */
import { availabilityApi } from '../engine/availability.js';
import { bookingsApi } from '../engine/bookings.js';
import { allocationsApi, contactsApi, resourcesApi, servicesApi } from '../engine/catalog.js';
import type { EngineContext } from '../engine/context.js';
import { eventsApi } from '../engine/events.js';
import { entitlementsApi, ledgerApi, productsApi } from '../engine/ledger.js';
import { pricingApi } from '../engine/pricing.js';
import { bookingSeriesApi } from '../engine/series.js';
import { apiKeysApi, auditLogApi, organizationsApi, testClockApi } from '../engine/tenancy.js';
import { waitlistApi } from '../engine/waitlist.js';
import { workApi } from '../engine/work.js';

export function buildEngine(ctx: EngineContext) {
  return {
    resources: resourcesApi(ctx),
    services: servicesApi(ctx),
    allocations: allocationsApi(ctx),
    contacts: contactsApi(ctx),
    availability: availabilityApi(ctx),
    pricing: pricingApi(ctx),
    bookings: bookingsApi(ctx),
    bookingSeries: bookingSeriesApi(ctx),
    events: eventsApi(ctx),
    organizations: organizationsApi(ctx),
    apiKeys: apiKeysApi(ctx),
    auditLog: auditLogApi(ctx),
    testClock: testClockApi(ctx),
    products: productsApi(ctx),
    entitlements: entitlementsApi(ctx),
    ledger: ledgerApi(ctx),
    waitlist: waitlistApi(ctx),
    work: workApi(ctx),
  };
}

export type Engine = ReturnType<typeof buildEngine>;
