import { fileURLToPath } from 'node:url';
import { openScratchDatabase, runConformanceSuite } from '@seshn/testing';
import { Kysely, MysqlDialect } from 'kysely';
import mysql from 'mysql2';
import mysqlPromise from 'mysql2/promise';
import { expect, it } from 'vitest';
import { mysqlAdapter, mysqlPoolOptions, mysqlProfile } from '../src/index.js';

// One fresh database per run on SESHN_TEST_MYSQL_URL (default: the local CI server), dropped
// afterwards. Without a server a local run registers a single test saying so; CI=true fails.
const db = await openScratchDatabase('mysql', mysqlPromise);
const entry = fileURLToPath(new URL('../src/index.ts', import.meta.url));

if (db) {
  let rawPool: mysql.Pool | undefined;
  runConformanceSuite({
    name: 'mysql',
    createAdapter: async () => mysqlAdapter({ uri: db.url }),
    raw: () => {
      rawPool = mysql.createPool({ ...mysqlPoolOptions(db.url), connectionLimit: 2 });
      return new Kysely({ dialect: new MysqlDialect({ pool: rawPool }) });
    },
    decodeInstant: mysqlProfile().decodeInstant,
    processAdapter: { module: entry, exportName: 'mysqlAdapter', options: { uri: db.url } },
    teardown: async () => {
      await new Promise<void>((resolve) => (rawPool ? rawPool.end(() => resolve()) : resolve()));
      await db.drop();
    },
  });
} else {
  it('mysql server unavailable locally — skipped (set CI=true to fail)', () => expect(db).toBeNull());
}
