/**
 * The Seshn MCP tools: one record per tool (see {@link tool}). An operation added to core's table
 * becomes a tool by adding a record here: its name, the operation, a description for a model and
 * how to say its result in a line.
 * @module
 */
import { decodeSlotId } from '@seshn/core';
import { bookingLine, contactLine, money, type Slot, serviceLine, slotLine } from './format.js';
import { type ClientError, type ToolContext, type ToolSpec, tool } from './tool.js';

type Json = Record<string, unknown>;

const DAY_MS = 86_400_000;
/** How many slots a text lists (all of them are in `structuredContent`). */
const MAX_LINES = 40;

/** Up to `count` bookable slots of a service from `fromMs` on (the next 31 days), for `seats`. */
export async function nextSlots(
  ctx: ToolContext,
  serviceId: string,
  fromMs: number,
  seats: number,
  count = 3,
  skipId?: string,
): Promise<Slot[]> {
  const from = new Date(Math.max(fromMs, Date.now() - DAY_MS));
  const to = new Date(from.getTime() + 31 * DAY_MS);
  const slots = await ctx.client.availability.query({
    serviceId,
    from: from.toISOString(),
    to: to.toISOString(),
    seats,
  });
  return slots
    .filter((s) => s.id !== skipId && s.remaining >= seats && s.available !== false)
    .slice(0, count);
}

/** Where a refused booking wanted to be: its service and start, from a slot id or the input. */
function wanted(input: Json): { serviceId: string; start: number; slotId?: string } | null {
  if (typeof input.slotId === 'string') {
    try {
      const ref = decodeSlotId(input.slotId);
      return { serviceId: ref.serviceId, start: ref.start, slotId: input.slotId };
    } catch {
      return null;
    }
  }
  if (typeof input.serviceId === 'string' && typeof input.startTime === 'string') {
    const start = Date.parse(input.startTime);
    return Number.isNaN(start) ? null : { serviceId: input.serviceId, start };
  }
  return null;
}

/** "That slot just filled; here are the next three: …" for a `slot_unavailable` refusal. */
async function offerNextSlots(
  error: ClientError,
  input: Json,
  ctx: ToolContext,
  serviceIdFallback?: string,
): Promise<string | undefined> {
  if (error.code !== 'slot_unavailable') return undefined;
  const want =
    wanted(input) ??
    (serviceIdFallback && typeof input.startTime === 'string'
      ? { serviceId: serviceIdFallback, start: Date.parse(input.startTime) }
      : null);
  if (!want) return undefined;
  const seats = typeof input.seats === 'number' ? input.seats : 1;
  const slots = await nextSlots(ctx, want.serviceId, want.start, seats, 3, want.slotId);
  const reason = (error.details as Json | undefined)?.reason;
  const lead = reason === 'full' ? 'That slot just filled' : 'That slot is not available';
  // A full slot has a waitlist: freed seats go to it first.
  const waitlist =
    reason === 'full' && want.slotId
      ? `\nOr put the user on its waitlist: seshn_join_waitlist with slotId ${want.slotId}.`
      : '';
  if (slots.length === 0) {
    return `${lead}, and there is no free slot for ${seats} seat(s) in the next 31 days. Ask the user for another date and call seshn_check_availability.${waitlist}`;
  }
  const n = ['', 'one', 'two', 'three'][slots.length] ?? String(slots.length);
  return `${lead}; here are the next ${n}:\n${slots.map((s) => slotLine(s, seats)).join('\n')}\nOffer these to the user; book the one they choose with its slotId.${waitlist}`;
}

const listMore = (hasMore: boolean, lastId: string | undefined) =>
  hasMore && lastId ? `\nMore exist: call again with startingAfter: "${lastId}".` : '';

export const checkAvailability = tool({
  name: 'seshn_check_availability',
  operation: 'availability.query',
  title: 'Check availability',
  description:
    'Find bookable slots of a service between two dates. Use seshn_list_services first to get the serviceId. ' +
    'Each slot has a slotId (pass it to seshn_quote_booking and seshn_create_booking), its times in the ' +
    "resource's time zone and in UTC, the seats left and the price. Pass seats to see only slots with that many seats free.",
  fields: {
    serviceId: 'The service (svc_…), from seshn_list_services.',
    from: 'First day, YYYY-MM-DD (read in the resource’s time zone), or an ISO 8601 instant.',
    to: 'Last day, YYYY-MM-DD, inclusive (at most 92 days after from), or an ISO 8601 instant (exclusive).',
    seats: 'How many seats the user wants (default 1).',
  },
  resultKey: 'slots',
  text(slots, input, ctx) {
    for (const s of slots) ctx.rememberZone(s.resourceId, s.timezone);
    const seats = typeof input.seats === 'number' ? input.seats : undefined;
    if (slots.length === 0) {
      return `No bookable slots for ${input.serviceId} from ${input.from} to ${input.to}${seats ? ` for ${seats} seats` : ''}. Try other dates.`;
    }
    const lines = slots.slice(0, MAX_LINES).map((s) => slotLine(s, seats));
    const more =
      slots.length > MAX_LINES ? `\n…and ${slots.length - MAX_LINES} more (see the structured result).` : '';
    return `${slots.length} slot${slots.length === 1 ? '' : 's'} for ${input.serviceId}${seats ? ` with ${seats} seats free` : ''}:\n${lines.join('\n')}${more}`;
  },
});

export const quoteBooking = tool({
  name: 'seshn_quote_booking',
  operation: 'pricing.quote',
  title: 'Quote a booking',
  description:
    'The exact price a booking would be charged, computed as seshn_create_booking will charge it. Call it before ' +
    'booking anything that costs money and tell the user the price. Pass the slotId from seshn_check_availability and the seats.',
  fields: {
    slotId: 'A slotId from seshn_check_availability.',
    seats: 'How many seats (default 1).',
  },
  resultKey: 'price',
  text(price, input) {
    const seats = typeof input.seats === 'number' ? input.seats : 1;
    return price
      ? `Price for ${seats} seat${seats === 1 ? '' : 's'}: ${money(price)} (${price.amount} ${price.currency} in minor units). Confirm this price with the user before booking.`
      : 'This service has no pricing: the booking is free.';
  },
});

export const createBooking = tool({
  name: 'seshn_create_booking',
  operation: 'bookings.create',
  title: 'Create a booking',
  description:
    'Book seats in a slot for a contact. First call seshn_check_availability for a slotId and seshn_find_contact for ' +
    'the contactId. For anything that costs money, first call seshn_quote_booking and confirm the price with the user ' +
    'before booking. Books confirmed at once unless hold is true (then confirm later with seshn_confirm_booking). ' +
    'If the slot has just filled, the error lists the next free slots to offer instead.',
  fields: {
    slotId: 'A slotId from seshn_check_availability.',
    contactId: 'The contact (ct_…) who books, from seshn_find_contact.',
    seats: 'How many seats (default 1).',
    hold: 'true to hold the seats for the service’s hold time instead of confirming now.',
  },
  async text(booking, _input, ctx) {
    return `Booked. ${bookingLine(booking, await ctx.zoneOf(booking.resourceId))}`;
  },
  recover: (error, input, ctx) => offerNextSlots(error, input, ctx),
});

export const cancelBooking = tool({
  name: 'seshn_cancel_booking',
  operation: 'bookings.cancel',
  title: 'Cancel a booking',
  description:
    'Cancel a held or confirmed booking and free its seats. Confirm with the user first. Idempotent: cancelling a ' +
    'cancelled booking returns it unchanged.',
  fields: { id: 'The booking (bkg_…).', reason: 'Why, in a few words (optional).' },
  async text(booking, _input, ctx) {
    return `Cancelled. ${bookingLine(booking, await ctx.zoneOf(booking.resourceId))}`;
  },
});

export const rescheduleBooking = tool({
  name: 'seshn_reschedule_booking',
  operation: 'bookings.reschedule',
  title: 'Reschedule a booking',
  description:
    'Move a booking to another slot of the same service in one step (the booking keeps its id and price unless the ' +
    'length changes). Pass the booking id and the new slotId from seshn_check_availability. If the new slot is taken, ' +
    'the booking stays where it was and the error lists the next free slots.',
  fields: { id: 'The booking (bkg_…).', slotId: 'The new slotId from seshn_check_availability.' },
  async text(booking, _input, ctx) {
    return `Rescheduled. ${bookingLine(booking, await ctx.zoneOf(booking.resourceId))}`;
  },
  async recover(error, input, ctx) {
    if (error.code !== 'slot_unavailable') return undefined;
    let serviceId: string | undefined;
    if (typeof input.id === 'string' && typeof input.slotId !== 'string') {
      serviceId = (await ctx.client.bookings.get({ id: input.id })).serviceId;
    }
    return offerNextSlots(error, input, ctx, serviceId);
  },
});

export const listServices = tool({
  name: 'seshn_list_services',
  operation: 'services.list',
  title: 'List services',
  description:
    'The services that can be booked (classes and appointments) with their length, capacity and pricing. Use it to ' +
    'find the serviceId for seshn_check_availability.',
  text(page) {
    if (page.data.length === 0) return 'No services yet.';
    return `${page.data.length} service${page.data.length === 1 ? '' : 's'}:\n${page.data.map(serviceLine).join('\n')}${listMore(page.hasMore, page.data.at(-1)?.id)}`;
  },
});

export const findContact = tool({
  name: 'seshn_find_contact',
  operation: 'contacts.find',
  title: 'Find a contact',
  description:
    'Find the customer to book for: by exact email (case-insensitive), or by text in name, email or phone (query). ' +
    'Use the contact id (ct_…) as contactId in seshn_create_booking and seshn_list_bookings.',
  fields: {
    email: 'An exact email address.',
    query: 'Text to look for in name, email or phone.',
  },
  text(page) {
    if (page.data.length === 0) return 'No contact matches. Ask the user for another name or email.';
    return `${page.data.length} contact${page.data.length === 1 ? '' : 's'}:\n${page.data.map(contactLine).join('\n')}${listMore(page.hasMore, page.data.at(-1)?.id)}`;
  },
});

export const getBooking = tool({
  name: 'seshn_get_booking',
  operation: 'bookings.get',
  title: 'Get a booking',
  description:
    'One booking by id: status (a lapsed hold reads as expired), times, seats, price and attendance.',
  fields: { id: 'The booking (bkg_…).' },
  async text(booking, _input, ctx) {
    return bookingLine(booking, await ctx.zoneOf(booking.resourceId));
  },
});

export const listBookings = tool({
  name: 'seshn_list_bookings',
  operation: 'bookings.list',
  title: 'List bookings',
  description:
    'Bookings, newest first, filtered by contact, service, resource, status and time (from/to are ISO 8601 instants). ' +
    'Use it to find a booking to cancel, reschedule, confirm or check in.',
  fields: {
    contactId: 'Only this contact’s bookings (ct_…).',
    serviceId: 'Only this service’s bookings (svc_…).',
    status: 'held, confirmed, cancelled or expired (one or a list).',
    from: 'Bookings overlapping [from, to): an ISO 8601 instant.',
    to: 'An ISO 8601 instant.',
  },
  async text(page, _input, ctx) {
    if (page.data.length === 0) return 'No bookings match.';
    const lines = await Promise.all(
      page.data.map(async (b) => `- ${bookingLine(b, await ctx.zoneOf(b.resourceId))}`),
    );
    return `${page.data.length} booking${page.data.length === 1 ? '' : 's'}:\n${lines.join('\n')}${listMore(page.hasMore, page.data.at(-1)?.id)}`;
  },
});

export const confirmBooking = tool({
  name: 'seshn_confirm_booking',
  operation: 'bookings.confirm',
  title: 'Confirm a held booking',
  description:
    'Confirm a booking made with hold: true, before its hold expires. Idempotent: a confirmed booking is returned unchanged.',
  fields: { id: 'The held booking (bkg_…).' },
  async text(booking, _input, ctx) {
    return `Confirmed. ${bookingLine(booking, await ctx.zoneOf(booking.resourceId))}`;
  },
});

export const checkIn = tool({
  name: 'seshn_check_in',
  operation: 'bookings.checkIn',
  title: 'Check a customer in',
  description:
    'Record that the customer of a confirmed booking attended, within the service’s check-in window (around the start time). Idempotent.',
  fields: { id: 'The booking (bkg_…).' },
  async text(booking, _input, ctx) {
    return `Checked in. ${bookingLine(booking, await ctx.zoneOf(booking.resourceId))}`;
  },
});

export const checkEntitlements = tool({
  name: 'seshn_check_entitlements',
  operation: 'entitlements.balance',
  title: 'Check a contact’s packs and memberships',
  description:
    'What a contact can book with: each pack, pass or membership, its status, the credits left (and held by ' +
    'unconfirmed bookings) and when it expires. Call it before booking with useCredits, and after a booking to tell ' +
    'the user what is left ("6 classes left on your pack").',
  fields: { contactId: 'The contact (ct_…), from seshn_find_contact.' },
  text(balance) {
    if (balance.entitlements.length === 0) return 'This contact has no packs, passes or memberships.';
    const lines = balance.entitlements.map((e) => {
      const left =
        e.remaining === null ? 'unlimited' : `${e.remaining} credit${e.remaining === 1 ? '' : 's'} left`;
      const held = e.pending > 0 ? `, ${e.pending} held by unconfirmed bookings` : '';
      const until = e.expiresAt ? `, expires ${e.expiresAt}` : '';
      return `- ${e.productName ?? e.productId} (${e.type}, ${e.status}): ${left}${held}${until} [${e.entitlementId}]`;
    });
    const total = balance.totals.unlimited ? 'unlimited' : `${balance.totals.remaining} credits`;
    return `${lines.join('\n')}\nIn all: ${total} available.`;
  },
});

export const joinWaitlist = tool({
  name: 'seshn_join_waitlist',
  operation: 'waitlist.join',
  title: 'Join the waitlist of a full slot',
  description:
    'Put a contact on the waitlist of a slot that is full (remaining 0 in seshn_check_availability, or a booking ' +
    'refused because the slot filled). Freed seats go to the waitlist in order: depending on the service the contact ' +
    'is booked at once or offered a hold to confirm. If the slot has room, this is refused: book it with ' +
    'seshn_create_booking instead. Joining twice returns the same place.',
  fields: {
    slotId: 'The full slot’s slotId from seshn_check_availability.',
    contactId: 'The contact (ct_…) who waits, from seshn_find_contact.',
    seats: 'How many seats (default 1).',
  },
  text(entry) {
    const place = entry.position === null ? entry.status : `position ${entry.position}`;
    return `On the waitlist (${place}) for ${entry.startTime} (${entry.seats} seat${entry.seats === 1 ? '' : 's'}) [${entry.id}]. The contact is booked or offered the seats when they free up.`;
  },
  async recover(error) {
    if (error.code !== 'slot_available') return undefined;
    return 'The slot has room: book it with seshn_create_booking (same slotId) instead of joining the waitlist.';
  },
});

/** Every tool of the server, in the order `tools/list` shows them. */
export const SESHN_TOOLS: readonly ToolSpec[] = [
  listServices,
  checkAvailability,
  quoteBooking,
  findContact,
  createBooking,
  getBooking,
  listBookings,
  confirmBooking,
  rescheduleBooking,
  cancelBooking,
  checkIn,
  checkEntitlements,
  joinWaitlist,
] as unknown as readonly ToolSpec[];
