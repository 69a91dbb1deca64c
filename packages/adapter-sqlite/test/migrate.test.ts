import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { sqliteAdapter } from '../src/index.js';

const dir = mkdtempSync(join(tmpdir(), 'seshn-migrate-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('sqlite migrate', () => {
  it('is safe when several connections migrate one fresh file at once, and idempotent after', async () => {
    const file = join(dir, 'fresh.db');
    const adapters = [1, 2, 3].map(() => sqliteAdapter({ filename: file }));
    await Promise.all(adapters.map((a) => a.migrate()));
    await adapters[0]!.migrate();
    await Promise.all(adapters.map((a) => a.close()));
    const db = new Database(file, { readonly: true });
    const names = db.prepare('select name from seshn_migration order by name').all() as { name: string }[];
    const tables = db
      .prepare("select count(*) as n from sqlite_master where type = 'table' and name like 'seshn_%'")
      .get() as {
      n: number;
    };
    db.close();
    expect(names.map((n) => n.name)).toEqual([...new Set(names.map((n) => n.name))]);
    expect(names.length).toBeGreaterThanOrEqual(3);
    expect(tables.n).toBeGreaterThanOrEqual(9);
  });
});
