import type { Command } from '../context.js';
import { CliRefusal, EXIT } from '../exit-codes.js';
import { hostName, hostsJson, readHosts, reportFailedHosts } from '../hosts.js';
import { atMostPositionals, sessionIdArg, UsageError } from '../parse-args.js';
import { table, toJson } from '../table.js';
import { onServer } from '../targets.js';

export const processes: Command = {
  summary: 'list processes with their session and owner (like qprocess)',
  usage: 'processes [<pid>] [--session <id>] [--user <name>] [--json]',
  manyHosts: true,
  flags: {
    session: { kind: 'string', help: "only this session's processes" },
    user: { kind: 'string', help: "only this user's processes (any case)" },
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
    const reads = await readHosts(ctx, async (server) => {
      const found = (await client.listProcesses({ server, sessionId })).filter(
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
          [...(many ? ['SERVER'] : []), 'PID', 'SESSION', 'USER', 'IMAGE'],
          rows.map(({ server, p }) => [
            ...(many ? [hostName(server)] : []),
            String(p.pid),
            String(p.sessionId),
            p.userName ? `${p.domain ? `${p.domain}\\` : ''}${p.userName}` : (p.userSid ?? '-'),
            p.name,
          ]),
        ),
      );
    return failed ? EXIT.partial : EXIT.ok;
  },
};
