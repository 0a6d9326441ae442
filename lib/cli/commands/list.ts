import { formatDuration } from '../../duration.js';
import type { Session } from '../../types.js';
import type { Command } from '../context.js';
import { EXIT } from '../exit-codes.js';
import { atMostPositionals, UsageError } from '../parse-args.js';
import { shortTime, table, toJson } from '../table.js';

/** A session whose user Windows would not tell: not the same as one with no user. */
const userUnknown = (s: Session) => s.partial?.some((e) => e.fields.includes('userName')) ?? false;
const user = (s: Session) => s.userName ?? (userUnknown(s) ? '?' : '');

/**
 * The `query user` table: USERNAME SESSIONNAME ID STATE IDLE LOGON TIME, '>' before the caller's session, '?' for a
 * user Windows would not tell. `wide` adds the client's name and address.
 */
export function sessionTable(sessions: Session[], wide = false): string {
  return table(
    [' USERNAME', 'SESSIONNAME', 'ID', 'STATE', 'IDLE', 'LOGON TIME', ...(wide ? ['CLIENT', 'ADDRESS'] : [])],
    sessions.map((s) => [
      `${s.isCurrent ? '>' : ' '}${user(s) || '-'}`,
      s.stationName || '-',
      String(s.id),
      s.state,
      formatDuration(s.idleMs),
      shortTime(s.logonTime),
      ...(wide ? [s.clientName ?? '-', s.clientAddress ?? '-'] : []),
    ]),
  );
}

/** The `query session` table: SESSIONNAME USERNAME ID STATE TYPE DEVICE, '>' before the caller's session. */
function querySessionTable(sessions: Session[], wide: boolean): string {
  return table(
    [' SESSIONNAME', 'USERNAME', 'ID', 'STATE', 'TYPE', 'DEVICE', ...(wide ? ['ADDRESS'] : [])],
    sessions.map((s) => [
      `${s.isCurrent ? '>' : ' '}${s.stationName || ''}`,
      user(s),
      String(s.id),
      s.state,
      s.protocol ?? '',
      s.clientName ?? '',
      ...(wide ? [s.clientAddress ?? ''] : []),
    ]),
  );
}

export const list: Command = {
  summary: 'list the sessions with a user signed in (like quser), or every session (like query session)',
  usage: 'list [--all] [--columns quser|session] [--wide] [--json]',
  flags: {
    all: { kind: 'boolean', help: 'every session, also those without a user (services, listeners)' },
    columns: { kind: 'string', help: "quser's columns (default), or 'session' for query session's" },
    wide: { kind: 'boolean', short: 'w', help: "add the client's name and address" },
  },
  async run({ args, client, server, json, out, err }) {
    atMostPositionals(args, 0);
    const columns = args.flags.columns ?? 'quser';
    if (columns !== 'quser' && columns !== 'session') throw new UsageError("--columns must be 'quser' or 'session'");
    const sessions = await client.listSessions({ server });
    // query session shows every session; quser only signed-in ones, plus any Windows would not fully describe.
    const all = args.flags.all === true || columns === 'session';
    const shown = all ? sessions : sessions.filter((s) => s.userName !== null || s.partial !== null);
    const wide = args.flags.wide === true;
    if (json) out(toJson(shown));
    else if (shown.length === 0) out('No user is signed in.');
    else out(columns === 'session' ? querySessionTable(shown, wide) : sessionTable(shown, wide));
    for (const s of json ? [] : shown) {
      if (s.partial) {
        const why = s.partial.map((e) => `${e.infoClass} ${e.code}`).join(', ');
        err(`Session ${s.id}: Windows refused some details (${why}); fields shown as - or ? are unknown.`);
      }
    }
    return EXIT.ok;
  },
};
