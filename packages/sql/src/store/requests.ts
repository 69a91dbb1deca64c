/**
 * The HTTP idempotency response store (core's `RequestStore`): one row per key and scope. A
 * claim is an insert that skips an existing key (of two concurrent claims exactly one inserts);
 * taking over an expired key or a lapsed lease is a compare-and-set on the row's `attempt`, so
 * of two processes taking over, one wins. Keys compare byte for byte (MariaDB: `varbinary`).
 * @module
 */
import type { RequestBegin, RequestClaim, Scope } from '@seshn/core';
import { num } from '../profile.js';
import type { StoreContext } from './context.js';

/** Rounds of insert / read / take over before a claim that keeps losing races reports `busy`. */
const MAX_ROUNDS = 5;

const inScope = (cx: StoreContext, scope: Scope, key: string) =>
  cx.db
    .selectFrom('seshn_http_requests')
    .selectAll()
    .where('organization_id', '=', scope.organizationId)
    .where('mode', '=', scope.mode)
    .where('idem_key', '=', key);

export async function beginRequest(cx: StoreContext, scope: Scope, c: RequestClaim): Promise<RequestBegin> {
  const leaseUntil = cx.m.inst(c.now + c.leaseMs);
  for (let round = 0; round < MAX_ROUNDS; round++) {
    const insert = cx.db.insertInto('seshn_http_requests').values({
      organization_id: scope.organizationId,
      mode: scope.mode,
      idem_key: c.key,
      fingerprint: c.fingerprint,
      operation: c.operation,
      status: null,
      body: null,
      attempt: 1,
      lease_until: leaseUntil,
      created_at: cx.m.inst(c.now),
    });
    const query =
      cx.p.conflictStyle === 'insert_ignore'
        ? insert.ignore()
        : insert.onConflict((oc) => oc.columns(['organization_id', 'mode', 'idem_key']).doNothing());
    const inserted = await query.executeTakeFirst();
    if (num(inserted.numInsertedOrUpdatedRows ?? 0) > 0) return { state: 'run' };

    const row = await inScope(cx, scope, c.key).executeTakeFirst();
    if (!row) continue; // abandoned in between: claim again
    const attempt = num(row.attempt);
    const takeOver = async (fresh: boolean) => {
      let update = cx.db
        .updateTable('seshn_http_requests')
        .set({
          attempt: attempt + 1,
          lease_until: leaseUntil,
          ...(fresh
            ? {
                fingerprint: c.fingerprint,
                operation: c.operation,
                status: null,
                body: null,
                created_at: cx.m.inst(c.now),
              }
            : {}),
        })
        .where('organization_id', '=', scope.organizationId)
        .where('mode', '=', scope.mode)
        .where('idem_key', '=', c.key)
        .where('attempt', '=', attempt);
      if (!fresh) update = update.where('status', 'is', null);
      const result = await update.executeTakeFirst();
      return num(result.numUpdatedRows) > 0;
    };
    if (cx.m.readInst(row.created_at) <= c.expiredBefore) {
      // Older than the key's lifetime: a new request under an old key.
      if (await takeOver(true)) return { state: 'run' };
      continue;
    }
    if (row.fingerprint !== c.fingerprint || row.operation !== c.operation) return { state: 'conflict' };
    if (row.status !== null && row.status !== undefined) {
      return { state: 'replay', status: num(row.status), body: String(row.body ?? '') };
    }
    if (cx.m.readInst(row.lease_until) > c.now) return { state: 'busy' };
    // In flight with a lapsed lease (the claimer crashed): take it over.
    if (await takeOver(false)) return { state: 'run' };
  }
  return { state: 'busy' };
}

export async function finishRequest(
  cx: StoreContext,
  scope: Scope,
  r: { key: string; status: number; body: string; now: number },
): Promise<void> {
  await cx.db
    .updateTable('seshn_http_requests')
    .set({ status: r.status, body: r.body })
    .where('organization_id', '=', scope.organizationId)
    .where('mode', '=', scope.mode)
    .where('idem_key', '=', r.key)
    .where('status', 'is', null)
    .execute();
}

export async function abandonRequest(cx: StoreContext, scope: Scope, r: { key: string }): Promise<void> {
  await cx.db
    .deleteFrom('seshn_http_requests')
    .where('organization_id', '=', scope.organizationId)
    .where('mode', '=', scope.mode)
    .where('idem_key', '=', r.key)
    .where('status', 'is', null)
    .execute();
}
