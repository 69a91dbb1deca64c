/**
 * Products, entitlements and the ledger reads over the ledger primitives (`openAccounts`,
 * `postTransfers`, `getBalances`). Every credit movement is a transfer between two accounts of
 * the scope: a grant debits `issued` (or `comped`) and credits the entitlement's own account; an
 * expiry or a revoke moves what is left to `expired` (or back where it came from); bookings
 * (engine/booking-credits.ts) debit the entitlement's account to `redeemed`. The ids of the
 * transfers written here derive from the entitlement and its account's state, so a retried grant,
 * expiry or revoke writes nothing twice. See docs/ledger.md.
 * @module
 */
import type { z } from 'zod';
import { SeshnError } from '../errors/seshn-error.js';
import { entitlementStatus } from '../ledger/entitlements.js';
import { effectiveTransferStatus } from '../ledger/plan.js';
import type {
  AccountBalance,
  AccountOpen,
  AccountRecord,
  EntitlementRecord,
  EventRecord,
  ProductRecord,
  Scope,
  SeshnStore,
  TransferItem,
  TransferRecord,
} from '../ports/adapter.js';
import { entitlementAccountId, SYSTEM_ACCOUNTS } from '../ports/ledger.js';
import { mergeMetadata } from '../schema/common.js';
import {
  EntitlementBalanceInputSchema,
  EntitlementGrantSchema,
  EntitlementIdSchema,
  EntitlementListSchema,
  ExpireDueSchema,
  LedgerAccountListSchema,
  LedgerBalanceInputSchema,
  LedgerTransferListSchema,
  ProductCreateSchema,
  ProductIdSchema,
  ProductListSchema,
  ProductUpdateSchema,
} from '../schema/ledger.js';
import { parseInput } from '../schema/parse.js';
import { toIso } from '../time/zone.js';
import type { EngineContext } from './context.js';
import { claimKey, idempotentRequest, priorResult } from './idempotency.js';
import { listAll } from './list-all.js';

const DAY_MS = 86_400_000;
const iso = (ms: number | null) => (ms === null ? null : toIso(ms));
const suffix = (id: string) => id.slice(id.indexOf('_') + 1);

// ── Views ────────────────────────────────────────────────────────────────────────────────────

export const productView = (p: ProductRecord) => ({
  id: p.id,
  object: 'product' as const,
  name: p.name,
  type: p.type,
  credits: p.credits,
  validDays: p.validDays,
  serviceIds: p.serviceIds,
  period: p.period,
  price: p.price,
  creditsPerSeat: p.creditsPerSeat,
  metadata: p.metadata,
  archivedAt: iso(p.archivedAt),
  createdAt: toIso(p.createdAt),
  updatedAt: toIso(p.updatedAt),
});

const EMPTY_BALANCE = (accountId: string): AccountBalance => ({
  accountId,
  debitsPosted: 0,
  creditsPosted: 0,
  debitsPending: 0,
  creditsPending: 0,
  available: 0,
});

/**
 * The entitlement as the API shows it, from its record and its account's balance at `now`.
 * `credits.used` is what has left the account for good (bookings, and an expiry or revoke) net
 * of returns; `remaining` is what can still be booked (`available`); `null` for a membership.
 */
export function entitlementView(e: EntitlementRecord, balance: AccountBalance, now: number) {
  const posted = balance.creditsPosted - balance.debitsPosted;
  return {
    id: e.id,
    object: 'entitlement' as const,
    contactId: e.contactId,
    productId: e.productId,
    accountId: e.accountId,
    type: e.type,
    source: e.source,
    status: entitlementStatus(e, balance.available, now),
    credits:
      e.credits === null
        ? null
        : {
            granted: e.credits,
            used: e.credits - posted,
            pending: balance.debitsPending,
            remaining: balance.available,
          },
    creditsPerSeat: e.creditsPerSeat,
    period: e.period,
    serviceIds: e.serviceIds,
    price: e.price,
    validFrom: toIso(e.validFrom),
    expiresAt: iso(e.expiresAt),
    revokedAt: iso(e.revokedAt),
    metadata: e.metadata,
    createdAt: toIso(e.createdAt),
    updatedAt: toIso(e.updatedAt),
  };
}
export type EntitlementView = ReturnType<typeof entitlementView>;

export const accountView = (a: AccountRecord) => ({
  id: a.id,
  object: 'ledger_account' as const,
  kind: a.kind,
  code: a.code,
  contactId: a.contactId,
  entitlementId: a.entitlementId,
  limited: a.limited,
  createdAt: toIso(a.createdAt),
});

export const balanceView = (b: AccountBalance) => ({
  object: 'ledger_balance' as const,
  accountId: b.accountId,
  posted: { debits: b.debitsPosted, credits: b.creditsPosted },
  pending: { debits: b.debitsPending, credits: b.creditsPending },
  available: b.available,
});

export const transferView = (t: TransferRecord, now: number) => ({
  id: t.id,
  object: 'transfer' as const,
  debitAccountId: t.debitAccountId,
  creditAccountId: t.creditAccountId,
  amount: t.amount,
  status: effectiveTransferStatus(t, now),
  expiresAt: iso(t.expiresAt),
  code: t.code,
  entitlementId: t.entitlementId,
  bookingId: t.bookingId,
  metadata: t.metadata,
  createdAt: toIso(t.createdAt),
  updatedAt: toIso(t.updatedAt),
});

// ── Helpers shared with booking with credits ─────────────────────────────────────────────────

/** Balances of these entitlements' accounts at `now`, by entitlement id (absent accounts read as empty). */
export async function entitlementBalances(
  store: SeshnStore,
  scope: Scope,
  entitlements: readonly EntitlementRecord[],
  now: number,
): Promise<Map<string, AccountBalance>> {
  const balances = await store.getBalances(scope, {
    accountIds: entitlements.map((e) => e.accountId),
    now,
  });
  const byAccount = new Map(balances.map((b) => [b.accountId, b]));
  return new Map(entitlements.map((e) => [e.id, byAccount.get(e.accountId) ?? EMPTY_BALANCE(e.accountId)]));
}

/**
 * An `entitlement.*` event: the entitlement as the API shows it after the change, plus `extra`
 * (booking with credits adds `bookingId`, `transferId`, `amount` to `entitlement.debited` and
 * `entitlement.credited`). Enqueue it in the transaction of the change.
 */
export function entitlementEvent(
  ctx: Pick<EngineContext, 'ids'>,
  type:
    | 'entitlement.granted'
    | 'entitlement.revoked'
    | 'entitlement.expired'
    | 'entitlement.debited'
    | 'entitlement.credited',
  entitlement: EntitlementRecord,
  balance: AccountBalance,
  now: number,
  extra: Record<string, unknown> = {},
): EventRecord {
  return {
    id: ctx.ids('evt'),
    type,
    data: { ...entitlementView(entitlement, balance, now), ...extra },
    createdAt: now,
  };
}

/** The system accounts, opened (if missing) by every grant: the first grant of a scope creates them. */
const systemAccounts = (now: number): AccountOpen[] =>
  (Object.keys(SYSTEM_ACCOUNTS) as (keyof typeof SYSTEM_ACCOUNTS)[]).map((code) => ({
    id: SYSTEM_ACCOUNTS[code],
    kind: 'system' as const,
    code,
    contactId: null,
    entitlementId: null,
    limited: false,
    createdAt: now,
  }));

/**
 * Moves what is left on an entitlement's account (its available credits) to `to`, in `tx`.
 * The transfer's id names the entitlement and the account's posted debits so far: a retry of
 * the same move has the same id (a no-op), a later move a new one.
 */
async function sweep(
  tx: SeshnStore,
  scope: Scope,
  e: EntitlementRecord,
  to: string,
  code: 'expire' | 'revoke',
  now: number,
): Promise<{ moved: number; balance: AccountBalance }> {
  for (let attempt = 0; ; attempt++) {
    const [balance = EMPTY_BALANCE(e.accountId)] = await tx.getBalances(scope, {
      accountIds: [e.accountId],
      now,
    });
    if (balance.available <= 0) return { moved: 0, balance };
    const item: TransferItem = {
      id: `trf_${code === 'expire' ? 'exp' : 'rvk'}_${suffix(e.id)}_${balance.debitsPosted}`,
      debitAccountId: e.accountId,
      creditAccountId: to,
      amount: balance.available,
      code,
      entitlementId: e.id,
    };
    try {
      await tx.postTransfers(scope, { now, transfers: [item] });
    } catch (error) {
      // A booking spent some between the read and the account lock: read again (bounded).
      if (attempt < 2 && error instanceof SeshnError && error.code === 'insufficient_credits') continue;
      throw error;
    }
    const [after = EMPTY_BALANCE(e.accountId)] = await tx.getBalances(scope, {
      accountIds: [e.accountId],
      now,
    });
    return { moved: item.amount, balance: after };
  }
}

/**
 * The expiry's due work (the waitlist issue's work runner calls this): the active entitlements
 * of the scope whose `expiresAt` has passed at `now`, up to `limit`. Each has its available
 * credits moved to `expired` and, once nothing is pending on it, is marked `expired` with an
 * `entitlement.expired` event. A hold still pending keeps it active until the hold settles (a
 * lapse gives the credit back, and the next run moves it), so no credit is left behind.
 * Idempotent: a second run over the same state moves nothing and writes no event.
 */
export async function dueExpirations(ctx: EngineContext, now: number, limit: number) {
  const scope = ctx.scope;
  const page = await ctx.adapter.list('entitlement', scope, { dueBy: now }, { limit });
  const expired: { entitlementId: string; credits: number }[] = [];
  for (const due of page.data) {
    const credits = await ctx.adapter.transaction(async (tx) => {
      const e = await tx.get('entitlement', scope, due.id, { lock: true });
      if (e?.status !== 'active' || e.expiresAt === null || e.expiresAt > now) return null;
      const { moved, balance } = await sweep(tx, scope, e, SYSTEM_ACCOUNTS.expired, 'expire', now);
      if (balance.debitsPending === 0) {
        const next: EntitlementRecord = { ...e, status: 'expired', updatedAt: now };
        await tx.update('entitlement', scope, next);
        await tx.enqueue(scope, [
          entitlementEvent(ctx, 'entitlement.expired', next, balance, now, { credits: moved }),
        ]);
      }
      return moved;
    });
    if (credits !== null) expired.push({ entitlementId: due.id, credits });
  }
  return { object: 'expiry_run' as const, expired, hasMore: page.hasMore };
}

// ── Products ─────────────────────────────────────────────────────────────────────────────────

export function productsApi(ctx: EngineContext) {
  const load = async (id: string, field = 'id') => {
    const productId = parseInput(ProductIdSchema, id, field);
    const record = await ctx.adapter.get('product', ctx.scope, productId);
    if (!record) throw SeshnError.notFound('product', productId, { field });
    return record;
  };
  return {
    async create(input: z.input<typeof ProductCreateSchema>) {
      const d = parseInput(ProductCreateSchema, input);
      const now = ctx.now();
      const record: ProductRecord = {
        id: ctx.ids('prd'),
        name: d.name,
        type: d.type,
        credits: d.type === 'membership' ? null : d.type === 'pass' ? 1 : d.credits!,
        validDays: d.validDays ?? null,
        serviceIds: d.serviceIds ?? null,
        period: d.period ? { every: d.period.every, limit: d.period.limit ?? null } : null,
        price: d.price ?? null,
        creditsPerSeat: d.creditsPerSeat,
        metadata: d.metadata,
        archivedAt: null,
        createdAt: now,
        updatedAt: now,
      };
      if (record.serviceIds) {
        const found = await ctx.adapter.getMany('service', ctx.scope, record.serviceIds);
        const foundIds = new Set(found.map((s) => s.id));
        const missing = record.serviceIds.findIndex((id) => !foundIds.has(id));
        if (missing >= 0) {
          throw SeshnError.notFound('service', record.serviceIds[missing]!, {
            field: `serviceIds[${missing}]`,
          });
        }
      }
      await ctx.adapter.insert('product', ctx.scope, record);
      return productView(record);
    },
    async get(id: string) {
      return productView(await load(id));
    },
    async list(params: z.input<typeof ProductListSchema> = {}) {
      const p = parseInput(ProductListSchema, params);
      if (p.startingAfter !== undefined) await load(p.startingAfter, 'startingAfter');
      const page = await ctx.adapter.list(
        'product',
        ctx.scope,
        { includeArchived: p.includeArchived },
        { limit: p.limit, startingAfter: p.startingAfter },
      );
      return { data: page.data.map(productView), hasMore: page.hasMore };
    },
    /** Name, price and metadata only: the terms of entitlements already sold never change. */
    async update(id: string, patch: Omit<z.input<typeof ProductUpdateSchema>, 'id'> = {}) {
      const d = parseInput(ProductUpdateSchema, { ...patch, id });
      const current = await load(d.id);
      const next: ProductRecord = {
        ...current,
        ...(d.name !== undefined ? { name: d.name } : {}),
        ...(d.price !== undefined ? { price: d.price } : {}),
        metadata: mergeMetadata(current.metadata, d.metadata),
        updatedAt: ctx.now(),
      };
      await ctx.adapter.update('product', ctx.scope, next);
      return productView(next);
    },
    /** Archived: no new grants; entitlements already granted keep working. */
    async archive(id: string) {
      const current = await load(id);
      const archived = await ctx.adapter.archive('product', ctx.scope, current.id, ctx.now());
      return productView(archived ?? current);
    },
  };
}

// ── Entitlements ─────────────────────────────────────────────────────────────────────────────

export function entitlementsApi(ctx: EngineContext) {
  const scope = () => ctx.scope;
  const load = async (id: string, field = 'id') => {
    const entitlementId = parseInput(EntitlementIdSchema, id, field);
    const record = await ctx.adapter.get('entitlement', scope(), entitlementId);
    if (!record) throw SeshnError.notFound('entitlement', entitlementId, { field });
    return record;
  };
  const view = async (e: EntitlementRecord, store: SeshnStore = ctx.adapter, now = ctx.now()) =>
    entitlementView(e, (await entitlementBalances(store, scope(), [e], now)).get(e.id)!, now);
  const contactMustExist = async (contactId: string) => {
    if (!(await ctx.adapter.get('contact', scope(), contactId))) {
      throw SeshnError.notFound('contact', contactId, { field: 'contactId' });
    }
  };

  return {
    /**
     * Grants a product to a contact: the entitlement, its account and the grant transfer
     * (`issued` → the entitlement, or `comped` → it for a comp), all in one transaction with
     * the `entitlement.granted` event. With an `idempotencyKey` a retry returns the first grant.
     */
    async grant(input: z.input<typeof EntitlementGrantSchema>) {
      const d = parseInput(EntitlementGrantSchema, input);
      const idem = idempotentRequest('entitlements.grant', d);
      if (idem) {
        const prior = await priorResult(ctx.adapter, scope(), idem);
        if (prior) return view(await load(prior));
      }
      const product = await ctx.adapter.get('product', scope(), d.productId);
      if (!product) throw SeshnError.notFound('product', d.productId, { field: 'productId' });
      if (product.archivedAt !== null) {
        throw new SeshnError('invalid_state', `Product ${product.id} is archived: it is no longer granted`, {
          id: product.id,
          field: 'productId',
        });
      }
      await contactMustExist(d.contactId);
      const now = ctx.now();
      const id = ctx.ids('ent');
      const record: EntitlementRecord = {
        id,
        contactId: d.contactId,
        productId: product.id,
        accountId: entitlementAccountId(id),
        type: product.type,
        source: d.source,
        status: 'active',
        credits: product.credits,
        creditsPerSeat: product.creditsPerSeat,
        serviceIds: product.serviceIds,
        period: product.period,
        price: d.source === 'comp' ? null : product.price,
        validFrom: now,
        expiresAt: product.validDays === null ? null : now + product.validDays * DAY_MS,
        metadata: d.metadata,
        revokedAt: null,
        createdAt: now,
        updatedAt: now,
      };
      const result = await ctx.adapter.transaction(async (tx) => {
        if (idem && !(await claimKey(tx, scope(), idem, id, now))) return { raced: true as const };
        await tx.openAccounts(scope(), [
          ...systemAccounts(now),
          {
            id: record.accountId,
            kind: 'customer',
            code: 'customer',
            contactId: record.contactId,
            entitlementId: id,
            // A membership without credits books without limit (its period limit is counted
            // over bookings, not credits).
            limited: record.credits !== null,
            createdAt: now,
          },
        ]);
        await tx.insert('entitlement', scope(), record);
        if (record.credits !== null) {
          await tx.postTransfers(scope(), {
            now,
            transfers: [
              {
                id: `trf_grant_${suffix(id)}`,
                debitAccountId: d.source === 'comp' ? SYSTEM_ACCOUNTS.comped : SYSTEM_ACCOUNTS.issued,
                creditAccountId: record.accountId,
                amount: record.credits,
                code: d.source === 'comp' ? 'comp' : 'grant',
                entitlementId: id,
              },
            ],
          });
        }
        const [balance] = [...(await entitlementBalances(tx, scope(), [record], now)).values()];
        await tx.enqueue(scope(), [entitlementEvent(ctx, 'entitlement.granted', record, balance!, now)]);
        return { raced: false as const, view: entitlementView(record, balance!, now) };
      });
      if (result.raced) {
        // A concurrent grant with the same key committed first: answer with its entitlement.
        const prior = await priorResult(ctx.adapter, scope(), idem!);
        return view(await load(prior!));
      }
      return result.view;
    },

    async get(id: string) {
      return view(await load(id));
    },

    /**
     * A page of entitlements, newest first. `status` is the status as of now (an entitlement
     * past its expiry is `expired` before the expiry has run), so pages are filled by reading
     * on until `limit` match.
     */
    async list(params: z.input<typeof EntitlementListSchema> = {}) {
      const p = parseInput(EntitlementListSchema, params);
      if (p.startingAfter !== undefined) await load(p.startingAfter, 'startingAfter');
      const now = ctx.now();
      const filter = {
        contactId: p.contactId,
        ...(p.status === 'revoked' ? { status: 'revoked' as const } : {}),
      };
      const data: EntitlementView[] = [];
      let after = p.startingAfter;
      for (;;) {
        const page = await ctx.adapter.list('entitlement', scope(), filter, {
          limit: p.limit,
          startingAfter: after,
        });
        const balances = await entitlementBalances(ctx.adapter, scope(), page.data, now);
        for (const e of page.data) {
          const v = entitlementView(e, balances.get(e.id)!, now);
          if (p.status !== undefined && v.status !== p.status) continue;
          if (data.length === p.limit) return { data, hasMore: true };
          data.push(v);
        }
        if (!page.hasMore || page.data.length === 0) return { data, hasMore: false };
        after = page.data[page.data.length - 1]!.id;
      }
    },

    /** What a contact can book with: per entitlement (remaining, pending, expiry, product) and totals. */
    async balance(input: z.input<typeof EntitlementBalanceInputSchema>) {
      const { contactId } = parseInput(EntitlementBalanceInputSchema, input);
      await contactMustExist(contactId);
      const now = ctx.now();
      const entitlements = await listAll(ctx.adapter, 'entitlement', scope(), { contactId });
      const balances = await entitlementBalances(ctx.adapter, scope(), entitlements, now);
      const products = await ctx.adapter.getMany('product', scope(), [
        ...new Set(entitlements.map((e) => e.productId)),
      ]);
      const names = new Map(products.map((p) => [p.id, p.name]));
      const rows = entitlements.map((e) => {
        const b = balances.get(e.id)!;
        return {
          entitlementId: e.id,
          productId: e.productId,
          productName: names.get(e.productId) ?? null,
          type: e.type,
          status: entitlementStatus(e, b.available, now),
          remaining: e.credits === null ? null : b.available,
          pending: b.debitsPending,
          expiresAt: iso(e.expiresAt),
        };
      });
      const active = rows.filter((r) => r.status === 'active');
      return {
        object: 'entitlement_balance' as const,
        contactId,
        entitlements: rows,
        totals: {
          remaining: active.reduce((s, r) => s + (r.remaining ?? 0), 0),
          pending: active.reduce((s, r) => s + r.pending, 0),
          unlimited: active.some(
            (r) =>
              r.remaining === null &&
              entitlements.find((e) => e.id === r.entitlementId)?.period?.limit == null,
          ),
        },
      };
    },

    /**
     * Revokes an entitlement: it books nothing more, and its available credits go back where
     * they came from (`issued` for a purchase, `comped` for a comp) with code `revoke`. Credits
     * held by a pending booking stay with that booking. Revoking again changes nothing.
     */
    async revoke(id: string) {
      const current = await load(id);
      if (current.status === 'revoked') return view(current);
      return ctx.adapter.transaction(async (tx) => {
        const now = ctx.now();
        const e = await tx.get('entitlement', scope(), current.id, { lock: true });
        if (!e) throw SeshnError.notFound('entitlement', current.id);
        if (e.status === 'revoked') return view(e, tx, now);
        const back = e.source === 'comp' ? SYSTEM_ACCOUNTS.comped : SYSTEM_ACCOUNTS.issued;
        const { moved, balance } = await sweep(tx, scope(), e, back, 'revoke', now);
        const next: EntitlementRecord = { ...e, status: 'revoked', revokedAt: now, updatedAt: now };
        await tx.update('entitlement', scope(), next);
        await tx.enqueue(scope(), [
          entitlementEvent(ctx, 'entitlement.revoked', next, balance, now, { credits: moved }),
        ]);
        return entitlementView(next, balance, now);
      });
    },

    /** Runs the expiry now (admin): the same work the background runner does. */
    async expireDue(input: z.input<typeof ExpireDueSchema> = {}) {
      const { limit } = parseInput(ExpireDueSchema, input);
      return dueExpirations(ctx, ctx.now(), limit);
    },
  };
}

// ── Ledger reads ─────────────────────────────────────────────────────────────────────────────

export function ledgerApi(ctx: EngineContext) {
  const scope = () => ctx.scope;
  const mustExist = async (kind: 'account' | 'transfer', id: string, field: string) => {
    if (!(await ctx.adapter.get(kind, scope(), id))) {
      throw SeshnError.notFound(kind === 'account' ? 'ledger account' : 'transfer', id, { field });
    }
  };
  return {
    async accounts(params: z.input<typeof LedgerAccountListSchema> = {}) {
      const p = parseInput(LedgerAccountListSchema, params);
      if (p.startingAfter !== undefined) await mustExist('account', p.startingAfter, 'startingAfter');
      const page = await ctx.adapter.list(
        'account',
        scope(),
        { contactId: p.contactId, entitlementId: p.entitlementId },
        { limit: p.limit, startingAfter: p.startingAfter },
      );
      return { data: page.data.map(accountView), hasMore: page.hasMore };
    },
    async balance(input: z.input<typeof LedgerBalanceInputSchema>) {
      const { accountId } = parseInput(LedgerBalanceInputSchema, input);
      const [b] = await ctx.adapter.getBalances(scope(), { accountIds: [accountId], now: ctx.now() });
      if (!b) throw SeshnError.notFound('ledger account', accountId, { field: 'accountId' });
      return balanceView(b);
    },
    async transfers(params: z.input<typeof LedgerTransferListSchema> = {}) {
      const p = parseInput(LedgerTransferListSchema, params);
      if (p.startingAfter !== undefined) await mustExist('transfer', p.startingAfter, 'startingAfter');
      const now = ctx.now();
      const page = await ctx.adapter.list(
        'transfer',
        scope(),
        { accountId: p.accountId, entitlementId: p.entitlementId, bookingId: p.bookingId },
        { limit: p.limit, startingAfter: p.startingAfter },
      );
      return { data: page.data.map((t) => transferView(t, now)), hasMore: page.hasMore };
    },
    /**
     * Sold but unused credits per product: over the entitlements still active (not expired,
     * revoked or past their expiry), what is left on their accounts (posted, pending holds
     * included: not yet used), and the price share of it per currency (integer: per
     * entitlement `floor(price × unused ÷ granted)`). Comps count credits but no money.
     */
    async deferredRevenue() {
      const now = ctx.now();
      const all = await listAll(ctx.adapter, 'entitlement', scope(), { status: 'active' });
      const live = all.filter((e) => e.credits !== null && (e.expiresAt === null || e.expiresAt > now));
      const balances = await entitlementBalances(ctx.adapter, scope(), live, now);
      const products = await ctx.adapter.getMany('product', scope(), [
        ...new Set(live.map((e) => e.productId)),
      ]);
      const names = new Map(products.map((p) => [p.id, p.name]));
      const rows = new Map<
        string,
        { entitlements: number; creditsSold: number; creditsUnused: number; deferred: Map<string, number> }
      >();
      for (const e of live) {
        const b = balances.get(e.id)!;
        const unused = Math.max(0, b.creditsPosted - b.debitsPosted);
        const row = rows.get(e.productId) ?? {
          entitlements: 0,
          creditsSold: 0,
          creditsUnused: 0,
          deferred: new Map<string, number>(),
        };
        row.entitlements += 1;
        row.creditsSold += e.credits!;
        row.creditsUnused += unused;
        if (e.price && e.credits! > 0) {
          const share = Math.floor((e.price.amount * unused) / e.credits!);
          row.deferred.set(e.price.currency, (row.deferred.get(e.price.currency) ?? 0) + share);
        }
        rows.set(e.productId, row);
      }
      return {
        object: 'deferred_revenue' as const,
        products: [...rows.entries()]
          .sort(([a], [b]) => (a < b ? -1 : 1))
          .map(([productId, r]) => ({
            productId,
            name: names.get(productId) ?? null,
            entitlements: r.entitlements,
            creditsSold: r.creditsSold,
            creditsUnused: r.creditsUnused,
            deferred: [...r.deferred.entries()].map(([currency, amount]) => ({ amount, currency })),
          })),
      };
    },
  };
}

/** For an input that names a contact and an entitlement: the entitlement, refused as `not_found` when it is another contact's. */
export async function contactEntitlement(
  store: SeshnStore,
  scope: Scope,
  contactId: string,
  entitlementId: string,
): Promise<EntitlementRecord> {
  const id = parseInput(EntitlementIdSchema, entitlementId, 'entitlementId');
  const e = await store.get('entitlement', scope, id);
  // Another contact's entitlement is reported exactly like a missing one: its existence is not leaked.
  if (!e || e.contactId !== contactId)
    throw SeshnError.notFound('entitlement', id, { field: 'entitlementId' });
  return e;
}
