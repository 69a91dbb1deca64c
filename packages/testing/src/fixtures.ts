/**
 * A small catalog every conformance test (and the adapters' own server tests) starts from, in a
 * scope of its own, with a clock the test moves by hand; and the time constants they share.
 * @module
 */
import { createSeshn, type Seshn, type SeshnAdapter } from '@seshn/core';

/** Monday 2030-01-07 00:00 UTC: far enough ahead that no real clock interferes. */
export const T0 = Date.UTC(2030, 0, 7, 0, 0);
export const HOUR = 3_600_000;
export const MINUTE = 60_000;
const ALL_DAY = [{ start: '00:00', end: '24:00' }];
/** Weekly opening hours: open around the clock, every day. */
export const ALL_WEEK = {
  mon: ALL_DAY,
  tue: ALL_DAY,
  wed: ALL_DAY,
  thu: ALL_DAY,
  fri: ALL_DAY,
  sat: ALL_DAY,
  sun: ALL_DAY,
};

/**
 * An epoch-millisecond instant as the ISO string the public API takes.
 *
 * @example
 * iso(T0 + 9 * HOUR); // '2030-01-07T09:00:00.000Z'
 */
export const iso = (ms: number): string => new Date(ms).toISOString();

/**
 * Waits `ms` of real time (for servers and pools to notice something, never for the engine's clock).
 *
 * @example
 * await sleep(100);
 */
export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

let scopeCounter = 0;

export interface MovableClock {
  now: () => Date;
  set(ms: number): void;
  advance(ms: number): void;
  ms(): number;
}

/**
 * A clock that only moves when the test moves it, for `createSeshn({ now: clock.now })`.
 *
 * @example
 * const clock = movableClock();
 * clock.advance(5 * MINUTE);
 */
export function movableClock(start = T0): MovableClock {
  let t = start;
  return {
    now: () => new Date(t),
    set: (ms) => {
      t = ms;
    },
    advance: (ms) => {
      t += ms;
    },
    ms: () => t,
  };
}

/** An organization id no other test (or process) uses, so one database serves many tests. */
export function uniqueOrg(label: string): string {
  scopeCounter += 1;
  return `org_${label}_${process.pid}_${scopeCounter}_${Math.random().toString(36).slice(2, 8)}`;
}

export interface World {
  seshn: Seshn;
  clock: MovableClock;
  room: { id: string };
  studio: { id: string };
  /** Exclusive, 60 min, grid 30, 15 min buffer after, open 24/7 (UTC). */
  appointment: { id: string };
  /** Capacity 10 class, 60 min, daily sessions at 09:00 and 18:00 UTC on the studio. */
  yoga: { id: string };
  contact: { id: string };
}

export interface WorldOptions {
  /** The tenant mode of the scope (default `live`). */
  mode?: 'live' | 'test';
  /** The contact to create (default Jane Doe, jane@example.com). */
  contact?: Parameters<Seshn['contacts']['create']>[0];
}

/**
 * Creates the fixture catalog (see {@link World}) in a fresh organization scope named after `label`.
 *
 * @example
 * const w = await makeWorld(adapter, 'hold');
 * const b = await w.seshn.bookings.create({ serviceId: w.appointment.id, startTime: iso(T0 + 9 * HOUR), contactId: w.contact.id });
 * w.clock.advance(10 * MINUTE);
 */
export async function makeWorld(
  adapter: SeshnAdapter,
  label: string,
  options: WorldOptions = {},
): Promise<World> {
  const clock = movableClock();
  const seshn = createSeshn({
    adapter,
    now: clock.now,
    organizationId: uniqueOrg(label),
    mode: options.mode ?? 'live',
  });
  const room = await seshn.resources.create({
    name: 'Room',
    timezone: 'UTC',
    availability: { weekly: ALL_WEEK },
  });
  const studio = await seshn.resources.create({
    name: 'Studio',
    timezone: 'UTC',
    availability: { weekly: ALL_WEEK },
  });
  const appointment = await seshn.services.create({
    name: 'Appointment',
    kind: 'appointment',
    durationMinutes: 60,
    gridMinutes: 30,
    bufferAfterMinutes: 15,
    resourceIds: [room.id],
    pricing: { strategy: 'flat', amount: 5000, currency: 'usd' },
    horizonDays: null,
  });
  const yoga = await seshn.services.create({
    name: 'Yoga',
    kind: 'class',
    durationMinutes: 60,
    capacity: 10,
    resourceIds: [studio.id],
    timetable: [{ resourceId: studio.id, rrule: 'FREQ=DAILY;BYHOUR=9,18', dtstart: '2030-01-01T09:00' }],
    pricing: { strategy: 'per_seat', unitAmount: 1500, currency: 'usd' },
    horizonDays: null,
  });
  const contact = await seshn.contacts.create(
    options.contact ?? { name: 'Jane Doe', email: 'jane@example.com' },
  );
  return { seshn, clock, room, studio, appointment, yoga, contact };
}
