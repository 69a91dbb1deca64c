/**
 * Operations on the outbox: every change's event, as recorded in its transaction.
 * @module
 */
import { EventListSchema } from '../../schema/events.js';
import { EventSchema, pageOf } from '../../schema/objects.js';
import { operation } from '../operation.js';

export const eventOperations = {
  list: operation({
    name: 'events.list',
    summary: 'List events, newest first, optionally of one type',
    input: EventListSchema,
    output: pageOf(EventSchema),
    mutates: false,
    permission: 'read',
    http: { method: 'GET', path: '/events' },
    run: (e, input) => e.events.list(input),
  }),
};
