#!/usr/bin/env node
/**
 * Checks every publishable package as a user would install it: packs it with `pnpm pack` (which
 * rewrites `workspace:` ranges, exactly as `pnpm publish` does), then runs publint and
 * Are-The-Types-Wrong on the tarball. Run `pnpm build` first: the tarballs carry `dist/`.
 *
 *   pnpm check:packages            every package under packages/ that is not private
 *   pnpm check:packages core sql   only these (directory names)
 *
 * Exits non-zero when any check reports a problem (publint warnings count, with --strict).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(fileURLToPath(new URL('..', import.meta.url)));
const bin = (name) => join(root, 'node_modules', '.bin', name);
const only = process.argv.slice(2);
// The pnpm running this script (`pnpm check:packages`), else the one on PATH.
const execPath = process.env.npm_execpath ?? '';
const pnpm = /pnpm/.test(execPath) ? [process.execPath, execPath] : ['pnpm'];

const packages = readdirSync(join(root, 'packages'))
  .filter((dir) => (only.length === 0 ? true : only.includes(dir)))
  .map((dir) => join(root, 'packages', dir))
  .filter((dir) => existsSync(join(dir, 'package.json')))
  .filter((dir) => !JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')).private);

const out = mkdtempSync(join(tmpdir(), 'seshn-pack-'));
const failed = [];
try {
  for (const dir of packages) {
    const { name, exports } = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
    console.log(`\n--- ${name}`);
    if (!existsSync(join(dir, 'dist'))) {
      failed.push(`${name}: no dist/ (run pnpm build first)`);
      continue;
    }
    const before = new Set(readdirSync(out));
    execFileSync(pnpm[0], [...pnpm.slice(1), 'pack', '--pack-destination', out], {
      cwd: dir,
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    const tarball = readdirSync(out).find((f) => !before.has(f) && f.endsWith('.tgz'));
    if (!tarball) {
      failed.push(`${name}: pnpm pack wrote no tarball`);
      continue;
    }
    const file = join(out, tarball);
    const packed = JSON.parse(
      execFileSync('tar', ['-xOzf', file, 'package/package.json'], { encoding: 'utf8' }),
    );
    const leftovers = JSON.stringify(packed).match(/"workspace:[^"]*"/g);
    if (leftovers) failed.push(`${name}: packed package.json still has ${leftovers.join(', ')}`);
    console.log(`${tarball}: ${Object.keys(exports ?? {}).join(' ')}`);
    const checks = [
      ['publint', [bin('publint'), 'run', file, '--strict']],
      // ESM-only packages: no CommonJS (node16-cjs) and no pre-exports (node10) resolution.
      ['attw', [bin('attw'), file, '--profile', 'esm-only', '--no-emoji', '--format', 'table-flipped']],
    ];
    for (const [label, [command, ...args]] of checks) {
      try {
        execFileSync(command, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
        console.log(`${label}: ok`);
      } catch (error) {
        // The full report only when a check fails.
        console.log(`${label}: FAILED\n${error.stdout ?? ''}${error.stderr ?? ''}`);
        failed.push(`${name}: ${label}`);
      }
    }
  }
} finally {
  rmSync(out, { recursive: true, force: true });
}

if (failed.length > 0) {
  console.error(`\npackage checks failed:\n  ${failed.join('\n  ')}`);
  process.exit(1);
}
console.log(`\npackage checks passed: ${packages.length} packages (publint, attw)`);
