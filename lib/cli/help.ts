import type { Command } from './context.js';

export const GLOBAL_FLAGS = {
  server: { kind: 'string', help: 'ask this remote host instead of this machine' },
  mock: { kind: 'boolean', help: 'use the in-memory mock (built-in demo, or --mock scenario.json): works on any OS' },
  json: { kind: 'boolean', help: 'print JSON for scripts' },
  help: { kind: 'boolean', short: 'h', help: 'show help' },
} as const;

const EXIT_TEXT = `Exit codes: 0 done; 1 Windows reported an error; 2 bad command line; 3 refused (a guard, no such
user, several matches without --all, or no confirmation); 4 the user in the session declined or did not answer;
5 some sessions (or hosts) failed (an idle sweep, a policy, --all, '*'); 6 policy check: the policy would act.`;

function flagLines(flags: Command['flags']): string[] {
  return Object.entries(flags).map(([name, f]) => {
    const left = `${f.short ? `-${f.short}, ` : '    '}--${name}${f.kind === 'string' ? ' <value>' : ''}`;
    return `  ${left.padEnd(26)} ${f.help}`;
  });
}

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
    ...flagLines(GLOBAL_FLAGS),
    '',
    'Try it on any OS: windows-sessions list --mock',
    'Help on a command: windows-sessions <command> --help',
    '',
    EXIT_TEXT,
  ].join('\n');
}

export function commandHelp(name: string, command: Command): string {
  return [
    `Usage: windows-sessions ${command.usage} [--server <host>] [--mock [scenario.json]]`,
    '',
    `${name}: ${command.summary}`,
    '',
    'Options:',
    ...flagLines({ ...command.flags, ...GLOBAL_FLAGS }),
    '',
    EXIT_TEXT,
  ].join('\n');
}
