/**
 * Operations of tenancy: organizations (embedded only), API keys, the audit log and the test
 * clock.
 * @module
 */
import { z } from 'zod';
import {
  ApiKeySchema,
  AuditEntrySchema,
  CreatedApiKeySchema,
  OrganizationSchema,
  pageOf,
  TestClockSchema,
} from '../../schema/objects.js';
import {
  ApiKeyCreateSchema,
  ApiKeyIdSchema,
  ApiKeyListSchema,
  AuditLogListSchema,
  OrganizationCreateSchema,
  OrganizationIdSchema,
  TestClockAdvanceSchema,
} from '../../schema/tenancy.js';
import type { Engine } from '../engine.js';
import { operation, type TypedOperation } from '../operation.js';

/** `testClock.get` takes no input: the handle's method is `get()`. */
const testClockGet: ReturnType<typeof testClockGetOperation> & TypedOperation<Engine['testClock']['get']> =
  testClockGetOperation();

function testClockGetOperation() {
  return operation({
    name: 'testClock.get',
    summary: "The test clock of this organization's test mode: its time and offset",
    input: z.object({}).strict(),
    output: TestClockSchema,
    mutates: false,
    permission: 'read',
    http: { method: 'GET', path: '/test-clock' },
    testModeOnly: true,
    run: (e) => e.testClock.get(),
  });
}

export const organizationOperations = {
  create: operation({
    name: 'organizations.create',
    summary: 'Create an organization (a tenant): its own data, keys, audit log and test clock',
    input: OrganizationCreateSchema,
    output: OrganizationSchema,
    mutates: true,
    permission: 'admin',
    http: null,
    run: (e, input) => e.organizations.create(input),
  }),
  get: operation({
    name: 'organizations.get',
    summary: 'Get an organization',
    input: z.object({ id: OrganizationIdSchema }).strict(),
    output: OrganizationSchema,
    mutates: false,
    permission: 'read',
    http: null,
    positional: ['id'],
    run: (e, { id }) => e.organizations.get(id),
  }),
};

export const apiKeyOperations = {
  create: operation({
    name: 'apiKeys.create',
    summary: 'Create an API key; its secret is returned this once and stored only as a hash',
    input: ApiKeyCreateSchema,
    output: CreatedApiKeySchema,
    mutates: true,
    permission: 'admin',
    http: { method: 'POST', path: '/api-keys' },
    run: (e, input) => e.apiKeys.create(input),
  }),
  get: operation({
    name: 'apiKeys.get',
    summary: 'Get an API key (never its secret)',
    input: z.object({ id: ApiKeyIdSchema }).strict(),
    output: ApiKeySchema,
    mutates: false,
    permission: 'admin',
    http: { method: 'GET', path: '/api-keys/{id}' },
    positional: ['id'],
    run: (e, { id }) => e.apiKeys.get(id),
  }),
  list: operation({
    name: 'apiKeys.list',
    summary: "List the organization's API keys of both modes, newest first",
    input: ApiKeyListSchema,
    output: pageOf(ApiKeySchema),
    mutates: false,
    permission: 'admin',
    http: { method: 'GET', path: '/api-keys' },
    run: (e, input) => e.apiKeys.list(input),
  }),
  revoke: operation({
    name: 'apiKeys.revoke',
    summary: 'Revoke an API key: refused from the next request on, in every process',
    input: z.object({ id: ApiKeyIdSchema }).strict(),
    output: ApiKeySchema,
    mutates: true,
    permission: 'admin',
    http: { method: 'POST', path: '/api-keys/{id}/revoke' },
    positional: ['id'],
    run: (e, { id }) => e.apiKeys.revoke(id),
  }),
};

export const auditLogOperations = {
  list: operation({
    name: 'auditLog.list',
    summary: 'List the audit entries of this organization and mode, newest first',
    input: AuditLogListSchema,
    output: pageOf(AuditEntrySchema),
    mutates: false,
    permission: 'admin',
    http: { method: 'GET', path: '/audit-log' },
    run: (e, input) => e.auditLog.list(input),
  }),
};

export const testClockOperations = {
  get: testClockGet,
  advance: operation({
    name: 'testClock.advance',
    summary: 'Move the test clock forward (every process and handle of the test mode sees it)',
    input: TestClockAdvanceSchema,
    output: TestClockSchema,
    mutates: true,
    permission: 'write',
    http: { method: 'POST', path: '/test-clock/advance' },
    testModeOnly: true,
    run: (e, input) => e.testClock.advance(input),
  }),
};
