#!/usr/bin/env node
// The `seshn-mcp` command (source: src/cli.ts). Installed, it runs the build (dist/cli.js). In
// the repository (tsconfig.json beside package.json, which is not published) it runs the
// TypeScript source through tsx with the workspace's `dev-source` condition, so no build is needed.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = new URL('..', import.meta.url);
const inRepo = existsSync(new URL('tsconfig.json', root)) && existsSync(new URL('src/cli.ts', root));

if (!inRepo) {
  await import('../dist/cli.js');
} else {
  const child = spawn(
    process.execPath,
    [
      '--conditions=dev-source',
      '--import',
      import.meta.resolve('tsx'),
      fileURLToPath(new URL('src/cli.ts', root)),
      ...process.argv.slice(2),
    ],
    { stdio: 'inherit' },
  );
  for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
}
