/**
 * Every record of a list, read page by page: for the engine's own sweeps (a series' bookings,
 * a contact's entitlements, a slot's queue, the services of a scope), never for an API answer,
 * which pages for its caller.
 * @module
 */
import type { RecordFilters, RecordKind, RecordTypes, Scope, SeshnStore } from '../ports/adapter.js';

/** All the records of `kind` that `filter` selects, in the store's list order (newest first). */
export async function listAll<K extends RecordKind>(
  store: Pick<SeshnStore, 'list'>,
  kind: K,
  scope: Scope,
  filter: RecordFilters[K],
  pageSize = 100,
): Promise<RecordTypes[K][]> {
  const out: RecordTypes[K][] = [];
  let startingAfter: string | undefined;
  for (;;) {
    const page = await store.list(kind, scope, filter, { limit: pageSize, startingAfter });
    out.push(...page.data);
    if (!page.hasMore || page.data.length === 0) return out;
    startingAfter = (page.data[page.data.length - 1] as { id: string }).id;
  }
}
