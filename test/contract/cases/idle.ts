import { expect, it } from 'vitest';
import type { ContractContext } from '../context.js';

export function idleCases(ctx: ContractContext): void {
  it('finds signed-in sessions idle for at least a duration, longest first', async () => {
    expect((await ctx.client.findIdleSessions({ idleFor: '1h' })).map((s) => s.id)).toEqual([4, 3]);
    expect((await ctx.client.findIdleSessions({ idleFor: 10 * 60_000 })).map((s) => s.id)).toEqual([4, 3, 2]);
    // Session 1 is an active console session: its idle time is not trusted unless asked for.
    expect((await ctx.client.findIdleSessions({ idleFor: '0s' })).map((s) => s.id)).toEqual([4, 3, 2]);
    const all = await ctx.client.findIdleSessions({ idleFor: '0s', includeActiveConsole: true });
    expect(all.map((s) => s.id)).toEqual([4, 3, 2, 1]);
    await expect(ctx.client.findIdleSessions({ idleFor: 'soon' })).rejects.toThrow(RangeError);
  });

  it('signs out idle users and reports every row; its own session and excluded users are skipped', async () => {
    const report = await ctx.client.logoffIdle({ idleFor: '0s', exclude: ['DAVE'] });
    // Its own session is refused by the same check as logoff's, and says so in logoff's words.
    expect(report.at(-1)?.error).toMatchObject({ name: 'SessionRefusedError', code: 'ERR_OWN_SESSION', sessionId: 1 });
    expect(report.map((r) => [r.sessionId, r.userName, r.outcome, r.reason])).toEqual([
      [4, 'dave', 'skipped', 'ERR_EXCLUDED'],
      [3, '𝒸𝒶𝓇𝑜𝓁😀', 'signedOut', undefined],
      [2, 'bob', 'signedOut', undefined],
      [1, 'Zoë Ångström', 'skipped', 'ERR_OWN_SESSION'],
    ]);
    // The sweep signs sessions out side by side: the order of the calls is not part of the contract.
    const calls = (await ctx.fixture.actions()).map((c) => [c.op, c.sessionId]);
    expect(calls.sort()).toEqual([
      ['logoff', 2],
      ['logoff', 3],
    ]);
  });

  it('asks active users first; a disconnected user cannot answer and is kept unless onTimeout says logoff', async () => {
    await ctx.load((s) => s.answers.push({ sessionId: 2, answer: 'no' }, { sessionId: 4, answer: 'yes' }));
    const ask = { message: 'Idle for long: sign out?', timeoutSeconds: 60 };
    const report = await ctx.client.logoffIdle({ idleFor: '10m', ask, concurrency: 1 });
    expect(report.map((r) => [r.sessionId, r.outcome, r.reason])).toEqual([
      [4, 'signedOut', undefined],
      [3, 'skipped', 'ERR_CANNOT_ASK'],
      [2, 'declined', undefined],
    ]);
    const again = await ctx.client.logoffIdle({ idleFor: '10m', ask: { ...ask, onTimeout: 'logoff' } });
    // Bob has no answer left this time: his question times out, which now means sign out.
    expect(again.map((r) => [r.sessionId, r.outcome])).toEqual([
      [3, 'signedOut'],
      [2, 'signedOut'],
    ]);
  });

  it('acts on nobody once its signal is aborted: every row says ABORT_ERR', async () => {
    const controller = new AbortController();
    controller.abort();
    const report = await ctx.client.logoffIdle({ idleFor: '10m', signal: controller.signal });
    expect(report.map((r) => [r.sessionId, r.outcome, r.reason, r.error?.name])).toEqual([
      [4, 'skipped', 'ABORT_ERR', 'AbortError'],
      [3, 'skipped', 'ABORT_ERR', 'AbortError'],
      [2, 'skipped', 'ABORT_ERR', 'AbortError'],
    ]);
    expect(await ctx.fixture.actions()).toEqual([]);
  });

  it('goes on after a failure, and a dry run acts on nobody', async () => {
    await ctx.load((s) => s.failures.push({ op: 'logoff', errno: 5, sessionId: 3 }));
    const dry = await ctx.client.logoffIdle({ idleFor: '10m', dryRun: true });
    expect(dry.map((r) => r.outcome)).toEqual(['dryRun', 'dryRun', 'dryRun']);
    expect(await ctx.fixture.actions()).toEqual([]);
    const report = await ctx.client.logoffIdle({ idleFor: '10m' });
    expect(report.map((r) => [r.sessionId, r.outcome, (r.error as { code?: string } | undefined)?.code])).toEqual([
      [4, 'signedOut', undefined],
      [3, 'failed', 'ERROR_ACCESS_DENIED'],
      [2, 'signedOut', undefined],
    ]);
  });
}

export function consoleIdleCases(ctx: ContractContext): void {
  const server = 'ts01.contoso.test';

  it('never signs out an active console session on its idle time alone; the row says why', async () => {
    // alice is at ts01's console, active, idle for a minute by LastInputTime (which may be stale).
    const report = await ctx.client.logoffIdle({ server, idleFor: '0s' });
    expect(report.map((r) => [r.sessionId, r.userName, r.outcome, r.reason])).toEqual([
      [1, 'alice', 'skipped', 'ERR_NOT_IDLE'],
    ]);
    expect(report[0]!.error).toMatchObject({
      name: 'SessionRefusedError',
      code: 'ERR_NOT_IDLE',
      detail: 'it is an active console session, whose idle time is not trusted',
    });
    expect(await ctx.client.findIdleSessions({ server, idleFor: '0s' })).toEqual([]);
    expect(await ctx.fixture.actions()).toEqual([]);
  });

  it('signs out an active console session only when the caller opts in', async () => {
    const report = await ctx.client.logoffIdle({ server, idleFor: '0s', includeActiveConsole: true });
    expect(report.map((r) => [r.sessionId, r.outcome])).toEqual([[1, 'signedOut']]);
    expect((await ctx.fixture.actions()).map((c) => [c.op, c.server, c.sessionId])).toEqual([['logoff', server, 1]]);
  });

  it('counts a disconnected console session from its disconnect time', async () => {
    await ctx.load((s) => {
      Object.assign(s.servers[server]![1]!, { state: 'disconnected', disconnectTime: s.now - 30 * 60_000 });
    });
    expect((await ctx.client.findIdleSessions({ server, idleFor: '20m' })).map((s) => s.id)).toEqual([1]);
    expect((await ctx.client.findIdleSessions({ server, idleFor: '40m' })).map((s) => s.id)).toEqual([]);
    const report = await ctx.client.logoffIdle({ server, idleFor: '20m' });
    expect(report.map((r) => [r.sessionId, r.outcome])).toEqual([[1, 'signedOut']]);
  });
}
