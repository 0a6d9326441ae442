import { raceAbort } from './abort.js';
import type { Backend } from './backend.js';
import { disconnect } from './ops/disconnect.js';
import { findIdleSessions, logoffIdle } from './ops/idle-sweep.js';
import { checkLogoff, runLogoff } from './ops/logoff.js';
import { sendMessage } from './ops/message.js';
import { listProcesses } from './ops/processes.js';
import { getSessionUsage } from './ops/usage.js';
import { listSessionsOn } from './ops/hosts.js';
import { enforcePolicy } from './policy/enforce-policy.js';
import type {
  EnforcePolicyOptions,
  PolicyRow,
  RunPolicyEnforcerOptions,
  SessionPolicy,
} from './policy/policy-types.js';
import { runPolicyEnforcer } from './policy/run-enforcer.js';
import { watchSessions } from './ops/watch.js';
import type {
  DisconnectOptions,
  DisconnectResult,
  FindIdleOptions,
  GetSessionOptions,
  HostSessions,
  IdleSweepRow,
  ListProcessesOptions,
  ListSessionsOnOptions,
  ListSessionsOptions,
  LogoffIdleOptions,
  LogoffOptions,
  LogoffResult,
  MessageAnswer,
  ProcessInfo,
  SendMessageOptions,
  Session,
  SessionSummary,
  SessionEvent,
  SessionUsageOptions,
  SessionUsageReport,
  WatchSessionsOptions,
} from './types.js';
import { checkBoolean, checkOptions, checkRemoteClock, checkServer, checkSessionId, checkSignal } from './validate.js';

/** The package's functions bound to one backend; see {@link createClient}. Each is documented at top level. */
export interface SessionsClient {
  /** The backend this client calls. */
  readonly backend: Backend;
  /** {@link listSessions} on this client's backend. */
  listSessions(options?: ListSessionsOptions): Promise<Session[]>;
  /** {@link getSession} on this client's backend. */
  getSession(sessionId: number, options?: GetSessionOptions): Promise<Session | null>;
  /** {@link currentSessionId} on this client's backend. */
  currentSessionId(): Promise<number>;
  /** {@link logoff} on this client's backend. */
  logoff(sessionId: number, options?: LogoffOptions): Promise<LogoffResult>;
  /** {@link disconnect} on this client's backend. */
  disconnect(sessionId: number, options?: DisconnectOptions): Promise<DisconnectResult>;
  /** {@link sendMessage} on this client's backend. */
  sendMessage(sessionId: number, options: SendMessageOptions): Promise<MessageAnswer>;
  /** {@link findIdleSessions} on this client's backend. */
  findIdleSessions(options: FindIdleOptions): Promise<Session[]>;
  /** {@link logoffIdle} on this client's backend. */
  logoffIdle(options: LogoffIdleOptions): Promise<IdleSweepRow[]>;
  /** {@link listProcesses} on this client's backend. */
  listProcesses(options?: ListProcessesOptions): Promise<ProcessInfo[]>;
  /** {@link getSessionUsage} on this client's backend. */
  getSessionUsage(options?: SessionUsageOptions): Promise<SessionUsageReport>;
  /** {@link watchSessions} on this client's backend. */
  watchSessions(options?: WatchSessionsOptions): AsyncGenerator<SessionEvent, void, undefined>;
  /** {@link listSessionsOn} on this client's backend: with `detail: 'summary'`, each session a {@link SessionSummary}. */
  listSessionsOn(
    servers: readonly string[],
    options: ListSessionsOnOptions & { detail: 'summary' },
  ): Promise<HostSessions<SessionSummary>[]>;
  /** {@link listSessionsOn} on this client's backend. */
  listSessionsOn(servers: readonly string[], options?: ListSessionsOnOptions): Promise<HostSessions[]>;
  /** {@link enforcePolicy} on this client's backend. */
  enforcePolicy(policy: SessionPolicy, options?: EnforcePolicyOptions): Promise<PolicyRow[]>;
  /** {@link runPolicyEnforcer} on this client's backend. */
  runPolicyEnforcer(policy: SessionPolicy, options?: RunPolicyEnforcerOptions): Promise<void>;
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
      settle(() => {
        const o = checkOptions<ListSessionsOptions>(options);
        const server = checkServer(o.server);
        const lockState = checkBoolean(o.lockState, 'options.lockState', false);
        const callerClock = checkRemoteClock(o.remoteClock);
        return raceAbort(backend.listSessions(server, lockState, callerClock), checkSignal(o.signal));
      }),
    getSession: (sessionId, options) =>
      settle(() => {
        const id = checkSessionId(sessionId);
        const o = checkOptions<GetSessionOptions>(options);
        const server = checkServer(o.server);
        const lockState = checkBoolean(o.lockState, 'options.lockState', false);
        return backend.getSession(id, server, lockState, checkRemoteClock(o.remoteClock));
      }),
    currentSessionId: () => settle(() => backend.currentSessionId()),
    logoff: (sessionId, options) => settle(() => runLogoff(backend, checkLogoff(sessionId, options))),
    disconnect: (sessionId, options) => settle(() => disconnect(backend, sessionId, options)),
    sendMessage: (sessionId, options) => settle(() => sendMessage(backend, sessionId, options)),
    findIdleSessions: (options) => settle(() => findIdleSessions(backend, options)),
    logoffIdle: (options) => settle(() => logoffIdle(backend, options)),
    listProcesses: (options) => settle(() => listProcesses(backend, options)),
    getSessionUsage: (options) => settle(() => getSessionUsage(backend, options)),
    watchSessions: (options) => watchSessions(backend, options),
    listSessionsOn: ((servers: readonly string[], options?: ListSessionsOnOptions) =>
      settle(() => listSessionsOn(backend, servers, options))) as SessionsClient['listSessionsOn'],
    enforcePolicy: (policy, options) => settle(() => enforcePolicy(backend, policy, options)),
    runPolicyEnforcer: (policy, options) => settle(() => runPolicyEnforcer(backend, policy, options)),
  };
}
