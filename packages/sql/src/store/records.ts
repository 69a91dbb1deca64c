/**
 * The generic record store (core's `RecordStore`): every plain entity is a row of a scoped table
 * with an `id`, read and written by the same seven functions. What differs per kind is data — the
 * table, the row codec (rows.ts) and the list filters — in {@link RECORD_TABLES}. A new entity is
 * its table (tables.ts + a migration), its codec and one line there.
 * @module
 */
import type {
  ArchivableKind,
  FoundApiKey,
  PageParams,
  RecordFilters,
  RecordKind,
  RecordTypes,
  RemovableKind,
  Scope,
  WritableKind,
} from '@seshn/core';
import { type ExpressionBuilder, sql } from 'kysely';
import { num } from '../profile.js';
import type { SeshnDatabase } from '../tables.js';
import {
  type AnyExpressionBuilder,
  type AnyQuery,
  anyDb,
  effectiveStatusIs,
  insertRows,
  type Row,
  readPage,
  runTemplate,
  type ScopedTable,
  type StoreContext,
  scopedSelect,
  whereScopeIn,
} from './context.js';

/** How one kind is stored: its table and, when its list takes filters, how they narrow the query. */
export interface RecordTable<K extends RecordKind> {
  table: ScopedTable;
  filter?: (q: AnyQuery, filter: RecordFilters[K], cx: StoreContext) => AnyQuery;
}

/** Rows overlapping `[from, to)` by the given start/end columns. */
const overlapping =
  (startColumn: string, endColumn: string) =>
  (q: AnyQuery, f: { from?: number | undefined; to?: number | undefined }, cx: StoreContext) => {
    let next = q;
    if (f.to !== undefined) next = next.where(startColumn, '<', cx.m.inst(f.to));
    if (f.from !== undefined) next = next.where(endColumn, '>', cx.m.inst(f.from));
    return next;
  };

/** Equality filters: each given field narrows by its column. */
const equal = (columns: Record<string, string>) => (q: AnyQuery, f: object) => {
  let next = q;
  for (const [field, column] of Object.entries(columns)) {
    const value = (f as Record<string, unknown>)[field];
    if (value !== undefined) next = next.where(column, '=', value);
  }
  return next;
};

/** Every kind of the record store. A new entity: one line here. */
export const RECORD_TABLES: { [K in RecordKind]: RecordTable<K> } = {
  resource: { table: 'seshn_resources' },
  service: { table: 'seshn_services' },
  allocation: {
    table: 'seshn_allocations',
    filter: (q, f, cx) =>
      overlapping('start_time', 'end_time')(equal({ resourceId: 'resource_id' })(q, f), f, cx),
  },
  contact: { table: 'seshn_contacts', filter: (q, f) => contactSearch(q, f) },
  series: { table: 'seshn_booking_series', filter: equal({ contactId: 'contact_id' }) },
  booking: {
    table: 'seshn_bookings',
    filter: (q, f, cx) => {
      const next = overlapping('start_time', 'end_time')(
        equal({
          contactId: 'contact_id',
          serviceId: 'service_id',
          resourceId: 'resource_id',
          seriesId: 'series_id',
        })(q, f),
        f,
        cx,
      );
      const statuses = f.statuses;
      return statuses
        ? next.where((eb: ExpressionBuilder<SeshnDatabase, 'seshn_bookings'>) =>
            effectiveStatusIs(cx, eb, statuses, f.now),
          )
        : next;
    },
  },
  event: { table: 'seshn_events', filter: equal({ type: 'type' }) },
  organization: { table: 'seshn_organizations' },
  apiKey: { table: 'seshn_api_keys' },
  audit: { table: 'seshn_audit_log', filter: equal({ action: 'action', targetId: 'target_id' }) },
  testClock: { table: 'seshn_test_clocks' },
  product: {
    table: 'seshn_products',
    filter: (q, f) => (f.includeArchived ? q : q.where('archived_at', 'is', null)),
  },
  entitlement: {
    table: 'seshn_entitlements',
    filter: (q, f, cx) => {
      const next = equal({ contactId: 'contact_id', productId: 'product_id', status: 'status' })(q, f);
      return f.dueBy === undefined
        ? next
        : next.where('status', '=', 'active').where('expires_at', '<=', cx.m.inst(f.dueBy));
    },
  },
  account: {
    table: 'seshn_ledger_accounts',
    filter: equal({ contactId: 'contact_id', entitlementId: 'entitlement_id' }),
  },
  transfer: {
    table: 'seshn_ledger_transfers',
    filter: (q, f) => {
      const next = equal({ entitlementId: 'entitlement_id', bookingId: 'booking_id' })(q, f);
      const accountId = f.accountId;
      return accountId === undefined
        ? next
        : next.where((eb: AnyExpressionBuilder) =>
            eb.or([eb('debit_account_id', '=', accountId), eb('credit_account_id', '=', accountId)]),
          );
    },
  },
  waitlistEntry: {
    table: 'seshn_waitlist_entries',
    filter: (q, f) => {
      const next = equal({
        contactId: 'contact_id',
        serviceId: 'service_id',
        resourceId: 'resource_id',
        slotKey: 'slot_key',
        status: 'status',
      })(q, f);
      const bookingIds = f.bookingIds;
      if (bookingIds === undefined) return next;
      return bookingIds.length === 0
        ? next.where(sql<boolean>`1 = 0`)
        : next.where('booking_id', 'in', [...bookingIds]);
    },
  },
};

/** The API key whose secret hashes to `hash`, in whichever organization it belongs to. */
export async function findApiKey(cx: StoreContext, hash: string): Promise<FoundApiKey | null> {
  // Every authenticated HTTP request runs this: one compiled statement, reused.
  const [row] = await runTemplate(cx, 'apiKey:byHash', [hash], (v) =>
    anyDb(cx).selectFrom('seshn_api_keys').selectAll().where('hash', '=', v(0)),
  );
  return row ? { organizationId: String(row.organization_id), key: cx.m.apiKey.fromRow(row) } : null;
}

/** Exact (case-insensitive) email, and/or a substring of name, email or phone. */
function contactSearch(q: AnyQuery, f: RecordFilters['contact']): AnyQuery {
  let next = q;
  if (f.email !== undefined) next = next.where('email_lower', '=', f.email.toLowerCase());
  if (f.query !== undefined) {
    // LIKE wildcards in user input are escaped so a search for "50%" means that text. The escape
    // character is `!`, not a backslash: a backslash literal is spelled differently in MySQL
    // (where `\` escapes inside strings) than in SQLite and Postgres.
    const needle = `%${f.query.toLowerCase().replace(/[!%_]/g, (c) => `!${c}`)}%`;
    next = next.where((eb: ExpressionBuilder<SeshnDatabase, 'seshn_contacts'>) =>
      eb.or([
        eb(eb.fn('lower', ['name']), 'like', sql<string>`${needle} escape '!'`),
        eb('email_lower', 'like', sql<string>`${needle} escape '!'`),
        eb('phone', 'like', sql<string>`${needle} escape '!'`),
      ]),
    );
  }
  return next;
}

function tableOf(kind: RecordKind): RecordTable<RecordKind> {
  const t = RECORD_TABLES[kind] as RecordTable<RecordKind> | undefined;
  if (!t) throw new Error(`Unknown record kind: ${String(kind)}`);
  return t;
}

const codec = <K extends RecordKind>(cx: StoreContext, kind: K) =>
  cx.m[kind] as unknown as { toRow(scope: Scope, r: RecordTypes[K]): Row; fromRow(row: Row): RecordTypes[K] };

export function insertRecord<K extends WritableKind>(
  cx: StoreContext,
  kind: K,
  scope: Scope,
  record: RecordTypes[K],
) {
  return insertRows(cx, tableOf(kind).table, [codec(cx, kind).toRow(scope, record)]);
}

export async function getRecord<K extends RecordKind>(
  cx: StoreContext,
  kind: K,
  scope: Scope,
  id: string,
  options: { lock?: boolean } = {},
): Promise<RecordTypes[K] | null> {
  const { table } = tableOf(kind);
  const { fromRow } = codec(cx, kind);
  // Without row locks (SQLite) the transaction's write lock already serialises writers.
  if (options.lock && cx.p.locking.rowLocks) {
    const row = await scopedSelect(cx, table, scope).where('id', '=', id).forUpdate().executeTakeFirst();
    return row ? fromRow(row) : null;
  }
  const [row] = await runTemplate(cx, `one:${table}`, [scope.organizationId, scope.mode, id], (v) =>
    whereScopeIn(anyDb(cx).selectFrom(table).selectAll(), v, 'id', 2, 1),
  );
  return row ? fromRow(row) : null;
}

export async function getRecords<K extends RecordKind>(
  cx: StoreContext,
  kind: K,
  scope: Scope,
  ids: string[],
): Promise<RecordTypes[K][]> {
  if (ids.length === 0) return [];
  const { table } = tableOf(kind);
  const rows = await runTemplate(
    cx,
    `many:${table}:${ids.length}`,
    [scope.organizationId, scope.mode, ...ids],
    (v) => whereScopeIn(anyDb(cx).selectFrom(table).selectAll(), v, 'id', 2, ids.length),
  );
  return rows.map(codec(cx, kind).fromRow);
}

/** The row of `id` in the scope, updated with `values`; `true` when it existed. */
async function updateRow(cx: StoreContext, table: ScopedTable, scope: Scope, id: string, values: Row) {
  const result = await anyDb(cx)
    .updateTable(table)
    .set(values)
    .where('organization_id', '=', scope.organizationId)
    .where('mode', '=', scope.mode)
    .where('id', '=', id)
    .executeTakeFirst();
  return num(result.numUpdatedRows) > 0;
}

export function updateRecord<K extends WritableKind>(
  cx: StoreContext,
  kind: K,
  scope: Scope,
  record: RecordTypes[K],
) {
  return updateRow(cx, tableOf(kind).table, scope, record.id, codec(cx, kind).toRow(scope, record));
}

export function listRecords<K extends RecordKind>(
  cx: StoreContext,
  kind: K,
  scope: Scope,
  filter: RecordFilters[K],
  page: PageParams,
) {
  const t = tableOf(kind);
  const base = scopedSelect(cx, t.table, scope);
  const q = t.filter ? t.filter(base, filter, cx) : base;
  return readPage(q, page, codec(cx, kind).fromRow);
}

export async function archiveRecord<K extends ArchivableKind>(
  cx: StoreContext,
  kind: K,
  scope: Scope,
  id: string,
  at: number,
): Promise<RecordTypes[K] | null> {
  const atV = cx.m.inst(at);
  const changed = await updateRow(cx, tableOf(kind).table, scope, id, {
    archived_at: sql`coalesce(archived_at, ${atV})`,
    updated_at: atV,
  });
  return changed ? getRecord(cx, kind, scope, id) : null;
}

export async function removeRecord<K extends RemovableKind>(
  cx: StoreContext,
  kind: K,
  scope: Scope,
  id: string,
) {
  const result = await anyDb(cx)
    .deleteFrom(tableOf(kind).table)
    .where('organization_id', '=', scope.organizationId)
    .where('mode', '=', scope.mode)
    .where('id', '=', id)
    .executeTakeFirst();
  return num(result.numDeletedRows) > 0;
}
