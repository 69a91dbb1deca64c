/**
 * Operations of the waitlist and of the background work runner.
 * @module
 */
import { z } from 'zod';
import { idSchema } from '../../schema/common.js';
import { pageOf, WaitlistEntrySchema, WorkRunSchema } from '../../schema/objects.js';
import { WaitlistJoinSchema, WaitlistListSchema, WorkRunDueSchema } from '../../schema/waitlist.js';
import { operation } from '../operation.js';

const entryId = z.object({ id: idSchema('waitlistEntry') }).strict();

export const waitlistOperations = {
  join: operation({
    name: 'waitlist.join',
    summary: 'Join the waitlist of a full slot (a slot with room is refused: book it instead); idempotent',
    input: WaitlistJoinSchema,
    output: WaitlistEntrySchema,
    mutates: true,
    permission: 'write',
    http: { method: 'POST', path: '/waitlist' },
    run: (e, input) => e.waitlist.join(input),
  }),
  leave: operation({
    name: 'waitlist.leave',
    summary: 'Leave a waitlist; the entries behind move up',
    input: entryId,
    output: WaitlistEntrySchema,
    mutates: true,
    permission: 'write',
    http: { method: 'POST', path: '/waitlist/{id}/leave' },
    positional: ['id'],
    run: (e, { id }) => e.waitlist.leave(id),
  }),
  get: operation({
    name: 'waitlist.get',
    summary: 'Get a waitlist entry, with its position in the queue',
    input: entryId,
    output: WaitlistEntrySchema,
    mutates: false,
    permission: 'read',
    http: { method: 'GET', path: '/waitlist/{id}' },
    positional: ['id'],
    run: (e, { id }) => e.waitlist.get(id),
  }),
  list: operation({
    name: 'waitlist.list',
    summary: 'List the queue of one slot (in order) or the entries of one contact',
    input: WaitlistListSchema,
    output: pageOf(WaitlistEntrySchema),
    mutates: false,
    permission: 'read',
    http: { method: 'GET', path: '/waitlist' },
    run: (e, input) => e.waitlist.list(input),
  }),
};

export const workOperations = {
  runDue: operation({
    name: 'work.runDue',
    summary:
      'Run one batch of due work: expire holds and offers, promote waitlists, mark no-shows, expire credits',
    input: WorkRunDueSchema,
    output: WorkRunSchema,
    mutates: true,
    permission: 'admin',
    http: { method: 'POST', path: '/work/run-due' },
    run: (e, input) => e.work.runDue(input),
  }),
};
