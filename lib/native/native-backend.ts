import type { Backend } from '../backend.js';
import { WtsError } from '../errors.js';
import type { Addon, RawWin32Error } from './addon.js';
import { loadAddon } from './load-addon.js';
import { toSession } from './to-session.js';

/** Turns the addon's Win32 failure into a {@link WtsError}; anything else (a bug) passes through unchanged. */
function toWtsError(error: unknown, server: string | null): unknown {
  const raw = error as Partial<RawWin32Error> | null;
  if (raw && typeof raw.errno === 'number' && typeof raw.syscall === 'string') {
    return new WtsError({
      errno: raw.errno,
      syscall: raw.syscall,
      sessionId: raw.sessionId,
      server,
      description: raw.message,
    });
  }
  return error;
}


/**
 * The backend that calls Windows through the compiled addon (loaded on first use, Windows only).
 * @param load - where the addon comes from; tests pass their own.
 */
export function createNativeBackend(load: () => Addon = loadAddon): Backend {
  const run = async <T>(server: string | null, fn: (addon: Addon) => Promise<T>): Promise<T> => {
    try {
      return await fn(load());
    } catch (error) {
      throw toWtsError(error, server);
    }
  };
  return {
    name: 'native',
    listSessions: (server) => run(server, async (a) => (await a.listSessions(server)).map(toSession)),
    getSession: (sessionId, server) =>
      run(server, async (a) => {
        const raw = await a.getSession(sessionId, server);
        return raw === null ? null : toSession(raw);
      }),
    currentSessionId: () => run(null, (a) => a.currentSessionId()),
    logoff: (sessionId, wait, server) => run(server, (a) => a.logoff(sessionId, wait, server)),
  };
}
