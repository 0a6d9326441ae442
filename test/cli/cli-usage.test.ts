// Issue 25: what each session costs in the CLI (list --usage, processes --usage, idle's dry run) and `top`, live on
// a terminal (keys, a resize, quitting) and as plain lines without one. Expected figures come from the scenario.
import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { CLI, runCli, scenarioFile } from './run-cli.js';

const MB = 1024 * 1024;
// bob's EXCEL.EXE spends 500 ms of CPU between two reads, alice's explorer 100 ms; carol's notepad none. Two
// processors: over the default 1 s, bob's session keeps a quarter of the machine busy.
const machine = {
  currentSessionId: 1,
  processors: 2,
  sessions: [
    { id: 1, stationName: 'Console', userName: 'alice', domain: 'CONTOSO', lastInputTime: '-1m' },
    { id: 2, stationName: 'RDP-Tcp#2', userName: 'bob', domain: 'CONTOSO', lastInputTime: '-20m' },
    { id: 3, stationName: '', state: 'disconnected', userName: 'carol', domain: 'CONTOSO', lastInputTime: '-3h' },
  ],
  processes: [
    {
      pid: 4312,
      name: 'explorer.exe',
      sessionId: 1,
      userName: 'alice',
      usage: { workingSetBytes: 118 * MB, cpuMsPerRead: 100 },
    },
    {
      pid: 5120,
      name: 'explorer.exe',
      sessionId: 2,
      userName: 'bob',
      usage: { workingSetBytes: 96 * MB, handles: 2210 },
    },
    {
      pid: 6020,
      name: 'EXCEL.EXE',
      sessionId: 2,
      userName: 'bob',
      usage: { workingSetBytes: 412 * MB, cpuMsPerRead: 500, threads: 41 },
    },
    { pid: 7424, name: 'notepad.exe', sessionId: 3, userName: 'carol', usage: { workingSetBytes: 14 * MB } },
  ],
};

describe('CLI: what sessions cost', () => {
  it("list --usage adds each session's CPU and memory, as Task Manager's Users tab", async () => {
    const { code, stdout } = await runCli(['list', '--usage', '--interval', '200ms', '--mock', scenarioFile(machine)]);
    expect(code).toBe(0);
    const rows = stdout.trimEnd().split('\n');
    expect(rows[0]).toMatch(/ USERNAME +SESSIONNAME +ID +STATE +IDLE +LOGON TIME +CPU +MEMORY$/);
    // The mock adds cpuMsPerRead per read, whatever the interval: alice's 100 ms over 200 ms of 2 processors.
    expect(rows[1]).toMatch(/^>alice .* 2\d\.\d% +118\.0 MB$/);
    expect(rows[2]).toMatch(/^ bob .* 508\.0 MB$/);
    expect(rows[3]).toMatch(/^ carol .* 0\.0% +14\.0 MB$/);
    const json = await runCli(['list', '--usage', '--json', '--mock', scenarioFile(machine)]);
    const bob = (JSON.parse(json.stdout) as { id: number; usage: Record<string, number> }[]).find((s) => s.id === 2)!;
    expect(bob.usage).toMatchObject({
      processCount: 2,
      workingSetBytes: 508 * MB,
      handles: 2210,
      threads: 41,
      cpuMs: 500,
    });
    expect(bob.usage.cpuPercent).toBeGreaterThan(20);
    expect(bob.usage.cpuPercent).toBeLessThan(26); // 500 ms of 2 processors over the measured ~1 s
    expect((await runCli(['list', '--interval', '2s', '--mock'])).stderr).toMatch(
      /--interval and --processors go with --usage/,
    );
  });

  it('processes --usage sorts by CPU, or by memory with --sort memory', async () => {
    const file = scenarioFile(machine);
    const pids = (stdout: string) =>
      stdout
        .trim()
        .split('\n')
        .slice(1)
        .map((l) => Number(l.split(/\s+/)[0]));
    const byCpu = await runCli(['processes', '--usage', '--interval', '200ms', '--mock', file]);
    expect(byCpu.stdout.split('\n')[0]).toMatch(/^PID +SESSION +USER +CPU +MEMORY +HANDLES +THREADS +IMAGE$/);
    expect(pids(byCpu.stdout)).toEqual([6020, 4312, 5120, 7424]);
    const byMemory = await runCli(['processes', '--usage', '--sort', 'memory', '--interval', '200ms', '--mock', file]);
    expect(pids(byMemory.stdout)).toEqual([6020, 4312, 5120, 7424].sort((a, b) => memoryOf(b) - memoryOf(a)));
    expect(byMemory.stdout).toMatch(/\n5120 +2 +bob +0\.0% +96\.0 MB +2210 +0 +explorer\.exe/);
    expect((await runCli(['processes', '--sort', 'cpu', '--mock'])).stderr).toMatch(/go with --usage/);
    expect((await runCli(['processes', '--usage', '--sort', 'name', '--mock'])).code).toBe(2);
  });

  it('the idle dry run says how much memory each sign-out would free', async () => {
    const { code, stdout } = await runCli([
      'idle',
      '--for',
      '10m',
      '--logoff',
      '--dry-run',
      '--mock',
      scenarioFile(machine),
    ]);
    expect(code).toBe(0);
    expect(stdout).toMatch(
      /^ID +USERNAME +IDLE +OUTCOME +MEMORY +DETAIL\n3 +carol +3h 0m +dryRun +14\.0 MB *\n2 +bob +20m +dryRun +508\.0 MB *\n$/,
    );
    const json = await runCli([
      'idle',
      '--for',
      '10m',
      '--logoff',
      '--dry-run',
      '--json',
      '--mock',
      scenarioFile(machine),
    ]);
    expect((JSON.parse(json.stdout) as { workingSetBytes: number }[]).map((r) => r.workingSetBytes)).toEqual([
      14 * MB,
      508 * MB,
    ]);
  });

  it('a scenario file names a wrong usage field', async () => {
    const bad = { ...machine, processes: [{ pid: 1, name: 'x.exe', sessionId: 1, usage: { workingSet: 5 } }] };
    const run = await runCli(['list', '--usage', '--mock', scenarioFile(bad)]);
    expect([run.code, run.stderr]).toEqual([
      2,
      expect.stringMatching(/processes\[0\]\.usage: unknown key "workingSet"/),
    ]);
    const negative = { ...machine, processes: [{ pid: 1, name: 'x.exe', sessionId: 1, usage: { handles: -1 } }] };
    expect((await runCli(['list', '--mock', scenarioFile(negative)])).stderr).toMatch(
      /usage\.handles must be a number >= 0/,
    );
  });
});

describe('CLI: top', () => {
  it('without a terminal prints each refresh as plain lines, busiest first, as top -b does', async () => {
    const { code, stdout } = await runCli(['top', '--count', '3', '--every', '100ms', '--mock', scenarioFile(machine)]);
    expect(code).toBe(0);
    const blocks = stdout.trimEnd().split('\n\n');
    expect(blocks).toHaveLength(3);
    const lines = blocks[0]!.split('\n');
    expect(lines[0]).toMatch(/^TIME +ID +USERNAME +STATE +IDLE +CPU +MEMORY +PROCESSES$/);
    expect(blocks.map((b) => b.split('\n').length)).toEqual([4, 4, 4]);
    expect(lines.slice(1, 4).map((l) => l.split(/\s+/)[3])).toEqual(['bob', 'alice', 'carol']);
    expect(lines[1]).toMatch(/ 2 +bob +active +20m +\d+\.\d% +508\.0 MB +2$/);
    const json = await runCli([
      'top',
      '--count',
      '2',
      '--every',
      '100ms',
      '--sort',
      'memory',
      '--json',
      '--mock',
      scenarioFile(machine),
    ]);
    const frames = json.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { processors: number; sessions: { id: number; usage: { cpuMs: number } }[] });
    expect(frames).toHaveLength(2);
    expect(frames[1]!.processors).toBe(2);
    expect(frames[1]!.sessions.map((s) => [s.id, s.usage.cpuMs])).toEqual([
      [2, 500],
      [1, 100],
      [3, 0],
    ]);
  });

  it('gives a remote host a CPU share only with --processors (Windows does not tell its count)', async () => {
    const remote = {
      servers: { ts01: machine.sessions },
      processes: machine.processes.map((p) => ({ ...p, server: 'ts01' })),
    };
    const file = scenarioFile(remote);
    const unknown = await runCli(['top', '--server', 'ts01', '--count', '1', '--every', '200ms', '--mock', file]);
    // bob's 500 ms of CPU between two reads, over the measured ~200 ms: about 2.5 processors' worth.
    expect(unknown.stdout).toMatch(/ 2 +bob +active +20m +2\.\d\d cpu +508\.0 MB +2\n/);
    const given = await runCli([
      'top',
      '--server',
      'ts01',
      '--processors',
      '10',
      '--count',
      '1',
      '--every',
      '200ms',
      '--mock',
      file,
    ]);
    expect(given.stdout).toMatch(/ 2 +bob +active +20m +2\d\.\d% +508\.0 MB +2\n/);
    expect((await runCli(['top', '--processors', '0', '--mock'])).stderr).toMatch(
      /--processors must be a whole number/,
    );
  });

  it('refuses bad flags', async () => {
    expect((await runCli(['top', '--sort', 'name', '--mock'])).stderr).toMatch(
      /--sort must be 'cpu', 'memory' or 'idle'/,
    );
    expect((await runCli(['top', '--count', '0', '--mock'])).stderr).toMatch(/--count must be a whole number from 1/);
    expect((await runCli(['top', '--every', '10ms', '--mock'])).stderr).toMatch(/--interval must be from 100ms/);
  });

  it('on a terminal: redraws only what changed, sorts on a key, redraws all after a resize, and quits on q', async () => {
    // No CPU and nothing that moves: after the first screen only the clock line changes.
    const still = {
      ...machine,
      processes: machine.processes.map((p) => ({ ...p, usage: { workingSetBytes: p.usage.workingSetBytes } })),
    };
    const file = scenarioFile(still);
    const { code, screen } = await onTerminal(
      ['top', '--every', '200ms', '--mock', file],
      [
        [2200, 'i'],
        [3200, 'resize'],
        [4200, 'q'],
      ],
    );
    expect(code).toBe(0);
    const clears = screen.split('^[[2J');
    expect(clears).toHaveLength(3); // the first screen and the one after the resize
    const [, first, afterResize] = clears as [string, string, string];
    // Drawn once before the key, however many refreshes: unchanged lines are not written again.
    const beforeKey = first.split('sort: idle')[0]!;
    expect(beforeKey.match(/carol/g)).toHaveLength(1);
    // The clock line shows seconds: over 2 s of refreshes it was drawn again, the rows were not.
    expect(beforeKey.match(/ 3 sessions {2}4 processes /g)!.length).toBeGreaterThanOrEqual(2);
    // Sorted by CPU (all 0: by id), then by idle time on 'i': carol (3 h) first.
    expect(first).toMatch(/sort: cpu[\s\S]*\^\[\[5;1H1 +alice/);
    expect(first).toMatch(/sort: idle[\s\S]*\^\[\[5;1H3 +carol/);
    // After the resize to 40 x 8, every line again, cut to 40 columns, and no row below the 8th.
    const drawn = [...afterResize.matchAll(/\^\[\[(\d+);1H((?:(?!\^\[).)*)/g)];
    expect(drawn.every(([, row, text]) => Number(row) <= 9 && text!.length <= 40)).toBe(true);
    expect(afterResize).toMatch(/\^\[\[5;1H3 +carol/);
    expect(screen).toContain('^[[?25l'); // the cursor hidden while drawing
    expect(screen.endsWith('^[[?25h')).toBe(true); // and shown again on the way out
  }, 30_000);
});

function memoryOf(pid: number): number {
  return machine.processes.find((p) => p.pid === pid)!.usage.workingSetBytes;
}

/**
 * Runs the CLI on a pseudo-terminal of 100 x 20 (util-linux `script`), typing each key at its time; 'resize' makes
 * the terminal 40 x 8 (stty, which signals SIGWINCH to the program as a real resize does).
 */
function onTerminal(args: string[], steps: [number, string][]): Promise<{ code: number | null; screen: string }> {
  const quoted = [process.execPath, CLI, ...args].map((a) => `'${a.replaceAll("'", "'\\''")}'`).join(' ');
  const resizeAt = steps.find(([, key]) => key === 'resize')?.[0];
  const resize = resizeAt === undefined ? '' : `(sleep ${resizeAt / 1000}; stty cols 40 rows 8 </dev/tty) & `;
  const shell = `stty cols 100 rows 20; ${resize}exec ${quoted}`;
  const child = spawn('script', ['-qec', `sh -c "${shell.replaceAll('"', '\\"')}"`, '/dev/null'], {
    env: { ...process.env, TZ: 'UTC' },
  });
  let screen = '';
  child.stdout.on('data', (chunk: Buffer) => (screen += chunk.toString()));
  for (const [at, key] of steps) if (key !== 'resize') setTimeout(() => child.stdin.write(key), at);
  const timer = setTimeout(() => child.kill('SIGKILL'), 25_000);
  return new Promise((resolve) => {
    child.on('close', (code) => {
      clearTimeout(timer);
      // The escape character as ^[ (as cat -v shows it), so that the checks read as the terminal's commands.
      resolve({ code, screen: screen.replaceAll('\x1b', '^[') });
    });
  });
}
