/**
 * Frozen migrations: each dated migration is the literal DDL it ran when it was released, one
 * list of statements per DDL target, so editing a column type, a table option or a constraint in
 * code can never change what an already-released migration does to a new database.
 *
 * A profile names the targets it runs, in order (`ddl`): `sqlite`, `postgres`, `mysql`, plus
 * optional parts such as `postgres:exclusion` (the exclusion constraint, when the adapter wants it).
 * @module
 */
import { type Kysely, type Migration, sql } from 'kysely';

/** Where a statement list applies: a dialect, or an optional part of one (`dialect:part`). */
export type DdlTarget = 'sqlite' | 'postgres' | 'postgres:exclusion' | 'mysql';

/** One released migration: the statements it runs, per target (a missing target runs nothing). */
export type FrozenMigration = Partial<Record<DdlTarget, readonly string[]>>;

/** The Kysely migration that runs the statements of `targets`, in that order. */
export function runFrozen(frozen: FrozenMigration, targets: readonly DdlTarget[]): Migration {
  return {
    async up(db: Kysely<unknown>) {
      for (const target of targets) {
        for (const statement of frozen[target] ?? []) await sql.raw(statement).execute(db);
      }
    },
  };
}
