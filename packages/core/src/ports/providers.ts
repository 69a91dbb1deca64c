/**
 * Plugins that reach outside the database, passed to `createSeshn` and checked when it runs.
 * Each has a name and the methods core will call; an implementation lives in its own package
 * (payments: `@seshn/stripe`), so core stays free of vendors.
 * @module
 */
import { SeshnError } from '../errors/seshn-error.js';

/**
 * A payment provider: creates and settles the payment of a booking. Seshn calls it from bookings
 * that carry a price once paid bookings arrive (a later release); until then a provider given to
 * `createSeshn` is checked and kept, and nothing calls it.
 */
export interface PaymentProvider {
  /** e.g. `stripe`: stored on each payment so a refund goes back to the same provider. */
  readonly name: string;
  /** Starts a payment of `amount` minor units; `idempotencyKey` makes a retried call a no-op. */
  createIntent(request: {
    amount: number;
    currency: string;
    idempotencyKey: string;
    capture: 'automatic' | 'manual';
    metadata: Record<string, string>;
  }): Promise<{ id: string; clientSecret: string | null; status: string }>;
  capture(
    intentId: string,
    request: { amount?: number; idempotencyKey: string },
  ): Promise<{ status: string }>;
  cancel(intentId: string, request: { idempotencyKey: string }): Promise<{ status: string }>;
  refund(
    intentId: string,
    request: { amount?: number; idempotencyKey: string },
  ): Promise<{ id: string; status: string }>;
  /** Verifies and reads a webhook the provider sent (raw body and headers, untouched). */
  parseEvent(
    body: string | Uint8Array,
    headers: Record<string, string | undefined>,
  ): Promise<{ id: string; type: string; intentId: string | null; data: Record<string, unknown> }>;
}

export interface SeshnProviders {
  payments?: PaymentProvider | undefined;
}

const PAYMENT_METHODS = ['createIntent', 'capture', 'cancel', 'refund', 'parseEvent'] as const;

/** Checks the providers given to `createSeshn`; throws `validation_failed` naming what is wrong. */
export function checkProviders(providers: { payments?: unknown }): SeshnProviders {
  const payments = providers.payments;
  if (payments === undefined) return {};
  const p = payments as Record<string, unknown> | null;
  const fields: { path: string; message: string }[] = [];
  if (p === null || typeof p !== 'object') {
    fields.push({
      path: 'payments',
      message: 'Expected a payment provider object, e.g. stripePayments({ … })',
    });
  } else {
    if (typeof p.name !== 'string' || p.name.length === 0 || p.name.length > 32) {
      fields.push({ path: 'payments.name', message: 'A payment provider has a name of 1–32 characters' });
    }
    for (const method of PAYMENT_METHODS) {
      if (typeof p[method] !== 'function') {
        fields.push({ path: `payments.${method}`, message: 'Required payment provider method is missing' });
      }
    }
  }
  if (fields.length > 0) throw SeshnError.validation(fields);
  return { payments: payments as PaymentProvider };
}
