import type { Session, SessionDetailError, SessionInfoClass } from './types.js';
import { win32ErrorCode } from './win32-errors.js';

/** The fields each detail query fills, and so leaves `null` when it fails. */
const FIELDS: Readonly<Record<SessionInfoClass, readonly (keyof Session)[]>> = {
  WTSSessionInfo: [
    'userName',
    'domain',
    'protocol',
    'clientName',
    'clientAddress',
    'logonTime',
    'connectTime',
    'disconnectTime',
    'lastInputTime',
    'idleMs',
    'serverTime',
    'clock',
  ],
  WTSUserName: ['userName', 'domain'],
  WTSDomainName: ['domain'],
  WTSClientProtocolType: ['protocol'],
  WTSClientInfo: ['clientName', 'clientAddress'],
  WTSClientAddress: ['clientAddress'],
  WTSSessionInfoEx: ['locked'],
};

/** Describes a failed detail query of a session that is still there (one entry of {@link Session.partial}). */
export function detailError(infoClass: SessionInfoClass, errno: number): SessionDetailError {
  return { infoClass, errno, code: win32ErrorCode(errno), fields: FIELDS[infoClass] };
}

/** Sets the fields that `errors` left unread to `null`, and records them in `partial`. */
export function withDetailErrors(session: Session, errors: SessionDetailError[]): Session {
  if (errors.length === 0) return session;
  const result = { ...session, partial: errors } as Record<keyof Session, unknown>;
  for (const error of errors) for (const field of error.fields) result[field] = null;
  return result as Session;
}
