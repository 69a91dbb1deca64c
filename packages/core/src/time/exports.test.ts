/**
 * Every export of `time/` is imported outside the file that defines it (by another module or by a
 * test), so helpers nobody calls do not pile up in a module every engine depends on. A helper
 * only its own file needs stays unexported; a type its own exported signatures name counts as
 * used.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = join(HERE, '..', '..', '..', '..');
const MODULES = ['interval.ts', 'zone.ts'];

/** Every .ts file of the workspace's packages, examples and benchmarks (no node_modules, no dist). */
function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    if (e.name === 'node_modules' || e.name === 'dist' || e.name.startsWith('.')) continue;
    const path = join(dir, e.name);
    if (e.isDirectory()) out.push(...sourceFiles(path));
    else if (e.name.endsWith('.ts') && !e.name.endsWith('.d.ts')) out.push(path);
  }
  return out;
}

const exportedNames = (source: string) =>
  [
    ...source.matchAll(
      /^export (?:declare )?(?:async )?(?:function|const|let|class|interface|type|enum) ([A-Za-z0-9_$]+)/gm,
    ),
  ].map((m) => m[1]!);

/** Names listed in the `import { … } from` and `export { … } from` clauses of a file. */
const importedNames = (source: string) =>
  [...source.matchAll(/\b(?:import|export)\s+(?:type\s+)?\{([^}]*)\}\s*from\s*['"][^'"]+['"]/g)].flatMap(
    (m) =>
      m[1]!
        .split(',')
        .map((part) =>
          part
            .trim()
            .replace(/^type\s+/, '')
            .split(/\s+as\s+/)[0]!
            .trim(),
        )
        .filter(Boolean),
  );

const exportedTypeNames = (source: string) =>
  [...source.matchAll(/^export (?:interface|type) ([A-Za-z0-9_$]+)/gm)].map((m) => m[1]!);

describe('time/ exports', () => {
  const files = ['packages', 'examples', 'bench'].flatMap((d) => sourceFiles(join(ROOT, d)));
  const texts = new Map(files.map((f) => [f, readFileSync(f, 'utf8')]));

  it('finds the modules and the workspace', () => {
    expect(files.length).toBeGreaterThan(50);
    for (const m of MODULES) expect(texts.has(join(HERE, m))).toBe(true);
  });

  for (const module of MODULES) {
    it(`every export of time/${module} is used outside it`, () => {
      const own = join(HERE, module);
      const source = texts.get(own)!;
      const types = new Set(exportedTypeNames(source));
      const imported = new Set(
        [...texts].filter(([file]) => file !== own).flatMap(([, text]) => importedNames(text)),
      );
      const unused = exportedNames(source).filter((name) => {
        if (imported.has(name)) return false;
        // A type that the module's own signatures name (a function's return type) is part of them.
        return !(types.has(name) && source.split(new RegExp(`\\b${name}\\b`)).length > 2);
      });
      expect(unused, `unused exports of ${relative(ROOT, own)}`).toEqual([]);
    });
  }
});
