/**
 * The operation table: every public operation of Seshn, once, by group. The embedded handle
 * (`createSeshn`) is derived from it, and so are the HTTP routes, the OpenAPI document, the SDK
 * and the MCP tools: an operation added here reaches all of them.
 * @module
 */
import type { OperationSpec } from './operation.js';
import { availabilityOperations, pricingOperations } from './operations/availability.js';
import { bookingOperations, seriesOperations } from './operations/bookings.js';
import {
  allocationOperations,
  contactOperations,
  resourceOperations,
  serviceOperations,
} from './operations/catalog.js';
import { eventOperations } from './operations/events.js';
import { entitlementOperations, ledgerOperations, productOperations } from './operations/ledger.js';
import {
  apiKeyOperations,
  auditLogOperations,
  organizationOperations,
  testClockOperations,
} from './operations/tenancy.js';
import { waitlistOperations, workOperations } from './operations/waitlist.js';

export const OPERATIONS = {
  resources: resourceOperations,
  services: serviceOperations,
  allocations: allocationOperations,
  contacts: contactOperations,
  availability: availabilityOperations,
  pricing: pricingOperations,
  bookings: bookingOperations,
  bookingSeries: seriesOperations,
  events: eventOperations,
  organizations: organizationOperations,
  apiKeys: apiKeyOperations,
  auditLog: auditLogOperations,
  testClock: testClockOperations,
  products: productOperations,
  entitlements: entitlementOperations,
  ledger: ledgerOperations,
  waitlist: waitlistOperations,
  work: workOperations,
} as const;

export type OperationTable = typeof OPERATIONS;

/** Every operation as a flat list, in table order (for routers, documents and tool lists). */
export const operationList: readonly OperationSpec[] = Object.values(OPERATIONS).flatMap(
  (group) => Object.values(group) as OperationSpec[],
);

/** The operation named `group.method`, e.g. `bookings.create`. */
export function findOperation(name: string): OperationSpec | undefined {
  return operationList.find((op) => op.name === name);
}
