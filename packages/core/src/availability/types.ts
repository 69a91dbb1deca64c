/**
 * The contract of the pure availability engine. The engine knows nothing about storage: the
 * orchestrator (`engine/`) reads bookings, holds and allocations and hands them in as plain
 * intervals. All instants are UTC epoch milliseconds.
 * @module
 */
import type { Override, WeeklyHours } from '../schema/hours.js';

export type UnavailableReason =
  | 'outside_hours'
  | 'closed_override'
  | 'off_grid'
  | 'min_notice'
  | 'beyond_horizon'
  | 'conflict'
  | 'buffer_conflict'
  | 'allocation'
  | 'full'
  | 'duration_not_allowed'
  /** The service, or the resource asked for (or every resource of the pool), is archived. */
  | 'archived';

/** Something already occupying the resource. */
export interface Occupation {
  /** The booked/held slot itself (no buffers), or the allocation's block. */
  start: number;
  end: number;
  kind: 'booking' | 'allocation';
  /**
   * For bookings: buffers of the service that booked it (bookings occupy
   * `[start − bufferBefore, end + bufferAfter)`). Allocations ignore these.
   */
  bufferBeforeMinutes?: number;
  bufferAfterMinutes?: number;
  /**
   * Seats this occupation takes when it is the *same slot* as a candidate (same service, same
   * resource, same start and end). Same-slot bookings share the slot's capacity instead of
   * conflicting; every other overlap is a conflict.
   */
  seats?: number;
  /** Opaque key of the slot this booking is on (`serviceId|start|end`); same-slot matching uses it. */
  slotKey?: string;
}

export interface AvailabilityInput {
  timezone: string;
  weekly: WeeklyHours;
  overrides: Override[];
  durationMinutes: number;
  bufferBeforeMinutes: number;
  bufferAfterMinutes: number;
  /** Grid step in minutes of the local day; default = durationMinutes. */
  gridMinutes?: number;
  minNoticeMinutes: number;
  /** Calendar days in the resource's zone from `now`'s local date (inclusive); null = unlimited. */
  horizonDays: number | null;
  /** Seats per slot. */
  capacity: number;
  /** Seats the caller wants (slots with fewer remaining are `full`). */
  seats: number;
  /** Key used to recognise same-slot occupations: `${slotKeyPrefix}|${start}|${end}`. */
  slotKeyPrefix: string;
  occupations: Occupation[];
  now: number;
  /** Query window: a slot belongs to it when `from <= start < to`. */
  from: number;
  to: number;
  /**
   * Class sessions: explicit candidate starts from a timetable. When given they replace grid
   * generation and the grid check (the timetable defines the sessions). Opening hours still
   * apply: a session must lie inside an open window, where a resource without any weekly hours
   * counts as open all day on every date no override names (an override replaces its date's
   * hours; `[]` closes it). Allocations, conflicts with other slots, notice, horizon and capacity
   * apply as for appointments.
   */
  sessionStarts?: number[];
}

export interface ComputedSlot {
  start: number;
  end: number;
  /** capacity − seats of same-slot occupations (never below 0). */
  remaining: number;
  available: boolean;
  /** Empty when available. */
  reasons: UnavailableReason[];
}
