/**
 * Every ```ts block of every README runs as written: extracted, written to a file inside the
 * repository (so `@seshn/*` resolve through the workspace), run with
 * `node --conditions=dev-source --import tsx`, and required to exit 0 — once on today's clock and
 * once with the wall clock moved about ten and a half years ahead (into London summer time), so
 * a snippet cannot depend on the day it is read. Where a snippet prints something, what it
 * prints is checked too. A block that cannot run on its own says so with
 * `<!-- snippet: skip-run reason -->` right above it; the list of such blocks is pinned below.
 */
import { readFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type MysqlDriver,
  openScratchDatabase,
  type PgDriver,
  type ScratchDatabase,
} from '../../../packages/testing/src/databases.js';
import {
  createRunDirectory,
  extractSnippets,
  findReadmes,
  localWeekdayTime,
  REPO_ROOT,
  type RunResult,
  runTypeScript,
  type Snippet,
} from './snippets.js';

const DAY = 86_400_000;
/** Ten and a half years ahead, at another time of day: a Sunday in July 2037 on today's date. */
const SHIFT_MS = 3875 * DAY + 11 * 3_600_000 + 17 * 60_000;
const CLOCKS = [
  { name: 'today', shiftMs: 0 },
  { name: 'in 2037', shiftMs: SHIFT_MS },
];

const snippets = findReadmes().flatMap((readme) =>
  extractSnippets(readme, readFileSync(join(REPO_ROOT, readme), 'utf8')),
);
const key = (s: Snippet) => `${s.readme}#${s.index}`;

/** READMEs that promise a runnable example: each must keep at least one block that runs. */
const MUST_RUN = [
  'README.md',
  'packages/core/README.md',
  'packages/core/src/recurrence/README.md',
  'packages/adapter-sqlite/README.md',
  'packages/adapter-postgres/README.md',
  'packages/adapter-mysql/README.md',
  'packages/sql/README.md',
  'packages/express-router/README.md',
  'packages/sdk/README.md',
  'packages/mcp/README.md',
];
/** The only blocks allowed to opt out of running. */
const MAY_SKIP = [
  'README.md#1',
  'packages/express-router/README.md#3',
  'packages/testing/README.md#0',
  'packages/testing/README.md#1',
];

function lines(out: string): string[] {
  return out.split('\n').filter((l) => l.trim() !== '');
}

/** The first ISO instant printed on a line. */
function instantOn(line: string | undefined): string {
  const m = /\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z/.exec(line ?? '');
  expect(m, `an instant on ${JSON.stringify(line)}`).not.toBeNull();
  return m![0];
}

/** What a snippet prints, where it prints something (`startedAt`: the clock the run started on). */
const EXPECT: Record<string, (run: RunResult) => void> = {
  'README.md#0': ({ stdout, startedAt }) => {
    const [line] = lines(stdout);
    expect(line).toMatch(/^confirmed 2 \S+$/);
    const start = instantOn(line);
    expect(localWeekdayTime(start, 'Europe/London')).toBe('Sat 09:00');
    const ahead = Date.parse(start) - startedAt;
    expect(ahead).toBeGreaterThan(0);
    expect(ahead).toBeLessThanOrEqual(7 * DAY + 3_600_000);
  },
  'packages/core/README.md#0': ({ stdout, startedAt }) => {
    const out = lines(stdout);
    const start = instantOn(out[0]);
    expect(out[0]).toContain("{ amount: 6500, currency: 'usd' }");
    // The first free hour is on a Monday, inside the 09:00–17:00 hours, within the coming week.
    expect(localWeekdayTime(start, 'America/New_York')).toMatch(/^Mon (09|1[0-6]):\d\d$/);
    const ahead = Date.parse(start) - startedAt;
    expect(ahead).toBeGreaterThan(0);
    expect(ahead).toBeLessThanOrEqual(7 * DAY + 3_600_000);
    const rest = out.slice(1).join('\n');
    for (const instant of [
      '2026-03-03T14:00:00-05:00',
      '2026-03-10T14:00:00-04:00',
      '2026-03-17T14:00:00-04:00',
    ])
      expect(rest).toContain(instant);
    expect(rest).toContain("{ amount: 3000, currency: 'usd' }");
  },
  'packages/express-router/README.md#0': ({ stdout }) => {
    expect(stdout).toMatch(/^200 rsc_\w+ req_\w+$/m);
  },
  'packages/express-router/README.md#1': ({ stdout }) => {
    expect(stdout).toMatch(/^401 unauthorized$/m);
  },
  'packages/express-router/README.md#2': ({ stdout }) => {
    expect(stdout).toMatch(/^200 3\.1\.0$/m);
  },
  'packages/core/src/recurrence/README.md#0': ({ stdout }) => {
    expect(stdout).toContain('2026-03-03T14:00:00-05:00');
    expect(stdout).toContain('2026-03-17T14:00:00-04:00');
    expect(stdout).not.toContain('2026-03-10');
  },
};

const requirePg = createRequire(join(REPO_ROOT, 'packages', 'adapter-postgres', 'package.json'));
const requireMysql = createRequire(join(REPO_ROOT, 'packages', 'adapter-mysql', 'package.json'));

/** The database server a snippet needs (it reads `DATABASE_URL`), if any. */
function serverOf(snippet: Snippet): 'postgres' | 'mysql' | null {
  if (!snippet.code.includes('process.env.DATABASE_URL')) return null;
  if (snippet.code.includes('@seshn/adapter-postgres')) return 'postgres';
  if (snippet.code.includes('@seshn/adapter-mysql')) return 'mysql';
  throw new Error(`${key(snippet)} reads DATABASE_URL but names no server adapter`);
}

const runnable = snippets.filter((s) => !s.skip);
const needs = new Set(runnable.map(serverOf).filter((k) => k !== null));
const servers: Partial<Record<'postgres' | 'mysql', ScratchDatabase | null>> = {};
if (needs.has('postgres'))
  servers.postgres = await openScratchDatabase('postgres', requirePg('pg') as PgDriver);
if (needs.has('mysql'))
  servers.mysql = await openScratchDatabase('mysql', requireMysql('mysql2/promise') as MysqlDriver);

let run: Awaited<ReturnType<typeof createRunDirectory>>;
beforeAll(async () => {
  run = await createRunDirectory();
});
afterAll(async () => {
  await run?.remove();
  await Promise.all(Object.values(servers).map((db) => db?.drop()));
});

describe('README snippets', () => {
  it('every README that promises an example has a block that runs, and only the listed blocks skip', () => {
    const readmes = new Set(runnable.map((s) => s.readme));
    for (const readme of MUST_RUN) expect(readmes, readme).toContain(readme);
    expect(snippets.filter((s) => s.skip).map(key)).toEqual(MAY_SKIP);
    for (const k of Object.keys(EXPECT)) expect(runnable.map(key)).toContain(k);
  });

  for (const snippet of runnable) {
    const server = serverOf(snippet);
    const db = server ? servers[server] : undefined;
    const title = `${key(snippet)} (line ${snippet.line}) runs as written, ${CLOCKS.map((c) => c.name).join(' and ')}`;
    if (db === null) {
      it(`${title} — skipped: no ${server} server locally (CI=true fails instead)`, () =>
        expect(db).toBeNull());
      continue;
    }
    it(title, async () => {
      const results = await Promise.all(
        CLOCKS.map(async (clock) => {
          const dir = join(run.dir, `${key(snippet).replace(/[^\w]+/g, '-')}-${clock.shiftMs}`);
          await mkdir(dir, { recursive: true });
          const file = join(dir, 'snippet.ts');
          await writeFile(file, snippet.code);
          const env: Record<string, string> = db ? { DATABASE_URL: db.url } : {};
          return { clock, result: await runTypeScript(file, { shiftMs: clock.shiftMs, env }) };
        }),
      );
      for (const { clock, result } of results) {
        const ended = result.signal ? ` (killed by ${result.signal}: did it leave a pool open?)` : '';
        const where = `${key(snippet)} ${clock.name}${ended}:\n${result.stdout}\n${result.stderr}`;
        expect(result.code, where).toBe(0);
        expect(result.stderr.trim(), where).toBe('');
        EXPECT[key(snippet)]?.(result);
      }
    }, 150_000);
  }
});
