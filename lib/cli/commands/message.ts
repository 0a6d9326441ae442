import type { MessageAnswer, MessageButtons, MessageIcon } from '../../types.js';
import type { Command } from '../context.js';
import { EXIT } from '../exit-codes.js';
import { secondsArg, UsageError } from '../parse-args.js';
import { toJson } from '../table.js';
import { chooseTargets, describeTarget, failedFor, onServer, readAll, TARGET_FLAGS } from '../targets.js';

export const message: Command = {
  summary: "show a message box in a session (like msg; '*' for every signed-in active session)",
  usage:
    "message <id> | '*' | --user <name> | --session-name <name> [<text...> | -] [--title <t>] [--buttons <b>] [--icon <i>] [--wait] [--timeout <s>] [--json]",
  flags: {
    title: { kind: 'string', help: 'the title bar text' },
    buttons: {
      kind: 'string',
      help: 'ok (default), okCancel, abortRetryIgnore, yesNoCancel, yesNo, retryCancel, cancelTryContinue',
    },
    icon: { kind: 'string', help: 'none (default), error, question, warning, information' },
    wait: { kind: 'boolean', help: "wait for the user's answer and print it (msg /w)" },
    timeout: { kind: 'string', help: 'seconds until the box closes itself (msg /time; default: never)' },
    ...TARGET_FLAGS,
  },
  async run(ctx) {
    const { args, client, server, json, out, err, signal } = ctx;
    const byName = args.flags.user !== undefined || args.flags['session-name'] !== undefined;
    // With --user or --session-name every positional is text; otherwise the first one says who.
    const [who, ...words] = byName ? [undefined, ...args.positionals] : args.positionals;
    let text = words.join(' ');
    // The text can come from standard input, as msg reads it: '-', or nothing with input piped in.
    if (text === '-' || (text === '' && !ctx.stdin.isTTY)) {
      // On a terminal, say what it waits for: the text typed, ended by Ctrl+D.
      if (ctx.stdin.isTTY) err('Type the message, then press Ctrl+D on a line of its own (Ctrl+C cancels):');
      text = await readAll(ctx.stdin);
    }
    if (text === '') throw new UsageError('missing the message text');
    const targets = await chooseTargets(ctx, who, {
      word: '*',
      matches: (s) => s.userName !== null && s.state === 'active',
      what: 'signed-in active session',
    });
    const wait = args.flags.wait === true;
    const rows: { sessionId: number; server: string | null; answer?: MessageAnswer; error?: string }[] = [];
    // Several sessions are asked side by side, as msg * does: one slow user never holds up the others.
    await Promise.all(
      targets.map(async (target) => {
        try {
          const answer = await client.sendMessage(target.id, {
            server,
            message: text,
            title: args.flags.title as string | undefined,
            buttons: args.flags.buttons as MessageButtons | undefined,
            icon: args.flags.icon as MessageIcon | undefined,
            timeoutSeconds: secondsArg(args.flags.timeout, 'timeout'),
            wait,
            signal,
          });
          rows.push({ sessionId: target.id, server, answer });
          if (!json)
            out(
              wait
                ? `${describeTarget(target)}${onServer(server)}: ${answer}`
                : `Sent to ${describeTarget(target)}${onServer(server)}.`,
            );
        } catch (error) {
          if (targets.length === 1) throw error;
          const failed = failedFor(target, server, error);
          rows.push({ sessionId: target.id, server, error: failed.text });
          if (!json) err(failed.line);
        }
      }),
    );
    rows.sort((a, b) => a.sessionId - b.sessionId);
    if (json) out(toJson(targets.length === 1 && who !== '*' ? rows[0] : rows));
    return rows.some((r) => r.error !== undefined) ? EXIT.partial : EXIT.ok;
  },
};
