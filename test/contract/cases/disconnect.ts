import { expect, it } from 'vitest';
import { expectRejection, expectWtsError, type ContractContext } from '../context.js';

export function disconnectCases(ctx: ContractContext): void {
  it('disconnects a session: it keeps running, disconnected since the server now', async () => {
    const { client, fixture, scenario } = ctx;
    expect(await client.disconnect(2, { wait: true })).toEqual({ sessionId: 2, server: null, outcome: 'disconnected' });
    // Windows's own wait is never asked for: the session is read again instead.
    expect(await fixture.actions()).toEqual([{ op: 'disconnect', server: null, sessionId: 2, wait: false }]);
    const bob = await client.getSession(2);
    expect(bob).toMatchObject({ state: 'disconnected', userName: 'bob', stationName: '', idleMs: 0 });
    expect(bob?.disconnectTime).toEqual(new Date(scenario.now));
  });

  it('a hung session that stays connected: pending at waitTimeout, and the signal ends the wait at once', async () => {
    await ctx.load((s) => {
      s.sessions.find((x) => x.id === 2)!.hung = true;
    });
    expect(await ctx.client.disconnect(2, { wait: true, waitTimeout: 1000 })).toEqual({
      sessionId: 2,
      server: null,
      outcome: 'pending',
    });
    const waiting = ctx.client.disconnect(2, { wait: true, waitTimeout: '1h', signal: AbortSignal.timeout(300) });
    await expectRejection(waiting, 'AbortError', 'ABORT_ERR');
    expect((await ctx.client.getSession(2))?.state).toBe('active');
  });

  it('refuses to disconnect the active console session unless told to, since that removes nobody', async () => {
    // tsdiscon: "The console session cannot be disconnected" (Server); Windows 10 and 11 lock it instead.
    // Session 1 is the console and the caller's own: allowOwnSession leaves only the console rule in the way.
    const own = { allowOwnSession: true };
    const error = await expectRejection(ctx.client.disconnect(1, own), 'SessionRefusedError', 'ERR_CONSOLE_SESSION');
    expect(error.message).toMatch(/Windows Server refuses it .*ERROR_CTX_CONSOLE_DISCONNECT.*lock it/);
    expect(await ctx.fixture.actions()).toEqual([]);
    // An active RDP session beside it is no console: disconnected as asked.
    expect((await ctx.client.disconnect(4)).outcome).toBe('disconnected');
    expect((await ctx.client.disconnect(1, { ...own, allowConsole: true })).outcome).toBe('disconnected');
    expect((await ctx.fixture.actions()).map((c) => [c.op, c.sessionId])).toEqual([
      ['disconnect', 4],
      ['disconnect', 1],
    ]);
  });

  it('applies the logoff guards, and reports Windows errors', async () => {
    await ctx.load((s) => s.failures.push({ op: 'disconnect', errno: 7045, sessionId: 4 }));
    await expectRejection(ctx.client.disconnect(0), 'SessionRefusedError', 'ERR_SERVICES_SESSION');
    await expectRejection(ctx.client.disconnect(1), 'SessionRefusedError', 'ERR_OWN_SESSION');
    await expectRejection(
      ctx.client.disconnect(2, { expect: { userName: 'eve' } }),
      'SessionRefusedError',
      'ERR_SESSION_CHANGED',
    );
    await expectWtsError(ctx.client.disconnect(4), {
      code: 'ERROR_CTX_WINSTATION_ACCESS_DENIED',
      errno: 7045,
      syscall: 'WTSDisconnectSession',
      sessionId: 4,
    });
    expect(await ctx.fixture.actions()).toEqual([{ op: 'disconnect', server: null, sessionId: 4, wait: false }]);
  });
}
