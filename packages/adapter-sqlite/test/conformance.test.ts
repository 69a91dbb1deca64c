import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runConformanceSuite } from '@seshn/testing';
import Database from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import { sqliteAdapter } from '../src/index.js';

// CI runs this file under Node 24 too, with a better-sqlite3 binding built for that ABI.
const nativeBinding = process.env.SESHN_SQLITE_NATIVE_BINDING || undefined;
const entry = fileURLToPath(new URL('../src/index.ts', import.meta.url));

const dir = mkdtempSync(join(tmpdir(), 'seshn-sqlite-'));
const file = join(dir, 'seshn.db');
let rawDb: Database.Database | undefined;

runConformanceSuite({
  name: 'sqlite (file, WAL)',
  createAdapter: async () => sqliteAdapter({ filename: file, nativeBinding }),
  raw: () => {
    rawDb = new Database(file, { readonly: true, ...(nativeBinding ? { nativeBinding } : {}) });
    return new Kysely({ dialect: new SqliteDialect({ database: rawDb }) });
  },
  decodeInstant: Number,
  processAdapter: {
    module: entry,
    exportName: 'sqliteAdapter',
    options: { filename: file, ...(nativeBinding ? { nativeBinding } : {}) },
  },
  teardown: async () => {
    rawDb?.close();
    rmSync(dir, { recursive: true, force: true });
  },
});
