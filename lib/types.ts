import type { RefusalCode } from './errors.js';
/**
 * Connection states of a session, as `WTS_CONNECTSTATE_CLASS` names them (0 to 9, in this order).
 */
export const SESSION_STATES = [
  'active',
  'connected',
  'connectQuery',
  'shadow',
  'disconnected',
  'idle',
  'listen',
  'reset',
  'down',
  'init',
] as const;

/** A session's connection state; see {@link SESSION_STATES}. */
export type SessionState = (typeof SESSION_STATES)[number];

/** The protocol a session's client speaks (`WTSClientProtocolType`: 0 console, 1 ICA, 2 RDP). */
export type SessionProtocol = 'console' | 'ica' | 'rdp';

/** One Windows session, as `query session` and Task Manager's Users tab show it, with its times. */
export interface Session {
  /** Session id (0 is the services session; listeners are 65536 and up). */
  id: number;
  /** Window station name, e.g. `'Console'`, `'RDP-Tcp#3'`, `'Services'`; `''` when the session has none. */
  stationName: string;
  /** Connection state. */
  state: SessionState;
  /**
   * Signed-in user's name, or `null` when no user is signed in (or, with {@link Session.partial}, when Windows did
   * not say). The name as the session's records hold it, which is the SAM-compatible one: an Entra ID user as
   * `'AliceSmith'` with domain `'AzureAD'` (as `whoami` shows it), not the sign-in address; a Microsoft account as the
   * local account it signs in to.
   */
  userName: string | null;
  /** Signed-in user's domain (or machine name for local accounts), or `null` when no user is signed in. */
  domain: string | null;
  /** Remote client's computer name, or `null` when there is no remote client. */
  clientName: string | null;
  /** Remote client's IPv4 or IPv6 address as text, or `null` when unknown or there is no remote client. */
  clientAddress: string | null;
  /** Client protocol, or `null` when Windows does not report one. */
  protocol: SessionProtocol | null;
  /** When the user signed in, or `null`. */
  logonTime: Date | null;
  /** When the client last connected, or `null`. */
  connectTime: Date | null;
  /** When the client last disconnected, or `null`. */
  disconnectTime: Date | null;
  /** Time of the user's last keyboard or mouse input, or `null`. */
  lastInputTime: Date | null;
  /**
   * Milliseconds the session has been idle, measured on the server's own clock (so the caller's clock skew does not
   * matter; see {@link Session.clock}): since the last input, or since the disconnect for a disconnected session.
   * `null` when Windows reports no such time, or when the server's clock is unknown (`clock: null`).
   */
  idleMs: number | null;
  /**
   * The server's own clock when this session was read, or `null` when it is unknown (`clock: null`). Compare the
   * other times with it, not with this machine's clock: the two can differ. On this machine it is
   * `WTSINFOW.CurrentTime`; for a remote host it comes from the host's clock as `NetRemoteTOD` gives it, since
   * Windows Server 2008 and later leave `CurrentTime` to the caller's clock (see {@link Session.clock}).
   */
  serverTime: Date | null;
  /**
   * Which clock {@link Session.idleMs} and {@link Session.serverTime} are measured on:
   * - `'server'`: the server's own (this machine's for a local session; for a remote host, its clock as
   *   `NetRemoteTOD` read it once per listing or `getSession`, with `WTSINFOW.CurrentTime` moved onto it when the
   *   caller's clock filled it in);
   * - `'caller'`: `WTSINFOW.CurrentTime` as given, which a remote Windows Server 2008 or later fills from this
   *   machine's clock: only when the host's clock could not be read and the caller accepted that
   *   (`remoteClock: 'caller'`). Durations are then off by the difference between the two clocks;
   * - `null`: unknown (the host's clock could not be read, or the session's times could not be), so `idleMs` and
   *   `serverTime` are `null` and no idle sweep or policy acts on how long this session has been idle, disconnected
   *   or signed in.
   */
  clock: SessionClock | null;
  /**
   * Whether the session's desktop is locked: `true`, `false`, or `null` when unknown. Read only when asked for
   * (`lockState: true`: one more query per active session), from `WTSSessionInfoEx`; Windows 7 and Server 2008 R2
   * report it reversed, which is corrected. `null` for a session that is not active or has no user, for a remote
   * server, and wherever Windows does not say (`WTS_SESSIONSTATE_UNKNOWN`).
   */
  locked: boolean | null;
  /** `true` for the session this process runs in (always `false` for a remote server). */
  isCurrent: boolean;
  /**
   * `null` when every detail was read. Otherwise the session is real but Windows refused some of its detail queries
   * (a session that is logging off, an access right missing for one class): one entry per failed query, each with
   * the fields it left `null`. Check it before reading a `null` as "none": a `userName` of `null` here means
   * "unknown", not "no user".
   */
  partial: SessionDetailError[] | null;
}

/** The clock a session's durations are measured on; see {@link Session.clock}. */
export type SessionClock = 'server' | 'caller';

/** Accepting the caller's clock for a remote host whose own cannot be read; see {@link Session.clock}. */
export interface RemoteClockOption {
  /**
   * What to measure a remote host's durations on when its clock cannot be read (`NetRemoteTOD` fails: a firewall, a
   * missing Server service): by default nothing (`idleMs` and `serverTime` are `null`, `clock` is `null`, and nothing
   * acts on them); `'caller'` takes `WTSINFOW.CurrentTime` as given (this machine's clock, for Windows Server 2008
   * and later), accepting durations off by the difference between the two clocks (`clock: 'caller'`). No effect on
   * this machine or on a host whose clock was read. `findIdleSessions`, `logoffIdle`, `enforcePolicy` and
   * `runPolicyEnforcer` take it too (for their listing and the re-read before each action): only then do they act on
   * such a host's idle, disconnected or signed-in times. `listSessionsOn` takes it for every host it lists.
   */
  remoteClock?: 'caller' | null | undefined;
}

/** The queries a session's details come from (`WTS_INFO_CLASS` names); each can fail on its own. */
export type SessionInfoClass =
  | 'WTSSessionInfo'
  | 'WTSUserName'
  | 'WTSDomainName'
  | 'WTSClientProtocolType'
  | 'WTSClientInfo'
  | 'WTSClientAddress'
  | 'WTSSessionInfoEx';

/** A detail query that failed for a session that is still there; see {@link Session.partial}. */
export interface SessionDetailError {
  /** The query that failed. */
  infoClass: SessionInfoClass;
  /** Its Win32 error number, e.g. 5. */
  errno: number;
  /** Its symbolic name, e.g. `'ERROR_ACCESS_DENIED'`. */
  code: string;
  /** The fields it left `null`. */
  fields: readonly (keyof Session)[];
}

/** Options every function takes. */
export interface ServerOptions {
  /**
   * A remote host name (NetBIOS or DNS) to ask instead of this machine. Omitted or `null` means the local machine;
   * an empty or blank name is a TypeError, never read as "this machine".
   */
  server?: string | null | undefined;
}

/** Options of {@link listSessions}. */
export interface ListSessionsOptions extends ServerOptions, LockStateOption, RemoteClockOption {
  /**
   * Stops waiting: the promise rejects with an AbortError at once. The native listing still finishes on its worker
   * thread (a WTS call cannot be interrupted) and frees everything; its result is dropped.
   */
  signal?: AbortSignal | undefined;
}

/** Asks for {@link Session.locked}. */
export interface LockStateOption {
  /**
   * Read whether each active session is locked ({@link Session.locked}): one more query per active session with a
   * user, on this machine only (for a remote server `locked` stays `null`: the meaning of Windows's flag depends on
   * the server's Windows version, which the WTS API does not give). Default `false`.
   */
  lockState?: boolean | undefined;
}

/** Options of {@link getSession}. */
export interface GetSessionOptions extends ServerOptions, LockStateOption, RemoteClockOption {}

/** Checks made just before acting on a session (logoff, disconnect); each refusal has its own error code. */
export interface SessionGuardOptions {
  /**
   * The session must still be this user's: session ids are reused, so an id from an older listing may now belong
   * to someone else. Compared without regard to case; `logonTime` to the millisecond. Mismatch:
   * `ERR_SESSION_CHANGED`. The fields of a listed {@link Session} fit as they are: `null` expects "none".
   */
  expect?:
    | {
        /** The user the session must still belong to (`null`: no user). */
        userName?: string | null | undefined;
        /** The user's domain (or machine, for a local account); `null`: none. */
        domain?: string | null | undefined;
        /** When the user signed in, as the listing reported it; `null`: no logon time. */
        logonTime?: Date | number | null | undefined;
      }
    | undefined;
  /** Allow acting on the session this process runs in (refused by default: `ERR_OWN_SESSION`). */
  allowOwnSession?: boolean | undefined;
  /** Allow acting on session 0, where services run (refused by default: `ERR_SERVICES_SESSION`). */
  allowServicesSession?: boolean | undefined;
  /** Allow acting on a listener session (refused by default: `ERR_LISTENER_SESSION`). */
  allowListener?: boolean | undefined;
}

/** Ask the session's user (Yes/No) before signing them out. */
export interface AskOptions {
  /** The question shown, e.g. "Your session will be signed out to free resources. Sign out now?". */
  message: string;
  /** Default `'Sign out'`. */
  title?: string | undefined;
  /** How long the question stays up; default 60. */
  timeoutSeconds?: number | undefined;
  /** What an unanswered question means: `'keep'` (default) or `'logoff'`. */
  onTimeout?: 'keep' | 'logoff' | undefined;
}

/** Options of {@link logoff}. */
export interface LogoffOptions extends ServerOptions, SessionGuardOptions {
  /**
   * `false` (the default): resolve as soon as Windows accepted the logoff. `true`: then read the session again until
   * this sign-in is gone (outcome `'signedOut'`), or until `waitTimeout` (outcome `'pending'`: Windows accepted it,
   * the session was still there). Windows's own wait is never used: it can block for ever.
   */
  wait?: boolean | undefined;
  /** With `wait`: how long to wait, as a duration (`'2m'`) or ms, from 1 s to 1 d. Default one minute. */
  waitTimeout?: number | string | undefined;
  /** Ask the user first; sign out only on Yes (or on timeout with `onTimeout: 'logoff'`). */
  ask?: AskOptions | undefined;
  /**
   * Stops waiting for the user's answer (nothing is signed out after an abort), or ends a `wait` at once (the
   * sign-out itself was already sent).
   */
  signal?: AbortSignal | undefined;
}

/**
 * What {@link logoff} did: `'signedOut'`, `'declined'` (the user said No), `'timedOut'` (no answer; kept), or
 * `'pending'` (with `wait`: Windows accepted the sign-out, but the session was still there when `waitTimeout` ran
 * out; a hung session can stay so).
 */
export type LogoffOutcome = 'signedOut' | 'declined' | 'timedOut' | 'pending';

/** The result of {@link logoff}. */
export interface LogoffResult {
  /** The session acted on (or asked). */
  sessionId: number;
  /** The remote server, or `null` for the local machine. */
  server: string | null;
  /** What happened. */
  outcome: LogoffOutcome;
  /** The user's answer when asked, else `null`. */
  answer: MessageAnswer | null;
}

/** Options of {@link disconnect}. */
export interface DisconnectOptions extends ServerOptions, SessionGuardOptions {
  /**
   * `true`: read the session again until it is disconnected or gone (outcome `'disconnected'`), or until
   * `waitTimeout` (outcome `'pending'`). Default `false`: resolve once Windows accepted it.
   */
  wait?: boolean | undefined;
  /** With `wait`: how long to wait, as a duration (`'2m'`) or ms, from 1 s to 1 d. Default one minute. */
  waitTimeout?: number | string | undefined;
  /** Ends a `wait` at once (rejecting with an AbortError); the disconnect itself was already sent. */
  signal?: AbortSignal | undefined;
  /**
   * Disconnect the active console session all the same. Refused by default (`ERR_CONSOLE_SESSION`): Windows Server
   * cannot disconnect it (`ERROR_CTX_CONSOLE_DISCONNECT`), and Windows 10 and 11 lock it with its user still
   * signed in, so it removes nobody.
   */
  allowConsole?: boolean | undefined;
}

/** The result of {@link disconnect}. */
export interface DisconnectResult {
  /** The session acted on. */
  sessionId: number;
  /** The remote server, or `null` for the local machine. */
  server: string | null;
  /**
   * `'disconnected'`: Windows accepted it (and, with `wait`, the session was then read as disconnected, or gone).
   * `'pending'`: with `wait`, the session was still connected when `waitTimeout` ran out.
   */
  outcome: 'disconnected' | 'pending';
}

/** Options of {@link sendMessage}. */
export interface SendMessageOptions extends ServerOptions {
  /**
   * The text, at most 511 UTF-16 characters: Windows takes 1,024 bytes at most (MS-TSTS RpcWinStationSendMessage);
   * a longer one is refused with a RangeError before anything is sent.
   */
  message: string;
  /** At most 256 characters; default `''` (sent as `' '`, which old servers need). */
  title?: string | undefined;
  /** Default `'ok'`. */
  buttons?: MessageButtons | undefined;
  /** Default `'none'`. */
  icon?: MessageIcon | undefined;
  /** Seconds until the box closes itself with `'timeout'`; 0 (default) waits for ever. */
  timeoutSeconds?: number | undefined;
  /** Wait for the answer (default `true`); `false` resolves to `'async'` at once. */
  wait?: boolean | undefined;
  /** Stops waiting: the promise rejects with an AbortError (the box stays until answered or timed out). */
  signal?: AbortSignal | undefined;
}

/** Options of {@link findIdleSessions}. */
export interface FindIdleOptions extends ServerOptions, RemoteClockOption {
  /** Minimum idle time: milliseconds, or text such as `'90s'`, `'45m'`, `'2h'`, `'1d'`, `'1h30m'`. */
  idleFor: number | string;
  /**
   * Also judge an active console session by its idle time. Off by default: Windows can leave the console's
   * `LastInputTime` stale while its user is at the keyboard (Cassia #23; PSAppDeployToolkit reads the console's
   * input time another way for that reason), so a sweep could sign out someone who is working. Turn it on only
   * where you accept that risk. A disconnected console session always counts, from its disconnect time.
   */
  includeActiveConsole?: boolean | undefined;
}

/** Options of {@link logoffIdle}. */
export interface LogoffIdleOptions extends FindIdleOptions {
  /** Ask each active user first. Sessions that cannot be asked (not active) follow `ask.onTimeout`. */
  ask?: AskOptions | undefined;
  /** Report what would be done, do nothing. */
  dryRun?: boolean | undefined;
  /** User names (without regard to case) or session ids to leave alone. */
  exclude?: readonly (string | number)[] | undefined;
  /** Resolve each logoff only once it is done (see {@link LogoffOptions.wait}). */
  wait?: boolean | undefined;
  /** Sessions handled at once (questions wait in parallel); default 8. */
  concurrency?: number | undefined;
  /** Stops asking and signing out: the sessions not yet handled are reported as skipped ('aborted'). */
  signal?: AbortSignal | undefined;
}

/** One row of a {@link logoffIdle} report. */
export interface IdleSweepRow {
  /** The idle session. */
  sessionId: number;
  /** Its user, as listed. */
  userName: string | null;
  /** Its user's domain, as listed. */
  domain: string | null;
  /** How long it had been idle when listed. */
  idleMs: number | null;
  /** `'dryRun'`: would have been signed out (or asked). */
  outcome: LogoffOutcome | 'skipped' | 'failed' | 'dryRun';
  /** Why a session was skipped: see {@link IdleSkipReason}. */
  reason?: IdleSkipReason | undefined;
  /**
   * For `'failed'`: what failed. For `'skipped'` by one of logoff's checks: the {@link SessionRefusedError}, whose
   * message says why; for `'ABORT_ERR'`: the signal's reason.
   */
  error?: Error | undefined;
}

/**
 * Why an idle sweep left a session alone, in the same codes as everything else that refuses to act:
 * - a {@link RefusalCode}, from the very checks {@link logoff} makes (`ERR_OWN_SESSION`, `ERR_SERVICES_SESSION`,
 *   `ERR_LISTENER_SESSION`; `ERR_NOT_IDLE` for an active console session, whose idle time is not trusted (see
 *   {@link FindIdleOptions.includeActiveConsole}), or for a user who came back before the sign-out;
 *   `ERR_SESSION_CHANGED`, `ERR_SESSION_NOT_FOUND`);
 * - `'ERR_EXCLUDED'`: named in `exclude`;
 * - `'ERR_CANNOT_ASK'`: `ask` with `onTimeout: 'keep'`, and nobody at an active desktop to ask;
 * - `'ABORT_ERR'`: the signal was aborted before its turn.
 */
export type IdleSkipReason = RefusalCode | 'ERR_EXCLUDED' | 'ERR_CANNOT_ASK' | 'ABORT_ERR';

/** Options of {@link listProcesses}. */
export interface ListProcessesOptions extends ServerOptions {
  /** Only this session's processes. */
  sessionId?: number | undefined;
  /**
   * Also read what each process uses ({@link ProcessInfo.usage}), from `WTSEnumerateProcessesExW` at level 1
   * instead of `WTSEnumerateProcessesW`. Default `false`: a listing without it costs nothing more.
   */
  usage?: boolean | undefined;
}

/**
 * What one process uses, as `WTSEnumerateProcessesExW` reports it at one moment (`WTS_PROCESS_INFO_EXW`). Windows
 * gives the sizes as 32-bit counts of bytes, so a process above 4 GiB cannot be told apart from one below.
 */
export interface ProcessUsage {
  /** Working set: the physical memory it holds now, in bytes. */
  workingSetBytes: number;
  /** Page file usage (its private committed memory), in bytes. */
  pagefileBytes: number;
  /** Handles it holds. */
  handles: number;
  /** Its threads. */
  threads: number;
  /** CPU time in user mode since it started, in ms. */
  userTimeMs: number;
  /** CPU time in kernel mode since it started, in ms. */
  kernelTimeMs: number;
}

/** Options of {@link getSessionUsage}. */
export interface SessionUsageOptions extends ServerOptions {
  /** How long to measure CPU over: ms or a text like `'2s'`; from 100 ms to 1 h, default 1 s. */
  interval?: number | string | undefined;
  /**
   * The server's logical processor count, to give CPU as a share of the whole machine. Default: this machine's
   * own (`os.cpus()`) for the local machine; none for a remote host, whose count the WTS API does not give (then
   * {@link SessionUsage.cpuPercent} is `null`, and {@link SessionUsage.cpuCores} still says how busy it was).
   */
  processors?: number | undefined;
  /** Stops waiting: rejects with an AbortError. */
  signal?: AbortSignal | undefined;
}

/** CPU over a measured interval, as {@link getSessionUsage} reports it for a process or a session. */
export interface CpuShare {
  /** CPU time (user and kernel) spent during the interval, in ms. */
  cpuMs: number;
  /** The same as a number of processors kept busy: 1 is one processor all the time. */
  cpuCores: number;
  /** Percent of all the machine's processors, as Task Manager shows it; `null` when the processor count is unknown. */
  cpuPercent: number | null;
}

/** One process in a {@link SessionUsageReport}: its second sample, and its CPU over the interval. */
export interface ProcessUsageRow extends ProcessInfo, CpuShare {
  /** What it used at the end of the interval. */
  usage: ProcessUsage;
}

/** What one session's processes use together, as Task Manager's Users tab sums it. */
export interface SessionUsage extends CpuShare {
  /** The session. */
  sessionId: number;
  /**
   * Its processes (at the end of the interval). The System Idle Process (pid 0), whose CPU time is the processors'
   * idle time, counts in no session.
   */
  processCount: number;
  /** Their working sets together, in bytes: the memory that signing the session out would give back, at most. */
  workingSetBytes: number;
  /** Their page file usage together, in bytes. */
  pagefileBytes: number;
  /** Their handles together. */
  handles: number;
  /** Their threads together. */
  threads: number;
}

/** The answer of {@link getSessionUsage}. */
export interface SessionUsageReport {
  /** The host asked; `null` for this machine. */
  server: string | null;
  /** The time between the two samples, as measured, in ms. */
  intervalMs: number;
  /** The processor count CPU shares are of; `null` when unknown (see {@link SessionUsageOptions.processors}). */
  processors: number | null;
  /** One row per session that has processes, most CPU first (then most memory). */
  sessions: SessionUsage[];
  /** Every process of the second sample, in pid order. */
  processes: ProcessUsageRow[];
}

/** Options of {@link watchSessions}. */
export interface WatchSessionsOptions extends ServerOptions {
  /** Ends the iteration (cleanly: the loop just finishes). */
  signal?: AbortSignal | undefined;
  /** Only these kinds; default all. */
  types?: readonly SessionEventType[] | undefined;
  /**
   * How often a polled server is listed (see {@link WatchMode}): ms, or a duration such as `'5s'`. Default 5 s. The
   * first loop on a server sets it for every loop on that server.
   */
  pollEvery?: number | string | undefined;
  /** Told how the server is watched: once the watch starts, and again if that changes. */
  onMode?: ((mode: WatchMode) => void) | undefined;
}

/**
 * How a server's session events are followed. `'watched'`: a wait for Windows's events on one of the addon's wait
 * threads (`WINDOWS_SESSIONS_WAIT_THREADS`, default 1024, one per watched server). `'polled'`: every wait thread is
 * taken, so the server is listed every `pollEveryMs` instead, and the changes between two listings become events
 * (`create`, `delete`, `logon`, `logoff`, `connect`, `disconnect`, `stateChange`). No server is left waiting for a
 * thread.
 */
export interface WatchMode {
  /** The server; `null` for the local machine. */
  server: string | null;
  /** See {@link WatchMode}. */
  mode: 'watched' | 'polled';
  /** How often a polled server is listed; `null` when watched. */
  pollEveryMs: number | null;
}

/** Options of {@link listSessionsOn}. */
export interface ListSessionsOnOptions extends RemoteClockOption {
  /** Hosts asked at once; default 8. */
  concurrency?: number | undefined;
  /**
   * `'full'` (the default): each session with every field, one enumeration and then each session's queries.
   * `'summary'`: one `WTSEnumerateSessionsExW` call per host, each session a {@link SessionSummary} (id, station,
   * state, user, domain), for overviews of many hosts.
   */
  detail?: 'full' | 'summary' | undefined;
  /** Stops waiting: the hosts not answered yet get an AbortError row. */
  signal?: AbortSignal | undefined;
}

/**
 * One session as a single enumeration gives it (`WTSEnumerateSessionsExW` at level 1): who, where and in which
 * state, without the per-session queries (no times, client or address). It carries no logon time, so it cannot pin
 * a sign-in (`expect.logonTime`): acting on its id goes through the guards' own fresh read of the session.
 */
export interface SessionSummary {
  /** See {@link Session.id}. */
  id: number;
  /** See {@link Session.stationName}. */
  stationName: string;
  /** See {@link Session.state}. */
  state: SessionState;
  /** See {@link Session.userName}; `null` without a user. */
  userName: string | null;
  /** See {@link Session.domain}; `null` without a user. */
  domain: string | null;
}

/**
 * One host's answer in {@link listSessionsOn}: its sessions (`S`: {@link Session}, or {@link SessionSummary} with
 * `detail: 'summary'`), or the error it failed with.
 */
export type HostSessions<S = Session> = HostSessionsOk<S> | HostSessionsFailed;

/** A host that answered; see {@link listSessionsOn}. */
export interface HostSessionsOk<S = Session> {
  /** The host asked. */
  server: string;
  /** It answered. */
  ok: true;
  /** Its sessions. */
  sessions: S[];
}

/** A host that failed; see {@link listSessionsOn}. */
export interface HostSessionsFailed {
  /** The host asked. */
  server: string;
  /** It failed. */
  ok: false;
  /** Why: a WtsError (e.g. `RPC_S_SERVER_UNAVAILABLE`), or an AbortError. */
  error: Error;
}

/** Buttons of a message box (`MB_OK` … `MB_CANCELTRYCONTINUE`). */
export type MessageButtons =
  'ok' | 'okCancel' | 'abortRetryIgnore' | 'yesNoCancel' | 'yesNo' | 'retryCancel' | 'cancelTryContinue';

/** Icon of a message box (`MB_ICONERROR`, `MB_ICONQUESTION`, `MB_ICONWARNING`, `MB_ICONINFORMATION`). */
export type MessageIcon = 'none' | 'error' | 'question' | 'warning' | 'information';

/**
 * What the user answered (`IDOK` … `IDCONTINUE`), `'timeout'` when the box closed itself (`IDTIMEOUT`), or
 * `'async'` when the message was sent without waiting (`IDASYNC`).
 */
export type MessageAnswer =
  'ok' | 'cancel' | 'abort' | 'retry' | 'ignore' | 'yes' | 'no' | 'tryAgain' | 'continue' | 'timeout' | 'async';

/** A message for a session, as a backend receives it (checked and with defaults filled). */
export interface MessageRequest {
  /** Title bar text (`' '` for none). */
  title: string;
  /** The text. */
  message: string;
  /** Which buttons. */
  buttons: MessageButtons;
  /** Which icon. */
  icon: MessageIcon;
  /** 0: the box stays until answered. */
  timeoutSeconds: number;
  /** false: return `'async'` at once, without waiting for the answer. */
  wait: boolean;
}

/** A process and the session it runs in (`WTSEnumerateProcessesW`). */
export interface ProcessInfo {
  /** Process id. */
  pid: number;
  /** Image name, e.g. `'explorer.exe'`. */
  name: string;
  /** The session it runs in (0 for services). */
  sessionId: number;
  /** Owner's account name, or `null` when the process has no owner SID or it does not resolve. */
  userName: string | null;
  /** Owner's domain (`'NT AUTHORITY'` for SYSTEM), or `null` like `userName`. */
  domain: string | null;
  /** Owner's SID as text (`'S-1-5-18'`), or `null` when Windows gives none. */
  userSid: string | null;
  /** What it uses; only with {@link ListProcessesOptions.usage}. */
  usage?: ProcessUsage;
}

/** Kinds of session events (`WTS_EVENT_*`). */
export const SESSION_EVENT_TYPES = [
  'create',
  'delete',
  'rename',
  'connect',
  'disconnect',
  'logon',
  'logoff',
  'stateChange',
  'license',
] as const;

/** A kind of session event; see {@link SESSION_EVENT_TYPES}. */
export type SessionEventType = (typeof SESSION_EVENT_TYPES)[number];

/** One session event from {@link watchSessions}. Windows says what kind of event happened, not to which session. */
export interface SessionEvent {
  /** What happened. */
  type: SessionEventType;
  /** The server watched; `null` for the local machine. */
  server: string | null;
  /** When the event reached this process. */
  time: Date;
}
