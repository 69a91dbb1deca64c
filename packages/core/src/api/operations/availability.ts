/**
 * Operations that read what can be booked and what it costs: availability and pricing.
 * @module
 */
import { z } from 'zod';
import {
  AvailabilityExplainSchema,
  AvailabilityQuerySchema,
  AvailabilitySlotsSchema,
  AvailabilityWindowsSchema,
} from '../../schema/availability.js';
import { PricingQuoteSchema } from '../../schema/booking.js';
import { MoneySchema } from '../../schema/common.js';
import { ExplanationSchema, FreeWindowSchema, SlotSchema } from '../../schema/objects.js';
import { operation } from '../operation.js';

export const availabilityOperations = {
  query: operation({
    name: 'availability.query',
    summary: 'Bookable slots of a service between two dates or instants, with seats left and price',
    input: AvailabilityQuerySchema,
    output: z.array(SlotSchema),
    mutates: false,
    permission: 'read',
    public: true,
    http: { method: 'GET', path: '/availability' },
    run: (e, input) => e.availability.query(input),
  }),
  slots: operation({
    name: 'availability.slots',
    summary:
      'The slots of one service, with the service in the path and the window as from/to or startTime/endTime/durationMs',
    input: AvailabilitySlotsSchema,
    output: z.array(SlotSchema),
    mutates: false,
    permission: 'read',
    public: true,
    http: { method: 'POST', path: '/services/{serviceId}/availability/slots' },
    positional: ['serviceId'],
    run: (e, input) => e.availability.slots(input),
  }),
  windows: operation({
    name: 'availability.windows',
    summary: 'Contiguous free time on a service’s resources or on given resources (rental style)',
    input: AvailabilityWindowsSchema,
    output: z.array(FreeWindowSchema),
    mutates: false,
    permission: 'read',
    public: true,
    http: { method: 'GET', path: '/availability/windows' },
    run: (e, input) => e.availability.windows(input),
  }),
  explain: operation({
    name: 'availability.explain',
    summary: 'Why one start time is or is not bookable, reason by reason',
    input: AvailabilityExplainSchema,
    output: ExplanationSchema,
    mutates: false,
    permission: 'read',
    public: true,
    http: { method: 'GET', path: '/availability/explain' },
    run: (e, input) => e.availability.explain(input),
  }),
};

export const pricingOperations = {
  quote: operation({
    name: 'pricing.quote',
    summary: 'The price a booking would be charged, computed exactly as bookings.create does',
    input: PricingQuoteSchema,
    output: MoneySchema.nullable(),
    mutates: false,
    permission: 'read',
    public: true,
    http: { method: 'GET', path: '/pricing/quote' },
    run: (e, input) => e.pricing.quote(input),
  }),
};
