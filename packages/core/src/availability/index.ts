/**
 * The pure availability engine: opening hours → open windows → slots, explanations and free
 * windows. Storage-free; the orchestrator hands in occupations as plain intervals.
 * @module
 */
export { explainStart, explainStarts, type StartExplanation } from './explain.js';
export { type HoursSource, hoursForDate, openingIntervals } from './hours.js';
export { validateAvailabilityInput } from './prepare.js';
export { type ComputeSlotsOptions, computeSlots } from './slots.js';
export type * from './types.js';
export { type FreeWindowsInput, type FreeWindowsOptions, freeWindows } from './windows.js';
