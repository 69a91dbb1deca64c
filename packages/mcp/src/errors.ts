/**
 * Refusals as actionable text for a model: what went wrong, in terms of the fields it passed, and
 * what to do next.
 * @module
 */
import type { ClientError } from './tool.js';

interface FieldIssue {
  path: string;
  message: string;
}

/** `seats: Too small…; contactId: Required` from zod issues or `details.fields`. */
export function fieldList(fields: readonly FieldIssue[]): string {
  return fields.map((f) => `\`${f.path || '(arguments)'}\`: ${f.message}`).join('; ');
}

export function zodIssues(
  issues: readonly { path: readonly PropertyKey[]; message: string }[],
): FieldIssue[] {
  return issues.map((i) => ({ path: i.path.map(String).join('.'), message: i.message }));
}

function detailsOf(error: ClientError): Record<string, unknown> {
  return error.details && typeof error.details === 'object' ? (error.details as Record<string, unknown>) : {};
}

/** The message of a tool error: the refusal and the next step, then the code and request id. */
export function errorText(tool: string, error: ClientError): string {
  const details = detailsOf(error);
  let text: string;
  switch (error.code) {
    case 'validation_failed': {
      const fields = Array.isArray(details.fields) ? (details.fields as FieldIssue[]) : [];
      text = fields.length
        ? `Invalid arguments for ${tool}: ${fieldList(fields)}. Fix these fields and call ${tool} again.`
        : `Invalid arguments for ${tool}: ${error.message}`;
      break;
    }
    case 'not_found':
      text = `${error.message}. Check the id: look services up with seshn_list_services, contacts with seshn_find_contact, bookings with seshn_list_bookings, slots with seshn_check_availability.`;
      break;
    case 'slot_unavailable':
      text = `That slot cannot be booked: ${error.message}${details.reason ? ` (reason: ${String(details.reason)})` : ''}.`;
      break;
    case 'invalid_state':
      text = `Not possible in the booking's current state: ${error.message}${details.status ? ` (status: ${String(details.status)})` : ''}${details.reason ? ` (reason: ${String(details.reason)})` : ''}.`;
      break;
    case 'unauthorized':
      text = `Seshn refused the API key (${error.message}). Check SESHN_API_KEY in the MCP server's configuration.`;
      break;
    case 'forbidden':
      text = `This API key may not do that: ${error.message}. Use a key with the needed role (staff or above for bookings).`;
      break;
    case 'rate_limited':
    case 'storage_error':
      text = `Seshn is busy (${error.message}). Nothing was changed; try again in a few seconds.`;
      break;
    case 'idempotency_conflict':
      text = `${error.message}. Use a new idempotencyKey for a different booking.`;
      break;
    case 'client_error':
      text = `Could not reach Seshn: ${error.message}. Check SESHN_BASE_URL and that the server is running, then try again.`;
      break;
    default:
      text = error.message || error.code;
  }
  const ref = [error.code, error.requestId ? `request ${error.requestId}` : ''].filter(Boolean).join(', ');
  return `${text} [${ref}]`;
}
