import { describe, expect, it } from 'vitest';
import { runCli, runCliOnTerminal, runCliOnTerminalAfter, scenarioFile, spawnCli } from './run-cli.js';

const server = {
  currentSessionId: 1,
  sessions: [
    {
      id: 1,
      stationName: 'Console',
      userName: 'admin',
      domain: 'CONTOSO',
      logonTime: '2031-01-02T08:00:00Z',
      lastInputTime: '-1m',
    },
    {
      id: 2,
      stationName: 'RDP-Tcp#2',
      userName: 'bob',
      domain: 'CONTOSO',
      logonTime: '2031-01-02T09:30:00Z',
      lastInputTime: '-3h',
    },
    { id: 3, state: 'disconnected', userName: 'carol', domain: 'CONTOSO', disconnectTime: '-5h', lastInputTime: '-6h' },
    { id: 4, stationName: 'RDP-Tcp#4', userName: 'dave', domain: 'CONTOSO', lastInputTime: '-2m' },
  ],
};

describe('windows-sessions CLI (run in-process through lib/cli/main.ts, as bin.ts runs it)', () => {
  it('list: a query-user table with the caller marked, on the built-in demo', async () => {
    const run = await runCli(['list', '--mock']);
    expect(run.code).toBe(0);
    const lines = run.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^ USERNAME\s+SESSIONNAME\s+ID\s+STATE\s+IDLE\s+LOGON TIME$/);
    expect(lines.slice(1).map((l) => [l[0], ...l.slice(1).split(/\s+/).slice(0, 4)])).toEqual([
      ['>', 'alice', 'Console', '1', 'active'],
      [' ', 'bob', 'RDP-Tcp#2', '2', 'active'],
      [' ', 'carol', '-', '3', 'disconnected'],
    ]);
  });

  it('list --json: the sessions for scripts; --all adds those without a user', async () => {
    const file = scenarioFile(server);
    const sessions = JSON.parse((await runCli(['list', '--mock', file, '--json'])).stdout) as {
      id: number;
      idleMs: number;
      logonTime: string;
    }[];
    expect(sessions.map((s) => s.id)).toEqual([1, 2, 3, 4]);
    expect(sessions[1]!.logonTime).toBe('2031-01-02T09:30:00.000Z');
    expect(sessions[2]!.idleMs).toBeGreaterThanOrEqual(5 * 3_600_000); // from the disconnect, not the last input
    expect(sessions[2]!.idleMs).toBeLessThan(6 * 3_600_000);
    const all = JSON.parse((await runCli(['list', '--mock', file, '--json', '--all'])).stdout) as unknown[];
    expect(all).toHaveLength(6);
  });

  it('logoff refuses without confirmation when no terminal can ask, and signs out with --yes', async () => {
    const file = scenarioFile(server);
    const refused = await runCli(['logoff', '2', '--mock', file]);
    expect(refused.code).toBe(3);
    expect(refused.stderr).toContain('--yes');
    const done = await runCli(['logoff', '2', '--mock', file, '--yes', '--json']);
    expect(done.code).toBe(0);
    expect(JSON.parse(done.stdout)).toEqual({ sessionId: 2, server: null, outcome: 'signedOut', answer: null });
  });

  it('logoff asks on a terminal: y signs out, anything else does not', async () => {
    const yes = runCliOnTerminal(['logoff', '2', '--mock'], 'y\n');
    expect(yes.stdout).toMatch(/Sign out bob \(session 2\)\? Unsaved work is lost/);
    expect(yes.stdout).toContain('Signed out bob (session 2).');
    expect(yes.code).toBe(0);
    const no = runCliOnTerminal(['logoff', '2', '--mock'], 'n\n');
    expect(no.code).toBe(3);
    expect(no.stdout).toContain('Not signed out.');
    expect(no.stdout).not.toContain('Signed out');
    expect(no.stdout).not.toContain('--yes'); // an explicit no needs no advice
  });

  it('Ctrl+C or Ctrl+D at the prompt cancels: a message, exit 3, nobody signed out', async () => {
    for (const key of ['\u0003', '\u0004']) {
      const run = await runCliOnTerminalAfter(['logoff', '2', '--mock'], '[y/N]', key);
      expect(run.code, JSON.stringify(key)).toBe(3);
      expect(run.stdout).toContain('Cancelled: not signed out.');
      expect(run.stdout).not.toContain('Signed out');
    }
  });

  it('logoff --ask: the user in the session declines, exit 4', async () => {
    const file = scenarioFile({ ...server, answers: [{ sessionId: 2, answer: 'no' }] });
    const run = await runCli([
      'logoff',
      '2',
      '--mock',
      file,
      '--yes',
      '--ask',
      'Sign out to free resources?',
      '--timeout',
      '30',
    ]);
    expect(run.code).toBe(4);
    expect(run.stdout).toContain('Not signed out: the user declined (session 2).');
    // Nobody answers before the box closes: kept, and the exit code says so (not 0).
    const silent = await runCli([
      'logoff',
      '2',
      '--mock',
      scenarioFile(server),
      '--yes',
      '--ask',
      'Sign out?',
      '--timeout',
      '1',
    ]);
    expect([silent.code, silent.stdout]).toEqual([4, 'Not signed out: no answer (session 2).\n']);
  });

  it('refusals and Windows errors: one line with the code and a hint, distinct exit codes', async () => {
    const own = await runCli(['logoff', '1', '--mock', '--yes']);
    expect(own.code).toBe(3);
    expect(own.stderr.trim().split('\n')).toHaveLength(1);
    // In the CLI's own terms: the flag to pass, not the API option.
    expect(own.stderr).toMatch(/^windows-sessions: ERR_OWN_SESSION: .*pass --allow-own/);
    expect(own.stderr).not.toContain('allowOwnSession');
    expect((await runCli(['idle', '--for', 'soon', '--mock'])).stderr).toMatch(/^windows-sessions: ERR_USAGE: --for /);
    const file = scenarioFile({ ...server, failures: [{ op: 'logoff', errno: 5, sessionId: 2 }] });
    const denied = await runCli(['logoff', '2', '--mock', file, '--yes']);
    expect(denied.code).toBe(1);
    expect(denied.stderr).toMatch(
      /^windows-sessions: ERROR_ACCESS_DENIED: WTSLogoffSession failed for session 2: .*Hint: .*elevated/,
    );
    const down = await runCli(['list', '--mock', '--server', 'ts99']);
    expect(down.code).toBe(1);
    expect(down.stderr).toContain('RPC_S_SERVER_UNAVAILABLE');
  });

  it('usage errors exit 2 and never act', async () => {
    for (const args of [
      ['logoff', 'abc', '--mock', '--yes'],
      ['logoff', '2', '--bogus', '--mock'],
      ['frobnicate'],
      [],
      ['logoff', '--mock', '--yes'],
      ['idle', '--mock'],
      ['logoff', '0x2', '--mock', '--yes'],
    ]) {
      const run = await runCli(args);
      expect(run.code, args.join(' ')).toBe(2);
    }
    expect((await runCli([])).stdout).toContain('Usage: windows-sessions <command>');
  });

  it('--help for every command', async () => {
    for (const command of ['list', 'logoff', 'disconnect', 'message', 'idle', 'processes', 'watch']) {
      const run = await runCli([command, '--help']);
      expect(run.code).toBe(0);
      expect(run.stdout).toContain(`Usage: windows-sessions ${command}`);
      expect(run.stdout).toContain('--server');
      expect(run.stdout).toContain('Exit codes');
    }
  });

  it('idle lists idle sessions, and --logoff sweeps them with a report', async () => {
    const file = scenarioFile(server);
    expect((await runCli(['idle', '--for', '2h', '--mock', file])).stdout).toMatch(/carol[\s\S]*bob|bob[\s\S]*carol/);
    const dry = await runCli(['idle', '--for', '2h', '--logoff', '--dry-run', '--mock', file, '--json']);
    expect((JSON.parse(dry.stdout) as { outcome: string }[]).map((r) => r.outcome)).toEqual(['dryRun', 'dryRun']);
    const sweep = await runCli(['idle', '--for', '2h', '--logoff', '--yes', '--exclude', 'bob', '--mock', file]);
    expect(sweep.code).toBe(0);
    expect(sweep.stdout).toMatch(/3\s+carol\s+5h \d+m\s+signedOut/);
    expect(sweep.stdout).toMatch(/2\s+bob\s+3h \d+m\s+skipped\s+ERR_EXCLUDED/);
    const failing = scenarioFile({ ...server, failures: [{ op: 'logoff', errno: 1722, sessionId: 3 }] });
    const partial = await runCli(['idle', '--for', '2h', '--logoff', '--yes', '--mock', failing]);
    expect(partial.code).toBe(5);
    expect(partial.stdout).toMatch(/3\s+carol.*failed\s+RPC_S_SERVER_UNAVAILABLE/);
  });

  it('list shows a session Windows would not fully describe, with ? for its unknown user, and says why', async () => {
    const file = scenarioFile({ ...server, failures: [{ op: 'listSessions', errno: 5, sessionId: 4 }] });
    const run = await runCli(['list', '--mock', file]);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^ \?\s+RDP-Tcp#4\s+4\s+active\s+-/m);
    expect(run.stderr).toContain('Session 4: Windows refused some details (WTSSessionInfo ERROR_ACCESS_DENIED)');
    const json = JSON.parse((await runCli(['list', '--json', '--mock', file])).stdout) as {
      id: number;
      partial: unknown;
    }[];
    expect(json.find((s) => s.id === 4)?.partial).toEqual([
      expect.objectContaining({ infoClass: 'WTSSessionInfo', errno: 5, code: 'ERROR_ACCESS_DENIED' }),
    ]);
  });

  it('idle leaves an active console session alone unless --include-console is given', async () => {
    const file = scenarioFile({
      currentSessionId: 4,
      sessions: [
        { id: 1, stationName: 'Console', userName: 'admin', domain: 'CONTOSO', lastInputTime: '-3h' },
        { id: 4, stationName: 'RDP-Tcp#4', userName: 'dave', domain: 'CONTOSO', lastInputTime: '-2m' },
      ],
    });
    expect((await runCli(['idle', '--for', '2h', '--mock', file])).stdout).not.toContain('admin');
    expect((await runCli(['idle', '--for', '2h', '--include-console', '--mock', file])).stdout).toMatch(
      /admin\s+Console\s+1/,
    );
    const kept = await runCli(['idle', '--for', '2h', '--logoff', '--yes', '--mock', file]);
    expect(kept.code).toBe(0);
    expect(kept.stdout).toMatch(
      /1\s+admin\s+3h \d+m\s+skipped\s+ERR_NOT_IDLE: it is an active console session, whose idle time is not trusted/,
    );
    const opted = await runCli(['idle', '--for', '2h', '--logoff', '--yes', '--include-console', '--mock', file]);
    expect(opted.stdout).toMatch(/1\s+admin\s+3h \d+m\s+signedOut/);
  });

  it('disconnect, message, processes and watch', async () => {
    const file = scenarioFile({
      ...server,
      answers: [{ sessionId: 4, answer: 'yes' }],
      processes: [
        { pid: 9, name: 'app.exe', sessionId: 4, userName: 'dave', domain: 'CONTOSO', userSid: 'S-1-5-21-1-2-3-1009' },
      ],
      events: [
        { types: ['logon'], delayMs: 10 },
        { types: ['connect', 'stateChange'], delayMs: 10 },
      ],
    });
    expect((await runCli(['disconnect', '4', '--yes', '--mock', file])).stdout).toContain('Disconnected session 4.');
    expect(JSON.parse((await runCli(['disconnect', '4', '--yes', '--json', '--mock', file])).stdout)).toEqual({
      sessionId: 4,
      server: null,
      disconnected: true,
    });
    // Like msg: no waiting by default; --wait prints the answer.
    expect((await runCli(['message', '4', 'Reboot', 'at', '6?', '--mock', file])).stdout.trim()).toBe(
      'Sent to session 4.',
    );
    const answer = await runCli(['message', '4', 'Reboot', 'at', '6?', '--buttons', 'yesNo', '--wait', '--mock', file]);
    expect(answer.stdout.trim()).toBe('session 4: yes');
    expect((await runCli(['message', '4', 'x', '--buttons', 'perhaps', '--mock', file])).code).toBe(2);
    // Like qprocess: a bare number is a process id; the session goes by --session.
    expect((await runCli(['processes', '--session', '4', '--mock', file])).stdout).toMatch(
      /9\s+4\s+CONTOSO\\dave\s+app\.exe/,
    );
    expect((await runCli(['processes', '9', '--mock', file])).stdout).toMatch(/9\s+4\s+CONTOSO\\dave\s+app\.exe/);
    expect((await runCli(['processes', '4', '--mock', file])).stdout).not.toContain('app.exe');
    const events = await runCli(['watch', '--count', '2', '--json', '--mock', file]);
    expect(events.code).toBe(0);
    expect(
      events.stdout
        .trim()
        .split('\n')
        .map((l) => (JSON.parse(l) as { type: string }).type),
    ).toEqual(['logon', 'connect']);
  });

  it('without --mock off Windows: a clear error that points to the demo', async () => {
    if (process.platform === 'win32') return;
    const run = await runCli(['list']);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('ERR_WINDOWS_SESSIONS_UNSUPPORTED_PLATFORM');
    expect(run.stderr).toContain('windows-sessions list --mock');
  });
});

describe('windows-sessions CLI, spawned through the built entry point (dist/cli.cjs)', () => {
  it('prints and exits as the in-process runs do: a listing, a usage error, a sign-out', async () => {
    const file = scenarioFile(server);
    for (const args of [
      ['list', '--mock', file],
      ['logoff', '--mock', file],
      ['logoff', '2', '--yes', '--mock', file],
      ['list', 'carol', '--server', 'ts99', '--mock', file],
    ]) {
      expect(spawnCli(args), args.join(' ')).toEqual(await runCli(args));
    }
  });
});
