/**
 * The SQL store: core's `SeshnStore` written once on Kysely for every dialect, one file per
 * aggregate — records.ts (the generic record store), bookings.ts (the primitives that carry the
 * invariant, over locks.ts, occupations.ts and slot-seats.ts), idempotency.ts, requests.ts (the
 * HTTP idempotency responses), outbox.ts, ledger.ts (the credit ledger's primitives),
 * waitlist.ts (queues under the lock protocol), work.ts (the background runner's discovery and
 * claims). This class only binds them to a {@link StoreContext} (the pool, or one transaction).
 * @module
 */
import type {
  AccountOpen,
  ArchivableKind,
  AttendanceRequest,
  ClaimRequest,
  ConfirmRequest,
  DueWorkRequest,
  EventRecord,
  IdempotencyRecord,
  MarkNoShowsRequest,
  MoveRequest,
  PageParams,
  PostTransfersRequest,
  ReadQueuesRequest,
  RecordFilters,
  RecordKind,
  RecordTypes,
  ReleaseRequest,
  RemovableKind,
  RequestClaim,
  ReserveRequest,
  Scope,
  SeshnStore,
  SettleRequest,
  WritableKind,
} from '@seshn/core';
import * as bookings from './bookings.js';
import type { StoreContext } from './context.js';
import * as idempotency from './idempotency.js';
import * as ledger from './ledger.js';
import * as outbox from './outbox.js';
import * as records from './records.js';
import * as requests from './requests.js';
import * as waitlist from './waitlist.js';
import * as work from './work.js';

export { type ContextRunner, type StoreContext, storeContext } from './context.js';
export { RECORD_TABLES, type RecordTable } from './records.js';

export class SqlStore implements SeshnStore {
  readonly #cx: StoreContext;

  constructor(cx: StoreContext) {
    this.#cx = cx;
  }

  // ── records ──────────────────────────────────────────────────────────────
  insert<K extends WritableKind>(kind: K, scope: Scope, record: RecordTypes[K]) {
    return records.insertRecord(this.#cx, kind, scope, record);
  }
  get<K extends RecordKind>(kind: K, scope: Scope, id: string, options?: { lock?: boolean }) {
    return records.getRecord(this.#cx, kind, scope, id, options);
  }
  getMany<K extends RecordKind>(kind: K, scope: Scope, ids: string[]) {
    return records.getRecords(this.#cx, kind, scope, ids);
  }
  update<K extends WritableKind>(kind: K, scope: Scope, record: RecordTypes[K]) {
    return records.updateRecord(this.#cx, kind, scope, record);
  }
  list<K extends RecordKind>(kind: K, scope: Scope, filter: RecordFilters[K], page: PageParams) {
    return records.listRecords(this.#cx, kind, scope, filter, page);
  }
  archive<K extends ArchivableKind>(kind: K, scope: Scope, id: string, at: number) {
    return records.archiveRecord(this.#cx, kind, scope, id, at);
  }
  remove<K extends RemovableKind>(kind: K, scope: Scope, id: string) {
    return records.removeRecord(this.#cx, kind, scope, id);
  }

  // ── booking primitives ───────────────────────────────────────────────────
  listOccupations(scope: Scope, resourceIds: string[], from: number, to: number, now: number) {
    return bookings.listOccupations(this.#cx, scope, resourceIds, from, to, now);
  }
  reserve(scope: Scope, request: ReserveRequest) {
    return bookings.reserve(this.#cx, scope, request);
  }
  move(scope: Scope, request: MoveRequest) {
    return bookings.move(this.#cx, scope, request);
  }
  confirm(scope: Scope, request: ConfirmRequest) {
    return bookings.confirm(this.#cx, scope, request);
  }
  release(scope: Scope, request: ReleaseRequest) {
    return bookings.release(this.#cx, scope, request);
  }
  setAttendance(scope: Scope, request: AttendanceRequest) {
    return bookings.setAttendance(this.#cx, scope, request);
  }

  // ── idempotency ──────────────────────────────────────────────────────────
  getIdempotencyKey(scope: Scope, key: string) {
    return idempotency.getIdempotencyKey(this.#cx, scope, key);
  }
  claimIdempotencyKey(scope: Scope, record: IdempotencyRecord) {
    return idempotency.claimIdempotencyKey(this.#cx, scope, record);
  }

  // ── HTTP idempotency responses ───────────────────────────────────────────
  beginRequest(scope: Scope, claim: RequestClaim) {
    return requests.beginRequest(this.#cx, scope, claim);
  }
  finishRequest(scope: Scope, result: { key: string; status: number; body: string; now: number }) {
    return requests.finishRequest(this.#cx, scope, result);
  }
  abandonRequest(scope: Scope, request: { key: string }) {
    return requests.abandonRequest(this.#cx, scope, request);
  }

  // ── tenancy ──────────────────────────────────────────────────────────────
  findApiKey(hash: string) {
    return records.findApiKey(this.#cx, hash);
  }

  // ── outbox ───────────────────────────────────────────────────────────────
  enqueue(scope: Scope, events: EventRecord[]) {
    return outbox.enqueue(this.#cx, scope, events);
  }
  claim(request: ClaimRequest) {
    return outbox.claim(this.#cx, request);
  }
  settle(request: SettleRequest) {
    return outbox.settle(this.#cx, request);
  }

  // ── ledger ───────────────────────────────────────────────────────────────
  openAccounts(scope: Scope, accounts: AccountOpen[]) {
    return ledger.openAccounts(this.#cx, scope, accounts);
  }
  postTransfers(scope: Scope, request: PostTransfersRequest) {
    return ledger.postTransfers(this.#cx, scope, request);
  }
  getBalances(scope: Scope, request: { accountIds: string[]; now: number }) {
    return ledger.getBalances(this.#cx, scope, request);
  }

  // ── waitlist ─────────────────────────────────────────────────────────────
  readQueues(scope: Scope, request: ReadQueuesRequest) {
    return waitlist.readQueues(this.#cx, scope, request);
  }

  // ── background work ──────────────────────────────────────────────────────
  findDueWork(scope: Scope, request: DueWorkRequest) {
    return work.findDueWork(this.#cx, scope, request);
  }
  tryLockResources(scope: Scope, resourceIds: string[]) {
    return work.tryLockResources(this.#cx, scope, resourceIds);
  }
  markNoShows(scope: Scope, request: MarkNoShowsRequest) {
    return work.markNoShows(this.#cx, scope, request);
  }
}
