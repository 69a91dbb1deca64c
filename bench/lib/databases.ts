/**
 * The databases a benchmark runs on, one after the other: SQLite on a file (WAL) in a temp dir,
 * then Postgres and MariaDB in scratch databases of their own, each skipped (with a line on
 * stderr) when its server is unreachable, and each removed afterwards.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { mysqlAdapter } from '../../packages/adapter-mysql/src/index.js';
import { postgresAdapter } from '../../packages/adapter-postgres/src/index.js';
import { sqliteAdapter } from '../../packages/adapter-sqlite/src/index.js';
import type { SeshnAdapter } from '../../packages/core/src/index.js';
import { createScratchDatabase, type ScratchDatabase } from '../../packages/testing/src/databases.js';
import { drivers } from './drivers.js';

export type BenchDatabaseKind = 'sqlite' | 'postgres' | 'mysql';

export interface BenchDatabase {
  kind: BenchDatabaseKind;
  /** How the results table names it. */
  name: 'sqlite (file, WAL)' | 'postgres' | 'mariadb';
  /** The server database's URL (`null` for SQLite). */
  url: string | null;
  /** SQLite's database file (`null` for a server), for benchmarks that open it in other processes. */
  file: string | null;
  /** A new adapter on this database (each call its own connections). */
  make(): SeshnAdapter;
}

/** Runs `run` on each database of `kinds`, in order, and returns what each run returned. */
export async function onEachDatabase<R>(
  tag: string,
  run: (db: BenchDatabase) => Promise<R>,
  kinds: readonly BenchDatabaseKind[] = ['sqlite', 'postgres', 'mysql'],
): Promise<R[]> {
  const results: R[] = [];
  if (kinds.includes('sqlite')) {
    const dir = mkdtempSync(join(tmpdir(), `seshn-bench-${tag}-`));
    const file = join(dir, 'bench.db');
    try {
      results.push(
        await run({
          kind: 'sqlite',
          name: 'sqlite (file, WAL)',
          url: null,
          file,
          make: () => sqliteAdapter({ filename: file }),
        }),
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  for (const kind of ['postgres', 'mysql'] as const) {
    if (!kinds.includes(kind)) continue;
    let scratch: ScratchDatabase | null = null;
    try {
      scratch = await createScratchDatabase(kind, drivers[kind] as never, {});
    } catch (error) {
      process.stderr.write(`[${tag}] ${kind} unavailable, skipped: ${String(error)}\n`);
      continue;
    }
    const url = scratch.url;
    try {
      results.push(
        await run({
          kind,
          name: kind === 'postgres' ? 'postgres' : 'mariadb',
          url,
          file: null,
          make: () =>
            kind === 'postgres' ? postgresAdapter({ connectionString: url }) : mysqlAdapter({ uri: url }),
        }),
      );
    } finally {
      await scratch.drop();
    }
  }
  return results;
}
