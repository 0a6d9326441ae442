import type { Command } from './context.js';

/** The flags every command takes. `--server` may be repeated: `--server a --server b` is `--server a,b`. */
export const GLOBAL_FLAGS = {
  server: { kind: 'string', repeat: true, help: 'ask this remote host instead of this machine' },
  'servers-from': { kind: 'string', help: 'the hosts a file names, one a line (# comments), in place of --server' },
  mock: {
    kind: 'boolean',
    help: 'use the in-memory mock (built-in demo, or --mock scenario.json): works on any OS',
  },
  json: { kind: 'boolean', help: 'print JSON for scripts' },
  help: { kind: 'boolean', short: 'h', help: 'show help' },
} as const;

/** Help lines are wrapped to this width. */
const WIDTH = 100;

const EXIT_TEXT =
  'Exit codes: 0 done; 1 Windows reported an error; 2 bad command line; 3 refused (a guard, no such user, ' +
  'several matches without --all, or no confirmation); 4 the user in the session declined or did not answer; ' +
  "5 some sessions (or hosts) failed (an idle sweep, a policy, --all, '*', several hosts); " +
  '6 policy check: the policy would act.';

/** `text` broken at spaces into lines of at most `width` characters, each as full as the next word allows. */
export function wrap(text: string, width = WIDTH): string {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/).filter(Boolean)) {
    if (line !== '' && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else line = line === '' ? word : `${line} ${word}`;
  }
  if (line !== '') lines.push(line);
  return lines.join('\n');
}

type FlagHelp = Record<string, { kind: 'boolean' | 'string'; short?: string; help: string }>;

/** One line per flag: the flags in a column as wide as the widest of them, then their help. */
function flagLines(flags: FlagHelp): string[] {
  const lefts = Object.entries(flags).map(
    ([name, f]) => `${f.short ? `-${f.short}, ` : '    '}--${name}${f.kind === 'string' ? ' <value>' : ''}`,
  );
  const column = Math.max(...lefts.map((l) => l.length));
  return Object.values(flags).map((f, i) => `  ${lefts[i]!.padEnd(column)}  ${f.help}`);
}

/** The help of `windows-sessions --help`: the commands, the flags they all take, and the exit codes. */
export function mainHelp(commands: Record<string, Command>): string {
  return [
    'Usage: windows-sessions <command> [options]',
    '',
    'See who is signed in to Windows and sign them out (WTS API).',
    '',
    'Commands:',
    ...Object.entries(commands).map(([name, c]) => `  ${name.padEnd(12)} ${c.summary}`),
    '',
    'Options for every command:',
    ...flagLines({
      ...GLOBAL_FLAGS,
      version: {
        kind: 'boolean',
        short: 'v',
        help: "print this package's version (alone: windows-sessions --version)",
      },
    }),
    '',
    'Try it on any OS: windows-sessions list --mock',
    'Help on a command: windows-sessions <command> --help (or windows-sessions --help <command>)',
    '',
    wrap(EXIT_TEXT),
  ].join('\n');
}

/** The help of one command: its usage (with the hosts it takes), what it does, its flags, and the exit codes. */
export function commandHelp(name: string, command: Command): string {
  const hosts = command.manyHosts ? '[--server <host>[,<host>...]]' : '[--server <host>]';
  return [
    `Usage: windows-sessions ${command.usage} ${hosts} [--mock [scenario.json]]`,
    '',
    `${name}: ${command.summary}`,
    '',
    'Options:',
    ...flagLines({
      ...command.flags,
      ...GLOBAL_FLAGS,
      server: {
        ...GLOBAL_FLAGS.server,
        help: command.manyHosts
          ? 'ask these remote hosts (a comma list, or --server again) instead of this machine'
          : GLOBAL_FLAGS.server.help,
      },
    }),
    '',
    wrap(EXIT_TEXT),
  ].join('\n');
}
