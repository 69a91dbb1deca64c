/**
 * Inputs of the tenancy operations: organizations, API keys, the audit log, the test clock, and
 * the HTTP idempotency store (`seshn.requests`).
 * @module
 */
import { z } from 'zod';
import { MAX_ID_LENGTH, MetadataSchema } from './common.js';

export const ROLES = ['owner', 'admin', 'staff', 'readonly'] as const;
export type Role = (typeof ROLES)[number];
export const RoleSchema = z.enum(ROLES).meta({ id: 'Role' });

const ID_BODY_RE = /^[A-Za-z0-9_-]+$/;

/**
 * An id with `prefix` in an input (`org_…`, `key_…`, `aud_…`, and the ledger's `prd_…`, `ent_…`,
 * `acc_…`, `trf_…`), bounded and its prefix checked.
 */
export function prefixedId(prefix: 'org' | 'key' | 'aud' | 'prd' | 'ent' | 'acc' | 'trf', label: string) {
  const expected = `${label} id (${prefix}_…)`;
  return z
    .string({
      error: (issue) => (issue.input === undefined ? `Required: ${expected}` : `Expected ${expected}`),
    })
    .refine((id) => id.length <= MAX_ID_LENGTH, {
      error: `An id is at most ${MAX_ID_LENGTH} characters`,
      abort: true,
    })
    .refine((id) => id.startsWith(`${prefix}_`) && ID_BODY_RE.test(id.slice(prefix.length + 1)), {
      error: `Expected ${expected}`,
    })
    .meta({ examples: [`${prefix}_01jd8x3c5k2e8v4q6w9r7t1y0a`] });
}

export const OrganizationIdSchema = prefixedId('org', 'an organization');
export const ApiKeyIdSchema = prefixedId('key', 'an API key');
export const AuditIdSchema = prefixedId('aud', 'an audit entry');

export const OrganizationCreateSchema = z
  .object({ name: z.string().trim().min(1).max(200), metadata: MetadataSchema })
  .strict();
export type OrganizationCreateInput = z.input<typeof OrganizationCreateSchema>;

/** `resource:read`, `bookings:write`, … or `*` (everything the role allows). */
export const ApiKeyScopeSchema = z
  .string()
  .regex(/^(\*|[A-Za-z]+:(read|write))$/, { error: 'Expected "<group>:read", "<group>:write" or "*"' });

export const ApiKeyCreateSchema = z
  .object({
    name: z.string().trim().min(1).max(200),
    role: RoleSchema.optional(),
    mode: z.enum(['live', 'test']).optional(),
    scopes: z.array(ApiKeyScopeSchema).max(100).nullable().optional(),
    type: z.enum(['secret', 'publishable']).default('secret'),
  })
  .strict()
  .superRefine((v, ctx) => {
    if (v.type === 'secret' && v.role === undefined) {
      ctx.addIssue({ code: 'custom', path: ['role'], message: 'A secret key needs a role' });
    }
    if (v.type === 'publishable' && v.role !== undefined) {
      ctx.addIssue({ code: 'custom', path: ['role'], message: 'A publishable key has no role' });
    }
    if (v.type === 'publishable' && v.scopes != null) {
      ctx.addIssue({ code: 'custom', path: ['scopes'], message: 'A publishable key has no scopes' });
    }
  })
  .meta({ examples: [{ name: 'Front desk', role: 'staff' }] });
export type ApiKeyCreateInput = z.input<typeof ApiKeyCreateSchema>;

const Limit = z.number().int().min(1).max(100).default(20);

export const ApiKeyListSchema = z.object({ limit: Limit, startingAfter: ApiKeyIdSchema.optional() }).strict();
export type ApiKeyListInput = z.input<typeof ApiKeyListSchema>;

export const AuditLogListSchema = z
  .object({
    limit: Limit,
    startingAfter: AuditIdSchema.optional(),
    action: z.string().min(1).max(64).optional(),
    targetId: z.string().min(1).max(MAX_ID_LENGTH).optional(),
  })
  .strict();
export type AuditLogListInput = z.input<typeof AuditLogListSchema>;

/** Longest test-clock move: ten years. */
export const MAX_CLOCK_ADVANCE_SECONDS = 315_360_000;
export const TestClockAdvanceSchema = z
  .object({ seconds: z.number().int().min(1).max(MAX_CLOCK_ADVANCE_SECONDS) })
  .strict();
export type TestClockAdvanceInput = z.input<typeof TestClockAdvanceSchema>;

export const RequestBeginSchema = z
  .object({
    key: z.string().min(1).max(255),
    fingerprint: z.string().min(1).max(128),
    operation: z.string().min(1).max(64),
    leaseMs: z
      .number()
      .int()
      .min(1)
      .max(24 * 3_600_000)
      .default(60_000),
  })
  .strict();
export type RequestBeginInput = z.input<typeof RequestBeginSchema>;

export const RequestFinishSchema = z
  .object({
    key: z.string().min(1).max(255),
    status: z.number().int().min(100).max(599),
    body: z.string(),
  })
  .strict();
export type RequestFinishInput = z.input<typeof RequestFinishSchema>;

export const RequestAbandonSchema = z.object({ key: z.string().min(1).max(255) }).strict();
export type RequestAbandonInput = z.input<typeof RequestAbandonSchema>;
