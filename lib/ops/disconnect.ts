import type { Backend } from '../backend.js';
import { SessionRefusedError } from '../errors.js';
import type { DisconnectOptions, DisconnectResult, Session } from '../types.js';
import { checkBoolean, checkOptions, checkServer, checkSessionId, checkSignal } from '../validate.js';
import { checkWaitTimeout, otherSignIn, waitForSession } from './confirm-wait.js';
import { checkGuard, guardedSession } from './guards.js';

/** The session at the machine's own screen and keyboard, in use (session 0 runs services and is guarded apart). */
export function isActiveConsole(session: Session): boolean {
  return (
    session.id !== 0 &&
    session.state === 'active' &&
    (session.protocol === 'console' || session.stationName === 'Console')
  );
}

/**
 * disconnect: the same guards as logoff, then WTSDisconnectSession without Windows's own wait; with `wait`, the
 * session is read again until it is disconnected (or gone), or the time-out says it is still pending.
 */
export async function disconnect(backend: Backend, sessionId: unknown, options: unknown): Promise<DisconnectResult> {
  const id = checkSessionId(sessionId);
  const o = checkOptions<DisconnectOptions>(options);
  const server = checkServer(o.server);
  const wait = checkBoolean(o.wait, 'options.wait', false);
  const waitTimeoutMs = checkWaitTimeout(o.waitTimeout, 'options.waitTimeout');
  const signal = checkSignal(o.signal);
  const guard = checkGuard(o);
  const allowConsole = checkBoolean(o.allowConsole, 'options.allowConsole', false);
  const session = await guardedSession(backend, id, server, guard);
  if (isActiveConsole(session) && !allowConsole) {
    throw new SessionRefusedError(
      'ERR_CONSOLE_SESSION',
      id,
      server,
      'it is the active console session, which a disconnect does not remove: Windows Server refuses it ' +
        '(ERROR_CTX_CONSOLE_DISCONNECT), and Windows 10 and 11 lock it with its user still signed in; ' +
        'sign it out instead, or pass allowConsole: true',
    );
  }
  await backend.disconnect(id, false, server);
  if (!wait) return { sessionId: id, server, outcome: 'disconnected' };
  const done = await waitForSession(
    backend,
    id,
    server,
    (s) => s === null || otherSignIn(session, s) || s.state === 'disconnected',
    waitTimeoutMs,
    signal,
  );
  return { sessionId: id, server, outcome: done ? 'disconnected' : 'pending' };
}
