import type { LogoffOptions } from '../../types.js';
import type { Command, CommandContext } from '../context.js';
import { EXIT } from '../exit-codes.js';
import { secondsArg, sessionIdArg, UsageError } from '../parse-args.js';
import { toJson } from '../table.js';

/** The guard flags logoff and disconnect share. */
export const GUARD_FLAGS = {
  'expect-user': { kind: 'string', help: 'refuse unless the session still belongs to this user' },
  'allow-own': { kind: 'boolean', help: 'allow acting on the session this command runs in' },
  'allow-services': { kind: 'boolean', help: 'allow acting on session 0' },
  'allow-listener': { kind: 'boolean', help: 'allow acting on a listener session' },
} as const;

export function guardOptions({
  flags,
}: CommandContext['args']): Pick<
  LogoffOptions,
  'expect' | 'allowOwnSession' | 'allowServicesSession' | 'allowListener'
> {
  return {
    expect: typeof flags['expect-user'] === 'string' ? { userName: flags['expect-user'] } : undefined,
    allowOwnSession: flags['allow-own'] === true,
    allowServicesSession: flags['allow-services'] === true,
    allowListener: flags['allow-listener'] === true,
  };
}

export const logoff: Command = {
  summary: "sign a session's user out (their unsaved work is lost)",
  usage: 'logoff <id> [--yes] [--wait] [--ask "<message>" [--timeout <s>] [--on-timeout keep|logoff]] [--json]',
  flags: {
    yes: { kind: 'boolean', short: 'y', help: 'do not ask for confirmation on this terminal' },
    wait: { kind: 'boolean', help: 'return only once the session is signed out' },
    ask: { kind: 'string', help: 'ask the user in the session (Yes/No) first' },
    timeout: { kind: 'string', help: 'seconds the question stays up (default 60)' },
    'on-timeout': { kind: 'string', help: "what no answer means: 'keep' (default) or 'logoff'" },
    ...GUARD_FLAGS,
  },
  async run(ctx) {
    const { args, client, server, json, out } = ctx;
    const id = sessionIdArg(args.positionals[0]);
    if (args.positionals.length > 1) throw new UsageError(`unexpected ${args.positionals[1]}`);
    const onTimeout = args.flags['on-timeout'];
    if (onTimeout !== undefined && onTimeout !== 'keep' && onTimeout !== 'logoff')
      throw new UsageError("--on-timeout must be 'keep' or 'logoff'");
    if (!args.flags.yes) {
      const session = await client.getSession(id, { server });
      const who = session?.userName ? `${session.userName} (session ${id})` : `session ${id}`;
      if (!(await ctx.confirm(`Sign out ${who}${server ? ` on ${server}` : ''}? Unsaved work is lost. [y/N] `))) {
        ctx.err('Not signed out: no confirmation (pass --yes to skip it).');
        return EXIT.refused;
      }
    }
    const result = await client.logoff(id, {
      server,
      wait: args.flags.wait === true,
      ask:
        typeof args.flags.ask === 'string'
          ? {
              message: args.flags.ask,
              timeoutSeconds: secondsArg(args.flags.timeout, 'timeout'),
              onTimeout: onTimeout,
            }
          : undefined,
      signal: ctx.signal,
      ...guardOptions(args),
    });
    if (json) out(toJson(result));
    else if (result.outcome === 'signedOut') out(`Signed out session ${id}.`);
    else
      out(result.outcome === 'declined' ? `The user declined: session ${id} kept.` : `No answer: session ${id} kept.`);
    return result.outcome === 'signedOut' ? EXIT.ok : EXIT.declined;
  },
};
