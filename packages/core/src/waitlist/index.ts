/**
 * The waitlist's pure rules: how the free seats of a slot are shared among its waiting entries.
 * @module
 */
export { entriesAhead, newcomerRoom, type QueueEntry, type ServedQueue, serveQueue } from './policy.js';
