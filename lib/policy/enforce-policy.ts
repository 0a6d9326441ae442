import { raceAbort } from '../abort.js';
import { requireAdministrator } from './require-administrator.js';
import type { Backend } from '../backend.js';
import { mapLimit } from '../concurrency.js';
import type { Session } from '../types.js';
import { checkBoolean, checkConcurrency, checkOptions, checkRemoteClock, checkSignal } from '../validate.js';
import { checkServers } from './check-servers.js';
import { hostRecord, openAuditLog, runRecord, type AuditLog } from './audit-log.js';
import { toChecked, type CheckedPolicy } from './check-policy.js';
import { enforceDecision, skippedRow, type EnforceContext } from './enforce-decision.js';
import { checkOnly, isConfirmed, NOT_CONFIRMED } from './confirmed-only.js';
import { decide } from './plan.js';
import { warningsFor } from './policy-warnings.js';
import type { EnforcePolicyOptions, PolicyRow } from './policy-types.js';

/** Checked options shared by {@link enforcePolicy} and the running enforcer. */
export interface EnforceSettings {
  policy: CheckedPolicy;
  servers: (string | null)[];
  dryRun: boolean;
  signal: AbortSignal | undefined;
  concurrency: number;
  only: readonly PolicyRow[] | undefined;
  /** `remoteClock: 'caller'`: a remote host whose clock cannot be read is measured on this machine's. */
  callerClock: boolean;
  audit: AuditLog;
}

export function checkEnforce(policy: unknown, options: unknown): EnforceSettings {
  const checked = toChecked(policy);
  const o = checkOptions<EnforcePolicyOptions>(options);
  const settings = {
    policy: checked,
    servers: checkServers(o.servers),
    dryRun: checkBoolean(o.dryRun, 'options.dryRun', false),
    signal: checkSignal(o.signal),
    concurrency: checkConcurrency(o.concurrency, 8),
    only: checkOnly(o.only),
    callerClock: checkRemoteClock(o.remoteClock),
  };
  // Opened last: nothing to close when an option is bad.
  return { ...settings, audit: openAuditLog(o.audit) };
}

/** The row of a host that could not be listed. */
export function hostRow(server: string | null, error: Error): PolicyRow {
  return {
    server,
    sessionId: null,
    userName: null,
    domain: null,
    clientName: null,
    clientAddress: null,
    logonTime: null,
    rule: null,
    action: null,
    reason: null,
    outcome: 'failed',
    answer: null,
    error,
  };
}

export function contextFor(backend: Backend, settings: EnforceSettings, server: string | null): EnforceContext {
  const { policy, audit, dryRun, signal, callerClock } = settings;
  return { backend, policy, server, audit, dryRun, signal, callerClock };
}

/** Lists a host, or gives the row that says why it could not be. */
export async function listHost(
  backend: Backend,
  settings: EnforceSettings,
  server: string | null,
): Promise<Session[] | Error> {
  try {
    const { needsLockState } = settings.policy;
    // The third argument only when asked for, so that a backend is called as before otherwise.
    const listed = settings.callerClock
      ? backend.listSessions(server, needsLockState, true)
      : backend.listSessions(server, needsLockState);
    return await raceAbort(listed, settings.signal);
  } catch (error) {
    return error as Error;
  }
}

/**
 * enforcePolicy: lists each host, plans, and enforces each decision through {@link enforceDecision}. One host or
 * session failing never stops the others.
 */
export async function enforcePolicy(backend: Backend, policy: unknown, options: unknown): Promise<PolicyRow[]> {
  const settings = checkEnforce(policy, options);
  try {
    // A dry run only reads: anyone may rehearse a policy.
    if (!settings.dryRun) await requireAdministrator(backend, settings.servers);
    // Start and stop records mark the run and name the policy, as the running enforcer's do. A record that cannot be
    // written is reported on the decisions themselves (onAuditFailure), so it is not repeated here.
    const { hash } = settings.policy;
    const warnings = warningsFor(settings.policy, settings.servers).map((w) => w.message);
    await settings.audit.write(runRecord('start', hash, warnings)).catch(() => undefined);
    const perHost = await Promise.all(
      settings.servers.map(async (server): Promise<PolicyRow[]> => {
        const sessions = await listHost(backend, settings, server);
        if (sessions instanceof Error) {
          const row = hostRow(server, sessions);
          await settings.audit.write(hostRecord(server, 'failed', sessions)).catch(() => undefined);
          return [row];
        }
        const now = Date.now();
        const decisions = sessions.flatMap((s) => decide(settings.policy, s, now) ?? []);
        const ctx = contextFor(backend, settings, server);
        const { only } = settings;
        return mapLimit(decisions, settings.concurrency, (d) =>
          only && !isConfirmed(only, server, d)
            ? Promise.resolve(skippedRow(d, server, NOT_CONFIRMED))
            : enforceDecision(ctx, d),
        );
      }),
    );
    await settings.audit.write(runRecord('stop', hash)).catch(() => undefined);
    return perHost.flat();
  } finally {
    await settings.audit.close();
  }
}
