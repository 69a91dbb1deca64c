/**
 * The ledger primitives (core's `LedgerStore`): `openAccounts`, `postTransfers`, `getBalances`.
 * Core decides (`planTransfers`); this file reads what the rule needs under the account locks
 * and writes the plan. Lock protocol (README): the customer account rows the batch touches, in
 * id order, `FOR UPDATE`, after any resource rows the caller's transaction already holds (a
 * credit booking: `reserve`, then `postTransfers`). System accounts are never locked nor written
 * (they keep no counters), so a tenant's bookings do not queue on the `redeemed` row.
 * @module
 */
import {
  type AccountBalance,
  type AccountOpen,
  type AccountRecord,
  accountsOf,
  type PostTransfersRequest,
  type PostTransfersResult,
  planTransfers,
  resolveNow,
  type Scope,
  SeshnError,
  SYSTEM_ACCOUNTS,
  type TransferRecord,
  validateTransferItems,
} from '@seshn/core';
import { sql } from 'kysely';
import { num } from '../profile.js';
import { type AnyExpressionBuilder, type AnyQuery, anyDb, insertRows, type StoreContext } from './context.js';
import { getRecords } from './records.js';

const SYSTEM_IDS = new Set<string>(Object.values(SYSTEM_ACCOUNTS));

/**
 * A system account as the write rule sees it: always there (every scope's system accounts are
 * opened by its first grant, and no transfer exists without a granted entitlement), unlimited,
 * with no counters.
 */
function systemAccount(id: string): AccountRecord {
  const code = (Object.keys(SYSTEM_ACCOUNTS) as (keyof typeof SYSTEM_ACCOUNTS)[]).find(
    (k) => SYSTEM_ACCOUNTS[k] === id,
  )!;
  return {
    id,
    kind: 'system',
    code,
    contactId: null,
    entitlementId: null,
    limited: false,
    debitsPosted: 0,
    creditsPosted: 0,
    createdAt: 0,
  };
}

export async function openAccounts(cx: StoreContext, scope: Scope, accounts: AccountOpen[]): Promise<void> {
  for (const a of accounts) {
    const base: AnyQuery = anyDb(cx)
      .insertInto('seshn_ledger_accounts')
      .values(cx.m.account.toRow(scope, { ...a, debitsPosted: 0, creditsPosted: 0 }));
    // An existing account (a system account opened by an earlier grant) is left untouched.
    await (cx.p.conflictStyle === 'insert_ignore'
      ? base.ignore()
      : base.onConflict((oc: AnyQuery) => oc.columns(['organization_id', 'mode', 'id']).doNothing())
    ).execute();
  }
}

/** The customer accounts of `ids`, locked in id order until the transaction ends. */
async function lockAccounts(cx: StoreContext, scope: Scope, ids: string[]): Promise<AccountRecord[]> {
  if (ids.length === 0) return [];
  let q = anyDb(cx)
    .selectFrom('seshn_ledger_accounts')
    .selectAll()
    .where('organization_id', '=', scope.organizationId)
    .where('mode', '=', scope.mode)
    .where('id', 'in', ids)
    .orderBy('id');
  // Without row locks (SQLite) `BEGIN IMMEDIATE` already holds the database's write lock.
  if (cx.p.locking.rowLocks) q = q.forUpdate();
  return (await q.execute()).map(cx.m.account.fromRow);
}

/**
 * Live pending debits (unexpired at `now`) per account, read under the account locks. Lapsed
 * pending transfers of these accounts already count as voided; while the lock is held they are
 * also marked `voided` in place, so an account's pending set stays the few live holds however
 * many lapsed before (a balance sums it by index) — a tidy-up, never needed for correctness.
 */
async function pendingDebits(
  cx: StoreContext,
  scope: Scope,
  ids: string[],
  now: number,
): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  if (ids.length === 0) return out;
  const nowV = cx.m.inst(now);
  const rows = await anyDb(cx)
    .selectFrom('seshn_ledger_transfers')
    .select([
      'debit_account_id',
      sql<unknown>`sum(case when expires_at > ${nowV} then amount else 0 end)`.as('live'),
      sql<unknown>`sum(case when expires_at > ${nowV} then 0 else 1 end)`.as('lapsed'),
    ])
    .where('organization_id', '=', scope.organizationId)
    .where('mode', '=', scope.mode)
    .where('debit_account_id', 'in', ids)
    .where('status', '=', 'pending')
    .groupBy('debit_account_id')
    .execute();
  const lapsed: string[] = [];
  for (const r of rows) {
    out.set(String(r.debit_account_id), num(r.live));
    if (num(r.lapsed) > 0) lapsed.push(String(r.debit_account_id));
  }
  if (lapsed.length > 0) {
    await anyDb(cx)
      .updateTable('seshn_ledger_transfers')
      .set({ status: 'voided', updated_at: nowV })
      .where('organization_id', '=', scope.organizationId)
      .where('mode', '=', scope.mode)
      .where('debit_account_id', 'in', lapsed)
      .where('status', '=', 'pending')
      .where('expires_at', '<=', nowV)
      .execute();
  }
  return out;
}

export async function postTransfers(
  cx: StoreContext,
  scope: Scope,
  request: PostTransfersRequest,
): Promise<PostTransfersResult> {
  // Shape errors refuse before any lock or read.
  validateTransferItems(request.transfers);
  return cx.atomic(async (tx) => {
    const items = request.transfers;
    const ids = items.map((i) => i.id);
    // A settle names only its transfer: read it to learn which accounts to lock.
    const settles = items.some((i) => i.action === 'post' || i.action === 'void');
    const before = settles ? await getRecords(tx, 'transfer', scope, ids) : [];
    const beforeById = new Map(before.map((t) => [t.id, t]));
    const accountIds = new Set<string>();
    for (const item of items) for (const id of accountsOf(item, beforeById)) accountIds.add(id);
    const customerIds = [...accountIds].filter((id) => !SYSTEM_IDS.has(id)).sort();
    const locked = await lockAccounts(tx, scope, customerIds);
    // Read after the locks: a concurrent settle or replay of these ids committed before we got
    // them is seen (READ COMMITTED reads each statement's latest committed rows).
    const stored = await getRecords(tx, 'transfer', scope, ids);
    const now = resolveNow(request.now);
    const accounts = new Map<string, AccountRecord>(locked.map((a) => [a.id, a]));
    for (const id of accountIds) if (SYSTEM_IDS.has(id)) accounts.set(id, systemAccount(id));
    const limited = locked.filter((a) => a.limited).map((a) => a.id);
    const plan = planTransfers(items, {
      accounts,
      pendingDebits: await pendingDebits(tx, scope, limited, now),
      transfers: new Map(stored.map((t) => [t.id, t])),
      now,
    });
    if (plan.inserts.length > 0) {
      await insertRows(
        tx,
        'seshn_ledger_transfers',
        plan.inserts.map((t: TransferRecord) => tx.m.transfer.toRow(scope, t)),
      );
    }
    const nowV = tx.m.inst(now);
    for (const s of plan.settles) {
      const result = await anyDb(tx)
        .updateTable('seshn_ledger_transfers')
        .set({ status: s.status, updated_at: nowV })
        .where('organization_id', '=', scope.organizationId)
        .where('mode', '=', scope.mode)
        .where('id', '=', s.id)
        .where('status', '=', 'pending')
        .executeTakeFirst();
      // Only a settle of a transfer between two system accounts runs unlocked; the guard keeps it exact.
      if (num(result.numUpdatedRows) !== 1) {
        throw new SeshnError('invalid_state', `Transfer ${s.id} was settled concurrently`, { id: s.id });
      }
    }
    for (const [id, c] of plan.counters) {
      if (c.debits === 0 && c.credits === 0) continue;
      await anyDb(tx)
        .updateTable('seshn_ledger_accounts')
        .set({
          debits_posted: sql`debits_posted + ${c.debits}`,
          credits_posted: sql`credits_posted + ${c.credits}`,
          updated_at: nowV,
        })
        .where('organization_id', '=', scope.organizationId)
        .where('mode', '=', scope.mode)
        .where('id', '=', id)
        .execute();
    }
    return { transfers: plan.results, now };
  });
}

/**
 * Balances in one query: a customer account's posted totals from its counters, a system
 * account's summed from its transfers, and every account's live pending sums by index (the
 * `(scope, account, status)` indexes), so a contact with 10,000 transfers reads a handful of
 * rows.
 */
export async function getBalances(
  cx: StoreContext,
  scope: Scope,
  request: { accountIds: string[]; now: number },
): Promise<AccountBalance[]> {
  const ids = [...new Set(request.accountIds)];
  if (ids.length === 0) return [];
  const nowV = cx.m.inst(request.now);
  const sumOf = (
    eb: AnyExpressionBuilder,
    side: 'debit_account_id' | 'credit_account_id',
    pending: boolean,
  ) => {
    let q = eb
      .selectFrom('seshn_ledger_transfers as t')
      .select(sql<unknown>`coalesce(sum(t.amount), 0)`.as('s'))
      .whereRef('t.organization_id', '=', 'a.organization_id')
      .whereRef('t.mode', '=', 'a.mode')
      .whereRef(`t.${side}`, '=', 'a.id');
    q = pending
      ? q.where('t.status', '=', 'pending').where('t.expires_at', '>', nowV)
      : q.where('t.status', '=', 'posted');
    return q;
  };
  const rows = await anyDb(cx)
    .selectFrom('seshn_ledger_accounts as a')
    .select((eb: AnyExpressionBuilder) => [
      'a.id',
      'a.kind',
      'a.debits_posted',
      'a.credits_posted',
      sumOf(eb, 'debit_account_id', true).as('debits_pending'),
      sumOf(eb, 'credit_account_id', true).as('credits_pending'),
      eb
        .case()
        .when('a.kind', '=', 'system')
        .then(sumOf(eb, 'debit_account_id', false))
        .else(eb.ref('a.debits_posted'))
        .end()
        .as('debits_total'),
      eb
        .case()
        .when('a.kind', '=', 'system')
        .then(sumOf(eb, 'credit_account_id', false))
        .else(eb.ref('a.credits_posted'))
        .end()
        .as('credits_total'),
    ])
    .where('a.organization_id', '=', scope.organizationId)
    .where('a.mode', '=', scope.mode)
    .where('a.id', 'in', ids)
    .execute();
  return rows.map((r: Record<string, unknown>) => {
    const debitsPosted = num(r.debits_total);
    const creditsPosted = num(r.credits_total);
    const debitsPending = num(r.debits_pending);
    return {
      accountId: String(r.id),
      debitsPosted,
      creditsPosted,
      debitsPending,
      creditsPending: num(r.credits_pending),
      available: creditsPosted - debitsPosted - debitsPending,
    };
  });
}
