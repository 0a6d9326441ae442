import type { Backend } from '../backend.js';
import { parseDuration } from '../duration.js';
import { joinWatch, type Subscription } from '../ops/watch-hub.js';
import type { Session, SessionEventType } from '../types.js';
import { checkOptions } from '../validate.js';
import { hostRecord } from './audit-log.js';
import { enforceDecision } from './enforce-decision.js';
import { checkEnforce, contextFor, listHost, type EnforceSettings } from './enforce-policy.js';
import { actionStrength, decide, nextLimitIn } from './plan.js';
import { requireAdministrator } from './require-administrator.js';
import type { PolicyRow, RunPolicyEnforcerOptions } from './policy-types.js';

// The events after which a host is checked at once: someone arrived, came back, or left a desktop.
const WAKE_ON: readonly SessionEventType[] = ['logon', 'connect', 'disconnect', 'stateChange', 'create'];
// A time limit due in less than this is checked after this: limits are minutes, not milliseconds.
const MIN_DELAY_MS = 200;

/** One sign-in: a reused session id is another key. */
const signIn = (s: Session) => `${s.id}|${s.logonTime?.getTime() ?? '-'}|${s.domain ?? ''}\\${s.userName ?? ''}`;

interface RunSettings extends EnforceSettings {
  checkEveryMs: number;
  retryEveryMs: number;
  onRow: ((row: PolicyRow) => void) | undefined;
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
  ) {}

  /** Opens the watch unless it is open; a failure is tried again at the next check. */
  async open(): Promise<void> {
    if (this.subscription) return;
    try {
      this.subscription = await joinWatch(this.backend, this.server, WAKE_ON);
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

/**
 * Keeps one host under the policy until the signal aborts: checks it, starts what the plan says (never twice for
 * the same sign-in, nor a weaker action after a stronger one), then waits for a session event, the next time limit,
 * or `checkEvery`. An unreachable host is tried again every `retryEvery`; its going down and coming back are
 * audited once each.
 */
async function keepHost(backend: Backend, settings: RunSettings, server: string | null): Promise<void> {
  const { policy, signal, audit } = settings;
  const ctx = contextFor(backend, settings, server);
  const events = new HostEvents(backend, server);
  // The strongest action started for each sign-in still listed.
  const handled = new Map<string, number>();
  const running = new Set<Promise<void>>();
  let down = false;
  try {
    while (!signal?.aborted) {
      const sessions = await listHost(backend, settings, server);
      if (signal?.aborted) break;
      if (sessions instanceof Error) {
        if (!down) await audit.write(hostRecord(server, 'hostDown', sessions)).catch(() => undefined);
        down = true;
        await pause(Math.max(MIN_DELAY_MS, settings.retryEveryMs), null, signal);
        continue;
      }
      if (down) await audit.write(hostRecord(server, 'hostUp')).catch(() => undefined);
      down = false;
      const now = Date.now();
      const live = new Set(sessions.map(signIn));
      for (const key of handled.keys()) if (!live.has(key)) handled.delete(key);
      for (const s of sessions) {
        const decision = decide(policy, s, now);
        if (!decision) continue;
        const key = signIn(s);
        if ((handled.get(key) ?? 0) >= actionStrength(decision.action)) continue;
        handled.set(key, actionStrength(decision.action));
        const task = enforceDecision(ctx, decision).then((row) => {
          // A failure is tried again at the next check; a rule that no longer applied may apply again later.
          if (row.outcome === 'failed' || row.skipReason === 'ERR_POLICY_NO_LONGER_APPLIES') handled.delete(key);
          settings.onRow?.(row);
        });
        running.add(task);
        void task.finally(() => running.delete(task));
      }
      const limit = nextLimitIn(policy, sessions, now);
      const delay = Math.max(MIN_DELAY_MS, Math.min(settings.checkEveryMs, limit ?? Infinity));
      await events.open();
      await pause(delay, events.next(), signal);
    }
  } finally {
    await events.close();
    await Promise.all(running);
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
  if (o.onRow !== undefined && typeof o.onRow !== 'function') throw new TypeError('options.onRow must be a function');
  const settings: RunSettings = { ...checkEnforce(policy, o), checkEveryMs, retryEveryMs, onRow: o.onRow };
  try {
    if (!settings.dryRun) await requireAdministrator(backend, settings.servers);
    await Promise.all(settings.servers.map((server) => keepHost(backend, settings, server)));
  } finally {
    await settings.audit.close();
  }
}
