/**
 * `pnpm bench [filter…]`: runs every benchmark module in `bench/` one after another, prints each
 * markdown section to stdout as it completes and writes them all to `bench/results/latest.md`.
 *
 * A benchmark module is a `bench/<name>.ts` file exporting `bench(): Promise<string>` (a markdown
 * section). Helpers live in `bench/lib/` (not scanned); files named `run.ts`, `*.test.ts`,
 * `*.d.ts`, `_*.ts` or `*worker*.ts` are never imported, because importing a worker would run it.
 * Arguments filter by name (case-insensitive substring, any of them): `pnpm bench availability
 * sqlite` runs `availability` and `sqlite-reserve`. A benchmark that throws gets its error as its
 * section; the others still run and the exit code is 1.
 *
 * Progress goes to stderr so stdout is exactly the markdown.
 * @module
 */
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const HERE = dirname(fileURLToPath(import.meta.url));
const RESULTS = join(HERE, 'results');

/** Names (file names without `.ts`) of the benchmark modules in `dir`, sorted. */
export function benchmarkNames(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isFile() && e.name.endsWith('.ts'))
    .map((e) => e.name)
    .filter(
      (n) =>
        n !== 'run.ts' &&
        !n.endsWith('.test.ts') &&
        !n.endsWith('.d.ts') &&
        !n.startsWith('_') &&
        !n.includes('worker'),
    )
    .map((n) => basename(n, '.ts'))
    .sort();
}

/** The names selected by the command-line filters (all of them when there is no filter). */
export function selectBenchmarks(names: string[], filters: string[]): string[] {
  const wanted = filters.filter((f) => f !== '--' && f.trim() !== '').map((f) => f.toLowerCase());
  if (wanted.length === 0) return names;
  return names.filter((n) => wanted.some((f) => n.toLowerCase().includes(f)));
}

function errorSection(name: string, error: unknown): string {
  const text = error instanceof Error ? (error.stack ?? error.message) : String(error);
  return [`## ${name}`, '', '**Failed:**', '', '```', text.replaceAll('```', "'''"), '```'].join('\n');
}

function header(selected: string[], filters: string[]): string {
  const cpu = cpus();
  const load = loadavg()
    .map((l) => l.toFixed(2))
    .join(' / ');
  return [
    '# Seshn benchmarks',
    '',
    `- run: ${new Date().toISOString()}${filters.length ? ` (filter: ${filters.join(' ')})` : ''}`,
    `- node ${process.version}, ${process.platform}/${process.arch}, ${cpu.length} × ${cpu[0]?.model ?? 'unknown cpu'}`,
    `- load average at start (1/5/15 min): ${load}`,
    `- benchmarks: ${selected.join(', ')}`,
  ].join('\n');
}

async function main(): Promise<number> {
  const filters = process.argv.slice(2).filter((a) => a !== '--');
  const names = benchmarkNames(HERE);
  const selected = selectBenchmarks(names, filters);
  if (selected.length === 0) {
    process.stderr.write(`No benchmark matches "${filters.join(' ')}". Available: ${names.join(', ')}\n`);
    return 2;
  }
  const sections: string[] = [header(selected, filters)];
  let failed = 0;
  for (const name of selected) {
    process.stderr.write(`\n▶ bench ${name}\n`);
    const t0 = performance.now();
    let section: string;
    try {
      const mod = (await import(pathToFileURL(join(HERE, `${name}.ts`)).href)) as {
        bench?: () => Promise<string>;
      };
      if (typeof mod.bench !== 'function') throw new Error(`bench/${name}.ts does not export bench()`);
      section = (await mod.bench()).trim();
    } catch (error) {
      failed++;
      section = errorSection(name, error);
    }
    const seconds = ((performance.now() - t0) / 1000).toFixed(1);
    process.stderr.write(
      `■ bench ${name}: ${seconds} s${section.includes('**Failed:**') ? ' (FAILED)' : ''}\n`,
    );
    process.stdout.write(`\n${section}\n`);
    sections.push(section);
  }
  mkdirSync(RESULTS, { recursive: true });
  const file = join(RESULTS, 'latest.md');
  writeFileSync(file, `${sections.join('\n\n')}\n`);
  process.stderr.write(`\nWrote ${file}${failed ? `; ${failed} benchmark(s) failed` : ''}\n`);
  return failed > 0 ? 1 : 0;
}

// Only when run as the entry point, so the helpers above can be imported (and tested) freely.
if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  main().then(
    // Exit explicitly: a benchmark that leaves a handle open must not hang the runner.
    (code) => process.exit(code),
    (error: unknown) => {
      process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
      process.exit(1);
    },
  );
}
