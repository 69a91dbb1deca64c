/**
 * Runs race workers as real OS processes and collects their results.
 * @module
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { RaceJob } from './race-worker.js';

const WORKER = fileURLToPath(new URL('./race-worker.ts', import.meta.url));

export type RaceResult = { ok: boolean; code?: string; seats: number; id?: string }[];

export function runWorker(job: RaceJob): Promise<RaceResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ['--conditions=dev-source', '--import', 'tsx', WORKER, JSON.stringify(job)],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => {
      out += d;
    });
    child.stderr.on('data', (d) => {
      err += d;
    });
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) return reject(new Error(`race worker exited ${code}: ${err.slice(0, 2000)}`));
      try {
        resolve(JSON.parse(out.trim().split('\n').pop() ?? '[]'));
      } catch {
        reject(new Error(`race worker printed no result: ${out.slice(0, 500)} ${err.slice(0, 500)}`));
      }
    });
  });
}

/** Starts `jobs` as processes that begin together a little after all have booted. */
export async function runProcessRace(jobs: Omit<RaceJob, 'startAt'>[]): Promise<RaceResult[]> {
  const startAt = Date.now() + 4000 + jobs.length * 300;
  return Promise.all(jobs.map((j) => runWorker({ ...j, startAt })));
}
