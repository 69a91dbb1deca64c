/**
 * Inputs and outputs of products, entitlements and the ledger reads (`seshn.products`,
 * `seshn.entitlements`, `seshn.ledger`). Credits and money are integers everywhere.
 * @module
 */
import { z } from 'zod';
import { idSchema, ListParamsSchema, MetadataPatchSchema, MetadataSchema, MoneySchema } from './common.js';
import { prefixedId } from './tenancy.js';

export const ProductIdSchema = prefixedId('prd', 'a product');
export const EntitlementIdSchema = prefixedId('ent', 'an entitlement');
export const AccountIdSchema = prefixedId('acc', 'a ledger account');
export const TransferIdSchema = prefixedId('trf', 'a transfer');

/** Most credits one product grants, and most days it lasts (bounded so sums stay safe integers). */
export const MAX_PRODUCT_CREDITS = 100_000;
export const MAX_VALID_DAYS = 3660;

export const PRODUCT_TYPES = ['pack', 'membership', 'pass'] as const;
export const ProductTypeSchema = z.enum(PRODUCT_TYPES).meta({ id: 'ProductType' });

const PeriodSchema = z
  .object({
    every: z.enum(['week', 'month']),
    /** Bookings per period; omitted or `null` = unlimited. */
    limit: z.number().int().min(1).max(10_000).nullable().optional(),
  })
  .strict();

export const ProductCreateSchema = z
  .object({
    name: z.string().trim().min(1).max(200),
    type: ProductTypeSchema,
    credits: z.number().int().min(1).max(MAX_PRODUCT_CREDITS).optional(),
    validDays: z.number().int().min(1).max(MAX_VALID_DAYS).nullable().optional(),
    serviceIds: z.array(idSchema('service')).min(1).max(100).nullable().optional(),
    period: PeriodSchema.nullable().optional(),
    price: MoneySchema.nullable().optional(),
    creditsPerSeat: z.number().int().min(1).max(1000).default(1),
    metadata: MetadataSchema,
  })
  .strict()
  .superRefine((v, ctx) => {
    if (v.type === 'pack' && v.credits === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['credits'],
        message: 'A pack needs credits (a positive integer)',
      });
    }
    if (v.type === 'pass' && v.credits !== undefined && v.credits !== 1) {
      ctx.addIssue({
        code: 'custom',
        path: ['credits'],
        message: 'A pass is one session: credits is 1 or left out',
      });
    }
    if (v.type === 'membership' && v.credits !== undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['credits'],
        message: 'A membership has no credits: it is unlimited, or limited by period.limit',
      });
    }
    if (v.type !== 'membership' && v.period) {
      ctx.addIssue({ code: 'custom', path: ['period'], message: 'Only a membership has a period' });
    }
  })
  .meta({ examples: [{ name: '10-class pack', type: 'pack', credits: 10, validDays: 90 }] });
export type ProductCreateInput = z.input<typeof ProductCreateSchema>;

export const ProductUpdateSchema = z
  .object({
    id: ProductIdSchema,
    name: z.string().trim().min(1).max(200).optional(),
    price: MoneySchema.nullable().optional(),
    metadata: MetadataPatchSchema.optional(),
  })
  .strict();
export type ProductUpdateInput = z.input<typeof ProductUpdateSchema>;

export const ProductListSchema = ListParamsSchema.extend({
  startingAfter: ProductIdSchema.optional(),
  includeArchived: z.boolean().optional(),
}).strict();

export const ENTITLEMENT_STATUSES = ['active', 'expired', 'exhausted', 'revoked'] as const;

export const EntitlementGrantSchema = z
  .object({
    contactId: idSchema('contact'),
    productId: ProductIdSchema,
    source: z.enum(['purchase', 'comp']).default('purchase'),
    idempotencyKey: z.string().min(1).max(255).optional(),
    metadata: MetadataSchema,
  })
  .strict();
export type EntitlementGrantInput = z.input<typeof EntitlementGrantSchema>;

export const EntitlementListSchema = ListParamsSchema.extend({
  startingAfter: EntitlementIdSchema.optional(),
  contactId: idSchema('contact').optional(),
  status: z.enum(ENTITLEMENT_STATUSES).optional(),
}).strict();

export const EntitlementBalanceInputSchema = z.object({ contactId: idSchema('contact') }).strict();

export const ExpireDueSchema = z.object({ limit: z.number().int().min(1).max(500).default(100) }).strict();

export const LedgerAccountListSchema = ListParamsSchema.extend({
  startingAfter: AccountIdSchema.optional(),
  contactId: idSchema('contact').optional(),
  entitlementId: EntitlementIdSchema.optional(),
}).strict();

export const LedgerBalanceInputSchema = z.object({ accountId: AccountIdSchema }).strict();

export const LedgerTransferListSchema = ListParamsSchema.extend({
  startingAfter: TransferIdSchema.optional(),
  accountId: AccountIdSchema.optional(),
  entitlementId: EntitlementIdSchema.optional(),
  bookingId: idSchema('booking').optional(),
}).strict();

// ── Outputs ──────────────────────────────────────────────────────────────────────────────────

const IsoInstant = z.string().meta({ format: 'date-time' });
const Metadata = z.record(z.string(), z.unknown());
const PeriodOut = z.object({ every: z.enum(['week', 'month']), limit: z.number().int().nullable() });

export const ProductSchema = z
  .object({
    id: z.string(),
    object: z.literal('product'),
    name: z.string(),
    type: ProductTypeSchema,
    credits: z.number().int().nullable(),
    validDays: z.number().int().nullable(),
    serviceIds: z.array(z.string()).nullable(),
    period: PeriodOut.nullable(),
    price: MoneySchema.nullable(),
    creditsPerSeat: z.number().int(),
    metadata: Metadata,
    archivedAt: IsoInstant.nullable(),
    createdAt: IsoInstant,
    updatedAt: IsoInstant,
  })
  .meta({ id: 'Product' });
export type Product = z.output<typeof ProductSchema>;

export const EntitlementCreditsSchema = z.object({
  granted: z.number().int(),
  used: z.number().int(),
  pending: z.number().int(),
  remaining: z.number().int(),
});

export const EntitlementSchema = z
  .object({
    id: z.string(),
    object: z.literal('entitlement'),
    contactId: z.string(),
    productId: z.string(),
    accountId: z.string(),
    type: ProductTypeSchema,
    source: z.enum(['purchase', 'comp']),
    status: z.enum(ENTITLEMENT_STATUSES),
    /** `null` for an unlimited membership. */
    credits: EntitlementCreditsSchema.nullable(),
    creditsPerSeat: z.number().int(),
    period: PeriodOut.nullable(),
    serviceIds: z.array(z.string()).nullable(),
    price: MoneySchema.nullable(),
    validFrom: IsoInstant,
    expiresAt: IsoInstant.nullable(),
    revokedAt: IsoInstant.nullable(),
    metadata: Metadata,
    createdAt: IsoInstant,
    updatedAt: IsoInstant,
  })
  .meta({ id: 'Entitlement' });
export type Entitlement = z.output<typeof EntitlementSchema>;

export const ContactBalanceSchema = z
  .object({
    object: z.literal('entitlement_balance'),
    contactId: z.string(),
    entitlements: z.array(
      z.object({
        entitlementId: z.string(),
        productId: z.string(),
        productName: z.string().nullable(),
        type: ProductTypeSchema,
        status: z.enum(ENTITLEMENT_STATUSES),
        remaining: z.number().int().nullable(),
        pending: z.number().int(),
        expiresAt: IsoInstant.nullable(),
      }),
    ),
    /** Over the active entitlements with credits; `unlimited` when an active membership has no limit. */
    totals: z.object({ remaining: z.number().int(), pending: z.number().int(), unlimited: z.boolean() }),
  })
  .meta({ id: 'EntitlementBalance' });

export const LedgerAccountSchema = z
  .object({
    id: z.string(),
    object: z.literal('ledger_account'),
    kind: z.enum(['customer', 'system']),
    code: z.enum(['customer', 'issued', 'redeemed', 'expired', 'comped']),
    contactId: z.string().nullable(),
    entitlementId: z.string().nullable(),
    limited: z.boolean(),
    createdAt: IsoInstant,
  })
  .meta({ id: 'LedgerAccount' });

export const LedgerBalanceSchema = z
  .object({
    object: z.literal('ledger_balance'),
    accountId: z.string(),
    posted: z.object({ debits: z.number().int(), credits: z.number().int() }),
    pending: z.object({ debits: z.number().int(), credits: z.number().int() }),
    available: z.number().int(),
  })
  .meta({ id: 'LedgerBalance' });

export const TransferSchema = z
  .object({
    id: z.string(),
    object: z.literal('transfer'),
    debitAccountId: z.string(),
    creditAccountId: z.string(),
    amount: z.number().int(),
    /** As of now: a pending transfer past its `expiresAt` shows `voided`. */
    status: z.enum(['pending', 'posted', 'voided']),
    expiresAt: IsoInstant.nullable(),
    code: z.enum(['grant', 'comp', 'booking', 'return', 'expire', 'revoke']),
    entitlementId: z.string(),
    bookingId: z.string().nullable(),
    metadata: Metadata,
    createdAt: IsoInstant,
    updatedAt: IsoInstant,
  })
  .meta({ id: 'Transfer' });

export const DeferredRevenueSchema = z
  .object({
    object: z.literal('deferred_revenue'),
    products: z.array(
      z.object({
        productId: z.string(),
        name: z.string().nullable(),
        entitlements: z.number().int(),
        creditsSold: z.number().int(),
        creditsUnused: z.number().int(),
        /** The price share of the unused credits, per currency (per entitlement: floor of price × unused ÷ granted). */
        deferred: z.array(MoneySchema),
      }),
    ),
  })
  .meta({ id: 'DeferredRevenue' });

export const ExpireDueResultSchema = z.object({
  object: z.literal('expiry_run'),
  expired: z.array(z.object({ entitlementId: z.string(), credits: z.number().int() })),
  hasMore: z.boolean(),
});
