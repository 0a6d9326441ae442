import { readServerList } from '../server-list.js';
import { createClient } from '../client.js';
import { getBackend } from '../default-backend.js';
import { checkServer } from '../validate.js';
import { disconnect } from './commands/disconnect.js';
import { idle } from './commands/idle.js';
import { list } from './commands/list.js';
import { logoff } from './commands/logoff.js';
import { message } from './commands/message.js';
import { policy } from './commands/policy.js';
import { processes } from './commands/processes.js';
import { top } from './commands/top.js';
import { service } from './commands/service.js';
import { watch } from './commands/watch.js';
import type { Command, CommandContext } from './context.js';
import { describeFailure, EXIT } from './exit-codes.js';
import { commandHelp, GLOBAL_FLAGS, mainHelp } from './help.js';
import { mockFromFile } from './mock-scenario.js';
import { promptOn } from './confirm.js';
import { packageVersion } from './version.js';
import { isScenarioName, parseArgs, UsageError } from './parse-args.js';

const COMMANDS: Record<string, Command> = {
  list,
  logoff,
  disconnect,
  message,
  idle,
  processes,
  top,
  watch,
  policy,
  service,
};

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
    else if (flag === 'mock' && !arg.includes('=') && isScenarioName(argv[i + 1] ?? '-')) before.push(argv[++i]!);
  }
  return { name: argv[i], rest: [...before, ...argv.slice(i + 1)] };
}

/**
 * `--server`: the hosts (a comma list, or the flag repeated), or `[null]` for this machine. Empty or blank is a
 * mistake, never "this machine"; a command that acts takes one host.
 */
function serverFlag(
  value: string | boolean | undefined,
  name: string,
  command: Command,
  from?: string | boolean,
): (string | null)[] {
  if (from !== undefined) {
    if (value !== undefined) throw new UsageError('give --server or --servers-from, not both');
    if (typeof from !== 'string' || from.trim() === '') throw new UsageError('--servers-from needs a file name');
    let hosts: string[];
    try {
      hosts = readServerList(from);
    } catch (error) {
      throw new UsageError(`--servers-from: ${(error as Error).message}`);
    }
    if (hosts.length > 1 && !command.manyHosts)
      throw new UsageError(`${name} acts on one host at a time; ${from} names ${hosts.length}`);
    return hosts;
  }
  if (value === undefined) return [null];
  if (typeof value !== 'string' || value.trim() === '')
    throw new UsageError('--server needs a host name; leave it out to act on this machine');
  const hosts = value.split(',').map((host) => {
    if (host.trim() === '') throw new UsageError(`--server has an empty host name in ${JSON.stringify(value)}`);
    return checkServer(host);
  });
  if (hosts.length > 1 && !command.manyHosts)
    throw new UsageError(`${name} acts on one host at a time; --server takes one name here, got ${value}`);
  return hosts;
}

/** Runs the command line `argv` (without node and the script) and resolves to the exit code. */
export async function runCli(argv: readonly string[], io: CliIo, signal: AbortSignal): Promise<number> {
  const write = (stream: NodeJS.WritableStream) => (text: string) => void stream.write(`${text}\n`);
  const out = write(io.stdout);
  const err = write(io.stderr);
  const { name, rest } = splitCommand(argv);
  try {
    if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
      // `--help list` and `help list` are list's help, as `list --help` is.
      const about = rest[0] === undefined ? undefined : COMMANDS[rest[0]];
      out(about ? commandHelp(rest[0]!, about) : mainHelp(COMMANDS));
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
    const servers = serverFlag(args.flags.server, name, command, args.flags['servers-from']);
    const mock = args.flags.mock;
    const client = createClient(mock === undefined ? getBackend() : mockFromFile(mock as string | true));
    const ctx: CommandContext = {
      args,
      client,
      server: servers[0]!,
      servers,
      json: args.flags.json === true,
      out,
      err,
      confirm: promptOn(io.stdin, io.stderr),
      stdin: io.stdin,
      stdout: io.stdout,
      signal,
    };
    return await command.run(ctx);
  } catch (error) {
    const { code, line } = describeFailure(error);
    err(line);
    return code;
  }
}
