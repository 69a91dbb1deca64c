/**
 * Who a request acts for. The key decides the organization and the mode of every request (a
 * test key sees only test data); the router does not decide what a key may do: the handle from
 * `withPrincipal` checks each operation's permission in core, where an embedding app gets the
 * same checks without HTTP.
 * @module
 */
import { SeshnError } from '@seshn/core';
import type { HttpSeshn, Principal } from './core.js';
import { HttpError } from './errors.js';

const BEARER_RE = /^Bearer[ \t]+([^\s]+)[ \t]*$/i;
const ORGANIZATION_RE = /^[A-Za-z0-9_-]{1,64}$/;

function unauthorized(message: string, reason: string): HttpError {
  return new HttpError(
    'unauthorized',
    401,
    message,
    { reason },
    { 'WWW-Authenticate': 'Bearer realm="seshn"' },
  );
}

export interface Caller {
  principal: Principal;
  /** The handle scoped to the principal: its organization and mode, its permissions, its audit. */
  handle: HttpSeshn;
  /** What the rate limit counts by: the key, or for a caller without one, organization and address. */
  rateKey: string;
}

/**
 * The caller of `request`: `Authorization: Bearer <key>`, or without a key the anonymous caller
 * of `Seshn-Organization` (and `Seshn-Mode`), who may call only public operations.
 */
export async function callerOf(
  seshn: HttpSeshn,
  request: Request,
  requestId: string,
  clientAddress: string | undefined,
): Promise<Caller> {
  const header = request.headers.get('authorization');
  let principal: Principal;
  let rateKey: string;
  if (header !== null) {
    const match = BEARER_RE.exec(header);
    if (!match) throw unauthorized('Expected Authorization: Bearer <API key>', 'malformed_authorization');
    const found = await seshn.authenticate(match[1] as string);
    if (!found) throw unauthorized('Unknown or revoked API key', 'invalid_key');
    principal = found;
    rateKey = found.type === 'api_key' ? `key:${found.keyId}` : `org:${found.organizationId}`;
  } else {
    const organizationId = request.headers.get('seshn-organization');
    if (organizationId === null) {
      throw unauthorized(
        'Missing API key: send Authorization: Bearer sk_… (or Seshn-Organization for public operations)',
        'missing_key',
      );
    }
    if (!ORGANIZATION_RE.test(organizationId)) {
      throw unauthorized('Seshn-Organization is not an organization id (org_…)', 'malformed_organization');
    }
    const modeHeader = request.headers.get('seshn-mode');
    if (modeHeader !== null && modeHeader !== 'live' && modeHeader !== 'test') {
      throw SeshnError.validation([{ path: 'Seshn-Mode', message: 'Expected live or test' }]);
    }
    const mode = modeHeader ?? 'live';
    principal = { type: 'anonymous', organizationId, mode };
    rateKey = `anon:${organizationId}:${mode}:${clientAddress ?? 'unknown'}`;
  }
  return { principal, handle: seshn.withPrincipal(principal, { requestId }), rateKey };
}
