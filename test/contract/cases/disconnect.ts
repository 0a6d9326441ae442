import { expect, it } from 'vitest';
import { expectRejection, expectWtsError, type ContractContext } from '../context.js';

export function disconnectCases(ctx: ContractContext): void {
  it('disconnects a session: it keeps running, disconnected since the server now', async () => {
    const { client, fixture, scenario } = ctx;
    await client.disconnect(2, { wait: true });
    expect(await fixture.actions()).toEqual([{ op: 'disconnect', server: null, sessionId: 2, wait: true }]);
    const bob = await client.getSession(2);
    expect(bob).toMatchObject({ state: 'disconnected', userName: 'bob', stationName: '', idleMs: 0 });
    expect(bob?.disconnectTime).toEqual(new Date(scenario.now));
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
