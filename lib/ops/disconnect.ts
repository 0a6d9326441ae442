import type { Backend } from '../backend.js';
import type { DisconnectOptions } from '../types.js';
import { checkBoolean, checkOptions, checkServer, checkSessionId } from '../validate.js';
import { checkGuard, guardedSession } from './guards.js';

/** disconnect: the same guards as logoff, then WTSDisconnectSession. */
export async function disconnect(backend: Backend, sessionId: unknown, options: unknown): Promise<void> {
  const id = checkSessionId(sessionId);
  const o = checkOptions<DisconnectOptions>(options);
  const server = checkServer(o.server);
  const wait = checkBoolean(o.wait, 'options.wait', false);
  const guard = checkGuard(o);
  await guardedSession(backend, id, server, guard);
  await backend.disconnect(id, wait, server);
}
