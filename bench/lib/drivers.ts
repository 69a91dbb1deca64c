/**
 * The database drivers for benchmarks. They are dependencies of the adapter packages, not of the
 * workspace root, so they are loaded from there.
 */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { MysqlDriver, PgDriver } from '../../packages/testing/src/databases.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const fromPostgres = createRequire(join(ROOT, 'packages', 'adapter-postgres', 'package.json'));
const fromMysql = createRequire(join(ROOT, 'packages', 'adapter-mysql', 'package.json'));

export const drivers = {
  postgres: fromPostgres('pg') as PgDriver,
  mysql: fromMysql('mysql2/promise') as MysqlDriver,
};
