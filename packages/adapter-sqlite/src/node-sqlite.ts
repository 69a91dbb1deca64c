/**
 * Node's built-in SQLite (`node:sqlite`, Node 22.13+ and 24; no native addon to install or
 * compile) behind the small part of better-sqlite3's interface the adapter and Kysely's SQLite
 * driver use: `prepare` → `all` / `run` / `iterate` with an array of parameters, `reader`,
 * `pragma`, `name`, `close`. Errors get better-sqlite3's string codes (`SQLITE_BUSY`,
 * `SQLITE_CONSTRAINT_UNIQUE`, …) from node:sqlite's numeric `errcode`, so the dialect profile
 * reads both drivers alike.
 * @module
 */

/** The part of a better-sqlite3 `Statement` the adapter uses. */
export interface SqliteStatementLike {
  readonly reader: boolean;
  readonly busy?: boolean;
  all(parameters: readonly unknown[]): unknown[];
  run(parameters: readonly unknown[]): { changes: number | bigint; lastInsertRowid: number | bigint };
  iterate(parameters: readonly unknown[]): IterableIterator<unknown>;
}

/** The part of a better-sqlite3 `Database` the adapter uses. */
export interface SqliteConnection {
  readonly name: string;
  pragma(source: string): unknown;
  prepare(sql: string): SqliteStatementLike;
  close(): unknown;
}

/** node:sqlite's `StatementSync`, as far as used here. */
interface StatementSync {
  all(...parameters: unknown[]): unknown[];
  run(...parameters: unknown[]): { changes: number | bigint; lastInsertRowid: number | bigint };
  iterate(...parameters: unknown[]): IterableIterator<unknown>;
  /** Node 22.16+ / 23.11+. */
  columns?(): unknown[];
}

interface DatabaseSync {
  exec(sql: string): void;
  prepare(sql: string): StatementSync;
  close(): void;
}

type NodeSqlite = { DatabaseSync: new (path: string) => DatabaseSync };

/** Primary result codes by number, and the extended codes a write can raise. */
const CODES: Record<number, string> = {
  1: 'SQLITE_ERROR',
  5: 'SQLITE_BUSY',
  6: 'SQLITE_LOCKED',
  8: 'SQLITE_READONLY',
  10: 'SQLITE_IOERR',
  11: 'SQLITE_CORRUPT',
  13: 'SQLITE_FULL',
  19: 'SQLITE_CONSTRAINT',
  261: 'SQLITE_BUSY_RECOVERY',
  262: 'SQLITE_LOCKED_SHAREDCACHE',
  275: 'SQLITE_CONSTRAINT_CHECK',
  517: 'SQLITE_BUSY_SNAPSHOT',
  787: 'SQLITE_CONSTRAINT_FOREIGNKEY',
  1299: 'SQLITE_CONSTRAINT_NOTNULL',
  1555: 'SQLITE_CONSTRAINT_PRIMARYKEY',
  2067: 'SQLITE_CONSTRAINT_UNIQUE',
};

function translate(error: unknown): unknown {
  const e = error as { code?: unknown; errcode?: unknown };
  if (e && e.code === 'ERR_SQLITE_ERROR' && typeof e.errcode === 'number') {
    const code = CODES[e.errcode] ?? CODES[e.errcode & 0xff] ?? `SQLITE_${e.errcode}`;
    Object.defineProperty(e, 'code', { value: code, configurable: true, writable: true });
  }
  return error;
}

function guard<T>(fn: () => T): T {
  try {
    return fn();
  } catch (error) {
    throw translate(error);
  }
}

/** Statements that return rows, for node:sqlite versions without `StatementSync#columns`. */
const READER = /^\s*(select|with|values|pragma|explain)\b|\breturning\b/i;

/** Loads `node:sqlite`, or explains which Node it needs. */
export function loadNodeSqlite(): NodeSqlite {
  const mod = process.getBuiltinModule?.('node:sqlite') as NodeSqlite | undefined;
  if (!mod?.DatabaseSync) {
    throw new Error(`node:sqlite needs Node 22.13 or later (this is ${process.version}); use better-sqlite3`);
  }
  return mod;
}

/** Opens `filename` (`':memory:'` for a private in-memory database) with node:sqlite. */
export function openNodeSqlite(filename: string): SqliteConnection {
  const { DatabaseSync } = loadNodeSqlite();
  const db = guard(() => new DatabaseSync(filename));
  return {
    name: filename,
    pragma: (source) => guard(() => db.exec(`PRAGMA ${source}`)),
    prepare(sql) {
      const stmt = guard(() => db.prepare(sql));
      const reader = typeof stmt.columns === 'function' ? stmt.columns().length > 0 : READER.test(sql);
      let busy = false;
      return {
        reader,
        // Like better-sqlite3's: true while an iteration is open, so the cache hands out another.
        get busy() {
          return busy;
        },
        all: (parameters) => guard(() => stmt.all(...parameters)),
        run: (parameters) => guard(() => stmt.run(...parameters)),
        iterate(parameters) {
          const rows = guard(() => stmt.iterate(...parameters));
          busy = true;
          return (function* () {
            try {
              for (;;) {
                const next = guard(() => rows.next());
                if (next.done) return;
                yield next.value;
              }
            } finally {
              busy = false;
            }
          })();
        },
      };
    },
    close: () => db.close(),
  };
}
