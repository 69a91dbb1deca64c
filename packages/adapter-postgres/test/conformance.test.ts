import { fileURLToPath } from 'node:url';
import { openScratchDatabase, runConformanceSuite } from '@seshn/testing';
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import { expect, it } from 'vitest';
import { postgresAdapter, postgresProfile } from '../src/index.js';

// One fresh database per run on SESHN_TEST_POSTGRES_URL (default: the local CI server), dropped
// afterwards. Without a server a local run registers a single test saying so; CI=true fails.
const db = await openScratchDatabase('postgres', pg);
const entry = fileURLToPath(new URL('../src/index.ts', import.meta.url));

if (db) {
  let rawPool: pg.Pool | undefined;
  runConformanceSuite({
    name: 'postgres',
    createAdapter: async () => postgresAdapter({ connectionString: db.url }),
    raw: () => {
      rawPool = new pg.Pool({ connectionString: db.url, max: 2 });
      rawPool.on('error', () => undefined);
      return new Kysely({ dialect: new PostgresDialect({ pool: rawPool }) });
    },
    decodeInstant: postgresProfile().decodeInstant,
    processAdapter: { module: entry, exportName: 'postgresAdapter', options: { connectionString: db.url } },
    teardown: async () => {
      await rawPool?.end();
      await db.drop();
    },
  });
} else {
  it('postgres server unavailable locally — skipped (set CI=true to fail)', () => expect(db).toBeNull());
}
