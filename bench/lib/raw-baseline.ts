/**
 * A private copy of `../shared/bench/raw-reserve` (the raw-SQL baseline) for one bench run. The
 * shared folder is read-only and the baseline writes data/ and results/ next to itself, so it
 * runs from a temp copy; its driver packages are the workspace's own, linked in (no native
 * compile), with `npm install` as the fallback when they do not load there.
 */
import { execFileSync } from 'node:child_process';
import {
  chmodSync,
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  rmSync,
  symlinkSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const RAW_SOURCE =
  process.env.SESHN_RAW_RESERVE_DIR ??
  join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'shared', 'bench', 'raw-reserve');

export interface RawBaselineCopy {
  /** Temp dir prefix, e.g. `seshn-raw-reserve-`. */
  prefix: string;
  /** A script the copy must contain (fails early when the baseline is not there). */
  entry: string;
  /** Package name → installed package folder to link into the copy's node_modules. */
  packages: Record<string, string>;
  /** JavaScript run in the copy to prove the packages load. */
  probe: string;
  /** Edits to the copied scripts, if any. */
  patch?: (dir: string) => void;
  log: (message: string) => void;
}

export function copyRawBaseline(o: RawBaselineCopy): string {
  if (!existsSync(join(RAW_SOURCE, o.entry))) {
    throw new Error(`raw baseline not found at ${RAW_SOURCE} (set SESHN_RAW_RESERVE_DIR)`);
  }
  const dir = mkdtempSync(join(tmpdir(), o.prefix));
  cpSync(RAW_SOURCE, dir, { recursive: true });
  chmodSync(dir, 0o755);
  for (const f of readdirSync(dir)) chmodSync(join(dir, f), 0o644);
  o.patch?.(dir);
  mkdirSync(join(dir, 'node_modules'));
  for (const [name, folder] of Object.entries(o.packages)) {
    symlinkSync(folder, join(dir, 'node_modules', name), 'dir');
  }
  try {
    execFileSync(process.execPath, ['-e', o.probe], { cwd: dir, stdio: 'pipe' });
  } catch {
    o.log('workspace drivers do not load for the baseline; running npm install (slow)');
    rmSync(join(dir, 'node_modules'), { recursive: true, force: true });
    execFileSync('npm', ['install', '--no-audit', '--no-fund', ...Object.keys(o.packages)], {
      cwd: dir,
      stdio: 'pipe',
    });
  }
  return dir;
}
