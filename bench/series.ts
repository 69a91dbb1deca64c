/**
 * Booking series benchmark: creating one 52-occurrence weekly series vs 52 single
 * `bookings.create` calls for the same slots, on a file-backed database. A series is one
 * transaction with one `reserve` (batched insert) and batched events; singles pay a transaction
 * each. Target: series ≤ 0.3× the singles.
 *
 * Each run gets a fresh resource and service (not timed) so every measurement books an empty
 * calendar; series and singles alternate so both see the same database size. The ratio is the
 * median of the per-run ratios: each pair runs back to back, which cancels most of the noise of a
 * shared machine.
 */

import { createSeshn, type SeshnAdapter } from '../packages/core/src/index.js';
import { onEachDatabase } from './lib/databases.js';

const OCCURRENCES = 52;
const WARMUP = 3;
const RUNS = 15;
const TARGET_RATIO = 0.3;
const ALL_DAY = [{ start: '00:00', end: '24:00' }];

export interface SeriesBenchRow {
  name: string;
  seriesMs: number;
  singlesMs: number;
  ratio: number;
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
};

/**
 * Measures one adapter: median ms to create a 52-occurrence series, and to make the same 52
 * bookings one `bookings.create` at a time. `makeAdapter` must return a fresh, empty database.
 * @example
 * const row = await benchSeriesOn('postgres', () => postgresAdapter({ connectionString }));
 */
export async function benchSeriesOn(
  name: string,
  makeAdapter: () => SeshnAdapter | Promise<SeshnAdapter>,
): Promise<SeriesBenchRow> {
  const seshn = createSeshn({ adapter: await makeAdapter(), now: () => new Date('2026-01-05T00:00:00Z') });
  try {
    await seshn.migrate();
    const contact = await seshn.contacts.create({ name: 'Bench' });
    const fresh = async () => {
      const room = await seshn.resources.create({
        name: 'Room',
        timezone: 'Europe/London',
        availability: {
          weekly: {
            mon: ALL_DAY,
            tue: ALL_DAY,
            wed: ALL_DAY,
            thu: ALL_DAY,
            fri: ALL_DAY,
            sat: ALL_DAY,
            sun: ALL_DAY,
          },
        },
      });
      return seshn.services.create({
        name: 'Session',
        kind: 'appointment',
        durationMinutes: 60,
        resourceIds: [room.id],
        pricing: { strategy: 'flat', amount: 4000, currency: 'gbp' },
      });
    };
    const series: number[] = [];
    const singles: number[] = [];
    const ratios: number[] = [];
    for (let run = 0; run < WARMUP + RUNS; run++) {
      const a = await fresh();
      let t0 = performance.now();
      const created = await seshn.bookingSeries.create({
        contactId: contact.id,
        serviceId: a.id,
        recurrence: {
          frequency: 'weekly',
          dayOfWeek: 2,
          time: '14:00',
          startDate: '2026-01-06',
          count: OCCURRENCES,
        },
      });
      const seriesMs = performance.now() - t0;
      if (created.bookings.length !== OCCURRENCES) throw new Error('series did not book every occurrence');

      const b = await fresh();
      // The same instants (London, so they move with BST), booked one by one.
      const starts = created.bookings.map((x) => x.startTime);
      t0 = performance.now();
      for (const startTime of starts) {
        await seshn.bookings.create({ serviceId: b.id, startTime, contactId: contact.id });
      }
      const singlesMs = performance.now() - t0;
      if (run >= WARMUP) {
        series.push(seriesMs);
        singles.push(singlesMs);
        ratios.push(seriesMs / singlesMs);
      }
      process.stderr.write(
        `series bench ${name}: run ${run + 1}/${WARMUP + RUNS} series ${seriesMs.toFixed(1)} ms, singles ${singlesMs.toFixed(1)} ms\n`,
      );
    }
    return { name, seriesMs: median(series), singlesMs: median(singles), ratio: median(ratios) };
  } finally {
    await seshn.close();
  }
}

/** A file-backed SQLite database in a fresh temp dir (removed by the returned cleanup). */
/**
 * The markdown section for `pnpm bench`. Pass more targets (Postgres, MySQL) as
 * `{ name, make }`; the default is SQLite on a file in a temp dir.
 */
export async function bench(
  targets?: { name: string; make: () => SeshnAdapter | Promise<SeshnAdapter> }[],
): Promise<string> {
  const rows: SeriesBenchRow[] = [];
  if (targets) {
    for (const t of targets) rows.push(await benchSeriesOn(t.name, t.make));
  } else {
    rows.push(...(await onEachDatabase('series', (db) => benchSeriesOn(db.name, db.make))));
  }
  const lines = [
    '## Booking series',
    '',
    `One weekly series of ${OCCURRENCES} occurrences (\`bookingSeries.create\`) vs the same ${OCCURRENCES} slots booked with \`bookings.create\` one at a time; median of ${RUNS} runs after ${WARMUP} warm-up runs; the ratio is the median of the per-run ratios. Target ratio ≤ ${TARGET_RATIO}×.`,
    '',
    `| database | series of ${OCCURRENCES} (ms) | ${OCCURRENCES} × bookings.create (ms) | ms per occurrence (series / single) | ratio | target |`,
    '| --- | ---: | ---: | ---: | ---: | --- |',
    ...rows.map(
      (r) =>
        `| ${r.name} | ${r.seriesMs.toFixed(1)} | ${r.singlesMs.toFixed(1)} | ${(r.seriesMs / OCCURRENCES).toFixed(2)} / ${(r.singlesMs / OCCURRENCES).toFixed(2)} | ${r.ratio.toFixed(2)}× | ${r.ratio <= TARGET_RATIO ? 'met' : 'MISSED'} (≤ ${TARGET_RATIO}×) |`,
    ),
  ];
  return lines.join('\n');
}
