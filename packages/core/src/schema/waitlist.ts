/**
 * Inputs of the waitlist and of the work runner.
 * @module
 */
import { z } from 'zod';
import { SlotIdSchema, UseCreditsSchema } from './booking.js';
import { idSchema, listParamsSchema, MetadataSchema, SeatsSchema } from './common.js';
import { branchedUnion, byKey } from './messages.js';

export const WAITLIST_STATUSES = ['waiting', 'promoted', 'left', 'expired'] as const;

export const WaitlistJoinSchema = z
  .object({
    slotId: SlotIdSchema,
    contactId: idSchema('contact'),
    seats: SeatsSchema.default(1),
    /** Pay with credits when promoted: the pending debit is taken with the promotion's hold. */
    useCredits: UseCreditsSchema.optional(),
    notes: z.string().max(2000).optional(),
    metadata: MetadataSchema,
  })
  .strict();
export type WaitlistJoinInput = z.input<typeof WaitlistJoinSchema>;

const ListCommon = {
  status: z.enum(WAITLIST_STATUSES).optional(),
};

/** `{ slotId }` (the queue of one slot, in order) or `{ contactId }` (a contact's entries). */
export const WaitlistListSchema = branchedUnion(
  [
    listParamsSchema('waitlistEntry')
      .extend({ slotId: SlotIdSchema, ...ListCommon })
      .strict(),
    listParamsSchema('waitlistEntry')
      .extend({ contactId: idSchema('contact'), ...ListCommon })
      .strict(),
  ],
  byKey(['slotId', 'contactId'], 0),
);
export type WaitlistListInput = z.input<typeof WaitlistListSchema>;

export const WorkRunDueSchema = z
  .object({
    /** At most this many items of each kind in this batch. */
    limit: z.number().int().min(1).max(10_000).default(500),
  })
  .strict();
export type WorkRunDueInput = z.input<typeof WorkRunDueSchema>;
