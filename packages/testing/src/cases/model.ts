/**
 * Model-based test: random sequences of create / hold / confirm / cancel / expire / reschedule run
 * against the adapter and against a tiny in-memory model; after every step both must agree on the
 * seats left in every slot (as availability reports them and as the raw rows say).
 * @module
 */
import { SeshnError } from '@seshn/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { HOUR, MINUTE, makeWorld, T0, type World } from '../fixtures.js';
import type { SuiteContext } from '../suite.js';

const iso = (ms: number) => new Date(ms).toISOString();
const SLOTS = [T0 + 9 * HOUR, T0 + 18 * HOUR, T0 + 33 * HOUR]; // yoga sessions
// Small enough that random runs fill slots often, so the full-slot rule is exercised.
const CAPACITY = 4;
const TTL = 600_000; // the fixture service's default hold

interface ModelBooking {
  id: string | null; // null when the real create failed (the model agreed)
  slot: number;
  seats: number;
  status: 'held' | 'confirmed' | 'cancelled';
  expiresAt: number | null;
}

interface Model {
  now: number;
  bookings: ModelBooking[];
}

const live = (b: ModelBooking, now: number) =>
  b.status === 'confirmed' || (b.status === 'held' && b.expiresAt !== null && b.expiresAt > now);
const remaining = (m: Model, slot: number) =>
  CAPACITY - m.bookings.filter((b) => b.slot === slot && live(b, m.now)).reduce((n, b) => n + b.seats, 0);
const effective = (b: ModelBooking, now: number) =>
  b.status === 'held' && !live(b, now) ? 'expired' : b.status;

interface Real {
  w: World;
  serviceId: string;
  /** Compares the adapter with the model; every command ends with it. */
  verify(m: Model): Promise<void>;
}

async function outcome<T>(p: Promise<T>): Promise<{ ok: true; value: T } | { ok: false; code: string }> {
  try {
    return { ok: true, value: await p };
  } catch (e) {
    if (e instanceof SeshnError) return { ok: false, code: e.code };
    throw e;
  }
}

class Create implements fc.AsyncCommand<Model, Real> {
  constructor(
    readonly slot: number,
    readonly seats: number,
    readonly hold: boolean,
  ) {}
  check = () => true;
  async run(m: Model, r: Real) {
    const fits = remaining(m, this.slot) >= this.seats;
    const res = await outcome(
      r.w.seshn.bookings.create({
        serviceId: r.serviceId,
        startTime: iso(SLOTS[this.slot]!),
        contactId: r.w.contact.id,
        seats: this.seats,
        hold: this.hold,
      }),
    );
    expect(res.ok ? 'ok' : res.code).toBe(fits ? 'ok' : 'slot_unavailable');
    if (res.ok) {
      m.bookings.push({
        id: res.value.id,
        slot: this.slot,
        seats: this.seats,
        status: this.hold ? 'held' : 'confirmed',
        expiresAt: this.hold ? m.now + TTL : null,
      });
    }
    await r.verify(m);
  }
  toString = () => `create(slot ${this.slot}, ${this.seats} seats${this.hold ? ', hold' : ''})`;
}

abstract class OnBooking implements fc.AsyncCommand<Model, Real> {
  constructor(readonly pick: number) {}
  check = (m: Readonly<Model>) => m.bookings.length > 0;
  target(m: Model) {
    return m.bookings[this.pick % m.bookings.length]!;
  }
  abstract run(m: Model, r: Real): Promise<void>;
}

class Confirm extends OnBooking {
  async run(m: Model, r: Real) {
    const b = this.target(m);
    const status = effective(b, m.now);
    const res = await outcome(r.w.seshn.bookings.confirm(b.id!));
    if (status === 'held' || status === 'confirmed') {
      expect(res.ok).toBe(true);
      b.status = 'confirmed';
      b.expiresAt = null;
    } else expect(res).toEqual({ ok: false, code: 'invalid_state' });
    await r.verify(m);
  }
  override toString = () => `confirm(#${this.pick})`;
}

class Cancel extends OnBooking {
  async run(m: Model, r: Real) {
    const b = this.target(m);
    const status = effective(b, m.now);
    const res = await outcome(r.w.seshn.bookings.cancel(b.id!));
    if (status === 'expired') expect(res).toEqual({ ok: false, code: 'invalid_state' });
    else {
      expect(res.ok).toBe(true);
      b.status = 'cancelled';
    }
    await r.verify(m);
  }
  override toString = () => `cancel(#${this.pick})`;
}

class Reschedule extends OnBooking {
  constructor(
    pick: number,
    readonly slot: number,
  ) {
    super(pick);
  }
  async run(m: Model, r: Real) {
    const b = this.target(m);
    const status = effective(b, m.now);
    const res = await outcome(r.w.seshn.bookings.reschedule(b.id!, { startTime: iso(SLOTS[this.slot]!) }));
    if (status !== 'held' && status !== 'confirmed') {
      expect(res).toEqual({ ok: false, code: 'invalid_state' });
      return;
    }
    // Its own seats do not count against the move.
    const free = remaining(m, this.slot) + (b.slot === this.slot ? b.seats : 0);
    expect(res.ok ? 'ok' : res.code).toBe(free >= b.seats ? 'ok' : 'slot_unavailable');
    if (res.ok) b.slot = this.slot;
    await r.verify(m);
  }
  override toString = () => `reschedule(#${this.pick} → slot ${this.slot})`;
}

class Advance implements fc.AsyncCommand<Model, Real> {
  constructor(readonly minutes: number) {}
  check = () => true;
  async run(m: Model, r: Real) {
    m.now += this.minutes * MINUTE;
    r.w.clock.set(m.now);
    await r.verify(m);
  }
  toString = () => `advance(${this.minutes} min)`;
}

export function modelTests(get: () => SuiteContext) {
  describe('model-based', () => {
    it('random lifecycles leave the same seats as a simple model after every step', async () => {
      const { adapter, raw } = get();
      const commands = [
        fc
          .tuple(fc.nat(2), fc.integer({ min: 1, max: 3 }), fc.boolean())
          .map(([s, n, h]) => new Create(s, n, h)),
        fc.nat(50).map((i) => new Confirm(i)),
        fc.nat(50).map((i) => new Cancel(i)),
        fc.tuple(fc.nat(50), fc.nat(2)).map(([i, s]) => new Reschedule(i, s)),
        fc.integer({ min: 1, max: 8 }).map((n) => new Advance(n)),
      ];
      await fc.assert(
        fc.asyncProperty(fc.commands(commands, { maxCommands: 30, size: 'max' }), async (cmds) => {
          const w = await makeWorld(adapter, 'model');
          const model: Model = { now: w.clock.ms(), bookings: [] };
          const svc = await w.seshn.services.create({
            name: 'Small class',
            kind: 'class',
            durationMinutes: 60,
            capacity: CAPACITY,
            resourceIds: [w.studio.id],
            timetable: [
              { resourceId: w.studio.id, rrule: 'FREQ=DAILY;BYHOUR=9,18', dtstart: '2030-01-01T09:00' },
            ],
            horizonDays: null,
          });
          const real: Real = {
            w,
            serviceId: svc.id,
            async verify(m) {
              const slots = await w.seshn.availability.query({
                serviceId: svc.id,
                from: iso(SLOTS[0]!),
                to: iso(SLOTS[2]! + 1),
              });
              expect(slots.map((s) => s.remaining)).toEqual(SLOTS.map((_, i) => remaining(m, i)));
              const stored = await raw.liveSeats(w.seshn.scope, m.now);
              const total = [...stored.values()].reduce((n, x) => n + x, 0);
              expect(total).toBe(SLOTS.reduce((n, _, i) => n + CAPACITY - remaining(m, i), 0));
              // The per-slot counter the reservation check reads equals the confirmed seats.
              const counted = await raw.slotSeats(w.seshn.scope);
              expect(counted.counter).toEqual(counted.confirmed);
              expect(counted.strays).toEqual([]);
            },
          };
          await fc.asyncModelRun(() => ({ model, real }), cmds);
        }),
        { numRuns: 15 },
      );
    }, 180_000);
  });
}
