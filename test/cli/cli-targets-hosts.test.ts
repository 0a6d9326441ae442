// Issue 21 (the CLI): a missing target said plainly, --yes wherever an action asks first, several hosts for every
// read, quser's `list <user>`, and processes that are not there.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, runCliOnTerminal, scenarioFile } from './run-cli.js';

const farm = {
  currentSessionId: 1,
  sessions: [
    { id: 1, stationName: 'Console', userName: 'admin', domain: 'CONTOSO', logonTime: '2031-01-02T08:00:00Z' },
    { id: 2, stationName: 'RDP-Tcp#2', userName: 'bob', domain: 'CONTOSO', logonTime: '2031-01-02T09:30:00Z' },
    { id: 5, stationName: 'RDP-Tcp#5', userName: 'BOB', domain: 'FABRIKAM', logonTime: '2031-01-02T10:00:00Z' },
  ],
  servers: {
    ts01: [
      {
        id: 7,
        stationName: 'RDP-Tcp#7',
        userName: 'erin',
        domain: 'CONTOSO',
        logonTime: '2031-01-03T07:15:00Z',
        lastInputTime: '-3h',
      },
    ],
    ts02: [
      {
        id: 3,
        stationName: 'RDP-Tcp#3',
        userName: 'frank',
        domain: 'CONTOSO',
        logonTime: '2031-01-03T08:45:00Z',
        lastInputTime: '-5h',
      },
    ],
  },
  processes: [
    { pid: 70, name: 'excel.exe', sessionId: 7, userName: 'erin', domain: 'CONTOSO', server: 'ts01' },
    { pid: 30, name: 'word.exe', sessionId: 3, userName: 'frank', domain: 'CONTOSO', server: 'ts02' },
    { pid: 20, name: 'app.exe', sessionId: 2, userName: 'bob', domain: 'CONTOSO' },
  ],
};

describe('CLI: a missing target is named as missing', () => {
  it('logoff and disconnect without an id say what to give (exit 2)', async () => {
    const file = scenarioFile(farm);
    for (const command of ['logoff', 'disconnect']) {
      const run = await runCli([command, '--yes', '--mock', file]);
      expect([run.code, run.stdout, run.stderr], command).toEqual([
        2,
        '',
        'windows-sessions: ERR_USAGE: missing the session: give its id, --user <name> or --session-name <name> (see --help)\n',
      ]);
    }
  });

  it('--all without --user says it goes with --user', async () => {
    const run = await runCli(['logoff', '--all', '--yes', '--mock', scenarioFile(farm)]);
    expect([run.code, run.stderr]).toEqual([
      2,
      'windows-sessions: ERR_USAGE: --all goes with --user or --session-name (see --help)\n',
    ]);
  });

  it('off Windows without --mock, a missing id is still a usage error, not the platform error', async () => {
    if (process.platform === 'win32') return;
    for (const command of ['logoff', 'disconnect']) {
      const run = await runCli([command]);
      expect(run.code, command).toBe(2);
      expect(run.stderr, command).toMatch(/^windows-sessions: ERR_USAGE: missing the session/);
      expect(run.stderr, command).not.toContain('UNSUPPORTED_PLATFORM');
    }
  });
});

describe('CLI: --yes wherever an action asks first', () => {
  it('disconnect accepts --yes, and without it refuses where no terminal can ask', async () => {
    const file = scenarioFile(farm);
    const done = await runCli(['disconnect', '2', '--yes', '--mock', file]);
    expect([done.code, done.stdout, done.stderr]).toEqual([0, 'Disconnected session 2.\n', '']);
    const asked = await runCli(['disconnect', '2', '--mock', file]);
    expect([asked.code, asked.stdout, asked.stderr]).toEqual([
      3,
      '',
      'windows-sessions: ERR_NOT_CONFIRMED: Not disconnected: there is no terminal to confirm on (pass --yes to skip the question).\n',
    ]);
  });

  it('disconnect asks on a terminal, naming who: y disconnects, n does not', () => {
    const file = scenarioFile(farm);
    const yes = runCliOnTerminal(['disconnect', '2', '--mock', file], 'y\n');
    expect(yes.stdout).toContain('Disconnect bob (session 2)? Their programs keep running. [y/N]');
    expect(yes.stdout).toContain('Disconnected bob (session 2).');
    expect(yes.code).toBe(0);
    const no = runCliOnTerminal(['disconnect', '2', '--mock', file], 'n\n');
    expect(no.stdout).toContain('windows-sessions: ERR_NOT_CONFIRMED: Not disconnected.');
    expect(no.stdout).not.toContain('Disconnected bob');
    expect(no.code).toBe(3);
  });
});

describe('CLI: every read takes several hosts, with a SERVER column', () => {
  it('list: a comma list and a repeated --server give the same table', async () => {
    const file = scenarioFile(farm);
    const table = [
      'SERVER   USERNAME  SESSIONNAME  ID  STATE   IDLE   LOGON TIME',
      'ts01     erin      RDP-Tcp#7    7   active  3h 0m  2031-01-03 07:15',
      'ts02     frank     RDP-Tcp#3    3   active  5h 0m  2031-01-03 08:45',
      '',
    ].join('\n');
    const comma = await runCli(['list', '--server', 'ts01,ts02', '--mock', file]);
    expect([comma.code, comma.stdout, comma.stderr]).toEqual([0, table, '']);
    const repeated = await runCli(['--server', 'ts01', 'list', '--server=ts02', '--mock', file]);
    expect(repeated.stdout).toBe(table);
  });

  it('list: a host that does not answer is its own error line; the others are listed (exit 5)', async () => {
    const run = await runCli(['list', '--server', 'ts01,ts99', '--mock', scenarioFile(farm)]);
    expect(run.code).toBe(5);
    expect(run.stdout).toMatch(/^SERVER {3}USERNAME {2}SESSIONNAME {2}ID {2}STATE {3}IDLE {3}LOGON TIME\nts01 {5}erin/);
    expect(run.stderr).toBe(
      'windows-sessions: RPC_S_SERVER_UNAVAILABLE: WTSEnumerateSessionsW failed on ts99: The RPC server is unavailable. (RPC_S_SERVER_UNAVAILABLE, 1722). Hint: check that ts99 is up and reachable, and that its firewall allows Remote Service Management (RPC)\n',
    );
    const json = JSON.parse(
      (await runCli(['list', '--server', 'ts01,ts99', '--json', '--mock', scenarioFile(farm)])).stdout,
    ) as { server: string; ok: boolean; sessions?: { id: number }[]; error?: { code: string } }[];
    expect(json.map((h) => [h.server, h.ok, h.sessions?.map((s) => s.id) ?? h.error?.code])).toEqual([
      ['ts01', true, [7]],
      ['ts99', false, 'RPC_S_SERVER_UNAVAILABLE'],
    ]);
  });

  it('idle and processes take several hosts too', async () => {
    const file = scenarioFile(farm);
    const idle = await runCli(['idle', '--for', '2h', '--server', 'ts02,ts01', '--mock', file]);
    expect(idle.code).toBe(0);
    expect(idle.stdout.split('\n').slice(0, 3)).toEqual([
      'SERVER   USERNAME  SESSIONNAME  ID  STATE   IDLE   LOGON TIME',
      'ts02     frank     RDP-Tcp#3    3   active  5h 0m  2031-01-03 08:45',
      'ts01     erin      RDP-Tcp#7    7   active  3h 0m  2031-01-03 07:15',
    ]);
    const processes = await runCli(['processes', '--server', 'ts01', '--server', 'ts02', '--mock', file]);
    expect(processes.stdout).toBe(
      [
        'SERVER  PID  SESSION  USER           IMAGE',
        'ts01    70   7        CONTOSO\\erin   excel.exe',
        'ts02    30   3        CONTOSO\\frank  word.exe',
        '',
      ].join('\n'),
    );
  });

  it('policy takes a repeated --server as it takes a comma list', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'windows-sessions-hosts-'));
    const policy = join(dir, 'policy.json');
    writeFileSync(
      policy,
      JSON.stringify({ trust: { users: ['CONTOSO\\erin'] }, rules: { untrustedUser: { action: 'signOut' } } }),
    );
    const file = scenarioFile(farm);
    const repeated = await runCli(['policy', 'check', policy, '--server', 'ts01', '--server', 'ts02', '--mock', file]);
    const comma = await runCli(['policy', 'check', policy, '--server', 'ts01,ts02', '--mock', file]);
    expect(repeated).toEqual(comma);
    expect(repeated.code).toBe(6);
    expect(repeated.stdout.split('\n').slice(1, 2)).toEqual([
      'ts02  3   CONTOSO\\frank  -       untrustedUser  signOut  user CONTOSO\\frank is not trusted',
    ]);
  });

  it('an action takes one host: several are a usage error, and nothing is done', async () => {
    const file = scenarioFile(farm);
    const run = await runCli(['logoff', '7', '--server', 'ts01,ts02', '--yes', '--mock', file]);
    expect([run.code, run.stdout, run.stderr]).toEqual([
      2,
      '',
      'windows-sessions: ERR_USAGE: logoff acts on one host at a time; --server takes one name here, got ts01,ts02 (see --help)\n',
    ]);
    const sweep = await runCli(['idle', '--for', '1h', '--logoff', '--yes', '--server', 'ts01,ts02', '--mock', file]);
    expect(sweep.code).toBe(2);
  });
});

describe('CLI: list <user>, as quser <user>', () => {
  it('list bob and list --user bob list only bob, in any case and domain', async () => {
    const file = scenarioFile(farm);
    const expected = [
      ' USERNAME  SESSIONNAME  ID  STATE   IDLE  LOGON TIME',
      ' bob       RDP-Tcp#2    2   active  -     2031-01-02 09:30',
      ' BOB       RDP-Tcp#5    5   active  -     2031-01-02 10:00',
      '',
    ].join('\n');
    expect((await runCli(['list', 'bob', '--mock', file])).stdout).toBe(expected);
    expect((await runCli(['list', '--user', 'Bob', '--mock', file])).stdout).toBe(expected);
    const domain = await runCli(['list', 'fabrikam\\bob', '--json', '--mock', file]);
    expect((JSON.parse(domain.stdout) as { id: number }[]).map((s) => s.id)).toEqual([5]);
  });

  it('no session of that user is refused (exit 3); the user given twice is a usage error', async () => {
    const file = scenarioFile(farm);
    const none = await runCli(['list', 'zed', '--mock', file]);
    expect([none.code, none.stdout, none.stderr]).toEqual([
      3,
      '',
      'windows-sessions: ERR_NO_SUCH_USER: No session of user zed.\n',
    ]);
    expect((await runCli(['list', 'bob', '--user', 'bob', '--mock', file])).code).toBe(2);
    const slash = await runCli(['list', '/server:ts01', '--mock', file]);
    expect([slash.code, slash.stderr]).toEqual([2, expect.stringContaining('not /server:<host>')]);
  });
});

describe('CLI: processes that are not there', () => {
  it('a missing process id or session is refused with its code; an empty session says so (exit 0)', async () => {
    const file = scenarioFile(farm);
    const pid = await runCli(['processes', '4242', '--mock', file]);
    expect([pid.code, pid.stdout, pid.stderr]).toEqual([
      3,
      '',
      "windows-sessions: ERR_NO_SUCH_PROCESS: No process 4242 (a bare number is a process id; --session <id> lists a session's).\n",
    ]);
    const session = await runCli(['processes', '--session', '4242', '--mock', file]);
    expect([session.code, session.stdout, session.stderr]).toEqual([
      3,
      '',
      'windows-sessions: ERR_NO_SUCH_SESSION: No session 4242.\n',
    ]);
    const empty = await runCli(['processes', '--session', '5', '--mock', file]);
    expect([empty.code, empty.stdout, empty.stderr]).toEqual([0, 'No process in session 5.\n', '']);
  });
});

describe('a remote host whose clock cannot be read (NetRemoteTOD fails): idle times unknown unless --caller-clock', () => {
  const unreadable = { ...farm, remoteClocks: { ts01: { errno: 53 } } };

  it("list shows no idle time for it, and --caller-clock gives one on this machine's clock", async () => {
    const file = scenarioFile(unreadable);
    const plain = await runCli(['list', 'erin', '--server', 'ts01', '--json', '--mock', file]);
    expect(JSON.parse(plain.stdout)).toMatchObject([{ userName: 'erin', idleMs: null, clock: null }]);
    const opted = await runCli(['list', 'erin', '--server', 'ts01', '--caller-clock', '--json', '--mock', file]);
    const [erin] = JSON.parse(opted.stdout) as { idleMs: number; clock: string }[];
    expect(erin!.clock).toBe('caller');
    expect(erin!.idleMs).toBeGreaterThanOrEqual(3 * 3_600_000); // the scenario's three hours
  });

  it('idle leaves it alone (nobody knows how long it was idle), and judges it with --caller-clock', async () => {
    const file = scenarioFile(unreadable);
    const plain = await runCli(['idle', '--for', '1h', '--server', 'ts01', '--mock', file]);
    expect([plain.code, plain.stdout.trim()]).toEqual([0, 'No session is idle for 1h on ts01.']);
    const opted = await runCli(['idle', '--for', '1h', '--server', 'ts01', '--caller-clock', '--mock', file]);
    expect(opted.stdout).toMatch(/erin/);
    // The near miss: ts02's clock is read, so its idle session is found either way.
    const other = await runCli(['idle', '--for', '1h', '--server', 'ts02', '--mock', file]);
    expect(other.stdout).toMatch(/frank/);
  });

  it('policy check and enforce leave it alone, and judge it with --caller-clock', async () => {
    const file = scenarioFile(unreadable);
    const policy = join(mkdtempSync(join(tmpdir(), 'windows-sessions-clock-')), 'policy.json');
    writeFileSync(policy, JSON.stringify({ rules: { idle: { after: '1h', action: 'signOut' } } }));
    const plain = await runCli(['policy', 'check', policy, '--server', 'ts01', '--json', '--mock', file]);
    expect([plain.code, JSON.parse(plain.stdout)]).toEqual([0, []]);
    const opted = await runCli([
      'policy',
      'check',
      policy,
      '--server',
      'ts01',
      '--caller-clock',
      '--json',
      '--mock',
      file,
    ]);
    expect(JSON.parse(opted.stdout)).toMatchObject([{ server: 'ts01', sessionId: 7, userName: 'erin', rule: 'idle' }]);
    const once = ['policy', 'enforce', policy, '--once', '--yes', '--server', 'ts01', '--json', '--mock', file];
    expect(JSON.parse((await runCli(once)).stdout)).toEqual([]);
    const acted = await runCli([...once, '--caller-clock']);
    expect(JSON.parse(acted.stdout)).toMatchObject([{ sessionId: 7, outcome: 'signedOut' }]);
  });
});
