/**
 * Schema snapshots, for the frozen-migration check: a database migrated step by step from the
 * first migration must end with exactly the schema of a fresh `migrate()` — tables, columns and
 * their types, indexes, constraints, triggers — on every dialect.
 * @module
 */
import { type Kysely, type Migration, Migrator, sql } from 'kysely';

export type SchemaDialect = 'sqlite' | 'postgres' | 'mysql';

// biome-ignore lint/suspicious/noExplicitAny: the catalog tables of three databases, untyped
type AnyDb = Kysely<any>;

const rows = async (db: AnyDb, query: string) =>
  (await sql.raw<Record<string, unknown>>(query).execute(db)).rows.map((r) =>
    Object.fromEntries(Object.entries(r).map(([k, v]) => [k.toLowerCase(), v === null ? null : String(v)])),
  );

/** Everything a migration can change, as sorted plain data. Seshn's tables only (`seshn_%`). */
const CATALOG: Record<SchemaDialect, Record<string, string>> = {
  sqlite: {
    objects:
      "SELECT type, name, tbl_name, sql FROM sqlite_master WHERE name LIKE 'seshn%' AND name NOT LIKE 'seshn_migration%' ORDER BY type, name",
  },
  postgres: {
    columns:
      "SELECT table_name, column_name, data_type, datetime_precision, character_maximum_length, is_nullable, column_default FROM information_schema.columns WHERE table_schema = current_schema() AND table_name LIKE 'seshn%' AND table_name NOT LIKE 'seshn_migration%' ORDER BY table_name, column_name",
    indexes:
      "SELECT tablename, indexname, indexdef FROM pg_indexes WHERE schemaname = current_schema() AND tablename LIKE 'seshn%' AND tablename NOT LIKE 'seshn_migration%' ORDER BY indexname",
    constraints:
      "SELECT c.conrelid::regclass::text AS table_name, c.conname, c.contype, pg_get_constraintdef(c.oid) AS def FROM pg_constraint c JOIN pg_namespace n ON n.oid = c.connamespace WHERE n.nspname = current_schema() AND c.conrelid::regclass::text LIKE 'seshn%' AND c.conrelid::regclass::text NOT LIKE 'seshn_migration%' ORDER BY 1, 2",
    triggers:
      "SELECT tgrelid::regclass::text AS table_name, tgname FROM pg_trigger WHERE NOT tgisinternal AND tgrelid::regclass::text LIKE 'seshn%' ORDER BY 1, 2",
    functions:
      "SELECT p.proname FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace WHERE n.nspname = current_schema() AND p.proname LIKE 'seshn%' ORDER BY 1",
  },
  mysql: {
    tables:
      "SELECT table_name, engine, table_collation FROM information_schema.tables WHERE table_schema = DATABASE() AND table_name LIKE 'seshn%' AND table_name NOT LIKE 'seshn_migration%' ORDER BY table_name",
    columns:
      "SELECT table_name, column_name, column_type, is_nullable, column_default, collation_name FROM information_schema.columns WHERE table_schema = DATABASE() AND table_name LIKE 'seshn%' AND table_name NOT LIKE 'seshn_migration%' ORDER BY table_name, column_name",
    indexes:
      "SELECT table_name, index_name, seq_in_index, column_name, non_unique FROM information_schema.statistics WHERE table_schema = DATABASE() AND table_name LIKE 'seshn%' AND table_name NOT LIKE 'seshn_migration%' ORDER BY table_name, index_name, seq_in_index",
    constraints:
      "SELECT table_name, constraint_name, constraint_type FROM information_schema.table_constraints WHERE table_schema = DATABASE() AND table_name LIKE 'seshn%' AND table_name NOT LIKE 'seshn_migration%' ORDER BY table_name, constraint_name",
    checks:
      'SELECT constraint_name, check_clause FROM information_schema.check_constraints WHERE constraint_schema = DATABASE() ORDER BY constraint_name',
    triggers:
      'SELECT trigger_name, event_object_table FROM information_schema.triggers WHERE trigger_schema = DATABASE() ORDER BY trigger_name',
  },
};

/** The schema of Seshn's tables on `db`, as comparable data. */
export async function schemaSnapshot(dialect: SchemaDialect, db: AnyDb): Promise<Record<string, unknown[]>> {
  const out: Record<string, unknown[]> = {};
  for (const [part, query] of Object.entries(CATALOG[dialect])) out[part] = await rows(db, query);
  return out;
}

/**
 * Applies `migrations` one at a time, in order, the way a deployment upgraded release by release
 * got them (each step its own `migrateUp`), with the adapter's migration table names.
 */
export async function migrateStepByStep(db: AnyDb, migrations: Record<string, Migration>): Promise<string[]> {
  const migrator = new Migrator({
    db,
    provider: { getMigrations: async () => migrations },
    migrationTableName: 'seshn_migration',
    migrationLockTableName: 'seshn_migration_lock',
  });
  const applied: string[] = [];
  for (;;) {
    const { error, results } = await migrator.migrateUp();
    if (error) throw error;
    const step = (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
    if (step.length === 0) return applied;
    applied.push(...step);
  }
}

/**
 * Migrates the empty scratch database `empty` one migration at a time and snapshots it next to
 * the database at `freshUrl` (which a plain `migrate()` created): what the frozen-migration tests
 * compare. Drops `empty` afterwards.
 */
export async function compareMigrationPaths(o: {
  dialect: SchemaDialect;
  freshUrl: string;
  empty: { url: string; drop(): Promise<void> };
  kysely: (url: string) => AnyDb;
  migrations: Record<string, Migration>;
}): Promise<{ applied: string[]; expected: Record<string, unknown[]>; actual: Record<string, unknown[]> }> {
  const [fresh, stepwise] = [o.kysely(o.freshUrl), o.kysely(o.empty.url)];
  try {
    const applied = await migrateStepByStep(stepwise, o.migrations);
    return {
      applied,
      expected: await schemaSnapshot(o.dialect, fresh),
      actual: await schemaSnapshot(o.dialect, stepwise),
    };
  } finally {
    await Promise.all([fresh.destroy(), stepwise.destroy()]);
    await o.empty.drop();
  }
}
