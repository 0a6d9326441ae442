import { expect, it } from 'vitest';
import type { SessionEvent } from '../../../lib/types.js';
import type { ContractContext } from '../context.js';

export function watchCases(ctx: ContractContext): void {
  it('yields session events as they happen, and ends cleanly on abort', async () => {
    await ctx.load((s) =>
      s.events.push({ types: ['logon'], delayMs: 20 }, { types: ['stateChange', 'disconnect'], delayMs: 20 }),
    );
    const controller = new AbortController();
    const seen: SessionEvent[] = [];
    for await (const event of ctx.client.watchSessions({ signal: controller.signal })) {
      seen.push(event);
      if (seen.length === 3)
        setTimeout(() => {
          controller.abort();
        }, 20);
    }
    expect(seen.map((e) => [e.type, e.server])).toEqual([
      ['logon', null],
      ['disconnect', null],
      ['stateChange', null],
    ]);
    expect(seen.every((e) => e.time instanceof Date)).toBe(true);
  });

  it('filters by type, and releases the wait when the loop breaks', async () => {
    await ctx.load((s) => s.events.push({ types: ['connect'], delayMs: 0 }, { types: ['logoff'], delayMs: 10 }));
    const seen: string[] = [];
    for await (const event of ctx.client.watchSessions({ types: ['logoff', 'logon'] })) {
      seen.push(event.type);
      break;
    }
    expect(seen).toEqual(['logoff']);
  });

  it('rejects unknown event types', async () => {
    await expect(ctx.client.watchSessions({ types: ['reboot'] } as never).next()).rejects.toThrow(RangeError);
  });
}
