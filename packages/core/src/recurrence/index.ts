/**
 * Recurrence: RFC 5545 RRULE/EXDATE expansion in IANA time zones, and the simple series form.
 * @module
 */
export {
  expandRecurrence,
  expandRecurrenceMs,
  RECURRENCE_DEFAULT_LIMIT,
  RECURRENCE_MAX_LIMIT,
  type RecurrenceInput,
  RecurrenceInputSchema,
} from './expand.js';
export { type ParsedRule, parseRrule } from './rrule.js';
export {
  type CompiledRecurrence,
  compileSimpleRecurrence,
  type SimpleRecurrence,
  SimpleRecurrenceSchema,
} from './simple.js';
