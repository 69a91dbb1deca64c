/**
 * What `@seshn/core` ships from `src/` may only import what the package depends on: its
 * `dependencies` and `peerDependencies`, its own files and other `@seshn/*` packages. Test
 * support (builders, reference models, fast-check arbitraries) therefore lives in `test/`, where
 * it is neither built nor published, and the engines stay free of `node:*`.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const PACKAGE = join(dirname(fileURLToPath(import.meta.url)), '..');
const SRC = join(PACKAGE, 'src');

function modules(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return modules(path);
    return e.name.endsWith('.ts') && !e.name.endsWith('.test.ts') ? [path] : [];
  });
}

/** The package a bare specifier names (`@scope/name/sub` → `@scope/name`), or null for a relative one. */
function packageOf(specifier: string): string | null {
  if (specifier.startsWith('.') || specifier.startsWith('/')) return null;
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]!;
}

describe('@seshn/core ships only what it depends on', () => {
  const manifest = JSON.parse(readFileSync(join(PACKAGE, 'package.json'), 'utf8')) as {
    dependencies?: Record<string, string>;
    peerDependencies?: Record<string, string>;
  };
  const allowed = new Set([
    ...Object.keys(manifest.dependencies ?? {}),
    ...Object.keys(manifest.peerDependencies ?? {}),
  ]);

  it('finds the modules', () => {
    expect(modules(SRC).length).toBeGreaterThan(20);
  });

  it('no module under src/ (tests aside) imports a test-only package, node:* or a file outside src/', () => {
    const offenders: string[] = [];
    for (const file of modules(SRC)) {
      const text = readFileSync(file, 'utf8');
      for (const m of text.matchAll(/^\s*(?:import|export)\b[^'";]*?from\s*['"]([^'"]+)['"]/gm)) {
        const specifier = m[1]!;
        const pkg = packageOf(specifier);
        const where = `${relative(PACKAGE, file)} → ${specifier}`;
        if (pkg === null) {
          if (!join(dirname(file), specifier).startsWith(SRC)) offenders.push(where);
        } else if (!allowed.has(pkg) && !pkg.startsWith('@seshn/')) offenders.push(where);
      }
    }
    expect(offenders).toEqual([]);
  });
});
