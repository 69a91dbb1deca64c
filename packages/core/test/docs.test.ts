/**
 * The documentation stays true to the code and to the repository:
 * - docs/api.md has one section per operation of the operation table, in the table's order, and
 *   no section for an operation that does not exist (add or remove the section with the
 *   operation);
 * - every relative link of the project's markdown points at a file of the repository, and every
 *   `#anchor` at a heading of that file: nothing links outside the repository, nothing dangles;
 * - every test docs/invariants.md names (in italics, in its **Tests.** paragraphs) is a test that
 *   exists, so renaming or deleting one shows in the docs;
 * - no source comment, README or benchmark refers to notes a clone does not have (the team's
 *   notes folder beside the checkout, or its design, API and stack pages; the pattern is
 *   `OUTSIDE` below): the repository's own docs/ is the reference.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { operationList } from '../src/api/table.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const read = (path: string) => readFileSync(path, 'utf8');

/** The project's markdown: the root pages, docs/, and each package's and example's README. */
function markdownFiles(): string[] {
  const files = ['README.md', 'CONTRIBUTING.md'].map((f) => join(ROOT, f));
  files.push(
    ...readdirSync(join(ROOT, 'docs'))
      .filter((f) => f.endsWith('.md'))
      .map((f) => join(ROOT, 'docs', f)),
  );
  for (const group of ['packages', 'examples']) {
    for (const name of readdirSync(join(ROOT, group))) {
      const dir = join(ROOT, group, name);
      for (const file of [join(dir, 'README.md'), join(dir, 'src', 'recurrence', 'README.md')]) {
        if (existsSync(file)) files.push(file);
      }
    }
  }
  return files.filter((f) => existsSync(f));
}

/** Text outside fenced code blocks (links in code are examples, not links). */
const prose = (markdown: string) => markdown.replace(/^```[\s\S]*?^```/gm, '');

/** GitHub's anchors of a page's headings (lower case, punctuation dropped, spaces → `-`, repeats numbered). */
function anchors(markdown: string): Set<string> {
  const seen = new Map<string, number>();
  const out = new Set<string>();
  for (const m of prose(markdown).matchAll(/^#{1,6}\s+(.+?)\s*#*\s*$/gm)) {
    const base = m[1]!
      .toLowerCase()
      .replace(/[^\p{L}\p{N}\s_-]/gu, '')
      .replace(/\s/g, '-');
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    out.add(n === 0 ? base : `${base}-${n}`);
  }
  return out;
}

describe('docs/api.md and the operation table', () => {
  const api = read(join(ROOT, 'docs', 'api.md'));
  const documented = [...api.matchAll(/^### `seshn\.([A-Za-z]+\.[A-Za-z]+)`$/gm)].map((m) => m[1]!);

  it('documents every operation once, in the table’s order, and nothing else', () => {
    expect(documented).toEqual(operationList.map((op) => op.name));
  });

  it('gives each operation the call form, mutation, permission and route the table declares', () => {
    const sections = api.split(/^### /m);
    for (const op of operationList) {
      const section = sections.find((s) => s.startsWith(`\`seshn.${op.name}\``))!.replace(/\s+/g, ' ');
      const method = op.name.split('.')[1]!;
      const call = op.positional.length ? `${method}(${op.positional.join(', ')}` : `${method}(`;
      const route = op.http ? `\`${op.http.method} ${op.http.path}\`` : 'embedded only';
      const access = op.public ? `${op.permission}, public` : op.permission;
      const line = op.mutates ? `· **mutates**, \`${access}\`, ${route}` : `· ${access}, ${route}`;
      expect(section, `${op.name}: call form`).toContain(`**Call**: \`${call}`);
      expect(section, `${op.name}: mutates, permission, route`).toContain(line);
    }
  });
});

describe('links in the documentation', () => {
  for (const file of markdownFiles()) {
    it(`${relative(ROOT, file)}: every relative link and anchor resolves inside the repository`, () => {
      const text = read(file);
      const broken: string[] = [];
      for (const m of prose(text).matchAll(/\]\(([^)\s]+)\)/g)) {
        const target = m[1]!;
        if (/^[a-z]+:/i.test(target)) continue; // https:, mailto:
        const [path, anchor] = target.split('#') as [string, string | undefined];
        const resolved = path === '' ? file : resolve(dirname(file), path);
        if (!resolved.startsWith(`${ROOT}/`) || !existsSync(resolved)) {
          broken.push(`${target} (no such file in the repository)`);
          continue;
        }
        if (anchor && statSync(resolved).isFile() && resolved.endsWith('.md')) {
          if (!anchors(read(resolved)).has(anchor)) broken.push(`${target} (no heading #${anchor})`);
        }
      }
      expect(broken).toEqual([]);
    });
  }
});

describe('references outside the repository', () => {
  const OUTSIDE = /\.\.\/shared\b|\bDESIGN\.md\b|\bAPI\.md\b|\bSTACK\.md\b/;
  const SELF = fileURLToPath(import.meta.url);

  function files(dir: string): string[] {
    return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
      if (e.name === 'node_modules' || e.name === 'dist' || e.name === 'results' || e.name.startsWith('.'))
        return [];
      const path = join(dir, e.name);
      if (e.isDirectory()) return files(path);
      return /\.(ts|md|json)$/.test(e.name) ? [path] : [];
    });
  }

  it('no file of packages/, examples/, bench/, docs/ or the root pages names notes a clone lacks', () => {
    const all = [
      ...['packages', 'examples', 'bench', 'docs'].flatMap((d) => files(join(ROOT, d))),
      ...['README.md', 'CONTRIBUTING.md', 'package.json'].map((f) => join(ROOT, f)),
    ];
    expect(all.length).toBeGreaterThan(100);
    const found = all
      .filter((f) => f !== SELF)
      .flatMap((f) =>
        read(f)
          .split('\n')
          .flatMap((line, i) =>
            OUTSIDE.test(line) ? [`${relative(ROOT, f)}:${i + 1}: ${line.trim()}`] : [],
          ),
      );
    expect(found).toEqual([]);
  });
});

describe('license', () => {
  it('LICENSE is the Apache License 2.0, and every package says so', () => {
    expect(read(join(ROOT, 'LICENSE'))).toMatch(/^\s*Apache License\s+Version 2\.0, January 2004/);
    const packages = readdirSync(join(ROOT, 'packages')).filter((p) =>
      existsSync(join(ROOT, 'packages', p, 'package.json')),
    );
    expect(packages.length).toBeGreaterThan(3);
    for (const p of packages) {
      const manifest = JSON.parse(read(join(ROOT, 'packages', p, 'package.json'))) as { license?: string };
      expect(manifest.license, `packages/${p}/package.json`).toBe('Apache-2.0');
    }
  });
});

describe('docs/invariants.md', () => {
  function tsFiles(dir: string): string[] {
    return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
      if (e.name === 'node_modules' || e.name === 'dist') return [];
      const path = join(dir, e.name);
      if (e.isDirectory()) return tsFiles(path);
      return e.name.endsWith('.ts') ? [path] : [];
    });
  }

  it('names only tests that exist', () => {
    const code = tsFiles(join(ROOT, 'packages')).map(read).join('\n').replace(/\s+/g, ' ');
    const doc = read(join(ROOT, 'docs', 'invariants.md'));
    const named = doc
      .split(/\n\s*\n/)
      .filter((paragraph) => paragraph.startsWith('**Tests.**'))
      .flatMap((paragraph) =>
        [...paragraph.matchAll(/(?<![*\w])\*([^*]+)\*(?![*\w])/g)].map((m) => m[1]!.replace(/\s+/g, ' ')),
      );
    expect(named.length).toBeGreaterThan(20);
    expect(named.filter((title) => !code.includes(title))).toEqual([]);
  });
});
