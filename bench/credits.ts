/**
 * Booking with credits: `bookings.create({ useCredits: true })` vs plain `bookings.create` on
 * each database in one run. A credit booking reads the contact's entitlements and balances before
 * its transaction and, inside it after the `reserve`, writes its debit through `postTransfers`
 * (the account row lock, the pending read, the transfer insert, the counter update) and one more
 * event. Target: credit bookings/s ≥ 0.6× plain bookings/s.
 *
 * Each run books a batch of plain bookings and a batch of credit bookings back to back on fresh
 * services (not timed), one booking at a time, so both see the same database size; the ratio is
 * the median of the per-run ratios, which cancels most of the noise of a shared machine.
 */

import {
  createSeshn,
  type EntitlementRecord,
  entitlementAccountId,
  type SeshnAdapter,
  SYSTEM_ACCOUNTS,
} from '../packages/core/src/index.js';
import { onEachDatabase } from './lib/databases.js';

const BATCH = 30;
const WARMUP = 2;
const RUNS = 9;
const TARGET_RATIO = 0.6;
const ALL_DAY = [{ start: '00:00', end: '24:00' }];
const HOUR = 3_600_000;
const T0 = Date.parse('2026-01-05T00:00:00Z');

export interface CreditBenchRow {
  name: string;
  plainPerSec: number;
  creditPerSec: number;
  ratio: number;
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
};

/** A 1,000,000-credit pack for `contactId`, granted on the storage port (record, accounts, grant). */
export async function grantPack(
  adapter: SeshnAdapter,
  scope: { organizationId: string; mode: 'live' | 'test' },
  contactId: string,
) {
  const id = 'ent_benchcredits';
  const e: EntitlementRecord = {
    id,
    contactId,
    productId: 'prd_bench',
    accountId: entitlementAccountId(id),
    type: 'pack',
    source: 'purchase',
    status: 'active',
    credits: 1_000_000,
    creditsPerSeat: 1,
    serviceIds: null,
    period: null,
    price: null,
    validFrom: T0,
    expiresAt: T0 + 3650 * 24 * HOUR,
    metadata: {},
    revokedAt: null,
    createdAt: T0,
    updatedAt: T0,
  };
  await adapter.transaction(async (tx) => {
    await tx.insert('entitlement', scope, e);
    await tx.openAccounts(scope, [
      ...(Object.keys(SYSTEM_ACCOUNTS) as (keyof typeof SYSTEM_ACCOUNTS)[]).map((code) => ({
        id: SYSTEM_ACCOUNTS[code],
        kind: 'system' as const,
        code,
        contactId: null,
        entitlementId: null,
        limited: false,
        createdAt: T0,
      })),
      {
        id: e.accountId,
        kind: 'customer',
        code: 'customer',
        contactId,
        entitlementId: id,
        limited: true,
        createdAt: T0,
      },
    ]);
    await tx.postTransfers(scope, {
      now: T0,
      transfers: [
        {
          id: 'trf_benchgrant',
          debitAccountId: SYSTEM_ACCOUNTS.issued,
          creditAccountId: e.accountId,
          amount: e.credits!,
          code: 'grant',
          entitlementId: id,
        },
      ],
    });
  });
}

/**
 * Measures one adapter: bookings per second of `BATCH` plain `bookings.create` calls and of
 * `BATCH` credit bookings, alternating per run. `makeAdapter` must return a fresh, empty database.
 */
export async function benchCreditsOn(
  name: string,
  makeAdapter: () => SeshnAdapter | Promise<SeshnAdapter>,
): Promise<CreditBenchRow> {
  const adapter = await makeAdapter();
  const seshn = createSeshn({ adapter, now: () => new Date(T0) });
  try {
    await seshn.migrate();
    const contact = await seshn.contacts.create({ name: 'Bench' });
    await grantPack(adapter, seshn.scope, contact.id);
    const fresh = async () => {
      const room = await seshn.resources.create({
        name: 'Room',
        timezone: 'UTC',
        availability: {
          weekly: {
            mon: ALL_DAY,
            tue: ALL_DAY,
            wed: ALL_DAY,
            thu: ALL_DAY,
            fri: ALL_DAY,
            sat: ALL_DAY,
            sun: ALL_DAY,
          },
        },
      });
      return seshn.services.create({
        name: 'Session',
        kind: 'appointment',
        durationMinutes: 60,
        resourceIds: [room.id],
        horizonDays: null,
      });
    };
    const batch = async (serviceId: string, useCredits: boolean) => {
      const t0 = performance.now();
      for (let i = 0; i < BATCH; i++) {
        const startTime = new Date(T0 + 24 * HOUR + i * HOUR).toISOString();
        const b = await seshn.bookings.create({
          serviceId,
          startTime,
          contactId: contact.id,
          ...(useCredits ? { useCredits: true } : {}),
        });
        if (useCredits && b.credits?.used !== 1) throw new Error('the credit booking used no credit');
      }
      return (BATCH * 1000) / (performance.now() - t0);
    };
    const plain: number[] = [];
    const credit: number[] = [];
    const ratios: number[] = [];
    for (let run = 0; run < WARMUP + RUNS; run++) {
      const [a, b] = [await fresh(), await fresh()];
      // Alternate which goes first, so neither always books on the slightly larger database.
      const first = run % 2 === 0;
      const p = first ? await batch(a.id, false) : 0;
      const c = await batch(b.id, true);
      const p2 = first ? p : await batch(a.id, false);
      if (run >= WARMUP) {
        plain.push(p2);
        credit.push(c);
        ratios.push(c / p2);
      }
      process.stderr.write(
        `credits bench ${name}: run ${run + 1}/${WARMUP + RUNS} plain ${p2.toFixed(0)}/s, credits ${c.toFixed(0)}/s\n`,
      );
    }
    return { name, plainPerSec: median(plain), creditPerSec: median(credit), ratio: median(ratios) };
  } finally {
    await seshn.close();
  }
}

/** The markdown section for `pnpm bench`: SQLite (file, WAL), then Postgres and MariaDB when reachable. */
export async function bench(): Promise<string> {
  const rows = await onEachDatabase('credits', (db) => benchCreditsOn(db.name, db.make));
  return [
    '## Booking with credits',
    '',
    `\`bookings.create({ useCredits: true })\` (entitlement chosen, debit posted in the booking's transaction under the account lock) vs plain \`bookings.create\`, ${BATCH} sequential bookings per batch on fresh services; median of ${RUNS} runs after ${WARMUP} warm-up runs; the ratio is the median of the per-run ratios. Target ratio ≥ ${TARGET_RATIO}×.`,
    '',
    '| database | plain bookings/s | credit bookings/s | ratio | target |',
    '| --- | ---: | ---: | ---: | --- |',
    ...rows.map(
      (r) =>
        `| ${r.name} | ${r.plainPerSec.toFixed(0)} | ${r.creditPerSec.toFixed(0)} | ${r.ratio.toFixed(2)}× | ${r.ratio >= TARGET_RATIO ? 'met' : 'MISSED'} (≥ ${TARGET_RATIO}×) |`,
    ),
  ].join('\n');
}
