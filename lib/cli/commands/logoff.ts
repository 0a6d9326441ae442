import type { AskOptions, LogoffResult } from '../../types.js';
import { confirmAction } from '../confirm.js';
import type { Command } from '../context.js';
import { EXIT } from '../exit-codes.js';
import { atMostPositionals, secondsArg, UsageError } from '../parse-args.js';
import { toJson } from '../table.js';
import {
  chooseTargets,
  describeTarget,
  failedFor,
  GUARD_FLAGS,
  guardOptions,
  onServer,
  TARGET_FLAGS,
} from '../targets.js';

/** One line per session acted on, naming it (and the server). */
function outcomeLine(outcome: LogoffResult['outcome'], who: string): string {
  if (outcome === 'signedOut') return `Signed out ${who}.`;
  if (outcome === 'pending') return `Sign-out accepted, but ${who} was still there when the wait ran out.`;
  return outcome === 'declined' ? `Not signed out: the user declined (${who}).` : `Not signed out: no answer (${who}).`;
}

export const logoff: Command = {
  summary: "sign a session's user out (their unsaved work is lost)",
  usage:
    'logoff <id> | --user <name> | --session-name <name> [--all] [--yes] [--wait] [--ask "<message>" [--timeout <s>] [--on-timeout keep|logoff]] [--json]',
  flags: {
    yes: { kind: 'boolean', short: 'y', help: 'do not ask for confirmation on this terminal' },
    wait: { kind: 'boolean', help: 'return only once the session is signed out' },
    ask: { kind: 'string', help: 'ask the user in the session (Yes/No) first' },
    timeout: { kind: 'string', help: 'seconds the question stays up (default 60)' },
    'on-timeout': { kind: 'string', help: "what no answer means: 'keep' (default) or 'logoff'" },
    ...TARGET_FLAGS,
    ...GUARD_FLAGS,
  },
  async run(ctx) {
    const { args, client, server, json, out, err } = ctx;
    atMostPositionals(args, 1);
    const onTimeout = args.flags['on-timeout'];
    if (onTimeout !== undefined && onTimeout !== 'keep' && onTimeout !== 'logoff')
      throw new UsageError("--on-timeout must be 'keep' or 'logoff'");
    const ask: AskOptions | undefined =
      typeof args.flags.ask === 'string'
        ? {
            message: args.flags.ask,
            timeoutSeconds: secondsArg(args.flags.timeout, 'timeout'),
            onTimeout,
          }
        : undefined;
    const targets = await chooseTargets(ctx, args.positionals[0]);
    if (!args.flags.yes) {
      // Who it is, as far as a read can tell, so the question names a person and not just a number.
      for (const t of targets) t.session ??= await client.getSession(t.id, { server }).catch(() => null);
      const who = targets.map(describeTarget).join(', ');
      const code = await confirmAction(
        ctx,
        `Sign out ${who}${onServer(server)}? Unsaved work is lost.`,
        'Not signed out',
      );
      if (code !== null) return code;
    }
    const options = (t: (typeof targets)[number]) => ({
      server,
      wait: args.flags.wait === true,
      ask,
      signal: ctx.signal,
      ...guardOptions(ctx, t),
    });
    if (targets.length === 1) {
      const [target] = targets as [(typeof targets)[number]];
      const result = await client.logoff(target.id, options(target));
      out(json ? toJson(result) : outcomeLine(result.outcome, `${describeTarget(target)}${onServer(server)}`));
      return result.outcome === 'signedOut' ? EXIT.ok : EXIT.declined;
    }
    // Several sessions (--all): each one its own try; a failure is reported and the rest go on.
    const rows: (LogoffResult | { sessionId: number; server: string | null; error: string })[] = [];
    for (const target of targets) {
      try {
        const result = await client.logoff(target.id, options(target));
        rows.push(result);
        if (!json) out(outcomeLine(result.outcome, `${describeTarget(target)}${onServer(server)}`));
      } catch (error) {
        const failed = failedFor(target, server, error);
        rows.push({ sessionId: target.id, server, error: failed.text });
        if (!json) err(failed.line);
      }
    }
    if (json) out(toJson(rows));
    if (rows.some((r) => 'error' in r)) return EXIT.partial;
    return rows.every((r) => 'outcome' in r && r.outcome === 'signedOut') ? EXIT.ok : EXIT.declined;
  },
};
