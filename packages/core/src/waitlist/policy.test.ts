import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { entriesAhead, newcomerRoom, type QueueEntry, serveQueue } from './policy.js';

const q = (...seats: number[]): QueueEntry[] =>
  seats.map((s, i) => ({ id: `wl_${i + 1}`, seats: s, position: i + 1 }));

describe('serveQueue', () => {
  it('serves in position order whatever order the queue is given in', () => {
    const queue = q(1, 2, 1).reverse();
    expect(serveQueue(4, queue, false)).toEqual({
      served: ['wl_1', 'wl_2', 'wl_3'],
      used: 4,
      room: 0,
      blocked: false,
    });
  });

  it('non-strict: an entry that does not fit is passed over, smaller ones behind it are served', () => {
    expect(serveQueue(3, q(4, 2, 2, 1), false)).toEqual({
      served: ['wl_2', 'wl_4'],
      used: 3,
      room: 0,
      blocked: false,
    });
    expect(serveQueue(5, q(4, 2, 2), false)).toEqual({ served: ['wl_1'], used: 4, room: 1, blocked: false });
  });

  it('strict: the first entry that does not fit keeps every free seat left, nobody passes it', () => {
    expect(serveQueue(3, q(4, 2, 1), true)).toEqual({ served: [], used: 3, room: 0, blocked: true });
    expect(serveQueue(5, q(2, 4, 1), true)).toEqual({ served: ['wl_1'], used: 5, room: 0, blocked: true });
    expect(serveQueue(5, q(2, 3), true)).toEqual({
      served: ['wl_1', 'wl_2'],
      used: 5,
      room: 0,
      blocked: false,
    });
    expect(serveQueue(6, q(2, 3), true)).toEqual({
      served: ['wl_1', 'wl_2'],
      used: 5,
      room: 1,
      blocked: false,
    });
  });

  it('an empty queue leaves every free seat to a newcomer; an overfull slot has no room', () => {
    expect(serveQueue(3, [], true)).toEqual({ served: [], used: 0, room: 3, blocked: false });
    expect(serveQueue(-2, q(1), false)).toEqual({ served: [], used: 0, room: -2, blocked: false });
    expect(serveQueue(-2, q(1), true)).toEqual({ served: [], used: 0, room: -2, blocked: true });
    expect(newcomerRoom(-2, [], false)).toBe(0);
  });

  it('newcomerRoom is the room behind the whole queue', () => {
    expect(newcomerRoom(3, q(1), false)).toBe(2);
    expect(newcomerRoom(3, q(4, 1), false)).toBe(2);
    expect(newcomerRoom(3, q(4, 1), true)).toBe(0);
  });
});

describe('entriesAhead', () => {
  const queue = q(1, 1, 1, 1);
  it('a newcomer has every entry ahead; a promoted entry only those with a lower position', () => {
    expect(entriesAhead(queue).map((e) => e.id)).toEqual(['wl_1', 'wl_2', 'wl_3', 'wl_4']);
    expect(entriesAhead(queue, { promotes: { entryId: 'wl_3', position: 3 } }).map((e) => e.id)).toEqual([
      'wl_1',
      'wl_2',
    ]);
  });
  it('entries already promoted by the request stop counting', () => {
    const promoted = new Set(['wl_1']);
    expect(entriesAhead(queue, { promoted, promotes: { entryId: 'wl_2', position: 2 } })).toEqual([]);
    expect(entriesAhead(queue, { promoted }).map((e) => e.id)).toEqual(['wl_2', 'wl_3', 'wl_4']);
  });
});

// ---------------------------------------------------------------------------------------------
// Model-based: one slot with a queue, run as a state machine. The system under test promotes with
// serveQueue after every change and books newcomers with newcomerRoom; the model restates the
// specification independently (prefix sums instead of a loop), and every step checks the
// invariants the specification names.

interface Entry {
  id: string;
  seats: number;
  position: number;
}

/** The specification, written apart from serveQueue. */
function specServe(
  free: number,
  queue: readonly Entry[],
  strict: boolean,
): { served: Entry[]; room: number } {
  const ordered = [...queue].sort((a, b) => a.position - b.position);
  if (strict) {
    // The longest prefix whose seats add up to at most `free`; anything behind it gets nothing.
    const prefix: Entry[] = [];
    for (const e of ordered) {
      const total = [...prefix, e].reduce((s, x) => s + x.seats, 0);
      if (total > free) return { served: prefix, room: Math.min(0, free) };
      prefix.push(e);
    }
    return { served: prefix, room: free - prefix.reduce((s, x) => s + x.seats, 0) };
  }
  // An entry is served when the seats of the entries served ahead of it leave it room.
  const total = (es: Entry[]) => es.reduce((s, x) => s + x.seats, 0);
  const served: Entry[] = [];
  for (const e of ordered) if (total(served) + e.seats <= free) served.push(e);
  return { served, room: free - served.reduce((s, x) => s + x.seats, 0) };
}

interface Model {
  capacity: number;
  booked: number;
  queue: Entry[];
  strict: boolean;
  nextPosition: number;
  /** Every entry promoted so far, in promotion order. */
  promoted: string[];
}

/** The slot as an engine would run it on top of serveQueue / newcomerRoom. */
class Slot {
  booked = 0;
  strict = false;
  /** Kept in reverse arrival order: serveQueue must order by position itself. */
  queue: Entry[] = [];
  promotions: string[][] = [];
  constructor(public capacity: number) {}
  promote(): string[] {
    const { served } = serveQueue(this.capacity - this.booked, this.queue, this.strict);
    for (const id of served) {
      const e = this.queue.find((x) => x.id === id);
      if (!e) throw new Error(`served an unknown entry ${id}`);
      this.booked += e.seats;
    }
    this.queue = this.queue.filter((e) => !served.includes(e.id));
    return served;
  }
}

/** Applies the model's promotion and checks the system's against it and the invariants. */
function promoteBoth(m: Model, r: Slot): void {
  const before = r.queue.map((e) => ({ ...e }));
  const free = m.capacity - m.booked;
  const expected = specServe(free, m.queue, m.strict);
  const result = serveQueue(free, r.queue, r.strict);
  const served = r.promote();
  const expectedIds = expected.served.map((e) => e.id);
  expect(served).toEqual(expectedIds);
  expect(result.room).toBe(expected.room);
  // Served order is position order.
  const positions = served.map((id) => before.find((e) => e.id === id)?.position ?? Number.NaN);
  expect(positions).toEqual([...positions].sort((a, b) => a - b));
  // Seats are never over-assigned.
  expect(result.used).toBeLessThanOrEqual(Math.max(0, free));
  expect(r.booked).toBeLessThanOrEqual(r.capacity);
  const left = before.filter((e) => !served.includes(e.id));
  if (m.strict) {
    // Nobody passes a blocked entry: every served entry stands ahead of every one left waiting.
    for (const e of left) for (const p of positions) expect(p).toBeLessThan(e.position);
    expect(result.blocked).toBe(left.length > 0);
  } else {
    // An entry that does not fit never blocks a smaller one: whoever is left does not fit now.
    for (const e of left) expect(e.seats).toBeGreaterThan(r.capacity - r.booked);
    expect(result.blocked).toBe(false);
  }
  m.booked += expected.served.reduce((s, e) => s + e.seats, 0);
  m.queue = m.queue.filter((e) => !expectedIds.includes(e.id));
  m.promoted.push(...expectedIds);
  expect(r.booked).toBe(m.booked);
  expect(r.queue.map((e) => e.id).sort()).toEqual(m.queue.map((e) => e.id).sort());
}

class JoinCommand implements fc.Command<Model, Slot> {
  constructor(readonly seats: number) {}
  check(m: Readonly<Model>) {
    return this.seats <= m.capacity;
  }
  run(m: Model, r: Slot) {
    const entry = { id: `wl_${m.nextPosition}`, seats: this.seats, position: m.nextPosition };
    m.nextPosition++;
    m.queue.push({ ...entry });
    r.queue.unshift({ ...entry });
    promoteBoth(m, r);
  }
  toString() {
    return `join(${this.seats})`;
  }
}

class FreeCommand implements fc.Command<Model, Slot> {
  constructor(readonly seats: number) {}
  check(m: Readonly<Model>) {
    return m.booked > 0;
  }
  run(m: Model, r: Slot) {
    const k = Math.min(this.seats, m.booked);
    m.booked -= k;
    r.booked -= k;
    promoteBoth(m, r);
  }
  toString() {
    return `free(${this.seats})`;
  }
}

class NewcomerCommand implements fc.Command<Model, Slot> {
  constructor(readonly seats: number) {}
  check() {
    return true;
  }
  run(m: Model, r: Slot) {
    const free = m.capacity - m.booked;
    const room = newcomerRoom(free, r.queue, r.strict);
    // Newcomers stand behind everyone: in strict order a waiting entry leaves them nothing; in
    // non-strict order whatever no waiting entry fits in.
    const spec = m.strict && m.queue.length > 0 ? 0 : Math.max(0, specServe(free, m.queue, m.strict).room);
    expect(room).toBe(spec);
    if (this.seats <= room) {
      m.booked += this.seats;
      r.booked += this.seats;
    }
    expect(r.booked).toBeLessThanOrEqual(r.capacity);
  }
  toString() {
    return `newcomer(${this.seats})`;
  }
}

class LeaveCommand implements fc.Command<Model, Slot> {
  constructor(readonly pick: number) {}
  check(m: Readonly<Model>) {
    return m.queue.length > 0;
  }
  run(m: Model, r: Slot) {
    const gone = m.queue[this.pick % m.queue.length] as Entry;
    m.queue = m.queue.filter((e) => e.id !== gone.id);
    r.queue = r.queue.filter((e) => e.id !== gone.id);
    promoteBoth(m, r);
  }
  toString() {
    return `leave(#${this.pick})`;
  }
}

class StrictCommand implements fc.Command<Model, Slot> {
  constructor(readonly strict: boolean) {}
  check() {
    return true;
  }
  run(m: Model, r: Slot) {
    m.strict = this.strict;
    r.strict = this.strict;
    promoteBoth(m, r);
  }
  toString() {
    return `strict(${this.strict})`;
  }
}

const commands = [
  fc.integer({ min: 1, max: 6 }).map((n) => new JoinCommand(n)),
  fc.integer({ min: 1, max: 6 }).map((n) => new FreeCommand(n)),
  fc.integer({ min: 1, max: 6 }).map((n) => new NewcomerCommand(n)),
  fc.nat().map((n) => new LeaveCommand(n)),
  fc.boolean().map((b) => new StrictCommand(b)),
];

describe('serveQueue, model-based', () => {
  it('a slot run by serveQueue behaves like the specification', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 8 }),
        fc.integer({ min: 0, max: 8 }),
        fc.boolean(),
        fc.commands(commands, { maxCommands: 40 }),
        (capacity, bookedRaw, strict, cmds) => {
          const booked = Math.min(bookedRaw, capacity);
          const setup = () => {
            const real = new Slot(capacity);
            real.booked = booked;
            real.strict = strict;
            const model: Model = { capacity, booked, queue: [], strict, nextPosition: 1, promoted: [] };
            return { model, real };
          };
          fc.modelRun(setup, cmds);
        },
      ),
      { numRuns: 400 },
    );
  });

  it('agrees with the specification on arbitrary queues (any order, gaps in positions)', () => {
    const queueArb = fc
      .uniqueArray(fc.integer({ min: 1, max: 50 }), { maxLength: 8 })
      .chain((positions) =>
        fc.tuple(
          ...positions.map((p) =>
            fc.integer({ min: 1, max: 6 }).map((s) => ({ id: `wl_${p}`, seats: s, position: p })),
          ),
        ),
      );
    fc.assert(
      fc.property(fc.integer({ min: -3, max: 12 }), queueArb, fc.boolean(), (free, queue, strict) => {
        const got = serveQueue(free, queue, strict);
        const spec = specServe(free, queue, strict);
        expect(got.served).toEqual(spec.served.map((e) => e.id));
        expect(got.room).toBe(spec.room);
        expect(got.used).toBe(free - spec.room);
        expect(got.used).toBeGreaterThanOrEqual(0);
        expect(got.used).toBeLessThanOrEqual(Math.max(0, free));
        expect(newcomerRoom(free, queue, strict)).toBe(Math.max(0, spec.room));
      }),
      { numRuns: 500 },
    );
  });
});
