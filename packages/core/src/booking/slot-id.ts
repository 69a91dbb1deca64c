/**
 * Slot ids: an opaque, deterministic encoding of (service, resource, start, end), so any slot the
 * availability query returned can be booked without being stored first. Opaque means clients must
 * not parse them; deterministic means the same slot always has the same id.
 * @module
 */
import { SeshnError } from '../errors/seshn-error.js';

export interface SlotRef {
  serviceId: string;
  resourceId: string;
  start: number;
  end: number;
}

const PREFIX = 'slot_';
const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

// base64url without padding; ids are ASCII so bytes = char codes.
function toBase64Url(text: string): string {
  let out = '';
  for (let i = 0; i < text.length; i += 3) {
    const a = text.charCodeAt(i);
    const b = i + 1 < text.length ? text.charCodeAt(i + 1) : -1;
    const c = i + 2 < text.length ? text.charCodeAt(i + 2) : -1;
    const n = (a << 16) | (Math.max(b, 0) << 8) | Math.max(c, 0);
    out += B64[(n >> 18) & 63]! + B64[(n >> 12) & 63]!;
    if (b >= 0) out += B64[(n >> 6) & 63]!;
    if (c >= 0) out += B64[n & 63]!;
  }
  return out;
}

function fromBase64Url(text: string): string | null {
  let out = '';
  let buffer = 0;
  let bits = 0;
  for (const ch of text) {
    const v = B64.indexOf(ch);
    if (v < 0) return null;
    buffer = (buffer << 6) | v;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out += String.fromCharCode((buffer >> bits) & 0xff);
    }
  }
  return out;
}

/** The key stored on bookings to recognise the same slot (shares seats). */
export function slotKey(ref: SlotRef): string {
  return `${ref.serviceId}|${ref.resourceId}|${ref.start}|${ref.end}`;
}

export function encodeSlotId(ref: SlotRef): string {
  return (
    PREFIX +
    toBase64Url(`1|${ref.serviceId}|${ref.resourceId}|${ref.start.toString(36)}|${ref.end.toString(36)}`)
  );
}

/** Decodes a slot id, or throws `validation_failed` on anything that is not one. */
export function decodeSlotId(id: string, field = 'slotId'): SlotRef {
  const bad = () =>
    SeshnError.validation([{ path: field, message: 'Not a slot id returned by availability' }]);
  if (typeof id !== 'string' || !id.startsWith(PREFIX) || id.length > 300) throw bad();
  const text = fromBase64Url(id.slice(PREFIX.length));
  const parts = text?.split('|');
  if (parts?.length !== 5 || parts[0] !== '1') throw bad();
  const start = Number.parseInt(parts[3]!, 36);
  const end = Number.parseInt(parts[4]!, 36);
  if (
    !parts[1]?.startsWith('svc_') ||
    !parts[2]?.startsWith('rsc_') ||
    parts[1].length > 100 ||
    parts[2].length > 100 ||
    !Number.isSafeInteger(start) ||
    !Number.isSafeInteger(end) ||
    start < 0 ||
    end <= start
  )
    throw bad();
  return { serviceId: parts[1], resourceId: parts[2], start, end };
}

/** True when `id` decodes as a slot id (see {@link decodeSlotId}). */
export function isSlotId(id: unknown): id is string {
  try {
    decodeSlotId(id as string);
    return true;
  } catch {
    return false;
  }
}
