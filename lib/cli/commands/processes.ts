import type { Command } from '../context.js';
import { EXIT } from '../exit-codes.js';
import { sessionIdArg } from '../parse-args.js';
import { table, toJson } from '../table.js';

export const processes: Command = {
  summary: "list processes with their session and owner (one session's with <id>)",
  usage: 'processes [<id>] [--json]',
  flags: {},
  async run({ args, client, server, json, out }) {
    const sessionId = args.positionals[0] === undefined ? undefined : sessionIdArg(args.positionals[0]);
    const list = await client.listProcesses({ server, sessionId });
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
