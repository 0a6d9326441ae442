import { raceAbort } from '../abort.js';
import type { Backend } from '../backend.js';
import { abortError, SessionRefusedError } from '../errors.js';
import { checkGuard, guardedSession } from '../ops/guards.js';
import type { MessageAnswer, Session } from '../types.js';
import type { AuditLog } from './audit-log.js';
import { auditFailure, decisionRecord } from './audit-log.js';
import type { CheckedPolicy } from './check-policy.js';
import { actionStrength, decide } from './plan.js';
import type { GroupsOf } from './memberships.js';
import type { PolicyDecision, PolicyOutcome, PolicyRow } from './policy-types.js';

/** The skip of a session whose trust (or rules) hang on a group membership that could not be read. */
export const TRUST_UNKNOWN = 'ERR_TRUST_UNKNOWN' as const;
/** The skip of a signed-in session whose user Windows would not name. */
export const USER_UNKNOWN = 'ERR_USER_UNKNOWN' as const;

/** What enforcing one decision needs. */
export interface EnforceContext {
  backend: Backend;
  policy: CheckedPolicy;
  server: string | null;
  audit: AuditLog;
  dryRun: boolean;
  signal: AbortSignal | undefined;
  /** The group memberships read for this check (see {@link decide}). */
  groupsOf?: GroupsOf | undefined;
  /** Read remote hosts whose clock cannot be read on this machine's (`remoteClock: 'caller'`). */
  callerClock?: boolean | undefined;
  /** Called when a grace period starts (the running enforcer marks the session so it is not warned twice). */
  onWarning?: (() => void) | undefined;
}

const NO_LONGER_APPLIES = 'ERR_POLICY_NO_LONGER_APPLIES' as const;
const DONE: Readonly<Record<PolicyDecision['action'], PolicyOutcome>> = {
  warn: 'warned',
  disconnect: 'disconnected',
  signOut: 'signedOut',
};

function baseRow(d: PolicyDecision, server: string | null): PolicyRow {
  const s = d.session;
  return {
    server,
    sessionId: s.id,
    userName: s.userName,
    domain: s.domain,
    clientName: s.clientName,
    clientAddress: s.clientAddress,
    logonTime: s.logonTime,
    rule: d.rule,
    action: d.action,
    reason: d.reason,
    outcome: 'dryRun',
    answer: null,
  };
}

/** The row of a decision left alone before anything was done or recorded (`skipReason` says why). */
export function skippedRow(d: PolicyDecision, server: string | null, skipReason: string): PolicyRow {
  return { ...baseRow(d, server), outcome: 'skipped', skipReason };
}

/** Reads the session again, as the same sign-in (same user, domain and logon time: a reused id is refused). */
function readAgain(ctx: EnforceContext, first: Session): Promise<Session> {
  const guard = {
    ...checkGuard({ expect: { userName: first.userName, domain: first.domain, logonTime: first.logonTime } }),
    callerClock: ctx.callerClock === true,
  };
  return raceAbort(guardedSession(ctx.backend, first.id, ctx.server, guard, ctx.policy.needsLockState), ctx.signal);
}

/**
 * Reads the session again and judges it again: the user may have come back, or the session changed state. The
 * action decided (and audited) is taken only while the session still calls for at least that much; otherwise the
 * next check decides anew, and audits that.
 */
async function confirm(ctx: EnforceContext, d: PolicyDecision): Promise<void> {
  const again = decide(ctx.policy, await readAgain(ctx, d.session), Date.now(), ctx.groupsOf);
  if (again?.trustUnknown)
    throw new SessionRefusedError(TRUST_UNKNOWN, d.session.id, ctx.server, again.trustUnknown.message);
  if (!again || actionStrength(again.action) < actionStrength(d.action)) {
    const why = again ? `it now calls for ${again.action} only (${again.reason})` : 'it no longer breaks any rule';
    throw new SessionRefusedError(NO_LONGER_APPLIES, d.session.id, ctx.server, why);
  }
}

async function act(ctx: EnforceContext, d: PolicyDecision): Promise<void> {
  const { backend, server, signal } = ctx;
  if (signal?.aborted) throw abortError(signal);
  const id = d.session.id;
  if (d.action === 'signOut') return backend.logoff(id, false, server);
  if (d.action === 'disconnect') return backend.disconnect(id, false, server);
  const request = {
    title: d.title,
    message: d.message!,
    buttons: 'ok',
    icon: 'warning',
    timeoutSeconds: 0,
    wait: false,
  } as const;
  await backend.sendMessage(id, request, server);
}

/**
 * Shows the grace-period notice; resolves when the user answers or the box closes itself at the end of the grace
 * period. With `early` the box asks Yes (act now) or No; otherwise OK only acknowledges it.
 */
function warnAndWait(ctx: EnforceContext, d: PolicyDecision, early: boolean): Promise<MessageAnswer> {
  const request = {
    title: d.title,
    message: d.message!,
    buttons: early ? 'yesNo' : 'ok',
    icon: 'warning',
    timeoutSeconds: Math.ceil(d.graceMs! / 1000),
    wait: true,
  } as const;
  return raceAbort(ctx.backend.sendMessage(d.session.id, request, ctx.server, ctx.signal), ctx.signal);
}

/** Waits `ms` (nothing when it is not positive); an abort ends the wait with an AbortError. */
function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  if (ms <= 0) return signal?.aborted ? Promise.reject(abortError(signal)) : Promise.resolve();
  let timer: NodeJS.Timeout | undefined;
  const wait = new Promise<void>((resolve) => (timer = setTimeout(resolve, ms)));
  return raceAbort(wait, signal).finally(() => {
    clearTimeout(timer);
  });
}

/** What one enforcement learnt on its way, for its row. */
interface Trail {
  answer: MessageAnswer | null;
  warningError?: Error | undefined;
  auditError?: Error | undefined;
}

/**
 * Writes a record that must precede a step. Under `onAuditFailure: 'hold'` a failure stops the action (thrown, as
 * an error with code ERR_POLICY_AUDIT_FAILED); under `'act'` it is kept for the row and the action goes on.
 */
async function recordFirst(ctx: EnforceContext, trail: Trail, record: Parameters<AuditLog['write']>[0]): Promise<void> {
  try {
    await ctx.audit.write(record);
  } catch (error) {
    const failure = auditFailure(error);
    if (ctx.policy.onAuditFailure === 'hold') throw failure;
    trail.auditError ??= failure;
  }
}

/**
 * The grace period: the notice, then the rest of the period whatever the answer (OK acknowledges), unless the user
 * chose Yes on an `early` notice. A notice Windows cannot show (access denied, a session between desktops) protects
 * nobody: the period is then counted from the failed attempt, and the failure audited once, as `'warningFailed'`.
 */
async function gracePeriod(ctx: EnforceContext, d: PolicyDecision, trail: Trail): Promise<void> {
  const early = ctx.policy.rules.find((r) => r.name === d.rule)?.action.early === true;
  ctx.onWarning?.();
  const started = Date.now();
  await recordFirst(ctx, trail, decisionRecord(d, ctx.server, 'warning', { deadline: started + d.graceMs! }));
  try {
    trail.answer = await warnAndWait(ctx, d, early);
  } catch (error) {
    if ((error as { code?: string }).code === 'ABORT_ERR') throw error;
    trail.warningError = error as Error;
    await recordFirst(ctx, trail, decisionRecord(d, ctx.server, 'warningFailed', { error }));
  }
  if (trail.answer === 'yes') {
    // Yes means "do it now": the same sign-in is still required, but the rule is not judged again (answering was
    // input, so an idle rule would no longer apply).
    await readAgain(ctx, d.session);
    return;
  }
  await sleep(started + d.graceMs! - Date.now(), ctx.signal);
  // At the end of the grace period the rule must still apply: a user who came back is left alone.
  await confirm(ctx, d);
}

/**
 * Enforces one decision: writes it to the audit log, then (unless a dry run) re-reads the session as the same
 * sign-in, warns and waits out a grace period when there is one, re-reads again, and acts. A record of the outcome
 * follows. Never rejects: a refusal is a `'skipped'` row, any other error a `'failed'` one.
 */
export async function enforceDecision(ctx: EnforceContext, d: PolicyDecision): Promise<PolicyRow> {
  const row = baseRow(d, ctx.server);
  const trail: Trail = { answer: null };
  const rowOf = (extra: Partial<PolicyRow>): PolicyRow => {
    const result: PolicyRow = { ...row, answer: trail.answer, ...extra };
    if (trail.warningError) result.warningError = trail.warningError;
    if (trail.auditError) result.auditError = trail.auditError;
    return result;
  };
  if (d.trustUnknown) {
    // Never acted on, and never passed over in silence: recorded as skipped, with why.
    await recordAfter(ctx, trail, decisionRecord(d, ctx.server, 'skipped', { error: d.trustUnknown }));
    const skipReason = (d.trustUnknown as { code?: string }).code === USER_UNKNOWN ? USER_UNKNOWN : TRUST_UNKNOWN;
    return rowOf({ outcome: 'skipped', skipReason, error: d.trustUnknown });
  }
  try {
    // Nothing is done that the audit log could not record first (unless the policy says to act anyway).
    await recordFirst(ctx, trail, decisionRecord(d, ctx.server, ctx.dryRun ? 'dryRun' : 'decided'));
  } catch (error) {
    return rowOf({ outcome: 'failed', error: error as Error });
  }
  if (ctx.dryRun) return rowOf({});
  try {
    await confirm(ctx, d);
    if (d.graceMs !== null) await gracePeriod(ctx, d, trail);
    await act(ctx, d);
    await recordAfter(ctx, trail, decisionRecord(d, ctx.server, DONE[d.action], { answer: trail.answer }));
    return rowOf({ outcome: DONE[d.action] });
  } catch (error) {
    const e = error as Error & { code?: string };
    const refused = error instanceof SessionRefusedError || e.code === 'ABORT_ERR';
    const outcome: PolicyOutcome = refused ? 'skipped' : 'failed';
    // The action (if any) has happened or not whatever the log says now; the row reports it either way.
    await recordAfter(ctx, trail, decisionRecord(d, ctx.server, outcome, { answer: trail.answer, error: e }));
    return refused ? rowOf({ outcome, skipReason: e.code, error: e }) : rowOf({ outcome, error: e });
  }
}

/** Writes the record of what came of an action; a failure is reported in the row, as the action is done. */
async function recordAfter(ctx: EnforceContext, trail: Trail, record: Parameters<AuditLog['write']>[0]): Promise<void> {
  await ctx.audit.write(record).catch((error: unknown) => {
    trail.auditError ??= auditFailure(error);
  });
}
