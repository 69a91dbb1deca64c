/**
 * Catalog entities — resources, services, allocations, contacts — as zod schemas (inputs) and
 * TypeScript types (what the API returns). One source for core, HTTP, OpenAPI, SDK and MCP.
 * @module
 */
import { z } from 'zod';
import { PricingSchema } from '../pricing/index.js';
import {
  InstantSchema,
  idSchema,
  listParamsSchema,
  MAX_DURATION_MINUTES,
  MetadataPatchSchema,
  MetadataSchema,
  TimeZoneSchema,
} from './common.js';
import { OverrideSchema, ResourceAvailabilitySchema, WeeklyHoursSchema } from './hours.js';
import { branchedUnion, byKey } from './messages.js';
import type { Service } from './objects.js';

export type { Allocation, Contact, Resource, Service } from './objects.js';

const PositiveInt = z.number().int().positive();
const NonNegativeInt = z.number().int().min(0);

export const ResourceCreateSchema = z
  .object({
    name: z.string().min(1).max(200),
    timezone: TimeZoneSchema,
    /** Informational (people the room holds); seats are sold per service. */
    capacity: PositiveInt.max(100_000).optional(),
    metadata: MetadataSchema,
    availability: ResourceAvailabilitySchema.default({ weekly: {}, overrides: [] }),
  })
  .strict()
  .meta({ id: 'ResourceCreate' });
export type ResourceCreateInput = z.input<typeof ResourceCreateSchema>;

/**
 * A partial update: only the fields given change (`undefined` = not given). `availability.weekly`
 * replaces the weekly hours and keeps the overrides; `availability.overrides` replaces the
 * overrides and keeps the weekly hours. `metadata` merges key by key (`null` or `''` removes a
 * key; `metadata: null` removes all). `capacity: null` clears it.
 */
export const ResourceUpdateSchema = z
  .object({
    name: z.string().min(1).max(200).optional(),
    timezone: TimeZoneSchema.optional(),
    capacity: PositiveInt.max(100_000).nullable().optional(),
    metadata: MetadataPatchSchema.optional(),
    availability: z
      .object({ weekly: WeeklyHoursSchema.optional(), overrides: z.array(OverrideSchema).optional() })
      .strict()
      .optional(),
  })
  .strict()
  .meta({ id: 'ResourceUpdate' });
export type ResourceUpdateInput = z.input<typeof ResourceUpdateSchema>;

const DurationsSchema = branchedUnion(
  [
    z.array(PositiveInt.max(MAX_DURATION_MINUTES)).min(1).max(100),
    z
      .object({
        min: PositiveInt.max(MAX_DURATION_MINUTES),
        max: PositiveInt.max(MAX_DURATION_MINUTES),
        step: PositiveInt.max(MAX_DURATION_MINUTES),
      })
      .strict()
      .refine((d) => d.min <= d.max, { message: 'max must be ≥ min', path: ['max'] }),
  ],
  (v) => (Array.isArray(v) ? 0 : 1),
);

export const TimetableEntrySchema = z
  .object({
    resourceId: idSchema('resource'),
    rrule: z.string().min(1).max(1000),
    dtstart: z
      .string()
      .regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?$/, { message: 'Expected YYYY-MM-DDTHH:mm' }),
  })
  .strict();

export const ServiceCreateSchema = z
  .object({
    name: z.string().min(1).max(200),
    kind: z.enum(['appointment', 'class']),
    durationMinutes: PositiveInt.max(MAX_DURATION_MINUTES),
    durations: DurationsSchema.optional(),
    capacity: PositiveInt.max(100_000).default(1),
    resourceIds: z.array(idSchema('resource')).min(1).max(500),
    bufferBeforeMinutes: NonNegativeInt.max(24 * 60).default(0),
    bufferAfterMinutes: NonNegativeInt.max(24 * 60).default(0),
    gridMinutes: PositiveInt.max(24 * 60).optional(),
    minNoticeMinutes: NonNegativeInt.max(365 * 24 * 60).default(0),
    horizonDays: PositiveInt.max(3650).nullable().default(365),
    holdTtlSeconds: PositiveInt.max(7 * 24 * 3600).default(600),
    /** A hold lapses at the latest this many minutes before its slot starts (0: at the start). */
    holdCutoffMinutes: NonNegativeInt.max(7 * 24 * 60).default(0),
    /**
     * When attendance may be recorded: check-in from `checkInOpensMinutesBefore` the start until
     * `checkInClosesMinutesAfter` the end; a no-show from `noShowAfterMinutes` after the start.
     */
    attendance: z
      .object({
        checkInOpensMinutesBefore: NonNegativeInt.max(7 * 24 * 60).default(60),
        checkInClosesMinutesAfter: NonNegativeInt.max(7 * 24 * 60).default(60),
        noShowAfterMinutes: NonNegativeInt.max(7 * 24 * 60).default(0),
        /**
         * The work runner marks a confirmed booking still `pending` as `no_show` once check-in has
         * closed (the session's end plus `checkInClosesMinutesAfter`, the grace period).
         */
        autoNoShow: z.boolean().default(true),
      })
      .strict()
      .default({
        checkInOpensMinutesBefore: 60,
        checkInClosesMinutesAfter: 60,
        noShowAfterMinutes: 0,
        autoNoShow: true,
      }),
    pricing: PricingSchema.nullable().default(null),
    /**
     * How freed seats reach the waitlist (docs/waitlist.md): `auto_book` books the next entry at
     * once, `offer` holds the seats for it for `offerTtlSeconds` (default: `holdTtlSeconds`).
     * `strictOrder`: an entry needing more seats than are free stops everyone behind it.
     * `null`: `auto_book`, not strict.
     */
    waitlist: z
      .object({
        policy: z.enum(['auto_book', 'offer']),
        offerTtlSeconds: PositiveInt.max(7 * 24 * 3600).optional(),
        strictOrder: z.boolean().default(false),
      })
      .strict()
      .nullable()
      .default(null),
    /** Stored and returned, not yet acted on: refunds and credit returns by policy arrive later. */
    cancellation: z
      .object({
        refundUntilMinutesBefore: NonNegativeInt.optional(),
        returnCreditsUntilMinutesBefore: NonNegativeInt.optional(),
      })
      .strict()
      .nullable()
      .default(null),
    timetable: z.array(TimetableEntrySchema).max(100).default([]),
    /**
     * Its availability may be read with no API key at all (a booking widget on a public page):
     * over HTTP, the public reads of the operation table (`availability.query`, `slots`, …) answer
     * for this service given only the organization. Bookings always need a key.
     */
    public: z.boolean().default(false),
    metadata: MetadataSchema,
  })
  .strict()
  .superRefine((s, ctx) => {
    if (s.kind === 'class' && s.timetable.length === 0) {
      ctx.addIssue({ code: 'custom', path: ['timetable'], message: 'A class service needs a timetable' });
    }
    if (s.kind === 'appointment' && s.timetable.length > 0) {
      ctx.addIssue({ code: 'custom', path: ['timetable'], message: 'Only class services have a timetable' });
    }
    s.timetable.forEach((t, i) => {
      if (!s.resourceIds.includes(t.resourceId)) {
        ctx.addIssue({
          code: 'custom',
          path: ['timetable', i, 'resourceId'],
          message: 'Timetable resource must be one of resourceIds',
        });
      }
    });
  })
  .meta({ id: 'ServiceCreate' });
export type ServiceCreateInput = z.input<typeof ServiceCreateSchema>;
export type ServiceConfig = z.output<typeof ServiceCreateSchema>;

export const AllocationCreateSchema = z
  .object({
    resourceId: idSchema('resource'),
    startTime: InstantSchema,
    endTime: InstantSchema,
    reason: z.string().max(500).optional(),
    metadata: MetadataSchema,
  })
  .strict()
  .refine((a) => a.endTime.getTime() > a.startTime.getTime(), {
    message: 'endTime must be after startTime',
    path: ['endTime'],
  })
  .meta({ id: 'AllocationCreate' });
export type AllocationCreateInput = z.input<typeof AllocationCreateSchema>;

export const ContactCreateSchema = z
  .object({
    name: z.string().min(1).max(200),
    email: z.email().max(320).optional(),
    phone: z.string().min(3).max(40).optional(),
    metadata: MetadataSchema,
  })
  .strict()
  .meta({ id: 'ContactCreate' });
export type ContactCreateInput = z.input<typeof ContactCreateSchema>;
export const ContactUpdateSchema = z
  .object({
    name: z.string().min(1).max(200).optional(),
    email: z.email().max(320).nullable().optional(),
    phone: z.string().min(3).max(40).nullable().optional(),
    /** Merged key by key, like every update's metadata (see {@link ResourceUpdateSchema}). */
    metadata: MetadataPatchSchema.optional(),
  })
  .strict()
  .meta({ id: 'ContactUpdate' });

/** Every duration a customer may choose for this service, ascending. */
export function allowedDurations(service: Pick<Service, 'durationMinutes' | 'durations'>): number[] {
  const d = service.durations;
  if (!d) return [service.durationMinutes];
  if (Array.isArray(d)) return [...new Set([service.durationMinutes, ...d])].sort((a, b) => a - b);
  const out = new Set<number>([service.durationMinutes]);
  for (let m = d.min; m <= d.max; m += d.step) out.add(m);
  return [...out].sort((a, b) => a - b);
}

/** Filters of `allocations.list`: a resource, and blocks overlapping `[from, to)`. */
export const AllocationListSchema = listParamsSchema('allocation')
  .extend({
    resourceId: idSchema('resource').optional(),
    from: InstantSchema.optional(),
    to: InstantSchema.optional(),
  })
  .strict();

/** `{ email }` matches exactly (case-insensitive); `{ query }` searches name, email and phone. */
const FIND_HINT = 'Give email (an exact match) or query (text to search for)';
/** `{ email }` or `{ query }`: the branch is the key given; with neither, `email` is asked for. */
export const ContactFindSchema = branchedUnion(
  [
    z.object({ email: z.string({ error: FIND_HINT }).min(1).max(320) }).strict(),
    z.object({ query: z.string({ error: FIND_HINT }).min(1).max(200) }).strict(),
  ],
  byKey(['email', 'query'], 0),
);

/**
 * A partial service update: any field of a service, none required and none defaulted (a field
 * not given keeps its value). The merged service is then validated as a whole, like a create.
 */
export const SERVICE_UPDATE_SHAPE: z.core.$ZodLooseShape = Object.fromEntries(
  Object.entries(ServiceCreateSchema.shape).map(([key, field]) => [
    key,
    (field instanceof z.ZodDefault ? field.unwrap() : field).optional(),
  ]),
);
export const ServiceUpdateSchema = z
  .object(SERVICE_UPDATE_SHAPE)
  .strict()
  .meta({ id: 'ServiceUpdate' }) as unknown as z.ZodType<Partial<ServiceConfig>, Partial<ServiceCreateInput>>;
export type ServiceUpdateInput = Partial<ServiceCreateInput>;
