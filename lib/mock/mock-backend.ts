import type { Backend, EventWatch } from '../backend.js';
import { WtsError } from '../errors.js';
import { idleMs } from '../idle-time.js';
import type { SessionTiming } from '../remote-clock.js';
import { detailError, withDetailErrors } from '../session-details.js';
import type {
  MessageAnswer,
  MessageRequest,
  ProcessInfo,
  ProcessUsage,
  Session,
  SessionInfoClass,
  SessionSummary,
} from '../types.js';
import { VANISHED_SESSION_ERRNOS } from '../win32-errors.js';
import { demoProcesses, demoSessions } from './demo-sessions.js';
import { hostKey, withSystemSessions } from './hosts.js';
import { ScriptedFailures, SYSCALLS } from './mock-failures.js';
import type {
  MockAnswerOptions,
  MockBackendOptions,
  MockCall,
  MockFailureOptions,
  MockOperation,
  MockProcessSeed,
} from './mock-types.js';
import { MockEventQueue, MockWatch, UnreachableWatch, type MockEventSeed } from './mock-watch.js';
import { asksLock, readDetails } from './session-reads.js';
import { checkGroupSeeds, groupsOf } from './mock-groups.js';
import { normalizeSeed, type MockSession, type MockSessionSeed } from './seed.js';

const RPC_S_SERVER_UNAVAILABLE = 1722;

/**
 * Waits `ms` (Infinity: for ever), or until nobody waits for the answer any more (`signal`): a caller that stopped
 * waiting must not keep the process alive until a scripted answer comes (a Ctrl+C'd `policy enforce --mock`).
 */
function pause(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) {
      resolve();
      return;
    }
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = ms === Infinity ? undefined : setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
  });
}
const ERROR_CTX_WINSTATION_NOT_FOUND = 7022;
const RPC_S_INVALID_BOUND = 1734;
const ERROR_CTX_CLOSE_PENDING = 7007;
/** RpcWinStationSendMessage's bound on each of the title and the message, in bytes (MS-TSTS 3.7.4.1.8). */
const MESSAGE_BYTES = 1024;

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
  private readonly failures = new ScriptedFailures();
  private answers: { sessionId: number; server: string | null; answer: MessageAnswer; delayMs: number }[] = [];
  private readonly events = new MockEventQueue();
  private readonly watches = new Set<MockWatch>();
  /** Servers holding a wait slot ({@link MockBackendOptions.waitThreads}), and how many watches hold each. */
  private readonly waitSlots = new Map<string | null, number>();
  private readonly options: MockBackendOptions;
  private currentId: number;
  private seededProcesses: MockProcessSeed[] | undefined;
  /** Usage reads of each seeded process so far (its CPU time grows with them). */
  private readonly usageReads = new Map<MockProcessSeed, number>();
  private readonly madeAt: number;

  constructor(options: MockBackendOptions = {}) {
    this.options = options;
    this.madeAt = this.clock();
    this.currentId = options.currentSessionId ?? 1;
    checkGroupSeeds(options.groups);
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
    this.failures.clear();
    this.answers = [];
    this.usageReads.clear();
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
    this.failures.add(op, errno, options);
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
    const failure = server === null ? undefined : this.failures.take('openServer', server);
    if (failure) throw new WtsError({ errno: failure.errno, syscall: SYSCALLS.openServer, server });
  }

  private host(server: string | null, syscall: string, sessionId?: number): Map<number, MockSession> {
    this.open(server);
    const host = this.hosts.get(hostKey(server));
    if (!host) throw new WtsError({ errno: RPC_S_SERVER_UNAVAILABLE, syscall, server, sessionId });
    return host;
  }

  /**
   * The opening of every operation that acts on one host, in the addon's order: the call is recorded, the host opened
   * and found, then a failure scripted for this call (and session) is raised.
   */
  private async start(call: MockCall & { op: MockOperation }): Promise<Map<number, MockSession>> {
    await this.record(call);
    const { op, server, sessionId } = call;
    const host = this.host(server, SYSCALLS[op], sessionId);
    const failure = this.failures.take(op, server, sessionId);
    if (failure) throw new WtsError({ errno: failure.errno, syscall: SYSCALLS[op], server, sessionId });
    return host;
  }

  /**
   * The host's clock and which it is (`Session.clock`), as the addon works it out: this machine's `now`; a remote
   * host's `now` plus its `remoteClocks` skew; unknown when that host's clock cannot be read, unless the caller
   * accepts its own (`callerClock`: CurrentTime as Windows Server 2008 and later fill it, the caller's `now`).
   */
  private timing(server: string | null, callerClock: boolean): SessionTiming {
    const now = this.clock();
    const remote = server === null ? undefined : this.remoteClock(server);
    if (remote === undefined) return { serverNowMs: now, clock: 'server' };
    if (typeof remote === 'number') return { serverNowMs: now + remote, clock: 'server' };
    return callerClock ? { serverNowMs: now, clock: 'caller' } : { serverNowMs: null, clock: null };
  }

  private remoteClock(server: string): number | { errno: number } | undefined {
    const clocks = this.options.remoteClocks ?? {};
    const name = Object.keys(clocks).find((k) => hostKey(k) === hostKey(server));
    return name === undefined ? undefined : clocks[name];
  }

  private toSession(s: MockSession, server: string | null, lockState: boolean, callerClock: boolean): Session {
    const { serverNowMs: now, clock } = this.timing(server, callerClock);
    const date = (ms: number | null) => (ms === null ? null : new Date(ms));
    // Windows reports no remote client for a console session, whatever was seeded.
    const remote = s.protocol !== 'console';
    const { hung: _hung, ...fields } = s; // how it behaves, not something Windows reports
    return {
      ...fields,
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
      serverTime: now === null ? null : new Date(now),
      clock,
      // As the addon reads it: asked for, on this machine, for an active session with a user.
      locked: asksLock(s, server, lockState) ? s.locked : null,
      isCurrent: server === null && s.id === this.currentId,
      partial: null,
    };
  }

  /**
   * One session as the addon reads it, query by query: `null` when it ended (a "session ended" error of
   * WTSSessionInfo); listed with `partial` when another query failed. A WTSSessionInfo failure of `getSession`
   * rejects, as there is nothing else to give, except ERROR_CTX_CLOSE_PENDING: a hung session that the enumeration
   * still lists is given with what the enumeration says.
   */
  private readSession(
    op: 'listSessions' | 'getSession',
    s: MockSession,
    server: string | null,
    lockState: boolean,
    callerClock: boolean,
  ): Session | null {
    const first = this.failures.take(op, server, s.id);
    const full = this.toSession(s, server, lockState, callerClock);
    if (first) {
      if (VANISHED_SESSION_ERRNOS.has(first.errno)) return null;
      if (op === 'getSession' && first.errno !== ERROR_CTX_CLOSE_PENDING) {
        throw new WtsError({ errno: first.errno, syscall: SYSCALLS.getSession, server, sessionId: s.id });
      }
      // Only what the enumeration gave: id, station and state.
      return withDetailErrors(full, [detailError('WTSSessionInfo', first.errno)]);
    }
    const fail = (infoClass: SessionInfoClass) => this.failures.take(op, server, s.id, infoClass)?.errno;
    const errors = readDetails(s, fail, asksLock(s, server, lockState));
    return withDetailErrors(full, errors);
  }

  async listSessions(server: string | null, lockState = false, callerClock = false): Promise<Session[]> {
    // A failure without a session fails WTSEnumerateSessionsW itself; one with a session fails that session's query.
    await this.start({ op: 'listSessions', server });
    const result: Session[] = [];
    for (const s of this.sessions(server)) {
      const session = this.readSession('listSessions', s, server, lockState, callerClock);
      if (session) result.push(session);
    }
    return result;
  }

  /** Every session of the server as `WTSEnumerateSessionsExW` gives it: one call, no per-session query. */
  async listSessionSummaries(server: string | null): Promise<SessionSummary[]> {
    const host = await this.start({ op: 'listSessionSummaries', server });
    return [...host.values()]
      .sort((a, b) => a.id - b.id)
      .map((s) => ({
        id: s.id,
        stationName: s.stationName,
        state: s.state,
        userName: s.userName,
        domain: s.userName ? s.domain : null,
      }));
  }

  async getSession(
    sessionId: number,
    server: string | null,
    lockState = false,
    callerClock = false,
  ): Promise<Session | null> {
    await this.record({ op: 'getSession', server, sessionId });
    const host = this.host(server, SYSCALLS.getSession, sessionId);
    const session = host.get(sessionId);
    if (!session) {
      // Windows answers a query about a missing session with ERROR_CTX_WINSTATION_NOT_FOUND unless scripted.
      const failure = this.failures.take('getSession', server, sessionId);
      // A hung or closing session's 7007 is looked up in the enumeration, which no longer lists this one: gone.
      if (failure && !VANISHED_SESSION_ERRNOS.has(failure.errno) && failure.errno !== ERROR_CTX_CLOSE_PENDING)
        throw new WtsError({ errno: failure.errno, syscall: SYSCALLS.getSession, server, sessionId });
      return null;
    }
    return this.readSession('getSession', { ...session }, server, lockState, callerClock);
  }

  async isAdministrator(): Promise<boolean> {
    await Promise.resolve();
    return this.options.administrator ?? true;
  }

  async currentSessionId(): Promise<number> {
    await this.record({ op: 'currentSessionId', server: null });
    const failure = this.failures.take('currentSessionId', null);
    if (failure) throw new WtsError({ errno: failure.errno, syscall: SYSCALLS.currentSessionId });
    return this.currentId;
  }

  async logoff(sessionId: number, wait: boolean, server: string | null): Promise<void> {
    const host = await this.start({ op: 'logoff', server, sessionId, wait });
    const session = host.get(sessionId);
    if (!session) {
      throw new WtsError({ errno: ERROR_CTX_WINSTATION_NOT_FOUND, syscall: SYSCALLS.logoff, server, sessionId });
    }
    if (!session.hung) host.delete(sessionId); // a hung one accepts the sign-out and stays
  }

  async disconnect(sessionId: number, wait: boolean, server: string | null): Promise<void> {
    const host = await this.start({ op: 'disconnect', server, sessionId, wait });
    const session = host.get(sessionId);
    if (!session)
      throw new WtsError({ errno: ERROR_CTX_WINSTATION_NOT_FOUND, syscall: SYSCALLS.disconnect, server, sessionId });
    if (session.hung) return;
    // As Windows shows it: disconnected since now, and no longer on its RDP-Tcp#n station.
    session.state = 'disconnected';
    session.disconnectTime = this.clock();
    session.stationName = '';
  }

  async sendMessage(
    sessionId: number,
    request: MessageRequest,
    server: string | null,
    signal?: AbortSignal,
  ): Promise<MessageAnswer> {
    const host = await this.start({ op: 'sendMessage', server, sessionId, ...request });
    // As Windows's RPC layer: at most 1,024 bytes of title and of message (MS-TSTS 3.7.4.1.8).
    if (request.title.length * 2 > MESSAGE_BYTES || request.message.length * 2 > MESSAGE_BYTES) {
      throw new WtsError({ errno: RPC_S_INVALID_BOUND, syscall: SYSCALLS.sendMessage, server, sessionId });
    }
    if (!host.has(sessionId)) {
      throw new WtsError({ errno: ERROR_CTX_WINSTATION_NOT_FOUND, syscall: SYSCALLS.sendMessage, server, sessionId });
    }
    if (!request.wait) return 'async';
    const index = this.answers.findIndex((a) => a.sessionId === sessionId && a.server === hostKey(server));
    const limitMs = request.timeoutSeconds > 0 ? request.timeoutSeconds * 1000 : Infinity;
    if (index < 0) {
      // Nobody will answer: on real time the box stays up for its time-out, as on Windows.
      if (this.options.realTime) await pause(limitMs, signal);
      return 'timeout';
    }
    const [scripted] = this.answers.splice(index, 1);
    // As on Windows, a box with a timeout closes itself first if the user would answer later than that.
    const late = scripted!.delayMs > limitMs;
    const delayMs = late ? limitMs : scripted!.delayMs;
    if (delayMs > 0) await pause(delayMs, signal);
    return late ? 'timeout' : scripted!.answer;
  }

  async userGroups(
    userName: string,
    domain: string,
    scope: 'local' | 'domain',
    server: string | null,
  ): Promise<string[]> {
    const op = scope === 'local' ? 'localGroups' : 'domainGroups';
    await this.record({ op, server });
    this.open(server);
    const failure = this.failures.take(op, server);
    if (failure) throw new WtsError({ errno: failure.errno, syscall: SYSCALLS[op], server });
    // A host it cannot find: RPC_S_SERVER_UNAVAILABLE, as Microsoft's NetUserGetLocalGroups page says.
    if (scope === 'local' && !this.hosts.has(hostKey(server)))
      throw new WtsError({ errno: RPC_S_SERVER_UNAVAILABLE, syscall: SYSCALLS[op], server });
    const hostName = server === null ? (this.options.computerName ?? null) : server.split('.')[0]!.toUpperCase();
    return groupsOf(this.options.groups ?? [], userName, domain, scope, server, hostName);
  }

  async listProcesses(server: string | null, usage = false): Promise<ProcessInfo[]> {
    await this.start({ op: usage ? 'listProcessUsage' : 'listProcesses', server });
    return this.processSeeds()
      .filter((p) => hostKey(p.server ?? null) === hostKey(server))
      .map((p) => {
        const process: ProcessInfo = {
          pid: p.pid,
          name: p.name,
          sessionId: p.sessionId,
          userName: p.userName ?? null,
          domain: p.domain ?? null,
          userSid: p.userSid ?? null,
        };
        return usage ? { ...process, usage: this.usageOf(p) } : process;
      });
  }

  async processorCount(server: string | null): Promise<number | null> {
    await Promise.resolve();
    return server === null ? (this.options.processors ?? 4) : null;
  }

  private processSeeds(): MockProcessSeed[] {
    this.seededProcesses ??= this.options.processes ?? (this.options.sessions ? [] : demoProcesses());
    return this.seededProcesses;
  }

  /** A process's usage now, as the stand-in answers WTSEnumerateProcessesExW: CPU time grows with each read. */
  private usageOf(seed: MockProcessSeed): ProcessUsage {
    const u = seed.usage ?? {};
    const reads = this.usageReads.get(seed) ?? 0;
    this.usageReads.set(seed, reads + 1);
    const load = (u.cpuLoad ?? 0) * (this.clock() - this.madeAt);
    return {
      workingSetBytes: u.workingSetBytes ?? 0,
      pagefileBytes: u.pagefileBytes ?? 0,
      handles: u.handles ?? 0,
      threads: u.threads ?? 0,
      userTimeMs: Math.round((u.userTimeMs ?? 0) + reads * (u.cpuMsPerRead ?? 0) + load),
      kernelTimeMs: u.kernelTimeMs ?? 0,
    };
  }

  /**
   * An event's session as Windows would show it: a user's session always has a logon time. Without one in the seed,
   * the same user keeps the one they had (a disconnect is not a new sign-in) and a new user signs in now.
   */
  private withLogon(seed: MockSessionSeed, server: string | null): MockSessionSeed {
    if (!seed.userName || seed.logonTime !== undefined) return seed;
    const had = this.hosts.get(hostKey(server))?.get(seed.id);
    const same = had !== undefined && had.userName?.toLowerCase() === seed.userName.toLowerCase();
    return { ...seed, logonTime: same ? had.logonTime : this.clock() };
  }

  async watchEvents(server: string | null): Promise<EventWatch> {
    await this.record({ op: 'watchEvents', server });
    this.open(server);
    const failure = this.failures.take('watchEvents', server);
    if (failure) throw new WtsError({ errno: failure.errno, syscall: SYSCALLS.watchEvents, server });
    // An unknown host: the open succeeds, the first wait fails with 1722, as Windows's does.
    if (!this.hosts.has(hostKey(server))) return new UnreachableWatch(server);
    const watch = new MockWatch(this.events, hostKey(server), (change) => {
      for (const seed of change.set ?? []) this.addSession(this.withLogon(seed, server), server);
      for (const id of change.remove ?? []) this.removeSession(id, server);
    });
    this.watches.add(watch);
    const key = hostKey(server);
    let holds = false;
    const next = watch.next.bind(watch);
    watch.next = (types) => {
      if (!holds) {
        const slots = this.waitSlots;
        if (!slots.has(key) && slots.size >= (this.options.waitThreads ?? Infinity))
          return Promise.reject(new WtsError({ errno: 155, syscall: 'WaitPool', server }));
        slots.set(key, (slots.get(key) ?? 0) + 1);
        holds = true;
      }
      return next(types);
    };
    const close = watch.close.bind(watch);
    watch.close = async () => {
      this.watches.delete(watch);
      const left = (this.waitSlots.get(key) ?? 1) - 1;
      if (holds && left > 0) this.waitSlots.set(key, left);
      else if (holds) this.waitSlots.delete(key);
      holds = false;
      await close();
    };
    return watch;
  }
}
