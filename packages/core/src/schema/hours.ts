/**
 * Opening hours of a resource: weekly local wall-clock intervals plus date and seasonal overrides.
 * Semantics (docs/availability.md, "Opening hours"; docs/time.md) live in the availability
 * engine; this module only says what a well-formed value is.
 * @module
 */
import { z } from 'zod';
import { parseWallTime } from '../time/zone.js';
import { DateSchema, WallTimeEndSchema, WallTimeSchema, WeekdaySchema } from './common.js';
import { branchedUnion, byKey } from './messages.js';

/** `{ start, end }` local wall times; `end` may be `24:00`; `end <= start` runs into the next day. */
export const HoursSchema = z
  .object({ start: WallTimeSchema, end: WallTimeEndSchema })
  .refine((h) => parseWallTime(h.end, true) !== parseWallTime(h.start), {
    message: 'An opening interval cannot be empty (start equals end)',
    path: ['end'],
  })
  .meta({ id: 'Hours' });
export type Hours = z.infer<typeof HoursSchema>;

export const WeeklyHoursSchema = z
  .object({
    mon: z.array(HoursSchema).optional(),
    tue: z.array(HoursSchema).optional(),
    wed: z.array(HoursSchema).optional(),
    thu: z.array(HoursSchema).optional(),
    fri: z.array(HoursSchema).optional(),
    sat: z.array(HoursSchema).optional(),
    sun: z.array(HoursSchema).optional(),
  })
  .strict()
  .meta({ id: 'WeeklyHours' });
export type WeeklyHours = z.infer<typeof WeeklyHoursSchema>;

/** `{ date, hours }` when `date` is given, else `{ from, to, days?, hours }`. */
export const OverrideSchema = branchedUnion(
  [
    z.object({ date: DateSchema, hours: z.array(HoursSchema) }).strict(),
    z
      .object({
        from: DateSchema,
        to: DateSchema,
        days: z.array(WeekdaySchema).optional(),
        hours: z.array(HoursSchema),
      })
      .strict()
      .refine((o) => o.from <= o.to, { message: 'to must not be before from', path: ['to'] }),
  ],
  byKey(['date'], 1),
);
export type Override = z.infer<typeof OverrideSchema>;

export const ResourceAvailabilitySchema = z
  .object({
    weekly: WeeklyHoursSchema.default({}),
    overrides: z.array(OverrideSchema).default([]),
  })
  .meta({ id: 'ResourceAvailability' });
export type ResourceAvailability = z.infer<typeof ResourceAvailabilitySchema>;
