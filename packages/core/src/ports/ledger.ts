/**
 * The ledger port: a two-phase, double-entry credit ledger after TigerBeetle. Accounts and
 * transfers are records (read with `get` / `getMany` / `list`, kinds `account` and `transfer`)
 * written only by the ledger primitives below, as bookings are written only by the booking
 * primitives, because the "no customer account goes negative" invariant lives in their writes.
 *
 * - Every transfer debits one account and credits another by the same positive integer, so the
 *   balances of all accounts of a scope always sum to zero.
 * - A transfer is `pending` (a reservation of credits, with an `expiresAt`), `posted` or `voided`.
 *   A pending transfer settles in place (`post` / `void`): one row per transfer, so the posted
 *   balance of any account is a plain sum over posted rows. A pending transfer whose `expiresAt`
 *   has passed counts as voided at read time with no sweeper, exactly like a lapsed hold: the
 *   credit is back the moment the hold lapses, and `post` refuses it.
 * - A transfer id is its idempotency key: creating an existing id with the same content is a
 *   no-op, with different content `idempotency_conflict`.
 * @module
 */
import type { StoreNow } from './bookings.js';
import type { Scope } from './records.js';

/** The system accounts of every scope: unlimited, opened with the scope's first grant. */
export const SYSTEM_ACCOUNTS = {
  /** Credits sold: debited by every purchase grant. */
  issued: 'acc_issued',
  /** Credits spent on bookings: credited by every booking debit. */
  redeemed: 'acc_redeemed',
  /** Credits that lapsed unused (expiry) or were taken back (revoke). */
  expired: 'acc_expired',
  /** Credits given away: debited by every comp grant. */
  comped: 'acc_comped',
} as const;

export type SystemAccountCode = keyof typeof SYSTEM_ACCOUNTS;
export type TransferCode = 'grant' | 'comp' | 'booking' | 'return' | 'expire' | 'revoke';
export type TransferStatus = 'pending' | 'posted' | 'voided';

/** The customer account of an entitlement: derived from its id, so it needs no lookup. */
export function entitlementAccountId(entitlementId: string): string {
  return `acc_${entitlementId.startsWith('ent_') ? entitlementId.slice(4) : entitlementId}`;
}

export interface AccountRecord {
  id: string;
  /** `customer`: the account of one entitlement; `system`: one of {@link SYSTEM_ACCOUNTS}. */
  kind: 'customer' | 'system';
  /** `customer`, or the system account's code. */
  code: 'customer' | SystemAccountCode;
  contactId: string | null;
  entitlementId: string | null;
  /** Debits may not exceed credits (checked at write, under the account's row lock). */
  limited: boolean;
  /**
   * Posted totals, kept by the primitives on customer accounts (so a balance is one row read
   * whatever the history). System accounts keep none (0 here): every booking credits `redeemed`,
   * and a counter there would serialise all of a tenant's bookings on one row; their totals are
   * summed from the transfers when read.
   */
  debitsPosted: number;
  creditsPosted: number;
  createdAt: number;
}

export interface TransferRecord {
  id: string;
  debitAccountId: string;
  creditAccountId: string;
  /** A positive integer number of credits. */
  amount: number;
  /** As stored: a `pending` row whose `expiresAt` has passed counts as voided. */
  status: TransferStatus;
  /** Pending transfers only: when the reservation lapses by itself. */
  expiresAt: number | null;
  code: TransferCode;
  entitlementId: string;
  bookingId: string | null;
  metadata: Record<string, unknown>;
  createdAt: number;
  /** When it was created, posted or voided (the last write). */
  updatedAt: number;
}

/** A new transfer (`action: 'create'`, the default). */
export interface TransferCreate {
  action?: 'create';
  id: string;
  debitAccountId: string;
  creditAccountId: string;
  amount: number;
  code: TransferCode;
  entitlementId: string;
  bookingId?: string | null;
  metadata?: Record<string, unknown>;
  /** Makes it pending (two-phase) until `post` / `void` or until this instant passes. */
  pendingUntil?: number | null;
}

/** Settles an existing pending transfer: `post` moves its amount to posted, `void` cancels it. */
export interface TransferSettle {
  action: 'post' | 'void';
  id: string;
}

export type TransferItem = TransferCreate | TransferSettle;

export interface PostTransfersRequest {
  /** The clock, read after the account locks are held (a post racing the lapse settles one way). */
  now: StoreNow;
  transfers: TransferItem[];
}

export interface PostTransfersResult {
  /** Each item's transfer as stored afterwards, in request order. */
  transfers: TransferRecord[];
  now: number;
}

export interface AccountBalance {
  accountId: string;
  debitsPosted: number;
  creditsPosted: number;
  /** Live pending transfers only (a lapsed one counts as voided). */
  debitsPending: number;
  creditsPending: number;
  /** credits posted − debits posted − live pending debits. */
  available: number;
}

/** A new account (`openAccounts`). */
export type AccountOpen = Omit<AccountRecord, 'debitsPosted' | 'creditsPosted'>;

export interface LedgerStore {
  /**
   * Opens accounts that do not exist yet (an existing id is left as it is, so opening the system
   * accounts on every grant is harmless).
   */
  openAccounts(scope: Scope, accounts: AccountOpen[]): Promise<void>;
  /**
   * The ledger's one write: every item or none, in one transaction (the caller's when called on a
   * transaction handle, e.g. with `reserve`). Locks the customer accounts the items touch in id
   * order (after any resource locks the caller holds: see the lock protocol), reads the clock,
   * then applies core's `planTransfers`. Throws `SeshnError` — `insufficient_credits` (details:
   * accountId, available, needed), `idempotency_conflict`, `not_found`, `invalid_state` — and
   * writes nothing when any item is refused.
   */
  postTransfers(scope: Scope, request: PostTransfersRequest): Promise<PostTransfersResult>;
  /** Balances of these accounts at `now` (one query; unknown ids are left out). */
  getBalances(scope: Scope, request: { accountIds: string[]; now: number }): Promise<AccountBalance[]>;
}
