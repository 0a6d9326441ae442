/**
 * windows-sessions: see who is signed in to a Windows machine and sign them out, through the Windows Terminal
 * Services (WTS) API. The top-level functions use the native backend on Windows, or whatever {@link setBackend}
 * installed (the mock from `windows-sessions/mock` in tests).
 *
 * @packageDocumentation
 */
import { createClient } from './client.js';
import type { Backend } from './backend.js';
import { getBackend } from './default-backend.js';
import { createNativeBackend as nativeBackend } from './native/native-backend.js';
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
import type {
  EnforcePolicyOptions,
  PolicyRow,
  RunPolicyEnforcerOptions,
  SessionPolicy,
} from './policy/policy-types.js';

/** A client over whatever backend is current now: setBackend() takes effect on the next call. */
const current = () => createClient(getBackend());

/**
 * Lists every session on the machine (or on `options.server`) with its user, state, client and times, like
 * `query session` and `query user` together. Sessions that end while the list is being read are left out; a
 * session whose details Windows refuses is kept, with {@link Session.partial} saying which are missing, so one
 * session never fails the listing.
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
 * Signs a session's user out (`WTSLogoffSession`), as `logoff <id>` does. Their unsaved work is lost, so it first
 * re-reads the session and refuses (with a {@link SessionRefusedError}) when it is gone, is this process's own,
 * session 0 or a listener (unless allowed), or no longer matches `options.expect`. With `options.ask` it asks the
 * user Yes/No first and re-checks the session after the answer.
 *
 * @returns what happened: `'signedOut'`, `'declined'`, `'timedOut'` (asked, no answer, kept) or, with `wait`,
 *   `'pending'` (accepted, but the session was still there at `waitTimeout`).
 * @throws TypeError or RangeError for bad arguments (nothing is signed out).
 * @throws {@link SessionRefusedError}, {@link WtsError} (e.g. `ERROR_ACCESS_DENIED` when not elevated), or an
 * AbortError when `options.signal` aborts first.
 * @example
 * ```ts
 * await logoff(3, { expect: { userName: 'bob' }, wait: true })
 * const r = await logoff(3, { ask: { message: 'Sign out now to free resources?', timeoutSeconds: 120 } })
 * if (r.outcome !== 'signedOut') console.log('bob kept his session:', r.outcome)
 * ```
 */
export function logoff(sessionId: number, options?: LogoffOptions): Promise<LogoffResult> {
  return current().logoff(sessionId, options);
}

/**
 * Disconnects a session (`WTSDisconnectSession`), as `tsdiscon` does: its programs keep running and the user can
 * reconnect. The same guards as {@link logoff} apply.
 *
 * @returns `outcome: 'disconnected'`, or with `wait` `'pending'` when it was still connected at `waitTimeout`.
 * @throws {@link SessionRefusedError}, {@link WtsError}, TypeError or RangeError.
 */
export function disconnect(sessionId: number, options?: DisconnectOptions): Promise<DisconnectResult> {
  return current().disconnect(sessionId, options);
}

/**
 * Shows a message box in a session (`WTSSendMessageW`), as `msg` does, and resolves to the answer. It may wait for
 * minutes; it runs on a thread of its own and stops waiting when `options.signal` aborts.
 *
 * @example
 * ```ts
 * const answer = await sendMessage(3, { title: 'Maintenance', message: 'Reboot at 18:00. OK?', buttons: 'okCancel', timeoutSeconds: 300 })
 * ```
 * @throws {@link WtsError}, TypeError, RangeError, or an AbortError.
 */
export function sendMessage(sessionId: number, options: SendMessageOptions): Promise<MessageAnswer> {
  return current().sendMessage(sessionId, options);
}

/**
 * The signed-in sessions idle for at least `options.idleFor` (a disconnected session counts as idle since it
 * disconnected), longest idle first. An active console session is left out unless `options.includeActiveConsole`:
 * Windows can leave its idle time stale while its user works.
 *
 * @example
 * ```ts
 * const stale = await findIdleSessions({ idleFor: '2h' })
 * ```
 */
export function findIdleSessions(options: FindIdleOptions): Promise<Session[]> {
  return current().findIdleSessions(options);
}

/**
 * Signs out every session idle for at least `options.idleFor`, through the same guards as {@link logoff} (and the
 * question, with `options.ask`). Never signs out this process's own session, session 0 or listeners, nor an active
 * console session unless `options.includeActiveConsole` (its idle time can be stale); each session is read again
 * just before and skipped (`ERR_NOT_IDLE`) if its user came back. Resolves to a
 * report with one row per idle session: signed out, declined, timed out, skipped (and why) or failed (with its
 * error); one failure never stops the sweep.
 *
 * @example
 * ```ts
 * const report = await logoffIdle({ idleFor: '8h', exclude: ['svc-backup'], dryRun: true })
 * ```
 */
export function logoffIdle(options: LogoffIdleOptions): Promise<IdleSweepRow[]> {
  return current().logoffIdle(options);
}

/**
 * Processes on the machine (`WTSEnumerateProcessesW`), with their session and owner; `options.sessionId` filters.
 * With `options.usage`, each has its memory, handles, threads and CPU time (`WTSEnumerateProcessesExW`).
 */
export function listProcesses(options?: ListProcessesOptions): Promise<ProcessInfo[]> {
  return current().listProcesses(options);
}

/**
 * What each session costs, as Task Manager's Users tab shows it: the memory, handles and threads of its processes
 * together, and the CPU they spent over `options.interval` (default 1 s; two samples of `WTSEnumerateProcessesExW`
 * that far apart), per process and per session, as processors kept busy and as a share of the whole machine.
 * Other users' processes are listed only for an administrator (the `WTSEnumerateProcessesEx` page): without those
 * rights their sessions are missing from the report, never shown as idle.
 *
 * @throws {@link WtsError} when Windows refuses the listing; TypeError or RangeError for bad options; an AbortError.
 * @example
 * ```ts
 * const { sessions } = await getSessionUsage({ interval: '2s' })
 * for (const s of sessions) console.log(s.sessionId, s.cpuPercent?.toFixed(1), s.workingSetBytes)
 * ```
 */
export function getSessionUsage(options?: SessionUsageOptions): Promise<SessionUsageReport> {
  return current().getSessionUsage(options);
}

/**
 * Session events (logon, logoff, connect, disconnect, create, delete, state change, …) as they happen, from
 * `WTSWaitSystemEvent` on a thread of its own. Ends cleanly when `options.signal` aborts or the loop breaks.
 *
 * @example
 * ```ts
 * for await (const event of watchSessions({ signal })) console.log(event.type, event.time)
 * ```
 */
export function watchSessions(options?: WatchSessionsOptions): AsyncGenerator<SessionEvent, void, undefined> {
  return current().watchSessions(options);
}

/**
 * Lists the sessions of several hosts in parallel (at most `options.concurrency` at once, default 8). Each host
 * gets a row with its sessions or its error; one unreachable host never fails the others. With `detail: 'summary'`
 * each host costs one call (`WTSEnumerateSessionsExW`) and each session is a {@link SessionSummary}.
 */
export function listSessionsOn(
  servers: readonly string[],
  options: ListSessionsOnOptions & { detail: 'summary' },
): Promise<HostSessions<SessionSummary>[]>;
/** Every session with all its fields (the default `detail: 'full'`). */
export function listSessionsOn(servers: readonly string[], options?: ListSessionsOnOptions): Promise<HostSessions[]>;
export function listSessionsOn(
  servers: readonly string[],
  options?: ListSessionsOnOptions,
): Promise<HostSessions<Session | SessionSummary>[]> {
  return current().listSessionsOn(servers, options);
}

/**
 * Applies a policy once: lists each host, plans (see {@link planPolicy}) and acts on each decision. Each decision is
 * written to the audit log before anything is done; each session is read again as the same sign-in (same user,
 * domain and logon time, so a reused id is never hit) and judged again just before acting; a grace period shows its
 * notice and waits to its end (OK only acknowledges it; with `early`, Yes acts at once). Resolves to one row per decision and per host that could not be listed; one
 * failure never stops the rest.
 *
 * @throws TypeError or RangeError (naming the field) for a bad policy or options; nothing is done then.
 * @example
 * ```ts
 * const rows = await enforcePolicy(policy, { servers: ['ts01', 'ts02'], audit: 'policy-audit.jsonl', dryRun: true })
 * ```
 */
export function enforcePolicy(policy: SessionPolicy, options?: EnforcePolicyOptions): Promise<PolicyRow[]> {
  return current().enforcePolicy(policy, options);
}

/**
 * Keeps hosts under a policy until `options.signal` aborts: checks each host at once, again after every session
 * event (logon, connect, disconnect, state change) and when a time limit is due, and at least every
 * `options.checkEvery`. Within one connection of a sign-in a grace-period warning is never shown twice and an action
 * is never repeated; a reconnect is judged afresh. Start and stop records, with the policy's hash, mark the run in the
 * audit log. A host that stops answering is audited once and tried again every `options.retryEvery` until it
 * answers. On abort, grace periods end without acting and the promise resolves once everything under way settled.
 *
 * @example
 * ```ts
 * const stop = new AbortController()
 * process.once('SIGTERM', () => stop.abort())
 * await runPolicyEnforcer(policy, { audit: 'C:\\ProgramData\\policy-audit.jsonl', signal: stop.signal })
 * ```
 */
export function runPolicyEnforcer(policy: SessionPolicy, options?: RunPolicyEnforcerOptions): Promise<void> {
  return current().runPolicyEnforcer(policy, options);
}

/**
 * The backend that talks to Windows through the compiled addon (loaded on first use; Windows only). The top-level
 * functions use it unless {@link setBackend} installed another; pass it to {@link createClient} to be explicit.
 */
export function createNativeBackend(): Backend {
  return nativeBackend();
}

export type { Backend, EventWatch } from './backend.js';
export { createClient, type SessionsClient } from './client.js';
export { resetBackend, setBackend } from './default-backend.js';
export { SessionRefusedError, WtsError, type RefusalCode, type WtsErrorInit } from './errors.js';
export { formatDuration, parseDuration } from './duration.js';
export { ERR_ADDON_LOAD, ERR_UNSUPPORTED_PLATFORM } from './native/load-addon.js';
export { MAX_SESSION_ID } from './validate.js';
export { readServerList } from './server-list.js';
export { ERR_NOT_ADMINISTRATOR } from './policy/require-administrator.js';
export { win32ErrorCode } from './win32-errors.js';
export * from './types.js';
export * from './policy/policy-types.js';
export { validatePolicy } from './policy/check-policy.js';
export { policyWarnings } from './policy/policy-warnings.js';
export { planPolicy } from './policy/plan.js';
