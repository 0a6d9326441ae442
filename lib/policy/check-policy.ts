import { createHash } from 'node:crypto';
import type { BlockList } from 'node:net';
import { checkMessageText, MAX_MESSAGE_CHARS, MAX_TITLE_CHARS } from '../message-limits.js';
import { describe } from '../validate.js';
import { addressRanges } from './address-ranges.js';
import { namePattern, userPattern, type NamePattern, type UserPattern } from './name-pattern.js';
import { refuseControlCharacters, userPatternWarnings } from './pattern-checks.js';
import { policyDuration } from './policy-duration.js';
import type { PolicyActionKind, PolicyRuleName, PolicyWarning, SessionPolicy } from './policy-types.js';
import { rangeWarnings } from './range-warnings.js';
import { groupRef, groupWarnings, isGroupEntry, type GroupRef } from './group-trust.js';
import { DEFAULT_GROUP_REFRESH_MS, type GroupNeeds } from './memberships.js';
import { timeWindow, timeZone, type TimeWindow } from './time-window.js';

/** A rule's action, checked. */
export interface CheckedAction {
  do: PolicyActionKind;
  /** The warning text as written; `null` for the default notice. */
  message: string | null;
  title: string;
  graceMs: number | null;
  /** Whether the notice offers to act before the grace period ends (Yes / No buttons). */
  early: boolean;
}

/** A rule, checked; `afterMs` is 0 for the rules without a limit. */
export interface CheckedRule {
  name: PolicyRuleName;
  action: CheckedAction;
  afterMs: number;
  /** The idle rule only. */
  lockedAfterMs: number | null;
  includeActiveConsole: boolean;
  /** The outsideHours rule only. */
  window: TimeWindow | null;
}

/** Whose sessions: account patterns and Windows groups. */
export interface CheckedUsers {
  patterns: UserPattern[];
  groups: GroupRef[];
}

/** A `groupRules` entry, checked: its rules are the top-level ones with its own in place of those of the same name. */
export interface CheckedRuleSet {
  name: string;
  users: CheckedUsers;
  rules: CheckedRule[];
}

/** A policy in the form the planner uses; see {@link checkPolicy}. */
export interface CheckedPolicy {
  users: UserPattern[];
  /** Trusted Windows groups (`@ad:`, `@local:`). */
  trustGroups: GroupRef[];
  /** `groupRules`, in order. */
  ruleSets: CheckedRuleSet[];
  /** Which group memberships must be read to judge a session. */
  groupNeeds: GroupNeeds;
  groupRefreshMs: number;
  /** The zone `allowed` hours are read in; `null` when no rule has hours. */
  timeZone: string | null;
  clientAddresses: BlockList;
  clientNames: NamePattern[];
  /** In the order of {@link RULE_ORDER}: the order ties between equally strong actions are settled in. */
  rules: CheckedRule[];
  /** Whether a rule depends on lock state, which costs a query per active session and is read only then. */
  needsLockState: boolean;
  /** What to do while audit records cannot be written. */
  onAuditFailure: 'hold' | 'act';
  /** Warnings that hold whatever the hosts (see {@link policyWarnings} for those that depend on them). */
  warnings: PolicyWarning[];
  /** SHA-256 of the policy's JSON text, in hex: names the policy a run enforced in its audit records. */
  hash: string;
}

/** The rules, in the order they are documented, checked and reported. */
export const RULE_ORDER: readonly PolicyRuleName[] = [
  'untrustedUser',
  'untrustedClient',
  'outsideHours',
  'sessionLength',
  'disconnected',
  'idle',
];
// The policies checkPolicy made: only those are taken as checked.
const CHECKED = new WeakSet();
const LIMIT_RULES: ReadonlySet<PolicyRuleName> = new Set(['sessionLength', 'disconnected', 'idle']);
// A warning box closes itself after its time-out, in whole seconds, at most a year (as sendMessage accepts).
const MAX_GRACE_MS = 31_536_000_000;

function object(value: unknown, name: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new TypeError(`${name} must be an object, got ${describe(value)}`);
  }
  return value as Record<string, unknown>;
}

/** Unknown keys are errors: a misspelt rule would otherwise be silently not enforced. */
function onlyKeys(value: Record<string, unknown>, allowed: readonly string[], name: string): void {
  for (const key of Object.keys(value)) {
    if (!allowed.includes(key)) {
      throw new RangeError(`${name}.${key} is not a known field; known: ${allowed.join(', ')}`);
    }
  }
}

function strings(value: unknown, name: string): string[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) throw new TypeError(`${name} must be an array of strings, got ${describe(value)}`);
  return value.map((item, i) => {
    if (typeof item !== 'string' || item.trim() === '') {
      throw new TypeError(`${name}[${i}] must be a non-empty string, got ${describe(item)}`);
    }
    // Before trimming, which would hide a "\n" or "\t" escape at either end.
    refuseControlCharacters(item, `${name}[${i}]`);
    return item.trim();
  });
}

function text(value: unknown, name: string, max: number): string | null {
  if (value === undefined) return null;
  if (typeof value !== 'string' || value === '') throw new TypeError(`${name} must be a non-empty string`);
  return checkMessageText(value, name, max);
}

function checkAction(value: unknown, name: string): CheckedAction {
  if (value === 'disconnect' || value === 'signOut')
    return { do: value, message: null, title: 'Session policy', graceMs: null, early: false };
  if (value === 'warn') throw new TypeError(`${name} 'warn' needs a message: { "do": "warn", "message": "..." }`);
  if (typeof value === 'string') {
    throw new RangeError(`${name} must be 'disconnect', 'signOut' or an object with do, got ${describe(value)}`);
  }
  const spec = object(value, name);
  onlyKeys(spec, ['do', 'message', 'title', 'grace', 'early'], name);
  if (!['warn', 'disconnect', 'signOut'].includes(spec.do as string)) {
    throw new RangeError(`${name}.do must be 'warn', 'disconnect' or 'signOut', got ${describe(spec.do)}`);
  }
  const kind = spec.do as PolicyActionKind;
  const message = text(spec.message, `${name}.message`, MAX_MESSAGE_CHARS);
  const title = text(spec.title, `${name}.title`, MAX_TITLE_CHARS) ?? 'Session policy';
  const graceMs = spec.grace === undefined ? null : policyDuration(spec.grace, `${name}.grace`);
  if (spec.early !== undefined && typeof spec.early !== 'boolean') {
    throw new TypeError(`${name}.early must be a boolean, got ${describe(spec.early)}`);
  }
  if (spec.early === true && graceMs === null) throw new RangeError(`${name}.early needs a grace period`);
  if (kind === 'warn' && message === null) throw new TypeError(`${name}.message is required for a warning`);
  if (kind === 'warn' && graceMs !== null) throw new RangeError(`${name}.grace is for disconnect and signOut only`);
  if (kind !== 'warn' && message !== null && graceMs === null) {
    throw new RangeError(`${name}.message needs a grace period: it is shown for that long before the action`);
  }
  if (graceMs !== null && (graceMs < 1000 || graceMs > MAX_GRACE_MS)) {
    throw new RangeError(`${name}.grace must be from 1 s to 365 d, got ${graceMs} ms`);
  }
  return { do: kind, message, title, graceMs, early: spec.early === true };
}

function checkRule(name: PolicyRuleName, value: unknown, at = 'policy.rules'): CheckedRule {
  const field = `${at}.${name}`;
  const rule = object(value, field);
  const limit = LIMIT_RULES.has(name);
  const allowed = [
    'action',
    ...(limit ? ['after'] : []),
    ...(name === 'idle' ? ['lockedAfter', 'includeActiveConsole'] : []),
    ...(name === 'outsideHours' ? ['allowed'] : []),
  ];
  if (name === 'outsideHours' && rule.allowed === undefined) throw new TypeError(`${field}.allowed is required`);
  onlyKeys(rule, allowed, field);
  if (rule.action === undefined) throw new TypeError(`${field}.action is required`);
  if (limit && rule.after === undefined) throw new TypeError(`${field}.after is required`);
  const consoleFlag = rule.includeActiveConsole;
  if (consoleFlag !== undefined && typeof consoleFlag !== 'boolean') {
    throw new TypeError(`${field}.includeActiveConsole must be a boolean, got ${describe(consoleFlag)}`);
  }
  return {
    name,
    action: checkAction(rule.action, `${field}.action`),
    afterMs: limit ? policyDuration(rule.after, `${field}.after`) : 0,
    lockedAfterMs: rule.lockedAfter === undefined ? null : policyDuration(rule.lockedAfter, `${field}.lockedAfter`),
    includeActiveConsole: consoleFlag === true,
    window: name === 'outsideHours' ? timeWindow(rule.allowed, `${field}.allowed`) : null,
  };
}

/** The rules of `value` (an object of rules, at least one), in {@link RULE_ORDER}. */
function checkRules(value: unknown, field: string): CheckedRule[] {
  if (value === undefined) throw new TypeError(`${field} is required`);
  const rules = object(value, field);
  onlyKeys(rules, RULE_ORDER, field);
  const checked = RULE_ORDER.filter((name) => rules[name] !== undefined).map((name) =>
    checkRule(name, rules[name], field),
  );
  if (checked.length === 0) throw new TypeError(`${field} must hold at least one of ${RULE_ORDER.join(', ')}`);
  return checked;
}

/** `policy.groupRules`: each entry's rules merged over the top-level ones. */
function checkRuleSets(value: unknown, groups: Map<string, string[]>, top: CheckedRule[]): CheckedRuleSet[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) throw new TypeError(`policy.groupRules must be an array, got ${describe(value)}`);
  return value.map((item, i) => {
    const field = `policy.groupRules[${i}]`;
    const entry = object(item, field);
    onlyKeys(entry, ['name', 'users', 'rules'], field);
    if (entry.name !== undefined && (typeof entry.name !== 'string' || entry.name.trim() === ''))
      throw new TypeError(`${field}.name must be a non-empty string`);
    const users = checkUsers(entry.users, groups, `${field}.users`);
    if (users.patterns.length === 0 && users.groups.length === 0)
      throw new TypeError(`${field}.users must name at least one user or group`);
    const own = checkRules(entry.rules, `${field}.rules`);
    const rules = RULE_ORDER.flatMap(
      (name) => own.find((r) => r.name === name) ?? top.find((r) => r.name === name) ?? [],
    );
    return { name: typeof entry.name === 'string' ? entry.name.trim() : field, users, rules };
  });
}

function checkGroups(value: unknown): Map<string, string[]> {
  const groups = new Map<string, string[]>();
  if (value === undefined) return groups;
  for (const [name, members] of Object.entries(object(value, 'policy.groups'))) {
    if (!/^[\w.-]+$/u.test(name)) throw new RangeError(`policy.groups.${name}: a group name is letters, digits, _ . -`);
    const list = strings(members, `policy.groups.${name}`);
    list.forEach((m, i) => {
      if (m.startsWith('@')) throw new RangeError(`policy.groups.${name}[${i}]: a group cannot hold another group`);
    });
    groups.set(name.toLowerCase(), list);
  }
  return groups;
}

function checkUsers(value: unknown, groups: Map<string, string[]>, field = 'policy.trust.users'): CheckedUsers {
  const result: CheckedUsers = { patterns: [], groups: [] };
  strings(value, field).forEach((entry, i) => {
    if (isGroupEntry(entry)) return void result.groups.push(groupRef(entry, `${field}[${i}]`));
    if (!entry.startsWith('@')) return void result.patterns.push(userPattern(entry));
    const members = groups.get(entry.slice(1).toLowerCase());
    if (!members) throw new RangeError(`${field}[${i}]: no group ${entry.slice(1)} in policy.groups`);
    result.patterns.push(...members.map(userPattern));
  });
  return result;
}

/** Patterns that are valid but can never match, named by where they were written. */
function userWarnings(trust: Record<string, unknown>, groups: Map<string, string[]>, raw: unknown): PolicyWarning[] {
  const direct = strings(trust.users, 'policy.trust.users').flatMap((entry, i) => {
    const field = `policy.trust.users[${i}]`;
    if (isGroupEntry(entry)) return groupWarnings(groupRef(entry, field), field);
    return entry.startsWith('@') ? [] : userPatternWarnings(entry, field);
  });
  const named = Object.keys(raw === undefined ? {} : object(raw, 'policy.groups'));
  const inGroups = named.flatMap((name) =>
    (groups.get(name.toLowerCase()) ?? []).flatMap((m, i) => userPatternWarnings(m, `policy.groups.${name}[${i}]`)),
  );
  return [...direct, ...inGroups];
}

/** The same warnings for the users of `groupRules` entries (already checked). */
function ruleSetWarnings(value: unknown): PolicyWarning[] {
  if (!Array.isArray(value)) return [];
  return value.flatMap((entry: { users: string[] }, i) =>
    entry.users.flatMap((user, j) => {
      const field = `policy.groupRules[${i}].users[${j}]`;
      if (isGroupEntry(user)) return groupWarnings(groupRef(user.trim(), field), field, false);
      return user.startsWith('@') ? [] : userPatternWarnings(user.trim(), field);
    }),
  );
}

function checkAuditFailure(value: unknown): 'hold' | 'act' {
  if (value === undefined || value === 'hold' || value === 'act') return value ?? 'hold';
  throw new RangeError(`policy.onAuditFailure must be 'hold' or 'act', got ${describe(value)}`);
}

/**
 * Checks a policy (an object, or JSON parsed from a file) and compiles it. Every error is a TypeError or RangeError
 * whose message starts with the field at fault, e.g. `policy.rules.idle.after must look like '90s', ...`.
 */
export function checkPolicy(value: unknown): CheckedPolicy {
  const policy = object(value, 'policy');
  onlyKeys(
    policy,
    ['$schema', 'description', 'groups', 'trust', 'rules', 'onAuditFailure', 'groupRules', 'timeZone', 'groupRefresh'],
    'policy',
  );
  const groups = checkGroups(policy.groups);
  const trust = policy.trust === undefined ? {} : object(policy.trust, 'policy.trust');
  onlyKeys(trust, ['users', 'clientAddresses', 'clientNames'], 'policy.trust');
  const checked = checkRules(policy.rules, 'policy.rules');
  const ruleSets = checkRuleSets(policy.groupRules, groups, checked);
  const hasHours = [checked, ...ruleSets.map((r) => r.rules)].some((list) => list.some((r) => r.window !== null));
  const zone = policy.timeZone === undefined ? null : timeZone(policy.timeZone, 'policy.timeZone');
  if (hasHours && zone === null) {
    throw new TypeError(
      "policy.timeZone is required with an outsideHours rule: name the zone its hours are in, e.g. 'Europe/Berlin' or 'UTC'",
    );
  }
  const users = checkUsers(trust.users, groups);
  const allGroups = [...users.groups, ...ruleSets.flatMap((r) => r.users.groups)];
  const addresses = strings(trust.clientAddresses, 'policy.trust.clientAddresses');
  const names = strings(trust.clientNames, 'policy.trust.clientNames');
  if (names.length > 0 && addresses.length === 0) {
    throw new RangeError(
      'policy.trust.clientNames only narrows policy.trust.clientAddresses: a client chooses its own name, so a name ' +
        'never trusts a client on its own; add the addresses those clients connect from',
    );
  }
  const result: CheckedPolicy = {
    users: users.patterns,
    trustGroups: users.groups,
    ruleSets,
    groupNeeds: {
      local: allGroups.some((g) => g.scope === 'local'),
      domain: allGroups.some((g) => g.scope === 'domain'),
    },
    groupRefreshMs:
      policy.groupRefresh === undefined
        ? DEFAULT_GROUP_REFRESH_MS
        : policyDuration(policy.groupRefresh, 'policy.groupRefresh'),
    timeZone: zone,
    clientAddresses: addressRanges(addresses, 'policy.trust.clientAddresses'),
    clientNames: names.map(namePattern),
    rules: checked,
    needsLockState: [checked, ...ruleSets.map((r) => r.rules)].some((list) =>
      list.some((r) => r.lockedAfterMs !== null),
    ),
    onAuditFailure: checkAuditFailure(policy.onAuditFailure),
    warnings: [
      ...userWarnings(trust, groups, policy.groups),
      ...ruleSetWarnings(policy.groupRules),
      ...rangeWarnings(addresses, 'policy.trust.clientAddresses'),
    ],
    hash: createHash('sha256').update(JSON.stringify(policy)).digest('hex'),
  };
  CHECKED.add(result);
  return result;
}

/**
 * Checks a policy, e.g. one parsed from a JSON file, and returns it typed. Unknown fields are errors, so that a
 * misspelt rule is not silently left unenforced.
 *
 * @throws TypeError or RangeError whose message starts with the field at fault, e.g.
 * `policy.rules.idle.after must look like '90s', '45m', '2h', '1d' or '1h30m', got "2 hours"`.
 */
export function validatePolicy(value: unknown): SessionPolicy {
  checkPolicy(value);
  return value as SessionPolicy;
}

/** A policy as given (checked now), or one {@link checkPolicy} made. */
export function toChecked(policy: unknown): CheckedPolicy {
  return CHECKED.has(policy as object) ? (policy as CheckedPolicy) : checkPolicy(policy);
}
