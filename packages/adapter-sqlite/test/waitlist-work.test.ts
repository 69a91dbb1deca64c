/**
 * The SQL store's waitlist and background-work methods on SQLite (in memory): the cases of
 * packages/sql/test/waitlist-work-cases.ts, without the cross-connection ones (the database
 * write lock serialises every writer, so a claim always succeeds).
 */
import Database from 'better-sqlite3';
import { waitlistWorkCases } from '../../sql/test/waitlist-work-cases.js';
import { sqliteAdapter } from '../src/index.js';

const adapter = sqliteAdapter({ database: new Database(':memory:') });

waitlistWorkCases('sqlite', {
  rowLocks: false,
  open: async () => {
    await adapter.migrate();
    return adapter;
  },
  close: () => adapter.close(),
});
