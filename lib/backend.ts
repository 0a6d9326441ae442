import type { MessageAnswer, MessageRequest, ProcessInfo, Session, SessionEventType, SessionSummary } from './types.js';

/** An open watch for session events on one server; see {@link Backend.watchEvents}. */
export interface EventWatch {
  /**
   * Waits for the next event(s) of the given kinds. Resolves to `[]` only once this watch is closed (at once, not
   * when the wait returns); a wake-up without an event (another watch's WTS_EVENT_FLUSH on a shared handle) is not
   * passed on. `watchSessions` keeps one such watch per server and shares it among its loops. One call at a time
   * per watch: the native backend rejects a second while one is pending, and keeps events that come between two
   * calls for the next.
   */
  next(types: readonly SessionEventType[]): Promise<SessionEventType[]>;
  /** Ends the watch and releases a wait in progress. Idempotent. */
  close(): Promise<void>;
}

/**
 * The seam between the public API and the code that talks to Windows. The native backend (the addon) and the mock
 * backend (`windows-sessions/mock`) both implement it, and the same contract tests run against both.
 *
 * Arguments reach a backend already checked: `sessionId` is an integer session id, `server` is a host name or
 * `null` for the local machine. A backend rejects with a `WtsError` when Windows (or the mock) reports an error.
 * The guards (own session, session 0, listeners, `expect`) and the questions before a logoff live above the seam,
 * in the client: a backend does exactly what it is told.
 */
export interface Backend {
  /** A short name for messages and debugging, e.g. `'native'` or `'mock'`. */
  readonly name: string;
  /**
   * Every session on the server, with all fields (`locked` only with `lockState`). `callerClock`: for a remote host
   * whose clock cannot be read, measure on `WTSINFOW.CurrentTime` as given (`Session.clock` `'caller'`) rather than
   * leave durations unknown.
   */
  listSessions(server: string | null, lockState?: boolean, callerClock?: boolean): Promise<Session[]>;
  /**
   * Every session on the server as one `WTSEnumerateSessionsExW` call at level 1 gives it (no per-session queries).
   * Optional: without it a summary comes from a full listing.
   */
  listSessionSummaries?(server: string | null): Promise<SessionSummary[]>;
  /** One session, or `null` when there is no session with that id. `callerClock` as for `listSessions`. */
  getSession(
    sessionId: number,
    server: string | null,
    lockState?: boolean,
    callerClock?: boolean,
  ): Promise<Session | null>;
  /** The id of the session this process runs in. */
  currentSessionId(): Promise<number>;
  /**
   * Whether this process acts as an administrator on this machine (an elevated one, or LocalSystem): the rights that
   * acting on other users' sessions needs by default. Optional: a backend without it leaves the question open.
   */
  isAdministrator?(): Promise<boolean>;
  /**
   * The groups an account belongs to: `'local'`, the names of the local groups of `server` (or this machine) it is
   * in, directly or through a domain group; `'domain'`, its domain groups as `'DOMAIN\\Group'`. For a session of this
   * machine (`sessionId`) read from the session's token when the process may (LocalSystem), nested groups included;
   * otherwise NetUserGetLocalGroups with LG_INCLUDE_INDIRECT, and NetUserGetGroups at a domain controller of
   * `domain` (its own domain's groups it is directly in). Rejects with a WtsError when Windows does not say (e.g.
   * NERR_UserNotFound, ERROR_ACCESS_DENIED, ERROR_NO_SUCH_DOMAIN). Optional: without it a policy's group entries
   * leave trust unknown.
   */
  userGroups?(
    userName: string,
    domain: string,
    scope: 'local' | 'domain',
    server: string | null,
    sessionId?: number,
  ): Promise<string[]>;
  /** Signs the session's user out; with `wait`, resolves only when that is done. */
  logoff(sessionId: number, wait: boolean, server: string | null): Promise<void>;
  /** Disconnects the session (it keeps running); with `wait`, resolves only when that is done. */
  disconnect(sessionId: number, wait: boolean, server: string | null): Promise<void>;
  /**
   * Shows a message box in the session and resolves to the answer (`'async'` without `wait`). `signal` tells that
   * nobody waits for the answer any more (the caller rejects with an AbortError itself).
   */
  sendMessage(
    sessionId: number,
    request: MessageRequest,
    server: string | null,
    signal?: AbortSignal,
  ): Promise<MessageAnswer>;
  /** Every process on the server; with `usage`, each with its {@link ProcessInfo.usage} (`WTSEnumerateProcessesExW`). */
  listProcesses(server: string | null, usage?: boolean): Promise<ProcessInfo[]>;
  /**
   * The server's logical processor count, or `null` when it cannot be known (a remote host: the WTS API does not
   * give it). Optional: a backend without it knows none.
   */
  processorCount?(server: string | null): Promise<number | null>;
  /** Opens a watch for session events. */
  watchEvents(server: string | null): Promise<EventWatch>;
}
