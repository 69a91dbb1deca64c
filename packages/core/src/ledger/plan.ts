/**
 * The ledger's write rule, pure: given what a storage adapter read under its locks (the accounts
 * the batch touches, their live pending debits and the transfers the batch names), decide what
 * to write or refuse the whole batch. Every adapter applies this one function, so the invariant
 * ("no limited account goes negative; a transfer id is an idempotency key") is decided in core
 * and only made durable by SQL.
 * @module
 */
import { SeshnError } from '../errors/seshn-error.js';
import type { AccountRecord, TransferCreate, TransferItem, TransferRecord } from '../ports/ledger.js';

/** What the adapter read, under the account locks, for one batch. */
export interface LedgerSnapshot {
  /** Every account the batch names that exists (system accounts included). */
  accounts: ReadonlyMap<string, AccountRecord>;
  /** Live pending debits (unexpired at `now`) per account. */
  pendingDebits: ReadonlyMap<string, number>;
  /** The stored transfers of the ids the batch names. */
  transfers: ReadonlyMap<string, TransferRecord>;
  now: number;
}

/** What to write: new rows, settled pending rows and the posted-counter changes per customer account. */
export interface LedgerPlan {
  inserts: TransferRecord[];
  /** Pending transfers to mark `posted` or `voided` (guarded by `status = 'pending'` when written). */
  settles: { id: string; status: 'posted' | 'voided' }[];
  /** Per customer account: posted debit and credit increments. System accounts keep no counters. */
  counters: Map<string, { debits: number; credits: number }>;
  /** Each item's transfer as it will be stored, in request order. */
  results: TransferRecord[];
}

/** A pending transfer still holds its credits at `now`. */
export function isLivePending(t: Pick<TransferRecord, 'status' | 'expiresAt'>, now: number): boolean {
  return t.status === 'pending' && (t.expiresAt === null || t.expiresAt > now);
}

/** The status a transfer shows at `now`: a lapsed pending one reads as voided. */
export function effectiveTransferStatus(t: TransferRecord, now: number): TransferRecord['status'] {
  return t.status === 'pending' && !isLivePending(t, now) ? 'voided' : t.status;
}

const isSettle = (item: TransferItem): item is Extract<TransferItem, { action: 'post' | 'void' }> =>
  item.action === 'post' || item.action === 'void';

function invalid(path: string, message: string): SeshnError {
  return new SeshnError('validation_failed', message, { fields: [{ path, message }] });
}

/** Checks the shape of every item (positive integer amounts, two different accounts…) before any read. */
export function validateTransferItems(items: readonly TransferItem[]): void {
  if (!Array.isArray(items) || items.length === 0) {
    throw invalid('transfers', 'At least one transfer is required');
  }
  const seen = new Set<string>();
  items.forEach((item, i) => {
    const at = `transfers[${i}]`;
    if (typeof item.id !== 'string' || item.id.length === 0 || item.id.length > 64) {
      throw invalid(`${at}.id`, 'A transfer id is a string of 1 to 64 characters');
    }
    if (seen.has(item.id)) throw invalid(`${at}.id`, 'A transfer id may appear once per batch');
    seen.add(item.id);
    if (isSettle(item)) return;
    if (item.action !== undefined && item.action !== 'create') {
      throw invalid(`${at}.action`, "action is 'create', 'post' or 'void'");
    }
    if (!Number.isSafeInteger(item.amount) || item.amount <= 0) {
      throw invalid(`${at}.amount`, 'amount must be a positive integer');
    }
    if (item.debitAccountId === item.creditAccountId) {
      throw invalid(`${at}.creditAccountId`, 'A transfer moves credits between two different accounts');
    }
    if (
      item.pendingUntil !== undefined &&
      item.pendingUntil !== null &&
      !Number.isSafeInteger(item.pendingUntil)
    ) {
      throw invalid(`${at}.pendingUntil`, 'pendingUntil is an instant in epoch milliseconds');
    }
  });
}

/** The account ids an item touches (a settle's come from its stored transfer). */
export function accountsOf(item: TransferItem, stored: ReadonlyMap<string, TransferRecord>): string[] {
  if (isSettle(item)) {
    const t = stored.get(item.id);
    return t ? [t.debitAccountId, t.creditAccountId] : [];
  }
  return [item.debitAccountId, item.creditAccountId];
}

function toRecord(item: TransferCreate, now: number): TransferRecord {
  const pending = item.pendingUntil !== undefined && item.pendingUntil !== null;
  return {
    id: item.id,
    debitAccountId: item.debitAccountId,
    creditAccountId: item.creditAccountId,
    amount: item.amount,
    status: pending ? 'pending' : 'posted',
    expiresAt: pending ? (item.pendingUntil as number) : null,
    code: item.code,
    entitlementId: item.entitlementId,
    bookingId: item.bookingId ?? null,
    metadata: item.metadata ?? {},
    createdAt: now,
    updatedAt: now,
  };
}

/** Same content as a stored transfer (what makes a replay a no-op rather than a conflict). */
function sameContent(a: TransferRecord, b: TransferRecord): boolean {
  return (
    a.debitAccountId === b.debitAccountId &&
    a.creditAccountId === b.creditAccountId &&
    a.amount === b.amount &&
    a.code === b.code &&
    a.entitlementId === b.entitlementId &&
    a.bookingId === b.bookingId &&
    (a.expiresAt === null) === (b.expiresAt === null) &&
    JSON.stringify(a.metadata) === JSON.stringify(b.metadata)
  );
}

/**
 * Plans a batch: all of it or a thrown `SeshnError` (nothing to write). Items apply in order, so a
 * batch may create a pending transfer and post it, and the limit check sees earlier items'
 * debits.
 */
export function planTransfers(items: readonly TransferItem[], snap: LedgerSnapshot): LedgerPlan {
  validateTransferItems(items);
  const { now } = snap;
  const plan: LedgerPlan = { inserts: [], settles: [], counters: new Map(), results: [] };
  // Running view of the batch: transfers as they will be, and each account's available change.
  const current = new Map(snap.transfers);
  const availableDelta = new Map<string, number>();
  const bump = (accountId: string, field: 'debits' | 'credits', amount: number) => {
    const account = snap.accounts.get(accountId);
    if (account?.kind !== 'customer') return;
    const c = plan.counters.get(accountId) ?? { debits: 0, credits: 0 };
    c[field] += amount;
    plan.counters.set(accountId, c);
  };
  const available = (account: AccountRecord) =>
    account.creditsPosted -
    account.debitsPosted -
    (snap.pendingDebits.get(account.id) ?? 0) +
    (availableDelta.get(account.id) ?? 0);
  const spend = (accountId: string, amount: number) =>
    availableDelta.set(accountId, (availableDelta.get(accountId) ?? 0) - amount);

  items.forEach((item, i) => {
    const at = `transfers[${i}]`;
    if (isSettle(item)) {
      const t = current.get(item.id);
      if (!t) throw new SeshnError('not_found', `No transfer ${item.id}`, { id: item.id, path: `${at}.id` });
      const status = effectiveTransferStatus(t, now);
      const target = item.action === 'post' ? 'posted' : 'voided';
      // Settling twice the same way is a retry: a no-op.
      if (status === target) {
        plan.results.push(t);
        return;
      }
      if (status !== 'pending') {
        throw new SeshnError(
          'invalid_state',
          `Transfer ${t.id} is ${status}; it can no longer be ${target}`,
          {
            id: t.id,
            status,
            path: `${at}.id`,
          },
        );
      }
      const settled: TransferRecord = { ...t, status: target, updatedAt: now };
      current.set(t.id, settled);
      if (plan.inserts.some((x) => x.id === t.id)) {
        plan.inserts = plan.inserts.map((x) => (x.id === t.id ? settled : x));
      } else {
        plan.settles = plan.settles.filter((s) => s.id !== t.id);
        plan.settles.push({ id: t.id, status: target });
      }
      if (target === 'posted') {
        bump(t.debitAccountId, 'debits', t.amount);
        bump(t.creditAccountId, 'credits', t.amount);
        // Its debit was already counted against available while pending, and a post credits the
        // other side: only the credit side's available grows.
        availableDelta.set(t.creditAccountId, (availableDelta.get(t.creditAccountId) ?? 0) + t.amount);
      } else {
        // A void frees the pending debit.
        availableDelta.set(t.debitAccountId, (availableDelta.get(t.debitAccountId) ?? 0) + t.amount);
      }
      plan.results.push(settled);
      return;
    }

    const record = toRecord(item, now);
    const existing = current.get(item.id);
    if (existing) {
      if (!sameContent(existing, record)) {
        throw new SeshnError('idempotency_conflict', `Transfer ${item.id} exists with different content`, {
          id: item.id,
          path: `${at}.id`,
        });
      }
      plan.results.push(existing);
      return;
    }
    const debit = snap.accounts.get(record.debitAccountId);
    const credit = snap.accounts.get(record.creditAccountId);
    if (!debit) {
      throw new SeshnError('not_found', `No account ${record.debitAccountId}`, {
        id: record.debitAccountId,
        path: `${at}.debitAccountId`,
      });
    }
    if (!credit) {
      throw new SeshnError('not_found', `No account ${record.creditAccountId}`, {
        id: record.creditAccountId,
        path: `${at}.creditAccountId`,
      });
    }
    if (debit.limited) {
      const have = available(debit);
      if (have < record.amount) {
        throw new SeshnError('insufficient_credits', `Account ${debit.id} has ${have} credits available`, {
          accountId: debit.id,
          entitlementId: debit.entitlementId,
          available: have,
          needed: record.amount,
          path: `${at}.amount`,
        });
      }
    }
    spend(debit.id, record.amount);
    if (record.status === 'posted') {
      bump(debit.id, 'debits', record.amount);
      bump(credit.id, 'credits', record.amount);
      availableDelta.set(credit.id, (availableDelta.get(credit.id) ?? 0) + record.amount);
    }
    current.set(record.id, record);
    plan.inserts.push(record);
    plan.results.push(record);
  });
  return plan;
}
