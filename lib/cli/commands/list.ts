import { formatDuration } from '../../duration.js';
import type { Session } from '../../types.js';
import type { Command } from '../context.js';
import { EXIT } from '../exit-codes.js';
import { shortTime, table, toJson } from '../table.js';

/** A session whose user Windows would not tell: not the same as one with no user. */
const userUnknown = (s: Session) => s.partial?.some((e) => e.fields.includes('userName')) ?? false;

/**
 * The `query user` table: USERNAME SESSIONNAME ID STATE IDLE LOGON TIME, '>' before the caller's session, '?' for a
 * user Windows would not tell.
 */
export function sessionTable(sessions: Session[]): string {
  return table(
    [' USERNAME', 'SESSIONNAME', 'ID', 'STATE', 'IDLE', 'LOGON TIME'],
    sessions.map((s) => [
      `${s.isCurrent ? '>' : ' '}${s.userName ?? (userUnknown(s) ? '?' : '-')}`,
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
  async run({ args, client, server, json, out, err }) {
    const sessions = await client.listSessions({ server });
    // A session Windows would not fully describe is shown too: its user may be there.
    const shown = args.flags.all ? sessions : sessions.filter((s) => s.userName !== null || s.partial !== null);
    out(json ? toJson(shown) : shown.length ? sessionTable(shown) : 'No user is signed in.');
    for (const s of json ? [] : shown) {
      if (s.partial) {
        const why = s.partial.map((e) => `${e.infoClass} ${e.code}`).join(', ');
        err(`Session ${s.id}: Windows refused some details (${why}); fields shown as - or ? are unknown.`);
      }
    }
    return EXIT.ok;
  },
};
