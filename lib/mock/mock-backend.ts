import type { Backend, EventWatch } from '../backend.js';
import { WtsError } from '../errors.js';
import { idleMs } from '../idle-time.js';
import { detailError, withDetailErrors } from '../session-details.js';
import type { MessageAnswer, MessageRequest, ProcessInfo, Session, SessionInfoClass } from '../types.js';
import { VANISHED_SESSION_ERRNOS } from '../win32-errors.js';
import { demoProcesses, demoSessions, RDP_LISTENER, SERVICES_SESSION } from './demo-sessions.js';
import { MockEventQueue, MockWatch, type MockEventSeed } from './mock-watch.js';
import { readDetails } from './session-reads.js';
import { normalizeSeed, type MockSession, type MockSessionSeed } from './seed.js';

/** The backend operations the mock records and can fail. */
export type MockOperation =
  | 'listSessions'
  | 'getSession'
  | 'currentSessionId'
  | 'logoff'
  | 'disconnect'
  | 'sendMessage'
  | 'listProcesses'
  | 'watchEvents'
  | 'openServer';

/** One recorded call. `server` is `null` for the local machine; a message records its whole request. */
export interface MockCall extends Partial<MessageRequest> {
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
   * queries (`infoClass`, default `'WTSSessionInfo'`). A "session ended" error of WTSSessionInfo
   * (`ERROR_CTX_WINSTATION_NOT_FOUND` 7022, `ERROR_CTX_CLOSE_PENDING` 7007) leaves the session out (`getSession`:
   * `null`); any other failure leaves it listed with {@link Session.partial}, except that `getSession` rejects when
   * WTSSessionInfo itself fails. As on Windows, a query the addon would not make (a client query for a console
   * session, say) never fires.
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
  /** The servers' clock, for idle times. Default `Date.now`. */
  now?: () => number | Date;
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
  /** Processes, for listProcesses. Default: the demo's when `sessions` is not given either, else none. */
  processes?: MockProcessSeed[] | undefined;
  /** Session events, for watchSessions, in order; each happens `delayMs` into the wait that receives it. */
  events?: MockEventSeed[] | undefined;
}

interface Failure extends Required<Omit<MockFailureOptions, 'sessionId' | 'server' | 'infoClass'>> {
  op: MockOperation;
  errno: number;
  sessionId: number | undefined;
  server: string | null | undefined;
  infoClass: SessionInfoClass;
}

const SYSCALLS: Record<MockOperation, string> = {
  listSessions: 'WTSEnumerateSessionsW',
  getSession: 'WTSQuerySessionInformationW',
  currentSessionId: 'ProcessIdToSessionId',
  logoff: 'WTSLogoffSession',
  disconnect: 'WTSDisconnectSession',
  sendMessage: 'WTSSendMessageW',
  listProcesses: 'WTSEnumerateProcessesW',
  watchEvents: 'WTSWaitSystemEvent',
  openServer: 'WTSOpenServerW',
};
const INFO_CLASSES: readonly SessionInfoClass[] = [
  'WTSSessionInfo',
  'WTSUserName',
  'WTSDomainName',
  'WTSClientProtocolType',
  'WTSClientInfo',
  'WTSClientAddress',
  'WTSSessionInfoEx',
];
const RPC_S_SERVER_UNAVAILABLE = 1722;
const ERROR_CTX_WINSTATION_NOT_FOUND = 7022;

/** Whether the addon asks for a session's lock state (native/session_query.cc, QueryLock). */
const asksLock = (s: MockSession, server: string | null, lockState: boolean) =>
  lockState && server === null && s.state === 'active' && s.userName !== null;

const hostKey = (server: string | null): string | null => (server === null ? null : server.toLowerCase());

function withSystemSessions(seeds: MockSessionSeed[]): MockSessionSeed[] {
  const ids = new Set(seeds.map((s) => s.id));
  return [...(ids.has(0) ? [] : [SERVICES_SESSION]), ...seeds, ...(ids.has(RDP_LISTENER.id) ? [] : [RDP_LISTENER])];
}

/**
 * An in-memory stand-in for Windows, implementing the same {@link Backend} interface as the native addon and
 * behaving as Windows does (same results, same `WtsError` codes). Use it in tests on any OS:
 * seed sessions, script failures, then assert on the results and on {@link MockBackend.calls}.
 */
export class MockBackend implements Backend {
  readonly name = 'mock';
  /** Every call made, in order (including calls that failed). */
  readonly calls: MockCall[] = [];
  private readonly hosts = new Map<string | null, Map<number, MockSession>>();
  private failures: Failure[] = [];
  private answers: { sessionId: number; server: string | null; answer: MessageAnswer; delayMs: number }[] = [];
  private readonly events = new MockEventQueue();
  private readonly watches = new Set<MockWatch>();
  private readonly options: MockBackendOptions;
  private currentId: number;

  constructor(options: MockBackendOptions = {}) {
    this.options = options;
    this.currentId = options.currentSessionId ?? 1;
    this.load();
  }

  private clock(): number {
    const now = (this.options.now ?? Date.now)();
    return now instanceof Date ? now.getTime() : now;
  }

  private load(): void {
    this.hosts.clear();
    const system = this.options.systemSessions ?? true;
    const seeds = this.options.sessions ?? demoSessions(this.clock());
    this.hosts.set(null, new Map());
    for (const seed of system ? withSystemSessions(seeds) : seeds) this.addSession(seed);
    for (const [name, hostSeeds] of Object.entries(this.options.servers ?? {})) {
      this.hosts.set(hostKey(name), new Map());
      for (const seed of system ? withSystemSessions(hostSeeds) : hostSeeds) this.addSession(seed, name);
    }
    this.events.clear();
    for (const event of this.options.events ?? []) this.events.push(event);
  }

  /** Back to the state the options describe: seeded sessions, no recorded calls, no scripted failures. */
  reset(): void {
    this.calls.length = 0;
    this.failures = [];
    this.answers = [];
    for (const watch of this.watches) void watch.close();
    this.load();
  }

  /**
   * Scripts the user's answer to the next message box shown in a session. Without one, a message that waits gets
   * `'timeout'` (nobody answered) and one that does not wait gets `'async'`.
   */
  answer(sessionId: number, answer: MessageAnswer, options: MockAnswerOptions = {}): void {
    this.answers.push({ sessionId, server: hostKey(options.server ?? null), answer, delayMs: options.delayMs ?? 0 });
  }

  /** Makes a session event happen (after `delayMs` into the next wait for it): open watches receive it. */
  emitEvent(seed: MockEventSeed): void {
    this.events.push(seed);
  }

  /** Adds (or replaces) a session on the local machine or on `server`. */
  addSession(seed: MockSessionSeed, server: string | null = null): void {
    const session = normalizeSeed(seed);
    let host = this.hosts.get(hostKey(server));
    if (!host) this.hosts.set(hostKey(server), (host = new Map<number, MockSession>()));
    host.set(session.id, session);
  }

  /** Removes a session as if its user signed out; returns whether it was there. */
  removeSession(sessionId: number, server: string | null = null): boolean {
    return this.hosts.get(hostKey(server))?.delete(sessionId) ?? false;
  }

  /** The stored sessions (copies) of the local machine or `server`, in id order. */
  sessions(server: string | null = null): MockSession[] {
    const host = this.hosts.get(hostKey(server));
    return host ? [...host.values()].sort((a, b) => a.id - b.id).map((s) => ({ ...s })) : [];
  }

  /** Sets which session is the caller's own. */
  setCurrentSessionId(sessionId: number): void {
    this.currentId = sessionId;
  }

  /**
   * Makes the next matching call(s) of `op` fail with the Win32 error `errno`, exactly as Windows would report it:
   * the promise rejects with a {@link WtsError} with that errno, its code and the WTS function's name as `syscall`.
   */
  fail(op: MockOperation, errno: number, options: MockFailureOptions = {}): void {
    if (!(op in SYSCALLS)) throw new RangeError(`unknown mock operation: ${op}`);
    if (!Number.isInteger(errno) || errno <= 0) throw new RangeError('errno must be a positive integer');
    if (options.infoClass !== undefined && !INFO_CLASSES.includes(options.infoClass)) {
      throw new RangeError(`unknown infoClass: ${options.infoClass}; known: ${INFO_CLASSES.join(', ')}`);
    }
    this.failures.push({
      op,
      errno,
      sessionId: options.sessionId,
      server: options.server,
      times: options.times ?? 1,
      infoClass: options.infoClass ?? 'WTSSessionInfo',
    });
  }

  private takeFailure(
    op: MockOperation,
    server: string | null,
    sessionId?: number,
    infoClass: SessionInfoClass = 'WTSSessionInfo',
  ): Failure | undefined {
    const index = this.failures.findIndex(
      (f) =>
        f.op === op &&
        f.times > 0 &&
        (f.sessionId === undefined || f.sessionId === sessionId) &&
        (sessionId === undefined || f.infoClass === infoClass) &&
        (f.server === undefined || hostKey(f.server) === hostKey(server)),
    );
    if (index < 0) return undefined;
    const failure = this.failures[index]!;
    failure.times -= 1;
    if (failure.times <= 0) this.failures.splice(index, 1);
    return failure;
  }

  /**
   * Records a call, lets `onCall` change the state, and settles asynchronously like the real calls. Without
   * `latencyMs` it settles on a microtask, so that tests with fake timers (vi.useFakeTimers) need not advance them.
   */
  private async record(call: MockCall): Promise<void> {
    this.calls.push(call);
    await this.options.onCall?.(call, this);
    const latency = this.options.latencyMs ?? 0;
    if (latency > 0) await new Promise((resolve) => setTimeout(resolve, latency));
    else await Promise.resolve();
  }

  /** A remote host is opened first: WTSOpenServerW itself can fail (Cassia #66), before the call it was for. */
  private open(server: string | null): void {
    const failure = server === null ? undefined : this.takeFailure('openServer', server);
    if (failure) throw new WtsError({ errno: failure.errno, syscall: SYSCALLS.openServer, server });
  }

  private host(server: string | null, syscall: string, sessionId?: number): Map<number, MockSession> {
    this.open(server);
    const host = this.hosts.get(hostKey(server));
    if (!host) throw new WtsError({ errno: RPC_S_SERVER_UNAVAILABLE, syscall, server, sessionId });
    return host;
  }

  private toSession(s: MockSession, server: string | null, lockState: boolean): Session {
    const now = this.clock();
    const date = (ms: number | null) => (ms === null ? null : new Date(ms));
    // Windows reports no remote client for a console session, whatever was seeded.
    const remote = s.protocol !== 'console';
    return {
      ...s,
      clientName: remote ? s.clientName : null,
      clientAddress: remote ? s.clientAddress : null,
      logonTime: date(s.logonTime),
      connectTime: date(s.connectTime),
      disconnectTime: date(s.disconnectTime),
      lastInputTime: date(s.lastInputTime),
      idleMs: idleMs({
        state: s.state,
        lastInputMs: s.lastInputTime,
        disconnectMs: s.disconnectTime,
        serverNowMs: now,
      }),
      serverTime: new Date(now),
      // As the addon reads it: asked for, on this machine, for an active session with a user.
      locked: asksLock(s, server, lockState) ? s.locked : null,
      isCurrent: server === null && s.id === this.currentId,
      partial: null,
    };
  }

  /**
   * One session as the addon reads it, query by query: `null` when it ended (a "session ended" error of
   * WTSSessionInfo); listed with `partial` when another query failed. A WTSSessionInfo failure of `getSession`
   * rejects: there is nothing else to give.
   */
  private readSession(
    op: 'listSessions' | 'getSession',
    s: MockSession,
    server: string | null,
    lockState: boolean,
  ): Session | null {
    const first = this.takeFailure(op, server, s.id);
    const full = this.toSession(s, server, lockState);
    if (first) {
      if (VANISHED_SESSION_ERRNOS.has(first.errno)) return null;
      if (op === 'getSession') {
        throw new WtsError({ errno: first.errno, syscall: SYSCALLS.getSession, server, sessionId: s.id });
      }
      // Only what the enumeration gave: id, station and state.
      return withDetailErrors(full, [detailError('WTSSessionInfo', first.errno)]);
    }
    const fail = (infoClass: SessionInfoClass) => this.takeFailure(op, server, s.id, infoClass)?.errno;
    const errors = readDetails(s, fail, asksLock(s, server, lockState));
    return withDetailErrors(full, errors);
  }

  async listSessions(server: string | null, lockState = false): Promise<Session[]> {
    await this.record({ op: 'listSessions', server });
    this.host(server, SYSCALLS.listSessions);
    // A failure without a session fails WTSEnumerateSessionsW itself; one with a session fails that session's query.
    const whole = this.takeFailure('listSessions', server);
    if (whole) throw new WtsError({ errno: whole.errno, syscall: SYSCALLS.listSessions, server });
    const result: Session[] = [];
    for (const s of this.sessions(server)) {
      const session = this.readSession('listSessions', s, server, lockState);
      if (session) result.push(session);
    }
    return result;
  }

  async getSession(sessionId: number, server: string | null, lockState = false): Promise<Session | null> {
    await this.record({ op: 'getSession', server, sessionId });
    const host = this.host(server, SYSCALLS.getSession, sessionId);
    const session = host.get(sessionId);
    if (!session) {
      // Windows answers a query about a missing session with ERROR_CTX_WINSTATION_NOT_FOUND unless scripted.
      const failure = this.takeFailure('getSession', server, sessionId);
      if (failure && !VANISHED_SESSION_ERRNOS.has(failure.errno))
        throw new WtsError({ errno: failure.errno, syscall: SYSCALLS.getSession, server, sessionId });
      return null;
    }
    return this.readSession('getSession', { ...session }, server, lockState);
  }

  async currentSessionId(): Promise<number> {
    await this.record({ op: 'currentSessionId', server: null });
    const failure = this.takeFailure('currentSessionId', null);
    if (failure) throw new WtsError({ errno: failure.errno, syscall: SYSCALLS.currentSessionId });
    return this.currentId;
  }

  async logoff(sessionId: number, wait: boolean, server: string | null): Promise<void> {
    await this.record({ op: 'logoff', server, sessionId, wait });
    const host = this.host(server, SYSCALLS.logoff, sessionId);
    const failure = this.takeFailure('logoff', server, sessionId);
    if (failure) throw new WtsError({ errno: failure.errno, syscall: SYSCALLS.logoff, server, sessionId });
    if (!host.delete(sessionId)) {
      throw new WtsError({ errno: ERROR_CTX_WINSTATION_NOT_FOUND, syscall: SYSCALLS.logoff, server, sessionId });
    }
  }

  async disconnect(sessionId: number, wait: boolean, server: string | null): Promise<void> {
    await this.record({ op: 'disconnect', server, sessionId, wait });
    const host = this.host(server, SYSCALLS.disconnect, sessionId);
    const failure = this.takeFailure('disconnect', server, sessionId);
    if (failure) throw new WtsError({ errno: failure.errno, syscall: SYSCALLS.disconnect, server, sessionId });
    const session = host.get(sessionId);
    if (!session)
      throw new WtsError({ errno: ERROR_CTX_WINSTATION_NOT_FOUND, syscall: SYSCALLS.disconnect, server, sessionId });
    // As Windows shows it: disconnected since now, and no longer on its RDP-Tcp#n station.
    session.state = 'disconnected';
    session.disconnectTime = this.clock();
    session.stationName = '';
  }

  async sendMessage(sessionId: number, request: MessageRequest, server: string | null): Promise<MessageAnswer> {
    await this.record({ op: 'sendMessage', server, sessionId, ...request });
    const host = this.host(server, SYSCALLS.sendMessage, sessionId);
    const failure = this.takeFailure('sendMessage', server, sessionId);
    if (failure) throw new WtsError({ errno: failure.errno, syscall: SYSCALLS.sendMessage, server, sessionId });
    if (!host.has(sessionId)) {
      throw new WtsError({ errno: ERROR_CTX_WINSTATION_NOT_FOUND, syscall: SYSCALLS.sendMessage, server, sessionId });
    }
    if (!request.wait) return 'async';
    const index = this.answers.findIndex((a) => a.sessionId === sessionId && a.server === hostKey(server));
    if (index < 0) return 'timeout';
    const [scripted] = this.answers.splice(index, 1);
    // As on Windows, a box with a timeout closes itself first if the user would answer later than that.
    const limitMs = request.timeoutSeconds > 0 ? request.timeoutSeconds * 1000 : Infinity;
    const late = scripted!.delayMs > limitMs;
    const delayMs = late ? limitMs : scripted!.delayMs;
    if (delayMs > 0) await new Promise((resolve) => setTimeout(resolve, delayMs));
    return late ? 'timeout' : scripted!.answer;
  }

  async listProcesses(server: string | null): Promise<ProcessInfo[]> {
    await this.record({ op: 'listProcesses', server });
    this.host(server, SYSCALLS.listProcesses);
    const failure = this.takeFailure('listProcesses', server);
    if (failure) throw new WtsError({ errno: failure.errno, syscall: SYSCALLS.listProcesses, server });
    const seeds = this.options.processes ?? (this.options.sessions ? [] : demoProcesses());
    return seeds
      .filter((p) => hostKey(p.server ?? null) === hostKey(server))
      .map((p) => ({
        pid: p.pid,
        name: p.name,
        sessionId: p.sessionId,
        userName: p.userName ?? null,
        domain: p.domain ?? null,
        userSid: p.userSid ?? null,
      }));
  }

  async watchEvents(server: string | null): Promise<EventWatch> {
    await this.record({ op: 'watchEvents', server });
    this.open(server);
    const failure = this.takeFailure('watchEvents', server);
    if (failure) throw new WtsError({ errno: failure.errno, syscall: SYSCALLS.watchEvents, server });
    const watch = new MockWatch(this.events, hostKey(server), (change) => {
      for (const seed of change.set ?? []) this.addSession(seed, server);
      for (const id of change.remove ?? []) this.removeSession(id, server);
    });
    this.watches.add(watch);
    const close = watch.close.bind(watch);
    watch.close = async () => {
      this.watches.delete(watch);
      await close();
    };
    return watch;
  }
}
