import { expect, it } from 'vitest';
import { WtsError } from '../../../lib/errors.js';
import type { ContractContext } from '../context.js';

export function hostsCases(ctx: ContractContext): void {
  it("lists several hosts in parallel, each host's error in its own row", async () => {
    const rows = await ctx.client.listSessionsOn(['ts01.contoso.test', 'down.contoso.test'], { concurrency: 2 });
    expect(rows[0]).toMatchObject({ server: 'ts01.contoso.test', ok: true });
    expect(rows[0]!.ok && rows[0]!.sessions.map((s) => s.userName)).toEqual([null, 'alice']);
    expect(rows[1]).toMatchObject({ server: 'down.contoso.test', ok: false });
    const failed = rows[1]!;
    if (failed.ok) throw new Error('expected the unreachable host to fail');
    expect(failed.error).toBeInstanceOf(WtsError);
    expect(failed.error).toMatchObject({ code: 'RPC_S_SERVER_UNAVAILABLE' });
    await expect(ctx.client.listSessionsOn('ts01' as never)).rejects.toThrow(TypeError);
  });

  it('lists hosts in summary (one WTSEnumerateSessionsExW call each): id, station, state, user, domain and no more', async () => {
    const rows = await ctx.client.listSessionsOn(['ts01.contoso.test', 'down.contoso.test'], { detail: 'summary' });
    expect(rows[0]).toEqual({
      server: 'ts01.contoso.test',
      ok: true,
      sessions: [
        { id: 0, stationName: 'Services', state: 'disconnected', userName: null, domain: null },
        { id: 1, stationName: 'Console', state: 'active', userName: 'alice', domain: 'CONTOSO' },
      ],
    });
    expect(rows[1]).toMatchObject({
      server: 'down.contoso.test',
      ok: false,
      error: { code: 'RPC_S_SERVER_UNAVAILABLE' },
    });
    await expect(ctx.client.listSessionsOn(['ts01.contoso.test'], { detail: 'brief' as never })).rejects.toThrow(
      RangeError,
    );
  });
}
