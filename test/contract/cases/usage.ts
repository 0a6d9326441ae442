import { expect, it } from 'vitest';
import { expectWtsError, type ContractContext } from '../context.js';

// The base scenario's figures (test/contract/scenario.ts), written out by hand: per process the working set,
// page file, handles, threads, user and kernel ms at the first read, and the CPU ms each read adds.
const SYSTEM = { workingSetBytes: 143_360, pagefileBytes: 49_152, handles: 3_200, threads: 180 };
const CSRSS = { workingSetBytes: 5_242_880, pagefileBytes: 2_097_152, handles: 610, threads: 12 };

export function usageCases(ctx: ContractContext): void {
  it('lists each process with what it uses only when asked to (WTSEnumerateProcessesExW, level 1)', async () => {
    const plain = await ctx.client.listProcesses();
    expect(plain.every((p) => !('usage' in p))).toBe(true);
    const withUsage = await ctx.client.listProcesses({ usage: true });
    expect(withUsage.map((p) => p.pid)).toEqual([0, 4, 612, 5120, 7424]);
    expect(withUsage.find((p) => p.pid === 4)).toMatchObject({
      name: 'System',
      userName: 'SYSTEM',
      usage: { ...SYSTEM, userTimeMs: 0, kernelTimeMs: 5_400_000 },
    });
    // 4 GiB - 1, the most a DWORD holds, comes whole.
    expect(withUsage.find((p) => p.pid === 5120)?.usage?.workingSetBytes).toBe(4_294_967_295);
    expect(withUsage.find((p) => p.pid === 0)?.usage).toEqual({
      workingSetBytes: 8_192,
      pagefileBytes: 0,
      handles: 0,
      threads: 2,
      userTimeMs: 0,
      kernelTimeMs: 9_000_000,
    });
  });

  it('reads CPU times as they grow between two listings, and filters one session', async () => {
    const first = await ctx.client.listProcesses({ usage: true, sessionId: 2 });
    const second = await ctx.client.listProcesses({ usage: true, sessionId: 2 });
    expect(first.map((p) => p.usage?.userTimeMs)).toEqual([86_400_000]);
    expect(second.map((p) => p.usage?.userTimeMs)).toEqual([86_400_250]);
    expect(second[0]?.usage?.kernelTimeMs).toBe(3_600_000);
  });

  it('sums each session over an interval, as Task Manager does, most CPU first', async () => {
    const report = await ctx.client.getSessionUsage({ interval: 150, processors: 8 });
    expect(report.server).toBeNull();
    expect(report.processors).toBe(8);
    expect(report.intervalMs).toBeGreaterThanOrEqual(140);
    // The System Idle Process (pid 0) spends the processors' idle time: listed with it, but no session's.
    expect(report.sessions.map((s) => [s.sessionId, s.processCount, s.cpuMs])).toEqual([
      [2, 1, 250],
      [0, 1, 10],
      [1, 1, 5],
      [3, 1, 0],
    ]);
    expect(report.processes.find((p) => p.pid === 0)?.cpuMs).toBe(900);
    const services = report.sessions.find((s) => s.sessionId === 0)!;
    expect(services).toMatchObject({
      workingSetBytes: SYSTEM.workingSetBytes,
      pagefileBytes: SYSTEM.pagefileBytes,
      handles: SYSTEM.handles,
      threads: SYSTEM.threads,
    });
    expect(report.sessions.find((s) => s.sessionId === 1)).toMatchObject({ workingSetBytes: CSRSS.workingSetBytes });
    const bob = report.sessions[0]!;
    expect(bob.cpuCores).toBeCloseTo(250 / report.intervalMs, 6);
    expect(bob.cpuPercent).toBeCloseTo((100 * 250) / report.intervalMs / 8, 6);
    expect(report.processes.find((p) => p.pid === 5120)).toMatchObject({ cpuMs: 250, sessionId: 2 });
  });

  it('gives no CPU share for a remote host, whose processor count the WTS API does not give', async () => {
    const report = await ctx.client.getSessionUsage({ server: 'ts01.contoso.test', interval: 100 });
    expect(report.processors).toBeNull();
    expect(report.sessions).toEqual([
      expect.objectContaining({
        sessionId: 0,
        processCount: 1,
        cpuMs: 100,
        cpuPercent: null,
        workingSetBytes: 20_971_520,
      }),
    ]);
    const given = await ctx.client.getSessionUsage({ server: 'ts01.contoso.test', interval: 100, processors: 2 });
    expect(given.sessions[0]?.cpuPercent).toBeCloseTo((100 * 100) / given.intervalMs / 2, 6);
  });

  it('reports a failed usage listing as WTSEnumerateProcessesExW', async () => {
    await ctx.load((s) => s.failures.push({ op: 'listProcessUsage', errno: 5 }));
    await expectWtsError(ctx.client.listProcesses({ usage: true }), {
      code: 'ERROR_ACCESS_DENIED',
      errno: 5,
      syscall: 'WTSEnumerateProcessesExW',
    });
    await expect(ctx.client.getSessionUsage({ interval: 50 })).rejects.toThrow(RangeError);
  });
}
