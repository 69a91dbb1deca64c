/**
 * A seeded random walk through the booking lifecycle, for tests that check what the stored data
 * looks like afterwards (derived tables, constraints) on a real database.
 * @module
 */
import { SeshnError } from '@seshn/core';
import { HOUR, iso, MINUTE, T0, type World } from './fixtures.js';
import { seededRandom } from './random.js';

/** Refusals a random operation may meet (a full slot, a booking already cancelled, a lapsed hold). */
const EXPECTED_REFUSALS = ['slot_unavailable', 'invalid_state', 'validation_failed'];

/**
 * Runs `steps` random operations (create, hold, confirm, cancel, reschedule, a minute passing)
 * over the world's exclusive `appointment` and a 3-seat `Group` appointment it adds on `studio`,
 * all starting between 09:00 and 10:30 on `T0` so that they collide. Expected refusals are
 * swallowed, anything else is thrown. The same seed replays the same operations.
 *
 * @returns the ids of the bookings created, in order.
 * @example
 * const w = await makeWorld(adapter, 'walk');
 * await runRandomLifecycle(w, { seed: 11, steps: 60 });
 * // then compare the stored rows with what the bookings imply
 */
export async function runRandomLifecycle(
  w: World,
  options: { seed: number; steps: number },
): Promise<string[]> {
  const group = await w.seshn.services.create({
    name: 'Group',
    kind: 'appointment',
    durationMinutes: 60,
    gridMinutes: 30,
    capacity: 3,
    resourceIds: [w.studio.id],
    horizonDays: null,
  });
  const random = seededRandom(options.seed);
  const pick = <T>(xs: T[]) => xs[Math.floor(random() * xs.length)]!;
  const ids: string[] = [];
  for (let step = 0; step < options.steps; step++) {
    const op = pick(['create', 'create', 'hold', 'confirm', 'cancel', 'move', 'tick']);
    const id = ids.length ? pick(ids) : undefined;
    const attempt = async () => {
      const serviceId = pick([w.appointment.id, group.id]);
      const startTime = iso(T0 + 9 * HOUR + pick([0, 1, 2, 3]) * 30 * MINUTE);
      if (op === 'create' || op === 'hold') {
        const b = await w.seshn.bookings.create({
          serviceId,
          startTime,
          contactId: w.contact.id,
          ...(op === 'hold' ? { hold: { ttlSeconds: 120 } } : {}),
        });
        ids.push(b.id);
      } else if (op === 'confirm' && id) await w.seshn.bookings.confirm(id);
      else if (op === 'cancel' && id) await w.seshn.bookings.cancel(id);
      else if (op === 'move' && id) await w.seshn.bookings.reschedule(id, { startTime });
      else w.clock.advance(MINUTE);
    };
    await attempt().catch((e: unknown) => {
      if (!(e instanceof SeshnError) || !EXPECTED_REFUSALS.includes(e.code)) throw e;
    });
  }
  return ids;
}
