/**
 * Compiled-query templates: the hot queries of a reservation are built with Kysely once per
 * *shape* (table, row count, IN-list length…) and then re-run with new values, skipping Kysely's
 * builder and compiler (a fifth of the CPU time of a `bookings.create` on SQLite).
 *
 * A template is compiled from the same builder code as before, with placeholder objects in place
 * of the values; the compiled parameter list says which placeholder each `?` / `$n` takes, so the
 * SQL text and the parameter order are exactly what Kysely produced, in any dialect.
 * @module
 */
import { type Compilable, CompiledQuery } from 'kysely';

/** Stands for the value at `index` of the list given when the template runs. */
class Hole {
  constructor(readonly index: number) {}
}

interface Template {
  sql: string;
  /** Per compiled parameter: the index of the value to bind, or a constant Kysely added itself. */
  params: ({ hole: number } | { constant: unknown })[];
  arity: number;
}

/** Distinct shapes kept (least recently used dropped first). */
export const TEMPLATE_CACHE_SIZE = 256;

export class QueryTemplates {
  readonly #cache = new Map<string, Template>();
  readonly #size: number;

  constructor(size = TEMPLATE_CACHE_SIZE) {
    this.#size = size;
  }

  /**
   * The compiled query of shape `key` with `values` bound. `build` receives `hole(i)` and must
   * build the query with `hole(i)` wherever the i-th value goes; it runs only the first time a
   * key is seen. Everything that changes the SQL text must be part of `key`.
   * @example
   * const q = templates.query(`get:${table}`, [org, mode, id], (v) =>
   *   db.selectFrom(table).selectAll().where('organization_id', '=', v(0)).where('mode', '=', v(1)).where('id', '=', v(2)));
   * const rows = (await db.executeQuery(q)).rows;
   */
  query(key: string, values: readonly unknown[], build: (hole: (index: number) => unknown) => Compilable) {
    let template = this.#cache.get(key);
    if (template) {
      this.#cache.delete(key);
      this.#cache.set(key, template);
    } else {
      template = compileTemplate(values.length, build);
      this.#cache.set(key, template);
      if (this.#cache.size > this.#size) this.#cache.delete(this.#cache.keys().next().value as string);
    }
    if (template.arity !== values.length) {
      throw new Error(`query template ${key}: expected ${template.arity} values, got ${values.length}`);
    }
    return CompiledQuery.raw(
      template.sql,
      template.params.map((p) => ('hole' in p ? values[p.hole] : p.constant)),
    );
  }
}

function compileTemplate(arity: number, build: (hole: (index: number) => unknown) => Compilable): Template {
  const holes = Array.from({ length: arity }, (_, i) => new Hole(i));
  const used = new Set<number>();
  const compiled = build((index) => {
    const hole = holes[index];
    if (!hole) throw new Error(`query template: no value ${index} (of ${arity})`);
    return hole;
  }).compile();
  const params = compiled.parameters.map((p) => {
    if (!(p instanceof Hole)) return { constant: p };
    used.add(p.index);
    return { hole: p.index };
  });
  // A value that never reached the SQL (e.g. inlined, or forgotten by the builder) would be
  // silently ignored on every later run: refuse such a template.
  if (used.size !== arity) throw new Error('query template: every value must be a bound parameter');
  return { sql: compiled.sql, params, arity };
}

const shared = new WeakMap<object, QueryTemplates>();

/**
 * The templates of one dialect profile: SQL text depends only on the dialect, and a store is
 * created for every transaction, so the cache lives with the profile.
 */
export function templatesFor(profile: object): QueryTemplates {
  let templates = shared.get(profile);
  if (!templates) {
    templates = new QueryTemplates();
    shared.set(profile, templates);
  }
  return templates;
}
