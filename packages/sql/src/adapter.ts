/**
 * Turns a Kysely instance and a dialect profile into a complete Seshn adapter: transactions with
 * bounded retry, migrations, and the shared SQL store.
 * @module
 */
import { type SeshnAdapter, SeshnError, type SeshnStore } from '@seshn/core';
import { CompiledQuery, type Kysely, Migrator } from 'kysely';
import { migrationProvider } from './migrations/index.js';
import { type DialectProfile, errorChain } from './profile.js';
import { type ContextRunner, SqlStore, type StoreContext, storeContext } from './store/index.js';
import type { SeshnDatabase } from './tables.js';

export interface SqlAdapterOptions {
  name: string;
  // biome-ignore lint/suspicious/noExplicitAny: any Kysely instance works; the adapter only uses its own tables.
  db: Kysely<any>;
  profile: DialectProfile;
  /** Destroy the Kysely instance on `close()` (false when the embedder passed it in). */
  ownsDb: boolean;
  /** Runs once per migrate() before migrations (e.g. SQLite pragmas). */
  beforeMigrate?: () => Promise<void>;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
// Pre-compiled: a transaction runs these on every write.
const COMMIT = CompiledQuery.raw('COMMIT');
const ROLLBACK = CompiledQuery.raw('ROLLBACK');

export function createSqlAdapter(options: SqlAdapterOptions): SeshnAdapter {
  const db = options.db as Kysely<SeshnDatabase>;
  const { profile } = options;

  /** Runs `fn` in a transaction on its context (what a store's atomic operations use). */
  const inTransaction: ContextRunner = (fn) => transaction((tx) => fn(contexts.get(tx)!));
  const contexts = new WeakMap<SeshnStore, StoreContext>();

  async function transaction<T>(fn: (tx: SeshnStore) => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await db.connection().execute(async (conn) => {
          for (const statement of profile.beginStatements)
            await conn.executeQuery(CompiledQuery.raw(statement));
          try {
            const cx = storeContext(conn, profile, null);
            const tx = new SqlStore(cx);
            contexts.set(tx, cx);
            const result = await fn(tx);
            await conn.executeQuery(COMMIT);
            return result;
          } catch (error) {
            // A failed ROLLBACK (connection gone) must not hide the error that caused it.
            await conn.executeQuery(ROLLBACK).catch(() => undefined);
            throw error;
          }
        });
      } catch (error) {
        // Inside `fn` core has already wrapped driver errors as `storage_error` (cause: the
        // driver's error), so a deadlock is recognised anywhere in the cause chain.
        if (!errorChain(error).some((e) => profile.isTransient(e))) throw error;
        if (attempt >= profile.maxAttempts) {
          throw new SeshnError(
            'storage_error',
            `The database kept reporting a transient conflict (${attempt} attempts); try again`,
            { attempts: attempt },
            { cause: error },
          );
        }
        // Jittered exponential backoff so retrying racers do not collide again in lockstep.
        await sleep(Math.min(200, 2 ** attempt) * (0.5 + Math.random()));
      }
    }
  }

  const store = new SqlStore(storeContext(db, profile, inTransaction));

  async function migrate(): Promise<void> {
    await options.beforeMigrate?.();
    const migrator = new Migrator({
      db,
      provider: migrationProvider(profile),
      migrationTableName: 'seshn_migration',
      migrationLockTableName: 'seshn_migration_lock',
    });
    for (let attempt = 1; ; attempt++) {
      const { error } = await migrator.migrateToLatest();
      if (!error) return;
      // Two processes migrating a fresh database can collide before the migrator's own lock
      // exists; the loser retries and then finds everything done.
      if (attempt >= 5) {
        throw new SeshnError(
          'storage_error',
          `Migration failed: ${String((error as Error)?.message ?? error)}`,
          {},
          { cause: error },
        );
      }
      await sleep(50 * attempt * (0.5 + Math.random()));
    }
  }

  const methods: Record<string, unknown> = {};
  // Expose every store operation on the adapter (bound), so callers outside a transaction use it directly.
  for (const key of Object.getOwnPropertyNames(SqlStore.prototype)) {
    if (key === 'constructor') continue;
    const fn = (store as unknown as Record<string, unknown>)[key];
    if (typeof fn === 'function') methods[key] = fn.bind(store);
  }

  return {
    ...(methods as unknown as SeshnStore),
    name: options.name,
    capabilities: profile.capabilities,
    migrate,
    transaction,
    async close() {
      if (options.ownsDb) await db.destroy();
    },
  };
}
