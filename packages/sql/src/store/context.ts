/**
 * What every part of the SQL store works with: the connection (the pool, or one transaction's
 * connection), the dialect profile, the row codecs and the compiled-query templates, plus the
 * few SQL helpers the aggregates share. Nothing here names a dialect.
 * @module
 */
import type { BookingStatus, Page, PageParams, Scope } from '@seshn/core';
import type { Compilable, Expression, ExpressionBuilder, Kysely, SqlBool } from 'kysely';
import { sql } from 'kysely';
import { type DialectProfile, errorChain } from '../profile.js';
import { type QueryTemplates, templatesFor } from '../query-template.js';
import type { SeshnDatabase } from '../tables.js';
import { type RowMapper, rowMapper } from './rows.js';

export type Db = Kysely<SeshnDatabase>;
export type ScopedTable = keyof SeshnDatabase;
export type Row = Record<string, unknown>;
// biome-ignore lint/suspicious/noExplicitAny: builders over tables picked at run time (the record store's kinds).
export type AnyDb = Kysely<any>;
// biome-ignore lint/suspicious/noExplicitAny: as above
export type AnyQuery = any;
// biome-ignore lint/suspicious/noExplicitAny: expressions over tables picked at run time
export type AnyExpressionBuilder = ExpressionBuilder<any, any>;

/** Runs `fn` in a transaction of its own, on that transaction's context. */
export type ContextRunner = <T>(fn: (cx: StoreContext) => Promise<T>) => Promise<T>;

export interface StoreContext {
  readonly db: Db;
  readonly p: DialectProfile;
  readonly m: RowMapper;
  /** Compiled hot queries by shape (shared by every store of the profile, see query-template.ts). */
  readonly t: QueryTemplates;
  /** `fn` on a context bound to a transaction: this one when it already is, else a new transaction's. */
  atomic<T>(fn: (cx: StoreContext) => Promise<T>): Promise<T>;
}

/**
 * The context of a store on `db`. `runTransaction` opens a transaction for atomic operations
 * called outside one; `null` means `db` already is a transaction's connection.
 */
export function storeContext(
  db: Db,
  profile: DialectProfile,
  runTransaction: ContextRunner | null,
): StoreContext {
  const cx: StoreContext = {
    db,
    p: profile,
    m: rowMapper(profile),
    t: templatesFor(profile),
    atomic: (fn) => (runTransaction ? runTransaction(fn) : fn(cx)),
  };
  return cx;
}

export const anyDb = (cx: StoreContext) => cx.db as AnyDb;

/** `SELECT *` of a table, in a scope. */
export function scopedSelect(cx: StoreContext, table: ScopedTable, scope: Scope): AnyQuery {
  return anyDb(cx)
    .selectFrom(table)
    .selectAll()
    .where('organization_id', '=', scope.organizationId)
    .where('mode', '=', scope.mode);
}

/**
 * A template's scope filter and an `IN` list: `organization_id = v(0) AND mode = v(1) AND
 * column IN (v(at) … v(at + count - 1))`.
 */
export function whereScopeIn(
  q: AnyQuery,
  v: (i: number) => unknown,
  column: string,
  at: number,
  count: number,
) {
  return q
    .where('organization_id', '=', v(0))
    .where('mode', '=', v(1))
    .where(
      column,
      'in',
      Array.from({ length: count }, (_, i) => v(at + i)),
    );
}

/** A cursor page, newest first: `limit + 1` rows read so `hasMore` is exact. */
export async function readPage<R>(query: AnyQuery, page: PageParams, map: (row: Row) => R): Promise<Page<R>> {
  let q = query.orderBy('id', 'desc').limit(page.limit + 1);
  if (page.startingAfter) q = q.where('id', '<', page.startingAfter);
  const rows: Row[] = await q.execute();
  return { data: rows.slice(0, page.limit).map(map), hasMore: rows.length > page.limit };
}

/** Runs a query built once per `key` (see query-template.ts) with `values`; returns its rows. */
export async function runTemplate(
  cx: StoreContext,
  key: string,
  values: readonly unknown[],
  build: (hole: (index: number) => unknown) => Compilable,
): Promise<Row[]> {
  return (await cx.db.executeQuery<Row>(cx.t.query(key, values, build))).rows;
}

/** Rows per INSERT statement. */
export const INSERT_CHUNK = 50;

/** Inserts rows in chunks, through a template per shape when every row has the same columns. */
export async function insertRows(cx: StoreContext, table: ScopedTable, rows: Row[]): Promise<void> {
  for (let i = 0; i < rows.length; i += INSERT_CHUNK) {
    const chunk = rows.slice(i, i + INSERT_CHUNK);
    const columns = Object.keys(chunk[0]!);
    const values = chunk.flatMap((row) => columns.map((c) => row[c]));
    // The codecs give every row the same columns and no undefined; anything else (where Kysely
    // would write DEFAULT or another column list) takes the builder.
    const uniform =
      values.every((v) => v !== undefined) &&
      chunk.every((row) => Object.keys(row).length === columns.length);
    const build = (v: (index: number) => unknown) =>
      anyDb(cx)
        .insertInto(table)
        .values(
          chunk.map((_, r) => Object.fromEntries(columns.map((c, k) => [c, v(r * columns.length + k)]))),
        );
    await cx.db.executeQuery(
      uniform
        ? cx.t.query(`insert:${table}:${chunk.length}:${columns.join(',')}`, values, build)
        : build((index) => values[index]).compile(),
    );
  }
}

/** SQL for "the booking's effective status is one of `statuses` at `now`" (lapsed holds are expired). */
export function effectiveStatusIs(
  cx: StoreContext,
  eb: ExpressionBuilder<SeshnDatabase, 'seshn_bookings'>,
  statuses: readonly BookingStatus[],
  now: number,
): Expression<SqlBool> {
  const nowV = cx.m.inst(now);
  const parts: Expression<SqlBool>[] = [];
  const plain = statuses.filter((s) => s === 'confirmed' || s === 'cancelled');
  if (plain.length) parts.push(eb('status', 'in', plain));
  if (statuses.includes('held')) parts.push(eb.and([eb('status', '=', 'held'), eb('expires_at', '>', nowV)]));
  if (statuses.includes('expired')) {
    parts.push(eb('status', '=', 'expired'));
    parts.push(eb.and([eb('status', '=', 'held'), eb('expires_at', '<=', nowV)]));
  }
  return parts.length ? eb.or(parts) : sql<SqlBool>`1 = 0`;
}

/** The database's own overlap constraint refused a write (see DialectProfile.isExclusionViolation). */
export function isExclusionViolation(cx: StoreContext, error: unknown): boolean {
  const check = cx.p.isExclusionViolation;
  return check !== undefined && errorChain(error).some((e) => check(e));
}
