/**
 * Operations of the booking lifecycle: single bookings and recurring series.
 * @module
 */
import { z } from 'zod';
import {
  BookingCancelSchema,
  BookingCreateSchema,
  BookingListSchema,
  type BookingRescheduleInput,
  BookingRescheduleSchema,
} from '../../schema/booking.js';
import { idSchema } from '../../schema/common.js';
import { extendBranches } from '../../schema/messages.js';
import {
  BookingSchema,
  BookingSeriesPreviewSchema,
  BookingSeriesSchema,
  pageOf,
} from '../../schema/objects.js';
import { SeriesCancelSchema, SeriesCreateSchema, SeriesListSchema } from '../../schema/series.js';
import type { Engine } from '../engine.js';
import { operation, type TypedOperation } from '../operation.js';

const bookingId = z.object({ id: idSchema('booking') }).strict();
const seriesId = z.object({ id: idSchema('series') }).strict();
const OccurrenceIndex = z.number().int().min(0).max(1_000_000);

/** Splits `{ id, …rest }` for engine methods that take the id first. */
const split = <T extends { id: string }>({ id, ...rest }: T) => [id, rest] as const;

export const bookingOperations = {
  create: operation({
    name: 'bookings.create',
    summary: 'Book seats in a slot (from availability) or at a start time; held or confirmed at once',
    input: BookingCreateSchema,
    output: BookingSchema,
    mutates: true,
    permission: 'write',
    http: { method: 'POST', path: '/bookings' },
    run: (e, input) => e.bookings.create(input),
  }),
  get: operation({
    name: 'bookings.get',
    summary: 'Get a booking',
    input: bookingId,
    output: BookingSchema,
    mutates: false,
    permission: 'read',
    http: { method: 'GET', path: '/bookings/{id}' },
    positional: ['id'],
    run: (e, { id }) => e.bookings.get(id),
  }),
  list: operation({
    name: 'bookings.list',
    summary: 'List bookings, newest first, by contact, service, resource, series, status and time',
    input: BookingListSchema,
    output: pageOf(BookingSchema),
    mutates: false,
    permission: 'read',
    http: { method: 'GET', path: '/bookings' },
    run: (e, input) => e.bookings.list(input),
  }),
  confirm: operation({
    name: 'bookings.confirm',
    summary: 'Confirm a held booking (its seats are checked again); idempotent',
    input: bookingId,
    output: BookingSchema,
    mutates: true,
    permission: 'write',
    http: { method: 'POST', path: '/bookings/{id}/confirm' },
    positional: ['id'],
    run: (e, { id }) => e.bookings.confirm(id),
  }),
  cancel: operation({
    name: 'bookings.cancel',
    summary: 'Cancel a held or confirmed booking and free its seats; idempotent',
    input: BookingCancelSchema.unwrap().safeExtend({ id: idSchema('booking') }),
    output: BookingSchema,
    mutates: true,
    permission: 'write',
    http: { method: 'POST', path: '/bookings/{id}/cancel' },
    positional: ['id'],
    run: (e, input) => e.bookings.cancel(...split(input)),
  }),
  reschedule: operation({
    name: 'bookings.reschedule',
    summary: 'Move a booking to another slot of its service in one step; the agreed price stays',
    input: extendBranches(BookingRescheduleSchema, { id: idSchema('booking') }),
    output: BookingSchema,
    mutates: true,
    permission: 'write',
    http: { method: 'POST', path: '/bookings/{id}/reschedule' },
    positional: ['id'],
    run: (e, input) => {
      const [id, rest] = split(input);
      return e.bookings.reschedule(id, rest as BookingRescheduleInput);
    },
  }),
  checkIn: operation({
    name: 'bookings.checkIn',
    summary: 'Record that the customer attended (within the service’s check-in window)',
    input: bookingId,
    output: BookingSchema,
    mutates: true,
    permission: 'write',
    http: { method: 'POST', path: '/bookings/{id}/check-in' },
    positional: ['id'],
    run: (e, { id }) => e.bookings.checkIn(id),
  }),
  markNoShow: operation({
    name: 'bookings.markNoShow',
    summary: 'Record that the customer did not attend (once the session started)',
    input: bookingId,
    output: BookingSchema,
    mutates: true,
    permission: 'write',
    http: { method: 'POST', path: '/bookings/{id}/no-show' },
    positional: ['id'],
    run: (e, { id }) => e.bookings.markNoShow(id),
  }),
  undoAttendance: operation({
    name: 'bookings.undoAttendance',
    summary: 'Take back a check-in or a no-show (attendance pending again) until check-in closes',
    input: bookingId,
    output: BookingSchema,
    mutates: true,
    permission: 'write',
    http: { method: 'POST', path: '/bookings/{id}/undo-attendance' },
    positional: ['id'],
    run: (e, { id }) => e.bookings.undoAttendance(id),
  }),
};

const seriesCreate: ReturnType<typeof seriesCreateOperation> &
  TypedOperation<Engine['bookingSeries']['create']> = seriesCreateOperation();

function seriesCreateOperation() {
  return operation({
    name: 'bookingSeries.create',
    summary: 'Book every occurrence of a recurrence, all or nothing (or preview it)',
    input: SeriesCreateSchema,
    output: z.union([BookingSeriesSchema, BookingSeriesPreviewSchema]),
    mutates: true,
    permission: 'write',
    http: { method: 'POST', path: '/booking-series' },
    run: (e, input) => e.bookingSeries.create(input as Parameters<Engine['bookingSeries']['create']>[0]),
  });
}

export const seriesOperations = {
  create: seriesCreate,
  get: operation({
    name: 'bookingSeries.get',
    summary: 'Get a booking series with its bookings',
    input: seriesId,
    output: BookingSeriesSchema,
    mutates: false,
    permission: 'read',
    http: { method: 'GET', path: '/booking-series/{id}' },
    positional: ['id'],
    run: (e, { id }) => e.bookingSeries.get(id),
  }),
  list: operation({
    name: 'bookingSeries.list',
    summary: 'List booking series, newest first, each with its bookings',
    input: SeriesListSchema,
    output: pageOf(BookingSeriesSchema),
    mutates: false,
    permission: 'read',
    http: { method: 'GET', path: '/booking-series' },
    run: (e, input) => e.bookingSeries.list(input),
  }),
  confirm: operation({
    name: 'bookingSeries.confirm',
    summary: 'Confirm every held occurrence of a series, all or nothing',
    input: seriesId,
    output: BookingSeriesSchema,
    mutates: true,
    permission: 'write',
    http: { method: 'POST', path: '/booking-series/{id}/confirm' },
    positional: ['id'],
    run: (e, { id }) => e.bookingSeries.confirm(id),
  }),
  cancel: operation({
    name: 'bookingSeries.cancel',
    summary: 'Cancel the upcoming occurrences of a series (all, or from an index or instant on)',
    input: SeriesCancelSchema.unwrap().safeExtend({ id: idSchema('series') }),
    output: BookingSeriesSchema,
    mutates: true,
    permission: 'write',
    http: { method: 'POST', path: '/booking-series/{id}/cancel' },
    positional: ['id'],
    run: (e, input) => e.bookingSeries.cancel(...split(input)),
  }),
  cancelOccurrence: operation({
    name: 'bookingSeries.cancelOccurrence',
    summary: 'Cancel one occurrence of a series; idempotent',
    input: z
      .object({ id: idSchema('series'), index: OccurrenceIndex, reason: z.string().max(1000).optional() })
      .strict(),
    output: BookingSchema,
    mutates: true,
    permission: 'write',
    http: { method: 'POST', path: '/booking-series/{id}/occurrences/{index}/cancel' },
    positional: ['id', 'index'],
    run: (e, { id, index, ...rest }) => e.bookingSeries.cancelOccurrence(id, index, rest),
  }),
  rescheduleOccurrence: operation({
    name: 'bookingSeries.rescheduleOccurrence',
    summary: 'Move one occurrence of a series, exactly like bookings.reschedule',
    input: extendBranches(BookingRescheduleSchema, { id: idSchema('series'), index: OccurrenceIndex }),
    output: BookingSchema,
    mutates: true,
    permission: 'write',
    http: { method: 'POST', path: '/booking-series/{id}/occurrences/{index}/reschedule' },
    positional: ['id', 'index'],
    run: (e, input) => {
      const { id, index, ...rest } = input;
      return e.bookingSeries.rescheduleOccurrence(id, index, rest as BookingRescheduleInput);
    },
  }),
};
