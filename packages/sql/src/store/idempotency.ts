/**
 * Idempotency keys (core's `IdempotencyStore`). A key is claimed inside the operation's own
 * transaction; a duplicate must not abort that transaction (Postgres would), so the insert skips
 * instead of failing and the row count says who won. Keys compare byte for byte on every
 * database (MariaDB: a `varbinary` column, see migration 2026-12-01T01:00).
 * @module
 */
import type { IdempotencyRecord, Scope } from '@seshn/core';
import { num } from '../profile.js';
import type { StoreContext } from './context.js';

/** Reads a key column: text, or bytes where the column is binary (MySQL/MariaDB). */
const text = (value: unknown) =>
  value instanceof Uint8Array ? Buffer.from(value).toString('utf8') : String(value);

export async function getIdempotencyKey(
  cx: StoreContext,
  scope: Scope,
  key: string,
): Promise<IdempotencyRecord | null> {
  const row = await cx.db
    .selectFrom('seshn_idempotency_keys')
    .selectAll()
    .where('organization_id', '=', scope.organizationId)
    .where('mode', '=', scope.mode)
    .where('idem_key', '=', key)
    .executeTakeFirst();
  if (!row) return null;
  return {
    key: text(row.idem_key),
    operation: row.operation,
    fingerprint: row.fingerprint,
    resultId: row.result_id,
    createdAt: cx.m.readInst(row.created_at),
  };
}

export async function claimIdempotencyKey(
  cx: StoreContext,
  scope: Scope,
  r: IdempotencyRecord,
): Promise<boolean> {
  const base = cx.db.insertInto('seshn_idempotency_keys').values({
    organization_id: scope.organizationId,
    mode: scope.mode,
    idem_key: r.key,
    operation: r.operation,
    fingerprint: r.fingerprint,
    result_id: r.resultId,
    created_at: cx.m.inst(r.createdAt),
  });
  const query =
    cx.p.conflictStyle === 'insert_ignore'
      ? base.ignore()
      : base.onConflict((oc) => oc.columns(['organization_id', 'mode', 'idem_key']).doNothing());
  const result = await query.executeTakeFirst();
  return num(result.numInsertedOrUpdatedRows ?? 0) > 0;
}
