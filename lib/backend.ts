import type { Session } from './types.js';

/**
 * The seam between the public API and the code that talks to Windows. The native backend (the addon) and the mock
 * backend (`windows-sessions/mock`) both implement it, and the same contract tests run against both.
 *
 * Arguments reach a backend already checked: `sessionId` is an integer session id, `server` is a host name or
 * `null` for the local machine. A backend rejects with a `WtsError` when Windows (or the mock) reports an error.
 */
export interface Backend {
  /** A short name for messages and debugging, e.g. `'native'` or `'mock'`. */
  readonly name: string;
  /** Every session on the server, with all fields. */
  listSessions(server: string | null): Promise<Session[]>;
  /** One session, or `null` when there is no session with that id. */
  getSession(sessionId: number, server: string | null): Promise<Session | null>;
  /** The id of the session this process runs in. */
  currentSessionId(): Promise<number>;
  /** Signs the session's user out; with `wait`, resolves only when that is done. */
  logoff(sessionId: number, wait: boolean, server: string | null): Promise<void>;
}
