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
}
