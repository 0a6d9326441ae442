import type { Backend } from './backend.js';
import type { GetSessionOptions, ListSessionsOptions, LogoffOptions, Session } from './types.js';
import { checkBoolean, checkOptions, checkServer, checkSessionId } from './validate.js';

/** The package's functions bound to one backend; see {@link createClient}. */
export interface SessionsClient {
  /** The backend this client calls. */
  readonly backend: Backend;
  /** See the top-level {@link listSessions}. */
  listSessions(options?: ListSessionsOptions): Promise<Session[]>;
  /** See the top-level {@link getSession}. */
  getSession(sessionId: number, options?: GetSessionOptions): Promise<Session | null>;
  /** See the top-level {@link currentSessionId}. */
  currentSessionId(): Promise<number>;
  /** See the top-level {@link logoff}. */
  logoff(sessionId: number, options?: LogoffOptions): Promise<void>;
}

/**
 * Runs `fn` so that a bad argument rejects the returned promise (with a TypeError or RangeError) instead of
 * throwing synchronously: callers handle every failure in one place.
 */
function settle<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return fn();
  } catch (error) {
    return Promise.reject(error);
  }
}

/**
 * Makes a client whose functions call the given backend: the explicit way to choose a backend (e.g. a mock in a
 * test) without touching the package-wide default.
 *
 * @example
 * ```ts
 * import { createClient } from 'windows-sessions'
 * import { createMockBackend } from 'windows-sessions/mock'
 * const client = createClient(createMockBackend())
 * console.log(await client.listSessions())
 * ```
 */
export function createClient(backend: Backend): SessionsClient {
  return {
    backend,
    listSessions: (options) =>
      settle(() => backend.listSessions(checkServer(checkOptions<ListSessionsOptions>(options).server))),
    getSession: (sessionId, options) =>
      settle(() => {
        const id = checkSessionId(sessionId);
        return backend.getSession(id, checkServer(checkOptions<GetSessionOptions>(options).server));
      }),
    currentSessionId: () => settle(() => backend.currentSessionId()),
    logoff: (sessionId, options) =>
      settle(() => {
        const id = checkSessionId(sessionId);
        const opts = checkOptions<LogoffOptions>(options);
        return backend.logoff(id, checkBoolean(opts.wait, 'options.wait', false), checkServer(opts.server));
      }),
  };
}
