/**
 * Runs race workers as real OS processes and collects their results.
 * @module
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { WorkRun } from '@seshn/core';
import type { RaceJob } from './race-worker.js';

// From the repository's sources (`dev-source`) the worker is TypeScript and runs through tsx;
// from the published build it is `dist/race-worker.js`, and tsx is loaded only when the adapter
// under test is TypeScript itself (an adapter author testing their sources).
const FROM_SOURCE = import.meta.url.endsWith('.ts');
const WORKER = fileURLToPath(new URL(FROM_SOURCE ? './race-worker.ts' : './race-worker.js', import.meta.url));

function workerArgs(job: RaceJob): string[] {
  if (FROM_SOURCE) return ['--conditions=dev-source', '--import', 'tsx', WORKER];
  if (/\.[cm]?tsx?$/.test(job.spec.module)) return ['--import', import.meta.resolve('tsx'), WORKER];
  return [WORKER];
}

export type RaceResult = {
  ok: boolean;
  code?: string;
  seats: number;
  id?: string;
  promoted?: string;
  /** What a `runDue` attempt did. */
  run?: WorkRun;
}[];

export function runWorker(job: RaceJob): Promise<RaceResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...workerArgs(job), JSON.stringify(job)], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
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
