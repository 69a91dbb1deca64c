/**
 * List cursors: `startingAfter` must be the id of a row of that list in this scope. Its prefix is
 * checked by the list's schema (`listParamsSchema(kind)`, `validation_failed`); here an id that
 * names no row of the collection is `not_found`, never a silently empty or wrong page.
 * @module
 */
import { SeshnError } from '../errors/seshn-error.js';
import type { IdKind } from '../schema/common.js';
import type { EngineContext } from './context.js';

const LOOKUP: Record<IdKind, (ctx: EngineContext, id: string) => Promise<unknown>> = {
  resource: (ctx, id) => ctx.adapter.get('resource', ctx.scope, id),
  service: (ctx, id) => ctx.adapter.get('service', ctx.scope, id),
  allocation: (ctx, id) => ctx.adapter.get('allocation', ctx.scope, id),
  contact: (ctx, id) => ctx.adapter.get('contact', ctx.scope, id),
  booking: (ctx, id) => ctx.adapter.get('booking', ctx.scope, id),
  series: (ctx, id) => ctx.adapter.get('series', ctx.scope, id),
  event: (ctx, id) => ctx.adapter.get('event', ctx.scope, id),
  waitlistEntry: (ctx, id) => ctx.adapter.get('waitlistEntry', ctx.scope, id),
};

const LABEL: Record<IdKind, string> = {
  resource: 'resource',
  service: 'service',
  allocation: 'allocation',
  contact: 'contact',
  booking: 'booking',
  series: 'booking series',
  event: 'event',
  waitlistEntry: 'waitlist entry',
};

/**
 * Throws `not_found` (details `{ kind, id, field: 'startingAfter' }`) when `startingAfter` is
 * given and is no row of `kind` in this scope.
 *
 * @example
 * const p = parseInput(listParamsSchema('resource'), params);
 * await checkCursor(ctx, 'resource', p.startingAfter);
 */
export async function checkCursor(ctx: EngineContext, kind: IdKind, startingAfter: string | undefined) {
  if (startingAfter === undefined) return;
  if ((await LOOKUP[kind](ctx, startingAfter)) === null) {
    throw SeshnError.notFound(LABEL[kind], startingAfter, { field: 'startingAfter' });
  }
}
