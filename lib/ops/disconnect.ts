import type { Backend } from '../backend.js';
import type { DisconnectOptions, DisconnectResult } from '../types.js';
import { checkBoolean, checkOptions, checkServer, checkSessionId, checkSignal } from '../validate.js';
import { checkWaitTimeout, otherSignIn, waitForSession } from './confirm-wait.js';
import { checkGuard, guardedSession } from './guards.js';

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
  const session = await guardedSession(backend, id, server, guard);
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
