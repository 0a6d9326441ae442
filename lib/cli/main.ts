import { createInterface } from 'node:readline';
import { createClient } from '../client.js';
import { getBackend } from '../default-backend.js';
import { ERR_UNSUPPORTED_PLATFORM } from '../native/load-addon.js';
import { checkServer } from '../validate.js';
import { disconnect } from './commands/disconnect.js';
import { idle } from './commands/idle.js';
import { list } from './commands/list.js';
import { logoff } from './commands/logoff.js';
import { message } from './commands/message.js';
import { processes } from './commands/processes.js';
import { watch } from './commands/watch.js';
import type { Command, CommandContext } from './context.js';
import { describeFailure, EXIT } from './exit-codes.js';
import { commandHelp, GLOBAL_FLAGS, mainHelp } from './help.js';
import { mockFromFile } from './mock-scenario.js';
import { parseArgs, UsageError } from './parse-args.js';

const COMMANDS: Record<string, Command> = { list, logoff, disconnect, message, idle, processes, watch };

/** Where the CLI reads and writes; a test can pass its own. */
export interface CliIo {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  stdin: NodeJS.ReadableStream & { isTTY?: boolean };
}

function confirmOn(io: CliIo): (question: string) => Promise<boolean> {
  return async (question) => {
    if (!io.stdin.isTTY) return false;
    const rl = createInterface({ input: io.stdin, output: io.stderr });
    const answer = await new Promise<string>((resolve) => {
      rl.question(question, resolve);
    });
    rl.close();
    return /^y(es)?$/i.test(answer.trim());
  };
}

/** Runs the command line `argv` (without node and the script) and resolves to the exit code. */
export async function runCli(argv: readonly string[], io: CliIo, signal: AbortSignal): Promise<number> {
  const write = (stream: NodeJS.WritableStream) => (text: string) => void stream.write(`${text}\n`);
  const out = write(io.stdout);
  const err = write(io.stderr);
  const [name, ...rest] = argv;
  try {
    if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
      out(mainHelp(COMMANDS));
      return name === undefined ? EXIT.usage : EXIT.ok;
    }
    if (name === '--version') {
      out(process.env.npm_package_version ?? '0.1.0');
      return EXIT.ok;
    }
    const command = COMMANDS[name];
    if (!command)
      throw new UsageError(`unknown command ${JSON.stringify(name)}; commands: ${Object.keys(COMMANDS).join(', ')}`);
    const args = parseArgs(rest, { ...command.flags, ...GLOBAL_FLAGS });
    if (args.flags.help) {
      out(commandHelp(name, command));
      return EXIT.ok;
    }
    const mock = args.flags.mock;
    const client = createClient(mock === undefined ? getBackend() : mockFromFile(mock as string | true));
    const ctx: CommandContext = {
      args,
      client,
      server: checkServer(args.flags.server),
      json: args.flags.json === true,
      out,
      err,
      confirm: confirmOn(io),
      signal,
    };
    return await command.run(ctx);
  } catch (error) {
    const { code, line } = describeFailure(error);
    err(`windows-sessions: ${line}`);
    if ((error as { code?: string }).code === ERR_UNSUPPORTED_PLATFORM)
      err('Try the demo on any OS: windows-sessions list --mock');
    return code;
  }
}
