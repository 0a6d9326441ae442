import { expect, it } from 'vitest';
import type { SessionEvent } from '../../../lib/types.js';
import type { WtsError } from '../../../lib/errors.js';
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

  it('a watch on a host that does not answer fails at its first wait with 1722, as a listing does', async () => {
    await ctx.load();
    const loop = ctx.client.watchSessions({ server: 'nosuch.contoso.test' });
    const error = await loop.next().then(
      () => expect.fail('a host that does not answer must fail the watch'),
      (e: unknown) => e as WtsError,
    );
    expect([error.name, error.code, error.errno, error.server]).toEqual([
      'WtsError',
      'RPC_S_SERVER_UNAVAILABLE',
      1722,
      'nosuch.contoso.test',
    ]);
  });

  it('rejects unknown event types', async () => {
    await expect(ctx.client.watchSessions({ types: ['reboot'] } as never).next()).rejects.toThrow(RangeError);
  });
}

/** Several watches of one server: each ends on its own, and the others go on (one wait per server, fanned out). */
export function sharedWatchCases(ctx: ContractContext): void {
  it('closing one watch never ends another of the same server', async () => {
    await ctx.load((s) => s.events.push({ types: ['logon'], delayMs: 150 }, { types: ['logoff'], delayMs: 50 }));
    const first = ctx.client.watchSessions();
    const second = ctx.client.watchSessions({ types: ['logoff'] });
    const firstEvent = first.next();
    const secondEvent = second.next();
    expect((await firstEvent).value).toMatchObject({ type: 'logon', server: null });
    await first.return(undefined); // closes the first watch while the second waits
    expect((await secondEvent).value).toMatchObject({ type: 'logoff', server: null });
    await second.return(undefined);
  });

  it('ends a watch at once when it is closed before any event, whatever the native wait is doing', async () => {
    for (let i = 0; i < 5; i++) {
      const controller = new AbortController();
      const watch = ctx.client.watchSessions({ signal: controller.signal });
      const ended = watch.next();
      setTimeout(() => {
        controller.abort(); // 0 to 12 ms: before, while and after the wait begins
      }, i * 3);
      expect(await ended).toEqual({ done: true, value: undefined });
    }
  });
}
