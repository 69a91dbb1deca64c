import Database from 'better-sqlite3';
import { Kysely, SqliteDialect, sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { cachingDatabase } from './statement-cache.js';

const open = () => new Database(':memory:');

describe('cachingDatabase', () => {
  it('hands out the same prepared statement for the same SQL text', () => {
    const db = cachingDatabase(open());
    const a = db.prepare('SELECT 1 AS x');
    expect(db.prepare('SELECT 1 AS x')).toBe(a);
    expect(db.prepare('SELECT 2 AS x')).not.toBe(a);
    db.close();
  });

  it('evicts the least recently used statement beyond its size', () => {
    const db = cachingDatabase(open(), 2);
    const one = db.prepare('SELECT 1');
    const two = db.prepare('SELECT 2');
    expect(db.prepare('SELECT 1')).toBe(one); // 1 is now the most recently used
    db.prepare('SELECT 3'); // evicts 2
    expect(db.prepare('SELECT 1')).toBe(one);
    expect(db.prepare('SELECT 2')).not.toBe(two);
    db.close();
  });

  it('never shares a statement that is still being iterated', () => {
    const raw = open();
    raw.exec('CREATE TABLE t (v INTEGER); INSERT INTO t VALUES (1), (2), (3);');
    const db = cachingDatabase(raw);
    const first = db.prepare('SELECT v FROM t ORDER BY v') as unknown as Database.Statement;
    const seen: number[] = [];
    for (const row of first.iterate() as IterableIterator<{ v: number }>) {
      const inner = db.prepare('SELECT v FROM t ORDER BY v');
      expect(inner).not.toBe(first);
      seen.push(row.v, (inner.all([]) as { v: number }[]).length);
    }
    expect(seen).toEqual([1, 3, 2, 3, 3, 3]);
    db.close();
  });

  it('keeps results right for bound parameters and across schema changes (via Kysely)', async () => {
    const raw = open();
    const kysely = new Kysely<{ t: { v: number } }>({
      dialect: new SqliteDialect({ database: cachingDatabase(raw) }),
    });
    await sql`CREATE TABLE t (v INTEGER)`.execute(kysely);
    for (const v of [1, 2, 3]) await kysely.insertInto('t').values({ v }).execute();
    const pick = (v: number) => kysely.selectFrom('t').select('v').where('v', '>=', v).execute();
    expect((await pick(2)).map((r) => r.v)).toEqual([2, 3]);
    expect((await pick(3)).map((r) => r.v)).toEqual([3]);
    const all = () => kysely.selectFrom('t').selectAll().where('v', '>=', 3).execute();
    expect(await all()).toEqual([{ v: 3 }]);
    await sql`ALTER TABLE t ADD COLUMN w INTEGER DEFAULT 7`.execute(kysely);
    // The cached `SELECT *` now sees the new column: SQLite re-prepared it.
    expect(await all()).toEqual([{ v: 3, w: 7 }]);
    await kysely.destroy();
    expect(raw.open).toBe(false);
  });
});
