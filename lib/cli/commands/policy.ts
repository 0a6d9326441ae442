import { readFileSync } from 'node:fs';
import { parseDuration } from '../../duration.js';
import { accountName, decide } from '../../policy/plan.js';
import { toChecked } from '../../policy/check-policy.js';
import { membershipsFor } from '../../policy/enforce-policy.js';
import type { PolicyDecision, PolicyRow, SessionPolicy } from '../../policy/policy-types.js';
import { validatePolicy } from '../../policy/check-policy.js';
import { printable } from '../printable.js';
import { policyWarnings } from '../../policy/policy-warnings.js';
import { confirmAction } from '../confirm.js';
import type { Command, CommandContext } from '../context.js';
import { EXIT } from '../exit-codes.js';
import { reportMode } from '../hosts.js';
import { atMostPositionals, UsageError } from '../parse-args.js';
import { eventTime, table, toJson } from '../table.js';
import { policyFileVersions } from '../watch-policy-file.js';

/** Reads and checks a policy file; its errors name the file and the field. */
function readPolicy(path: string | undefined): SessionPolicy {
  if (path === undefined) throw new UsageError('a policy file is required: policy check <policy.json>');
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new UsageError(`cannot read ${path}: ${(error as Error).message}`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new UsageError(`${path} is not JSON: ${(error as Error).message}`);
  }
  try {
    return validatePolicy(parsed);
  } catch (error) {
    throw new UsageError(`${path}: ${(error as Error).message}`);
  }
}

const client = (r: PolicyRow) => r.clientAddress ?? r.clientName ?? '-';
const outcome = (r: PolicyRow) => {
  // Unknown trust says why: which membership (or user name) Windows would not give.
  if (r.skipReason === 'ERR_TRUST_UNKNOWN' || r.skipReason === 'ERR_USER_UNKNOWN')
    return `skipped ${r.skipReason}: ${r.error?.message ?? ''}`;
  if (r.outcome === 'skipped') return `skipped ${r.skipReason ?? ''}`.trim();
  if (r.outcome === 'failed') {
    const code = (r.error as { code?: unknown } | undefined)?.code;
    return `failed ${typeof code === 'string' ? code : (r.error?.name ?? '')}: ${r.error?.message ?? ''}`;
  }
  return r.answer ? `${r.outcome} (answer ${r.answer})` : r.outcome;
};

/** Who and what a row is about: HOST, ID, USER, CLIENT, RULE, ACTION (both tables start with these). */
const decisionCells = (r: PolicyRow): string[] => [
  r.server ?? '.',
  r.sessionId === null ? '-' : String(r.sessionId),
  accountName(r) ?? '-',
  client(r),
  r.rule ?? '-',
  r.action ?? '-',
];

function rowsTable(rows: readonly PolicyRow[], withOutcome: boolean): string {
  const head = ['HOST', 'ID', 'USER', 'CLIENT', 'RULE', 'ACTION', 'REASON'];
  return table(
    withOutcome ? [...head, 'OUTCOME'] : head,
    rows.map((r) => {
      const cells = [
        ...decisionCells(r),
        // A host's failure is its outcome; the REASON column repeats it only where there is no OUTCOME column.
        r.reason ?? (r.sessionId === null && !withOutcome ? outcome(r) : '-'),
      ];
      return withOutcome ? [...cells, outcome(r)] : cells;
    }),
  );
}

/** A running enforcer's columns, each as wide as its widest usual value: rows printed one by one line up. */
const STREAM_COLUMNS = [
  ['TIME', 19], // local time; the ISO text of --utc is 24
  ['HOST', 15],
  ['ID', 6],
  ['USER', 24],
  ['CLIENT', 15],
  ['RULE', 16],
  ['ACTION', 10],
  ['OUTCOME', 10],
  ['DETAIL', 0],
] as const;

/**
 * One line of a running enforcer (or, for `null`, its header): fixed columns, the host's error or the reason last.
 * A value longer than its column pushes the rest of its own line only.
 */
function streamedRow(r: PolicyRow | null, utc: boolean): string {
  const cells = r
    ? [
        eventTime(new Date(), utc),
        ...decisionCells(r),
        r.outcome,
        r.outcome === 'failed' || r.outcome === 'skipped'
          ? outcome(r).replace(/^\S+ ?/, '')
          : r.answer
            ? `answer ${r.answer}`
            : (r.reason ?? ''),
      ]
    : STREAM_COLUMNS.map(([name]) => name);
  const width = (i: number) => (i === 0 && utc ? 24 : STREAM_COLUMNS[i]![1]);
  return cells
    .map(printable)
    .map((c, i) => (i === cells.length - 1 ? c : c.padEnd(width(i))))
    .join('  ')
    .trimEnd();
}

function printRows(ctx: CommandContext, rows: readonly PolicyRow[], withOutcome: boolean, none: string): void {
  if (ctx.json) ctx.out(toJson(rows));
  else ctx.out(rows.length ? rowsTable(rows, withOutcome) : none);
}

/** The policy's warnings (patterns that never match, ranges that trust everyone, rules that cannot apply), on stderr. */
function printWarnings(ctx: CommandContext, policy: SessionPolicy): void {
  for (const warning of policyWarnings(policy, { servers: ctx.servers })) ctx.err(`warning: ${warning.message}`);
}

/**
 * The verdict on the session this command runs in, which a policy never acts on from itself: checked from an RDP
 * session, "nothing would be done" would hide that the same policy, run as a service, signs its author out.
 */
async function ownSessionVerdict(ctx: CommandContext, policy: SessionPolicy): Promise<PolicyDecision | null> {
  if (!ctx.servers.includes(null)) return null;
  const own = (await ctx.client.listSessions().catch(() => [])).find((s) => s.isCurrent);
  if (!own) return null;
  // Its group memberships, read as the enforcer would read them.
  const checked = toChecked(policy);
  const mine = { ...own, isCurrent: false };
  const groupsOf = await membershipsFor(ctx.client.backend, checked).forSessions([mine], null, checked.groupNeeds);
  return decide(checked, mine, Date.now(), groupsOf);
}

/** Opted in only: a remote host's times measured on this machine's clock are off by the clocks' difference. */
function callerClock(ctx: CommandContext): { remoteClock?: 'caller' } {
  return ctx.args.flags['caller-clock'] === true ? { remoteClock: 'caller' } : {};
}

async function check(ctx: CommandContext, policy: SessionPolicy): Promise<number> {
  printWarnings(ctx, policy);
  const rows = await ctx.client.enforcePolicy(policy, {
    servers: ctx.servers,
    dryRun: true,
    signal: ctx.signal,
    ...callerClock(ctx),
  });
  const own = await ownSessionVerdict(ctx, policy);
  const ownRow: PolicyRow | null = own && {
    server: null,
    sessionId: own.session.id,
    userName: own.session.userName,
    domain: own.session.domain,
    clientName: own.session.clientName,
    clientAddress: own.session.clientAddress,
    logonTime: own.session.logonTime,
    rule: own.rule,
    action: own.action,
    reason: own.reason,
    outcome: 'skipped',
    answer: null,
    skipReason: 'ERR_OWN_SESSION',
  };
  if (ctx.json) {
    ctx.out(toJson(ownRow ? [...rows, ownRow] : rows));
  } else {
    // A session whose trust is unknown (a group membership Windows would not give) is shown with why it is left alone.
    printRows(
      ctx,
      rows,
      rows.some((r) => r.outcome !== 'dryRun'),
      'The policy is valid; nothing would be done.',
    );
    if (own?.trustUnknown) {
      ctx.out(`Your own session ${own.session.id}: ${printable(own.trustUnknown.message)}.`);
    } else if (own) {
      const done = { warn: 'warned', disconnect: 'disconnected', signOut: 'signed out' }[own.action];
      ctx.out(
        `Your own session ${own.session.id} is never acted on from itself; run from another session (a service), ` +
          `the policy would have it ${done}: ${printable(own.reason)}.`,
      );
    }
  }
  if (rows.some((r) => r.sessionId === null)) return EXIT.partial;
  return rows.length || own ? EXIT.planned : EXIT.ok;
}

async function enforce(ctx: CommandContext, policy: SessionPolicy, file: string): Promise<number> {
  const { flags } = ctx.args;
  const dryRun = flags['dry-run'] === true;
  const audit = typeof flags.audit === 'string' ? flags.audit : undefined;
  if (flags.audit === true) throw new UsageError('--audit needs a file name');
  if (flags['check-every'] === true) throw new UsageError('--check-every needs a duration');
  // Checked before anything is asked or started.
  const checkEvery =
    flags['check-every'] === undefined ? undefined : parseDuration(flags['check-every'], '--check-every');
  if (checkEvery !== undefined && flags.once)
    throw new UsageError('--check-every is for a running enforcer, not --once');
  const hosts = ctx.servers;
  printWarnings(ctx, policy);
  const where = hosts.map((h) => h ?? 'this machine').join(', ');
  const base = { servers: hosts, dryRun, audit, signal: ctx.signal, ...callerClock(ctx) };
  if (flags.once) {
    // What a person confirmed, and nothing else: a session that crosses a limit while the question is up is not it.
    let only: PolicyRow[] | undefined;
    if (!dryRun && !flags.yes) {
      const planned = await ctx.client.enforcePolicy(policy, { ...base, dryRun: true, audit: undefined });
      const acting = planned.filter((r) => r.sessionId !== null);
      if (acting.length === 0) {
        printRows(ctx, planned, true, `Nothing to do on ${where}.`);
        return planned.length ? EXIT.partial : EXIT.ok;
      }
      ctx.err(`The policy would act on ${where}:`);
      ctx.err(rowsTable(acting, false));
      const code = await confirmAction(
        ctx,
        `Act on these ${acting.length} session(s)? Unsaved work is lost.`,
        'Nothing done',
      );
      if (code !== null) return code;
      only = acting;
    }
    const rows = await ctx.client.enforcePolicy(policy, { ...base, only });
    printRows(ctx, rows, true, `Nothing to do on ${where}.`);
    return rows.some((r) => r.outcome === 'failed') ? EXIT.partial : EXIT.ok;
  }
  if (!dryRun && !flags.yes) {
    const code = await confirmAction(ctx, `Enforce this policy on ${where} until stopped?`, 'Not started');
    if (code !== null) return code;
  }
  ctx.err(`Enforcing the policy on ${where}${dryRun ? ' (dry run)' : ''}; Ctrl+C stops.`);
  const utc = flags.utc === true;
  if (!ctx.json) ctx.out(streamedRow(null, utc));
  const seen = { failed: false };
  // A new version of the file is in force at once; a broken one is said and changes nothing.
  const reload = policyFileVersions(
    file,
    readPolicy,
    (error) => {
      ctx.err(`warning: ${error.message}; the policy in force stays`);
    },
    ctx.signal,
  );
  await ctx.client.runPolicyEnforcer(policy, {
    ...base,
    checkEvery,
    reload,
    onReload: (error, hash) => {
      if (!error) ctx.err(`Policy reloaded from ${file} (sha256 ${hash.slice(0, 12)}).`);
      else ctx.err(`warning: ${error.message}; the policy in force stays`);
    },
    onMode: (m) => {
      reportMode(ctx, m);
    },
    onRow: (row) => {
      seen.failed ||= row.outcome === 'failed';
      if (ctx.json) ctx.out(JSON.stringify(JSON.parse(toJson(row))));
      else ctx.out(streamedRow(row, utc));
    },
  });
  return seen.failed ? EXIT.partial : EXIT.ok;
}

export const policy: Command = {
  summary: 'check a session policy (who may be on, from where, for how long) or enforce it',
  manyHosts: true,
  usage:
    'policy check <policy.json> [--caller-clock] [--json] | policy enforce <policy.json> [--once] [--dry-run] [--yes] [--audit <file>] [--check-every <duration>] [--caller-clock] [--utc]',
  flags: {
    once: { kind: 'boolean', help: 'enforce: act once and exit (default: keep enforcing until Ctrl+C or SIGTERM)' },
    'dry-run': { kind: 'boolean', help: 'enforce: report (and audit) what would be done, do nothing' },
    yes: { kind: 'boolean', short: 'y', help: 'enforce: do not ask for confirmation on this terminal' },
    audit: { kind: 'string', help: 'enforce: append a JSON line per decision and per outcome to this file' },
    'check-every': { kind: 'string', help: "enforce: longest time between two checks (default '1m')" },
    utc: { kind: 'boolean', help: 'enforce: times in UTC, as ISO text (default: local time)' },
    'caller-clock': {
      kind: 'boolean',
      help: "a remote host whose clock cannot be read: judge its times on this machine's clock (off: left alone)",
    },
  },
  async run(ctx) {
    const [sub, file] = ctx.args.positionals;
    atMostPositionals(ctx.args, 2);
    if (sub !== 'check' && sub !== 'enforce') {
      throw new UsageError(`policy needs check or enforce, got ${sub === undefined ? 'nothing' : JSON.stringify(sub)}`);
    }
    if (sub === 'check') {
      for (const flag of ['once', 'dry-run', 'yes', 'audit', 'check-every', 'utc']) {
        if (ctx.args.flags[flag] !== undefined) throw new UsageError(`--${flag} is for policy enforce`);
      }
      return check(ctx, readPolicy(file));
    }
    return enforce(ctx, readPolicy(file), file!);
  },
};
