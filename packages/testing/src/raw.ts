/**
 * Raw readers: what is actually stored, read with plain SQL on a separate connection, so the
 * suite checks the database rather than what the adapter claims.
 * @module
 */
import type { Scope } from '@seshn/core';
import type { Kysely } from 'kysely';

export interface RawBooking {
  id: string;
  status: string;
  seats: number;
  resourceId: string;
  slotKey: string;
  start: number;
  end: number;
  occupiedStart: number;
  occupiedEnd: number;
  expiresAt: number | null;
}

const TABLES = [
  'seshn_resources',
  'seshn_services',
  'seshn_allocations',
  'seshn_contacts',
  'seshn_bookings',
  'seshn_booking_series',
  'seshn_events',
  'seshn_idempotency_keys',
  'seshn_event_deliveries',
  'seshn_api_keys',
  'seshn_audit_log',
  'seshn_test_clocks',
  'seshn_http_requests',
  'seshn_products',
  'seshn_entitlements',
  'seshn_ledger_accounts',
  'seshn_ledger_transfers',
  'seshn_waitlist_entries',
] as const;

// biome-ignore lint/suspicious/noExplicitAny: raw readers query untyped
export function rawReader(db: Kysely<any>, decodeInstant: (v: unknown) => number) {
  // biome-ignore lint/suspicious/noExplicitAny: any select builder of any Seshn table
  const inScope = (scope: Scope) => (qb: any) =>
    qb.where('organization_id', '=', scope.organizationId).where('mode', '=', scope.mode);
  return {
    /** The raw connection, for a case that reads a table of its own. */
    db,
    async bookings(scope: Scope): Promise<RawBooking[]> {
      const rows = await inScope(scope)(db.selectFrom('seshn_bookings').selectAll()).orderBy('id').execute();
      return rows.map((r: Record<string, unknown>) => ({
        id: String(r.id),
        status: String(r.status),
        seats: Number(r.seats),
        resourceId: String(r.resource_id),
        slotKey: String(r.slot_key),
        start: decodeInstant(r.start_time),
        end: decodeInstant(r.end_time),
        occupiedStart: decodeInstant(r.occupied_start),
        occupiedEnd: decodeInstant(r.occupied_end),
        expiresAt: r.expires_at === null ? null : decodeInstant(r.expires_at),
      }));
    },
    /** Seats held by live bookings (confirmed, or held and unexpired at `now`) per slot key. */
    async liveSeats(scope: Scope, now: number): Promise<Map<string, number>> {
      const out = new Map<string, number>();
      for (const b of await this.bookings(scope)) {
        const live =
          b.status === 'confirmed' || (b.status === 'held' && b.expiresAt !== null && b.expiresAt > now);
        if (live) out.set(b.slotKey, (out.get(b.slotKey) ?? 0) + b.seats);
      }
      return out;
    },
    /**
     * The per-slot seat counter as stored (`seshn_slot_seats`) next to what it must equal:
     * confirmed seats of the bookings grouped by slot. Each row's named booking is listed too.
     */
    async slotSeats(scope: Scope): Promise<{
      counter: Record<string, number>;
      confirmed: Record<string, number>;
      strays: string[];
    }> {
      const key = (r: Record<string, unknown>) =>
        [r.resource_id, r.slot_key, decodeInstant(r.occupied_start), decodeInstant(r.occupied_end)].join('|');
      const counter: Record<string, number> = {};
      const named: Record<string, string> = {};
      for (const r of await inScope(scope)(db.selectFrom('seshn_slot_seats').selectAll()).execute()) {
        counter[key(r)] = Number(r.seats);
        named[key(r)] = String(r.booking_id);
      }
      const confirmed: Record<string, number> = {};
      const confirmedIds = new Map<string, string>();
      for (const r of await inScope(scope)(db.selectFrom('seshn_bookings').selectAll())
        .where('status', '=', 'confirmed')
        .execute()) {
        confirmed[key(r)] = (confirmed[key(r)] ?? 0) + Number(r.seats);
        confirmedIds.set(String(r.id), key(r));
      }
      const strays = Object.entries(named)
        .filter(([k, id]) => confirmedIds.get(id) !== k)
        .map(([, id]) => id);
      return { counter, confirmed, strays };
    },
    /** Row count of every Seshn table in the scope: a fingerprint of "nothing changed". */
    async counts(scope: Scope): Promise<Record<string, number>> {
      const out: Record<string, number> = {};
      for (const table of TABLES) {
        const row = await inScope(scope)(
          db.selectFrom(table).select(db.fn.countAll().as('n')),
        ).executeTakeFirst();
        out[table] = Number(row?.n ?? 0);
      }
      return out;
    },
    /**
     * The ledger as stored, by plain SQL over the transfers table: each account's posted balance
     * (credits − debits) and the live pending debits at `now`, the sum of all posted balances
     * (zero when every transfer debits one account and credits another by the same amount), and
     * each customer account's stored counters next to what its transfers say.
     */
    async ledger(scope: Scope, now: number) {
      const rows = await inScope(scope)(db.selectFrom('seshn_ledger_transfers').selectAll()).execute();
      const posted = new Map<string, number>();
      const pending = new Map<string, number>();
      const sums = new Map<string, { debits: number; credits: number }>();
      const add = (id: string, field: 'debits' | 'credits', amount: number) => {
        const s = sums.get(id) ?? { debits: 0, credits: 0 };
        s[field] += amount;
        sums.set(id, s);
      };
      for (const r of rows as Record<string, unknown>[]) {
        const amount = Number(r.amount);
        const debit = String(r.debit_account_id);
        const credit = String(r.credit_account_id);
        if (r.status === 'posted') {
          posted.set(debit, (posted.get(debit) ?? 0) - amount);
          posted.set(credit, (posted.get(credit) ?? 0) + amount);
          add(debit, 'debits', amount);
          add(credit, 'credits', amount);
        } else if (r.status === 'pending' && r.expires_at !== null && decodeInstant(r.expires_at) > now) {
          pending.set(debit, (pending.get(debit) ?? 0) + amount);
        }
      }
      const total = await inScope(scope)(
        db.selectFrom('seshn_ledger_transfers').select(db.fn.sum('amount').as('n')),
      )
        .where('status', '=', 'posted')
        .executeTakeFirst();
      const accounts = (await inScope(scope)(
        db.selectFrom('seshn_ledger_accounts').selectAll(),
      ).execute()) as Record<string, unknown>[];
      const counterDrift = accounts
        .filter((a) => a.kind === 'customer')
        .filter((a) => {
          const s = sums.get(String(a.id)) ?? { debits: 0, credits: 0 };
          return Number(a.debits_posted) !== s.debits || Number(a.credits_posted) !== s.credits;
        })
        .map((a) => String(a.id));
      const zeroSum = [...posted.values()].reduce((a, b) => a + b, 0);
      return {
        transfers: rows.length,
        postedTotal: Number((total as { n?: unknown } | undefined)?.n ?? 0),
        posted,
        pending,
        zeroSum,
        counterDrift,
        accounts: accounts.map((a) => ({
          id: String(a.id),
          kind: String(a.kind),
          limited: Number(a.limited) === 1,
        })),
      };
    },
    async events(scope: Scope): Promise<{ type: string; data: Record<string, unknown> }[]> {
      const rows = await inScope(scope)(db.selectFrom('seshn_events').selectAll()).orderBy('id').execute();
      return rows.map((r: Record<string, unknown>) => ({
        type: String(r.type),
        data: JSON.parse(String(r.data)),
      }));
    },
  };
}

export type RawReader = ReturnType<typeof rawReader>;

/** Pairs of live bookings on the same resource whose occupied intervals overlap (different slots). */
export function findOverlaps(bookings: RawBooking[], now: number): [RawBooking, RawBooking][] {
  const live = bookings
    .filter(
      (b) => b.status === 'confirmed' || (b.status === 'held' && b.expiresAt !== null && b.expiresAt > now),
    )
    .sort((a, b) => a.occupiedStart - b.occupiedStart);
  const bad: [RawBooking, RawBooking][] = [];
  for (let i = 0; i < live.length; i++) {
    for (let j = i + 1; j < live.length; j++) {
      const a = live[i]!;
      const b = live[j]!;
      if (b.occupiedStart >= a.occupiedEnd) break;
      if (a.resourceId === b.resourceId && a.slotKey !== b.slotKey) bad.push([a, b]);
    }
  }
  return bad;
}
