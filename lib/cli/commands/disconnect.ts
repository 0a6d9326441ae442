import { confirmAction } from '../confirm.js';
import type { Command } from '../context.js';
import { EXIT } from '../exit-codes.js';
import { atMostPositionals } from '../parse-args.js';
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

export const disconnect: Command = {
  summary: 'disconnect a session (it keeps running; the user can reconnect), like tsdiscon',
  usage: 'disconnect <id> | --user <name> | --session-name <name> [--all] [--yes] [--wait] [--allow-console] [--json]',
  flags: {
    yes: { kind: 'boolean', short: 'y', help: 'do not ask for confirmation on this terminal' },
    wait: { kind: 'boolean', help: 'return only once the session is disconnected' },
    'allow-console': { kind: 'boolean', help: 'disconnect the active console session (it only locks it)' },
    ...TARGET_FLAGS,
    ...GUARD_FLAGS,
  },
  async run(ctx) {
    const { args, client, server, json, out, err } = ctx;
    atMostPositionals(args, 1);
    const targets = await chooseTargets(ctx, args.positionals[0]);
    if (!args.flags.yes) {
      // As logoff asks: who it is, as far as a read can tell.
      for (const t of targets) t.session ??= await client.getSession(t.id, { server }).catch(() => null);
      const who = targets.map(describeTarget).join(', ');
      const code = await confirmAction(
        ctx,
        `Disconnect ${who}${onServer(server)}? Their programs keep running.`,
        'Not disconnected',
      );
      if (code !== null) return code;
    }
    const rows: { sessionId: number; server: string | null; disconnected: boolean; error?: string }[] = [];
    for (const target of targets) {
      try {
        const result = await client.disconnect(target.id, {
          server,
          wait: args.flags.wait === true,
          allowConsole: args.flags['allow-console'] === true,
          signal: ctx.signal,
          ...guardOptions(ctx, target),
        });
        const done = result.outcome === 'disconnected';
        rows.push({ sessionId: target.id, server, disconnected: done });
        if (json) continue;
        if (done) out(`Disconnected ${describeTarget(target)}${onServer(server)}.`);
        else
          out(
            `Disconnect accepted, but ${describeTarget(target)}${onServer(server)} was still connected when the wait ran out.`,
          );
      } catch (error) {
        if (targets.length === 1) throw error; // one session: its error is the command's
        const failed = failedFor(target, server, error);
        rows.push({ sessionId: target.id, server, disconnected: false, error: failed.text });
        if (!json) err(failed.line);
      }
    }
    if (json) out(toJson(targets.length === 1 ? rows[0] : rows));
    return rows.some((r) => !r.disconnected) ? EXIT.partial : EXIT.ok;
  },
};
