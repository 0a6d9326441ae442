/**
 * windows-sessions: see who is signed in to a Windows machine and sign them out, through the Windows Terminal
 * Services (WTS) API. The top-level functions use the native backend on Windows, or whatever {@link setBackend}
 * installed (the mock from `windows-sessions/mock` in tests).
 *
 * @packageDocumentation
 */
import { createClient } from './client.js';
import { getBackend } from './default-backend.js';
import type { GetSessionOptions, ListSessionsOptions, LogoffOptions, Session } from './types.js';

/** A client over whatever backend is current now: setBackend() takes effect on the next call. */
const current = () => createClient(getBackend());

/**
 * Lists every session on the machine (or on `options.server`) with its user, state, client and times, like
 * `query session` and `query user` together. Sessions that end while the list is being read are left out.
 *
 * @throws {@link WtsError} when Windows refuses the listing (e.g. `ERROR_ACCESS_DENIED`, `RPC_S_SERVER_UNAVAILABLE`).
 * @throws TypeError or RangeError for bad options.
 * @example
 * ```ts
 * for (const s of await listSessions()) console.log(s.id, s.userName ?? '-', s.state)
 * ```
 */
export function listSessions(options?: ListSessionsOptions): Promise<Session[]> {
  return current().listSessions(options);
}

/**
 * One session by id, or `null` when no session has that id.
 *
 * @throws TypeError or RangeError when `sessionId` is not an integer from 0 to 4294967293.
 * @throws {@link WtsError} when Windows refuses the query.
 */
export function getSession(sessionId: number, options?: GetSessionOptions): Promise<Session | null> {
  return current().getSession(sessionId, options);
}

/** The id of the session this process runs in (`ProcessIdToSessionId`). */
export function currentSessionId(): Promise<number> {
  return current().currentSessionId();
}

/**
 * Signs a session's user out (`WTSLogoffSession`), as `logoff <id>` does. Their unsaved work is lost.
 * Resolves once Windows accepted the logoff, or with `{ wait: true }` once it is done.
 *
 * @throws TypeError or RangeError when `sessionId` is not an integer from 0 to 4294967293 (nothing is signed out).
 * @throws {@link WtsError}, e.g. `ERROR_ACCESS_DENIED` (not elevated) or `ERROR_CTX_WINSTATION_NOT_FOUND` (no such
 * session).
 * @example
 * ```ts
 * await logoff(3, { wait: true })
 * ```
 */
export function logoff(sessionId: number, options?: LogoffOptions): Promise<void> {
  return current().logoff(sessionId, options);
}

export type { Backend } from './backend.js';
export { createClient, type SessionsClient } from './client.js';
export { resetBackend, setBackend } from './default-backend.js';
export { WtsError, type WtsErrorInit } from './errors.js';
export { createNativeBackend } from './native/native-backend.js';
export { ERR_ADDON_LOAD, ERR_UNSUPPORTED_PLATFORM } from './native/load-addon.js';
export { MAX_SESSION_ID } from './validate.js';
export { win32ErrorCode } from './win32-errors.js';
export {
  SESSION_STATES,
  type GetSessionOptions,
  type ListSessionsOptions,
  type LogoffOptions,
  type ServerOptions,
  type Session,
  type SessionProtocol,
  type SessionState,
} from './types.js';
