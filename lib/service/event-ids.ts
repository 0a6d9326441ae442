import type { AuditRecord } from '../policy/policy-types.js';

/** EVENTLOG_ERROR_TYPE, EVENTLOG_WARNING_TYPE and EVENTLOG_INFORMATION_TYPE (winnt.h). */
export const EVENT_TYPE = { error: 1, warning: 2, information: 4 } as const;

/**
 * The Event Log id of each audit outcome, and of the service's own events: stable, so that a SIEM rule written for
 * one keeps matching. The same numbers name the messages of native/messages.mc.
 */
export const EVENT_IDS = {
  start: 1000,
  stop: 1001,
  reload: 1002,
  startRefused: 1003,
  auditFailed: 1004,
  decided: 1100,
  warning: 1101,
  warningFailed: 1102,
  interrupted: 1103,
  warned: 1200,
  disconnected: 1201,
  signedOut: 1202,
  dryRun: 1203,
  skipped: 1204,
  failed: 1205,
  hostDown: 1300,
  hostUp: 1301,
} as const;

/** Outcomes that call for an administrator's look. */
const WARNINGS = new Set<string>(['warningFailed', 'skipped', 'hostDown', 'interrupted']);
const ERRORS = new Set<string>(['failed', 'startRefused', 'auditFailed']);

/** The event of one audit record: `error` set when its line could not be written to the audit file. */
export function eventOf(record: AuditRecord, error: Error | null): { id: number; type: number; text: string } {
  const key = error ? 'auditFailed' : record.outcome;
  const id = (EVENT_IDS as Record<string, number>)[key] ?? EVENT_IDS.failed;
  const type = ERRORS.has(key) ? EVENT_TYPE.error : WARNINGS.has(key) ? EVENT_TYPE.warning : EVENT_TYPE.information;
  const parts = [
    record.host === null ? null : `host ${record.host}`,
    record.session === null ? null : `session ${record.session}`,
    record.user === null ? null : `user ${record.user}`,
    record.client === null ? null : `client ${record.client.address ?? record.client.name ?? '-'}`,
    record.rule === null ? null : `rule ${record.rule}`,
    record.action === null ? null : `action ${record.action}`,
    record.reason === null ? null : `because ${record.reason}`,
    record.error === null ? null : `error ${record.error.code ?? ''} ${record.error.message}`.replace('  ', ' '),
    error ? `not written to the audit file: ${error.message}` : null,
  ].filter((p) => p !== null);
  return { id, type, text: `Outcome ${record.outcome}${parts.length ? `: ${parts.join(', ')}` : ''}.` };
}
