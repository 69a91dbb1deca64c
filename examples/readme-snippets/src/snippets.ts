/**
 * Helpers for the README snippet tests: find the READMEs, extract their ```ts blocks, and run a
 * TypeScript file the way a reader would (`node --conditions=dev-source --import tsx file.ts`),
 * optionally with the wall clock shifted (see `shifted-clock.ts`).
 */
import { execFile } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { mkdir, mkdtemp, realpath, rm, symlink } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));
export const SHIFTED_CLOCK = fileURLToPath(new URL('./shifted-clock.ts', import.meta.url));

export interface Snippet {
  /** README path relative to the repository root. */
  readme: string;
  /** Index among the README's ```ts blocks. */
  index: number;
  /** 1-based line of the opening fence. */
  line: number;
  code: string;
  /** The reason given by a `<!-- snippet: skip-run reason -->` comment right above the block. */
  skip?: string;
}

const SKIP = /^<!--\s*snippet:\s*skip-run\s+(.+?)\s*-->$/;

/** Every ```ts / ```typescript block of a markdown text, with its skip-run marker if any. */
export function extractSnippets(readme: string, markdown: string): Snippet[] {
  const lines = markdown.split('\n');
  const snippets: Snippet[] = [];
  for (let i = 0; i < lines.length; i++) {
    const fence = /^(\s*)(```+|~~~+)\s*(ts|typescript)\s*$/.exec(lines[i]!);
    if (!fence) continue;
    const close = fence[2]!;
    const body: string[] = [];
    let j = i + 1;
    while (j < lines.length && lines[j]!.trim() !== close) body.push(lines[j++]!);
    if (j === lines.length) throw new Error(`${readme}:${i + 1}: unclosed code block`);
    let k = i - 1;
    while (k >= 0 && lines[k]!.trim() === '') k--;
    const skip = k >= 0 ? SKIP.exec(lines[k]!.trim())?.[1] : undefined;
    snippets.push({
      readme,
      index: snippets.length,
      line: i + 1,
      code: body.join('\n') + '\n',
      ...(skip ? { skip } : {}),
    });
    i = j;
  }
  return snippets;
}

const IGNORED_DIRS = new Set(['node_modules', 'dist', 'coverage', '.git', '.node24']);

/** Every README.md in the repository (relative paths, sorted), outside dependencies and builds. */
export function findReadmes(root = REPO_ROOT): string[] {
  const found: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (entry.isDirectory()) {
        if (!IGNORED_DIRS.has(entry.name) && !entry.name.startsWith('.run-')) walk(join(dir, entry.name));
      } else if (entry.name === 'README.md') found.push(relative(root, join(dir, entry.name)));
    }
  };
  walk(root);
  return found.sort();
}

/** Workspace packages a snippet may import, and the third-party modules the READMEs use. */
/** Every package of the workspace (each README may import any of them). */
const WORKSPACE = readdirSync(join(REPO_ROOT, 'packages')).filter((name) =>
  existsSync(join(REPO_ROOT, 'packages', name, 'package.json')),
);
/** The drivers and frameworks snippets import, linked from the workspace package that depends on each. */
const THIRD_PARTY = [
  'better-sqlite3',
  'kysely',
  'pg',
  'mysql2',
  'express',
  'fastify',
  'rate-limiter-flexible',
];

/**
 * A scratch directory inside the repository whose `node_modules` links every workspace package
 * and the drivers, so a snippet's bare imports resolve exactly as in an app that installed them.
 */
export async function createRunDirectory(): Promise<{ dir: string; remove(): Promise<void> }> {
  const dir = await mkdtemp(join(REPO_ROOT, 'examples', 'readme-snippets', '.run-'));
  const modules = join(dir, 'node_modules');
  await mkdir(join(modules, '@seshn'), { recursive: true });
  for (const name of WORKSPACE)
    await symlink(join(REPO_ROOT, 'packages', name), join(modules, '@seshn', name));
  for (const name of THIRD_PARTY) {
    const from = WORKSPACE.map((p) => join(REPO_ROOT, 'packages', p, 'node_modules', name)).find((p) =>
      existsSync(p),
    );
    if (!from) throw new Error(`No workspace package depends on ${name}; run pnpm install`);
    await symlink(await realpath(from), join(modules, name));
  }
  return { dir, remove: () => rm(dir, { recursive: true, force: true }) };
}

export interface RunResult {
  code: number | null;
  /** The signal that ended the process (`SIGTERM` when it outlived `timeoutMs`). */
  signal: string | null;
  stdout: string;
  stderr: string;
  /** The (shifted) wall clock when the process started, in ms. */
  startedAt: number;
}

/**
 * Runs `file` with `node --conditions=dev-source --import tsx`, in `cwd`, with the wall clock moved
 * by `shiftMs` (0: the real clock). Never rejects: the exit code and output are returned.
 */
export function runTypeScript(
  file: string,
  options: { cwd?: string; shiftMs?: number; env?: Record<string, string>; timeoutMs?: number } = {},
): Promise<RunResult> {
  const shiftMs = options.shiftMs ?? 0;
  const args = ['--conditions=dev-source', '--import', 'tsx', '--import', SHIFTED_CLOCK, file];
  const startedAt = Date.now() + shiftMs;
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      args,
      {
        cwd: options.cwd ?? dirname(file),
        env: { ...process.env, ...options.env, SESHN_TEST_CLOCK_SHIFT_MS: String(shiftMs) },
        timeout: options.timeoutMs ?? 60_000,
        maxBuffer: 8 * 1024 * 1024,
      },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : null) : 0;
        resolve({ code, signal: error?.signal ?? null, stdout, stderr, startedAt });
      },
    );
  });
}

/** The wall clock and weekday/time of an instant in a zone, e.g. `Sat 09:00`. */
export function localWeekdayTime(instant: string, timeZone: string): string {
  return new Intl.DateTimeFormat('en-GB', {
    timeZone,
    weekday: 'short',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  })
    .format(new Date(instant))
    .replace(',', '');
}
