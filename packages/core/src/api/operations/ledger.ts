/**
 * Operations of products, entitlements and the ledger reads. Selling and revoking are admin
 * work; granting is what a checkout does (write); reads are read.
 * @module
 */
import { z } from 'zod';
import {
  ContactBalanceSchema,
  DeferredRevenueSchema,
  EntitlementBalanceInputSchema,
  EntitlementGrantSchema,
  EntitlementIdSchema,
  EntitlementListSchema,
  EntitlementSchema,
  ExpireDueResultSchema,
  ExpireDueSchema,
  LedgerAccountListSchema,
  LedgerAccountSchema,
  LedgerBalanceInputSchema,
  LedgerBalanceSchema,
  LedgerTransferListSchema,
  ProductCreateSchema,
  ProductIdSchema,
  ProductListSchema,
  ProductSchema,
  ProductUpdateSchema,
  TransferSchema,
} from '../../schema/ledger.js';
import { pageOf } from '../../schema/objects.js';
import type { Engine } from '../engine.js';
import { operation, type TypedOperation } from '../operation.js';

export const productOperations = {
  create: operation({
    name: 'products.create',
    summary: 'Create a product to sell: a pack of credits, a membership or a single pass',
    input: ProductCreateSchema,
    output: ProductSchema,
    mutates: true,
    permission: 'admin',
    http: { method: 'POST', path: '/products' },
    run: (e, input) => e.products.create(input),
  }),
  get: operation({
    name: 'products.get',
    summary: 'Get a product',
    input: z.object({ id: ProductIdSchema }).strict(),
    output: ProductSchema,
    mutates: false,
    permission: 'read',
    http: { method: 'GET', path: '/products/{id}' },
    positional: ['id'],
    run: (e, { id }) => e.products.get(id),
  }),
  list: operation({
    name: 'products.list',
    summary: 'List products, newest first (archived ones with includeArchived)',
    input: ProductListSchema,
    output: pageOf(ProductSchema),
    mutates: false,
    permission: 'read',
    http: { method: 'GET', path: '/products' },
    run: (e, input) => e.products.list(input),
  }),
  update: operation({
    name: 'products.update',
    summary: "Change a product's name, price or metadata (entitlements already sold keep their terms)",
    input: ProductUpdateSchema,
    output: ProductSchema,
    mutates: true,
    permission: 'admin',
    http: { method: 'PATCH', path: '/products/{id}' },
    positional: ['id'],
    run: (e, { id, ...patch }) => e.products.update(id, patch),
  }),
  archive: operation({
    name: 'products.archive',
    summary: 'Archive a product: no new grants; entitlements already granted keep working',
    input: z.object({ id: ProductIdSchema }).strict(),
    output: ProductSchema,
    mutates: true,
    permission: 'admin',
    http: { method: 'POST', path: '/products/{id}/archive' },
    positional: ['id'],
    run: (e, { id }) => e.products.archive(id),
  }),
};

export const entitlementOperations = {
  grant: operation({
    name: 'entitlements.grant',
    summary: 'Grant a product to a contact: the entitlement, its credit account and the grant transfer',
    input: EntitlementGrantSchema,
    output: EntitlementSchema,
    mutates: true,
    permission: 'write',
    http: { method: 'POST', path: '/entitlements' },
    run: (e, input) => e.entitlements.grant(input),
  }),
  get: operation({
    name: 'entitlements.get',
    summary: 'Get an entitlement with its credits (granted, used, pending, remaining)',
    input: z.object({ id: EntitlementIdSchema }).strict(),
    output: EntitlementSchema,
    mutates: false,
    permission: 'read',
    http: { method: 'GET', path: '/entitlements/{id}' },
    positional: ['id'],
    run: (e, { id }) => e.entitlements.get(id),
  }),
  list: operation({
    name: 'entitlements.list',
    summary: 'List entitlements, newest first, by contact and status as of now',
    input: EntitlementListSchema,
    output: pageOf(EntitlementSchema),
    mutates: false,
    permission: 'read',
    http: { method: 'GET', path: '/entitlements' },
    run: (e, input) => e.entitlements.list(input),
  }),
  balance: operation({
    name: 'entitlements.balance',
    summary: "A contact's credits: per entitlement remaining, pending and expiry, and the totals",
    input: EntitlementBalanceInputSchema,
    output: ContactBalanceSchema,
    mutates: false,
    permission: 'read',
    http: { method: 'GET', path: '/contacts/{contactId}/entitlement-balance' },
    run: (e, input) => e.entitlements.balance(input),
  }),
  revoke: operation({
    name: 'entitlements.revoke',
    summary: 'Revoke an entitlement: no more bookings, its remaining credits go back',
    input: z.object({ id: EntitlementIdSchema }).strict(),
    output: EntitlementSchema,
    mutates: true,
    permission: 'admin',
    http: { method: 'POST', path: '/entitlements/{id}/revoke' },
    positional: ['id'],
    run: (e, { id }) => e.entitlements.revoke(id),
  }),
  expireDue: operation({
    name: 'entitlements.expireDue',
    summary: 'Run the expiry now: credits of entitlements past their validity move to the expired account',
    input: ExpireDueSchema,
    output: ExpireDueResultSchema,
    mutates: true,
    permission: 'admin',
    http: { method: 'POST', path: '/entitlements/expire-due' },
    run: (e, input) => e.entitlements.expireDue(input),
  }),
};

/** `ledger.deferredRevenue` takes no input: the handle's method is `deferredRevenue()`. */
const deferredRevenue: ReturnType<typeof deferredRevenueOperation> &
  TypedOperation<Engine['ledger']['deferredRevenue']> = deferredRevenueOperation();

function deferredRevenueOperation() {
  return operation({
    name: 'ledger.deferredRevenue',
    summary: 'Sold but unused credits per product, with their share of the price',
    input: z.object({}).strict(),
    output: DeferredRevenueSchema,
    mutates: false,
    permission: 'admin',
    http: { method: 'GET', path: '/ledger/deferred-revenue' },
    run: (e) => e.ledger.deferredRevenue(),
  });
}

export const ledgerOperations = {
  accounts: operation({
    name: 'ledger.accounts',
    summary: 'List ledger accounts (one per entitlement, and the system accounts), newest first',
    input: LedgerAccountListSchema,
    output: pageOf(LedgerAccountSchema),
    mutates: false,
    permission: 'read',
    http: { method: 'GET', path: '/ledger/accounts' },
    run: (e, input) => e.ledger.accounts(input),
  }),
  balance: operation({
    name: 'ledger.balance',
    summary: "A ledger account's balance: posted, pending (live holds) and available",
    input: LedgerBalanceInputSchema,
    output: LedgerBalanceSchema,
    mutates: false,
    permission: 'read',
    http: { method: 'GET', path: '/ledger/accounts/{accountId}/balance' },
    run: (e, input) => e.ledger.balance(input),
  }),
  transfers: operation({
    name: 'ledger.transfers',
    summary: 'List transfers, newest first, by account, entitlement or booking',
    input: LedgerTransferListSchema,
    output: pageOf(TransferSchema),
    mutates: false,
    permission: 'read',
    http: { method: 'GET', path: '/ledger/transfers' },
    run: (e, input) => e.ledger.transfers(input),
  }),
  deferredRevenue,
};
