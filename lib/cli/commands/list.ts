import { formatDuration } from '../../duration.js';
import type { Session } from '../../types.js';
import type { Command } from '../context.js';
import { EXIT } from '../exit-codes.js';
import { shortTime, table, toJson } from '../table.js';

/** The `query user` table: USERNAME SESSIONNAME ID STATE IDLE LOGON TIME, '>' before the caller's session. */
export function sessionTable(sessions: Session[]): string {
  return table(
    [' USERNAME', 'SESSIONNAME', 'ID', 'STATE', 'IDLE', 'LOGON TIME'],
    sessions.map((s) => [
      `${s.isCurrent ? '>' : ' '}${s.userName ?? '-'}`,
      s.stationName || '-',
      String(s.id),
      s.state,
      formatDuration(s.idleMs),
      shortTime(s.logonTime),
    ]),
  );
}

export const list: Command = {
  summary: 'list the sessions with a user signed in (like query user)',
  usage: 'list [--all] [--json]',
  flags: { all: { kind: 'boolean', help: 'every session, also those without a user (services, listeners)' } },
  async run({ args, client, server, json, out }) {
    const sessions = await client.listSessions({ server });
    const shown = args.flags.all ? sessions : sessions.filter((s) => s.userName !== null);
    out(json ? toJson(shown) : shown.length ? sessionTable(shown) : 'No user is signed in.');
    return EXIT.ok;
  },
};
