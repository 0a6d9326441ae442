import type { MessageButtons, MessageIcon } from '../../types.js';
import type { Command } from '../context.js';
import { EXIT } from '../exit-codes.js';
import { secondsArg, sessionIdArg, UsageError } from '../parse-args.js';
import { toJson } from '../table.js';

export const message: Command = {
  summary: 'show a message box in a session and print the answer (like msg)',
  usage:
    'message <id> <text...> [--title <t>] [--buttons ok|okCancel|yesNo|...] [--icon <i>] [--timeout <s>] [--no-wait]',
  flags: {
    title: { kind: 'string', help: 'the title bar text' },
    buttons: {
      kind: 'string',
      help: 'ok (default), okCancel, abortRetryIgnore, yesNoCancel, yesNo, retryCancel, cancelTryContinue',
    },
    icon: { kind: 'string', help: 'none (default), error, question, warning, information' },
    timeout: { kind: 'string', help: 'seconds until the box closes itself (default: never)' },
    'no-wait': { kind: 'boolean', help: 'return at once without the answer' },
  },
  async run({ args, client, server, json, out, signal }) {
    const id = sessionIdArg(args.positionals[0]);
    const text = args.positionals.slice(1).join(' ');
    if (!text) throw new UsageError('missing the message text');
    const answer = await client.sendMessage(id, {
      server,
      message: text,
      title: args.flags.title as string | undefined,
      buttons: args.flags.buttons as MessageButtons | undefined,
      icon: args.flags.icon as MessageIcon | undefined,
      timeoutSeconds: secondsArg(args.flags.timeout, 'timeout'),
      wait: args.flags['no-wait'] !== true,
      signal,
    });
    out(json ? toJson({ sessionId: id, answer }) : answer);
    return EXIT.ok;
  },
};
