import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sqliteAdapter } from '../../packages/adapter-sqlite/src/index.js';
import { createSeshn } from '../../packages/core/src/index.js';

// Profiling driver for `bookings.create` on SQLite, one process:
//   node --cpu-prof --conditions=dev-source --import tsx bench/lib/profile-sqlite-reserve.ts 8000 [spread]
// prints bookings/s and CPU µs per booking every 500; "spread" books a new slot each time.

const N = Number(process.argv[2] ?? 2000);
// "spread": every booking on its own slot, earlier each time, so no read grows with the data.
const SPREAD = process.argv[3] === 'spread';
const dir = mkdtempSync(join(tmpdir(), 'seshn-prof-'));
const file = join(dir, 'b.db');
const NOW = Date.parse('2030-01-01T00:00:00Z');
const seshn = createSeshn({ adapter: sqliteAdapter({ filename: file }), now: () => new Date(NOW) });
await seshn.migrate();
const allDay = [{ start: '00:00', end: '24:00' }];
const room = await seshn.resources.create({
  name: 'Hall',
  timezone: 'UTC',
  availability: {
    weekly: { mon: allDay, tue: allDay, wed: allDay, thu: allDay, fri: allDay, sat: allDay, sun: allDay },
  },
});
const service = await seshn.services.create({
  name: 'Hot',
  kind: 'appointment',
  durationMinutes: 60,
  capacity: 100000,
  resourceIds: [room.id],
  horizonDays: null,
});
const contact = await seshn.contacts.create({ name: 'B' });
const req = { serviceId: service.id, contactId: contact.id, startTime: '2030-01-07T10:00:00Z', seats: 1 };
let t = performance.now();
let cpu = process.cpuUsage();
for (let i = 1; i <= N; i++) {
  await seshn.bookings.create(
    SPREAD
      ? { ...req, startTime: new Date(Date.parse(req.startTime) + 86_400_000 * 365 - i * 3_600_000) }
      : req,
  );
  if (i % 500 === 0) {
    const n = performance.now();
    const c = process.cpuUsage(cpu);
    console.error(
      `${i}: ${(500 / ((n - t) / 1000)).toFixed(0)}/s wall, ${((c.user + c.system) / 500).toFixed(0)} µs CPU per booking`,
    );
    t = n;
    cpu = process.cpuUsage();
  }
}
await seshn.close();
rmSync(dir, { recursive: true, force: true });
