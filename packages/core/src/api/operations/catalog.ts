/**
 * Operations of the catalog: resources, services, allocations and contacts.
 * @module
 */
import { z } from 'zod';
import {
  AllocationCreateSchema,
  AllocationListSchema,
  ContactCreateSchema,
  ContactFindSchema,
  ContactUpdateSchema,
  ResourceCreateSchema,
  ResourceUpdateSchema,
  SERVICE_UPDATE_SHAPE,
  type ServiceConfig,
  type ServiceCreateInput,
  ServiceCreateSchema,
} from '../../schema/catalog.js';
import { idSchema, listParamsSchema } from '../../schema/common.js';
import {
  AllocationSchema,
  ContactSchema,
  DeletedSchema,
  pageOf,
  ResourceSchema,
  ServiceSchema,
} from '../../schema/objects.js';
import { operation } from '../operation.js';

const byId = (kind: Parameters<typeof idSchema>[0]) => z.object({ id: idSchema(kind) }).strict();

/** `{ id, …patch }`: a partial update of one entity. */
const ServicePatch = z
  .object({ id: idSchema('service'), ...SERVICE_UPDATE_SHAPE })
  .strict() as unknown as z.ZodType<
  { id: string } & Partial<ServiceConfig>,
  { id: string } & Partial<ServiceCreateInput>
>;

export const resourceOperations = {
  create: operation({
    name: 'resources.create',
    summary: 'Create a resource (a room, a person, an item) with its time zone and opening hours',
    input: ResourceCreateSchema,
    output: ResourceSchema,
    mutates: true,
    permission: 'admin',
    http: { method: 'POST', path: '/resources' },
    run: (e, input) => e.resources.create(input),
  }),
  get: operation({
    name: 'resources.get',
    summary: 'Get a resource',
    input: byId('resource'),
    output: ResourceSchema,
    mutates: false,
    permission: 'read',
    http: { method: 'GET', path: '/resources/{id}' },
    positional: ['id'],
    run: (e, { id }) => e.resources.get(id),
  }),
  update: operation({
    name: 'resources.update',
    summary: 'Change the fields given of a resource (opening hours and overrides separately)',
    input: ResourceUpdateSchema.safeExtend({ id: idSchema('resource') }),
    output: ResourceSchema,
    mutates: true,
    permission: 'admin',
    http: { method: 'PATCH', path: '/resources/{id}' },
    positional: ['id'],
    run: (e, { id, ...patch }) => e.resources.update(id, patch),
  }),
  archive: operation({
    name: 'resources.archive',
    summary: 'Archive a resource: it keeps its bookings and takes no new ones',
    input: byId('resource'),
    output: ResourceSchema,
    mutates: true,
    permission: 'admin',
    http: { method: 'POST', path: '/resources/{id}/archive' },
    positional: ['id'],
    run: (e, { id }) => e.resources.archive(id),
  }),
  list: operation({
    name: 'resources.list',
    summary: 'List resources, newest first',
    input: listParamsSchema('resource').strict(),
    output: pageOf(ResourceSchema),
    mutates: false,
    permission: 'read',
    http: { method: 'GET', path: '/resources' },
    run: (e, input) => e.resources.list(input),
  }),
};

export const serviceOperations = {
  create: operation({
    name: 'services.create',
    summary: 'Create a service: an appointment or a class with its timetable, buffers, rules and pricing',
    input: ServiceCreateSchema,
    output: ServiceSchema,
    mutates: true,
    permission: 'admin',
    http: { method: 'POST', path: '/services' },
    run: (e, input) => e.services.create(input),
  }),
  get: operation({
    name: 'services.get',
    summary: 'Get a service',
    input: byId('service'),
    output: ServiceSchema,
    mutates: false,
    permission: 'read',
    public: true,
    http: { method: 'GET', path: '/services/{id}' },
    positional: ['id'],
    run: (e, { id }) => e.services.get(id),
  }),
  update: operation({
    name: 'services.update',
    summary: 'Change the fields given of a service; the result is validated as a whole',
    input: ServicePatch,
    output: ServiceSchema,
    mutates: true,
    permission: 'admin',
    http: { method: 'PATCH', path: '/services/{id}' },
    positional: ['id'],
    run: (e, { id, ...patch }) => e.services.update(id, patch),
  }),
  archive: operation({
    name: 'services.archive',
    summary: 'Archive a service: its bookings stay, it takes no new ones',
    input: byId('service'),
    output: ServiceSchema,
    mutates: true,
    permission: 'admin',
    http: { method: 'POST', path: '/services/{id}/archive' },
    positional: ['id'],
    run: (e, { id }) => e.services.archive(id),
  }),
  list: operation({
    name: 'services.list',
    summary: 'List services, newest first',
    input: listParamsSchema('service').strict(),
    output: pageOf(ServiceSchema),
    mutates: false,
    permission: 'read',
    public: true,
    http: { method: 'GET', path: '/services' },
    run: (e, input) => e.services.list(input),
  }),
};

export const allocationOperations = {
  create: operation({
    name: 'allocations.create',
    summary: 'Block time on a resource (existing bookings stay; new ones are refused)',
    input: AllocationCreateSchema,
    output: AllocationSchema,
    mutates: true,
    permission: 'admin',
    http: { method: 'POST', path: '/allocations' },
    run: (e, input) => e.allocations.create(input),
  }),
  get: operation({
    name: 'allocations.get',
    summary: 'Get an allocation',
    input: byId('allocation'),
    output: AllocationSchema,
    mutates: false,
    permission: 'read',
    http: { method: 'GET', path: '/allocations/{id}' },
    positional: ['id'],
    run: (e, { id }) => e.allocations.get(id),
  }),
  delete: operation({
    name: 'allocations.delete',
    summary: 'Delete an allocation, freeing its time',
    input: byId('allocation'),
    output: DeletedSchema('allocation'),
    mutates: true,
    permission: 'admin',
    http: { method: 'DELETE', path: '/allocations/{id}' },
    positional: ['id'],
    run: (e, { id }) => e.allocations.delete(id),
  }),
  list: operation({
    name: 'allocations.list',
    summary: 'List allocations, newest first, by resource and time',
    input: AllocationListSchema,
    output: pageOf(AllocationSchema),
    mutates: false,
    permission: 'read',
    http: { method: 'GET', path: '/allocations' },
    run: (e, input) => e.allocations.list(input),
  }),
};

export const contactOperations = {
  create: operation({
    name: 'contacts.create',
    summary: 'Create a contact (a customer who books)',
    input: ContactCreateSchema,
    output: ContactSchema,
    mutates: true,
    permission: 'write',
    http: { method: 'POST', path: '/contacts' },
    run: (e, input) => e.contacts.create(input),
  }),
  get: operation({
    name: 'contacts.get',
    summary: 'Get a contact',
    input: byId('contact'),
    output: ContactSchema,
    mutates: false,
    permission: 'read',
    http: { method: 'GET', path: '/contacts/{id}' },
    positional: ['id'],
    run: (e, { id }) => e.contacts.get(id),
  }),
  update: operation({
    name: 'contacts.update',
    summary: 'Change the fields given of a contact',
    input: ContactUpdateSchema.safeExtend({ id: idSchema('contact') }),
    output: ContactSchema,
    mutates: true,
    permission: 'write',
    http: { method: 'PATCH', path: '/contacts/{id}' },
    positional: ['id'],
    run: (e, { id, ...patch }) => e.contacts.update(id, patch),
  }),
  list: operation({
    name: 'contacts.list',
    summary: 'List contacts, newest first',
    input: listParamsSchema('contact').strict(),
    output: pageOf(ContactSchema),
    mutates: false,
    permission: 'read',
    http: { method: 'GET', path: '/contacts' },
    run: (e, input) => e.contacts.list(input),
  }),
  find: operation({
    name: 'contacts.find',
    summary: 'Find contacts by exact email, or by text in name, email or phone',
    input: ContactFindSchema,
    output: pageOf(ContactSchema),
    mutates: false,
    permission: 'read',
    http: { method: 'GET', path: '/contacts/search' },
    run: (e, input) => e.contacts.find(input),
  }),
};
