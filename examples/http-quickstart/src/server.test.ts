/**
 * Runs the HTTP quickstart as the README says — `pnpm --filter @seshn/example-http start` — and
 * then the curl lines it prints, exactly as printed, in a shell: the README's promise that a
 * developer can start the server, take the test key and book over curl.
 */
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const CWD = fileURLToPath(new URL('..', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'seshn-http-quickstart-'));
let server: ChildProcess | undefined;

/** Starts the server and resolves with what it printed once it printed its last curl line. */
function start(): Promise<string[]> {
  return new Promise((resolve, reject) => {
    server = spawn(process.execPath, ['--conditions=dev-source', '--import', 'tsx', 'src/server.ts'], {
      cwd: CWD,
      env: { ...process.env, PORT: '0', SESHN_DB: join(dir, 'seshn.db') },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    server.stdout!.on('data', (chunk) => {
      out += chunk;
      const lines = out.split('\n').filter(Boolean);
      if (lines.filter((l) => l.startsWith('curl ')).length === 3) resolve(lines);
    });
    server.stderr!.on('data', (chunk) => {
      err += chunk;
    });
    server.on('exit', (code) => reject(new Error(`server exited with ${code}: ${err}`)));
  });
}

const sh = (line: string, key: string) =>
  new Promise<string>((resolve, reject) =>
    execFile('sh', ['-c', line], { env: { ...process.env, SESHN_KEY: key } }, (error, stdout) =>
      error ? reject(error) : resolve(stdout),
    ),
  );

afterAll(() => {
  server?.kill();
  rmSync(dir, { recursive: true, force: true });
});

describe('HTTP quickstart', () => {
  it('starts on SQLite, prints a test key, and its curl lines book a slot', async () => {
    const lines = await start();
    const key = lines.find((l) => l.startsWith('export SESHN_KEY='))!.slice('export SESHN_KEY='.length);
    expect(key).toMatch(/^sk_test_/);
    const [availability, book, list] = lines.filter((l) => l.startsWith('curl '));

    const slots = JSON.parse(await sh(availability!, key)) as { id: string; remaining: number }[];
    expect(slots.length).toBeGreaterThan(0);
    const booking = JSON.parse(await sh(book!, key)) as { id: string; status: string; price: unknown };
    expect(booking).toMatchObject({ status: 'confirmed', price: { amount: 6500, currency: 'gbp' } });
    const page = JSON.parse(await sh(list!, key)) as { data: { id: string }[]; hasMore: boolean };
    expect(page.data.map((b) => b.id)).toEqual([booking.id]);
    // The same line again: that slot is taken now.
    const again = JSON.parse(await sh(book!, key)) as { error: { code: string; requestId: string } };
    expect(again.error.code).toBe('slot_unavailable');
    expect(again.error.requestId).toMatch(/^req_/);
  }, 60_000);
});
