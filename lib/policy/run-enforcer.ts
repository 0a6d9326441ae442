import type { Backend } from '../backend.js';
import { Gate } from '../concurrency.js';
import { parseDuration } from '../duration.js';
import { DEFAULT_POLL_EVERY_MS, joinWatch, type Subscription } from '../ops/watch-hub.js';
import type { Session, SessionEventType, WatchMode } from '../types.js';
import { checkOptions } from '../validate.js';
import { ActedOn, signInKey } from './acted-on.js';
import { graceKey, interruptedGrace } from './interrupted-grace.js';
import { auditFailure, hostRecord, runRecord, teeAuditLog } from './audit-log.js';
import { enforceDecision } from './enforce-decision.js';
import { toChecked, type CheckedPolicy } from './check-policy.js';
import { checkEnforce, contextFor, hostRow, listHost, type EnforceSettings } from './enforce-policy.js';
import { readChanged } from './changed-sessions.js';
import { actionStrength, decide, nextLimitIn } from './plan.js';
import { MembershipCache } from './memberships.js';
import { raceAbort } from '../abort.js';
import { requireAdministrator } from './require-administrator.js';
import { warningsFor } from './policy-warnings.js';
import type { AuditRecord, PolicyDecision, PolicyRow, RunPolicyEnforcerOptions } from './policy-types.js';

// The events after which a host is checked at once: someone arrived, came back, or left a desktop.
const WAKE_ON: readonly SessionEventType[] = ['logon', 'connect', 'disconnect', 'stateChange', 'create'];
// A time limit due in less than this is checked after this: limits are minutes, not milliseconds.
const MIN_DELAY_MS = 200;
// Hosts that are down retry this many at once. Remote reads share the addon's 16 threads (native/job_worker.h), and
// a down host holds one for its whole RPC time-out at each retry: unchecked, a tenth of a farm down keeps every
// thread busy, and the hosts that are up wait for one to react (bench/farm.run.ts).
const DOWN_AT_ONCE = 4;

interface RunSettings extends EnforceSettings {
  checkEveryMs: number;
  retryEveryMs: number;
  pollEveryMs: number;
  onMode: ((mode: WatchMode) => void) | undefined;
  /** The retries of hosts that are down, {@link DOWN_AT_ONCE} at a time. */
  downGate: Gate;
  onRow: ((row: PolicyRow) => void) | undefined;
  /** Settles when a new policy is put in force (`reload`), so that every host is checked under it at once. */
  reloaded: Promise<void>;
  /** Settles `reloaded`. */
  wakeAll: () => void;
  /** Wakes a host's wait for its next check (`checkNow`), by host. */
  nudges: Map<string | null, () => void>;
  /** Grace deadlines a previous run left unfinished, by sign-in ({@link interruptedGrace}); each used once. */
  resume: Map<string, number>;
  /** Group memberships, kept for the policy's `groupRefresh` across checks. */
  memberships: MembershipCache;
}

/** A fresh `reloaded` promise for the hosts to wait on, with its `wakeAll`. */
function armReload(settings: Pick<RunSettings, 'reloaded' | 'wakeAll'>): void {
  settings.reloaded = new Promise((resolve) => {
    settings.wakeAll = resolve;
  });
}

/**
 * How long to wait before listing a host again after its `failures`-th failure in a row: 1 s, then twice as long each
 * time, up to `retryEvery`. At boot Remote Desktop Services answers RPC_S_INVALID_BINDING (1702) until its dependent
 * services have started (Microsoft's WTSRegisterSessionNotificationEx page), and a guard started with the machine
 * should not then leave the first sessions unguarded for a whole `retryEvery`.
 */
function retryDelay(failures: number, retryEveryMs: number): number {
  return Math.max(MIN_DELAY_MS, Math.min(retryEveryMs, 1000 * 2 ** Math.min(failures - 1, 20)));
}

/** Sleeps until `ms` pass, `wake` settles, or the signal aborts (at once if it already has: Ctrl+C during a check). */
function pause(ms: number, wake: Promise<unknown> | null, signal: AbortSignal | undefined): Promise<void> {
  if (signal?.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
    void wake?.then(done, done);
  });
}

/** The watch of session events on one host, opened when it can be and dropped when it fails. */
class HostEvents {
  private subscription: Subscription | null = null;
  private pending: Promise<void> | null = null;

  constructor(
    private readonly backend: Backend,
    private readonly server: string | null,
    private readonly settings: Pick<RunSettings, 'pollEveryMs' | 'onMode'>,
  ) {}

  /**
   * Opens the watch unless it is open; a failure is tried again at the next check. `checked`: the listing the check
   * just judged, so that a polled host's sign-in after it is an event even if the poll's own listing came later.
   */
  async open(checked: readonly Session[]): Promise<void> {
    if (this.subscription) return;
    try {
      this.subscription = await joinWatch(this.backend, this.server, WAKE_ON, this.settings.pollEveryMs, checked);
      const { onMode } = this.settings;
      if (onMode) this.subscription.onMode(onMode);
    } catch {
      this.subscription = null;
    }
  }

  /** A promise that settles at the next event, or `null` while the watch is not open. */
  next(): Promise<void> | null {
    const subscription = this.subscription;
    if (!subscription) return null;
    this.pending ??= subscription.next().then(
      (batch) => {
        this.pending = null;
        if (!batch) this.subscription = null;
      },
      () => {
        this.pending = null;
        this.subscription = null;
        void subscription.close();
      },
    );
    return this.pending;
  }

  async close(): Promise<void> {
    await this.subscription?.close();
  }
}

/** Writes a record that precedes no action; a failure is reported as a failed host row, never silently dropped. */
function note(settings: RunSettings, server: string | null, record: AuditRecord): Promise<void> {
  return settings.audit.write(record).catch((error: unknown) => settings.onRow?.(hostRow(server, auditFailure(error))));
}

/** A notice already shown in this connection is not shown again: the action comes at once. */
function unwarned(d: PolicyDecision): PolicyDecision {
  return d.graceMs === null ? d : { ...d, graceMs: null, message: null };
}

/**
 * Whether a failed row may be tried again at the next check. A failed plain warning is not: a notice Windows cannot
 * show would otherwise be tried, and audited, every minute; a warning protects nobody, so nothing is lost.
 */
function worthRetrying(row: PolicyRow): boolean {
  if (row.skipReason === 'ERR_POLICY_NO_LONGER_APPLIES') return true;
  if (row.outcome !== 'failed') return false;
  return row.action !== 'warn' || (row.error as { code?: string } | undefined)?.code === 'ERR_POLICY_AUDIT_FAILED';
}

/**
 * Keeps one host under the policy until the signal aborts: checks it, starts what the plan says (never twice in one
 * connection, nor a weaker action after a stronger one; see {@link ActedOn}), then waits for a session event, the
 * next time limit, or `checkEvery`. A check that a session event alone brought reads only what changed (see
 * {@link readChanged}); every other check lists the whole host. An unreachable host is tried again every `retryEvery`;
 * its going down and coming back are audited once each.
 */
async function keepHost(backend: Backend, settings: RunSettings, server: string | null): Promise<void> {
  const { signal } = settings;
  const events = new HostEvents(backend, server, settings);
  const acted = new ActedOn();
  const busy = new Set<string>();
  const running = new Set<Promise<void>>();
  // Sessions reported with unknown trust, and why: reported again only when the reason changes.
  const unknown = new Map<string, string>();
  let down = false;
  let failures = 0;
  // The host as last read: the last full listing, brought up to date by the reads after events since.
  const view = new Map<number, Session>();
  // When the next full listing is due (checkEvery, or the nearest time limit it found); and whether only a session
  // event woke this check, which then reads only the sessions that changed (see readChanged).
  let fullDue = 0;
  const woke = new Set<'event' | 'forced'>();
  try {
    while (!signal?.aborted) {
      // Made before the listing: a checkNow that comes during it brings the next check at once.
      const nudged = new Promise<void>((resolve) => settings.nudges.set(server, resolve));
      // Sessions it has a stake in are read again at each event, changed or not (see readChanged).
      const stake = () =>
        new Set([...view.values()].filter((s) => acted.has(s) || unknown.has(signInKey(s))).map((s) => s.id));
      const partial =
        woke.has('event') && !woke.has('forced') && !down && Date.now() < fullDue
          ? await readChanged(backend, settings, server, view, stake())
          : null;
      const list = () => listHost(backend, settings, server);
      const sessions = partial ?? (down ? await settings.downGate.run(list, signal) : await list());
      if (signal?.aborted || sessions === undefined) break;
      if (sessions instanceof Error) {
        if (!down) await note(settings, server, hostRecord(server, 'hostDown', sessions));
        down = true;
        await pause(retryDelay(++failures, settings.retryEveryMs), null, signal);
        continue;
      }
      if (down) await note(settings, server, hostRecord(server, 'hostUp'));
      down = false;
      failures = 0;
      // Read at each check: a reload puts a new policy in force from the next one on.
      const { policy } = settings;
      settings.memberships.refreshMs = policy.groupRefreshMs;
      // A domain controller that hangs must not hold up a stop.
      const reading = settings.memberships.forSessions(sessions, server, policy.groupNeeds);
      const groupsOf = await raceAbort(reading, signal).catch(() => null);
      if (!groupsOf) break;
      const ctx = { ...contextFor(backend, settings, server), groupsOf };
      const now = Date.now();
      if (partial) acted.refresh(sessions, busy);
      else {
        acted.update(sessions, busy);
        const listed = new Set(sessions.map(signInKey));
        for (const key of unknown.keys()) if (!listed.has(key)) unknown.delete(key);
        view.clear();
        for (const s of sessions) view.set(s.id, s);
      }
      for (const s of sessions) {
        const decision = decide(policy, s, now, groupsOf);
        if (!decision) continue;
        if (decision.trustUnknown) {
          // Never acted on; reported (and audited) once per reason, and judged again at every check.
          const why = decision.trustUnknown.message;
          if (unknown.get(signInKey(s)) !== why) {
            const report = enforceDecision(ctx, decision).then((row) => settings.onRow?.(row));
            running.add(report);
            void report.finally(() => running.delete(report));
          }
          unknown.set(signInKey(s), why);
          continue;
        }
        unknown.delete(signInKey(s));
        if (acted.strength(s) >= actionStrength(decision.action)) continue;
        acted.markStarted(s, actionStrength(decision.action));
        const key = signInKey(s);
        busy.add(key);
        // A grace period the previous run started for this very sign-in: its notice was shown, its time runs on.
        const resumeKey = graceKey(server, s);
        const deadline = settings.resume.get(resumeKey);
        settings.resume.delete(resumeKey);
        if (deadline !== undefined) acted.markWarned(s);
        const own = {
          ...ctx,
          onWarning: () => {
            acted.markWarned(s);
          },
        };
        const waited = deadline === undefined ? Promise.resolve() : pause(deadline - Date.now(), null, signal);
        const task = waited
          .then(() => enforceDecision(own, acted.warned(s) ? unwarned(decision) : decision))
          .then((row) => {
            busy.delete(key);
            // A failure is tried again at the next check; a rule that no longer applied may apply again later.
            if (worthRetrying(row)) acted.retry(s);
            settings.onRow?.(row);
          });
        running.add(task);
        void task.finally(() => running.delete(task));
      }
      // After a partial check the full listing stays due when it was: sessions not read again keep their limits.
      const limit = nextLimitIn(policy, sessions, now, groupsOf);
      const due = now + Math.max(MIN_DELAY_MS, Math.min(settings.checkEveryMs, limit ?? Infinity));
      fullDue = partial ? Math.min(fullDue, due) : due;
      await events.open(partial ? [...view.values()] : sessions);
      // Which wake came is noted in the promises the pause waits on, so that it is known when the pause ends.
      woke.clear();
      const forcing = Promise.race([settings.reloaded, nudged]).then(() => woke.add('forced'));
      const event = events.next()?.then(() => woke.add('event'));
      await pause(Math.max(0, fullDue - Date.now()), Promise.race([event ?? forcing, forcing]), signal);
    }
  } finally {
    await events.close();
    await Promise.all(running);
  }
}

/**
 * Puts each valid policy `reload` gives in force, until the run ends: audited as `'reload'`, and every host is
 * checked under it at once. An invalid one is refused and changes nothing.
 */
async function followReloads(
  settings: RunSettings,
  reload: AsyncIterable<unknown>,
  onReload: ((error: Error | null, policyHash: string) => void) | undefined,
): Promise<void> {
  const iterator = reload[Symbol.asyncIterator]();
  const stopped = new Promise<IteratorResult<unknown>>((resolve) => {
    const end = () => {
      resolve({ done: true, value: undefined });
    };
    if (settings.signal?.aborted) end();
    settings.signal?.addEventListener('abort', end, { once: true });
  });
  try {
    for (;;) {
      const next = await Promise.race([iterator.next(), stopped]);
      if (next.done) return;
      let checked: CheckedPolicy;
      try {
        checked = toChecked(next.value);
      } catch (error) {
        onReload?.(error as Error, settings.policy.hash);
        continue;
      }
      settings.policy = checked;
      const warnings = warningsFor(checked, settings.servers).map((w) => w.message);
      await note(settings, null, runRecord('reload', checked.hash, warnings));
      onReload?.(null, checked.hash);
      // The hosts wait on the old promise: settle it so that they look again, under the new policy.
      const wake = settings.wakeAll;
      armReload(settings);
      wake();
    }
  } finally {
    void iterator.return?.();
  }
}

/** Checks each host `checkNow` names at once, until the run ends (the caller ends the iterable). */
async function followCheckNow(settings: RunSettings, checkNow: AsyncIterable<string | null>): Promise<void> {
  for await (const server of checkNow) {
    if (settings.signal?.aborted) return;
    settings.nudges.get(server)?.();
  }
}

/**
 * runPolicyEnforcer: keeps every host of `options.servers` under the policy until `options.signal` aborts, then
 * ends grace periods, waits for actions under way to settle, closes the audit log and resolves.
 */
export async function runPolicyEnforcer(backend: Backend, policy: unknown, options: unknown): Promise<void> {
  const o = checkOptions<RunPolicyEnforcerOptions>(options);
  const checkEveryMs = o.checkEvery === undefined ? 60_000 : parseDuration(o.checkEvery, 'options.checkEvery');
  const retryEveryMs = o.retryEvery === undefined ? 30_000 : parseDuration(o.retryEvery, 'options.retryEvery');
  const pollEveryMs =
    o.pollEvery === undefined ? DEFAULT_POLL_EVERY_MS : parseDuration(o.pollEvery, 'options.pollEvery');
  if (o.onMode !== undefined && typeof o.onMode !== 'function')
    throw new TypeError('options.onMode must be a function');
  if (o.onRow !== undefined && typeof o.onRow !== 'function') throw new TypeError('options.onRow must be a function');
  if (
    o.reload !== undefined &&
    typeof (o.reload as Partial<AsyncIterable<unknown>>)[Symbol.asyncIterator] !== 'function'
  )
    throw new TypeError('options.reload must be an async iterable of policies');
  if (o.onReload !== undefined && typeof o.onReload !== 'function')
    throw new TypeError('options.onReload must be a function');
  if (
    o.checkNow !== undefined &&
    typeof (o.checkNow as Partial<AsyncIterable<unknown>>)[Symbol.asyncIterator] !== 'function'
  )
    throw new TypeError('options.checkNow must be an async iterable of host names');
  if (o.copyAudit !== undefined && typeof o.copyAudit !== 'function')
    throw new TypeError('options.copyAudit must be a function');
  const enforce = checkEnforce(policy, o);
  const settings: RunSettings = {
    ...enforce,
    audit: o.copyAudit ? teeAuditLog(enforce.audit, o.copyAudit) : enforce.audit,
    checkEveryMs,
    retryEveryMs,
    pollEveryMs,
    onMode: o.onMode,
    downGate: new Gate(DOWN_AT_ONCE),
    onRow: o.onRow,
    reloaded: Promise.resolve(),
    wakeAll: () => undefined,
    nudges: new Map(),
    resume: new Map(),
    memberships: new MembershipCache(backend, 0),
  };
  armReload(settings);
  const { hash } = settings.policy;
  const reloads = o.reload ? followReloads(settings, o.reload, o.onReload) : Promise.resolve();
  if (o.checkNow) void followCheckNow(settings, o.checkNow).catch(() => undefined);
  try {
    if (!settings.dryRun) await requireAdministrator(backend, settings.servers);
    // Start and stop records mark each run, and name the policy it enforced.
    const warnings = warningsFor(settings.policy, settings.servers).map((w) => w.message);
    await note(settings, null, runRecord('start', hash, warnings));
    // A restart mid-grace: the decisions it interrupted are marked, and their grace periods end when they would have.
    if (typeof o.audit === 'string' && !settings.dryRun) {
      for (const [key, { record, deadline }] of interruptedGrace(o.audit)) {
        settings.resume.set(key, deadline);
        await note(settings, record.host, { ...record, time: new Date().toISOString(), outcome: 'interrupted' });
      }
    }
    await Promise.all(settings.servers.map((server) => keepHost(backend, settings, server)));
    await reloads;
    await note(settings, null, runRecord('stop', settings.policy.hash));
  } finally {
    await settings.audit.close();
  }
}
