import type { MessageAnswer, RemoteClockOption, Session, WatchMode } from '../types.js';

/** What a rule does to a session: show a warning, disconnect it (its programs keep running) or sign its user out. */
export type PolicyActionKind = 'warn' | 'disconnect' | 'signOut';

/** A rule's action, in full. */
export interface PolicyActionSpec {
  /** What to do. */
  do: PolicyActionKind;
  /**
   * The warning shown: required for `'warn'`; with `grace`, the notice before the action (a default one is written
   * when omitted). Not allowed on an action without `grace`.
   */
  message?: string | undefined;
  /** Title of the warning box; default `'Session policy'`. */
  title?: string | undefined;
  /**
   * Warn first and act only when this much time has passed (text with a unit, such as `'5m'`; at least 1 s). Pressing
   * OK only acknowledges the notice: the action still waits for the end of the grace period, so that the user can save
   * their work. Only a user at an active desktop can see a warning: a session that is not active is acted on at once.
   * A notice Windows fails to show protects nobody: the action comes when the grace period, counted from the failed
   * attempt, ends (audited as `'warningFailed'`).
   */
  grace?: string | undefined;
  /**
   * Let the user take the action before the grace period ends: the notice gets Yes and No buttons, and Yes acts at
   * once (the default notice says so; a `message` of your own should too). Default `false`: OK only acknowledges.
   */
  early?: boolean | undefined;
}

/** A rule's action: `'warn'` needs a message, so it is only allowed in full form. */
export type PolicyAction = 'disconnect' | 'signOut' | PolicyActionSpec;

/** A rule that applies as soon as its condition holds. */
export interface PolicyRule {
  /** What happens to a session the rule applies to. */
  action: PolicyAction;
}

/** A rule with a time limit. */
export interface PolicyLimitRule extends PolicyRule {
  /**
   * The limit: text with a unit, such as `'30m'`, `'2h'`, `'1d'`; more than zero. A bare number is refused (`120`
   * would be 120 ms).
   */
  after: string;
}

/** The idle-time rule, for active sessions. */
export interface PolicyIdleRule extends PolicyLimitRule {
  /**
   * A limit for a session known to be locked ({@link Session.locked}); usually shorter than `after`. A session whose
   * lock state is unknown is judged by `after` alone.
   */
  lockedAfter?: string | undefined;
  /**
   * Also judge an active console session by its idle time, which Windows can leave stale while its user works
   * (see `FindIdleOptions.includeActiveConsole`). Default `false`.
   */
  includeActiveConsole?: boolean | undefined;
}

/** The time-of-day rule: sessions of its users outside the allowed hours. */
export interface PolicyHoursRule extends PolicyRule {
  /**
   * When its users may be signed in, on the wall clock of {@link SessionPolicy.timeZone} at the server's time:
   * `'Mon-Fri 07:00-19:00'`, or several windows separated by `;` (`'Mon-Fri 07:00-19:00; Sat 09:00-13:00'`). Days
   * are `Mon` ... `Sun`, single, as ranges (`Fri-Mon` wraps) or lists (`Mon,Wed`). The start minute is inside, the
   * end minute outside; an end before the start is on the next day (`'Fri 22:00-02:00'` ends Saturday 02:00).
   */
  allowed: string;
}

/** The rules of a {@link SessionPolicy}; each is optional. */
export interface PolicyRules {
  /** A session whose user is not trusted (see {@link PolicyTrust.users}). */
  untrustedUser?: PolicyRule | undefined;
  /**
   * A remote session whose client is not trusted: its address is in none of `trust.clientAddresses`, or (with
   * `trust.clientNames`) its name matches none of them. A session whose client address Windows did not give is never
   * judged by it.
   */
  untrustedClient?: PolicyRule | undefined;
  /** An active session idle for longer than the limit (an active console session only with `includeActiveConsole`). */
  idle?: PolicyIdleRule | undefined;
  /** A session disconnected for longer than the limit. */
  disconnected?: PolicyLimitRule | undefined;
  /** A session signed in for longer than the limit (measured on the server's clock). */
  sessionLength?: PolicyLimitRule | undefined;
  /**
   * A session outside its allowed hours (needs {@link SessionPolicy.timeZone}). A session whose server clock is
   * unknown is not judged by it.
   */
  outsideHours?: PolicyHoursRule | undefined;
}

/**
 * Rules for some users only (see {@link SessionPolicy.groupRules}): for a session whose user matches `users`, these
 * rules take the place of the top-level rules of the same name; the other top-level rules still apply.
 */
export interface PolicyRuleSet {
  /** A name for audit records and reasons; default `groupRules[i]`. */
  name?: string | undefined;
  /**
   * Whose sessions: entries as in {@link PolicyTrust.users} (`'DOMAIN\\user'`, `'@name'`, `'@ad:DOMAIN\\Group'`,
   * `'@local:Group'`).
   */
  users: readonly string[];
  /** The rules for them; at least one. */
  rules: PolicyRules;
}

/** Who and what a policy trusts. */
export interface PolicyTrust {
  /**
   * Trusted users: never acted on by any rule. Each entry is `'DOMAIN\\user'`, `'user'` (any domain),
   * `'@group'` (a name from {@link SessionPolicy.groups}); `*` and `?` are wildcards; case does not matter. Or a
   * Windows group, matched whole and without regard to case: `'@ad:CONTOSO\\RDS-Admins'` (a global group of the
   * user's own domain, read at a domain controller) or `'@local:Administrators'` (a local group of the session's
   * host, also through a domain group). A session whose membership cannot be read (access denied, user not found, a
   * host or domain controller out of reach) is never acted on: its row says `'skipped'` with `'ERR_TRUST_UNKNOWN'`.
   */
  users?: readonly string[] | undefined;
  /** Trusted client address ranges, IPv4 or IPv6, in CIDR form (`'10.0.0.0/8'`, `'2001:db8::/32'`) or single addresses. */
  clientAddresses?: readonly string[] | undefined;
  /**
   * Narrows `clientAddresses`: a client is then trusted only when its address is in a trusted range AND its computer
   * name matches one of these (`*` and `?` wildcards; case does not matter). The name is chosen by the client itself,
   * so it never trusts a client on its own: a policy with `clientNames` and no `clientAddresses` is refused.
   */
  clientNames?: readonly string[] | undefined;
}

/**
 * Who may be on a machine, from where, and for how long: the rules that keep untrusted users off. See
 * {@link planPolicy}, {@link enforcePolicy} and {@link runPolicyEnforcer}.
 *
 * @example
 * ```ts
 * const policy: SessionPolicy = {
 *   groups: { admins: ['CONTOSO\\alice', 'CONTOSO\\adm-*'] },
 *   trust: { users: ['@admins'], clientAddresses: ['10.0.0.0/8'] },
 *   rules: {
 *     untrustedClient: { action: { do: 'signOut', grace: '2m', message: 'Sign-ins from outside are not allowed.' } },
 *     idle: { after: '2h', lockedAfter: '30m', action: 'disconnect' },
 *     disconnected: { after: '8h', action: 'signOut' },
 *   },
 * }
 * ```
 */
export interface SessionPolicy {
  /** Named lists of user patterns, referred to as `'@name'` in {@link PolicyTrust.users}. */
  groups?: Readonly<Record<string, readonly string[]>> | undefined;
  /** Who and what is trusted. */
  trust?: PolicyTrust | undefined;
  /** The rules; at least one. */
  rules: PolicyRules;
  /**
   * What happens while audit records cannot be written (a missing folder, a full disk): `'hold'` (the default) does
   * nothing that could not be recorded first, and tries again at the next check; `'act'` acts anyway, and reports
   * each record lost (in the row's `auditError`). Either way every failure is reported.
   */
  onAuditFailure?: 'hold' | 'act' | undefined;
  /**
   * Rules for some users (e.g. `@ad:CONTOSO\\Contractors`), tried in order: the first whose `users` match a
   * session applies to it (put the narrower ones first); a session none matches gets the top-level rules. A
   * session whose membership of a group named before its match cannot be read is never acted on.
   */
  groupRules?: readonly PolicyRuleSet[] | undefined;
  /**
   * The IANA time zone (`'Europe/Berlin'`, `'UTC'`) that `allowed` hours are read in, at the server's time;
   * required with an `outsideHours` rule. The host's own zone is never assumed.
   */
  timeZone?: string | undefined;
  /** How long a group membership read is used before it is read again (text with a unit); default `'5m'`. */
  groupRefresh?: string | undefined;
}

/** Something in a policy that is allowed but most likely not what its writer meant; see {@link policyWarnings}. */
export interface PolicyWarning {
  /** The field at fault, e.g. `'policy.trust.users[2]'` or `'policy.rules.idle.lockedAfter'`. */
  field: string;
  /** What is wrong and what to write instead; starts with the field. */
  message: string;
}

/** Options of {@link policyWarnings}. */
export interface PolicyWarningsOptions {
  /** The hosts the policy is for (`null` for this machine), as given to `enforcePolicy`; default `[null]`. */
  servers?: readonly (string | null)[] | undefined;
}

/** The name of a rule of {@link PolicyRules}. */
export type PolicyRuleName = keyof PolicyRules;

/** One action a policy takes on one session, and why; see {@link planPolicy}. */
export interface PolicyDecision {
  /** The session, as it was read. */
  session: Session;
  /** The rule whose action is taken (the strongest action of the rules that apply). */
  rule: PolicyRuleName;
  /** Every rule that applies, in the order of {@link PolicyRules}. */
  rules: PolicyRuleName[];
  /** What is done. */
  action: PolicyActionKind;
  /** Grace period before a disconnect or sign-out, in ms; `null` for none. */
  graceMs: number | null;
  /** The warning text, for `'warn'` and for an action with a grace period; else `null`. */
  message: string | null;
  /** The warning box's title. */
  title: string;
  /** Why, in words: e.g. `'idle for 2 h 5 min (limit 2 h)'`. */
  reason: string;
  /** The `groupRules` entry whose rule applied (its name); `null` for a top-level rule. */
  ruleSet?: string | null | undefined;
  /** For `outsideHours`: the allowed hours and their time zone, e.g. `'Mon-Fri 07:00-19:00 (Europe/Berlin)'`. */
  window?: string | null | undefined;
  /**
   * Set when the user's group membership could not be read, so that trust (or which rules apply) is unknown: the
   * decision is then never acted on (outcome `'skipped'`, `skipReason` `'ERR_TRUST_UNKNOWN'`); `rule` and `action`
   * say what would apply to the user if they were in none of the groups. The error says why (e.g.
   * `ERROR_ACCESS_DENIED`, `NERR_UserNotFound`). A signed-in session whose user Windows would not name (its
   * `partial` names `userName`) is reported the same way, with code and `skipReason` `'ERR_USER_UNKNOWN'`.
   */
  trustUnknown?: Error | undefined;
}

/** What enforcing a decision came to. */
export type PolicyOutcome = 'warned' | 'disconnected' | 'signedOut' | 'dryRun' | 'skipped' | 'failed';

/** One row of {@link enforcePolicy}'s report: a session acted on (or not), or a host that could not be read. */
export interface PolicyRow {
  /** The host; `null` for the local machine. */
  server: string | null;
  /** The session; `null` for a host that could not be listed. */
  sessionId: number | null;
  /** The session's user, as listed. */
  userName: string | null;
  /** The user's domain, as listed. */
  domain: string | null;
  /** The remote client's computer name, as listed. */
  clientName: string | null;
  /** The remote client's address, as listed. */
  clientAddress: string | null;
  /** When the user signed in, as listed (with user and domain, what tells this sign-in from a later one). */
  logonTime: Date | null;
  /** The rule applied; `null` for a host row. */
  rule: PolicyRuleName | null;
  /** The action taken (or that would be); `null` for a host row. */
  action: PolicyActionKind | null;
  /** Why the rule applied. */
  reason: string | null;
  /** What came of it. */
  outcome: PolicyOutcome;
  /**
   * The user's answer to the grace-period warning: `'ok'` (acknowledged; the action still waited for the end of the
   * grace period), `'yes'` (acted early, with `early`), `'no'`, or `'timeout'` (the box closed itself); `null` when
   * there was none or it could not be shown.
   */
  answer: MessageAnswer | null;
  /**
   * For `'skipped'`: the refusal code (e.g. `'ERR_SESSION_CHANGED'`), `'ERR_POLICY_NO_LONGER_APPLIES'`,
   * `'ERR_TRUST_UNKNOWN'`, `'ERR_USER_UNKNOWN'` or `'ABORT_ERR'`.
   */
  skipReason?: string | undefined;
  /** For `'failed'`: what failed; for `'skipped'`: the refusal (a SessionRefusedError or an AbortError). */
  error?: Error | undefined;
  /** Why the grace-period notice could not be shown (the action then came when the grace period ended). */
  warningError?: Error | undefined;
  /**
   * The first audit record of this action that could not be written (code `ERR_POLICY_AUDIT_FAILED`, the cause
   * attached): before acting only with `onAuditFailure: 'act'` (under `'hold'` the row is `'failed'` instead), or the
   * record of what came of it.
   */
  auditError?: Error | undefined;
}

/**
 * One line of the audit log: a decision (written before anything is done) or what came of it.
 * `outcome` is `'decided'` before acting, `'dryRun'`, `'warning'` when a grace period starts, `'warningFailed'` when
 * its notice could not be shown, one of {@link PolicyOutcome} after, `'hostDown'` / `'hostUp'` for a host that
 * stopped or started answering, `'start'` / `'stop'` around each run, of `enforcePolicy` and of the running enforcer,
 * and `'reload'` when the running enforcer puts a new version of the policy in force (each with `policyHash`).
 */
export interface AuditRecord {
  /** When, as ISO 8601 text (this machine's clock). */
  time: string;
  /** The host; `null` for the local machine. */
  host: string | null;
  /** The session id; `null` for a record about a host. */
  session: number | null;
  /** `'DOMAIN\\user'`, or the user name alone when there is no domain. */
  user: string | null;
  /** The remote client, or `null` for none. */
  client: {
    /** Its computer name. */
    name: string | null;
    /** Its address. */
    address: string | null;
  } | null;
  /** The rule that applied. */
  rule: PolicyRuleName | null;
  /** The action decided. */
  action: PolicyActionKind | null;
  /** Why the rule applied. */
  reason: string | null;
  /** The user's answer to a grace-period warning. */
  answer: MessageAnswer | null;
  /** Which step this record is; see above. */
  outcome:
    | 'decided'
    | 'warning'
    | 'warningFailed'
    | 'interrupted'
    | 'hostDown'
    | 'hostUp'
    | 'start'
    | 'stop'
    | 'reload'
    | PolicyOutcome;
  /** For a skip or a failure: its code and message. */
  error: {
    /** e.g. `'ERR_SESSION_CHANGED'`, `'ERROR_ACCESS_DENIED'`; `null` when the error had none. */
    code: string | null;
    /** The error's message. */
    message: string;
  } | null;
  /** On a session's records: when its user signed in (ISO 8601), what tells this sign-in from a later one. */
  logonTime?: string | null | undefined;
  /**
   * On `'warning'`: when its grace period ends (ISO 8601, this machine's clock). A running enforcer restarted before
   * then finds it here, marks the decision `'interrupted'`, and acts when that moment comes, without a second notice.
   */
  deadline?: string | undefined;
  /** The `groupRules` entry whose rule applied, when one did. */
  ruleSet?: string | undefined;
  /** For `outsideHours`: the allowed hours and their time zone. */
  window?: string | undefined;
  /** On `'start'` and `'stop'`: the SHA-256 of the policy as enforced (its JSON text), in hex. */
  policyHash?: string | undefined;
  /** On `'start'`: the policy's warnings ({@link policyWarnings}) for the hosts of the run. */
  warnings?: string[] | undefined;
}

/**
 * Where audit records go: a file path (appended to, one JSON object per line, each flushed to disk with fdatasync
 * before its step; a failed write is retried by opening the file again at the next record), a writable stream (the
 * same lines), or a function (awaited when it returns a promise). Each record is written before the step it records;
 * see {@link SessionPolicy.onAuditFailure} for what happens when it cannot be.
 */
export type AuditTarget = string | NodeJS.WritableStream | ((record: AuditRecord) => void | Promise<void>);

/** Options of {@link enforcePolicy}. */
export interface EnforcePolicyOptions extends RemoteClockOption {
  /** Hosts to enforce on; `null` or omitted is the local machine. Default `[null]`. */
  servers?: readonly (string | null)[] | undefined;
  /** Report what would be done, do nothing (no warnings either). */
  dryRun?: boolean | undefined;
  /** Where to write the audit log. */
  audit?: AuditTarget | undefined;
  /** Stops: grace periods end, nothing more is done, and the rows say `'skipped'` with `'ABORT_ERR'`. */
  signal?: AbortSignal | undefined;
  /** Sessions handled at once per host (grace periods wait in parallel); default 8. */
  concurrency?: number | undefined;
  /**
   * Act only on these decisions: the rows of a dry run that someone confirmed. A decision matches a row with the same
   * host, session, action and sign-in (user, domain, logon time); any other (a session that crossed a limit while the
   * question was up, an id that now holds someone else) is left alone, reported `'skipped'` with `skipReason`
   * `'ERR_NOT_CONFIRMED'`.
   */
  only?: readonly PolicyRow[] | undefined;
}

/** Options of {@link runPolicyEnforcer}. */
export interface RunPolicyEnforcerOptions extends EnforcePolicyOptions {
  /**
   * Longest time between two checks of a host (ms or text); default `'1m'`. A host is checked again sooner when a
   * session event (logon, connect, disconnect, ...) arrives, and when a time limit is due.
   */
  checkEvery?: number | string | undefined;
  /**
   * The longest wait before trying an unreachable host again; default `'30s'`. The first retry comes after 1 s and
   * each next one waits twice as long, up to this: at boot Remote Desktop Services refuses calls until it is ready.
   */
  retryEvery?: number | string | undefined;
  /**
   * Called with each row as an action ends, and with a `'failed'` row (no session; `error` says why) when an audit
   * record of a host could not be written.
   */
  onRow?: ((row: PolicyRow) => void) | undefined;
  /** How often a host beyond the wait threads is listed; see {@link WatchMode}. Default 5 s. */
  pollEvery?: number | string | undefined;
  /** Told how each host's events are followed (`'watched'` or `'polled'`), when its watch opens and if that changes. */
  onMode?: ((mode: WatchMode) => void) | undefined;
  /**
   * New versions of the policy, without a restart (e.g. each time its file changes: `policy enforce` watches its
   * file). Each is checked first: a valid one is in force at once on every host (audited as `'reload'` with its
   * hash; what was already decided under the old one finishes as decided); an invalid one changes nothing. Ends with
   * the run.
   */
  reload?: AsyncIterable<unknown> | undefined;
  /** Told of each version `reload` gave: `null` and its hash when it is in force, or why it was refused. */
  onReload?: ((error: Error | null, policyHash: string) => void) | undefined;
  /**
   * Hosts to check at once, out of turn: each value names one of `servers` (`null` for this machine), e.g. when the
   * service is told of a session change. Read until the run ends.
   */
  checkNow?: AsyncIterable<string | null> | undefined;
  /**
   * Given each audit record once it is written (`error` null), or could not be (`error` says why): a second place
   * for the records, such as the Event Log. What it throws is ignored.
   */
  copyAudit?: ((record: AuditRecord, error: Error | null) => void) | undefined;
}
