import { raceAbort } from '../abort.js';
import type { Backend } from '../backend.js';
import { abortError, SessionRefusedError } from '../errors.js';
import { checkGuard, guardedSession } from '../ops/guards.js';
import type { MessageAnswer, Session } from '../types.js';
import type { AuditLog } from './audit-log.js';
import { decisionRecord } from './audit-log.js';
import type { CheckedPolicy } from './check-policy.js';
import { actionStrength, decide } from './plan.js';
import type { PolicyDecision, PolicyOutcome, PolicyRow } from './policy-types.js';

/** What enforcing one decision needs. */
export interface EnforceContext {
  backend: Backend;
  policy: CheckedPolicy;
  server: string | null;
  audit: AuditLog;
  dryRun: boolean;
  signal: AbortSignal | undefined;
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
    rule: d.rule,
    action: d.action,
    reason: d.reason,
    outcome: 'dryRun',
    answer: null,
  };
}

/** Reads the session again, as the same sign-in (same user, domain and logon time: a reused id is refused). */
function readAgain(ctx: EnforceContext, first: Session): Promise<Session> {
  const guard = checkGuard({
    expect: { userName: first.userName, domain: first.domain, logonTime: first.logonTime },
  });
  return raceAbort(guardedSession(ctx.backend, first.id, ctx.server, guard, ctx.policy.needsLockState), ctx.signal);
}

/**
 * Reads the session again and judges it again: the user may have come back, or the session changed state. The
 * action decided (and audited) is taken only while the session still calls for at least that much; otherwise the
 * next check decides anew, and audits that.
 */
async function confirm(ctx: EnforceContext, d: PolicyDecision): Promise<void> {
  const again = decide(ctx.policy, await readAgain(ctx, d.session), Date.now());
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

/** Shows the grace-period notice; resolves when the user presses OK or the grace runs out. */
function warnAndWait(ctx: EnforceContext, d: PolicyDecision): Promise<MessageAnswer> {
  const request = {
    title: d.title,
    message: d.message!,
    buttons: 'ok',
    icon: 'warning',
    timeoutSeconds: Math.ceil(d.graceMs! / 1000),
    wait: true,
  } as const;
  return raceAbort(ctx.backend.sendMessage(d.session.id, request, ctx.server, ctx.signal), ctx.signal);
}

/**
 * Enforces one decision: writes it to the audit log, then (unless a dry run) re-reads the session as the same
 * sign-in, warns and waits out a grace period when there is one, re-reads again, and acts. A record of the outcome
 * follows. Never rejects: a refusal is a `'skipped'` row, any other error a `'failed'` one.
 */
export async function enforceDecision(ctx: EnforceContext, d: PolicyDecision): Promise<PolicyRow> {
  const row = baseRow(d, ctx.server);
  try {
    await ctx.audit.write(decisionRecord(d, ctx.server, ctx.dryRun ? 'dryRun' : 'decided'));
  } catch (error) {
    // Nothing is done that the audit log could not record first.
    return { ...row, outcome: 'failed', error: error as Error };
  }
  if (ctx.dryRun) return row;
  let answer: MessageAnswer | null = null;
  try {
    await confirm(ctx, d);
    if (d.graceMs !== null) {
      ctx.onWarning?.();
      await ctx.audit.write(decisionRecord(d, ctx.server, 'warning'));
      answer = await warnAndWait(ctx, d);
      // OK means "do it now": the same sign-in is still required, but the rule is not judged again (pressing OK was
      // input, so an idle rule would no longer apply). When the grace ran out, the rule must still apply.
      if (answer === 'ok') await readAgain(ctx, d.session);
      else await confirm(ctx, d);
    }
    await act(ctx, d);
    const result: PolicyRow = { ...row, outcome: DONE[d.action], answer };
    await ctx.audit.write(decisionRecord(d, ctx.server, result.outcome, { answer })).catch(() => undefined);
    return result;
  } catch (error) {
    const e = error as Error & { code?: string };
    const refused = error instanceof SessionRefusedError || e.code === 'ABORT_ERR';
    const result: PolicyRow = refused
      ? { ...row, outcome: 'skipped', answer, skipReason: e.code, error: e }
      : { ...row, outcome: 'failed', answer, error: e };
    // The action (if any) has happened or not whatever the log says now; the row reports it either way.
    await ctx.audit.write(decisionRecord(d, ctx.server, result.outcome, { answer, error: e })).catch(() => undefined);
    return result;
  }
}
