/**
 * Seshn quickstart: an embedded booking engine on SQLite in a dozen calls. Books a seat in a yoga
 * class and a massage appointment, holds and confirms, and prints what happened.
 *
 * Run: pnpm quickstart   (from the repository root)
 */

import { sqliteAdapter } from '@seshn/adapter-sqlite';
import { createSeshn } from '@seshn/core';

// A fixed clock (Monday 9 March 2026, 08:00 UTC) keeps the output the same on any day you run
// it; a real app passes () => new Date(). London is on GMT that day, so 09:00Z is 09:00 local.
let clock = new Date('2026-03-09T08:00:00Z');
const seshn = createSeshn({ adapter: sqliteAdapter({ filename: ':memory:' }), now: () => clock });
await seshn.migrate();

const studio = await seshn.resources.create({
  name: 'Studio A',
  timezone: 'Europe/London',
  availability: {
    weekly: { mon: [{ start: '07:00', end: '21:00' }], tue: [{ start: '07:00', end: '21:00' }] },
  },
});
const therapist = await seshn.resources.create({
  name: 'Therapy room',
  timezone: 'Europe/London',
  availability: {
    weekly: { mon: [{ start: '09:00', end: '17:00' }], tue: [{ start: '09:00', end: '17:00' }] },
  },
});

const yoga = await seshn.services.create({
  name: 'Hot yoga',
  kind: 'class',
  durationMinutes: 60,
  capacity: 12,
  resourceIds: [studio.id],
  timetable: [
    { resourceId: studio.id, rrule: 'FREQ=WEEKLY;BYDAY=MO,TU;BYHOUR=9,18', dtstart: '2026-03-02T09:00' },
  ],
  pricing: { strategy: 'per_seat', unitAmount: 2000, currency: 'gbp' },
});
const massage = await seshn.services.create({
  name: 'Massage',
  kind: 'appointment',
  durationMinutes: 60,
  gridMinutes: 30,
  bufferAfterMinutes: 15,
  resourceIds: [therapist.id],
  pricing: { strategy: 'flat', amount: 6500, currency: 'gbp' },
});

const jane = await seshn.contacts.create({ name: 'Jane Doe', email: 'jane@example.com' });

// 1. A class seat: query sessions, book two seats in the first one.
const sessions = await seshn.availability.query({ serviceId: yoga.id, from: '2026-03-09', to: '2026-03-10' });
console.log(
  'yoga sessions:',
  sessions.map((s) => `${s.startTime} (${s.remaining}/${s.capacity} left)`),
);
const seat = await seshn.bookings.create({ slotId: sessions[0]!.id, contactId: jane.id, seats: 2 });
console.log('class booking:', seat.id, seat.status, seat.seats, 'seats', seat.price);

// 2. An appointment: hold a slot for 10 minutes, then confirm it.
const slots = await seshn.availability.query({ serviceId: massage.id, from: '2026-03-09', to: '2026-03-09' });
console.log('massage slots on Monday:', slots.length, 'first', slots[0]?.startTime);
const held = await seshn.bookings.create({
  slotId: slots[0]!.id,
  contactId: jane.id,
  hold: { ttlSeconds: 600 },
});
console.log('held until', held.expiresAt);
const confirmed = await seshn.bookings.confirm(held.id);
console.log('appointment:', confirmed.status, confirmed.startTime, confirmed.price);

// 3. Why can't I book 09:30 or 10:00? 09:30–10:30 overlaps the 09:00–10:00 massage itself
//    (`conflict`); 10:00–11:00 would start inside that massage's 15-minute buffer after
//    (`buffer_conflict`). 10:30 is free.
for (const startTime of ['2026-03-09T09:30:00Z', '2026-03-09T10:00:00Z', '2026-03-09T10:30:00Z']) {
  const why = await seshn.availability.explain({ serviceId: massage.id, startTime });
  console.log(
    `${startTime.slice(11, 16)} bookable?`,
    why.available,
    why.reasons.map((r) => r.code),
  );
}

clock = new Date('2026-03-09T08:30:00Z');
console.log(
  'remaining after booking:',
  (await seshn.availability.query({ serviceId: yoga.id, from: '2026-03-09', to: '2026-03-09' }))[0]
    ?.remaining,
);
await seshn.close();
