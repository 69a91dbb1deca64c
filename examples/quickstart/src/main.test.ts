/**
 * Runs the quickstart as `pnpm quickstart` does, on today's wall clock and on one moved about ten
 * years ahead (it must not depend on the day it is run), and checks what it prints — including
 * that the comment explaining why 09:30 and 10:00 are refused names the reasons it prints.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runTypeScript } from '../../readme-snippets/src/snippets.js';

const MAIN = fileURLToPath(new URL('./main.ts', import.meta.url));
const CWD = fileURLToPath(new URL('..', import.meta.url));
const DAY = 86_400_000;

/** `09:30 bookable? false [ 'conflict' ]` → { '09:30': { available: false, codes: ['conflict'] } } */
function explained(stdout: string): Record<string, { available: boolean; codes: string[] }> {
  const found: Record<string, { available: boolean; codes: string[] }> = {};
  for (const m of stdout.matchAll(/^(\d\d:\d\d) bookable\? (true|false) \[([^\]]*)\]$/gm)) {
    const codes = [...m[3]!.matchAll(/'([a-z_]+)'/g)].map((c) => c[1]!);
    found[m[1]!] = { available: m[2] === 'true', codes };
  }
  return found;
}

describe('quickstart', () => {
  for (const [name, shiftMs] of [
    ['today', 0],
    ['ten years from now', 3653 * DAY + 5 * 3_600_000],
  ] as const) {
    it(`runs and prints the bookings and why 09:30 and 10:00 are refused (${name})`, async () => {
      const run = await runTypeScript(MAIN, { cwd: CWD, shiftMs });
      expect(run.code, run.stderr).toBe(0);
      expect(run.stdout).toMatch(
        /^class booking: bkg_\w+ confirmed 2 seats \{ amount: 4000, currency: 'gbp' \}$/m,
      );
      expect(run.stdout).toMatch(
        /^appointment: confirmed 2026-03-09T09:00:00\.000Z \{ amount: 6500, currency: 'gbp' \}$/m,
      );
      expect(explained(run.stdout)).toEqual({
        '09:30': { available: false, codes: ['conflict'] },
        '10:00': { available: false, codes: ['buffer_conflict'] },
        '10:30': { available: true, codes: [] },
      });
      expect(run.stdout).toMatch(/^remaining after booking: 10$/m);
    }, 90_000);
  }

  it('the comment on the refused starts names exactly the reasons the quickstart prints', async () => {
    const source = readFileSync(MAIN, 'utf8');
    const start = source.indexOf('// 3.');
    expect(start).toBeGreaterThan(0);
    const following = source.slice(start).split('\n');
    const end = following.findIndex((line) => !line.trimStart().startsWith('//'));
    const comment = following.slice(0, end).join('\n');
    const run = await runTypeScript(MAIN, { cwd: CWD });
    const refused = Object.entries(explained(run.stdout)).filter(([, e]) => !e.available);
    expect(refused.length).toBeGreaterThan(0);
    const printed = new Set(refused.flatMap(([, e]) => e.codes));
    const named = new Set([...comment.matchAll(/`([a-z_]+)`/g)].map((m) => m[1]!));
    expect(named).toEqual(printed);
    for (const [time] of refused) expect(comment).toContain(time);
  }, 90_000);
});
