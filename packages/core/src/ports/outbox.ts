/**
 * The transactional outbox: events appended in the transaction of the change they describe
 * (`enqueue`), and delivered by consumers that `claim` and `settle` deliveries.
 *
 * A delivery is one (consumer, event) pair with its own lease, attempt count and settled instant;
 * the event row itself is never leased. So one event fans out to any number of consumers (a
 * worker pool today, each webhook endpoint later), each with its own progress, and a claim is
 * always scoped: to one consumer, and optionally to one tenant scope.
 * @module
 */
import type { EventRecord, Scope } from './records.js';

/** A delivery leased to a consumer's worker, with the tenant the event belongs to. */
export interface ClaimedEvent extends EventRecord {
  scope: Scope;
  /** 1 on the first claim of this delivery, 2 on the first retry, … */
  attempt: number;
}

export interface ClaimRequest {
  /** Whose deliveries: each consumer gets every event once (e.g. `webhooks:we_123`). */
  consumer: string;
  /** The worker taking the lease; only it can settle what it claimed. */
  owner: string;
  now: number;
  limit: number;
  /** The lease: an unsettled delivery is claimable again at `now + leaseMs`. */
  leaseMs: number;
  /** Only events of this scope (e.g. one organization's test mode); every scope when absent. */
  scope?: Scope | undefined;
}

export interface SettleRequest {
  consumer: string;
  /** Only deliveries still leased to this owner are settled. */
  owner: string;
  eventIds: string[];
  now: number;
  /**
   * Absent: delivered, never claimed again by this consumer. Set: not delivered — the lease is
   * given up and the delivery is claimable again from this instant (a retry with backoff).
   */
  retryAt?: number | undefined;
}

export interface OutboxStore {
  /** Appends events to the outbox, in the caller's transaction. */
  enqueue(scope: Scope, events: EventRecord[]): Promise<void>;
  /**
   * Leases up to `limit` of the consumer's undelivered events, oldest first, to `owner` until
   * `now + leaseMs`. Concurrent claimers of one consumer get disjoint events; a lease that ran
   * out (a crashed worker) makes its events claimable again, so events are delayed, never lost.
   */
  claim(request: ClaimRequest): Promise<ClaimedEvent[]>;
  /** Settles claimed deliveries (delivered, or released for a retry); returns how many changed. */
  settle(request: SettleRequest): Promise<number>;
}
