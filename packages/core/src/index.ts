/**
 * `@seshn/core`: `createSeshn`, the error types, the public schemas and types, and the adapter
 * contract. The pure engines have their own entry points: `@seshn/core/availability`,
 * `@seshn/core/recurrence`, `@seshn/core/pricing` and `@seshn/core/time`.
 * @module
 */

export {
  findOperation,
  type GroupMethods,
  type HttpBinding,
  type HttpMethod,
  jsonSchemaOf,
  type MethodOf,
  OPERATIONS,
  type OperationSpec,
  type OperationTable,
  operationList,
  type Permission,
  type SeshnApi,
} from './api/index.js';
export type * from './availability/types.js';
export { checkReservation, type ReservationVerdict } from './booking/reservation-check.js';
export { decodeSlotId, encodeSlotId, type SlotRef, slotKey } from './booking/slot-id.js';
export { createSeshn, type Seshn, type SeshnOptions, type SeshnRequests } from './create-seshn.js';
export {
  type AuditActor,
  authorize,
  type Principal,
  ROLE_PERMISSIONS,
  scopeNeeded,
} from './engine/principal.js';
export type { BookingSeries } from './engine/views.js';
export * from './errors/index.js';
export * from './ledger/index.js';
export type * from './ports/adapter.js';
export {
  ADAPTER_CONTRACT,
  ADAPTER_METHODS,
  entitlementAccountId,
  resolveNow,
  SYSTEM_ACCOUNTS,
} from './ports/adapter.js';
export { type Clock, systemClock } from './ports/clock.js';
export { type IdGenerator, type IdPrefix, typeIdGenerator } from './ports/ids.js';
export { type SecretsPort, webSecrets } from './ports/secrets.js';
export {
  type FlatPricing,
  FlatPricingSchema,
  type PerDurationPricing,
  PerDurationPricingSchema,
  type PerSeatPricing,
  PerSeatPricingSchema,
  type Pricing,
  PricingSchema,
  type PricingStrategy,
  type PricingTier,
  PricingTierSchema,
  type TieredPricing,
  TieredPricingSchema,
} from './pricing/pricing-schema.js';
export { type RecurrenceInput, RecurrenceInputSchema } from './recurrence/expand.js';
export { type SimpleRecurrence, SimpleRecurrenceSchema } from './recurrence/simple.js';
export * from './schema/availability.js';
export * from './schema/booking.js';
export * from './schema/catalog.js';
export * from './schema/common.js';
export * from './schema/events.js';
export * from './schema/hours.js';
export * from './schema/objects.js';
export { parseInput } from './schema/parse.js';
export {
  type BookingSeriesCancelInput,
  type BookingSeriesCreateInput,
  type BookingSeriesListInput,
  SeriesCancelSchema,
  type SeriesConflict,
  SeriesCreateSchema,
  SeriesListSchema,
  type SeriesRecurrenceInput,
  type SeriesRruleInput,
  SeriesRruleSchema,
} from './schema/series.js';
export * from './schema/tenancy.js';
export {
  entriesAhead,
  newcomerRoom,
  type QueueEntry,
  type ServedQueue,
  serveQueue,
} from './waitlist/index.js';
