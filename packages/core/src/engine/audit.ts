/**
 * The audit log, written in the transaction of each change. A handle with an actor (an API key
 * through `withPrincipal`, a user through `withActor`) runs each operation on an adapter wrapped
 * here: every transaction that writes something also inserts one audit entry before it commits
 * (actor, action = the operation, target, request id, the target before and after), and a lone
 * write outside a transaction is wrapped in one with its entry. A rolled-back change leaves no
 * entry; an entry never exists without its change.
 * @module
 */
import type { RecordKind, Scope, SeshnAdapter, SeshnStore } from '../ports/adapter.js';
import type { IdGenerator } from '../ports/ids.js';
import { toIso } from '../time/zone.js';
import type { AuditActor } from './principal.js';

export interface AuditSetup {
  /** The scope the entries are written in (the handle's). */
  scope: Scope;
  actor: AuditActor;
  action: string;
  requestId: string | null;
  ids: IdGenerator;
  now: () => number;
}

interface Target {
  kind: RecordKind;
  scope: Scope;
  id: string;
  /** Created by this write: there is nothing before it. */
  isNew: boolean;
}

type Args = readonly unknown[];
type First = { items?: { booking?: { id: string }; bookingId?: string }[]; bookingIds?: string[] };

/** The record a write changes, or `null` when it changes no record of its own (events, keys). */
const TARGETS: Record<string, (args: Args) => Target | null> = {
  insert: ([kind, scope, record]) => ({
    kind: kind as RecordKind,
    scope: scope as Scope,
    id: (record as { id: string }).id,
    isNew: true,
  }),
  update: ([kind, scope, record]) => ({
    kind: kind as RecordKind,
    scope: scope as Scope,
    id: (record as { id: string }).id,
    isNew: false,
  }),
  archive: ([kind, scope, id]) => ({
    kind: kind as RecordKind,
    scope: scope as Scope,
    id: id as string,
    isNew: false,
  }),
  remove: ([kind, scope, id]) => ({
    kind: kind as RecordKind,
    scope: scope as Scope,
    id: id as string,
    isNew: false,
  }),
  reserve: ([scope, r]) => booking(scope, (r as First).items?.[0]?.booking?.id, true),
  move: ([scope, r]) => booking(scope, (r as First).items?.[0]?.booking?.id, false),
  confirm: ([scope, r]) => booking(scope, (r as First).items?.[0]?.bookingId, false),
  release: ([scope, r]) => booking(scope, (r as First).bookingIds?.[0], false),
  setAttendance: ([scope, r]) => booking(scope, (r as { bookingId?: string }).bookingId, false),
  markNoShows: ([scope, r]) => booking(scope, (r as First).bookingIds?.[0], false),
  enqueue: () => null,
  claimIdempotencyKey: () => null,
  // Ledger writes (an expiry that moves credits and changes no record) are audited too.
  postTransfers: () => null,
  openAccounts: () => null,
};

function booking(scope: unknown, id: string | undefined, isNew: boolean): Target | null {
  return id === undefined ? null : { kind: 'booking', scope: scope as Scope, id, isNew };
}

const INSTANT_FIELD = /(At|Time)$|^occupied(Start|End)$/;

/** A record as the audit log shows it: instants as ISO strings, secrets' hashes left out. */
export function auditSummary(record: unknown): Record<string, unknown> | null {
  if (record === null || record === undefined || typeof record !== 'object') return null;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(record as Record<string, unknown>)) {
    if (key === 'hash') continue;
    out[key] = typeof value === 'number' && INSTANT_FIELD.test(key) ? toIso(value) : value;
  }
  return out;
}

/** One transaction's audit: whether it wrote, what, and the target as it was before. */
class Tracker {
  wrote = false;
  target: Target | null = null;
  before: unknown = null;

  constructor(
    private readonly tx: SeshnStore,
    private readonly setup: AuditSetup,
  ) {}

  async beforeWrite(method: string, args: Args): Promise<void> {
    const targetOf = TARGETS[method];
    if (!targetOf) return;
    if (method === 'insert' && args[0] === 'audit') return;
    this.wrote = true;
    if (this.target) return;
    const target = targetOf(args);
    if (!target) return;
    this.target = target;
    if (!target.isNew) this.before = await this.tx.get(target.kind, target.scope, target.id);
  }

  /** Inserts the transaction's entry (when it wrote anything), just before it commits. */
  async finish(): Promise<void> {
    if (!this.wrote) return;
    const { tx, setup, target } = this;
    const after = target ? await tx.get(target.kind, target.scope, target.id) : null;
    await tx.insert('audit', setup.scope, {
      id: setup.ids('aud'),
      actorType: setup.actor.type,
      actorId: setup.actor.id,
      action: setup.action,
      targetId: target?.id ?? null,
      requestId: setup.requestId,
      before: auditSummary(this.before),
      after: auditSummary(after),
      createdAt: setup.now(),
    });
  }
}

/** `tx` with every write reported to `tracker` first. */
function trackedStore(tx: SeshnStore, tracker: Tracker): SeshnStore {
  return new Proxy(tx, {
    get(target, prop, receiver) {
      const value = Reflect.get(target, prop, receiver);
      if (typeof value !== 'function' || typeof prop !== 'string' || !(prop in TARGETS)) return value;
      return async (...args: unknown[]) => {
        await tracker.beforeWrite(prop, args);
        return (value as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  });
}

/**
 * `adapter` with the audit of `setup`: transactions that write insert their entry before they
 * commit; a lone write runs in a transaction of its own with its entry.
 */
export function auditedAdapter(adapter: SeshnAdapter, setup: AuditSetup): SeshnAdapter {
  const run = <T>(fn: (tx: SeshnStore) => Promise<T>): Promise<T> =>
    adapter.transaction(async (tx) => {
      // A new tracker per attempt: a retried transaction starts over.
      const tracker = new Tracker(tx, setup);
      const result = await fn(trackedStore(tx, tracker));
      await tracker.finish();
      return result;
    });
  return new Proxy(adapter, {
    get(target, prop, receiver) {
      if (prop === 'transaction') return run;
      const value = Reflect.get(target, prop, receiver);
      if (typeof value !== 'function' || typeof prop !== 'string' || !(prop in TARGETS)) return value;
      return (...args: unknown[]) =>
        run((tx) => (tx as unknown as Record<string, (...a: unknown[]) => Promise<unknown>>)[prop]!(...args));
    },
  });
}
