import { formatDuration } from '../../duration.js';
import type { Session, SessionUsage } from '../../types.js';
import type { Command } from '../context.js';
import { CliRefusal, EXIT } from '../exit-codes.js';
import { hostName, hostsJson, readHosts, reportFailedHosts } from '../hosts.js';
import { atMostPositionals, UsageError } from '../parse-args.js';
import { isUsers, onServer } from '../targets.js';
import { shortTime, table, toJson } from '../table.js';
import { formatBytes, formatCpu, intervalFlag, PROCESSORS_FLAG, processorsFlag } from '../usage-columns.js';

/** A session whose user Windows would not tell: not the same as one with no user. */
const userUnknown = (s: Session) => s.partial?.some((e) => e.fields.includes('userName')) ?? false;
const user = (s: Session) => s.userName ?? (userUnknown(s) ? '?' : '');

/** A session and the host it is on (`null`: this machine). */
export interface HostSession {
  server: string | null;
  session: Session;
  /** With `list --usage`: what its processes use (`null`: none seen, e.g. a listener, or hidden from a non-admin). */
  usage?: SessionUsage | null;
}

/** The CPU and MEMORY cells of `--usage`. */
const usageCells = (row: HostSession, withUsage: boolean) =>
  withUsage ? [formatCpu(row.usage), formatBytes(row.usage?.workingSetBytes)] : [];

/** The first cells of a row: the host when several were asked. */
const hostCells = (row: HostSession, withHost: boolean) => (withHost ? [hostName(row.server)] : []);

/**
 * The `query user` table: USERNAME SESSIONNAME ID STATE IDLE LOGON TIME, '>' before the caller's session, '?' for a
 * user Windows would not tell. `wide` adds the client's name and address; `withHost` a SERVER column first.
 */
export function sessionTable(rows: readonly HostSession[], wide = false, withHost = false, withUsage = false): string {
  return table(
    [
      ...(withHost ? ['SERVER'] : []),
      ' USERNAME',
      'SESSIONNAME',
      'ID',
      'STATE',
      'IDLE',
      'LOGON TIME',
      ...(withUsage ? ['CPU', 'MEMORY'] : []),
      ...(wide ? ['CLIENT', 'ADDRESS'] : []),
    ],
    rows.map((row) => {
      const s = row.session;
      return [
        ...hostCells(row, withHost),
        `${s.isCurrent ? '>' : ' '}${user(s) || '-'}`,
        s.stationName || '-',
        String(s.id),
        s.state,
        formatDuration(s.idleMs),
        shortTime(s.logonTime),
        ...usageCells(row, withUsage),
        ...(wide ? [s.clientName ?? '-', s.clientAddress ?? '-'] : []),
      ];
    }),
  );
}

/** The `query session` table: SESSIONNAME USERNAME ID STATE TYPE DEVICE, '>' before the caller's session. */
function querySessionTable(rows: readonly HostSession[], wide: boolean, withHost: boolean, withUsage: boolean): string {
  return table(
    [
      ...(withHost ? ['SERVER'] : []),
      ' SESSIONNAME',
      'USERNAME',
      'ID',
      'STATE',
      'TYPE',
      'DEVICE',
      ...(withUsage ? ['CPU', 'MEMORY'] : []),
      ...(wide ? ['ADDRESS'] : []),
    ],
    rows.map((row) => {
      const s = row.session;
      return [
        ...hostCells(row, withHost),
        `${s.isCurrent ? '>' : ' '}${s.stationName || ''}`,
        user(s),
        String(s.id),
        s.state,
        s.protocol ?? '',
        s.clientName ?? '',
        ...usageCells(row, withUsage),
        ...(wide ? [s.clientAddress ?? ''] : []),
      ];
    }),
  );
}

/** The user `list` is about: `list bob` or `list --user bob` (as `quser bob`), or undefined for everyone. */
function userArg(positional: string | undefined, flag: string | boolean | undefined): string | undefined {
  if (positional !== undefined && flag !== undefined)
    throw new UsageError('give the user once: list <user> or list --user <user>');
  const name = positional ?? flag;
  if (name === undefined) return undefined;
  if (typeof name !== 'string' || name.trim() === '') throw new UsageError('--user needs a user name');
  if (name.startsWith('/'))
    throw new UsageError(
      `unexpected argument ${JSON.stringify(name)}: options are written --server <host>, not /server:<host>`,
    );
  return name;
}

export const list: Command = {
  summary: 'list the sessions with a user signed in (like quser), or every session (like query session)',
  usage:
    'list [<user> | --user <user>] [--all] [--columns quser|session] [--wide] [--usage [--interval <duration>]] [--caller-clock] [--json]',
  manyHosts: true,
  flags: {
    user: {
      kind: 'string',
      help: "only this user's sessions (any case; DOMAIN\\user also matches the domain), as quser <user>",
    },
    all: { kind: 'boolean', help: 'every session, also those without a user (services, listeners)' },
    columns: { kind: 'string', help: "quser's columns (default), or 'session' for query session's" },
    wide: { kind: 'boolean', short: 'w', help: "add the client's name and address" },
    usage: {
      kind: 'boolean',
      help: "add each session's CPU (share of the machine) and memory (its processes' working sets), as Task Manager's Users tab",
    },
    interval: { kind: 'string', help: "with --usage: how long CPU is measured over (default '1s')" },
    processors: PROCESSORS_FLAG,
    'caller-clock': {
      kind: 'boolean',
      help: "a remote host whose clock cannot be read: give its idle times on this machine's clock (off: unknown)",
    },
  },
  async run(ctx) {
    const { args, client, json, out, err } = ctx;
    atMostPositionals(args, 1);
    const wanted = userArg(args.positionals[0], args.flags.user);
    const columns = args.flags.columns ?? 'quser';
    if (columns !== 'quser' && columns !== 'session') throw new UsageError("--columns must be 'quser' or 'session'");
    // query session shows every session; quser only signed-in ones, plus any Windows would not fully describe.
    const all = args.flags.all === true || columns === 'session';
    const withUsage = args.flags.usage === true;
    if ((args.flags.interval ?? args.flags.processors) !== undefined && !withUsage)
      throw new UsageError('--interval and --processors go with --usage');
    const interval = intervalFlag(args.flags.interval);
    const processors = processorsFlag(args.flags.processors);
    const reads = await readHosts(ctx, async (server) => {
      const [sessions, report] = await Promise.all([
        client.listSessions({
          server,
          ...(args.flags['caller-clock'] === true ? { remoteClock: 'caller' as const } : {}),
        }),
        withUsage ? client.getSessionUsage({ server, interval, signal: ctx.signal, ...processors }) : undefined,
      ]);
      const shown = sessions.filter((s) =>
        wanted !== undefined ? isUsers(s, wanted) : all || s.userName !== null || s.partial !== null,
      );
      if (!report) return shown;
      const bySession = new Map(report.sessions.map((u) => [u.sessionId, u]));
      return shown.map((s) => ({ ...s, usage: bySession.get(s.id) ?? null }));
    });
    const many = ctx.servers.length > 1;
    const failed = reportFailedHosts(ctx, reads);
    const shown: HostSession[] = reads.flatMap((r) =>
      r.ok
        ? r.value.map((session) => ({
            server: r.server,
            session,
            ...(withUsage ? { usage: (session as { usage?: SessionUsage | null }).usage ?? null } : {}),
          }))
        : [],
    );
    const answered = reads.some((r) => r.ok);
    if (wanted !== undefined && shown.length === 0 && answered) {
      const where = many
        ? ` on ${reads
            .filter((r) => r.ok)
            .map((r) => hostName(r.server))
            .join(', ')}`
        : onServer(ctx.server);
      throw new CliRefusal('ERR_NO_SUCH_USER', `No session of user ${wanted}${where}.`);
    }
    const wide = args.flags.wide === true;
    if (json) out(toJson(many ? hostsJson(reads, 'sessions') : shown.map((r) => r.session)));
    else if (!answered) {
      /* every host failed: their errors say it */
    } else if (shown.length === 0) out('No user is signed in.');
    else
      out(
        columns === 'session'
          ? querySessionTable(shown, wide, many, withUsage)
          : sessionTable(shown, wide, many, withUsage),
      );
    for (const { server, session: s } of json ? [] : shown) {
      if (s.partial) {
        const why = s.partial.map((e) => `${e.infoClass} ${e.code}`).join(', ');
        err(
          `Session ${s.id}${onServer(server)}: Windows refused some details (${why}); fields shown as - or ? are unknown.`,
        );
      }
    }
    return failed ? EXIT.partial : EXIT.ok;
  },
};
