import { expect, it } from 'vitest';
import { expectWtsError, type ContractContext } from '../context.js';

export function processCases(ctx: ContractContext): void {
  const local = () => ctx.scenario.processes.filter((p) => !p.server).map(({ server, usage, ...p }) => p);

  it('lists processes with their session and owner, in pid order', async () => {
    expect(await ctx.client.listProcesses()).toEqual(local().sort((a, b) => a.pid - b.pid));
  });

  it('sorts by pid whatever order Windows gives them in', async () => {
    await ctx.load((s) => s.processes.reverse());
    expect((await ctx.client.listProcesses()).map((p) => p.pid)).toEqual([0, 4, 612, 5120, 7424]);
  });

  it("filters one session's processes, and asks a remote server for its own", async () => {
    expect((await ctx.client.listProcesses({ sessionId: 0 })).map((p) => p.name)).toEqual([
      'System Idle Process',
      'System',
    ]);
    expect((await ctx.client.listProcesses({ server: 'ts01.contoso.test' })).map((p) => p.pid)).toEqual([900]);
  });

  it('reports a failed enumeration', async () => {
    await ctx.load((s) => s.failures.push({ op: 'listProcesses', errno: 5 }));
    await expectWtsError(ctx.client.listProcesses(), {
      code: 'ERROR_ACCESS_DENIED',
      errno: 5,
      syscall: 'WTSEnumerateProcessesW',
    });
  });
}
