import { readFileSync } from 'node:fs';
import { parseDuration } from '../../duration.js';
import { accountName } from '../../policy/plan.js';
import type { PolicyRow, SessionPolicy } from '../../policy/policy-types.js';
import { validatePolicy } from '../../policy/check-policy.js';
import { checkServer } from '../../validate.js';
import { confirmAction } from '../confirm.js';
import type { Command, CommandContext } from '../context.js';
import { EXIT } from '../exit-codes.js';
import { atMostPositionals, UsageError } from '../parse-args.js';
import { table, toJson } from '../table.js';

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

/** `--server a,b`: the hosts, or this machine alone. */
function servers(ctx: CommandContext): (string | null)[] {
  const flag = ctx.args.flags.server;
  if (typeof flag !== 'string') return [ctx.server];
  return flag.split(',').map((name) => {
    if (name.trim() === '') throw new UsageError('--server has an empty host name in its list');
    return checkServer(name);
  });
}

const client = (r: PolicyRow) => r.clientAddress ?? r.clientName ?? '-';
const outcome = (r: PolicyRow) => {
  if (r.outcome === 'skipped') return `skipped ${r.skipReason ?? ''}`.trim();
  if (r.outcome === 'failed') {
    const code = (r.error as { code?: unknown } | undefined)?.code;
    return `failed ${typeof code === 'string' ? code : (r.error?.name ?? '')}: ${r.error?.message ?? ''}`;
  }
  return r.answer ? `${r.outcome} (answer ${r.answer})` : r.outcome;
};

function rowsTable(rows: readonly PolicyRow[], withOutcome: boolean): string {
  const head = ['HOST', 'ID', 'USER', 'CLIENT', 'RULE', 'ACTION', 'REASON'];
  return table(
    withOutcome ? [...head, 'OUTCOME'] : head,
    rows.map((r) => {
      const cells = [
        r.server ?? '.',
        r.sessionId === null ? '-' : String(r.sessionId),
        accountName(r) ?? '-',
        client(r),
        r.rule ?? '-',
        r.action ?? '-',
        r.reason ?? (r.sessionId === null ? outcome(r) : '-'),
      ];
      return withOutcome ? [...cells, outcome(r)] : cells;
    }),
  );
}

function printRows(ctx: CommandContext, rows: readonly PolicyRow[], withOutcome: boolean, none: string): void {
  if (ctx.json) ctx.out(toJson(rows));
  else ctx.out(rows.length ? rowsTable(rows, withOutcome) : none);
}

async function check(ctx: CommandContext, policy: SessionPolicy): Promise<number> {
  const rows = await ctx.client.enforcePolicy(policy, { servers: servers(ctx), dryRun: true, signal: ctx.signal });
  printRows(ctx, rows, false, 'The policy is valid; nothing would be done.');
  if (rows.some((r) => r.sessionId === null)) return EXIT.partial;
  return rows.length ? EXIT.planned : EXIT.ok;
}

async function enforce(ctx: CommandContext, policy: SessionPolicy): Promise<number> {
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
  const hosts = servers(ctx);
  const where = hosts.map((h) => h ?? 'this machine').join(', ');
  const base = { servers: hosts, dryRun, audit, signal: ctx.signal };
  if (flags.once) {
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
    }
    const rows = await ctx.client.enforcePolicy(policy, base);
    printRows(ctx, rows, true, `Nothing to do on ${where}.`);
    return rows.some((r) => r.outcome === 'failed') ? EXIT.partial : EXIT.ok;
  }
  if (!dryRun && !flags.yes) {
    const code = await confirmAction(ctx, `Enforce this policy on ${where} until stopped?`, 'Not started');
    if (code !== null) return code;
  }
  ctx.err(`Enforcing the policy on ${where}${dryRun ? ' (dry run)' : ''}; Ctrl+C stops.`);
  const seen = { failed: false };
  await ctx.client.runPolicyEnforcer(policy, {
    ...base,
    checkEvery,
    onRow: (row) => {
      seen.failed ||= row.outcome === 'failed';
      if (ctx.json) ctx.out(JSON.stringify(JSON.parse(toJson(row))));
      else ctx.out(`${new Date().toISOString()}  ${rowsTable([row], true).split('\n')[1]!}`);
    },
  });
  return seen.failed ? EXIT.partial : EXIT.ok;
}

export const policy: Command = {
  summary: 'check a session policy (who may be on, from where, for how long) or enforce it',
  usage:
    'policy check <policy.json> [--server a,b] [--json] | policy enforce <policy.json> [--once] [--dry-run] [--yes] [--audit <file>] [--check-every <duration>] [--server a,b]',
  flags: {
    once: { kind: 'boolean', help: 'enforce: act once and exit (default: keep enforcing until Ctrl+C or SIGTERM)' },
    'dry-run': { kind: 'boolean', help: 'enforce: report (and audit) what would be done, do nothing' },
    yes: { kind: 'boolean', short: 'y', help: 'enforce: do not ask for confirmation on this terminal' },
    audit: { kind: 'string', help: 'enforce: append a JSON line per decision and per outcome to this file' },
    'check-every': { kind: 'string', help: "enforce: longest time between two checks (default '1m')" },
  },
  async run(ctx) {
    const [sub, file] = ctx.args.positionals;
    atMostPositionals(ctx.args, 2);
    if (sub !== 'check' && sub !== 'enforce') {
      throw new UsageError(`policy needs check or enforce, got ${sub === undefined ? 'nothing' : JSON.stringify(sub)}`);
    }
    if (sub === 'check') {
      for (const flag of ['once', 'dry-run', 'yes', 'audit', 'check-every']) {
        if (ctx.args.flags[flag] !== undefined) throw new UsageError(`--${flag} is for policy enforce`);
      }
      return check(ctx, readPolicy(file));
    }
    return enforce(ctx, readPolicy(file));
  },
};
