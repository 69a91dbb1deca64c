/**
 * `seshn-conformance <sqlite|postgres|mysql>`: runs the whole conformance suite (races across OS
 * processes included) against the adapter and driver installed in the current project, on the
 * database server the usual variables name:
 *
 *   SESHN_TEST_POSTGRES_URL=postgres://user:pass@host:5432/postgres npx seshn-conformance postgres
 *   SESHN_TEST_MYSQL_URL=mysql://user:pass@host:3306/mysql npx seshn-conformance mysql
 *   npx seshn-conformance sqlite
 *
 * It writes one test file into `.seshn-conformance/` in the current directory (so the imports
 * resolve to the project's own packages), runs it with vitest and removes it. An unreachable
 * server fails the run. `-t <pattern>` runs only the tests whose name matches.
 * @module
 */
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

const KINDS = {
  sqlite: {
    package: '@seshn/adapter-sqlite',
    file: (entry: string) => `import Database from 'better-sqlite3';
import * as adapter from '@seshn/adapter-sqlite';
import { sqliteConformance } from '@seshn/testing';

sqliteConformance({ Database, adapter, entry: ${JSON.stringify(entry)} });
`,
  },
  postgres: {
    package: '@seshn/adapter-postgres',
    file: (entry: string) => `import pg from 'pg';
import * as adapter from '@seshn/adapter-postgres';
import { postgresConformance } from '@seshn/testing';

await postgresConformance({ pg, adapter, entry: ${JSON.stringify(entry)}, required: true });
`,
  },
  mysql: {
    package: '@seshn/adapter-mysql',
    file: (entry: string) => `import mysql from 'mysql2';
import mysqlPromise from 'mysql2/promise';
import * as adapter from '@seshn/adapter-mysql';
import { mysqlConformance } from '@seshn/testing';

await mysqlConformance({ mysql, mysqlPromise, adapter, entry: ${JSON.stringify(entry)}, required: true });
`,
  },
} as const;

type Kind = keyof typeof KINDS;

const USAGE = `usage: seshn-conformance <${Object.keys(KINDS).join('|')}> [-t <test name pattern>]

  SESHN_TEST_POSTGRES_URL=postgres://user:pass@host:5432/postgres npx seshn-conformance postgres
  SESHN_TEST_MYSQL_URL=mysql://user:pass@host:3306/mysql npx seshn-conformance mysql
  npx seshn-conformance sqlite

The server user must be allowed to create databases: each run creates seshn_test_… and drops it.`;

/** The file an installed package's "." export imports, found from `from` upwards. */
function packageEntry(name: string, from: string): string {
  for (let dir = resolve(from); ; dir = dirname(dir)) {
    const manifest = join(dir, 'node_modules', name, 'package.json');
    if (existsSync(manifest)) {
      const pkg = JSON.parse(readFileSync(manifest, 'utf8')) as {
        exports?: { '.'?: { import?: string } };
        module?: string;
        main?: string;
      };
      const target = pkg.exports?.['.']?.import ?? pkg.module ?? pkg.main ?? 'index.js';
      return join(dirname(manifest), target);
    }
    if (dirname(dir) === dir) throw new Error(`${name} is not installed here: npm i ${name}`);
  }
}

async function main(argv: string[]): Promise<number> {
  const [kind, ...rest] = argv;
  if (!kind || !(kind in KINDS)) {
    console.error(USAGE);
    return kind === '--help' || kind === '-h' ? 0 : 2;
  }
  const target = KINDS[kind as Kind];
  const cwd = process.cwd();
  const entry = packageEntry(target.package, cwd);
  const dir = join(cwd, '.seshn-conformance');
  const file = join(dir, `${kind}.test.mjs`);
  mkdirSync(dir, { recursive: true });
  writeFileSync(file, target.file(entry));
  try {
    const { startVitest } = await import('vitest/node');
    const pattern = rest[0] === '-t' || rest[0] === '--testNamePattern' ? rest[1] : undefined;
    const vitest = await startVitest('test', [], {
      config: false,
      root: cwd,
      include: ['.seshn-conformance/*.test.mjs'],
      run: true,
      watch: false,
      pool: 'forks',
      testTimeout: 30_000,
      hookTimeout: 60_000,
      ...(pattern ? { testNamePattern: pattern } : {}),
    });
    await vitest.close();
    // vitest sets process.exitCode when a test or an unhandled error failed the run.
    return process.exitCode ? Number(process.exitCode) : 0;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

process.exitCode = await main(process.argv.slice(2));
