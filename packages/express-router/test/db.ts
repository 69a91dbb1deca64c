/**
 * Where a test database is, in a form another OS process can open too.
 * @module
 */
import { postgresAdapter } from '@seshn/adapter-postgres';
import { sqliteAdapter } from '@seshn/adapter-sqlite';
import type { SeshnAdapter } from '@seshn/core';

export type DbSpec = { kind: 'sqlite'; filename: string } | { kind: 'postgres'; url: string };

/** An adapter on the database `spec` names. */
export function adapterFor(spec: DbSpec): SeshnAdapter {
  return spec.kind === 'sqlite'
    ? sqliteAdapter({ filename: spec.filename })
    : postgresAdapter({ connectionString: spec.url, poolSize: 8 });
}
