// Issue 21 (the CLI): one shape for every error line, advice in flags, honest help, watch's times and hosts, tables
// that line up, and scenario files whose errors say where.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { runCli as runCliWith } from '../../lib/cli/main.js';
import { CLI, runCli, runCliOnTerminal, scenarioFile } from './run-cli.js';

const machine = {
  currentSessionId: 1,
  sessions: [
    { id: 1, stationName: 'Console', userName: 'admin', domain: 'CONTOSO', lastInputTime: '-1m' },
    {
      id: 2,
      stationName: 'RDP-Tcp#2',
      userName: 'bob',
      domain: 'CONTOSO',
      clientAddress: '198.51.100.20',
      lastInputTime: '-3m',
    },
    { id: 5, stationName: 'RDP-Tcp#5', userName: 'BOB', domain: 'FABRIKAM', lastInputTime: '-4h' },
  ],
};

function writeFile(name: string, content: unknown): string {
  const path = join(mkdtempSync(join(tmpdir(), 'windows-sessions-out-')), name);
  writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content));
  return path;
}

describe('CLI: every error line is windows-sessions: <CODE>: <message>', () => {
  it('a refusal says its code once', async () => {
    const own = await runCli(['logoff', '1', '--yes', '--mock', scenarioFile(machine)]);
    expect([own.code, own.stderr]).toEqual([
      3,
      'windows-sessions: ERR_OWN_SESSION: refused to act on session 1: it is the session this process runs in; pass --allow-own\n',
    ]);
  });

  it('the platform error is one line, with the demo to try', async () => {
    if (process.platform === 'win32') return;
    const run = await runCli(['list']);
    expect([run.code, run.stderr]).toEqual([
      1,
      `windows-sessions: ERR_WINDOWS_SESSIONS_UNSUPPORTED_PLATFORM: windows-sessions talks to the Windows Terminal Services API and cannot run on ${process.platform}; try the demo on any OS: windows-sessions list --mock\n`,
    ]);
  });

  it('a file error says ENOENT once; an audit file that cannot be written holds enforcement and says why', async () => {
    const policy = writeFile('p.json', {
      trust: { users: ['admin'] },
      rules: { untrustedUser: { action: 'signOut' } },
    });
    const missing = join(tmpdir(), 'windows-sessions-no-such-dir', 'p.json');
    const unread = await runCli(['policy', 'check', missing, '--mock']);
    expect([unread.code, unread.stderr]).toEqual([
      2,
      `windows-sessions: ERR_USAGE: cannot read ${missing}: ENOENT: no such file or directory, open '${missing}' (see --help)\n`,
    ]);
    // onAuditFailure 'hold' (the default): no sign-out without its record; each row says so once, and the exit is 5.
    const audit = join(tmpdir(), 'windows-sessions-no-such-dir', 'audit.jsonl');
    const run = await runCli(['policy', 'enforce', policy, '--once', '--yes', '--audit', audit, '--mock']);
    expect(run.code).toBe(5);
    const failed = run.stdout.split('\n').filter((line) => line.includes('ERR_POLICY_AUDIT_FAILED'));
    expect(failed).toHaveLength(2);
    for (const line of failed) {
      expect(line.match(/ENOENT/g)).toHaveLength(1);
      expect(line).toContain(`audit record not written: ENOENT: no such file or directory, open '${audit}'`);
    }
  });

  it('refusals of the CLI, unconfirmed actions and each failed session among several carry a code', async () => {
    const file = scenarioFile({ ...machine, failures: [{ op: 'logoff', errno: 5, sessionId: 5 }] });
    expect((await runCli(['logoff', '--user', 'bob', '--yes', '--mock', file])).stderr).toBe(
      'windows-sessions: ERR_AMBIGUOUS: 2 sessions match user bob (2, 5): give one id, or pass --all for every one.\n',
    );
    expect((await runCli(['logoff', '2', '--mock', file])).stderr).toBe(
      'windows-sessions: ERR_NOT_CONFIRMED: Not signed out: there is no terminal to confirm on (pass --yes to skip the question).\n',
    );
    const all = await runCli(['logoff', '--user', 'bob', '--all', '--yes', '--mock', file]);
    expect([all.code, all.stdout, all.stderr]).toEqual([
      5,
      'Signed out bob (session 2).\n',
      'windows-sessions: ERROR_ACCESS_DENIED: failed for BOB (session 5): WTSLogoffSession failed for session 5: Access is denied. (ERROR_ACCESS_DENIED, 5). Hint: acting on another user\'s session needs administrator rights: run the process elevated ("Run as administrator") or as a service\n',
    ]);
  });
});

describe('CLI: advice names CLI flags', () => {
  it("idle's refusals name --allow-own, and ERR_NOT_IDLE names --include-console", async () => {
    const file = scenarioFile({
      currentSessionId: 4,
      sessions: [
        { id: 1, stationName: 'Console', userName: 'admin', domain: 'CONTOSO', lastInputTime: '-3h' },
        { id: 4, stationName: 'RDP-Tcp#4', userName: 'dave', domain: 'CONTOSO', lastInputTime: '-3h' },
      ],
    });
    const run = await runCli(['idle', '--for', '2h', '--logoff', '--yes', '--mock', file]);
    expect(run.stdout).toMatch(
      /^1\s+admin\s+3h 0m\s+skipped\s+ERR_NOT_IDLE: it is an active console session, whose idle time is not trusted; pass --include-console to judge it by its idle time anyway$/m,
    );
    expect(run.stdout).toMatch(
      /^4\s+dave\s+3h 0m\s+skipped\s+ERR_OWN_SESSION: it is the session this process runs in; pass --allow-own$/m,
    );
    expect(run.stdout).not.toContain('allowOwnSession');
  });
});

describe('CLI: help that says what is true', () => {
  const footer = [
    'Exit codes: 0 done; 1 Windows reported an error; 2 bad command line; 3 refused (a guard, no such',
    'user, several matches without --all, or no confirmation); 4 the user in the session declined or did',
    "not answer; 5 some sessions (or hosts) failed (an idle sweep, a policy, --all, '*', several hosts);",
    '6 policy check: the policy would act.',
  ].join('\n');

  it('policy --help names --server once, for several hosts; logoff --help for one', async () => {
    const policy = (await runCli(['policy', '--help'])).stdout.split('\n')[0]!;
    expect(policy).toMatch(/ \[--server <host>\[,<host>\.\.\.\]\] \[--mock \[scenario\.json\]\]$/);
    expect(policy.match(/--server/g)).toHaveLength(1);
    const logoff = (await runCli(['logoff', '--help'])).stdout.split('\n')[0]!;
    expect(logoff).toMatch(/\[--json\] \[--server <host>\] \[--mock \[scenario\.json\]\]$/);
  });

  it('the global help lists --version; --help <command> is that command help', async () => {
    const main = await runCli(['--help']);
    expect(main.stdout).toContain(
      "\n  -v, --version               print this package's version (alone: windows-sessions --version)\n",
    );
    const list = await runCli(['list', '--help']);
    expect(list.stdout).toMatch(/^Usage: windows-sessions list /);
    expect((await runCli(['--help', 'list'])).stdout).toBe(list.stdout);
    expect((await runCli(['help', 'list'])).stdout).toBe(list.stdout);
  });

  it("message '*' is for every signed-in active session", async () => {
    expect((await runCli(['--help'])).stdout).toContain(
      "  message      show a message box in a session (like msg; '*' for every signed-in active session)\n",
    );
  });

  it('the exit-code footer is wrapped evenly, and the flag column fits the longest flag', async () => {
    const help = (await runCli(['logoff', '--help'])).stdout;
    expect(help.endsWith(`\n\n${footer}\n`)).toBe(true);
    expect((await runCli(['--help'])).stdout.endsWith(`\n\n${footer}\n`)).toBe(true);
    const lines = help.split('\n');
    expect(lines).toContain('      --session-name <value>  the session with this name, e.g. RDP-Tcp#3');
    expect(lines).toContain('  -y, --yes                   do not ask for confirmation on this terminal');
    const options = lines.slice(lines.indexOf('Options:') + 1, lines.indexOf('', lines.indexOf('Options:')));
    expect(options.length).toBeGreaterThan(10);
    // Every help text starts in the same column, two spaces after the longest flag.
    for (const line of options) expect(/^ {2}.{26} {2}\S/.test(line), line).toBe(true);
  });
});

describe('CLI: watch', () => {
  const events = {
    ...machine,
    servers: { ts01: [{ id: 7, stationName: 'RDP-Tcp#7', userName: 'erin', domain: 'CONTOSO' }] },
    events: [
      { types: ['logon'], delayMs: 10 },
      { types: ['logoff'], delayMs: 10, server: 'ts01', change: { remove: [7] } },
    ],
  };

  it('says on stderr what it watches and how it stops, before any event', async () => {
    const child = spawn(process.execPath, [CLI, 'watch', '--types', 'logon,logoff', '--mock'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    let stdout = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
    await new Promise<void>((resolve) =>
      child.stderr.on('data', (chunk: Buffer) => {
        stderr += chunk.toString();
        if (stderr.includes('\n')) resolve();
      }),
    );
    child.kill('SIGINT');
    expect(await exited).toBe(0);
    expect(stderr).toBe('Watching session events (logon, logoff) on this machine; Ctrl+C stops.\n');
    expect(stdout).toBe('');
  });

  it('prints local time as list does, and UTC ISO with --utc', () => {
    const file = scenarioFile(events);
    // Kolkata is UTC+05:30 all year: a local time there is never the UTC one.
    const env = { TZ: 'Asia/Kolkata' };
    const local = spawnIn(env, ['watch', '--count', '1', '--mock', file]);
    expect(local.stderr).toBe(
      'Watching session events (every kind) on this machine; stops after 1 event(s), or Ctrl+C.\n',
    );
    const [, day, clock] = /^(\d{4}-\d{2}-\d{2}) (\d{2}:\d{2}:\d{2}) {2}logon\n$/.exec(local.stdout) ?? [];
    expect(day).toBeDefined();
    const printedAsUtc = Date.parse(`${day!}T${clock!}Z`);
    const kolkataNow = Date.now() + 5.5 * 3_600_000;
    expect(Math.abs(printedAsUtc - kolkataNow)).toBeLessThan(60_000);
    const utc = spawnIn(env, ['watch', '--count', '1', '--utc', '--mock', file]);
    const iso = /^(\S+) {2}logon\n$/.exec(utc.stdout)?.[1] ?? '';
    expect(iso).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
    expect(Math.abs(Date.parse(iso) - Date.now())).toBeLessThan(60_000);
  });

  it('watches several hosts at once, each event naming its host', async () => {
    const run = await runCli(['watch', '--server', 'ts01,ts02', '--count', '1', '--mock', scenarioFile(events)]);
    // ts02 is not there: its error is its own line; ts01's event still comes.
    expect(run.code).toBe(5);
    expect(run.stdout).toMatch(
      /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} {2}logoff {2}ts01\n {4}erin signed off from session 7\n$/,
    );
    expect(run.stderr.split('\n')).toEqual([
      'Watching session events (every kind) on ts01, ts02; stops after 1 event(s), or Ctrl+C.',
      'windows-sessions: RPC_S_SERVER_UNAVAILABLE: WTSWaitSystemEvent failed on ts02: The RPC server is unavailable. (RPC_S_SERVER_UNAVAILABLE, 1722). Hint: check that ts02 is up and reachable, and that its firewall allows Remote Service Management (RPC)',
      '',
    ]);
  });

  it('on a host the mock does not know, fails at once with 1722 as list does (exit 1)', async () => {
    const run = await runCli(['watch', '--server', 'nosuch', '--mock']);
    expect([run.code, run.stdout]).toEqual([1, '']);
    expect(run.stderr.split('\n')).toEqual([
      'Watching session events (every kind) on nosuch; Ctrl+C stops.',
      'windows-sessions: RPC_S_SERVER_UNAVAILABLE: WTSWaitSystemEvent failed on nosuch: The RPC server is unavailable. (RPC_S_SERVER_UNAVAILABLE, 1722). Hint: check that nosuch is up and reachable, and that its firewall allows Remote Service Management (RPC)',
      '',
    ]);
  });
});

/** Runs the built CLI with extra environment (a time zone). */
function spawnIn(env: Record<string, string>, args: string[]): { code: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', env: { ...process.env, ...env } });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('CLI: tables', () => {
  const policy = { trust: { users: ['admin'] }, rules: { untrustedUser: { action: 'signOut' } } };

  it("policy enforce prints an unreachable host's error once", async () => {
    const run = await runCli([
      'policy',
      'enforce',
      writeFile('p.json', policy),
      '--once',
      '--yes',
      '--server',
      'ts9',
      '--mock',
    ]);
    expect(run.code).toBe(5);
    expect(run.stdout.match(/RPC_S_SERVER_UNAVAILABLE: WTSEnumerateSessionsW/g)).toHaveLength(1);
    expect(run.stdout.split('\n')[1]).toMatch(/^ts9\s+-\s+-\s+-\s+-\s+-\s+-\s+failed RPC_S_SERVER_UNAVAILABLE: /);
  });

  it("the running enforcer's rows line up under its header", async () => {
    const controller = new AbortController();
    let stdout = '';
    const out = new PassThrough().on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      if (stdout.split('\n').length > 3) controller.abort();
    });
    const args = ['policy', 'enforce', writeFile('p.json', policy), '--dry-run', '--yes'];
    const code = await runCliWith(
      [...args, '--mock', scenarioFile(machine)],
      { stdout: out, stderr: new PassThrough(), stdin: Readable.from([]) },
      controller.signal,
    );
    expect(code).toBe(0);
    const [header, ...rows] = stdout.trimEnd().split('\n');
    expect(header).toBe(
      'TIME                 HOST             ID      USER                      CLIENT           RULE              ACTION      OUTCOME     DETAIL',
    );
    expect(rows.map((r) => r.slice(21))).toEqual([
      '.                2       CONTOSO\\bob               198.51.100.20    untrustedUser     signOut     dryRun      user CONTOSO\\bob is not trusted',
      '.                5       FABRIKAM\\BOB              -                untrustedUser     signOut     dryRun      user FABRIKAM\\BOB is not trusted',
    ]);
  });
});

describe('CLI: message - on a terminal', () => {
  it('says what it waits for before reading the text', () => {
    const run = runCliOnTerminal(['message', '2', '-', '--mock'], 'Reboot at six\n\u0004');
    expect(run.code).toBe(0);
    const prompt = run.stdout.indexOf('Type the message, then press Ctrl+D on a line of its own (Ctrl+C cancels):');
    expect(prompt).toBeGreaterThan(-1);
    expect(run.stdout.indexOf('Sent to session 2.')).toBeGreaterThan(prompt);
  });
});

describe('CLI: --mock scenario files', () => {
  it('takes any file name: --mock <path> for a name that looks like a file, --mock=<name> for any', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'windows-sessions-names-'));
    const scenario = JSON.stringify({ sessions: [{ id: 4, userName: 'dave', stationName: 'RDP-Tcp#4' }] });
    for (const name of ['scenario.txt', 'scenario']) writeFileSync(join(dir, name), scenario);
    expect((await runCli(['list', '--mock', join(dir, 'scenario.txt'), '--json'])).stdout).toContain('"dave"');
    expect((await runCli(['list', `--mock=${join(dir, 'scenario')}`, '--json'])).stdout).toContain('"dave"');
    // A bare --mock before a command word is the demo, not a file named "list".
    expect((await runCli(['--mock', 'list'])).code).toBe(0);
    const missing = join(dir, 'nosuch.json');
    expect(await runCli(['list', '--mock', missing])).toEqual({
      code: 2,
      stdout: '',
      stderr: `windows-sessions: ENOENT: cannot read the scenario file ${missing}: no such file\n`,
    });
    const notJson = writeFile('broken.json', '{ sessions: ');
    expect((await runCli(['list', '--mock', notJson])).stderr).toMatch(
      new RegExp(`^windows-sessions: ERR_SCENARIO: ${notJson.replace(/[.\\]/g, '\\$&')}: not JSON: `),
    );
  });

  it('refuses a session id listed twice, naming both places', async () => {
    const file = scenarioFile({ sessions: [{ id: 2, userName: 'bob' }, { id: 3 }, { id: 2, userName: 'eve' }] });
    expect(await runCli(['list', '--mock', file])).toEqual({
      code: 2,
      stdout: '',
      stderr: `windows-sessions: ERR_SCENARIO: ${file}: sessions[2]: id 2 is also sessions[0]'s\n`,
    });
  });

  it('names the file and the place of every error', async () => {
    const state = scenarioFile({ servers: { ts01: [{ id: 2, state: 'asleep' }] } });
    expect((await runCli(['list', '--mock', state])).stderr).toBe(
      `windows-sessions: ERR_SCENARIO: ${state}: servers.ts01[0]: mock session 2: unknown state asleep\n`,
    );
    const time = scenarioFile({ sessions: [{ id: 2, userName: 'bob', lastInputTime: 'yesterday' }] });
    expect((await runCli(['list', '--mock', time])).stderr).toBe(
      `windows-sessions: ERR_SCENARIO: ${time}: sessions[0].lastInputTime: expected '-2h', an ISO date or ms, got "yesterday"\n`,
    );
    const op = scenarioFile({ failures: [{ op: 'reboot', errno: 5 }] });
    expect((await runCli(['list', '--mock', op])).stderr).toBe(
      `windows-sessions: ERR_SCENARIO: ${op}: failures[0]: unknown mock operation: reboot\n`,
    );
  });

  it('gives a seeded user session a logon time: its earliest time, or when the scenario was read', async () => {
    const file = scenarioFile({
      sessions: [
        { id: 4, userName: 'dave', lastInputTime: '-2h', disconnectTime: '-3h', state: 'disconnected' },
        { id: 6, userName: 'frank' },
        { id: 8 },
      ],
    });
    const started = Date.now();
    const sessions = JSON.parse((await runCli(['list', '--all', '--json', '--mock', file])).stdout) as {
      id: number;
      logonTime: string | null;
    }[];
    const logon = (id: number) => Date.parse(sessions.find((s) => s.id === id)!.logonTime ?? 'none');
    expect(Math.abs(logon(4) - (started - 3 * 3_600_000))).toBeLessThan(5_000);
    expect(Math.abs(logon(6) - started)).toBeLessThan(5_000);
    expect(sessions.find((s) => s.id === 8)!.logonTime).toBeNull();
  });
});

describe('CLI: names chosen by users and clients reach the terminal escaped, never obeyed', () => {
  // A user name with a screen-clearing escape, a client name that tries to forge a second table row.
  const forged = 'PC\n.  3   CONTOSO\\admin  10.0.0.1';
  const hostile = {
    currentSessionId: 1,
    sessions: [
      { id: 1, stationName: 'Console', userName: 'admin', domain: 'CONTOSO' },
      {
        id: 2,
        stationName: 'RDP-Tcp#2',
        userName: 'eve\u001b[2J',
        domain: 'CONTOSO',
        clientName: forged,
        clientAddress: null,
      },
    ],
  };

  it('list and policy check print one line per session, with the characters shown as escapes', async () => {
    const file = scenarioFile(hostile);
    const list = await runCli(['list', '--mock', file]);
    expect(list.stdout.trimEnd().split('\n')).toHaveLength(3); // the header and two sessions
    expect(list.stdout).toContain('eve\\x1b[2J');
    expect(list.stdout).not.toContain('\u001b');
    const policy = writeFile('p.json', {
      trust: { users: ['CONTOSO\\admin'] },
      rules: { untrustedUser: { action: 'signOut' } },
    });
    const check = await runCli(['policy', 'check', policy, '--mock', file]);
    expect(check.stdout.trimEnd().split('\n')).toHaveLength(2); // the header and eve's row, no forged row
    expect(check.stdout).toContain('PC\\n.  3   CONTOSO\\admin  10.0.0.1');
    expect(check.stdout).not.toContain('\u001b');
  });

  it('JSON keeps the names as Windows gave them (JSON escapes them itself)', async () => {
    const run = await runCli(['list', '--json', '--mock', scenarioFile(hostile)]);
    const sessions = JSON.parse(run.stdout) as { userName: string | null; clientName: string | null }[];
    expect(sessions.find((s) => s.userName?.startsWith('eve'))).toMatchObject({
      userName: 'eve\u001b[2J',
      clientName: forged,
    });
  });
});
