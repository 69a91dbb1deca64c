/**
 * Availability engine benchmark: 50 resources × 31 days (crossing the Europe/London spring DST
 * change), 15-minute grid, 60-minute service, 5,000 busy intervals spread over the resources.
 * One query = computeSlots for all 50 resources. Target: < 25 ms per query.
 */
import {
  type AvailabilityInput,
  computeSlots,
  type Occupation,
} from '../packages/core/src/availability/index.js';

const RESOURCES = 50;
const DAYS = 31;
const BUSY = 5_000;
const WARMUP = 10;
const RUNS = 40;
const TARGET_MS = 25;

/** mulberry32: small deterministic PRNG so every run measures the same data. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const MIN = 60_000;
const HOURS = [{ start: '07:00', end: '22:00' }];

/** The benchmark data set (exported for profiling). */
export function scenario(): AvailabilityInput[] {
  const rnd = prng(42);
  const from = Date.UTC(2026, 2, 15); // window crosses 2026-03-29 (clocks go forward in London)
  const to = from + DAYS * 86_400_000;
  const perResource: Occupation[][] = Array.from({ length: RESOURCES }, () => []);
  for (let i = 0; i < BUSY; i++) {
    const r = Math.floor(rnd() * RESOURCES);
    // Busy intervals start on a 5-minute grid between 06:00 and 22:00 UTC.
    const day = Math.floor(rnd() * DAYS);
    const start = from + day * 86_400_000 + (6 * 60 + Math.floor(rnd() * 192) * 5) * MIN;
    const len = (15 + Math.floor(rnd() * 8) * 15) * MIN;
    const alloc = rnd() < 0.1;
    perResource[r]!.push(
      alloc
        ? { start, end: start + len, kind: 'allocation' }
        : {
            start,
            end: start + len,
            kind: 'booking',
            bufferBeforeMinutes: rnd() < 0.3 ? 10 : 0,
            bufferAfterMinutes: rnd() < 0.5 ? 15 : 0,
            seats: 1,
            slotKey: `svc_other|${start}|${start + len}`,
          },
    );
  }
  return perResource.map((occupations, i) => ({
    timezone: 'Europe/London',
    weekly: { mon: HOURS, tue: HOURS, wed: HOURS, thu: HOURS, fri: HOURS, sat: HOURS },
    overrides: i % 5 === 0 ? [{ date: '2026-04-03', hours: [] }] : [],
    durationMinutes: 60,
    gridMinutes: 15,
    bufferBeforeMinutes: 0,
    bufferAfterMinutes: 10,
    minNoticeMinutes: 120,
    horizonDays: 60,
    capacity: 1,
    seats: 1,
    slotKeyPrefix: 'svc_main',
    occupations,
    now: from - 86_400_000,
    from,
    to,
  }));
}

function stats(samples: number[]): { median: number; p95: number } {
  const s = [...samples].sort((a, b) => a - b);
  return {
    median: s[Math.floor(s.length / 2)]!,
    p95: s[Math.min(s.length - 1, Math.ceil(s.length * 0.95) - 1)]!,
  };
}

interface Measured {
  median: number;
  p95: number;
  /** Median CPU time of this process per query: less skewed than wall time on a busy machine. */
  cpuMedian: number;
  slots: number;
}

function measure(inputs: AvailabilityInput[], opts: { includeUnavailable?: boolean }): Measured {
  let slots = 0;
  const run = () => {
    let n = 0;
    for (const input of inputs) n += computeSlots(input, opts).length;
    return n;
  };
  for (let i = 0; i < WARMUP; i++) slots = run();
  const samples: number[] = [];
  const cpu: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    slots = run();
    samples.push(performance.now() - t0);
    const c = process.cpuUsage(c0);
    cpu.push((c.user + c.system) / 1000);
  }
  return { ...stats(samples), cpuMedian: stats(cpu).median, slots };
}

export async function bench(): Promise<string> {
  const inputs = scenario();
  process.stderr.write('availability: default query…\n');
  const avail = measure(inputs, {});
  process.stderr.write('availability: includeUnavailable query…\n');
  const all = measure(inputs, { includeUnavailable: true });
  const row = (name: string, r: Measured) =>
    `| ${name} | ${r.median.toFixed(2)} | ${r.p95.toFixed(2)} | ${r.cpuMedian.toFixed(2)} | ${r.slots} | ${Math.round(
      r.slots / (r.median / 1000),
    ).toLocaleString('en-US')} | ${r.median < TARGET_MS ? 'yes' : 'NO'} |`;
  return [
    '## Availability engine',
    '',
    `${RESOURCES} resources × ${DAYS} days (Europe/London, crossing the spring DST change), 15-min grid,`,
    `60-min service, ${BUSY.toLocaleString('en-US')} busy intervals; one query = all resources.`,
    `${WARMUP} warm-up runs, ${RUNS} measured runs. Target < ${TARGET_MS} ms per query.`,
    '',
    '| query | median ms | p95 ms | CPU ms (median) | slots returned | slots/s | < 25 ms |',
    '| --- | ---: | ---: | ---: | ---: | ---: | :---: |',
    row('available slots', avail),
    row('includeUnavailable', all),
    '',
  ].join('\n');
}
