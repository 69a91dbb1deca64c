/**
 * Tenancy: organizations, their API keys (the secret shown once, stored as its SHA-256 hash),
 * the audit log, the per-organization test clock, and the HTTP idempotency response store.
 * @module
 */
import type { z } from 'zod';
import { SeshnError } from '../errors/seshn-error.js';
import type { ApiKeyRecord, AuditRecord, OrganizationRecord, Scope, SeshnStore } from '../ports/adapter.js';
import { parseInput } from '../schema/parse.js';
import {
  ApiKeyCreateSchema,
  ApiKeyIdSchema,
  ApiKeyListSchema,
  AuditLogListSchema,
  OrganizationCreateSchema,
  OrganizationIdSchema,
  RequestAbandonSchema,
  RequestBeginSchema,
  RequestFinishSchema,
  TestClockAdvanceSchema,
} from '../schema/tenancy.js';
import { toIso } from '../time/zone.js';
import type { EngineContext } from './context.js';
import { roleCovers } from './principal.js';

/** The scope organization and API-key records live in (keys belong to the organization, not a mode). */
export const orgScope = (organizationId: string): Scope => ({ organizationId, mode: 'live' });

/** The id of the one test-clock record of an organization's test scope. */
export const TEST_CLOCK_ID = 'test_clock';

/** How long an HTTP idempotency key is remembered, by the scope's clock. */
export const REQUEST_KEY_TTL_MS = 24 * 3_600_000;

/** Random bytes in a secret (base64url: 43 characters). */
const SECRET_BYTES = 32;

/** The test clock's offset of `scope` (0 in live mode or before the first advance). */
export async function testClockOffset(store: SeshnStore, scope: Scope): Promise<number> {
  if (scope.mode !== 'test') return 0;
  const record = await store.get('testClock', scope, TEST_CLOCK_ID);
  return record?.offsetMs ?? 0;
}

export const organizationView = (o: OrganizationRecord) => ({
  id: o.id,
  object: 'organization' as const,
  name: o.name,
  metadata: o.metadata,
  createdAt: toIso(o.createdAt),
});

export const apiKeyView = (k: ApiKeyRecord) => ({
  id: k.id,
  object: 'api_key' as const,
  name: k.name,
  type: k.type,
  role: k.role,
  mode: k.mode,
  scopes: k.scopes,
  redacted: k.redacted,
  createdAt: toIso(k.createdAt),
  revokedAt: k.revokedAt === null ? null : toIso(k.revokedAt),
});

export const auditView = (a: AuditRecord) => ({
  id: a.id,
  object: 'audit_entry' as const,
  actor: { type: a.actorType, id: a.actorId },
  action: a.action,
  targetId: a.targetId,
  requestId: a.requestId,
  changes: { before: a.before, after: a.after },
  createdAt: toIso(a.createdAt),
});

function forbidden(message: string, details: Record<string, unknown>) {
  return new SeshnError('forbidden', message, details);
}

export function organizationsApi(ctx: EngineContext) {
  return {
    async create(input: z.input<typeof OrganizationCreateSchema>) {
      const data = parseInput(OrganizationCreateSchema, input);
      const record: OrganizationRecord = {
        id: ctx.ids('org'),
        name: data.name,
        metadata: data.metadata,
        createdAt: ctx.now(),
      };
      await ctx.adapter.insert('organization', orgScope(record.id), record);
      return organizationView(record);
    },
    async get(id: string) {
      const orgId = parseInput(OrganizationIdSchema, id, 'id');
      const record = await ctx.adapter.get('organization', orgScope(orgId), orgId);
      if (!record) throw SeshnError.notFound('organization', orgId);
      return organizationView(record);
    },
  };
}

export function apiKeysApi(ctx: EngineContext) {
  const scope = () => orgScope(ctx.scope.organizationId);
  const load = async (id: string) => {
    const keyId = parseInput(ApiKeyIdSchema, id, 'id');
    const record = await ctx.adapter.get('apiKey', scope(), keyId);
    if (!record) throw SeshnError.notFound('API key', keyId);
    return record;
  };
  return {
    /** A new key of this organization; its secret is in this answer only. */
    async create(input: z.input<typeof ApiKeyCreateSchema>) {
      const data = parseInput(ApiKeyCreateSchema, input);
      const mode = data.mode ?? ctx.scope.mode;
      const role = data.type === 'publishable' ? null : data.role!;
      const principal = ctx.principal;
      if (principal?.type === 'api_key') {
        if (mode !== principal.mode) {
          throw forbidden(`A ${principal.mode} key cannot create ${mode} keys`, {
            reason: 'other_mode',
            mode,
          });
        }
        if (role !== null && principal.role !== null && !roleCovers(principal.role, role)) {
          throw forbidden(`A key with the ${principal.role} role cannot create a key with the ${role} role`, {
            reason: 'role_too_high',
            role,
          });
        }
      }
      const prefix = `${data.type === 'secret' ? 'sk' : 'pk'}_${mode}_`;
      const secret = `${prefix}${ctx.secrets.random(SECRET_BYTES)}`;
      const record: ApiKeyRecord = {
        id: ctx.ids('key'),
        name: data.name,
        type: data.type,
        role,
        mode,
        scopes: data.type === 'publishable' ? null : (data.scopes ?? null),
        hash: await ctx.secrets.hash(secret),
        redacted: `${prefix}…${secret.slice(-4)}`,
        createdAt: ctx.now(),
        revokedAt: null,
      };
      await ctx.adapter.insert('apiKey', scope(), record);
      return { ...apiKeyView(record), secret };
    },
    async get(id: string) {
      return apiKeyView(await load(id));
    },
    /** The organization's keys, both modes, newest first. */
    async list(params: z.input<typeof ApiKeyListSchema> = {}) {
      const p = parseInput(ApiKeyListSchema, params);
      if (p.startingAfter !== undefined && !(await ctx.adapter.get('apiKey', scope(), p.startingAfter))) {
        throw SeshnError.notFound('API key', p.startingAfter, { field: 'startingAfter' });
      }
      const page = await ctx.adapter.list('apiKey', scope(), {}, p);
      return { data: page.data.map(apiKeyView), hasMore: page.hasMore };
    },
    /** Revokes the key (effective on the next request everywhere). Revoking again changes nothing. */
    async revoke(id: string) {
      const current = await load(id);
      if (current.revokedAt !== null) return apiKeyView(current);
      const next = { ...current, revokedAt: ctx.now() };
      await ctx.adapter.update('apiKey', scope(), next);
      return apiKeyView(next);
    },
  };
}

export function auditLogApi(ctx: EngineContext) {
  return {
    async list(params: z.input<typeof AuditLogListSchema> = {}) {
      const p = parseInput(AuditLogListSchema, params);
      if (p.startingAfter !== undefined && !(await ctx.adapter.get('audit', ctx.scope, p.startingAfter))) {
        throw SeshnError.notFound('audit entry', p.startingAfter, { field: 'startingAfter' });
      }
      const page = await ctx.adapter.list(
        'audit',
        ctx.scope,
        { action: p.action, targetId: p.targetId },
        { limit: p.limit, startingAfter: p.startingAfter },
      );
      return { data: page.data.map(auditView), hasMore: page.hasMore };
    },
  };
}

export function testClockApi(ctx: EngineContext) {
  const testOnly = (name: string) => {
    if (ctx.scope.mode !== 'test') {
      throw forbidden(`${name} is only available in test mode`, { operation: name, reason: 'live_mode' });
    }
  };
  const view = (offsetMs: number) => ({
    object: 'test_clock' as const,
    now: toIso(ctx.now() - ctx.testOffsetMs + offsetMs),
    offsetSeconds: Math.floor(offsetMs / 1000),
  });
  return {
    async get() {
      testOnly('testClock.get');
      return view(ctx.testOffsetMs);
    },
    /** Moves this organization's test clock forward, for every process and handle of its test mode. */
    async advance(input: z.input<typeof TestClockAdvanceSchema>) {
      testOnly('testClock.advance');
      const { seconds } = parseInput(TestClockAdvanceSchema, input);
      const scope = ctx.scope;
      const attempt = () =>
        ctx.adapter.transaction(async (tx) => {
          const current = await tx.get('testClock', scope, TEST_CLOCK_ID, { lock: true });
          const next = (current?.offsetMs ?? 0) + seconds * 1000;
          const record = { id: TEST_CLOCK_ID, offsetMs: next, updatedAt: ctx.now() };
          if (current) await tx.update('testClock', scope, record);
          else await tx.insert('testClock', scope, record);
          return next;
        });
      let offsetMs: number;
      try {
        offsetMs = await attempt();
      } catch (error) {
        // Two first advances at once: both saw no row and one insert lost on the key. That
        // attempt rolled back whole, and the row exists now, so the retry locks and updates it.
        if (!(error instanceof SeshnError && error.code === 'storage_error')) throw error;
        offsetMs = await attempt();
      }
      return view(offsetMs);
    },
  };
}

/** The HTTP idempotency response store of the handle's scope (`seshn.requests`). */
export function requestsApi(ctx: EngineContext) {
  return {
    async begin(input: z.input<typeof RequestBeginSchema>) {
      const data = parseInput(RequestBeginSchema, input);
      const now = ctx.now();
      return ctx.adapter.beginRequest(ctx.scope, {
        key: data.key,
        fingerprint: data.fingerprint,
        operation: data.operation,
        now,
        leaseMs: data.leaseMs,
        expiredBefore: now - REQUEST_KEY_TTL_MS,
      });
    },
    async finish(input: z.input<typeof RequestFinishSchema>) {
      const data = parseInput(RequestFinishSchema, input);
      await ctx.adapter.finishRequest(ctx.scope, { ...data, now: ctx.now() });
    },
    async abandon(input: z.input<typeof RequestAbandonSchema>) {
      const data = parseInput(RequestAbandonSchema, input);
      await ctx.adapter.abandonRequest(ctx.scope, data);
    },
  };
}
