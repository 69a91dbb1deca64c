import {
  DummyDriver,
  Kysely,
  PostgresAdapter,
  PostgresIntrospector,
  PostgresQueryCompiler,
  sql,
} from 'kysely';
import { describe, expect, it } from 'vitest';
import { QueryTemplates, templatesFor } from './query-template.js';

interface Db {
  t: { id: string; org: string; n: number; at: unknown };
}

// Postgres numbers its placeholders ($1, $2…), so parameter order is visible in the SQL text.
const db = new Kysely<Db>({
  dialect: {
    createAdapter: () => new PostgresAdapter(),
    createDriver: () => new DummyDriver(),
    createIntrospector: (k) => new PostgresIntrospector(k),
    createQueryCompiler: () => new PostgresQueryCompiler(),
  },
});

const select = (org: string, ids: string[]) =>
  db
    .selectFrom('t')
    .selectAll()
    .where('org', '=', org)
    .where('id', 'in', ids)
    .where('n', '>', 3)
    .where(sql<boolean>`${'x'} = ${'x'}`);

describe('QueryTemplates', () => {
  it('produces exactly what Kysely compiles, for any values of the same shape', () => {
    const templates = new QueryTemplates();
    let builds = 0;
    const run = (org: string, ids: string[]) =>
      templates.query(`select:${ids.length}`, [org, ...ids], (v) => {
        builds++;
        return select(
          v(0) as string,
          ids.map((_, i) => v(1 + i) as string),
        );
      });
    for (const [org, ids] of [
      ['o1', ['a', 'b']],
      ['o2', ['c', 'd']],
      ['o3', ['e']],
      ['o4', ['f', 'g']],
    ] as const) {
      const got = run(org, [...ids]);
      const want = select(org, [...ids]).compile();
      expect(got.sql).toBe(want.sql);
      expect(got.parameters).toEqual(want.parameters);
    }
    expect(builds).toBe(2); // one per shape
  });

  it('binds a value used in several places everywhere it appears', () => {
    const q = new QueryTemplates().query('twice', [7], (v) =>
      db
        .selectFrom('t')
        .selectAll()
        .where('n', '>', v(0) as number)
        .where('n', '<', sql<number>`${v(0)} * 2`),
    );
    expect(q.sql).toBe('select * from "t" where "n" > $1 and "n" < $2 * 2');
    expect(q.parameters).toEqual([7, 7]);
  });

  it('refuses a template that drops a value, and a call with the wrong number of values', () => {
    const templates = new QueryTemplates();
    expect(() =>
      templates.query('dropped', [1, 2], (v) =>
        db
          .selectFrom('t')
          .selectAll()
          .where('n', '=', v(0) as number),
      ),
    ).toThrow(/every value/);
    templates.query('one', [1], (v) =>
      db
        .selectFrom('t')
        .selectAll()
        .where('n', '=', v(0) as number),
    );
    expect(() => templates.query('one', [1, 2], () => db.selectFrom('t').selectAll())).toThrow(
      /expected 1 values/,
    );
  });

  it('forgets the least recently used shape beyond its size', () => {
    const templates = new QueryTemplates(1);
    let builds = 0;
    const q = (key: string) =>
      templates.query(key, [1], (v) => {
        builds++;
        return db
          .selectFrom('t')
          .selectAll()
          .where('n', '=', v(0) as number);
      });
    q('a');
    q('a');
    q('b'); // evicts a
    q('a');
    expect(builds).toBe(3);
  });

  it('shares one cache per profile object', () => {
    const profile = {};
    expect(templatesFor(profile)).toBe(templatesFor(profile));
    expect(templatesFor({})).not.toBe(templatesFor(profile));
  });
});
