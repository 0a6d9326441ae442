import { expect, it } from 'vitest';
import { expectWtsError, type ContractContext } from '../context.js';
import { expectedSession } from '../scenario.js';

export function sessionCases(ctx: ContractContext): void {
  it('lists every session with every field, in id order', async () => {
    const sessions = await ctx.client.listSessions();
    expect(sessions).toEqual(ctx.scenario.sessions.map((s) => expectedSession(s, ctx.scenario)));
  });

  it('keeps accented and non-BMP names intact', async () => {
    const byId = new Map((await ctx.client.listSessions()).map((s) => [s.id, s]));
    expect(byId.get(1)?.userName).toBe('Zoë Ångström');
    expect(byId.get(3)?.userName).toBe('𝒸𝒶𝓇𝑜𝓁😀');
    expect(byId.get(3)?.domain).toBe('ＷＯＲＫ');
  });

  it('measures idle time on the server clock, from the disconnect for a disconnected session', async () => {
    const byId = new Map((await ctx.client.listSessions()).map((s) => [s.id, s]));
    expect(byId.get(1)?.idleMs).toBe(30_000);
    expect(byId.get(2)?.idleMs).toBe(20 * 60_000);
    expect(byId.get(3)?.idleMs).toBe(2 * 3_600_000);
    expect(byId.get(65536)?.idleMs).toBeNull();
  });

  it('marks only the caller session as current', async () => {
    const { client, scenario } = ctx;
    const current = (await client.listSessions()).filter((s) => s.isCurrent).map((s) => s.id);
    expect(current).toEqual([scenario.currentSessionId]);
    expect(await client.currentSessionId()).toBe(scenario.currentSessionId);
    expect((await client.getSession(scenario.currentSessionId))?.isCurrent).toBe(true);
    expect((await client.getSession(2))?.isCurrent).toBe(false);
  });

  it('gets one session by id, and null for an id with no session', async () => {
    const { client, scenario } = ctx;
    expect(await client.getSession(2)).toEqual(expectedSession(scenario.sessions[2]!, scenario));
    expect(await client.getSession(3)).toEqual(expectedSession(scenario.sessions[3]!, scenario));
    expect(await client.getSession(42)).toBeNull();
  });

  it('leaves out a session that ended during the listing', async () => {
    await ctx.load((s) => s.failures.push({ op: 'listSessions', errno: 7022, sessionId: 2 }));
    const ids = (await ctx.client.listSessions()).map((s) => s.id);
    expect(ids).toEqual(ctx.scenario.sessions.map((s) => s.id).filter((id) => id !== 2));
  });

  it('rejects the listing when the enumeration fails', async () => {
    await ctx.load((s) => s.failures.push({ op: 'listSessions', errno: 259 }));
    await expectWtsError(ctx.client.listSessions(), {
      code: 'ERROR_NO_MORE_ITEMS',
      errno: 259,
      syscall: 'WTSEnumerateSessionsW',
    });
  });

  it('answers for a remote server, with no session marked current there', async () => {
    const { client, scenario } = ctx;
    const server = 'ts01.contoso.test';
    expect(await client.listSessions({ server })).toEqual(
      scenario.servers[server]!.map((s) => expectedSession(s, scenario, server)),
    );
  });

  it('rejects calls to an unreachable server with RPC_S_SERVER_UNAVAILABLE and the server name', async () => {
    const server = 'down.contoso.test';
    await expectWtsError(ctx.client.listSessions({ server }), {
      code: 'RPC_S_SERVER_UNAVAILABLE',
      errno: 1722,
      syscall: 'WTSEnumerateSessionsW',
      server,
    });
    await expectWtsError(ctx.client.getSession(2, { server }), {
      code: 'RPC_S_SERVER_UNAVAILABLE',
      errno: 1722,
      syscall: 'WTSQuerySessionInformationW',
      sessionId: 2,
      server,
    });
  });

  it('rejects a backend logoff of a session that does not exist with ERROR_CTX_WINSTATION_NOT_FOUND', async () => {
    // Straight to the backend, past the client's re-read: what Windows itself answers.
    await expectWtsError(ctx.client.backend.logoff(42, false, null), {
      code: 'ERROR_CTX_WINSTATION_NOT_FOUND',
      errno: 7022,
      syscall: 'WTSLogoffSession',
      sessionId: 42,
    });
  });
}
