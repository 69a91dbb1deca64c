/**
 * Builds the pure engines' inputs from stored catalog records: the one translation between what
 * a service/resource says and what the availability engine evaluates.
 * @module
 */
import type { FreeWindowsInput } from '../availability/index.js';
import type { AvailabilityInput, Occupation } from '../availability/types.js';
import { SeshnError } from '../errors/seshn-error.js';
import type { OccupationRecord, ResourceRecord, ServiceRecord } from '../ports/adapter.js';
import { expandRecurrenceMs } from '../recurrence/index.js';
import {
  allowedDurations,
  type Service,
  type ServiceConfig,
  ServiceCreateSchema,
} from '../schema/catalog.js';
import type { ResourceAvailability } from '../schema/hours.js';
import { entriesAhead, type QueueEntry, serveQueue } from '../waitlist/policy.js';

const MINUTE = 60_000;

/**
 * Parsed configs by the stored document they were read from. Every request reads its service
 * again, so a cache by record object never hits on the booking path, and parsing the whole
 * configuration per booking costs more than its SQL: the key is the document itself (its id and
 * its JSON text), which changes with every update. Bounded; the oldest entry leaves first.
 */
const parsedConfigs = new Map<string, ServiceConfig>();
const PARSED_CONFIGS_MAX = 1000;

/**
 * The service's configuration as the schema reads it: the stored document parsed (defaults of
 * fields added since it was written filled in), not cast. A stored document the schema refuses
 * is `storage_error`: the database holds what no write could store.
 * @example
 * serviceConfig(await adapter.get('service', scope, id)).capacity; // 12
 */
export function serviceConfig(record: ServiceRecord): ServiceConfig {
  const key = `${record.id}\n${JSON.stringify(record.config)}`;
  const cached = parsedConfigs.get(key);
  if (cached) return cached;
  const parsed = ServiceCreateSchema.safeParse(record.config);
  if (!parsed.success) {
    throw new SeshnError('storage_error', `The stored configuration of service ${record.id} is invalid`, {
      id: record.id,
      issues: parsed.error.issues.slice(0, 5).map((i) => ({ path: i.path.join('.'), message: i.message })),
    });
  }
  if (parsedConfigs.size >= PARSED_CONFIGS_MAX) {
    parsedConfigs.delete(parsedConfigs.keys().next().value as string);
  }
  parsedConfigs.set(key, parsed.data);
  return parsed.data;
}

/** The duration a request asks for, checked against what the service allows. */
export function resolveDuration(
  service: ServiceRecord,
  requested: number | undefined,
  field = 'durationMinutes',
): number {
  const config = serviceConfig(service);
  if (requested === undefined) return config.durationMinutes;
  const allowed =
    config.kind === 'class' ? [config.durationMinutes] : allowedDurations(config as unknown as Service);
  if (!allowed.includes(requested)) {
    throw new SeshnError('slot_unavailable', `This service cannot be booked for ${requested} minutes`, {
      reason: 'duration_not_allowed',
      field,
      allowedDurations: allowed.length > 50 ? `${allowed[0]}–${allowed[allowed.length - 1]}` : allowed,
    });
  }
  return requested;
}

/**
 * The shortest length a booking of this service may have: a class's duration, an appointment's
 * shortest allowed duration ({@link allowedDurations}).
 * @example
 * shortestDuration(massage); // 30 when it allows 30, 60 or 90 minutes
 */
export function shortestDuration(service: ServiceRecord): number {
  const config = serviceConfig(service);
  if (config.kind === 'class') return config.durationMinutes;
  return Math.min(...allowedDurations(config as unknown as Service));
}

/** How {@link toEngineOccupations} turns a slot's waiting entries into seats kept for them. */
export interface WaitingDemand {
  /** Seats of a slot in total (the service's capacity). */
  capacity: number;
  /** The service's `waitlist.strictOrder`. */
  strict: boolean;
  /**
   * Read for a booking that promotes this entry: only entries of its slot ahead of it count
   * (see {@link entriesAhead}). Without it every waiting entry counts (a newcomer's view).
   */
  promotes?: { entryId: string; position: number } | undefined;
}

/**
 * Occupations as the availability engine wants them (slot + the buffers it was booked with).
 *
 * Waiting entries (kind `waiting`) are demand for their own slot only (invariant 5): with
 * `waiting`, each slot's entries become one `booking` occupation of the seats {@link serveQueue}
 * keeps for them out of the slot's free seats (`capacity` minus the seats of its `booking` rows),
 * so the engine's `remaining` for that slot is what a newcomer can book — exactly what
 * `checkReservation` accepts. That occupation has the slot's key and an empty extent (`start =
 * end`, no buffers): it holds seats of its slot and overlaps nothing, as waiting entries never
 * conflict with other slots. Without `waiting` (free windows, no service) they are dropped.
 * @example
 * toEngineOccupations(rows, { capacity: 12, strict: false }); // rows of a class with a waitlist
 */
export function toEngineOccupations(
  rows: readonly OccupationRecord[],
  waiting?: WaitingDemand,
): Occupation[] {
  const out: Occupation[] = [];
  let queues: Map<string, { slotKey: string; start: number; entries: QueueEntry[] }> | null = null;
  for (const o of rows) {
    if (o.kind === 'waiting') {
      if (!waiting || o.slotKey === null) continue;
      queues ??= new Map();
      const k = `${o.resourceId}\n${o.slotKey}`;
      let q = queues.get(k);
      if (!q) {
        q = { slotKey: o.slotKey, start: o.start, entries: [] };
        queues.set(k, q);
      }
      q.entries.push({ id: o.id, seats: o.seats, position: o.position ?? 0 });
      continue;
    }
    out.push(
      o.kind === 'allocation'
        ? { kind: 'allocation', start: o.start, end: o.end }
        : {
            kind: 'booking',
            start: o.start,
            end: o.end,
            bufferBeforeMinutes: (o.start - o.occupiedStart) / MINUTE,
            bufferAfterMinutes: (o.occupiedEnd - o.end) / MINUTE,
            seats: o.seats,
            slotKey: o.slotKey ?? undefined,
          },
    );
  }
  if (!queues || !waiting) return out;
  const booked = new Map<string, number>();
  for (const o of rows) {
    if (o.kind !== 'booking' || o.slotKey === null) continue;
    const k = `${o.resourceId}\n${o.slotKey}`;
    if (queues.has(k)) booked.set(k, (booked.get(k) ?? 0) + o.seats);
  }
  for (const [k, q] of queues) {
    const ahead = entriesAhead(q.entries, { promotes: waiting.promotes });
    const { used } = serveQueue(waiting.capacity - (booked.get(k) ?? 0), ahead, waiting.strict);
    if (used <= 0) continue;
    out.push({
      kind: 'booking',
      start: q.start,
      end: q.start,
      bufferBeforeMinutes: 0,
      bufferAfterMinutes: 0,
      seats: used,
      slotKey: q.slotKey,
    });
  }
  return out;
}

const TIMETABLE_LIMIT = 10_000;

/**
 * Session starts of every timetable entry of `service` on `resource` in `[from, to)`; `complete`
 * is false when an entry hit the expansion limit (its later sessions in the window are missing).
 */
function expandTimetable(
  service: ServiceRecord,
  resource: ResourceRecord,
  from: number,
  to: number,
): { starts: number[]; complete: boolean } {
  const config = serviceConfig(service);
  const out = new Set<number>();
  let complete = true;
  for (const entry of config.timetable) {
    if (entry.resourceId !== resource.id) continue;
    const found = expandRecurrenceMs({
      dtstart: entry.dtstart,
      timezone: resource.timezone,
      rrule: entry.rrule,
      between: { from: new Date(from), to: new Date(to) },
      limit: TIMETABLE_LIMIT,
    });
    if (found.length >= TIMETABLE_LIMIT) complete = false;
    for (const start of found) out.add(start);
  }
  return { starts: [...out].sort((a, b) => a - b), complete };
}

/** Class session starts of `service` on `resource` with `from <= start < to`. */
export function sessionStarts(
  service: ServiceRecord,
  resource: ResourceRecord,
  from: number,
  to: number,
): number[] {
  return expandTimetable(service, resource, from, to).starts;
}

/**
 * Class session starts that tell, for each of `candidates`, whether a session starts there: the
 * timetable expanded once over the span of all candidates (`[min, max + durationMs)`). When that
 * span holds more sessions than one expansion returns (a minutely timetable over months), each
 * candidate's own window `[start, start + durationMs)` is expanded instead: a candidate that is a
 * session is the first instant of its window, so it is never cut off by the limit.
 * @example
 * const sessions = sessionStartsFor(yoga, studio, occurrenceStarts, 60 * 60_000);
 * occurrenceStarts.filter((s) => !sessions.includes(s)); // the occurrences without a class
 */
export function sessionStartsFor(
  service: ServiceRecord,
  resource: ResourceRecord,
  candidates: readonly number[],
  durationMs: number,
): number[] {
  if (candidates.length === 0) return [];
  let lo = Number.POSITIVE_INFINITY;
  let hi = Number.NEGATIVE_INFINITY;
  for (const c of candidates) {
    if (c < lo) lo = c;
    if (c > hi) hi = c;
  }
  const span = expandTimetable(service, resource, lo, hi + durationMs);
  if (span.complete || candidates.length === 1) return span.starts;
  const out = new Set<number>();
  for (const c of candidates) {
    for (const s of expandTimetable(service, resource, c, c + durationMs).starts) out.add(s);
  }
  return [...out].sort((a, b) => a - b);
}

export interface EngineInputOptions {
  durationMinutes: number;
  seats: number;
  from: number;
  to: number;
  now: number;
  occupations: OccupationRecord[];
  /**
   * Class services: the session starts to use instead of expanding the timetable over
   * `[from, to)` (see {@link sessionStartsFor}).
   */
  sessionStarts?: number[];
  /**
   * A booking that promotes this waiting entry: only the entries ahead of it keep seats (see
   * {@link WaitingDemand.promotes}); without it availability is a newcomer's.
   */
  promotes?: { entryId: string; position: number };
}

/**
 * Rental-style free-window input for one resource: its hours and live occupations, with the
 * service's buffers, notice and horizon when a service is given (none otherwise).
 */
export function freeWindowInput(
  service: ServiceRecord | null,
  resource: ResourceRecord,
  o: Omit<EngineInputOptions, 'durationMinutes' | 'seats'>,
): FreeWindowsInput {
  const config = service ? serviceConfig(service) : null;
  const availability = resource.availability as ResourceAvailability;
  return {
    timezone: resource.timezone,
    weekly: availability.weekly ?? {},
    overrides: availability.overrides ?? [],
    // Rental windows: waiting entries are demand for one slot's seats, not time taken.
    occupations: toEngineOccupations(o.occupations.filter((x) => x.resourceId === resource.id)),
    now: o.now,
    from: o.from,
    to: o.to,
    minNoticeMinutes: config?.minNoticeMinutes ?? 0,
    horizonDays: config ? config.horizonDays : null,
    bufferBeforeMinutes: config?.bufferBeforeMinutes ?? 0,
    bufferAfterMinutes: config?.bufferAfterMinutes ?? 0,
  };
}

/** The availability engine's input for one service on one resource. */
export function engineInput(
  service: ServiceRecord,
  resource: ResourceRecord,
  o: EngineInputOptions,
): AvailabilityInput {
  const config = serviceConfig(service);
  const availability = resource.availability as ResourceAvailability;
  const slotKeyPrefix = `${service.id}|${resource.id}`;
  const input: AvailabilityInput = {
    timezone: resource.timezone,
    weekly: availability.weekly ?? {},
    overrides: availability.overrides ?? [],
    durationMinutes: o.durationMinutes,
    bufferBeforeMinutes: config.bufferBeforeMinutes,
    bufferAfterMinutes: config.bufferAfterMinutes,
    minNoticeMinutes: config.minNoticeMinutes,
    horizonDays: config.horizonDays,
    capacity: config.capacity,
    seats: o.seats,
    slotKeyPrefix,
    // Waiting entries of other services' slots hold nothing this service's slots could share.
    occupations: toEngineOccupations(
      o.occupations.filter(
        (x) =>
          x.resourceId === resource.id &&
          (x.kind !== 'waiting' || x.slotKey?.startsWith(`${slotKeyPrefix}|`) === true),
      ),
      {
        capacity: config.capacity,
        strict: config.waitlist?.strictOrder === true,
        promotes: o.promotes,
      },
    ),
    now: o.now,
    from: o.from,
    to: o.to,
  };
  if (config.gridMinutes !== undefined) input.gridMinutes = config.gridMinutes;
  if (config.kind === 'class') {
    input.sessionStarts = o.sessionStarts ?? sessionStarts(service, resource, o.from, o.to);
  }
  return input;
}

/**
 * The range whose occupations can affect candidates starting in `[from, to)`: a candidate occupies
 * `[s − before, s + duration + after)` and stored occupations are already buffered.
 */
export function occupationRange(service: ServiceRecord, durationMinutes: number, from: number, to: number) {
  const c = serviceConfig(service);
  return {
    from: from - c.bufferBeforeMinutes * MINUTE,
    to: to + (durationMinutes + c.bufferAfterMinutes) * MINUTE,
  };
}
