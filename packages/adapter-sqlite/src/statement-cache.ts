/**
 * A prepared-statement cache in front of better-sqlite3 for Kysely's SQLite driver, which calls
 * `db.prepare(sql)` for every query. Preparing (parsing and planning the SQL) costs more than
 * running the small statements of a reservation, and the adapter's queries repeat the same few
 * SQL texts (values are bound parameters), so a bounded cache keyed by SQL text pays off.
 * @module
 */
import type { SqliteDatabase, SqliteStatement } from 'kysely';
import type { SqliteConnection, SqliteStatementLike } from './node-sqlite.js';

/** How many distinct SQL texts stay prepared (IN lists of different lengths are distinct texts). */
export const STATEMENT_CACHE_SIZE = 256;

/**
 * Wraps `db` so `prepare` reuses statements by SQL text (least recently used evicted first).
 * A statement that is still being iterated (`busy`, a streamed select) is never handed out twice:
 * the caller gets a fresh one. Schema changes need no invalidation: SQLite re-prepares a
 * statement whose schema changed when it next runs.
 * @example
 * const kysely = new Kysely({ dialect: new SqliteDialect({ database: cachingDatabase(raw) }) });
 */
export function cachingDatabase(db: SqliteConnection, size = STATEMENT_CACHE_SIZE): SqliteDatabase {
  const cache = new Map<string, SqliteStatementLike>();
  return {
    close: () => {
      cache.clear();
      db.close();
    },
    prepare(sql: string): SqliteStatement {
      const hit = cache.get(sql);
      if (hit && !hit.busy) {
        // Re-insert so the Map's iteration order is least recently used first.
        cache.delete(sql);
        cache.set(sql, hit);
        return hit as unknown as SqliteStatement;
      }
      const stmt = db.prepare(sql);
      if (!hit) {
        cache.set(sql, stmt);
        if (cache.size > size) cache.delete(cache.keys().next().value as string);
      }
      return stmt as unknown as SqliteStatement;
    },
  };
}
