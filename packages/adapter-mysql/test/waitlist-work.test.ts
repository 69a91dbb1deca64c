/**
 * The SQL store's waitlist and background-work methods on a scratch MySQL/MariaDB database: the
 * cases of packages/sql/test/waitlist-work-cases.ts, including those where a second connection
 * holds a row lock (`FOR UPDATE SKIP LOCKED` skips it instead of waiting).
 */
import { openScratchDatabase } from '@seshn/testing';
import mysqlPromise from 'mysql2/promise';
import { it } from 'vitest';
import { waitlistWorkCases } from '../../sql/test/waitlist-work-cases.js';
import { mysqlAdapter } from '../src/index.js';

const db = await openScratchDatabase('mysql', mysqlPromise);

if (!db) {
  it('mysql server unavailable locally — skipped (set CI=true to fail)', () => undefined);
} else {
  const adapter = mysqlAdapter({ uri: db.url, poolSize: 6 });
  waitlistWorkCases('mysql', {
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
