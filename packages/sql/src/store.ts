/**
 * One SQL implementation of the adapter contract, shared by SQLite, Postgres and MySQL through
 * Kysely. Dialect differences come from the {@link DialectProfile}; nothing here names a dialect.
 * @module
 */
import {
  type AllocationRecord,
  type BookingFilter,
  type BookingGuard,
  type BookingPatch,
  type BookingRecord,
  type BookingSeriesRecord,
  type BookingStatus,
  type ClaimedEvent,
  type ConfirmRequest,
  type ConfirmResult,
  type ContactRecord,
  checkReservation,
  type EventRecord,
  type IdempotencyRecord,
  type OccupationRecord,
  type Page,
  type PageParams,
  type ReserveItem,
  type ReserveRequest,
  type ReserveResult,
  type ResourceRecord,
  resolveNow,
  type Scope,
  type ServiceRecord,
  type SeshnStore,
} from '@seshn/core';
import { type Expression, type ExpressionBuilder, type Kysely, type SqlBool, sql } from 'kysely';
import { type DialectProfile, errorChain, num } from './profile.js';
import { type QueryTemplates, templatesFor } from './query-template.js';
import { type RowMapper, rowMapper } from './rows.js';
import type { SeshnDatabase } from './tables.js';

type Db = Kysely<SeshnDatabase>;
type ScopedTable = keyof SeshnDatabase;
type Range = { from: number; to: number };
// biome-ignore lint/suspicious/noExplicitAny: expressions over tables picked at run time (see #scoped).
type AnyExpressionBuilder = ExpressionBuilder<any, any>;

const INSERT_CHUNK = 50;

export type TransactionRunner = <T>(fn: (tx: SeshnStore) => Promise<T>) => Promise<T>;

export class SqlStore implements SeshnStore {
  readonly #db: Db;
  readonly #p: DialectProfile;
  readonly #m: RowMapper;
  /** Compiled hot queries by shape (shared by every store of the profile, see query-template.ts). */
  readonly #t: QueryTemplates;
  /** Set when this store is bound to an open transaction; otherwise atomic ops open their own. */
  readonly #inTransaction: boolean;
  readonly #runTransaction: TransactionRunner;

  constructor(db: Db, profile: DialectProfile, runTransaction: TransactionRunner, inTransaction: boolean) {
    this.#db = db;
    this.#p = profile;
    this.#m = rowMapper(profile);
    this.#t = templatesFor(profile);
    this.#runTransaction = runTransaction;
    this.#inTransaction = inTransaction;
  }

  // biome-ignore lint/suspicious/noExplicitAny: Kysely's table-generic builders need a widened type here.
  #scoped<T extends ScopedTable>(table: T, scope: Scope): any {
    // biome-ignore lint/suspicious/noExplicitAny: as above
    return (this.#db as Kysely<any>)
      .selectFrom(table)
      .selectAll()
      .where('organization_id', '=', scope.organizationId)
      .where('mode', '=', scope.mode);
  }

  async #getOne<R>(
    table: ScopedTable,
    scope: Scope,
    id: string,
    map: (row: Record<string, unknown>) => R,
  ): Promise<R | null> {
    // biome-ignore lint/suspicious/noExplicitAny: see #scoped
    const db = this.#db as Kysely<any>;
    const query = this.#t.query(`one:${table}`, [scope.organizationId, scope.mode, id], (v) =>
      db
        .selectFrom(table)
        .selectAll()
        .where('organization_id', '=', v(0))
        .where('mode', '=', v(1))
        .where('id', '=', v(2)),
    );
    const row = (await this.#db.executeQuery<Record<string, unknown>>(query)).rows[0];
    return row ? map(row) : null;
  }

  // biome-ignore lint/suspicious/noExplicitAny: see #scoped
  async #page<R>(query: any, page: PageParams, map: (row: Record<string, unknown>) => R): Promise<Page<R>> {
    let q = query.orderBy('id', 'desc').limit(page.limit + 1);
    if (page.startingAfter) q = q.where('id', '<', page.startingAfter);
    const rows: Record<string, unknown>[] = await q.execute();
    return { data: rows.slice(0, page.limit).map(map), hasMore: rows.length > page.limit };
  }

  async #insert(table: ScopedTable, rows: Record<string, unknown>[]): Promise<void> {
    for (let i = 0; i < rows.length; i += INSERT_CHUNK) {
      const chunk = rows.slice(i, i + INSERT_CHUNK);
      const columns = Object.keys(chunk[0]!);
      const values = chunk.flatMap((row) => columns.map((c) => row[c]));
      // The mappers give every row the same columns and no undefined; anything else (where
      // Kysely would write DEFAULT or another column list) takes the builder.
      const uniform =
        values.every((v) => v !== undefined) &&
        chunk.every((row) => Object.keys(row).length === columns.length);
      const build = (v: (index: number) => unknown) =>
        // biome-ignore lint/suspicious/noExplicitAny: rows come from the typed mappers in rows.ts
        (this.#db as Kysely<any>)
          .insertInto(table)
          .values(
            chunk.map((_, r) => Object.fromEntries(columns.map((c, k) => [c, v(r * columns.length + k)]))),
          );
      await this.#db.executeQuery(
        uniform
          ? this.#t.query(`insert:${table}:${chunk.length}:${columns.join(',')}`, values, build)
          : build((index) => values[index]).compile(),
      );
    }
  }

  async #update(
    table: ScopedTable,
    scope: Scope,
    id: string,
    values: Record<string, unknown>,
  ): Promise<boolean> {
    // biome-ignore lint/suspicious/noExplicitAny: see #insert
    const result = await (this.#db as Kysely<any>)
      .updateTable(table)
      .set(values)
      .where('organization_id', '=', scope.organizationId)
      .where('mode', '=', scope.mode)
      .where('id', '=', id)
      .executeTakeFirst();
    return num(result.numUpdatedRows) > 0;
  }

  // ── resources ────────────────────────────────────────────────────────────
  insertResource(scope: Scope, r: ResourceRecord) {
    return this.#insert('seshn_resources', [this.#m.resourceToRow(scope, r)]);
  }
  getResource(scope: Scope, id: string) {
    return this.#getOne('seshn_resources', scope, id, this.#m.rowToResource);
  }
  async getResources(scope: Scope, ids: string[]) {
    if (ids.length === 0) return [];
    const query = this.#t.query(`resources:${ids.length}`, [scope.organizationId, scope.mode, ...ids], (v) =>
      this.#db
        .selectFrom('seshn_resources')
        .selectAll()
        .where('organization_id', '=', v(0) as string)
        .where('mode', '=', v(1) as string)
        .where(
          'id',
          'in',
          ids.map((_, i) => v(2 + i) as string),
        ),
    );
    const { rows } = await this.#db.executeQuery<Record<string, unknown>>(query);
    return rows.map(this.#m.rowToResource);
  }
  updateResource(scope: Scope, r: ResourceRecord) {
    return this.#update('seshn_resources', scope, r.id, this.#m.resourceToRow(scope, r));
  }
  listResources(scope: Scope, page: PageParams) {
    return this.#page(this.#scoped('seshn_resources', scope), page, this.#m.rowToResource);
  }

  // ── services ─────────────────────────────────────────────────────────────
  insertService(scope: Scope, s: ServiceRecord) {
    return this.#insert('seshn_services', [this.#m.serviceToRow(scope, s)]);
  }
  getService(scope: Scope, id: string) {
    return this.#getOne('seshn_services', scope, id, this.#m.rowToService);
  }
  updateService(scope: Scope, s: ServiceRecord) {
    return this.#update('seshn_services', scope, s.id, this.#m.serviceToRow(scope, s));
  }
  listServices(scope: Scope, page: PageParams) {
    return this.#page(this.#scoped('seshn_services', scope), page, this.#m.rowToService);
  }

  // ── allocations ──────────────────────────────────────────────────────────
  insertAllocation(scope: Scope, a: AllocationRecord) {
    return this.#insert('seshn_allocations', [this.#m.allocationToRow(scope, a)]);
  }
  getAllocation(scope: Scope, id: string) {
    return this.#getOne('seshn_allocations', scope, id, this.#m.rowToAllocation);
  }
  async deleteAllocation(scope: Scope, id: string) {
    const result = await this.#db
      .deleteFrom('seshn_allocations')
      .where('organization_id', '=', scope.organizationId)
      .where('mode', '=', scope.mode)
      .where('id', '=', id)
      .executeTakeFirst();
    return num(result.numDeletedRows) > 0;
  }
  listAllocations(
    scope: Scope,
    filter: { resourceId?: string | undefined; from?: number | undefined; to?: number | undefined },
    page: PageParams,
  ) {
    let q = this.#scoped('seshn_allocations', scope);
    if (filter.resourceId) q = q.where('resource_id', '=', filter.resourceId);
    if (filter.to !== undefined) q = q.where('start_time', '<', this.#m.inst(filter.to));
    if (filter.from !== undefined) q = q.where('end_time', '>', this.#m.inst(filter.from));
    return this.#page(q, page, this.#m.rowToAllocation);
  }

  // ── contacts ─────────────────────────────────────────────────────────────
  insertContact(scope: Scope, c: ContactRecord) {
    return this.#insert('seshn_contacts', [this.#m.contactToRow(scope, c)]);
  }
  getContact(scope: Scope, id: string) {
    return this.#getOne('seshn_contacts', scope, id, this.#m.rowToContact);
  }
  updateContact(scope: Scope, c: ContactRecord) {
    return this.#update('seshn_contacts', scope, c.id, this.#m.contactToRow(scope, c));
  }
  listContacts(scope: Scope, page: PageParams) {
    return this.#page(this.#scoped('seshn_contacts', scope), page, this.#m.rowToContact);
  }
  async findContacts(
    scope: Scope,
    query: { email?: string | undefined; query?: string | undefined },
    limit: number,
  ) {
    let q = this.#scoped('seshn_contacts', scope);
    if (query.email !== undefined) q = q.where('email_lower', '=', query.email.toLowerCase());
    if (query.query !== undefined) {
      // LIKE wildcards in user input are escaped so a search for "50%" means that text. The
      // escape character is `!`, not a backslash: a backslash literal is spelled differently in
      // MySQL (where `\` escapes inside strings) than in SQLite and Postgres.
      const needle = `%${query.query.toLowerCase().replace(/[!%_]/g, (c) => `!${c}`)}%`;
      q = q.where((eb: ExpressionBuilder<SeshnDatabase, 'seshn_contacts'>) =>
        eb.or([
          eb(eb.fn('lower', ['name']), 'like', sql<string>`${needle} escape '!'`),
          eb('email_lower', 'like', sql<string>`${needle} escape '!'`),
          eb('phone', 'like', sql<string>`${needle} escape '!'`),
        ]),
      );
    }
    const rows = await q.orderBy('id', 'desc').limit(limit).execute();
    return rows.map(this.#m.rowToContact);
  }

  // ── bookings ─────────────────────────────────────────────────────────────
  getBooking(scope: Scope, id: string) {
    return this.#getOne('seshn_bookings', scope, id, this.#m.rowToBooking);
  }

  /** SQL for "the booking's effective status is one of `statuses` at `now`" (lapsed holds are expired). */
  #effectiveStatus(
    eb: ExpressionBuilder<SeshnDatabase, 'seshn_bookings'>,
    statuses: BookingStatus[],
    now: number,
  ): Expression<SqlBool> {
    const nowV = this.#m.inst(now);
    const parts: Expression<SqlBool>[] = [];
    const plain = statuses.filter((s) => s === 'confirmed' || s === 'cancelled');
    if (plain.length) parts.push(eb('status', 'in', plain));
    if (statuses.includes('held'))
      parts.push(eb.and([eb('status', '=', 'held'), eb('expires_at', '>', nowV)]));
    if (statuses.includes('expired')) {
      parts.push(eb('status', '=', 'expired'));
      parts.push(eb.and([eb('status', '=', 'held'), eb('expires_at', '<=', nowV)]));
    }
    return parts.length ? eb.or(parts) : sql<SqlBool>`1 = 0`;
  }

  listBookings(scope: Scope, filter: BookingFilter, page: PageParams) {
    let q = this.#scoped('seshn_bookings', scope);
    if (filter.contactId) q = q.where('contact_id', '=', filter.contactId);
    if (filter.serviceId) q = q.where('service_id', '=', filter.serviceId);
    if (filter.resourceId) q = q.where('resource_id', '=', filter.resourceId);
    if (filter.seriesId) q = q.where('series_id', '=', filter.seriesId);
    if (filter.to !== undefined) q = q.where('start_time', '<', this.#m.inst(filter.to));
    if (filter.from !== undefined) q = q.where('end_time', '>', this.#m.inst(filter.from));
    if (filter.statuses) {
      const statuses = filter.statuses;
      q = q.where((eb: ExpressionBuilder<SeshnDatabase, 'seshn_bookings'>) =>
        this.#effectiveStatus(eb, statuses, filter.now),
      );
    }
    return this.#page(q, page, this.#m.rowToBooking);
  }

  async updateBooking(scope: Scope, id: string, patch: BookingPatch, guard: BookingGuard) {
    const values: Record<string, unknown> = {};
    if (patch.status !== undefined) values.status = patch.status;
    if (patch.attendance !== undefined) values.attendance = patch.attendance;
    if (patch.expiresAt !== undefined) values.expires_at = this.#m.instOrNull(patch.expiresAt);
    if (patch.cancellationReason !== undefined) values.cancellation_reason = patch.cancellationReason;
    if (patch.cancelledAt !== undefined) values.cancelled_at = this.#m.instOrNull(patch.cancelledAt);
    if (patch.updatedAt !== undefined) values.updated_at = this.#m.inst(patch.updatedAt);
    if (patch.metadata !== undefined) values.metadata = JSON.stringify(patch.metadata);
    if (patch.notes !== undefined) values.notes = patch.notes;
    const result = await this.#db
      .updateTable('seshn_bookings')
      .set(values)
      .where('organization_id', '=', scope.organizationId)
      .where('mode', '=', scope.mode)
      .where('id', '=', id)
      .where((eb) => this.#effectiveStatus(eb, guard.statuses, guard.now))
      .$if(guard.notAttendance !== undefined, (q) => q.where('attendance', '<>', guard.notAttendance!))
      .executeTakeFirst()
      // The overlap constraint refusing the new row version (a hold confirmed with a stale `now`
      // after another booking took its lapsed time) means the transition must not happen.
      .catch((error: unknown) => (this.#isExclusionViolation(error) ? null : Promise.reject(error)));
    if (result === null || num(result.numUpdatedRows) === 0) return null;
    return this.getBooking(scope, id);
  }

  async #readOccupations(
    scope: Scope,
    resourceIds: string[],
    ranges: Range[],
    now: number,
  ): Promise<OccupationRecord[]> {
    if (resourceIds.length === 0 || ranges.length === 0) return [];
    const m = this.#m;
    const nowV = m.inst(now);
    const bookings = this.#db
      .selectFrom('seshn_bookings')
      .select([
        sql<string>`'booking'`.as('kind'),
        'id',
        'resource_id',
        'start_time as start',
        'end_time as end',
        'occupied_start',
        'occupied_end',
        sql<string | null>`slot_key`.as('slot_key'),
        'seats',
      ])
      .where('organization_id', '=', scope.organizationId)
      .where('mode', '=', scope.mode)
      .where('resource_id', 'in', resourceIds)
      .where((eb) =>
        eb.or(
          ranges.map((r) =>
            eb.and([eb('occupied_start', '<', m.inst(r.to)), eb('occupied_end', '>', m.inst(r.from))]),
          ),
        ),
      )
      .where((eb) =>
        eb.or([
          eb('status', '=', 'confirmed'),
          eb.and([eb('status', '=', 'held'), eb('expires_at', '>', nowV)]),
        ]),
      );
    const allocations = this.#db
      .selectFrom('seshn_allocations')
      .select([
        sql<string>`'allocation'`.as('kind'),
        'id',
        'resource_id',
        'start_time as start',
        'end_time as end',
        'start_time as occupied_start',
        'end_time as occupied_end',
        sql<string | null>`null`.as('slot_key'),
        sql<number>`0`.as('seats'),
      ])
      .where('organization_id', '=', scope.organizationId)
      .where('mode', '=', scope.mode)
      .where('resource_id', 'in', resourceIds)
      .where((eb) =>
        eb.or(
          ranges.map((r) =>
            eb.and([eb('start_time', '<', m.inst(r.to)), eb('end_time', '>', m.inst(r.from))]),
          ),
        ),
      );
    const rows = await bookings.unionAll(allocations).execute();
    return rows.map((row) => ({
      kind: row.kind === 'allocation' ? 'allocation' : 'booking',
      id: String(row.id),
      resourceId: String(row.resource_id),
      start: m.readInst(row.start),
      end: m.readInst(row.end),
      occupiedStart: m.readInst(row.occupied_start),
      occupiedEnd: m.readInst(row.occupied_end),
      slotKey: row.slot_key === null ? null : String(row.slot_key),
      seats: num(row.seats),
    }));
  }

  /**
   * What `reserve` checks against, with confirmed seats read per slot from `seshn_slot_seats`
   * (see slot-seats.ts) instead of per booking: one row per slot however many seats are sold.
   * Same-slot seats add up either way, so `checkReservation` sees the same totals; a slot row
   * names one of its bookings as its id. Live holds and allocations are read as before.
   */
  async #readSlotOccupations(
    scope: Scope,
    resourceIds: string[],
    ranges: Range[],
    now: number,
    ignoreIds: string[],
    withHolds = true,
  ): Promise<OccupationRecord[]> {
    if (resourceIds.length === 0 || ranges.length === 0) return [];
    const m = this.#m;
    // Values by position: scope, now, the resource ids, then each range's from and to.
    const values: unknown[] = [scope.organizationId, scope.mode, m.inst(now), ...resourceIds];
    for (const r of ranges) values.push(m.inst(r.from), m.inst(r.to));
    const query = this.#t.query(`slot-occupations:${resourceIds.length}:${ranges.length}`, values, (v) => {
      // biome-ignore lint/suspicious/noExplicitAny: three tables share one column list (like #scoped).
      const db = this.#db as Kysely<any>;
      const rangeAt = 3 + resourceIds.length;
      const overlapping = (eb: AnyExpressionBuilder, start: string, end: string) =>
        eb.or(
          ranges.map((_, i) =>
            eb.and([eb(start, '<', v(rangeAt + 2 * i + 1)), eb(end, '>', v(rangeAt + 2 * i))]),
          ),
        );
      const columns = (
        kind: string,
        id: string,
        start: string,
        end: string,
        occStart: string,
        occEnd: string,
      ) => [
        sql.lit(kind).as('kind'),
        sql.ref(id).as('id'),
        'resource_id',
        sql.ref(start).as('start'),
        sql.ref(end).as('end'),
        sql.ref(occStart).as('occupied_start'),
        sql.ref(occEnd).as('occupied_end'),
      ];
      // biome-ignore lint/suspicious/noExplicitAny: see above
      const scoped = (q: any) =>
        q
          .where('organization_id', '=', v(0))
          .where('mode', '=', v(1))
          .where(
            'resource_id',
            'in',
            resourceIds.map((_, i) => v(3 + i)),
          );
      const confirmed = scoped(
        db
          .selectFrom('seshn_slot_seats')
          .select([
            ...columns('slot', 'booking_id', 'start_time', 'end_time', 'occupied_start', 'occupied_end'),
            'slot_key',
            'seats',
          ]),
      ).where((eb: AnyExpressionBuilder) => overlapping(eb, 'occupied_start', 'occupied_end'));
      const held = scoped(
        db
          .selectFrom('seshn_bookings')
          .select([
            ...columns('booking', 'id', 'start_time', 'end_time', 'occupied_start', 'occupied_end'),
            'slot_key',
            'seats',
          ]),
      )
        // A literal, not a parameter: an index may be partial on it (see slot-seats.ts).
        .where('status', '=', sql.lit('held'))
        .where('expires_at', '>', v(2))
        .where((eb: AnyExpressionBuilder) => overlapping(eb, 'occupied_start', 'occupied_end'));
      const allocations = scoped(
        db
          .selectFrom('seshn_allocations')
          .select([
            ...columns('allocation', 'id', 'start_time', 'end_time', 'start_time', 'end_time'),
            sql<string | null>`null`.as('slot_key'),
            sql<number>`0`.as('seats'),
          ]),
      ).where((eb: AnyExpressionBuilder) => overlapping(eb, 'start_time', 'end_time'));
      return confirmed.unionAll(held).unionAll(allocations);
    });
    const { rows } = await this.#db.executeQuery<Record<string, unknown>>(query);
    const occupations: OccupationRecord[] = [];
    const slots: OccupationRecord[] = [];
    for (const row of rows) {
      const o: OccupationRecord = {
        kind: row.kind === 'allocation' ? 'allocation' : 'booking',
        id: String(row.id),
        resourceId: String(row.resource_id),
        start: m.readInst(row.start),
        end: m.readInst(row.end),
        occupiedStart: m.readInst(row.occupied_start),
        occupiedEnd: m.readInst(row.occupied_end),
        slotKey: row.slot_key === null ? null : String(row.slot_key),
        seats: num(row.seats),
      };
      if (row.kind === 'slot') slots.push(o);
      else if (o.kind === 'booking' && (!withHolds || ignoreIds.includes(o.id))) continue;
      else occupations.push(o);
    }
    if (ignoreIds.length > 0 && slots.length > 0) {
      // An ignored confirmed booking (the one being rescheduled) is inside its slot's count:
      // take its seats out of that slot.
      const ignored = await this.#db
        .selectFrom('seshn_bookings')
        .select(['id', 'resource_id', 'slot_key', 'occupied_start', 'occupied_end', 'seats'])
        .where('organization_id', '=', scope.organizationId)
        .where('mode', '=', scope.mode)
        .where('id', 'in', ignoreIds)
        .where('status', '=', 'confirmed')
        .execute();
      for (const b of ignored) {
        const slot = slots.find(
          (o) =>
            o.resourceId === b.resource_id &&
            o.slotKey === b.slot_key &&
            o.occupiedStart === m.readInst(b.occupied_start) &&
            o.occupiedEnd === m.readInst(b.occupied_end),
        );
        if (slot) slot.seats -= num(b.seats);
      }
      for (const slot of slots) {
        if (slot.seats <= 0 || !ignoreIds.includes(slot.id)) continue;
        // The slot's named booking is the one being moved: name another (for `withId`).
        const other = await this.#db
          .selectFrom('seshn_bookings')
          .select('id')
          .where('organization_id', '=', scope.organizationId)
          .where('mode', '=', scope.mode)
          .where('resource_id', '=', slot.resourceId)
          .where('slot_key', '=', slot.slotKey ?? '')
          .where('status', '=', 'confirmed')
          .where('id', 'not in', ignoreIds)
          .limit(1)
          .executeTakeFirst();
        if (other) slot.id = other.id;
      }
    }
    for (const slot of slots) if (slot.seats > 0) occupations.push(slot);
    return occupations;
  }

  listOccupations(scope: Scope, resourceIds: string[], from: number, to: number, now: number) {
    return this.#readOccupations(scope, resourceIds, [{ from, to }], now);
  }

  async reserve(scope: Scope, request: ReserveRequest): Promise<ReserveResult> {
    if (!this.#inTransaction) return this.#runTransaction((tx) => tx.reserve(scope, request));
    const resourceIds = [...new Set(request.items.map((i) => i.booking.resourceId))].sort();
    await this.#lockResources(scope, resourceIds);
    // The clock is read only now: a writer that waited for the lock judges holds as of the moment
    // it may act, not as of before the wait.
    const now = resolveNow(request.now);
    const ranges = request.items.map((i) => ({ from: i.booking.occupiedStart, to: i.booking.occupiedEnd }));
    const occupations = await this.#liveOccupations(
      scope,
      resourceIds,
      ranges,
      now,
      request.ignoreBookingIds ?? [],
    );
    const verdict = checkReservation(request.items, occupations);
    const policy = request.policy ?? 'all';
    if (verdict.conflicts.length > 0 && (policy === 'all' || verdict.accepted.length === 0)) {
      return { ok: false, conflicts: verdict.conflicts };
    }
    const bookings = verdict.accepted.map((i) => request.items[i]!.booking);
    try {
      if (request.replaceExisting)
        return {
          ok: true,
          bookings: await this.#move(scope, bookings, now),
          skipped: verdict.conflicts,
        };
      await this.#insert(
        'seshn_bookings',
        bookings.map((b) => this.#m.bookingToRow(scope, b)),
      );
    } catch (error) {
      if (!this.#isExclusionViolation(error)) throw error;
      // The database's own overlap constraint disagreed with the check above: report every
      // accepted item as a conflict (nothing was written; the transaction is aborted).
      const refused = verdict.accepted.map((index) => ({ index, reason: 'conflict' as const }));
      return {
        ok: false,
        conflicts: [...verdict.conflicts, ...refused].sort((a, b) => a.index - b.index),
      };
    }
    return { ok: true, bookings, skipped: verdict.conflicts };
  }

  /**
   * Every write that makes seats live queues on its resources' rows, always locked in id order so
   * two multi-resource writers cannot deadlock. SQLite needs none: BEGIN IMMEDIATE holds the
   * database's single write lock for the whole transaction.
   */
  async #lockResources(scope: Scope, resourceIds: string[]): Promise<void> {
    if (!this.#p.capabilities.rowLocks || resourceIds.length === 0) return;
    await this.#db
      .selectFrom('seshn_resources')
      .select('id')
      .where('organization_id', '=', scope.organizationId)
      .where('mode', '=', scope.mode)
      .where('id', 'in', [...resourceIds].sort())
      .orderBy('id')
      .forUpdate()
      .execute();
  }

  /**
   * Live occupations `reserve` and `confirm` check against, without the bookings in `ignore`;
   * without other holds when `withHolds` is false (where the slot-seat table tells them apart).
   */
  async #liveOccupations(
    scope: Scope,
    resourceIds: string[],
    ranges: Range[],
    now: number,
    ignore: string[],
    withHolds = true,
  ): Promise<OccupationRecord[]> {
    return this.#p.slotSeatsSql !== undefined
      ? this.#readSlotOccupations(scope, resourceIds, ranges, now, ignore, withHolds)
      : (await this.#readOccupations(scope, resourceIds, ranges, now)).filter(
          (o) => !(o.kind === 'booking' && ignore.includes(o.id)),
        );
  }

  async #getBookings(scope: Scope, ids: string[]): Promise<BookingRecord[]> {
    if (ids.length === 0) return [];
    const rows = await this.#scoped('seshn_bookings', scope).where('id', 'in', ids).execute();
    return rows.map(this.#m.rowToBooking);
  }

  async confirm(scope: Scope, request: ConfirmRequest): Promise<ConfirmResult> {
    if (!this.#inTransaction) return this.#runTransaction((tx) => tx.confirm(scope, request));
    const ids = [...new Set(request.items.map((i) => i.bookingId))];
    let bookings = await this.#getBookings(scope, ids);
    // Lock the resources the bookings are on, then read them again: a reschedule that committed
    // while this one waited may have moved one to a resource not locked yet (then lock that too).
    const locked = new Set<string>();
    for (;;) {
      const missing = [...new Set(bookings.map((b) => b.resourceId))].filter((r) => !locked.has(r));
      if (missing.length === 0) break;
      await this.#lockResources(scope, missing);
      for (const r of missing) locked.add(r);
      if (this.#p.capabilities.rowLocks) bookings = await this.#getBookings(scope, ids);
    }
    const now = resolveNow(request.now);
    const byId = new Map(bookings.map((b) => [b.id, b]));
    const refused: ConfirmResult['refused'] = [];
    const holds: ReserveItem[] = [];
    for (const item of request.items) {
      const b = byId.get(item.bookingId);
      if (!b) {
        refused.push({ booking: { id: item.bookingId } as BookingRecord, reason: 'not_found' });
      } else if (b.status !== 'held' || b.expiresAt === null || b.expiresAt <= now) {
        refused.push({ booking: b, reason: 'not_held' });
      } else {
        holds.push({ booking: b, capacity: item.capacity });
      }
    }
    if (holds.length > 0) {
      const resourceIds = [...new Set(holds.map((h) => h.booking.resourceId))].sort();
      const ranges = holds.map((h) => ({ from: h.booking.occupiedStart, to: h.booking.occupiedEnd }));
      // Against what is sold (confirmed seats), not against other holds: a hold was counted
      // against every live hold when it was taken, and each of them meets this check when it is
      // confirmed in turn, so confirmed seats never exceed the slot even when clocks disagree.
      const occupations = (await this.#liveOccupations(scope, resourceIds, ranges, now, ids, false)).filter(
        (o) => o.kind !== 'allocation',
      );
      for (const c of checkReservation(holds, occupations).conflicts) {
        refused.push({ booking: holds[c.index]!.booking, reason: 'seats_taken', conflict: c });
      }
    }
    if (refused.length > 0) return { now, confirmed: [], refused };
    const updatedAt = this.#m.inst(request.updatedAt ?? now);
    const nowV = this.#m.inst(now);
    const written = await this.#db
      .updateTable('seshn_bookings')
      .set({ status: 'confirmed', expires_at: null, updated_at: updatedAt })
      .where('organization_id', '=', scope.organizationId)
      .where('mode', '=', scope.mode)
      .where('id', 'in', ids)
      .where('status', '=', 'held')
      .where('expires_at', '>', nowV)
      .execute()
      // The database's own overlap constraint disagreeing with the check above: refuse them all.
      .catch((error: unknown) => (this.#isExclusionViolation(error) ? null : Promise.reject(error)));
    if (written === null) {
      return {
        now,
        confirmed: [],
        refused: holds.map((h) => ({ booking: h.booking, reason: 'seats_taken' })),
      };
    }
    const confirmed = await this.#getBookings(scope, ids);
    return { now, confirmed, refused: [] };
  }

  async expireHolds(scope: Scope, ids: string[], now: number): Promise<BookingRecord[]> {
    if (ids.length === 0) return [];
    if (!this.#inTransaction) return this.#runTransaction((tx) => tx.expireHolds(scope, ids, now));
    const nowV = this.#m.inst(now);
    const lapsed = (await this.#getBookings(scope, ids)).filter(
      (b) => b.status === 'held' && b.expiresAt !== null && b.expiresAt <= now,
    );
    if (lapsed.length === 0) return [];
    // Guarded again in SQL: of two writers observing the same lapse, exactly one changes the row.
    const changed: BookingRecord[] = [];
    for (const b of lapsed) {
      const result = await this.#db
        .updateTable('seshn_bookings')
        .set({ status: 'expired', updated_at: nowV })
        .where('organization_id', '=', scope.organizationId)
        .where('mode', '=', scope.mode)
        .where('id', '=', b.id)
        .where('status', '=', 'held')
        .where('expires_at', '<=', nowV)
        .executeTakeFirst();
      if (num(result.numUpdatedRows) > 0) changed.push({ ...b, status: 'expired', updatedAt: now });
    }
    return changed;
  }

  #isExclusionViolation(error: unknown): boolean {
    const check = this.#p.isExclusionViolation;
    return check !== undefined && errorChain(error).some((e) => check(e));
  }

  /** Rewrites the slot of live bookings in place (reschedule); returns those that were still live. */
  async #move(scope: Scope, bookings: BookingRecord[], now: number): Promise<BookingRecord[]> {
    const moved: BookingRecord[] = [];
    for (const b of bookings) {
      const row = this.#m.bookingToRow(scope, b);
      const result = await this.#db
        .updateTable('seshn_bookings')
        .set({
          resource_id: row.resource_id,
          slot_key: row.slot_key,
          start_time: row.start_time,
          end_time: row.end_time,
          occupied_start: row.occupied_start,
          occupied_end: row.occupied_end,
          price_amount: row.price_amount,
          price_currency: row.price_currency,
          updated_at: row.updated_at,
        })
        .where('organization_id', '=', scope.organizationId)
        .where('mode', '=', scope.mode)
        .where('id', '=', b.id)
        .where((eb) => this.#effectiveStatus(eb, ['held', 'confirmed'], now))
        .executeTakeFirst();
      if (num(result.numUpdatedRows) > 0) moved.push(b);
    }
    return moved;
  }

  // ── series ───────────────────────────────────────────────────────────────
  insertSeries(scope: Scope, s: BookingSeriesRecord) {
    return this.#insert('seshn_booking_series', [this.#m.seriesToRow(scope, s)]);
  }
  async getSeries(scope: Scope, id: string, options: { lock?: boolean } = {}) {
    // Without row locks (SQLite) the transaction's write lock already serialises writers.
    if (!options.lock || !this.#p.capabilities.rowLocks) {
      return this.#getOne('seshn_booking_series', scope, id, this.#m.rowToSeries);
    }
    const row = await this.#scoped('seshn_booking_series', scope)
      .where('id', '=', id)
      .forUpdate()
      .executeTakeFirst();
    return row ? this.#m.rowToSeries(row) : null;
  }
  updateSeries(scope: Scope, s: BookingSeriesRecord) {
    return this.#update('seshn_booking_series', scope, s.id, this.#m.seriesToRow(scope, s));
  }
  listSeries(scope: Scope, filter: { contactId?: string | undefined }, page: PageParams) {
    let q = this.#scoped('seshn_booking_series', scope);
    if (filter.contactId) q = q.where('contact_id', '=', filter.contactId);
    return this.#page(q, page, this.#m.rowToSeries);
  }

  // ── outbox and idempotency ───────────────────────────────────────────────
  insertEvents(scope: Scope, events: EventRecord[]) {
    if (events.length === 0) return Promise.resolve();
    // One serialization per distinct payload object: a booking's created/confirmed pair shares one.
    const serialized = new Map<unknown, string>();
    const jsonOf = (data: unknown) => {
      let text = serialized.get(data);
      if (text === undefined) {
        text = JSON.stringify(data ?? {});
        serialized.set(data, text);
      }
      return text;
    };
    return this.#insert(
      'seshn_events',
      events.map((e) => this.#m.eventToRow(scope, e, jsonOf(e.data))),
    );
  }
  getEvent(scope: Scope, id: string) {
    return this.#getOne('seshn_events', scope, id, this.#m.rowToEvent);
  }
  listEvents(scope: Scope, filter: { type?: string | undefined }, page: PageParams) {
    let q = this.#scoped('seshn_events', scope);
    if (filter.type) q = q.where('type', '=', filter.type);
    return this.#page(q, page, this.#m.rowToEvent);
  }

  async claimEvents(request: {
    now: number;
    limit: number;
    leaseMs: number;
    owner: string;
  }): Promise<ClaimedEvent[]> {
    if (!this.#inTransaction) return this.#runTransaction((tx) => tx.claimEvents(request));
    const now = this.#m.inst(request.now);
    let candidates = this.#db
      .selectFrom('seshn_events')
      .select('id')
      .where('dispatched_at', 'is', null)
      .where((eb) => eb.or([eb('lease_until', 'is', null), eb('lease_until', '<=', now)]))
      .orderBy('id')
      .limit(request.limit);
    // Workers skip rows another worker is leasing right now instead of queueing behind it.
    // Without row locks (SQLite) the transaction's write lock already makes claims exclusive.
    if (this.#p.capabilities.rowLocks) candidates = candidates.forUpdate();
    if (this.#p.capabilities.skipLocked) candidates = candidates.skipLocked();
    const ids = (await candidates.execute()).map((r) => r.id);
    if (ids.length === 0) return [];
    await this.#db
      .updateTable('seshn_events')
      .set({ lease_until: this.#m.inst(request.now + request.leaseMs), lease_owner: request.owner })
      .where('id', 'in', ids)
      .execute();
    const rows = await this.#db
      .selectFrom('seshn_events')
      .selectAll()
      .where('id', 'in', ids)
      .orderBy('id')
      .execute();
    return rows.map((row) => ({
      ...this.#m.rowToEvent(row),
      scope: { organizationId: row.organization_id, mode: row.mode as Scope['mode'] },
    }));
  }

  async markEventsDispatched(owner: string, ids: string[], now: number): Promise<number> {
    if (ids.length === 0) return 0;
    const result = await this.#db
      .updateTable('seshn_events')
      .set({ dispatched_at: this.#m.inst(now), lease_until: null })
      .where('id', 'in', ids)
      .where('lease_owner', '=', owner)
      .where('dispatched_at', 'is', null)
      .executeTakeFirst();
    return num(result.numUpdatedRows);
  }

  async getIdempotencyKey(scope: Scope, key: string): Promise<IdempotencyRecord | null> {
    const row = await this.#db
      .selectFrom('seshn_idempotency_keys')
      .selectAll()
      .where('organization_id', '=', scope.organizationId)
      .where('mode', '=', scope.mode)
      .where('idem_key', '=', key)
      .executeTakeFirst();
    if (!row) return null;
    return {
      key: row.idem_key,
      operation: row.operation,
      fingerprint: row.fingerprint,
      resultId: row.result_id,
      createdAt: this.#m.readInst(row.created_at),
    };
  }

  async insertIdempotencyKey(scope: Scope, r: IdempotencyRecord): Promise<boolean> {
    const values = {
      organization_id: scope.organizationId,
      mode: scope.mode,
      idem_key: r.key,
      operation: r.operation,
      fingerprint: r.fingerprint,
      result_id: r.resultId,
      created_at: this.#m.inst(r.createdAt),
    };
    // A duplicate key must not abort the surrounding transaction (Postgres would), so the insert
    // skips instead of failing and the row count says who won.
    const base = this.#db.insertInto('seshn_idempotency_keys').values(values);
    const query =
      this.#p.conflictStyle === 'insert_ignore'
        ? base.ignore()
        : base.onConflict((oc) => oc.columns(['organization_id', 'mode', 'idem_key']).doNothing());
    const result = await query.executeTakeFirst();
    return num(result.numInsertedOrUpdatedRows ?? 0) > 0;
  }
}
