/**
 * The catalog operations — resources, services, allocations, contacts: validate, read what the
 * change depends on, write, return the API view.
 * @module
 */
import type { z } from 'zod';
import { clip, SeshnError } from '../errors/seshn-error.js';
import type { ServiceRecord } from '../ports/adapter.js';
import { expandRecurrence } from '../recurrence/index.js';
import {
  type AllocationCreateInput,
  AllocationCreateSchema,
  AllocationListSchema,
  type ContactCreateInput,
  ContactCreateSchema,
  ContactFindSchema,
  ContactUpdateSchema,
  type ResourceCreateInput,
  ResourceCreateSchema,
  type ResourceUpdateInput,
  ResourceUpdateSchema,
  type ServiceConfig,
  type ServiceCreateInput,
  ServiceCreateSchema,
} from '../schema/catalog.js';
import {
  type IdKind,
  idSchema,
  type ListParamsSchema,
  listParamsSchema,
  MetadataPatchSchema,
  mergeMetadata,
} from '../schema/common.js';
import type { ResourceAvailability } from '../schema/hours.js';
import { parseInput } from '../schema/parse.js';
import type { EngineContext } from './context.js';
import { checkCursor } from './cursor.js';
import { listAll } from './list-all.js';
import { allocationView, contactView, resourceView, serviceView } from './views.js';
import { promoteQueues, slotsOf, withPromotion } from './waitlist.js';

const ID_SCHEMAS = {
  resource: idSchema('resource'),
  service: idSchema('service'),
  allocation: idSchema('allocation'),
  contact: idSchema('contact'),
} satisfies Partial<Record<IdKind, z.ZodType>>;
const parseId = (kind: keyof typeof ID_SCHEMAS, id: unknown, field = 'id'): string =>
  parseInput(ID_SCHEMAS[kind], id, field);

type ListParams = z.input<typeof ListParamsSchema>;

/** The given fields of `patch` (an `undefined` value is a field not given). */
function given<T extends object>(patch: T): Partial<T> {
  return Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined)) as Partial<T>;
}

const isPlainInput = (input: unknown): input is Record<string, unknown> =>
  typeof input === 'object' && input !== null && !Array.isArray(input);

export function resourcesApi(ctx: EngineContext) {
  const load = async (id: string) => {
    const r = await ctx.adapter.get('resource', ctx.scope, parseId('resource', id));
    if (!r) throw SeshnError.notFound('resource', id);
    return r;
  };
  return {
    async create(input: ResourceCreateInput) {
      const data = parseInput(ResourceCreateSchema, input);
      const now = ctx.now();
      const record = {
        id: ctx.ids('rsc'),
        name: data.name,
        timezone: data.timezone,
        capacity: data.capacity ?? null,
        metadata: data.metadata,
        availability: data.availability,
        archivedAt: null,
        createdAt: now,
        updatedAt: now,
      };
      await ctx.adapter.insert('resource', ctx.scope, record);
      return resourceView(record);
    },
    async get(id: string) {
      return resourceView(await load(id));
    },
    /**
     * Changes only the fields given. `availability.weekly` / `availability.overrides` each replace
     * their part and keep the other; `metadata` merges key by key (`null` or `''` removes a key).
     */
    async update(id: string, input: ResourceUpdateInput) {
      const resourceId = parseId('resource', id);
      const patch = given(parseInput(ResourceUpdateSchema, input));
      const current = await load(resourceId);
      const stored = (current.availability ?? {}) as Partial<ResourceAvailability>;
      const availability = patch.availability
        ? {
            weekly: patch.availability.weekly ?? stored.weekly ?? {},
            overrides: patch.availability.overrides ?? stored.overrides ?? [],
          }
        : current.availability;
      const next = {
        ...current,
        ...(patch.name !== undefined ? { name: patch.name } : {}),
        ...(patch.timezone !== undefined ? { timezone: patch.timezone } : {}),
        ...(patch.capacity !== undefined ? { capacity: patch.capacity } : {}),
        metadata: mergeMetadata(current.metadata, patch.metadata),
        availability,
        updatedAt: ctx.now(),
      };
      await ctx.adapter.update('resource', ctx.scope, next);
      return resourceView(next);
    },
    /** Archived resources keep their bookings but take no new ones. */
    async archive(id: string) {
      const current = await load(id);
      // One guarded write: the first archive instant is kept, whoever archives concurrently.
      const archived = await ctx.adapter.archive('resource', ctx.scope, current.id, ctx.now());
      if (!archived) throw SeshnError.notFound('resource', current.id);
      return resourceView(archived);
    },
    async list(params: ListParams = {}) {
      const p = parseInput(listParamsSchema('resource'), params);
      await checkCursor(ctx, 'resource', p.startingAfter);
      const page = await ctx.adapter.list('resource', ctx.scope, {}, p);
      return { data: page.data.map(resourceView), hasMore: page.hasMore };
    },
  };
}

/** Checks what a service refers to: its resources exist here, and its timetable expands. */
async function checkServiceReferences(ctx: EngineContext, config: ServiceConfig): Promise<void> {
  const ids = [...new Set(config.resourceIds)];
  const found = await ctx.adapter.getMany('resource', ctx.scope, ids);
  const missing = ids.filter((id) => !found.some((r) => r.id === id));
  if (missing.length) {
    const shown = missing.slice(0, 5).map((id) => clip(id));
    throw new SeshnError('not_found', `No resource with id ${shown.join(', ')}`, {
      kind: 'resource',
      ids: shown,
    });
  }
  config.timetable.forEach((entry, i) => {
    const resource = found.find((r) => r.id === entry.resourceId)!;
    try {
      expandRecurrence({ dtstart: entry.dtstart, timezone: resource.timezone, rrule: entry.rrule, limit: 1 });
    } catch (error) {
      if (error instanceof SeshnError) {
        const fields = (error.details.fields as { path: string; message: string }[] | undefined) ?? [];
        throw SeshnError.validation(
          fields.map((f) => ({ path: `timetable.${i}.${f.path}`, message: f.message })),
          `Invalid timetable entry ${i}: ${error.message}`,
        );
      }
      throw error;
    }
  });
}

export function servicesApi(ctx: EngineContext) {
  const load = async (id: string) => {
    const s = await ctx.adapter.get('service', ctx.scope, parseId('service', id));
    if (!s) throw SeshnError.notFound('service', id);
    return s;
  };
  return {
    async create(input: ServiceCreateInput) {
      const config = parseInput(ServiceCreateSchema, input);
      await checkServiceReferences(ctx, config);
      const now = ctx.now();
      const record: ServiceRecord = {
        id: ctx.ids('svc'),
        name: config.name,
        kind: config.kind,
        config: config as unknown as Record<string, unknown>,
        archivedAt: null,
        createdAt: now,
        updatedAt: now,
      };
      await ctx.adapter.insert('service', ctx.scope, record);
      return serviceView(record);
    },
    async get(id: string) {
      return serviceView(await load(id));
    },
    /**
     * A partial update: the fields given replace the stored ones (a nested object such as
     * `pricing` or `waitlist` is replaced whole; `metadata` merges key by key), everything else is
     * kept, and the merged service is validated as a whole, like a create.
     */
    async update(id: string, input: Partial<ServiceCreateInput>) {
      const serviceId = parseId('service', id);
      if (!isPlainInput(input)) throw SeshnError.validation([{ path: '', message: 'Expected an object' }]);
      const { metadata: metadataInput, ...fields } = given(input);
      const metadataPatch =
        metadataInput === undefined ? undefined : parseInput(MetadataPatchSchema, metadataInput, 'metadata');
      const current = await load(serviceId);
      const stored = current.config as Record<string, unknown>;
      const merged = {
        ...stored,
        ...fields,
        metadata: mergeMetadata((stored.metadata ?? {}) as Record<string, unknown>, metadataPatch),
      };
      const config = parseInput(ServiceCreateSchema, merged);
      await checkServiceReferences(ctx, config);
      const next: ServiceRecord = {
        ...current,
        name: config.name,
        kind: config.kind,
        config: config as unknown as Record<string, unknown>,
        updatedAt: ctx.now(),
      };
      await ctx.adapter.update('service', ctx.scope, next);
      // More seats, or a looser waitlist order: the queues of its sessions get what now fits.
      await promoteServiceQueues(ctx, next.id);
      return serviceView(next);
    },
    async archive(id: string) {
      const current = await load(id);
      // One guarded write: the first archive instant is kept, whoever archives concurrently.
      const archived = await ctx.adapter.archive('service', ctx.scope, current.id, ctx.now());
      if (!archived) throw SeshnError.notFound('service', current.id);
      return serviceView(archived);
    },
    async list(params: ListParams = {}) {
      const p = parseInput(listParamsSchema('service'), params);
      await checkCursor(ctx, 'service', p.startingAfter);
      const page = await ctx.adapter.list('service', ctx.scope, {}, p);
      return { data: page.data.map(serviceView), hasMore: page.hasMore };
    },
  };
}

/**
 * Promotes the waiting entries of a service's upcoming slots (after an update that may have made
 * room: capacity raised, strict order lifted), one slot per transaction.
 */
async function promoteServiceQueues(ctx: EngineContext, serviceId: string): Promise<void> {
  const waiting = await listAll(ctx.adapter, 'waitlistEntry', ctx.scope, { serviceId, status: 'waiting' });
  for (const slot of slotsOf(waiting)) {
    await withPromotion(ctx, (tx) => promoteQueues(ctx, tx, [slot]));
  }
}

export function allocationsApi(ctx: EngineContext) {
  return {
    /** Blocks time on a resource. Existing bookings are not moved; the block only stops new ones. */
    async create(input: AllocationCreateInput) {
      const data = parseInput(AllocationCreateSchema, input);
      const resource = await ctx.adapter.get('resource', ctx.scope, data.resourceId);
      if (!resource) throw SeshnError.notFound('resource', data.resourceId);
      const record = {
        id: ctx.ids('alc'),
        resourceId: data.resourceId,
        startTime: data.startTime.getTime(),
        endTime: data.endTime.getTime(),
        reason: data.reason ?? null,
        metadata: data.metadata,
        createdAt: ctx.now(),
      };
      await ctx.adapter.insert('allocation', ctx.scope, record);
      return allocationView(record);
    },
    async get(id: string) {
      const a = await ctx.adapter.get('allocation', ctx.scope, parseId('allocation', id));
      if (!a) throw SeshnError.notFound('allocation', id);
      return allocationView(a);
    },
    async delete(id: string) {
      const a = await ctx.adapter.get('allocation', ctx.scope, parseId('allocation', id));
      if (!a || !(await ctx.adapter.remove('allocation', ctx.scope, a.id)))
        throw SeshnError.notFound('allocation', id);
      return { id: a.id, object: 'allocation' as const, deleted: true as const };
    },
    async list(params: z.input<typeof AllocationListSchema> = {}) {
      const p = parseInput(AllocationListSchema, params);
      await checkCursor(ctx, 'allocation', p.startingAfter);
      const page = await ctx.adapter.list(
        'allocation',
        ctx.scope,
        { resourceId: p.resourceId, from: p.from?.getTime(), to: p.to?.getTime() },
        { limit: p.limit, startingAfter: p.startingAfter },
      );
      return { data: page.data.map(allocationView), hasMore: page.hasMore };
    },
  };
}

export function contactsApi(ctx: EngineContext) {
  const load = async (id: string) => {
    const c = await ctx.adapter.get('contact', ctx.scope, parseId('contact', id));
    if (!c) throw SeshnError.notFound('contact', id);
    return c;
  };
  return {
    async create(input: ContactCreateInput) {
      const data = parseInput(ContactCreateSchema, input);
      const now = ctx.now();
      const record = {
        id: ctx.ids('ct'),
        name: data.name,
        email: data.email ?? null,
        phone: data.phone ?? null,
        metadata: data.metadata,
        createdAt: now,
        updatedAt: now,
      };
      await ctx.adapter.transaction(async (tx) => {
        await tx.insert('contact', ctx.scope, record);
        await tx.enqueue(ctx.scope, [
          { id: ctx.ids('evt'), type: 'contact.created', data: { ...contactView(record) }, createdAt: now },
        ]);
      });
      return contactView(record);
    },
    async get(id: string) {
      return contactView(await load(id));
    },
    /** Changes only the fields given (`null` clears email or phone); `metadata` merges key by key. */
    async update(id: string, input: z.input<typeof ContactUpdateSchema>) {
      const contactId = parseId('contact', id);
      const { metadata, ...patch } = given(parseInput(ContactUpdateSchema, input));
      const current = await load(contactId);
      const next = {
        ...current,
        ...patch,
        metadata: mergeMetadata(current.metadata, metadata),
        updatedAt: ctx.now(),
      };
      await ctx.adapter.update('contact', ctx.scope, next);
      return contactView(next);
    },
    async list(params: ListParams = {}) {
      const p = parseInput(listParamsSchema('contact'), params);
      await checkCursor(ctx, 'contact', p.startingAfter);
      const page = await ctx.adapter.list('contact', ctx.scope, {}, p);
      return { data: page.data.map(contactView), hasMore: page.hasMore };
    },
    /** `{ email }` matches exactly (case-insensitive); `{ query }` searches name, email and phone. */
    async find(input: z.input<typeof ContactFindSchema>) {
      const q = parseInput(ContactFindSchema, input);
      const { data } = await ctx.adapter.list('contact', ctx.scope, q, { limit: 20 });
      return { data: data.map(contactView), hasMore: false };
    },
  };
}
