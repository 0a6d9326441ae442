import type { Backend } from '../backend.js';
import { SessionRefusedError } from '../errors.js';
import { idleTimeUntrusted, isIdleFor } from '../idle-time.js';
import type { Session, SessionGuardOptions } from '../types.js';
import { checkBoolean, checkOptions, optionalString } from '../validate.js';

/** Checked guard options. */
export interface Guard {
  expect: { userName?: string | null; domain?: string | null; logonTime?: number | null };
  allowOwnSession: boolean;
  allowServicesSession: boolean;
  allowListener: boolean;
  /** Idle sweeps only: the session must still be idle this long (ms), by a time that can be trusted. */
  stillIdle?: { idleFor: number; includeActiveConsole: boolean };
  /** Read the session again on the caller's clock where a remote host's cannot be read (`remoteClock: 'caller'`). */
  callerClock?: boolean;
}

/** Checks the guard options of logoff and disconnect. */
export function checkGuard(options: SessionGuardOptions): Guard {
  const expect = checkOptions<NonNullable<SessionGuardOptions['expect']>>(options.expect, 'options.expect');
  let logonTime: number | null | undefined = expect.logonTime === null ? null : undefined;
  if (expect.logonTime !== undefined && expect.logonTime !== null) {
    logonTime = expect.logonTime instanceof Date ? expect.logonTime.getTime() : expect.logonTime;
    if (typeof logonTime !== 'number' || !Number.isFinite(logonTime)) {
      throw new TypeError('options.expect.logonTime must be a Date, a number of ms, or null');
    }
  }
  return {
    expect: {
      userName: optionalString(expect.userName, 'options.expect.userName'),
      domain: optionalString(expect.domain, 'options.expect.domain'),
      logonTime,
    },
    allowOwnSession: checkBoolean(options.allowOwnSession, 'options.allowOwnSession', false),
    allowServicesSession: checkBoolean(options.allowServicesSession, 'options.allowServicesSession', false),
    allowListener: checkBoolean(options.allowListener, 'options.allowListener', false),
  };
}

const seconds = (ms: number | null) => (ms === null ? 'an unknown time' : `${Math.floor(ms / 1000)} s`);
/** Equal without regard to case; `null` expects `null`. */
const same = (a: string | null, b: string | null) =>
  b === null ? a === null : a !== null && a.toLowerCase() === b.toLowerCase();

/** The reason `session` may not be acted on under `guard`, or null. */
export function refusal(session: Session, guard: Guard, server: string | null): SessionRefusedError | null {
  const refuse = (code: ConstructorParameters<typeof SessionRefusedError>[0], detail: string) =>
    new SessionRefusedError(code, session.id, server, detail);
  if (session.id === 0 && !guard.allowServicesSession) {
    return refuse('ERR_SERVICES_SESSION', 'session 0 runs the services; pass allowServicesSession: true to act on it');
  }
  if (session.state === 'listen' && !guard.allowListener) {
    return refuse('ERR_LISTENER_SESSION', `${session.stationName || 'it'} is a listener; pass allowListener: true`);
  }
  if (session.isCurrent && !guard.allowOwnSession) {
    return refuse('ERR_OWN_SESSION', 'it is the session this process runs in; pass allowOwnSession: true');
  }
  const { userName, domain, logonTime } = guard.expect;
  // A field Windows would not give (a hung session answers ERROR_CTX_CLOSE_PENDING) is unknown, not "none": it
  // confirms nothing, so an expectation about it refuses.
  const unread = (field: keyof Session) => session.partial?.find((e) => e.fields.includes(field));
  for (const [field, expected] of [
    ['userName', userName],
    ['domain', domain],
    ['logonTime', logonTime],
  ] as const) {
    const failed = expected === undefined ? undefined : unread(field);
    if (failed) {
      return refuse(
        'ERR_SESSION_UNREADABLE',
        `its ${field} cannot be read (${failed.code} from ${failed.infoClass}), so the expected one cannot be confirmed`,
      );
    }
  }
  if (userName !== undefined && !same(session.userName, userName)) {
    return refuse('ERR_SESSION_CHANGED', `expected user ${userName ?? 'none'}, found ${session.userName ?? 'no user'}`);
  }
  if (domain !== undefined && !same(session.domain, domain)) {
    return refuse('ERR_SESSION_CHANGED', `expected domain ${domain ?? 'none'}, found ${session.domain ?? 'none'}`);
  }
  if (logonTime !== undefined && (session.logonTime?.getTime() ?? null) !== logonTime) {
    return refuse(
      'ERR_SESSION_CHANGED',
      `expected logon ${logonTime === null ? 'time none' : `at ${new Date(logonTime).toISOString()}`}, found ${session.logonTime?.toISOString() ?? 'none'}`,
    );
  }
  const { stillIdle } = guard;
  if (stillIdle && !isIdleFor(session, stillIdle.idleFor, stillIdle.includeActiveConsole)) {
    return refuse(
      'ERR_NOT_IDLE',
      idleTimeUntrusted(session) && !stillIdle.includeActiveConsole
        ? 'it is an active console session, whose idle time is not trusted'
        : `idle for ${seconds(session.idleMs)} now, less than ${seconds(stillIdle.idleFor)}`,
    );
  }
  return null;
}

/** Reads the session just before acting on it and applies the guard; rejects with a SessionRefusedError. */
export async function guardedSession(
  backend: Backend,
  sessionId: number,
  server: string | null,
  guard: Guard,
  lockState = false,
): Promise<Session> {
  // The fourth argument only when asked for, so that a backend is called as before otherwise.
  const session = await (guard.callerClock
    ? backend.getSession(sessionId, server, lockState, true)
    : backend.getSession(sessionId, server, lockState));
  if (!session) throw new SessionRefusedError('ERR_SESSION_NOT_FOUND', sessionId, server, 'there is no such session');
  const refused = refusal(session, guard, server);
  if (refused) throw refused;
  return session;
}

/** Whether two reads are of the same sign-in: same user (or still none) and same logon time. */
export function sameSignIn(a: Session, b: Session): boolean {
  const user = (s: Session) => (s.userName === null ? null : `${s.domain ?? ''}\\${s.userName}`.toLowerCase());
  return user(a) === user(b) && a.logonTime?.getTime() === b.logonTime?.getTime();
}
