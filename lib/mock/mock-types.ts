// The mock's public types: what it records, and the options that seed and script it.
import type { MessageRequest, ProcessUsage, SessionInfoClass } from '../types.js';
import type { MockBackend } from './mock-backend.js';
import type { MockEventSeed } from './mock-watch.js';
import type { MockSessionSeed } from './seed.js';

/** The backend operations the mock records and can fail. */
export type MockOperation =
  | 'listSessions'
  | 'listSessionSummaries'
  | 'getSession'
  | 'currentSessionId'
  | 'logoff'
  | 'disconnect'
  | 'sendMessage'
  | 'listProcesses'
  | 'listProcessUsage'
  | 'watchEvents'
  | 'openServer'
  | 'localGroups'
  | 'domainGroups';

/**
 * A message's request fields, each optional and accepting an explicit `undefined`, so that `MockCall` (whose `wait`
 * is also set by logoff and disconnect) type-checks for dependants that use `exactOptionalPropertyTypes`.
 */
export type MockMessageFields = { [K in keyof MessageRequest]?: MessageRequest[K] | undefined };

/** One recorded call. `server` is `null` for the local machine; a message records its whole request. */
export interface MockCall extends MockMessageFields {
  /** The operation called. */
  op: MockOperation;
  /** The server asked; `null` for the local machine. */
  server: string | null;
  /** The session acted on, where there is one. */
  sessionId?: number | undefined;
  /** The `wait` flag of logoff, disconnect and messages. */
  wait?: boolean | undefined;
}

/** A process to seed the mock with. */
export interface MockProcessSeed {
  /** Process id. */
  pid: number;
  /** Image name, e.g. `'explorer.exe'`. */
  name: string;
  /** The session it runs in. */
  sessionId: number;
  /** Owner's account name; default `null` (unresolvable). */
  userName?: string | null | undefined;
  /** Owner's domain; default `null`. */
  domain?: string | null | undefined;
  /** Owner's SID as text; default `null`. */
  userSid?: string | null | undefined;
  /** The server it runs on; default the local machine. */
  server?: string | null | undefined;
  /** What it uses, for `listProcesses({ usage: true })` and `getSessionUsage`; default all 0. */
  usage?: MockProcessUsage | undefined;
}

/**
 * A seeded process's usage: its figures when first read, each optional (default 0), and how its CPU time grows. As
 * the stand-in for Windows does, every usage read adds `cpuMsPerRead` to its user time after answering, so two reads
 * show that much CPU spent between them; `cpuLoad` adds the processors' worth it keeps busy (0.5: half of one) times
 * the time on the mock's clock since the mock was made.
 */
export interface MockProcessUsage extends Partial<ProcessUsage> {
  /** CPU ms added to its user time after each usage read; default 0. */
  cpuMsPerRead?: number | undefined;
  /** Processors it keeps busy over time on the mock's clock (0 to the processor count); default 0. */
  cpuLoad?: number | undefined;
}

/**
 * An account's group memberships, for `userGroups` (policy entries `@local:` and `@ad:`). An account without a seed
 * (on that host, for local groups) is unknown to Windows: NERR_UserNotFound (2221); a domain no seed gives domain
 * groups for has no domain controller: ERROR_NO_SUCH_DOMAIN (1355).
 */
export interface MockGroupSeed {
  /** The account, `'DOMAIN\user'` (matched without regard to case). */
  user: string;
  /** The host whose local groups `local` are; default the local machine. */
  server?: string | null | undefined;
  /**
   * Local groups of that host the account is in (directly or through a domain group), by name, and by SID for those
   * whose SID Windows tells (`'S-1-5-32-544'`), as the native backend gives them.
   */
  local?: string[] | undefined;
  /** Global groups of the account's own domain it is in, by name without the domain. */
  domain?: string[] | undefined;
}

/** A scripted answer to the next message box in a session; see {@link MockBackend.answer}. */
export interface MockAnswerOptions {
  /** The server the session is on; default the local machine. */
  server?: string | null | undefined;
  /** How long the user takes; default 0. */
  delayMs?: number | undefined;
}

/** A scripted failure; see {@link MockBackend.fail}. */
export interface MockFailureOptions {
  /**
   * Fail only calls about this session. For `listSessions` and `getSession` this fails one of the session's
   * queries (`infoClass`, default `'WTSSessionInfo'`). The "session ended" error of WTSSessionInfo
   * (`ERROR_CTX_WINSTATION_NOT_FOUND` 7022) leaves the session out (`getSession`: `null`); any other failure leaves
   * it listed with `Session.partial` set, except that `getSession` rejects when WTSSessionInfo itself fails with
   * anything but `ERROR_CTX_CLOSE_PENDING` 7007 (a hung session, given as the enumeration lists it). As on Windows,
   * a query the addon would not make (a client query for a console session, say) never fires.
   */
  sessionId?: number | undefined;
  /** With `sessionId`, for `listSessions` and `getSession`: which query fails. */
  infoClass?: SessionInfoClass | undefined;
  /** Fail only calls to this server (`null` for the local machine); default: any server. */
  server?: string | null | undefined;
  /** How many matching calls fail; default 1. `Infinity` for all of them. */
  times?: number | undefined;
}

/** Options of {@link createMockBackend}. */
export interface MockBackendOptions {
  /**
   * The local machine's sessions. Default: a demo server (see `demoSessions`): services (0), alice at the console
   * (1), bob over RDP (2), carol disconnected (3) and the RDP listener (65536).
   */
  sessions?: MockSessionSeed[] | undefined;
  /**
   * Add session 0 ('Services') and the RDP listener (65536) to `sessions` unless they list those ids themselves, as
   * every real Windows machine has them. Default `true`.
   */
  systemSessions?: boolean | undefined;
  /** Remote hosts by name (matched without regard to case). Calls to any other host fail with RPC_S_SERVER_UNAVAILABLE. */
  servers?: Record<string, MockSessionSeed[]> | undefined;
  /** The session this process "runs in" (its `isCurrent` is true). Default 1. */
  currentSessionId?: number | undefined;
  /**
   * Whether this process acts as an administrator (elevated, or LocalSystem). Default `true`; `false` rehearses a
   * guard started without the rights to act on other users' sessions, which the policy enforcer refuses to be.
   */
  administrator?: boolean | undefined;
  /**
   * The caller's clock, which is also this machine's and, unless `remoteClocks` says otherwise, every remote host's.
   * Default `Date.now`.
   */
  now?: () => number | Date;
  /**
   * Remote hosts' own clocks (names matched without regard to case): how many ms a host's clock runs ahead of `now`
   * (negative: behind), so that its sessions' `serverTime` is `now` plus that and their durations are measured on it
   * (`clock: 'server'`); or `{ errno }`, what `NetRemoteTOD` fails with for that host, whose durations are then
   * unknown (`clock: null`) unless the caller passes `remoteClock: 'caller'`. Its seeds' times are on its own clock.
   */
  remoteClocks?: Record<string, number | MockClockFailure> | undefined;
  /**
   * Called with each call as it is made, before it is answered; may change the mock (a session that changes hands
   * between two calls, say). A returned promise is waited for.
   */
  onCall?: ((call: MockCall, mock: MockBackend) => void | Promise<void>) | undefined;
  /**
   * Delay before each call settles, in ms. Default 0: calls still settle asynchronously, like the real ones, but on a
   * microtask, so fake timers need no advancing. With a latency, advance fake timers past it.
   */
  latencyMs?: number | undefined;
  /**
   * Servers whose event waits run at once, as the addon's wait threads are (`WINDOWS_SESSIONS_WAIT_THREADS`, default
   * 1024): the first wait on a server beyond them fails with ERROR_TOO_MANY_TCBS (155, syscall `'WaitPool'`), and
   * `watchSessions` polls that server instead. A server's slot is held until its last watch closes. Default: no limit.
   */
  waitThreads?: number | undefined;
  /**
   * Message boxes nobody scripted an answer for stay up as on Windows: until their `timeoutSeconds` (then
   * `'timeout'`), or, with none, until the caller stops waiting. Default `false`: such a box answers `'timeout'` at
   * once, which suits unit tests; `true` lets a policy's grace period be rehearsed end to end on real time.
   */
  realTime?: boolean | undefined;
  /** Processes, for listProcesses. Default: the demo's when `sessions` is not given either, else none. */
  processes?: MockProcessSeed[] | undefined;
  /** Group memberships, for `userGroups`; default none (every account unknown). */
  groups?: MockGroupSeed[] | undefined;
  /**
   * This machine's NetBIOS name, which Windows gives as the domain of its local accounts: such an account is in no
   * domain group (`userGroups` answers none where no domain of that name has seeds). A remote host's is the first
   * label of its name in upper case. Default: not known, so a local account's domain groups are unknown.
   */
  computerName?: string | undefined;
  /** This machine's logical processor count, for `getSessionUsage`. Default 4; remote hosts' is unknown. */
  processors?: number | undefined;
  /** Session events, for watchSessions, in order; each happens `delayMs` into the wait that receives it. */
  events?: MockEventSeed[] | undefined;
}

/** A remote host's clock that cannot be read; see {@link MockBackendOptions.remoteClocks}. */
export interface MockClockFailure {
  /** The Win32 or NERR error `NetRemoteTOD` fails with, e.g. 53 (`ERROR_BAD_NETPATH`). */
  errno: number;
}
