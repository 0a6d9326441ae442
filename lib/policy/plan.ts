import { isActiveConsole } from '../ops/disconnect.js';
import { fitMessageText } from '../message-limits.js';
import { isIdleFor } from '../idle-time.js';
import type { Session } from '../types.js';
import { inRanges } from './address-ranges.js';
import {
  toChecked,
  type CheckedAction,
  type CheckedPolicy,
  type CheckedRule,
  type CheckedUsers,
} from './check-policy.js';
import { inAnyGroup } from './group-trust.js';
import type { GroupsOf } from './memberships.js';
import { inWindow, wallText } from './time-window.js';
import { matchUser } from './name-pattern.js';
import { fillNotice } from './notice.js';
import { spokenDuration } from './policy-duration.js';
import type { PolicyActionKind, PolicyDecision, SessionPolicy } from './policy-types.js';

const STRENGTH: Readonly<Record<PolicyActionKind, number>> = { warn: 1, disconnect: 2, signOut: 3 };

/** How strong an action is: a stronger one wins when several rules apply, and is never repeated by a weaker one. */
export function actionStrength(action: PolicyActionKind): number {
  return STRENGTH[action];
}

/** `DOMAIN\user`, or the user alone. */
export function accountName(s: Pick<Session, 'userName' | 'domain'>): string | null {
  if (s.userName === null) return null;
  return s.domain ? `${s.domain}\\${s.userName}` : s.userName;
}

const unknownFields = (s: Session) => new Set(s.partial?.flatMap((e) => e.fields) ?? []);

/**
 * Whether a session can be judged at all: someone is signed in, and the guards allow acting on it (never session 0,
 * a listener or this process's own session).
 */
function actable(s: Session): boolean {
  return !(s.userName === null || s.id === 0 || s.state === 'listen' || s.isCurrent);
}

/**
 * Whether the session's user is one of `users`: `true`, `false`, or `null` when that cannot be told (a domain
 * Windows refused, a group membership that could not be read): a policy never acts on a guess.
 */
function isOneOf(users: CheckedUsers, s: Session, groupsOf: GroupsOf | undefined): boolean | null {
  const byName = matchUser(users.patterns, s.userName!, s.domain, !unknownFields(s).has('domain'));
  if (byName === true || users.groups.length === 0) return byName;
  const byGroup = inAnyGroup(groupsOf?.(s), users.groups);
  return byGroup === true ? true : byName === null || byGroup === null ? null : false;
}

/** Whether trust can be told and is not given. */
function judged(p: CheckedPolicy, s: Session, groupsOf: GroupsOf | undefined): boolean {
  return actable(s) && isOneOf({ patterns: p.users, groups: p.trustGroups }, s, groupsOf) === false;
}

/**
 * The rules for a session: those of the first `groupRules` entry its user matches, else the top-level ones; `null`
 * when an entry before the match cannot be told (its membership unknown), with `rules` every set it might be.
 */
function rulesFor(
  p: CheckedPolicy,
  s: Session,
  groupsOf: GroupsOf | undefined,
): { known: boolean; sets: { name: string | null; rules: CheckedRule[] }[] } {
  const sets: { name: string | null; rules: CheckedRule[] }[] = [];
  for (const set of p.ruleSets) {
    const member = isOneOf(set.users, s, groupsOf);
    if (member === true) return { known: sets.length === 0, sets: [...sets, set] };
    if (member === null) sets.push(set);
  }
  return { known: sets.length === 0, sets: [...sets, { name: null, rules: p.rules }] };
}

/** Why trust or the rules for a session cannot be told: the membership read's error, or what is unknown. */
function unknownWhy(s: Session, groupsOf: GroupsOf | undefined): Error {
  const cause = groupsOf?.(s)?.error ?? null;
  const what = unknownFields(s).has('domain') ? 'domain' : 'group membership';
  const detail = cause ? `${(cause as { code?: string }).code ?? cause.name}: ${cause.message}` : 'not read';
  return Object.assign(
    new Error(`the ${what} of ${accountName(s)} is unknown (${detail}): trust unknown, not acted on`),
    {
      code: 'ERR_TRUST_UNKNOWN',
      cause,
    },
  );
}

/**
 * The address decides; a name only narrows it. The client reports its own name (anyone can call a laptop JUMP-01),
 * so a name never trusts a client that connects from an untrusted address.
 */
function clientTrusted(p: CheckedPolicy, s: Session): boolean {
  if (!inRanges(p.clientAddresses, s.clientAddress!)) return false;
  if (p.clientNames.length === 0) return true;
  return s.clientName !== null && p.clientNames.some((n) => n.test(s.clientName!));
}

function idleLimit(rule: CheckedRule, s: Session): number {
  return s.locked === true && rule.lockedAfterMs !== null ? rule.lockedAfterMs : rule.afterMs;
}

/**
 * How long the session has been signed in, on the server's clock (`now` only for a session that carries none). A
 * session whose server clock is unknown (`clock: null`: a remote host whose clock could not be read) is never
 * measured on `now`: the caller's clock can be minutes or days off the host's.
 */
function signedInFor(s: Session, now: number | null): number | null {
  const clock = s.serverTime?.getTime() ?? (s.clock === null ? null : now);
  return s.logonTime === null || clock === null ? null : clock - s.logonTime.getTime();
}

const over = (elapsed: number, limit: number) => `${spokenDuration(elapsed)} (limit ${spokenDuration(limit)})`;

/** Why `rule` applies to `s` (a judged session), or `null` when it does not or cannot be told. */
function applies(p: CheckedPolicy, rule: CheckedRule, s: Session, now: number | null): string | null {
  switch (rule.name) {
    case 'outsideHours': {
      const clock = s.serverTime?.getTime() ?? (s.clock === null ? null : now);
      if (clock === null || inWindow(rule.window!, clock, p.timeZone!)) return null;
      return `outside the allowed hours ${windowText(p, rule)}: it is ${wallText(clock, p.timeZone!)} there`;
    }
    case 'untrustedUser':
      return s.userName === null ? 'user unknown' : `user ${accountName(s)} is not trusted`;
    case 'untrustedClient': {
      // Only a remote client with an address Windows gave can be judged; an unknown one is not taken as untrusted.
      if ((s.protocol !== 'rdp' && s.protocol !== 'ica') || s.clientAddress === null || clientTrusted(p, s))
        return null;
      return `client ${s.clientAddress}${s.clientName ? ` (${s.clientName})` : ''} is not trusted`;
    }
    case 'idle': {
      const limit = idleLimit(rule, s);
      if (s.state !== 'active' || !isIdleFor(s, limit, rule.includeActiveConsole)) return null;
      return `idle for ${over(s.idleMs!, limit)}${limit !== rule.afterMs ? ' while locked' : ''}`;
    }
    case 'disconnected':
      if (s.state !== 'disconnected' || s.idleMs === null || s.idleMs < rule.afterMs) return null;
      return `disconnected for ${over(s.idleMs, rule.afterMs)}`;
    case 'sessionLength': {
      const length = signedInFor(s, now);
      return length === null || length < rule.afterMs ? null : `signed in for ${over(length, rule.afterMs)}`;
    }
  }
}

/**
 * The action as this session can take it: a warning only reaches a user at an active desktop, a disconnected
 * session is not disconnected again, and a grace period is only for someone who can see its notice.
 */
function fit(action: CheckedAction, s: Session): CheckedAction | null {
  const active = s.state === 'active';
  if (action.do === 'warn') return active ? action : null;
  if (action.do === 'disconnect' && s.state === 'disconnected') return null;
  // Disconnecting the console removes nobody: Windows Server refuses it, Windows 10 and 11 lock it.
  if (action.do === 'disconnect' && isActiveConsole(s)) return null;
  return active ? action : { ...action, graceMs: null, message: null };
}

// Filled in, a notice can outgrow what Windows shows (a long user or client name in {reason}): it is cut to fit,
// never refused, since the policy was accepted with it.
function notice(action: CheckedAction, s: Session, reason: string, now: number | null): string | null {
  if (action.message === null && action.graceMs === null) return null;
  const clock = s.serverTime?.getTime() ?? now;
  return fitMessageText(fillNotice(action, { user: accountName(s) ?? '', reason, clock }));
}

const windowText = (p: CheckedPolicy, rule: CheckedRule) => `${rule.window!.text} (${p.timeZone})`;

/** The strongest action of these rules for a judged session, or `null`. */
function strongest(
  p: CheckedPolicy,
  s: Session,
  now: number | null,
  set: { name: string | null; rules: CheckedRule[] },
): PolicyDecision | null {
  let best: { rule: CheckedRule; action: CheckedAction; reason: string } | null = null;
  const rules: PolicyDecision['rules'] = [];
  for (const rule of set.rules) {
    const reason = applies(p, rule, s, now);
    if (reason === null) continue;
    rules.push(rule.name);
    const action = fit(rule.action, s);
    if (action && (!best || STRENGTH[action.do] > STRENGTH[best.action.do])) best = { rule, action, reason };
  }
  if (!best) return null;
  const { rule, action, reason } = best;
  return {
    session: s,
    rule: rule.name,
    rules,
    action: action.do,
    graceMs: action.graceMs,
    message: notice(action, s, reason, now),
    title: action.title,
    reason,
    ruleSet: set.name,
    window: rule.window ? windowText(p, rule) : null,
  };
}

/**
 * The one decision for a session, or `null`. `groupsOf` gives the group memberships read for this check. When trust
 * or the rules that apply hang on a membership (or domain) that is unknown, the decision, if any rule could apply,
 * carries `trustUnknown` and is never acted on: neither trusted silently nor acted on, but reported.
 */
export function decide(p: CheckedPolicy, s: Session, now: number | null, groupsOf?: GroupsOf): PolicyDecision | null {
  if (nameUnknown(s)) return unknownUser(p, s, now);
  if (!actable(s)) return null;
  const trusted = isOneOf({ patterns: p.users, groups: p.trustGroups }, s, groupsOf);
  if (trusted === true) return null;
  const { known, sets } = rulesFor(p, s, groupsOf);
  if (trusted === false && known) return strongest(p, s, now, sets[0]!);
  // A domain Windows refused, in a policy without Windows groups: left alone, as it always was.
  if (p.trustGroups.length === 0 && p.ruleSets.length === 0) return null;
  // What would apply if the user were in none of the unknown groups: the strongest of the sets it might get.
  let worst: PolicyDecision | null = null;
  for (const set of sets) {
    const d = strongest(p, s, now, set);
    if (d && (!worst || STRENGTH[d.action] > STRENGTH[worst.action])) worst = d;
  }
  return worst && { ...worst, trustUnknown: unknownWhy(s, groupsOf) };
}

// Someone is signed in (WTSINFOW named a user, in a form that may be cut), but Windows would not say who: the whole
// name (WTSUserName) failed, or did not extend the cut one. A session whose WTSSessionInfo failed is not known to
// have a user at all, and is left out as before.
const nameUnknown = (s: Session) =>
  s.userName === null &&
  s.id !== 0 &&
  s.state !== 'listen' &&
  !s.isCurrent &&
  (s.partial?.some((e) => e.infoClass === 'WTSUserName') ?? false);

/**
 * A session whose user Windows would not name: never acted on (trust cannot be told), and never passed over in
 * silence: reported with what would apply to an untrusted user, skipped as `ERR_USER_UNKNOWN`.
 */
function unknownUser(p: CheckedPolicy, s: Session, now: number | null): PolicyDecision | null {
  let worst: PolicyDecision | null = null;
  for (const set of [...p.ruleSets, { name: null, rules: p.rules }]) {
    const d = strongest(p, s, now, set);
    if (d && (!worst || STRENGTH[d.action] > STRENGTH[worst.action])) worst = d;
  }
  const cause = s.partial?.find((e) => e.infoClass === 'WTSUserName');
  const detail = cause ? `${cause.infoClass} failed with ${cause.code} (${cause.errno})` : 'not given';
  const error = new Error(`the user of session ${s.id} is unknown (${detail}): trust unknown, not acted on`);
  return worst && { ...worst, trustUnknown: Object.assign(error, { code: 'ERR_USER_UNKNOWN' }) };
}

function checkNow(now: unknown): number | null {
  if (now === undefined || now === null) return null;
  const ms = now instanceof Date ? now.getTime() : now;
  if (typeof ms !== 'number' || !Number.isFinite(ms)) throw new TypeError('now must be a Date or a number of ms');
  return ms;
}

/**
 * The actions a policy would take on these sessions, each with its reason: one per session at most (the strongest
 * action of the rules that apply). A pure function: it reads nothing and acts on nothing.
 *
 * Never listed: sessions with nobody signed in, session 0, listeners, this process's own session, sessions of
 * trusted users, and sessions whose trust Windows left unknown. Time limits are measured on the server's clock
 * (`Session.idleMs`, `Session.serverTime`); `now` is used only for a session that carries no server time and does
 * not say its clock is unknown (`Session.clock` `null`: such a session is never judged by a time limit).
 *
 * @throws TypeError or RangeError, naming the field, for a bad policy.
 * @example
 * ```ts
 * for (const d of planPolicy(policy, await listSessions())) console.log(d.session.id, d.action, d.reason)
 * ```
 */
export function planPolicy(policy: SessionPolicy, sessions: readonly Session[], now?: Date | number): PolicyDecision[] {
  // No group membership is read here: a session whose trust hangs on a Windows group is given with trustUnknown.
  const checked = toChecked(policy);
  const list: readonly unknown[] = Array.isArray(sessions) ? sessions : [null];
  if (!Array.isArray(sessions) || list.some((s) => typeof s !== 'object' || s === null)) {
    throw new TypeError('sessions must be an array of sessions, as listSessions gives them');
  }
  const clock = checkNow(now);
  return (list as Session[]).flatMap((s) => decide(checked, s, clock) ?? []);
}

/**
 * How long until a time limit of the policy may next apply to one of these sessions (ms), or `null` when none is
 * coming: when a running enforcer should look again.
 */
export function nextLimitIn(
  policy: CheckedPolicy,
  sessions: readonly Session[],
  now: number | null,
  groupsOf?: GroupsOf,
): number | null {
  let soonest: number | null = null;
  const consider = (ms: number) => {
    if (ms > 0 && (soonest === null || ms < soonest)) soonest = ms;
  };
  for (const s of sessions) {
    if (!judged(policy, s, groupsOf)) continue;
    for (const rule of rulesFor(policy, s, groupsOf).sets.flatMap((set) => set.rules)) {
      // Allowed hours open and close on the minute of the server's clock: look again at its next one.
      const clock = s.serverTime?.getTime() ?? (s.clock === null ? null : now);
      if (rule.name === 'outsideHours' && clock !== null) consider(60_000 - (clock % 60_000));
      if (rule.name === 'idle' && s.state === 'active' && s.idleMs !== null) consider(idleLimit(rule, s) - s.idleMs);
      if (rule.name === 'disconnected' && s.state === 'disconnected' && s.idleMs !== null)
        consider(rule.afterMs - s.idleMs);
      if (rule.name === 'sessionLength') {
        const length = signedInFor(s, now);
        if (length !== null) consider(rule.afterMs - length);
      }
    }
  }
  return soonest;
}
