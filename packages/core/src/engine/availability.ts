import { computeSlots, explainStart, freeWindows } from '../availability/index.js';
import { encodeSlotId } from '../booking/slot-id.js';
import { SeshnError } from '../errors/seshn-error.js';
import type { ResourceRecord, ServiceRecord } from '../ports/adapter.js';
import { quotePrice } from '../pricing/index.js';
import {
  type AvailabilityExplainInput,
  AvailabilityExplainSchema,
  type AvailabilityQueryInput,
  AvailabilityQuerySchema,
  type AvailabilitySlotsInput,
  AvailabilitySlotsSchema,
  type AvailabilityWindowsInput,
  AvailabilityWindowsSchema,
  slotsQueryOf,
} from '../schema/availability.js';
import type { Money } from '../schema/common.js';
import type { Slot } from '../schema/objects.js';
import { parseInput } from '../schema/parse.js';
import { localToEpochMs, toIso } from '../time/zone.js';
import type { EngineContext } from './context.js';
import {
  engineInput,
  freeWindowInput,
  occupationRange,
  resolveDuration,
  serviceConfig,
  shortestDuration,
} from './service-rules.js';

const MAX_WINDOW_DAYS = 92;
const DAY = 86_400_000;

export type { AvailabilityExplainInput, AvailabilityQueryInput, AvailabilityWindowsInput, Slot };

/** A date bound is read in `timeZone`; a date `to` is inclusive (it means the end of that day). */
function resolveBound(bound: string | Date, timeZone: string, isEnd: boolean): number {
  if (bound instanceof Date) return bound.getTime();
  const ms = localToEpochMs(bound, 0, timeZone);
  return isEnd ? localToEpochMs(bound, 1440, timeZone) : ms;
}

function resolveWindow(
  from: string | Date,
  to: string | Date,
  timeZone: string,
): { from: number; to: number } {
  const window = { from: resolveBound(from, timeZone, false), to: resolveBound(to, timeZone, true) };
  if (window.to <= window.from)
    throw SeshnError.validation([{ path: 'to', message: 'to must be after from' }]);
  if (window.to - window.from > MAX_WINDOW_DAYS * DAY) {
    throw SeshnError.validation([{ path: 'to', message: `A window spans at most ${MAX_WINDOW_DAYS} days` }]);
  }
  return window;
}

/** Loads a live (not archived) service and the resources of its pool (or the one asked for). */
export async function loadServicePool(ctx: EngineContext, serviceId: string, resourceId?: string) {
  // With the resource known (a slot id names it), both reads go out at once: one round trip
  // fewer on the booking hot path of a networked database.
  const [service, asked] = await Promise.all([
    ctx.adapter.get('service', ctx.scope, serviceId),
    resourceId !== undefined ? ctx.adapter.getMany('resource', ctx.scope, [resourceId]) : null,
  ]);
  if (!service) throw SeshnError.notFound('service', serviceId);
  const config = serviceConfig(service);
  if (resourceId !== undefined && !config.resourceIds.includes(resourceId)) {
    throw SeshnError.notFound('resource', resourceId);
  }
  const ids = resourceId !== undefined ? [resourceId] : config.resourceIds;
  const found = asked ?? (await ctx.adapter.getMany('resource', ctx.scope, ids));
  // Keep the pool's order: it is the order in which a booking without a resource is assigned.
  const resources = ids
    .map((id) => found.find((r) => r.id === id))
    .filter((r): r is ResourceRecord => !!r && r.archivedAt === null);
  return { service, resources };
}

/** Why an archived service, or a pool without a live resource, cannot be booked. */
function archivedDetail(service: ServiceRecord, resourceId: string | undefined): string {
  if (service.archivedAt !== null) return 'This service is archived';
  if (resourceId !== undefined) return `Resource ${resourceId} is archived`;
  return 'The service has no active resource: every resource of its pool is archived';
}

function slotPrice(service: ServiceRecord, seats: number, durationMinutes: number): Money | null {
  const pricing = serviceConfig(service).pricing;
  return pricing ? quotePrice(pricing, { seats, durationMinutes }) : null;
}

export function availabilityApi(ctx: EngineContext) {
  const api = {
    /**
     * Bookable slots of a service in a window. Class slots with no seats left are listed with
     * `remaining: 0` (so a customer can join the waitlist); full appointment slots are omitted.
     */
    async query(input: AvailabilityQueryInput): Promise<Slot[]> {
      const q = parseInput(AvailabilityQuerySchema, input);
      const { service, resources } = await loadServicePool(ctx, q.serviceId, q.resourceId);
      if (service.archivedAt !== null) return [];
      const config = serviceConfig(service);
      const duration = resolveDuration(service, q.durationMinutes);
      const now = ctx.now();
      const windows = resources.map((r) => resolveWindow(q.from, q.to, q.timezone ?? r.timezone));
      if (windows.length === 0) return [];
      const span = occupationRange(
        service,
        duration,
        Math.min(...windows.map((w) => w.from)),
        Math.max(...windows.map((w) => w.to)),
      );
      const occupations = await ctx.adapter.listOccupations(
        ctx.scope,
        resources.map((r) => r.id),
        span.from,
        span.to,
        now,
      );
      const price = slotPrice(service, q.seats, duration);
      const isClass = config.kind === 'class';
      const slots: Slot[] = [];
      resources.forEach((resource, i) => {
        const window = windows[i]!;
        const input = engineInput(service, resource, {
          durationMinutes: duration,
          seats: q.seats,
          ...window,
          now,
          occupations,
        });
        // Full class sessions stay listed (remaining 0) so a customer can join the waitlist.
        const computed = computeSlots(input, {
          includeUnavailable: q.includeUnavailable,
          includeFull: isClass,
        });
        for (const s of computed) {
          const slot: Slot = {
            id: encodeSlotId({ serviceId: service.id, resourceId: resource.id, start: s.start, end: s.end }),
            serviceId: service.id,
            resourceId: resource.id,
            startTime: toIso(s.start),
            endTime: toIso(s.end),
            timezone: resource.timezone,
            capacity: config.capacity,
            remaining: s.remaining,
            price,
          };
          if (q.includeUnavailable) {
            slot.available = s.available;
            slot.reasons = s.reasons;
          }
          slots.push(slot);
        }
      });
      return slots.sort((a, b) =>
        a.startTime < b.startTime ? -1 : a.startTime > b.startTime ? 1 : a.resourceId < b.resourceId ? -1 : 1,
      );
    },

    /** Contiguous free time (rental style) on a service's resources or on given resources. */
    async windows(input: AvailabilityWindowsInput) {
      const q = parseInput(AvailabilityWindowsSchema, input);
      let resources: ResourceRecord[];
      let service: ServiceRecord | null = null;
      if (q.serviceId !== undefined) {
        ({ service, resources } = await loadServicePool(ctx, q.serviceId));
        // An archived service takes no bookings (bookings.create: invalid_state), so it has no free time.
        if (service.archivedAt !== null) return [];
      } else {
        const ids = q.resourceIds!;
        const found = await ctx.adapter.getMany('resource', ctx.scope, ids);
        const missing = ids.filter((id) => !found.some((r) => r.id === id));
        if (missing.length) throw SeshnError.notFound('resource', missing.join(', '));
        // Archived resources take no bookings, so they offer no windows (like query and explain).
        resources = found.filter((r) => r.archivedAt === null);
      }
      // Never a window the service cannot book: at least its shortest bookable length.
      const minDurationMinutes =
        service === null
          ? (q.minDurationMinutes ?? 1)
          : Math.max(q.minDurationMinutes ?? 0, shortestDuration(service));
      const now = ctx.now();
      const windows = resources.map((r) => resolveWindow(q.from, q.to, q.timezone ?? r.timezone));
      if (windows.length === 0) return [];
      const occupations = await ctx.adapter.listOccupations(
        ctx.scope,
        resources.map((r) => r.id),
        Math.min(...windows.map((w) => w.from)) - DAY,
        Math.max(...windows.map((w) => w.to)) + DAY,
        now,
      );
      const out: { resourceId: string; startTime: string; endTime: string; durationMinutes: number }[] = [];
      resources.forEach((resource, i) => {
        const window = windows[i]!;
        const base = freeWindowInput(service, resource, { ...window, now, occupations });
        for (const w of freeWindows(base, { minDurationMinutes })) {
          out.push({
            resourceId: resource.id,
            startTime: toIso(w.start),
            endTime: toIso(w.end),
            durationMinutes: Math.floor((w.end - w.start) / 60_000),
          });
        }
      });
      return out;
    },

    /** Why a start time is (not) bookable, reason by reason. */
    async explain(input: AvailabilityExplainInput) {
      const q = parseInput(AvailabilityExplainSchema, input);
      const { service, resources } = await loadServicePool(ctx, q.serviceId, q.resourceId);
      const config = serviceConfig(service);
      // The same answer bookings.create gives: an archived service or resource takes no bookings.
      if (service.archivedAt !== null || resources.length === 0) {
        return {
          available: false,
          resourceId: q.resourceId ?? null,
          reasons: [{ code: 'archived' as const, detail: archivedDetail(service, q.resourceId) }],
          capacity: config.capacity,
        };
      }
      let duration: number;
      try {
        duration = resolveDuration(service, q.durationMinutes);
      } catch (error) {
        if (error instanceof SeshnError && error.details.reason === 'duration_not_allowed') {
          return {
            available: false,
            resourceId: q.resourceId ?? null,
            reasons: [{ code: 'duration_not_allowed' as const, detail: error.message }],
          };
        }
        throw error;
      }
      const now = ctx.now();
      const start = q.startTime.getTime();
      const end = start + duration * 60_000;
      const span = occupationRange(service, duration, start, start + 1);
      const occupations = await ctx.adapter.listOccupations(
        ctx.scope,
        resources.map((r) => r.id),
        span.from,
        span.to,
        now,
      );
      const perResource = resources.map((resource) => {
        const input = engineInput(service, resource, {
          durationMinutes: duration,
          seats: q.seats,
          from: start,
          to: end,
          now,
          occupations,
        });
        return { resourceId: resource.id, ...explainStart(input, start) };
      });
      const best = perResource.find((r) => r.available) ?? perResource[0]!;
      return {
        available: best.available,
        resourceId: best.resourceId,
        reasons: best.reasons,
        ...(perResource.length > 1 ? { resources: perResource } : {}),
        capacity: config.capacity,
      };
    },
    /** `query` with the window written as `from`/`to` or Floyd's `startTime`/`endTime`/`durationMs`. */
    slots(input: AvailabilitySlotsInput): Promise<Slot[]> {
      return api.query(slotsQueryOf(parseInput(AvailabilitySlotsSchema, input)));
    },
  };
  return api;
}
