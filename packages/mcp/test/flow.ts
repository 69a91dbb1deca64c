/**
 * The short assistant flow both transports are driven through, by the MCP SDK's own `Client`:
 * list the tools, check availability, quote, book 2 seats, cancel; then a bad argument and a full
 * slot, each a tool error (with the next slots offered for the full one), after which the server
 * still answers.
 */
import type { Client } from '@modelcontextprotocol/client';
import { expect } from 'vitest';
import type { SeshnFixture } from './fixture.js';

export const TOOL_NAMES = [
  'seshn_list_services',
  'seshn_check_availability',
  'seshn_quote_booking',
  'seshn_find_contact',
  'seshn_create_booking',
  'seshn_get_booking',
  'seshn_list_bookings',
  'seshn_confirm_booking',
  'seshn_reschedule_booking',
  'seshn_cancel_booking',
  'seshn_check_in',
  'seshn_check_entitlements',
  'seshn_join_waitlist',
];

// biome-ignore lint/suspicious/noExplicitAny: tool results read by the tests
type Json = Record<string, any>;

export function textOf(result: { content?: unknown }): string {
  const blocks = (result.content ?? []) as { type: string; text?: string }[];
  return blocks
    .filter((b) => b.type === 'text')
    .map((b) => b.text)
    .join('\n');
}

async function call(client: Client, name: string, args: Json) {
  const result = await client.callTool({ name, arguments: args });
  return { ...result, text: textOf(result), data: result.structuredContent as Json };
}

export async function listsValidTools(client: Client): Promise<void> {
  const { tools } = await client.listTools();
  expect(tools.map((t) => t.name).sort()).toEqual([...TOOL_NAMES].sort());
  for (const t of tools) {
    expect(t.inputSchema.type, t.name).toBe('object');
    expect(t.inputSchema.anyOf, `${t.name}: a flat object for models`).toBeUndefined();
    expect(typeof t.inputSchema.properties, t.name).toBe('object');
    expect(t.outputSchema?.type, t.name).toBe('object');
    expect(t.description?.length, t.name).toBeGreaterThan(40);
    // Plain JSON, no cycles: what a client sends on to a model.
    expect(JSON.parse(JSON.stringify(t))).toEqual(t);
  }
  const create = tools.find((t) => t.name === 'seshn_create_booking')!;
  expect(create.description).toMatch(/seshn_quote_booking/);
  expect(create.description).toMatch(/confirm the price with the user/);
  expect(Object.keys(create.inputSchema.properties ?? {})).toEqual(
    expect.arrayContaining(['slotId', 'serviceId', 'startTime', 'contactId', 'seats', 'hold']),
  );
  expect(create.inputSchema.required).toEqual(['contactId']);
}

/** The booking flow; returns the booking id it made and cancelled. */
export async function bookingFlow(client: Client, fx: SeshnFixture): Promise<string> {
  const services = await call(client, 'seshn_list_services', {});
  expect(services.isError).toBeFalsy();
  expect(services.text).toContain(fx.serviceId);
  expect(services.text).toContain('€15.00 per seat');

  const avail = await call(client, 'seshn_check_availability', {
    serviceId: fx.serviceId,
    from: fx.day,
    to: fx.day,
    seats: 2,
  });
  expect(avail.isError).toBeFalsy();
  const slots = avail.data.slots as Json[];
  expect(slots).toHaveLength(2); // 09:00 and 18:00 Berlin time
  const slot = slots[0]!;
  expect(slot).toMatchObject({
    serviceId: fx.serviceId,
    timezone: 'Europe/Berlin',
    remaining: 3,
    capacity: 3,
  });
  // Shown in the resource's zone and in UTC.
  const local = new Intl.DateTimeFormat('en-GB', {
    timeZone: 'Europe/Berlin',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).format(new Date(slot.startTime));
  expect(local).toBe('09:00');
  const utc = new Date(slot.startTime).toISOString().slice(11, 16);
  expect(utc).not.toBe('09:00'); // Berlin is never UTC
  expect(avail.text).toContain(`09:00–10:00 Europe/Berlin (${utc}–`);
  expect(avail.text).toContain('UTC');
  expect(avail.text).toContain(slot.id);

  const found = await call(client, 'seshn_find_contact', { email: fx.contactEmail });
  expect(found.isError).toBeFalsy();
  expect(found.data.data[0].id).toBe(fx.contactId);

  const quote = await call(client, 'seshn_quote_booking', { slotId: slot.id, seats: 2 });
  expect(quote.isError).toBeFalsy();
  expect(quote.data).toEqual({ price: { amount: 3000, currency: 'eur' } });
  expect(quote.text).toContain('€30.00');

  const booked = await call(client, 'seshn_create_booking', {
    slotId: slot.id,
    contactId: fx.contactId,
    seats: 2,
  });
  expect(booked.isError, booked.text).toBeFalsy();
  expect(booked.data).toMatchObject({
    object: 'booking',
    status: 'confirmed',
    seats: 2,
    price: { amount: 3000 },
  });
  expect(booked.text).toContain('Europe/Berlin');
  expect(booked.text).toContain(booked.data.id);

  const got = await call(client, 'seshn_get_booking', { id: booked.data.id });
  expect(got.data).toMatchObject({ id: booked.data.id, status: 'confirmed' });

  const cancelled = await call(client, 'seshn_cancel_booking', {
    id: booked.data.id,
    reason: 'plans changed',
  });
  expect(cancelled.isError, cancelled.text).toBeFalsy();
  expect(cancelled.data).toMatchObject({
    id: booked.data.id,
    status: 'cancelled',
    cancellationReason: 'plans changed',
  });
  return booked.data.id as string;
}

/** A bad argument and a full slot: tool errors with actionable text; the server keeps serving. */
export async function errorsAreToolErrors(client: Client, fx: SeshnFixture): Promise<void> {
  const bad = await call(client, 'seshn_create_booking', { slotId: 'slot_x', seats: 0 });
  expect(bad.isError).toBe(true);
  expect(bad.text).toMatch(/Invalid arguments for seshn_create_booking/);
  expect(bad.text).toContain('`seats`');
  expect(bad.text).toContain('`contactId`');

  const avail = await call(client, 'seshn_check_availability', {
    serviceId: fx.serviceId,
    from: fx.day,
    to: fx.day,
  });
  const evening = (avail.data.slots as Json[])[1]!;
  const first = await call(client, 'seshn_create_booking', {
    slotId: evening.id,
    contactId: fx.contactId,
    seats: 2,
  });
  expect(first.isError, first.text).toBeFalsy();
  const full = await call(client, 'seshn_create_booking', {
    slotId: evening.id,
    contactId: fx.contactId,
    seats: 2,
  });
  expect(full.isError).toBe(true);
  expect(full.text).toContain('slot_unavailable');
  expect(full.text).toMatch(/That slot just filled; here are the next three:/);
  expect(full.text).toContain('seshn_join_waitlist');
  const offered = [...full.text.matchAll(/slotId: (slot_\S+)/g)].map((m) => m[1]);
  expect(offered).toHaveLength(3);
  expect(offered).not.toContain(evening.id);
  // The first one offered is bookable for the same seats.
  const retry = await call(client, 'seshn_create_booking', {
    slotId: offered[0],
    contactId: fx.contactId,
    seats: 2,
  });
  expect(retry.isError, retry.text).toBeFalsy();

  const unknown = await call(client, 'seshn_get_booking', { id: 'bkg_01h2xcejqtf2nbrexx3vqjhp41' });
  expect(unknown.isError).toBe(true);
  expect(unknown.text).toMatch(/not_found/);

  // Still serving.
  const after = await call(client, 'seshn_list_bookings', { contactId: fx.contactId, status: 'confirmed' });
  expect(after.isError, after.text).toBeFalsy();
  expect(after.data.data).toHaveLength(2);
}

/** Hold → confirm → reschedule (onto a full slot first) → check in outside its window. */
export async function holdConfirmRescheduleCheckIn(client: Client, fx: SeshnFixture): Promise<void> {
  const later = new Date(Date.parse(`${fx.day}T00:00:00Z`) + 7 * 86_400_000).toISOString().slice(0, 10);
  const avail = await call(client, 'seshn_check_availability', {
    serviceId: fx.serviceId,
    from: later,
    to: later,
  });
  const [morning, evening] = avail.data.slots as Json[];
  const held = await call(client, 'seshn_create_booking', {
    slotId: morning!.id,
    contactId: fx.contactId,
    seats: 1,
    hold: true,
  });
  expect(held.isError, held.text).toBeFalsy();
  expect(held.data.status).toBe('held');
  expect(held.text).toMatch(/hold expires/);
  const confirmed = await call(client, 'seshn_confirm_booking', { id: held.data.id });
  expect(confirmed.data).toMatchObject({ id: held.data.id, status: 'confirmed' });

  // Fill the evening, then try to move there: refused, the booking stays, the next slots offered.
  const filler = await call(client, 'seshn_create_booking', {
    slotId: evening!.id,
    contactId: fx.contactId,
    seats: 3,
  });
  expect(filler.isError, filler.text).toBeFalsy();
  const refused = await call(client, 'seshn_reschedule_booking', { id: held.data.id, slotId: evening!.id });
  expect(refused.isError).toBe(true);
  expect(refused.text).toMatch(/here are the next three:/);
  const next = [...refused.text.matchAll(/slotId: (slot_\S+)/g)].map((m) => m[1]!);
  expect(next).toHaveLength(3);
  const moved = await call(client, 'seshn_reschedule_booking', { id: held.data.id, slotId: next[0] });
  expect(moved.isError, moved.text).toBeFalsy();
  expect(moved.data).toMatchObject({ id: held.data.id, slotId: next[0], status: 'confirmed' });

  // A week ahead, the check-in window is not open: an invalid_state tool error that says why.
  const early = await call(client, 'seshn_check_in', { id: held.data.id });
  expect(early.isError).toBe(true);
  expect(early.text).toMatch(/invalid_state/);
  expect(early.text).toMatch(/check_in_window/);
}

/** The seed's promise: "2 seats booked … 8 classes left on your pack." */
export async function creditsFlow(client: Client, fx: SeshnFixture): Promise<void> {
  const before = await call(client, 'seshn_check_entitlements', { contactId: fx.contactId });
  expect(before.isError).toBeFalsy();
  expect(before.text).toContain('10-class pack (pack, active): 10 credits left');
  expect(before.data.totals).toMatchObject({ remaining: 10, unlimited: false });

  // Three weeks after the fixture's day, where the other flows book nothing.
  const day = new Date(Date.parse(fx.day) + 21 * 86_400_000).toISOString().slice(0, 10);
  const avail = await call(client, 'seshn_check_availability', {
    serviceId: fx.serviceId,
    from: day,
    to: day,
  });
  const slot = (avail.data.slots as Json[]).find((s) => s.remaining >= 2)!;
  const booked = await call(client, 'seshn_create_booking', {
    slotId: slot.id,
    contactId: fx.contactId,
    seats: 2,
    useCredits: true,
  });
  expect(booked.isError, booked.text).toBeFalsy();
  expect(booked.data).toMatchObject({ status: 'confirmed', seats: 2 });

  const after = await call(client, 'seshn_check_entitlements', { contactId: fx.contactId });
  expect(after.text).toContain('8 credits left');
  expect(after.text).toContain('In all: 8 credits available.');
  // A bad contact id is a tool error that names the field, and the server goes on.
  const bad = await call(client, 'seshn_check_entitlements', { contactId: 'nope' });
  expect(bad.isError).toBe(true);
  expect(bad.text).toMatch(/contactId/);
}

/** A full slot: the waitlist takes the contact; a slot with room is refused (book it instead). */
export async function waitlistFlow(client: Client, fx: SeshnFixture): Promise<void> {
  // Four weeks after the fixture's day, where the other flows book nothing.
  const day = new Date(Date.parse(fx.day) + 28 * 86_400_000).toISOString().slice(0, 10);
  const avail = await call(client, 'seshn_check_availability', {
    serviceId: fx.serviceId,
    from: day,
    to: day,
  });
  const slot = (avail.data.slots as Json[])[0]!;
  const early = await call(client, 'seshn_join_waitlist', { slotId: slot.id, contactId: fx.contactId });
  expect(early.isError).toBe(true);
  expect(early.text).toMatch(/slot_available/);
  expect(early.text).toContain('seshn_create_booking');

  const full = await call(client, 'seshn_create_booking', {
    slotId: slot.id,
    contactId: fx.contactId,
    seats: slot.capacity,
  });
  expect(full.isError, full.text).toBeFalsy();
  const joined = await call(client, 'seshn_join_waitlist', { slotId: slot.id, contactId: fx.contactId });
  expect(joined.isError, joined.text).toBeFalsy();
  expect(joined.data).toMatchObject({ object: 'waitlist_entry', status: 'waiting', position: 1 });
  expect(joined.text).toContain('position 1');
  // Cancelling frees the seats: the entry is booked in the same transaction.
  await call(client, 'seshn_cancel_booking', { id: full.data.id });
  const mine = await call(client, 'seshn_list_bookings', { contactId: fx.contactId, status: 'confirmed' });
  expect((mine.data.data as Json[]).some((b) => b.slotId === slot.id && b.seats === 1)).toBe(true);
}
