/**
 * The balance of a contact with 10,000 transfers: `entitlements.balance({ contactId })` (every
 * entitlement of the contact with remaining, pending and expiry) and `ledger.balance({ accountId
 * })` (one account), on SQLite (a file, WAL), Postgres and MariaDB/MySQL. Target: < 5 ms (p50) on
 * SQLite and Postgres.
 *
 * Setup per database: one contact with three entitlements (a 100,000-credit pack, a pass and a
 * membership); 10,000 transfers on the pack's account — posted spends, holds that were posted,
 * voided or left to lapse, and live holds — written through `postTransfers` in batches of 100,
 * so a balance has a long history behind it and a few live holds to sum; the networked databases
 * get `ANALYZE` after the load (as autovacuum would), and one more write tidies the lapsed holds
 * of the account (see store/ledger.ts). Then 20
 * warm-up reads and 300 measured reads of each call, one after another; p50 and p99.
 * Why it is fast: a customer account keeps its posted totals on its row (updated under the
 * account lock), so a balance reads one row plus the live pending transfers by index — the
 * history's length does not enter.
 *
 * Knobs: SESHN_BENCH_LEDGER_TRANSFERS (default 10000), SESHN_BENCH_DATABASES (default
 * "sqlite,postgres,mysql").
 * @module
 */
import {
  createSeshn,
  type SeshnAdapter,
  SYSTEM_ACCOUNTS,
  type TransferItem,
} from '../packages/core/src/index.js';
import { onEachDatabase } from './lib/databases.js';
import { drivers } from './lib/drivers.js';

const TRANSFERS = Number(process.env.SESHN_BENCH_LEDGER_TRANSFERS ?? 10_000);
const DATABASES = (process.env.SESHN_BENCH_DATABASES ?? 'sqlite,postgres,mysql').split(',');
const TARGET_MS = 5;
const WARMUP = 20;
const READS = 300;
const BATCH = 100;
const LIVE_HOLDS = 5;
const NOW = Date.parse('2030-01-01T00:00:00Z');
const log = (message: string) => process.stderr.write(`[ledger] ${message}\n`);

interface Row {
  name: string;
  transfers: number;
  contactP50: number;
  contactP99: number;
  accountP50: number;
  accountP99: number;
  target: boolean;
}

const quantile = (sorted: number[], q: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;

async function timeReads(fn: () => Promise<unknown>): Promise<{ p50: number; p99: number }> {
  for (let i = 0; i < WARMUP; i++) await fn();
  const ms: number[] = [];
  for (let i = 0; i < READS; i++) {
    const t0 = performance.now();
    await fn();
    ms.push(performance.now() - t0);
  }
  ms.sort((a, b) => a - b);
  return { p50: quantile(ms, 0.5), p99: quantile(ms, 0.99) };
}

/** `ANALYZE` through a driver connection of its own (what autovacuum or InnoDB's auto-statistics do after a bulk load). */
async function analyzeWith(kind: 'postgres' | 'mysql', url: string): Promise<void> {
  // biome-ignore lint/suspicious/noExplicitAny: the drivers' own client APIs, loaded from the adapter packages
  const d = drivers as any;
  if (kind === 'postgres') {
    const client = new d.postgres.Client({ connectionString: url });
    await client.connect();
    await client.query('ANALYZE');
    await client.end();
  } else {
    const conn = await d.mysql.createConnection(url);
    await conn.query('ANALYZE TABLE seshn_ledger_transfers, seshn_ledger_accounts, seshn_entitlements');
    await conn.end();
  }
}

async function benchOn(
  name: string,
  make: () => SeshnAdapter,
  target: boolean,
  analyze: () => Promise<void> = async () => undefined,
): Promise<Row> {
  let now = NOW;
  const adapter = make();
  const seshn = createSeshn({ adapter, now: () => new Date(now) });
  try {
    await seshn.migrate();
    const contact = await seshn.contacts.create({ name: 'Regular' });
    const pack = await seshn.products.create({ name: 'Big pack', type: 'pack', credits: 100_000 });
    const pass = await seshn.products.create({ name: 'Pass', type: 'pass' });
    const member = await seshn.products.create({ name: 'Member', type: 'membership' });
    const e = await seshn.entitlements.grant({ contactId: contact.id, productId: pack.id });
    await seshn.entitlements.grant({ contactId: contact.id, productId: pass.id });
    await seshn.entitlements.grant({ contactId: contact.id, productId: member.id });

    const scope = seshn.scope;
    let written = 1; // the grant
    let n = 0;
    const t0 = performance.now();
    while (written < TRANSFERS) {
      const items: TransferItem[] = [];
      const settles: TransferItem[] = [];
      for (let i = 0; i < BATCH && written + items.length < TRANSFERS; i++) {
        n += 1;
        const id = `trf_bench_${n}`;
        const kind = n % 10;
        // 60% posted spends; the rest holds (an hour) that are posted, voided or left to lapse;
        // the last few stay live (a day), as a regular's upcoming bookings would.
        const live = written + items.length >= TRANSFERS - LIVE_HOLDS;
        const pendingUntil = live ? now + 86_400_000 : kind < 6 ? undefined : now + 3_600_000;
        items.push({
          id,
          debitAccountId: e.accountId,
          creditAccountId: SYSTEM_ACCOUNTS.redeemed,
          amount: 1,
          code: 'booking',
          entitlementId: e.id,
          bookingId: `bkg_bench_${n}`,
          ...(pendingUntil === undefined ? {} : { pendingUntil }),
        });
        if (!live && kind === 6) settles.push({ action: 'post', id });
        if (!live && kind === 7) settles.push({ action: 'void', id });
      }
      await adapter.postTransfers(scope, { now, transfers: items });
      if (settles.length) await adapter.postTransfers(scope, { now, transfers: settles });
      written += items.length;
    }
    // Let the one-hour holds lapse: they count as voided with no write (the next write to the
    // account tidies them to voided under its lock).
    now += 2 * 3_600_000;
    // Statistics as autovacuum / InnoDB would have them after a bulk load; a never-analysed
    // table makes the Postgres planner guess (it picked the booking index and filtered the scope).
    await analyze();
    await adapter.postTransfers(scope, {
      now,
      transfers: [
        {
          id: 'trf_bench_tidy',
          debitAccountId: e.accountId,
          creditAccountId: SYSTEM_ACCOUNTS.redeemed,
          amount: 1,
          code: 'booking',
          entitlementId: e.id,
        },
      ],
    });
    log(`${name}: ${written} transfers written in ${((performance.now() - t0) / 1000).toFixed(1)} s`);

    const byContact = await timeReads(() => seshn.entitlements.balance({ contactId: contact.id }));
    const byAccount = await timeReads(() => seshn.ledger.balance({ accountId: e.accountId }));
    const check = await seshn.entitlements.get(e.id);
    log(`${name}: remaining ${check.credits?.remaining}, pending ${check.credits?.pending}`);
    return {
      name,
      transfers: written,
      contactP50: byContact.p50,
      contactP99: byContact.p99,
      accountP50: byAccount.p50,
      accountP99: byAccount.p99,
      target,
    };
  } finally {
    await seshn.close();
  }
}

export async function bench(): Promise<string> {
  const kinds = (['sqlite', 'postgres', 'mysql'] as const).filter((k) => DATABASES.includes(k));
  const rows = await onEachDatabase(
    'ledger',
    ({ kind, name, url, make }) =>
      kind === 'sqlite' || url === null
        ? benchOn(name, make, true)
        : benchOn(name, make, kind === 'postgres', () => analyzeWith(kind, url)),
    kinds,
  );
  const verdict = (r: Row) =>
    r.target ? (r.contactP50 < TARGET_MS ? `met (< ${TARGET_MS} ms)` : `MISSED (< ${TARGET_MS} ms)`) : '—';
  return [
    '## Ledger balances',
    '',
    `The balance of one contact whose pack account has ${TRANSFERS.toLocaleString('en')} transfers (posted spends, posted, voided, lapsed and live holds): \`entitlements.balance({ contactId })\` (its three entitlements) and \`ledger.balance({ accountId })\`, ${READS} sequential reads after ${WARMUP} warm-up reads. Target: p50 < ${TARGET_MS} ms on SQLite and Postgres.`,
    '',
    '| database | transfers | entitlements.balance p50 / p99 (ms) | ledger.balance p50 / p99 (ms) | target |',
    '| --- | ---: | ---: | ---: | --- |',
    ...rows.map(
      (r) =>
        `| ${r.name} | ${r.transfers} | ${r.contactP50.toFixed(2)} / ${r.contactP99.toFixed(2)} | ${r.accountP50.toFixed(2)} / ${r.accountP99.toFixed(2)} | ${verdict(r)} |`,
    ),
  ].join('\n');
}
