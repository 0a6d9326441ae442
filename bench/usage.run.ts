// npm run bench, issue 25: what usage costs. Listing 2,000 processes with WTSEnumerateProcessesExW (usage) against
// WTSEnumerateProcessesW (none), in Windows node.exe under Wine; the per-session sums and CPU shares in JS; and the
// CPU `top` takes while it waits between refreshes (in this process, on the mock, with a terminal-less output).
import { PassThrough } from 'node:stream';
import { expect, inject, it } from 'vitest';
import { runCli } from '../lib/cli/main.js';
import { usageBetween } from '../lib/ops/usage.js';
import type { ProcessInfo } from '../lib/types.js';
import { writeStandinScenario } from '../test/native/wine/standin-scenario.js';
import { WindowsNode } from '../test/native/wine/windows-node.js';
import { benchScenario } from './scenarios.js';

const PROCESSES = 2000;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1]!;
const round = (x: number, digits = 2) => Number(x.toFixed(digits));

/** 2,000 processes over 100 sessions, owned by a handful of accounts (each SID is looked up once per listing). */
function withProcesses(count: number) {
  const scenario = benchScenario(100);
  const sids = ['S-1-5-18', 'S-1-5-19', 'S-1-5-20'];
  scenario.processes = Array.from({ length: count }, (_, i) => ({
    pid: 4 * (i + 1),
    name: `process-${i}.exe`,
    sessionId: 2 + (i % 100),
    userName: null,
    domain: null,
    userSid: sids[i % sids.length]!,
    usage: {
      workingSetBytes: 1_048_576 * (1 + (i % 500)),
      pagefileBytes: 524_288 * (1 + (i % 300)),
      handles: 100 + (i % 900),
      threads: 1 + (i % 40),
      userTimeMs: 1000 * i,
      kernelTimeMs: 500 * i,
      cpuMsPerRead: i % 7,
    },
  }));
  return scenario;
}

it('usage of 2,000 processes against a listing without it, and top while idle', async () => {
  const windows = await WindowsNode.start(inject('wine')!);
  const bench = (p: Record<string, unknown>) => windows.request<{ times: number[]; count: number }>('bench', p);
  try {
    writeStandinScenario(windows.standinDir, withProcesses(PROCESSES), { statsEveryCall: false });
    const runs = 30;
    const plain = await bench({ kind: 'processes', runs, usage: false });
    const usage = await bench({ kind: 'processes', runs, usage: true });
    expect([plain.count, usage.count]).toEqual([PROCESSES, PROCESSES]);

    // The sums and shares of getSessionUsage and top, in JS: two samples of 2,000 processes, as the mock gives them.
    const sample = (step: number): ProcessInfo[] =>
      withProcesses(PROCESSES).processes.map(({ usage: u, ...p }) => ({
        ...p,
        usage: {
          workingSetBytes: u!.workingSetBytes,
          pagefileBytes: u!.pagefileBytes,
          handles: u!.handles,
          threads: u!.threads,
          userTimeMs: u!.userTimeMs + step * u!.cpuMsPerRead,
          kernelTimeMs: u!.kernelTimeMs,
        },
      }));
    const [before, after] = [sample(0), sample(1)];
    const sums: number[] = [];
    for (let i = 0; i < 200; i++) {
      const started = performance.now();
      usageBetween(before, after, 1000, 8);
      sums.push(performance.now() - started);
    }

    // top on the demo mock, refreshing every 2 s for 20 s, without a terminal: its CPU time per second of wall time.
    const out = new PassThrough().resume();
    const stop = new AbortController();
    const cpuBefore = process.cpuUsage();
    const wallStarted = performance.now();
    const ran = runCli(
      ['top', '--mock', '--every', '2s', '--count', '10'],
      { stdout: out, stderr: out, stdin: process.stdin },
      stop.signal,
    );
    expect(await ran).toBe(0);
    const wallMs = performance.now() - wallStarted;
    const cpu = process.cpuUsage(cpuBefore);
    const topCpuMsPerSecond = (cpu.user + cpu.system) / 1000 / (wallMs / 1000);

    const rows = {
      processes: PROCESSES,
      'listProcesses ms (WTSEnumerateProcessesW)': round(median(plain.times)),
      'listProcesses({ usage: true }) ms (WTSEnumerateProcessesExW)': round(median(usage.times)),
      'usage / plain': round(median(usage.times) / median(plain.times)),
      'usageBetween ms (2 samples of 2,000, JS)': round(median(sums), 3),
      'top --every 2s: CPU ms per wall second (mock, no terminal)': round(topCpuMsPerSecond, 2),
      'top: CPU share of one processor': `${round(topCpuMsPerSecond / 10, 3)}%`,
    };
    console.log('\nissue 25, usage (median of the runs):');
    console.table([rows]);
  } finally {
    await windows.stop();
  }
});
