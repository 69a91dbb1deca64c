import { describe, expect, it } from 'vitest';
import { findOperation, operationList } from '../api/table.js';
import { SeshnError } from '../errors/seshn-error.js';
import { auditSummary } from './audit.js';
import { authorize, type Principal, roleCovers, scopeNeeded } from './principal.js';

const op = (name: string) => findOperation(name)!;
const key = (over: Partial<Extract<Principal, { type: 'api_key' }>> = {}): Principal => ({
  type: 'api_key',
  keyId: 'key_1',
  keyType: 'secret',
  organizationId: 'org_1',
  mode: 'live',
  role: 'admin',
  scopes: null,
  ...over,
});

function refusal(principal: Principal, name: string) {
  try {
    authorize(principal, op(name));
  } catch (error) {
    expect(error).toBeInstanceOf(SeshnError);
    return (error as SeshnError).details;
  }
  return null;
}

describe('authorize', () => {
  it('roles: readonly reads, staff writes, admin and owner administer', () => {
    expect(refusal(key({ role: 'readonly' }), 'bookings.list')).toBeNull();
    expect(refusal(key({ role: 'readonly' }), 'bookings.create')).toMatchObject({ permission: 'write' });
    expect(refusal(key({ role: 'staff' }), 'bookings.create')).toBeNull();
    expect(refusal(key({ role: 'staff' }), 'resources.create')).toMatchObject({ permission: 'admin' });
    expect(refusal(key({ role: 'staff' }), 'auditLog.list')).toMatchObject({ permission: 'admin' });
    for (const role of ['admin', 'owner'] as const) {
      for (const o of operationList.filter((x) => x.http !== null)) {
        expect(refusal(key({ role }), o.name), `${role} ${o.name}`).toBeNull();
      }
    }
    expect(roleCovers('owner', 'owner')).toBe(true);
    expect(roleCovers('admin', 'owner')).toBe(false);
    expect(roleCovers('admin', 'staff')).toBe(true);
  });

  it('scopes: <group>:read for reads, <group>:write for the rest, write implies read, * for all', () => {
    expect(scopeNeeded(op('bookings.get'))).toBe('bookings:read');
    expect(scopeNeeded(op('resources.create'))).toBe('resources:write');
    expect(scopeNeeded(op('auditLog.list'))).toBe('auditLog:write');
    const narrow = key({ scopes: ['bookings:write'] });
    expect(refusal(narrow, 'bookings.get')).toBeNull();
    expect(refusal(narrow, 'bookings.create')).toBeNull();
    expect(refusal(narrow, 'contacts.get')).toMatchObject({ scope: 'contacts:read' });
    expect(refusal(key({ scopes: ['contacts:read'] }), 'contacts.create')).toMatchObject({
      scope: 'contacts:write',
    });
    expect(refusal(key({ scopes: ['*'] }), 'resources.create')).toBeNull();
    expect(refusal(key({ scopes: [] }), 'bookings.get')).toMatchObject({ scope: 'bookings:read' });
  });

  it('publishable keys and anonymous callers: public operations only; nobody over HTTP reaches embedded-only ones', () => {
    const pk = key({ keyType: 'publishable', role: null });
    const anonymous: Principal = { type: 'anonymous', organizationId: 'org_1', mode: 'live' };
    for (const o of operationList) {
      const expected = o.http !== null && o.public === true;
      expect(refusal(pk, o.name) === null, o.name).toBe(expected);
      expect(refusal(anonymous, o.name) === null, o.name).toBe(expected);
    }
    expect(refusal(key({ role: 'owner' }), 'organizations.create')).toMatchObject({
      reason: 'embedded_only',
    });
  });
});

describe('auditSummary', () => {
  it('writes instants as ISO strings and leaves a key hash out', () => {
    expect(auditSummary({ id: 'key_1', hash: 'abc', createdAt: 0, revokedAt: null, seats: 2 })).toEqual({
      id: 'key_1',
      createdAt: '1970-01-01T00:00:00.000Z',
      revokedAt: null,
      seats: 2,
    });
    expect(auditSummary(null)).toBeNull();
  });
});
