import { createClient } from '../client.js';
import { getBackend } from '../default-backend.js';
import { ERR_UNSUPPORTED_PLATFORM } from '../native/load-addon.js';
import { checkServer } from '../validate.js';
import { disconnect } from './commands/disconnect.js';
import { idle } from './commands/idle.js';
import { list } from './commands/list.js';
import { logoff } from './commands/logoff.js';
import { message } from './commands/message.js';
import { policy } from './commands/policy.js';
import { processes } from './commands/processes.js';
import { watch } from './commands/watch.js';
import type { Command, CommandContext } from './context.js';
import { describeFailure, EXIT } from './exit-codes.js';
import { commandHelp, GLOBAL_FLAGS, mainHelp } from './help.js';
import { mockFromFile } from './mock-scenario.js';
import { promptOn } from './confirm.js';
import { packageVersion } from './version.js';
import { parseArgs, UsageError } from './parse-args.js';

const COMMANDS: Record<string, Command> = { list, logoff, disconnect, message, idle, processes, watch, policy };

/** Where the CLI reads and writes; a test can pass its own. */
export interface CliIo {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  stdin: NodeJS.ReadableStream & { isTTY?: boolean };
}

/** Moves the global flags typed before the command behind it: `--server ts01 logoff 3` = `logoff 3 --server ts01`. */
function splitCommand(argv: readonly string[]): { name: string | undefined; rest: string[] } {
  const before: string[] = [];
  let i = 0;
  for (; i < argv.length; i++) {
    const arg = argv[i]!;
    const flag = /^--([^=]+)/.exec(arg)?.[1];
    const global = flag !== undefined ? (GLOBAL_FLAGS as Record<string, { kind: string }>)[flag] : undefined;
    if (!global || arg === '--help' || arg === '--version') break;
    before.push(arg);
    if (global.kind === 'string' && !arg.includes('=') && i + 1 < argv.length) before.push(argv[++i]!);
    else if (flag === 'mock' && argv[i + 1]?.endsWith('.json')) before.push(argv[++i]!);
  }
  return { name: argv[i], rest: [...before, ...argv.slice(i + 1)] };
}

/** `--server`: a host name, or absent for this machine. Empty or blank is a mistake, never "this machine". */
function serverFlag(value: string | boolean | undefined): string | null {
  if (value === undefined) return null;
  if (typeof value !== 'string' || value.trim() === '')
    throw new UsageError('--server needs a host name; leave it out to act on this machine');
  return checkServer(value);
}

/** Runs the command line `argv` (without node and the script) and resolves to the exit code. */
export async function runCli(argv: readonly string[], io: CliIo, signal: AbortSignal): Promise<number> {
  const write = (stream: NodeJS.WritableStream) => (text: string) => void stream.write(`${text}\n`);
  const out = write(io.stdout);
  const err = write(io.stderr);
  const { name, rest } = splitCommand(argv);
  try {
    if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
      out(mainHelp(COMMANDS));
      return name === undefined ? EXIT.usage : EXIT.ok;
    }
    if (name === '--version' || name === '-v') {
      out(packageVersion());
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
      server: serverFlag(args.flags.server),
      json: args.flags.json === true,
      out,
      err,
      confirm: promptOn(io.stdin, io.stderr),
      stdin: io.stdin,
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
