import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { seshnMigrations } from '@seshn/sql';
import { migrateStepByStep, schemaSnapshot } from '@seshn/testing';
import Database from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import { sqliteAdapter, sqliteProfile } from '../src/index.js';

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

  it('a database migrated step by step from the first migration ends with the schema of a fresh migrate()', async () => {
    const fresh = new Database(':memory:');
    await sqliteAdapter({ database: fresh }).migrate();
    const stepwise = new Database(':memory:');
    const kysely = (db: Database.Database) => new Kysely({ dialect: new SqliteDialect({ database: db }) });
    const migrations = seshnMigrations(sqliteProfile(false));
    expect(await migrateStepByStep(kysely(stepwise), migrations)).toEqual(Object.keys(migrations));
    const expected = await schemaSnapshot('sqlite', kysely(fresh));
    expect(expected.objects!.length).toBeGreaterThan(10);
    expect(await schemaSnapshot('sqlite', kysely(stepwise))).toEqual(expected);
    // The comparison sees a missing step.
    const partial = new Database(':memory:');
    const { '2026-12-01T02:00_event_deliveries': _last, ...earlier } = migrations;
    await migrateStepByStep(kysely(partial), earlier);
    expect(await schemaSnapshot('sqlite', kysely(partial))).not.toEqual(expected);
  });
});
