import type { Command } from '../context.js';
import { CliRefusal, EXIT } from '../exit-codes.js';
import { hostName, hostsJson, readHosts, reportFailedHosts } from '../hosts.js';
import { atMostPositionals, sessionIdArg, UsageError } from '../parse-args.js';
import { table, toJson } from '../table.js';
import { onServer } from '../targets.js';
import { formatBytes, formatCpu, intervalFlag, PROCESSORS_FLAG, processorsFlag } from '../usage-columns.js';
import type { ProcessInfo, ProcessUsageRow } from '../../types.js';

/** `--sort` of `processes --usage`: most CPU first (default), or most memory (working set) first. */
const SORTS = {
  cpu: (a: ProcessUsageRow, b: ProcessUsageRow) =>
    b.cpuMs - a.cpuMs || b.usage.workingSetBytes - a.usage.workingSetBytes,
  memory: (a: ProcessUsageRow, b: ProcessUsageRow) =>
    b.usage.workingSetBytes - a.usage.workingSetBytes || b.cpuMs - a.cpuMs,
};

export const processes: Command = {
  summary: 'list processes with their session and owner (like qprocess)',
  usage:
    'processes [<pid>] [--session <id>] [--user <name>] [--usage [--sort cpu|memory] [--interval <duration>]] [--json]',
  manyHosts: true,
  flags: {
    session: { kind: 'string', help: "only this session's processes" },
    user: { kind: 'string', help: "only this user's processes (any case)" },
    usage: { kind: 'boolean', help: 'add CPU, memory (working set), handles and threads, busiest first' },
    sort: { kind: 'string', help: "with --usage: 'cpu' (default) or 'memory', the most first" },
    interval: { kind: 'string', help: "with --usage: how long CPU is measured over (default '1s')" },
    processors: PROCESSORS_FLAG,
  },
  async run(ctx) {
    const { args, client, json, out } = ctx;
    atMostPositionals(args, 1);
    // As with qprocess, a bare number is a process id; the session goes by --session.
    const pidText = args.positionals[0];
    if (pidText !== undefined && !/^\d{1,10}$/.test(pidText))
      throw new UsageError(`a process id must be a whole number, got ${JSON.stringify(pidText)}`);
    const pid = pidText === undefined ? undefined : Number(pidText);
    const session = args.flags.session;
    const sessionId = session === undefined ? undefined : sessionIdArg(session as string, '--session');
    const user = typeof args.flags.user === 'string' ? args.flags.user.toLowerCase() : undefined;
    const withUsage = args.flags.usage === true;
    if ((args.flags.sort ?? args.flags.interval ?? args.flags.processors) !== undefined && !withUsage)
      throw new UsageError('--sort, --interval and --processors go with --usage');
    const sort = args.flags.sort ?? 'cpu';
    if (sort !== 'cpu' && sort !== 'memory') throw new UsageError("--sort must be 'cpu' or 'memory'");
    const interval = intervalFlag(args.flags.interval);
    const processors = processorsFlag(args.flags.processors);
    const list = async (server: string | null): Promise<ProcessInfo[]> => {
      if (!withUsage) return client.listProcesses({ server, sessionId });
      const report = await client.getSessionUsage({ server, interval, signal: ctx.signal, ...processors });
      return report.processes.filter((p) => sessionId === undefined || p.sessionId === sessionId).sort(SORTS[sort]);
    };
    const reads = await readHosts(ctx, async (server) => {
      const found = (await list(server)).filter(
        (p) => (pid === undefined || p.pid === pid) && (user === undefined || p.userName?.toLowerCase() === user),
      );
      // Nothing in a session that is not there: say so, rather than print an empty table.
      if (found.length === 0 && sessionId !== undefined && !(await client.getSession(sessionId, { server })))
        throw new CliRefusal('ERR_NO_SUCH_SESSION', `No session ${sessionId}${onServer(server)}.`);
      return found;
    });
    const many = ctx.servers.length > 1;
    const failed = reportFailedHosts(ctx, reads);
    const rows = reads.flatMap((r) => (r.ok ? r.value.map((p) => ({ server: r.server, p })) : []));
    if (json) {
      out(toJson(many ? hostsJson(reads, 'processes') : rows.map((r) => r.p)));
      return failed ? EXIT.partial : EXIT.ok;
    }
    if (rows.length === 0 && reads.some((r) => r.ok)) {
      const what = [
        pid === undefined ? 'No process' : `No process ${pid}`,
        sessionId === undefined ? '' : ` in session ${sessionId}`,
        user === undefined ? '' : ` of user ${args.flags.user as string}`,
      ].join('');
      // A process asked for by id that is not there is refused, as qprocess does; an empty session is an answer.
      if (pid !== undefined)
        throw new CliRefusal(
          'ERR_NO_SUCH_PROCESS',
          `${what}${many ? ` on ${ctx.servers.map(hostName).join(', ')}` : onServer(ctx.server)} (a bare number is a process id; --session <id> lists a session's).`,
        );
      out(`${what}.`);
      return failed ? EXIT.partial : EXIT.ok;
    }
    if (rows.length > 0)
      out(
        table(
          [
            ...(many ? ['SERVER'] : []),
            'PID',
            'SESSION',
            'USER',
            ...(withUsage ? ['CPU', 'MEMORY', 'HANDLES', 'THREADS'] : []),
            'IMAGE',
          ],
          rows.map(({ server, p }) => [
            ...(many ? [hostName(server)] : []),
            String(p.pid),
            String(p.sessionId),
            p.userName ? `${p.domain ? `${p.domain}\\` : ''}${p.userName}` : (p.userSid ?? '-'),
            ...(withUsage ? usageCells(p as ProcessUsageRow) : []),
            p.name,
          ]),
        ),
      );
    return failed ? EXIT.partial : EXIT.ok;
  },
};

/** CPU, MEMORY, HANDLES and THREADS of a process over the measured interval. */
function usageCells(p: ProcessUsageRow): string[] {
  return [formatCpu(p), formatBytes(p.usage.workingSetBytes), String(p.usage.handles), String(p.usage.threads)];
}
