import type { Command } from '../context.js';
import { EXIT } from '../exit-codes.js';
import { atMostPositionals, sessionIdArg, UsageError } from '../parse-args.js';
import { table, toJson } from '../table.js';

export const processes: Command = {
  summary: 'list processes with their session and owner (like qprocess)',
  usage: 'processes [<pid>] [--session <id>] [--user <name>] [--json]',
  flags: {
    session: { kind: 'string', help: "only this session's processes" },
    user: { kind: 'string', help: "only this user's processes (any case)" },
  },
  async run({ args, client, server, json, out }) {
    atMostPositionals(args, 1);
    // As with qprocess, a bare number is a process id; the session goes by --session.
    const pidText = args.positionals[0];
    if (pidText !== undefined && !/^\d{1,10}$/.test(pidText))
      throw new UsageError(`a process id must be a whole number, got ${JSON.stringify(pidText)}`);
    const pid = pidText === undefined ? undefined : Number(pidText);
    const session = args.flags.session;
    const sessionId = session === undefined ? undefined : sessionIdArg(session as string, '--session');
    const user = typeof args.flags.user === 'string' ? args.flags.user.toLowerCase() : undefined;
    const list = (await client.listProcesses({ server, sessionId })).filter(
      (p) => (pid === undefined || p.pid === pid) && (user === undefined || p.userName?.toLowerCase() === user),
    );
    out(
      json
        ? toJson(list)
        : table(
            ['PID', 'SESSION', 'USER', 'IMAGE'],
            list.map((p) => [
              String(p.pid),
              String(p.sessionId),
              p.userName ? `${p.domain ? `${p.domain}\\` : ''}${p.userName}` : (p.userSid ?? '-'),
              p.name,
            ]),
          ),
    );
    return EXIT.ok;
  },
};
