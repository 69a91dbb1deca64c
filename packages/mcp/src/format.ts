/**
 * Short human-readable renderings for a model: instants in the resource's time zone and in UTC,
 * money in its currency, and one line per slot, booking, service or contact.
 * @module
 */
import type { ResultOf } from './client.js';

export type Slot = ResultOf<'availability.query'>[number];
export type Booking = ResultOf<'bookings.get'>;
export type Service = ResultOf<'services.list'>['data'][number];
export type Contact = ResultOf<'contacts.find'>['data'][number];
export type Money = { amount: number; currency: string };

const dateFormats = new Map<string, Intl.DateTimeFormat>();
const timeFormats = new Map<string, Intl.DateTimeFormat>();

function formatter(cache: Map<string, Intl.DateTimeFormat>, timeZone: string, withDate: boolean) {
  let f = cache.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-GB', {
      timeZone,
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
      ...(withDate ? { weekday: 'short', day: 'numeric', month: 'short', year: 'numeric' } : {}),
    });
    cache.set(timeZone, f);
  }
  return f;
}

/** A zone Intl knows, else `UTC` (a resource's zone always is one; this only guards odd input). */
const knownZones = new Map<string, string>();

function safeZone(timeZone: string | undefined): string {
  if (!timeZone) return 'UTC';
  let zone = knownZones.get(timeZone);
  if (zone === undefined) {
    try {
      new Intl.DateTimeFormat('en', { timeZone });
      zone = timeZone;
    } catch {
      zone = 'UTC';
    }
    if (knownZones.size < 1000) knownZones.set(timeZone, zone);
  }
  return zone;
}

/** `Mon 7 Jan 2030, 09:00` in `timeZone`. */
export function localDateTime(iso: string, timeZone: string): string {
  return formatter(dateFormats, safeZone(timeZone), true).format(new Date(iso));
}

/** `09:00` in `timeZone`. */
export function localTime(iso: string, timeZone: string): string {
  return formatter(timeFormats, safeZone(timeZone), false).format(new Date(iso));
}

/**
 * A span in the resource's zone and in UTC:
 * `Mon 7 Jan 2030, 09:00–10:00 Europe/London (09:00–10:00 UTC, 2030-01-07T09:00:00.000Z)`.
 * Without a known zone, UTC only.
 */
export function span(startIso: string, endIso: string, timeZone?: string): string {
  const utc = `${localTime(startIso, 'UTC')}–${localTime(endIso, 'UTC')} UTC`;
  const zone = safeZone(timeZone);
  if (zone === 'UTC')
    return `${localDateTime(startIso, 'UTC')}–${localTime(endIso, 'UTC')} UTC (${startIso})`;
  return `${localDateTime(startIso, zone)}–${localTime(endIso, zone)} ${zone} (${utc}, ${startIso})`;
}

/** An instant in the zone and in UTC. */
export function instant(iso: string, timeZone?: string): string {
  const zone = safeZone(timeZone);
  if (zone === 'UTC') return `${localDateTime(iso, 'UTC')} UTC`;
  return `${localDateTime(iso, zone)} ${zone} (${localDateTime(iso, 'UTC')} UTC)`;
}

/** `€25.00`, from minor units. */
const currencies = new Map<string, { format: Intl.NumberFormat; digits: number } | null>();

export function money(m: Money | null | undefined): string {
  if (!m) return 'free';
  const currency = m.currency.toUpperCase();
  let c = currencies.get(currency);
  if (c === undefined) {
    try {
      const format = new Intl.NumberFormat('en-GB', { style: 'currency', currency });
      c = { format, digits: format.resolvedOptions().maximumFractionDigits ?? 2 };
    } catch {
      c = null;
    }
    if (currencies.size < 1000) currencies.set(currency, c);
  }
  return c ? c.format.format(m.amount / 10 ** c.digits) : `${m.amount} ${currency} (minor units)`;
}

export function slotLine(s: Slot, seats?: number): string {
  const left =
    s.available === false
      ? `unavailable (${(s.reasons ?? []).join(', ')})`
      : `${s.remaining} of ${s.capacity} seat${s.capacity === 1 ? '' : 's'} left`;
  const price = s.price ? `${money(s.price)}${seats && seats > 1 ? ` for ${seats} seats` : ''}` : 'no price';
  return `- ${span(s.startTime, s.endTime, s.timezone)} · ${left} · ${price} · slotId: ${s.id}`;
}

export function bookingLine(b: Booking, timeZone?: string): string {
  const parts = [
    `Booking ${b.id}: ${b.status}`,
    `${b.seats} seat${b.seats === 1 ? '' : 's'}`,
    span(b.startTime, b.endTime, timeZone),
    `price ${money(b.price)}`,
  ];
  if (b.status === 'held' && b.expiresAt) parts.push(`hold expires ${instant(b.expiresAt, timeZone)}`);
  if (b.attendance !== 'pending') parts.push(`attendance ${b.attendance}`);
  if (b.cancellationReason) parts.push(`reason: ${b.cancellationReason}`);
  parts.push(`service ${b.serviceId}, resource ${b.resourceId}, contact ${b.contactId}`);
  return parts.join(' · ');
}

function pricingText(p: Service['pricing']): string {
  if (!p) return 'no pricing (free)';
  const m = (amount: number) => money({ amount, currency: p.currency });
  switch (p.strategy) {
    case 'flat':
      return `${m(p.amount)} per booking`;
    case 'per_seat':
      return `${m(p.unitAmount)} per seat`;
    case 'per_duration':
      return `${m(p.unitAmount)} per ${p.unitMinutes} min`;
    case 'tiered':
      return `tiered (${p.mode}) from ${m(p.tiers[0]?.unitAmount ?? 0)} per seat`;
    default:
      return 'priced';
  }
}

export function serviceLine(s: Service): string {
  return `- ${s.id} · ${s.name} · ${s.kind}, ${s.durationMinutes} min, capacity ${s.capacity} · ${pricingText(s.pricing)}${s.archived ? ' · archived' : ''} · resources ${s.resourceIds.join(', ')}`;
}

export function contactLine(c: Contact): string {
  return `- ${c.id} · ${c.name}${c.email ? ` <${c.email}>` : ''}${c.phone ? ` ${c.phone}` : ''}`;
}
