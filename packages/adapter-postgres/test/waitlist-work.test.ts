/**
 * The SQL store's waitlist and background-work methods on a scratch Postgres database: the cases
 * of packages/sql/test/waitlist-work-cases.ts, including those where a second connection holds a
 * row lock (`FOR UPDATE SKIP LOCKED` skips it instead of waiting).
 */
import { openScratchDatabase } from '@seshn/testing';
import pg from 'pg';
import { it } from 'vitest';
import { waitlistWorkCases } from '../../sql/test/waitlist-work-cases.js';
import { postgresAdapter } from '../src/index.js';

const db = await openScratchDatabase('postgres', pg);

if (!db) {
  it('postgres server unavailable locally — skipped (set CI=true to fail)', () => undefined);
} else {
  const adapter = postgresAdapter({ connectionString: db.url, poolSize: 6 });
  waitlistWorkCases('postgres', {
    rowLocks: true,
    open: async () => {
      await adapter.migrate();
      return adapter;
    },
    close: async () => {
      await adapter.close();
      await db.drop();
    },
  });
}
