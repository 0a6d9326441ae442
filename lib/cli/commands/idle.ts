import { formatDuration } from '../../duration.js';
import { SessionRefusedError } from '../../errors.js';
import type { IdleSweepRow } from '../../types.js';
import type { Command, CommandContext } from '../context.js';
import { describeError, EXIT, inFlagTerms } from '../exit-codes.js';
import { hostName, hostsJson, readHosts, reportFailedHosts } from '../hosts.js';
import { confirmAction } from '../confirm.js';
import { atMostPositionals, secondsArg, UsageError } from '../parse-args.js';
import { onServer } from '../targets.js';
import { table, toJson } from '../table.js';
import { sessionTable } from './list.js';
import { formatBytes, workingSets } from '../usage-columns.js';

export const idle: Command = {
  summary: 'list sessions idle for a while, or sign them out with --logoff',
  manyHosts: true,
  usage:
    'idle --for <duration> [--include-console] [--caller-clock] [--logoff [--yes] [--dry-run] [--ask "<message>" [--timeout <s>]] [--exclude a,b]] [--json]',
  flags: {
    for: { kind: 'string', help: "minimum idle time, e.g. '45m', '2h', '1d', '1h30m'" },
    logoff: { kind: 'boolean', help: 'sign the idle sessions out' },
    'dry-run': { kind: 'boolean', help: 'with --logoff: report what would be done' },
    yes: { kind: 'boolean', short: 'y', help: 'with --logoff: do not ask for confirmation on this terminal' },
    ask: { kind: 'string', help: 'with --logoff: ask each active user first' },
    timeout: { kind: 'string', help: 'seconds each question stays up (default 60)' },
    'on-timeout': { kind: 'string', help: "what no answer means: 'keep' (default) or 'logoff'" },
    exclude: { kind: 'string', help: 'comma-separated user names or session ids to leave alone' },
    'caller-clock': {
      kind: 'boolean',
      help: "a remote host whose clock cannot be read: judge its idle times on this machine's clock (off: left alone)",
    },
    'include-console': {
      kind: 'boolean',
      help: 'also judge an active console session by its idle time, which Windows can leave stale while its user works (off: it is left alone)',
    },
  },
  async run(ctx) {
    const { args, client, server, json, out } = ctx;
    atMostPositionals(args, 0);
    const idleFor = args.flags.for;
    if (typeof idleFor !== 'string') throw new UsageError('--for <duration> is required');
    const includeActiveConsole = args.flags['include-console'] === true;
    // Opted in only: a remote host's idle time measured on this machine's clock is off by the clocks' difference.
    const clock = args.flags['caller-clock'] === true ? { remoteClock: 'caller' as const } : {};
    if (!args.flags.logoff) {
      const reads = await readHosts(ctx, (host) =>
        client.findIdleSessions({ server: host, idleFor, includeActiveConsole, ...clock }),
      );
      const many = ctx.servers.length > 1;
      const failed = reportFailedHosts(ctx, reads);
      const rows = reads.flatMap((r) => (r.ok ? r.value.map((session) => ({ server: r.server, session })) : []));
      const where = many
        ? ` on ${reads
            .filter((r) => r.ok)
            .map((r) => hostName(r.server))
            .join(', ')}`
        : onServer(server);
      if (json) out(toJson(many ? hostsJson(reads, 'sessions') : rows.map((r) => r.session)));
      else if (rows.length) out(sessionTable(rows, false, many));
      else if (reads.some((r) => r.ok)) out(`No session is idle for ${idleFor}${where}.`);
      return failed ? EXIT.partial : EXIT.ok;
    }
    if (ctx.servers.length > 1)
      throw new UsageError('idle --logoff signs out on one host at a time; --server takes one name with --logoff');
    const dryRun = args.flags['dry-run'] === true;
    const exclude =
      typeof args.flags.exclude === 'string'
        ? args.flags.exclude
            .split(',')
            .filter(Boolean)
            .map((x) => (/^\d+$/.test(x) ? Number(x) : x))
        : undefined;
    const sweep = {
      server,
      idleFor,
      includeActiveConsole,
      ...clock,
      exclude,
      signal: ctx.signal,
      ask:
        typeof args.flags.ask === 'string'
          ? {
              message: args.flags.ask,
              timeoutSeconds: secondsArg(args.flags.timeout, 'timeout'),
              onTimeout: args.flags['on-timeout'] as 'keep' | 'logoff' | undefined,
            }
          : undefined,
    };
    if (!dryRun && !args.flags.yes) {
      // The question names everyone it is about: a dry run of the same sweep, then the answer.
      const planned = (await client.logoffIdle({ ...sweep, dryRun: true })).filter((r) => r.outcome === 'dryRun');
      if (planned.length === 0) {
        out(`No session is idle for ${idleFor}${onServer(server)}.`);
        return EXIT.ok;
      }
      ctx.err(`Idle for ${idleFor}${onServer(server)}, to be signed out${sweep.ask ? ' (each is asked first)' : ''}:`);
      ctx.err(
        table(
          ['ID', 'USERNAME', 'IDLE'],
          planned.map((r) => [String(r.sessionId), r.userName ?? '-', formatDuration(r.idleMs)]),
        ),
      );
      const code = await confirmAction(
        ctx,
        `Sign out these ${planned.length} session(s)? Unsaved work is lost.`,
        'Nobody signed out',
      );
      if (code !== null) return code;
    }
    const report = await client.logoffIdle({ ...sweep, dryRun });
    // A dry run says what each sign-out would give back: the working sets of the session's processes now.
    const freed = dryRun && report.length ? await memoryHeld(ctx, server) : undefined;
    const memory = (r: IdleSweepRow) => (freed ? (freed.get(r.sessionId) ?? 0) : null);
    out(
      json
        ? toJson(freed ? report.map((r) => ({ ...r, workingSetBytes: memory(r) })) : report)
        : report.length
          ? table(
              ['ID', 'USERNAME', 'IDLE', 'OUTCOME', ...(dryRun ? ['MEMORY'] : []), 'DETAIL'],
              report.map((r) => [
                String(r.sessionId),
                r.userName ?? '-',
                formatDuration(r.idleMs),
                r.outcome,
                ...(dryRun ? [formatBytes(memory(r))] : []),
                skipDetail(r),
              ]),
            )
          : `No session is idle for ${idleFor}${onServer(server)}.`,
    );
    return report.some((r) => r.outcome === 'failed') ? EXIT.partial : EXIT.ok;
  },
};

/** A table row's DETAIL: the skip reason (with the refusal's words), or what failed. */
function skipDetail(r: IdleSweepRow): string {
  if (r.reason)
    return r.error instanceof SessionRefusedError ? `${r.reason}: ${inFlagTerms(r.error.detail)}` : r.reason;
  if (!r.error) return '';
  const { code, message } = describeError(r.error);
  return `${code}: ${message}`;
}

/** Each session's processes' working sets; `undefined` (said on stderr) when Windows would not list them. */
async function memoryHeld(ctx: CommandContext, server: string | null): Promise<Map<number, number> | undefined> {
  try {
    return await workingSets(ctx.client, server);
  } catch (error) {
    const { code, message } = describeError(error);
    ctx.err(`Memory held is unknown: listing the processes failed (${code}: ${message}).`);
    return undefined;
  }
}
