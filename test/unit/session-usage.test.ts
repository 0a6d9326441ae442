// getSessionUsage and the arithmetic under it (issue 25): which processes are the same between two samples, what a
// session's sums are, and the options' checks. Expected figures are worked out by hand from the samples below.
import { describe, expect, it } from 'vitest';
import { createClient } from '../../lib/client.js';
import { createMockBackend } from '../../lib/mock/index.js';
import { usageBetween } from '../../lib/ops/usage.js';
import type { ProcessInfo } from '../../lib/types.js';

const proc = (pid: number, name: string, sessionId: number, cpuMs: number, workingSetBytes = 0): ProcessInfo => ({
  pid,
  name,
  sessionId,
  userName: null,
  domain: null,
  userSid: null,
  usage: { workingSetBytes, pagefileBytes: 0, handles: 1, threads: 2, userTimeMs: cpuMs, kernelTimeMs: 0 },
});

describe('usageBetween', () => {
  it('counts the CPU each process spent between two samples, and sums each session', () => {
    const before = [proc(10, 'a.exe', 1, 1000), proc(20, 'b.exe', 1, 500), proc(30, 'gone.exe', 2, 9000)];
    const after = [
      proc(20, 'b.exe', 1, 800, 300),
      proc(10, 'a.exe', 1, 1100, 100),
      // New since the first sample: all of its CPU time was spent within the interval.
      proc(40, 'new.exe', 2, 50, 7),
      // The pid of an ended process, reused by another image: a new process, not a negative delta.
      proc(30, 'other.exe', 2, 20, 5),
    ];
    const { sessions, processes } = usageBetween(before, after, 500, 4);
    expect(processes.map((p) => [p.pid, p.cpuMs])).toEqual([
      [10, 100],
      [20, 300],
      [30, 20],
      [40, 50],
    ]);
    expect(
      sessions.map((s) => [s.sessionId, s.processCount, s.cpuMs, s.workingSetBytes, s.handles, s.threads]),
    ).toEqual([
      [1, 2, 400, 400, 2, 4],
      [2, 2, 70, 12, 2, 4],
    ]);
    // 400 ms over 500 ms: 0.8 of one processor, 20% of four.
    expect([sessions[0]!.cpuCores, sessions[0]!.cpuPercent]).toEqual([0.8, 20]);
    expect(usageBetween(before, after, 500, null).sessions[0]!.cpuPercent).toBeNull();
  });

  it("lists the System Idle Process's CPU (the processors' idle time) but sums it in no session", () => {
    const before = [proc(0, 'System Idle Process', 0, 1000), proc(4, 'System', 0, 100)];
    const after = [proc(0, 'System Idle Process', 0, 1900), proc(4, 'System', 0, 150, 9)];
    const { sessions, processes } = usageBetween(before, after, 1000, 1);
    expect(processes.map((p) => [p.pid, p.cpuMs])).toEqual([
      [0, 900],
      [4, 50],
    ]);
    expect(sessions.map((s) => [s.sessionId, s.processCount, s.cpuMs, s.cpuPercent, s.workingSetBytes])).toEqual([
      [0, 1, 50, 5, 9],
    ]);
  });

  it('never reports negative CPU for a process whose times went back (the same pid and name restarted)', () => {
    const { processes } = usageBetween([proc(10, 'a.exe', 1, 5000)], [proc(10, 'a.exe', 1, 30)], 1000, 1);
    expect(processes[0]!.cpuMs).toBe(0);
  });
});

describe('getSessionUsage on the mock', () => {
  it("uses the mock's processor count here, none for a remote host, and the caller's when given", async () => {
    const client = createClient(createMockBackend({ processors: 16, servers: { ts01: [] } }));
    expect((await client.getSessionUsage({ interval: 100 })).processors).toBe(16);
    expect((await client.getSessionUsage({ interval: 100, server: 'ts01' })).processors).toBeNull();
    expect((await client.getSessionUsage({ interval: '100ms', server: 'ts01', processors: 2 })).processors).toBe(2);
  });

  it('measures a load on the mock clock: half a processor of 4 is 12.5%', async () => {
    let now = 0;
    const mock = createMockBackend({
      now: () => now,
      processors: 4,
      sessions: [{ id: 1, userName: 'alice' }],
      processes: [{ pid: 7, name: 'x.exe', sessionId: 1, usage: { cpuLoad: 0.5 } }],
    });
    const first = await mock.listProcesses(null, true);
    now += 2000;
    const second = await mock.listProcesses(null, true);
    expect([first[0]!.usage!.userTimeMs, second[0]!.usage!.userTimeMs]).toEqual([0, 1000]);
    expect(usageBetween(first, second, 2000, 4).sessions[0]!.cpuPercent).toBe(12.5);
  });

  it('checks its options before listing anything', async () => {
    const mock = createMockBackend();
    const client = createClient(mock);
    await expect(client.getSessionUsage({ interval: 99 })).rejects.toThrow(RangeError);
    await expect(client.getSessionUsage({ interval: '2h' })).rejects.toThrow(/from 100 ms to 1 h/);
    await expect(client.getSessionUsage({ processors: 0 })).rejects.toThrow(RangeError);
    await expect(client.getSessionUsage({ processors: 1.5 })).rejects.toThrow(RangeError);
    await expect(client.getSessionUsage({ processors: '4' as unknown as number })).rejects.toThrow(TypeError);
    await expect(client.listProcesses({ usage: 'yes' as unknown as boolean })).rejects.toThrow(TypeError);
    expect(mock.calls).toEqual([]);
  });

  it('stops waiting when the signal aborts', async () => {
    const client = createClient(createMockBackend());
    const stop = new AbortController();
    const pending = client.getSessionUsage({ interval: '10s', signal: stop.signal });
    stop.abort();
    await expect(pending).rejects.toMatchObject({ name: 'AbortError' });
  });
});
