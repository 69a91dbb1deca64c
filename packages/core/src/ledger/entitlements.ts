/**
 * Pure entitlement rules: which entitlement pays for a booking, what an entitlement's status is,
 * and the calendar period a membership's limit counts in. No I/O: callers read the entitlements,
 * their balances and their period usage, and pass them in.
 * @module
 */

import { Temporal } from 'temporal-polyfill';
import { SeshnError } from '../errors/seshn-error.js';
import type { EntitlementRecord } from '../ports/records.js';
import { startOfLocalDay } from '../time/zone.js';

export type EntitlementStatus = 'active' | 'expired' | 'exhausted' | 'revoked';

/** The status an entitlement shows at `now`, given its account's available credits. */
export function entitlementStatus(
  e: Pick<EntitlementRecord, 'status' | 'expiresAt' | 'credits'>,
  available: number,
  now: number,
): EntitlementStatus {
  if (e.status === 'revoked') return 'revoked';
  if (e.status === 'expired' || (e.expiresAt !== null && e.expiresAt <= now)) return 'expired';
  if (e.credits !== null && available <= 0) return 'exhausted';
  return 'active';
}

/**
 * The calendar period containing `at` in `timeZone`: an ISO week (Monday 00:00 to the next
 * Monday) or a calendar month, as `[start, end)` epoch ms. A membership's "N per week" counts
 * the studio's weeks, not a rolling 7 days, so the boundaries are local midnights.
 */
export function periodBounds(
  at: number,
  every: 'week' | 'month',
  timeZone: string,
): { start: number; end: number } {
  const date = Temporal.Instant.fromEpochMilliseconds(at).toZonedDateTimeISO(timeZone).toPlainDate();
  if (every === 'week') {
    const start = startOfLocalDay(at, 1 - date.dayOfWeek, timeZone);
    return { start, end: startOfLocalDay(at, 8 - date.dayOfWeek, timeZone) };
  }
  const first = date.with({ day: 1 });
  return {
    start: first.toZonedDateTime({ timeZone }).epochMilliseconds,
    end: first.add({ months: 1 }).toZonedDateTime({ timeZone }).epochMilliseconds,
  };
}

/** One entitlement a booking could use, with what the caller read about it. */
export interface EntitlementCandidate {
  entitlement: EntitlementRecord;
  /** Its account's available credits (posted credits − debits − live pending debits). */
  available: number;
  /** Bookings already counted in the membership period containing the session (period-limited only). */
  periodUsed?: number;
}

export interface ChooseRequest {
  serviceId: string;
  seats: number;
  /** The session's start: the entitlement must still be valid then. */
  at: number;
  now: number;
  /** The entitlement the caller named (`useCredits: { entitlementId }`). */
  entitlementId?: string | undefined;
}

export interface EntitlementChoice {
  entitlement: EntitlementRecord;
  /** Credits to debit: seats × creditsPerSeat. */
  amount: number;
}

/** Why a candidate cannot pay, or `null` when it can. */
export function whyNotCovered(c: EntitlementCandidate, req: ChooseRequest): string | null {
  const e = c.entitlement;
  const status = entitlementStatus(e, c.available, req.now);
  if (status === 'revoked' || status === 'expired') return status;
  if (e.expiresAt !== null && req.at >= e.expiresAt) return 'expires_before_session';
  if (e.serviceIds !== null && !e.serviceIds.includes(req.serviceId)) return 'service_not_covered';
  if (e.credits !== null && c.available < req.seats * e.creditsPerSeat) return 'exhausted';
  const limit = e.period?.limit ?? null;
  if (limit !== null && (c.periodUsed ?? 0) + 1 > limit) return 'period_limit';
  return null;
}

/**
 * The entitlement that pays for a booking: the named one, or of those that cover the service and
 * have room, the one expiring soonest (no expiry last; ties by id, so the choice is stable). A
 * named entitlement that cannot pay, or no candidate at all, is `insufficient_credits` (details
 * say why per candidate); a named id that is not among the contact's is `not_found`.
 */
export function chooseEntitlement(
  candidates: readonly EntitlementCandidate[],
  req: ChooseRequest,
): EntitlementChoice {
  if (req.entitlementId !== undefined) {
    const named = candidates.find((c) => c.entitlement.id === req.entitlementId);
    if (!named) {
      throw new SeshnError('not_found', `No entitlement ${req.entitlementId}`, {
        id: req.entitlementId,
        path: 'useCredits.entitlementId',
      });
    }
    const reason = whyNotCovered(named, req);
    if (reason) {
      throw new SeshnError(
        'insufficient_credits',
        `Entitlement ${named.entitlement.id} cannot pay: ${reason}`,
        {
          entitlementId: named.entitlement.id,
          reason,
          available: named.available,
          needed: req.seats * named.entitlement.creditsPerSeat,
        },
      );
    }
    return { entitlement: named.entitlement, amount: req.seats * named.entitlement.creditsPerSeat };
  }
  const usable = candidates
    .filter((c) => whyNotCovered(c, req) === null)
    .sort((a, b) => {
      const ea = a.entitlement.expiresAt ?? Number.POSITIVE_INFINITY;
      const eb = b.entitlement.expiresAt ?? Number.POSITIVE_INFINITY;
      return ea === eb ? (a.entitlement.id < b.entitlement.id ? -1 : 1) : ea - eb;
    });
  const best = usable[0];
  if (!best) {
    throw new SeshnError('insufficient_credits', 'No entitlement of this contact covers this booking', {
      serviceId: req.serviceId,
      needed: req.seats,
      candidates: candidates.map((c) => ({ entitlementId: c.entitlement.id, reason: whyNotCovered(c, req) })),
    });
  }
  return { entitlement: best.entitlement, amount: req.seats * best.entitlement.creditsPerSeat };
}
