// Issue 11's command line, through the real entry point: strict targets, honest prompts, the habits of quser,
// logoff, msg, tsdiscon and qprocess.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CLI, runCli, spawnCli, runCliOnTerminal, scenarioFile } from './run-cli.js';

const server = {
  currentSessionId: 9,
  sessions: [
    { id: 1, stationName: 'Console', userName: 'admin', domain: 'CONTOSO', lastInputTime: '-1m' },
    {
      id: 2,
      stationName: 'RDP-Tcp#2',
      userName: 'bob',
      domain: 'CONTOSO',
      clientName: 'BOB-PC',
      clientAddress: '192.0.2.15',
      logonTime: '2031-01-02T09:30:00Z',
      lastInputTime: '-3h',
    },
    { id: 3, state: 'disconnected', userName: 'carol', domain: 'CONTOSO', disconnectTime: '-5h', lastInputTime: '-6h' },
    { id: 4, stationName: 'RDP-Tcp#4', userName: 'dave', domain: 'CONTOSO', lastInputTime: '-2m' },
    { id: 5, stationName: 'RDP-Tcp#5', userName: 'BOB', domain: 'FABRIKAM', lastInputTime: '-4h' },
  ],
  servers: { ts01: [{ id: 7, stationName: 'RDP-Tcp#7', userName: 'erin', domain: 'CONTOSO', lastInputTime: '-9h' }] },
};

describe('CLI: never a guessed target', () => {
  it('refuses an empty, blank or option-like --server (exit 2), and signs nobody out', async () => {
    const file = scenarioFile(server);
    for (const args of [
      ['logoff', '2', '--server', '', '--yes'],
      ['logoff', '2', '--server=', '--yes'],
      ['logoff', '2', '--server', '   ', '--yes'],
      ['logoff', '2', '--server', '--yes'],
      ['list', '--server', ' ts01'],
    ]) {
      const run = await runCli([...args, '--mock', file]);
      expect(run.code, args.join(' ')).toBe(2);
      expect(run.stderr).toMatch(/^windows-sessions: ERR_USAGE: .*--server/);
      expect(run.stdout).not.toContain('Signed out');
    }
  });

  it('refuses stray positional arguments on every command', async () => {
    const file = scenarioFile(server);
    for (const args of [
      ['list', 'bob', 'carol'],
      ['list', '/server:ts01'],
      ['idle', '--for', '2h', 'extra'],
      ['watch', 'now'],
      ['processes', '1', '2'],
      ['logoff', '2', '3', '--yes'],
      ['disconnect', '2', 'bob'],
    ]) {
      const run = await runCli([...args, '--mock', file]);
      expect(run.code, args.join(' ')).toBe(2);
      expect(run.stderr).toContain('unexpected argument');
    }
  });

  it('names the server in what remote actions print', async () => {
    const file = scenarioFile(server);
    expect((await runCli(['logoff', '7', '--server', 'ts01', '--yes', '--mock', file])).stdout).toBe(
      'Signed out session 7 on ts01.\n',
    );
    expect((await runCli(['disconnect', '--user', 'erin', '--server', 'ts01', '--yes', '--mock', file])).stdout).toBe(
      'Disconnected erin (session 7) on ts01.\n',
    );
  });

  it('the idle prompt lists who would be signed out before it asks', async () => {
    const file = scenarioFile(server);
    const run = runCliOnTerminal(['idle', '--for', '2h', '--logoff', '--mock', file], 'n\n');
    expect(run.code).toBe(3);
    const [list, question] = [run.stdout.indexOf('carol'), run.stdout.indexOf('Sign out these 3 session(s)?')];
    expect(list).toBeGreaterThan(-1);
    expect(question).toBeGreaterThan(list);
    for (const name of ['carol', 'bob', 'BOB']) expect(run.stdout).toContain(name);
    expect(run.stdout).toContain('Nobody signed out.');
  });
});

describe('CLI: choosing sessions as quser, logoff and msg users do', () => {
  it('logoff --user: any case, DOMAIN\\user; several matches refused unless --all', async () => {
    const file = scenarioFile(server);
    const many = await runCli(['logoff', '--user', 'bob', '--yes', '--mock', file]);
    expect(many.code).toBe(3);
    expect(many.stderr).toContain('2 sessions match user bob (2, 5)');
    const one = await runCli(['logoff', '--user', 'contoso\\BOB', '--yes', '--mock', file]);
    expect([one.code, one.stdout]).toEqual([0, 'Signed out bob (session 2).\n']);
    const all = await runCli(['logoff', '--user', 'Bob', '--all', '--yes', '--json', '--mock', file]);
    expect(
      (JSON.parse(all.stdout) as { sessionId: number; outcome: string }[]).map((r) => [r.sessionId, r.outcome]),
    ).toEqual([
      [2, 'signedOut'],
      [5, 'signedOut'],
    ]);
    const none = await runCli(['logoff', '--user', 'WRONG\\bob', '--yes', '--mock', file]);
    expect([none.code, none.stderr.trim()]).toEqual([
      3,
      'windows-sessions: ERR_NO_SUCH_USER: No session of user WRONG\\bob.',
    ]);
    const byName = await runCli(['logoff', '--session-name', 'rdp-tcp#4', '--yes', '--mock', file]);
    expect(byName.stdout).toBe('Signed out dave (session 4).\n');
  });

  it("message '*' reaches every signed-in active session, and the text can come from standard input", async () => {
    const file = scenarioFile(server);
    const all = await runCli(['message', '*', 'Reboot at 18:00', '--json', '--mock', file]);
    expect(all.code).toBe(0);
    // Carol is disconnected: nobody could read it.
    expect(
      (JSON.parse(all.stdout) as { sessionId: number; answer: string }[]).map((r) => [r.sessionId, r.answer]),
    ).toEqual([
      [1, 'async'],
      [2, 'async'],
      [4, 'async'],
      [5, 'async'],
    ]);
    expect((await runCli(['message', '4', '--mock', file], 'Back in five minutes\n')).stdout).toBe(
      'Sent to session 4.\n',
    );
    expect((await runCli(['message', '4', '-', '--mock', file], 'From stdin\n')).code).toBe(0);
    expect((await runCli(['message', '4', '--mock', file], '')).code).toBe(2); // nothing to say
  });

  it('message waits only with --wait, and --timeout closes the box as msg /time does', async () => {
    const file = scenarioFile({ ...server, answers: [{ sessionId: 4, answer: 'ok', delayMs: 5000 }] });
    const started = Date.now();
    expect((await runCli(['message', '4', 'hi', '--mock', file])).stdout).toBe('Sent to session 4.\n');
    expect(Date.now() - started).toBeLessThan(4000); // did not wait for the 5 s answer
    expect((await runCli(['message', '4', 'hi', '--wait', '--timeout', '1', '--mock', file])).stdout).toBe(
      'session 4: timeout\n',
    );
  });

  it('watch lists again after each event and says who signed on, from where', async () => {
    const file = scenarioFile({
      ...server,
      events: [
        {
          types: ['logon'],
          delayMs: 10,
          change: {
            set: [{ id: 6, stationName: 'RDP-Tcp#6', userName: 'frank', domain: 'CONTOSO', clientAddress: '10.1.2.3' }],
          },
        },
        {
          types: ['disconnect'],
          delayMs: 10,
          change: { set: [{ id: 4, state: 'disconnected', userName: 'dave', domain: 'CONTOSO' }] },
        },
        { types: ['logoff'], delayMs: 10, change: { remove: [6] } },
      ],
    });
    const run = await runCli(['watch', '--count', '3', '--mock', file]);
    expect(run.code).toBe(0);
    const changes = run.stdout
      .split('\n')
      .filter((l) => l.startsWith('    '))
      .map((l) => l.trim());
    expect(changes).toEqual([
      'frank signed on to session 6 from 10.1.2.3',
      'dave disconnected from session 4',
      'frank signed off from session 6',
    ]);
  });
});

describe('CLI: the details a newcomer runs into', () => {
  it('watch --mock stays open until Ctrl+C, then ends cleanly (exit 0)', async () => {
    const child = spawn(process.execPath, [CLI, 'watch', '--mock'], { stdio: 'ignore' });
    const exited = new Promise<number | null>((resolve) =>
      child.on('exit', (code) => {
        resolve(code);
      }),
    );
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(child.exitCode).toBeNull(); // still watching: no event has come, and nothing ends it
    child.kill('SIGINT');
    expect(await exited).toBe(0);
  });

  it('--version prints the package version, not the calling project one', async () => {
    const { version } = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
      version: string;
    };
    const run = await runCli(['--version']);
    expect(run.stdout.trim()).toBe(version);
    const spawnedInAProject = spawnCli(['--version'], undefined, { npm_package_version: '9.9.9-theirs' });
    expect(spawnedInAProject.stdout.trim()).toBe(version);
  });

  it('global flags before the command work as after it', async () => {
    const file = scenarioFile(server);
    const ids = (run: { stdout: string }) => (JSON.parse(run.stdout) as { id: number }[]).map((s) => s.id);
    const before = await runCli(['--mock', file, '--json', 'list']);
    expect(before.code).toBe(0);
    expect(ids(before)).toEqual(ids(await runCli(['list', '--mock', file, '--json'])));
    expect((await runCli(['--server', 'ts01', '--mock', file, 'list'])).stdout).toContain('erin');
  });

  it('--json works on every command', async () => {
    const file = scenarioFile(server);
    for (const args of [
      ['list'],
      ['idle', '--for', '1h'],
      ['processes'],
      ['disconnect', '4', '--yes'],
      ['message', '4', 'hi'],
      ['logoff', '4', '--yes'],
    ]) {
      const run = await runCli([...args, '--json', '--mock', file]);
      expect(run.code, args.join(' ')).toBe(0);
      expect(() => JSON.parse(run.stdout) as unknown, args.join(' ')).not.toThrow();
    }
  });

  it('validates a --mock file: a file that is not there, unknown keys, named by their place', async () => {
    expect((await runCli(['list', '--mock', 'scenario.yaml'])).stderr).toBe(
      'windows-sessions: ENOENT: cannot read the scenario file scenario.yaml: no such file\n',
    );
    const typo = await runCli(['list', '--mock', scenarioFile({ sesions: [] })]);
    expect([typo.code, typo.stderr]).toEqual([2, expect.stringContaining('unknown key "sesions"')]);
    const deep = await runCli(['list', '--mock', scenarioFile({ sessions: [{ id: 2, user: 'bob' }] })]);
    expect(deep.stderr).toContain('sessions[0]: unknown key "user"');
  });

  it("list shows quser's columns, query session's with --columns session, and the client with --wide", async () => {
    const file = scenarioFile(server);
    const wide = (await runCli(['list', '--wide', '--mock', file])).stdout.split('\n');
    expect(wide[0]).toMatch(/^ USERNAME\s+SESSIONNAME\s+ID\s+STATE\s+IDLE\s+LOGON TIME\s+CLIENT\s+ADDRESS$/);
    expect(wide.find((l) => l.includes('bob') && l.includes('RDP-Tcp#2'))).toMatch(/BOB-PC\s+192\.0\.2\.15$/);
    const qwinsta = (await runCli(['list', '--columns', 'session', '--mock', file])).stdout.split('\n');
    expect(qwinsta[0]).toMatch(/^ SESSIONNAME\s+USERNAME\s+ID\s+STATE\s+TYPE\s+DEVICE$/);
    expect(qwinsta.some((l) => /^ Services\s+0\s+disconnected/.test(l))).toBe(true);
    expect(qwinsta.some((l) => /^ RDP-Tcp\s+65536\s+listen\s+rdp/.test(l))).toBe(true);
  });
});
