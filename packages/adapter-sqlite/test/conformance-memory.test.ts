import { runConformanceSuite } from '@seshn/testing';
import Database from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import { sqliteAdapter } from '../src/index.js';

// One in-memory database shared by the adapter and the raw reader (same connection: a private
// :memory: database cannot be opened twice).
const database = new Database(':memory:');

runConformanceSuite({
  name: 'sqlite (:memory:)',
  createAdapter: async () => sqliteAdapter({ database }),
  raw: () => new Kysely({ dialect: new SqliteDialect({ database }) }),
  decodeInstant: Number,
  teardown: async () => {
    database.close();
  },
});
