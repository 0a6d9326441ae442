import type { Session, SessionGuardOptions } from '../types.js';
import { printable } from './printable.js';
import type { CommandContext } from './context.js';
import { CliRefusal, describeError, errorLine } from './exit-codes.js';
import { sessionIdArg, UsageError } from './parse-args.js';

/** Flags that choose sessions by who is in them, as quser, logoff and msg users expect. */
export const TARGET_FLAGS = {
  user: { kind: 'string', help: 'the session of this user (any case; DOMAIN\\user also matches the domain)' },
  'session-name': { kind: 'string', help: 'the session with this name, e.g. RDP-Tcp#3' },
  all: { kind: 'boolean', help: 'with --user or --session-name: every matching session, not just one' },
} as const;

/** The guard flags logoff and disconnect share, with the refusals they lift. */
export const GUARD_FLAGS = {
  'expect-user': { kind: 'string', help: 'refuse unless the session still belongs to this user' },
  'allow-own': { kind: 'boolean', help: 'allow acting on the session this command runs in' },
  'allow-services': { kind: 'boolean', help: 'allow acting on session 0' },
  'allow-listener': { kind: 'boolean', help: 'allow acting on a listener session' },
} as const;

/** A session to act on: by id alone, or as a listing showed it (then the action checks it is still that sign-in). */
export interface Target {
  id: number;
  session: Session | null;
}

/**
 * The guard options of `target`: the flags, plus, for a session read before acting (a listing, or the read behind
 * the question), its user and logon as read, so that a session that changes hands meanwhile is refused.
 * `--expect-user` always wins over what was read.
 */
export function guardOptions(ctx: CommandContext, target: Target): SessionGuardOptions {
  const { flags } = ctx.args;
  const s = target.session;
  const read = s?.userName
    ? { userName: s.userName, domain: s.domain ?? undefined, logonTime: s.logonTime ?? undefined }
    : {};
  const expected = typeof flags['expect-user'] === 'string' ? { userName: flags['expect-user'] } : {};
  const expect = { ...read, ...expected };
  return {
    expect: Object.keys(expect).length > 0 ? expect : undefined,
    allowOwnSession: flags['allow-own'] === true,
    allowServicesSession: flags['allow-services'] === true,
    allowListener: flags['allow-listener'] === true,
  };
}

const same = (a: string | null, b: string) => a !== null && a.toLowerCase() === b.toLowerCase();

/** Whether `session` is `user`'s: `bob` or `CONTOSO\bob`, without regard to case. */
export function isUsers(session: Session, user: string): boolean {
  const at = user.lastIndexOf('\\');
  if (at < 0) return same(session.userName, user);
  return same(session.userName, user.slice(at + 1)) && same(session.domain, user.slice(0, at));
}

/** "bob (session 3)" or "session 3". */
export function describeTarget(target: Target): string {
  const user = target.session?.userName;
  return user ? `${printable(user)} (session ${target.id})` : `session ${target.id}`;
}

/** " on ts01" for a remote server, "" for this machine. */
export const onServer = (server: string | null) => (server ? ` on ${server}` : '');

/**
 * The sessions a command acts on: the id in `positional`, or those of `--user` / `--session-name` from a fresh
 * listing. More than one match is refused unless `--all`: a sign-out never picks one of several for the user.
 * `extraMatch` widens the choice (message's `*`).
 */
export async function chooseTargets(
  ctx: CommandContext,
  positional: string | undefined,
  extraMatch?: { word: string; matches: (s: Session) => boolean; what: string },
): Promise<Target[]> {
  const { flags } = ctx.args;
  const user = flags.user;
  const name = flags['session-name'];
  const byName = user !== undefined || name !== undefined;
  if (user !== undefined && name !== undefined) throw new UsageError('give --user or --session-name, not both');
  if (!byName && flags.all === true) throw new UsageError('--all goes with --user or --session-name');
  if (!byName && extraMatch !== undefined && positional === extraMatch.word) {
    const sessions = (await ctx.client.listSessions({ server: ctx.server })).filter(extraMatch.matches);
    if (sessions.length === 0)
      throw new CliRefusal('ERR_NO_SUCH_SESSION', `No ${extraMatch.what}${onServer(ctx.server)}.`);
    return sessions.map((session) => ({ id: session.id, session }));
  }
  if (!byName) {
    if (positional === undefined) {
      const star = extraMatch ? `, ${extraMatch.word}` : '';
      throw new UsageError(`missing the session: give its id${star}, --user <name> or --session-name <name>`);
    }
    return [{ id: sessionIdArg(positional), session: null }];
  }
  if (typeof user === 'string' && user.trim() === '') throw new UsageError('--user needs a user name');
  if (typeof name === 'string' && name.trim() === '') throw new UsageError('--session-name needs a session name');
  const sessions = await ctx.client.listSessions({ server: ctx.server });
  const matches = sessions.filter((s) =>
    typeof user === 'string' ? isUsers(s, user) : same(s.stationName || null, name as string),
  );
  const wanted = typeof user === 'string' ? `user ${user}` : `session name ${name as string}`;
  if (matches.length === 0)
    throw new CliRefusal(
      typeof user === 'string' ? 'ERR_NO_SUCH_USER' : 'ERR_NO_SUCH_SESSION',
      `No session of ${wanted}${onServer(ctx.server)}.`,
    );
  if (matches.length > 1 && flags.all !== true) {
    const ids = matches.map((s) => s.id).join(', ');
    throw new CliRefusal(
      'ERR_AMBIGUOUS',
      `${matches.length} sessions match ${wanted}${onServer(ctx.server)} (${ids}): give one id, or pass --all for every one.`,
    );
  }
  return matches.map((session) => ({ id: session.id, session }));
}

/** The line for one session that failed among several: `windows-sessions: <CODE>: failed for bob (session 2): …`. */
export function failedFor(target: Target, server: string | null, error: unknown): { line: string; text: string } {
  const { code, message } = describeError(error);
  return {
    line: errorLine(code, `failed for ${describeTarget(target)}${onServer(server)}: ${message}`),
    text: `${code}: ${message}`,
  };
}

/** Reads the message text from standard input (for `-`, or no text with input piped in). */
export async function readAll(stream: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
  return Buffer.concat(chunks)
    .toString('utf8')
    .replace(/\r?\n$/, '');
}
