import type { Addon } from '../native/addon.js';
import type { AuditRecord } from '../policy/policy-types.js';
import { eventOf } from './event-ids.js';

/**
 * The `copyAudit` of the service: each audit record also goes to the Application log under `source`, its JSON as
 * the event's data. The Event Log is the second place, never the one that holds enforcement up: a failed report is
 * told to `onError` only.
 */
export function eventLogCopy(
  addon: Pick<Addon, 'reportEvent'>,
  source: string,
  onError: (error: Error) => void,
): (record: AuditRecord, error: Error | null) => void {
  return (record, error) => {
    const { id, type, text } = eventOf(record, error);
    addon.reportEvent(source, type, id, text, Buffer.from(JSON.stringify(record), 'utf8')).catch(onError);
  };
}
