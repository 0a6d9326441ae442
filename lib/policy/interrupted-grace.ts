import { closeSync, existsSync, fstatSync, openSync, readSync } from 'node:fs';
import type { Session } from '../types.js';
import { accountName } from './plan.js';
import type { AuditRecord } from './policy-types.js';

/** How much of the audit file's end is read: grace periods are minutes long, the file may hold months. */
const TAIL_BYTES = 4 * 1024 * 1024;

/** One sign-in on one host, as the audit records name it and as a listing gives it. */
const keyOf = (host: string | null, session: number, logonTime: string | null, user: string | null) =>
  `${host?.toLowerCase() ?? ''}|${session}|${logonTime ?? '-'}|${user?.toLowerCase() ?? ''}`;

/** The key of a listed session on `host`, to look up in {@link interruptedGrace}'s answer. */
export const graceKey = (host: string | null, s: Session): string =>
  keyOf(host, s.id, s.logonTime?.toISOString() ?? null, accountName(s));

function tail(path: string): string {
  const fd = openSync(path, 'r');
  try {
    const size = fstatSync(fd).size;
    const length = Math.min(size, TAIL_BYTES);
    const buffer = Buffer.alloc(length);
    readSync(fd, buffer, 0, length, size - length);
    const text = buffer.toString('utf8');
    // A cut first line is not a record.
    return length < size ? text.slice(text.indexOf('\n') + 1) : text;
  } finally {
    closeSync(fd);
  }
}

/**
 * The grace periods a previous run of the enforcer started and never finished (it stopped in between: a crash, a
 * reboot): sign-ins whose last record in the audit file is their `'warning'` (or `'warningFailed'`), with that
 * warning's record and deadline. A file that cannot be read, or lines that are not records, are passed over.
 */
export function interruptedGrace(path: string): Map<string, { record: AuditRecord; deadline: number }> {
  const pending = new Map<string, { record: AuditRecord; deadline: number }>();
  if (!existsSync(path)) return pending;
  let text: string;
  try {
    text = tail(path);
  } catch {
    return pending;
  }
  for (const line of text.split('\n')) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(line);
    } catch {
      continue;
    }
    const record = parsed as AuditRecord | null;
    if (typeof parsed !== 'object' || record === null || typeof record.session !== 'number') continue;
    const key = keyOf(record.host, record.session, record.logonTime ?? null, record.user);
    if (record.outcome === 'warning' && typeof record.deadline === 'string') {
      const deadline = Date.parse(record.deadline);
      if (Number.isFinite(deadline)) pending.set(key, { record, deadline });
    } else if (record.outcome !== 'warningFailed') {
      pending.delete(key); // an outcome came (or a new decision): that grace period ended
    }
  }
  return pending;
}
