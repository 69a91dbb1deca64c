/**
 * Zod schemas shared by every entity: ids, money, dates, wall times, time zones, pagination.
 * These are the single source of the wire shapes (core, HTTP, OpenAPI, SDK, MCP).
 * @module
 */
import { z } from 'zod';
import { isValidDate, isValidTimeZone, parseWallTime } from '../time/zone.js';

export const TimeZoneSchema = z
  .string()
  .refine(isValidTimeZone, { message: 'Unknown IANA time zone' })
  .meta({ id: 'TimeZone', description: 'IANA time zone name, e.g. Europe/London' });

export const DateSchema = z
  .string()
  .refine(isValidDate, { message: 'Expected a calendar date YYYY-MM-DD' })
  .meta({ id: 'CalendarDate' });

/** `HH:mm`, 00:00–23:59. */
export const WallTimeSchema = z
  .string()
  .refine((s) => parseWallTime(s) !== null, { message: 'Expected a wall time HH:mm (00:00–23:59)' })
  .meta({ id: 'WallTime' });

/** `HH:mm` or `24:00` (end of an opening interval). */
export const WallTimeEndSchema = z
  .string()
  .refine((s) => parseWallTime(s, true) !== null, { message: 'Expected a wall time HH:mm or 24:00' });

/** An instant on the wire: ISO 8601 with an offset or `Z`; parsed to a Date. */
export const InstantSchema = z.union([
  z.date().refine((d) => !Number.isNaN(d.getTime()), { message: 'Invalid date' }),
  z
    .string()
    .refine(
      (s) =>
        /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/.test(s) &&
        !Number.isNaN(Date.parse(s)),
      {
        message: 'Expected an ISO 8601 instant with an offset, e.g. 2026-03-15T09:00:00.000Z',
      },
    )
    .transform((s) => new Date(s)),
]);

export const CurrencySchema = z
  .string()
  .regex(/^[a-z]{3}$/, { message: 'Expected a lowercase ISO 4217 currency code, e.g. usd' });

/** Integer minor units (cents), never negative. */
export const AmountSchema = z
  .number()
  .int({ message: 'Money is integer minor units' })
  .min(0)
  .max(Number.MAX_SAFE_INTEGER);

export const MoneySchema = z
  .object({ amount: AmountSchema, currency: CurrencySchema })
  .meta({ id: 'Money', description: 'Integer minor units with an ISO 4217 currency' });
export type Money = z.infer<typeof MoneySchema>;

/** Seats of one booking or slot request. */
export const SeatsSchema = z.number().int().min(1).max(10_000);

/** The longest booking there is: 31 days. */
export const MAX_DURATION_MINUTES = 60 * 24 * 31;
/** A length in whole minutes (a booking, a slot, a minimum free window). */
export const DurationMinutesSchema = z.number().int().positive().max(MAX_DURATION_MINUTES);

export const MetadataSchema = z.record(z.string().max(40), z.unknown()).default({});

export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type Weekday = (typeof WEEKDAYS)[number];
export const WeekdaySchema = z.enum(WEEKDAYS);

export const ListParamsSchema = z.object({
  limit: z.number().int().min(1).max(100).default(20),
  startingAfter: z.string().min(1).optional(),
});

/** A page of a list: `{ data, hasMore }` as in Stripe's API. */
export interface Page<T> {
  data: T[];
  hasMore: boolean;
}
