/**
 * Who is calling: a principal (an API key, or an anonymous caller of an organization's public
 * pages) and what it may do. `authorize` is the one check every call through a
 * `withPrincipal` handle passes first; the audit actor is who the audit log names.
 * @module
 */
import type { OperationSpec, Permission } from '../api/operation.js';
import { SeshnError } from '../errors/seshn-error.js';
import type { Role } from '../schema/tenancy.js';

export type Principal =
  | {
      type: 'api_key';
      keyId: string;
      keyType: 'secret' | 'publishable';
      organizationId: string;
      mode: 'live' | 'test';
      /** `null` for a publishable key. */
      role: Role | null;
      /** `null`: everything the role allows. */
      scopes: string[] | null;
    }
  | { type: 'anonymous'; organizationId: string; mode: 'live' | 'test' };

/** Who the audit log names for a change: an API key, or a user of the embedding app. */
export interface AuditActor {
  type: 'api_key' | 'user';
  id: string;
}

/** What each role may do: owner ⊇ admin ⊇ staff ⊇ readonly. */
export const ROLE_PERMISSIONS: Record<Role, readonly Permission[]> = {
  owner: ['read', 'write', 'admin'],
  admin: ['read', 'write', 'admin'],
  staff: ['read', 'write'],
  readonly: ['read'],
};

const ROLE_RANK: Record<Role, number> = { readonly: 0, staff: 1, admin: 2, owner: 3 };

/** True when `role` includes everything `other` may do (an admin cannot mint an owner). */
export function roleCovers(role: Role, other: Role): boolean {
  return ROLE_RANK[role] >= ROLE_RANK[other];
}

const groupOf = (op: OperationSpec) => op.name.slice(0, op.name.indexOf('.'));

/** The scope a key needs for `op`: `<group>:read` for reads, `<group>:write` for everything else. */
export function scopeNeeded(op: OperationSpec): string {
  return `${groupOf(op)}:${op.permission === 'read' ? 'read' : 'write'}`;
}

function forbidden(message: string, details: Record<string, unknown>): SeshnError {
  return new SeshnError('forbidden', message, details);
}

/**
 * Throws `forbidden` when `principal` may not call `op`, naming what is missing
 * (`details.permission`, `details.scope` or `details.reason`). An anonymous principal passes
 * only for `public` operations; whether the service it names is public is checked by the handle.
 *
 * @example
 * authorize(principal, findOperation('bookings.create')!); // throws for a readonly key
 */
export function authorize(principal: Principal, op: OperationSpec): void {
  if (op.http === null) {
    throw forbidden(`${op.name} is only available to the embedding application`, {
      operation: op.name,
      reason: 'embedded_only',
    });
  }
  if (principal.type === 'anonymous' || principal.keyType === 'publishable') {
    if (op.public === true) return;
    const who = principal.type === 'anonymous' ? 'An anonymous caller' : 'A publishable key';
    throw forbidden(`${who} may only call public operations; ${op.name} needs a secret key`, {
      operation: op.name,
      permission: op.permission,
      reason: 'not_public',
    });
  }
  const role = principal.role;
  if (role === null || !ROLE_PERMISSIONS[role].includes(op.permission)) {
    throw forbidden(
      `This key's role (${role ?? 'none'}) lacks the ${op.permission} permission ${op.name} needs`,
      {
        operation: op.name,
        permission: op.permission,
        role,
      },
    );
  }
  if (principal.scopes !== null) {
    const needed = scopeNeeded(op);
    const [group] = needed.split(':');
    const ok = principal.scopes.some(
      (s) => s === '*' || s === needed || (needed.endsWith(':read') && s === `${group}:write`),
    );
    if (!ok) {
      throw forbidden(`This key lacks the scope ${needed} that ${op.name} needs`, {
        operation: op.name,
        scope: needed,
      });
    }
  }
}
