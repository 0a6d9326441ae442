// Issue 26: a down host never delays another's reaction. Each retry of a down host holds one of the addon's 16
// remote-read threads for its whole RPC time-out, so the running enforcer lets hosts that are down retry 4 at a time
// (lib/concurrency.ts Gate); bench/farm.run.ts measures the others' reaction with a tenth of a farm down.
import { describe, expect, it, vi } from 'vitest';
import { createClient } from '../../lib/client.js';
import { Gate } from '../../lib/concurrency.js';
import { createMockBackend } from '../../lib/mock/index.js';

describe('Gate', () => {
  it('runs at most its limit at once, the rest in order, and skips a caller whose signal aborts while it waits', async () => {
    const gate = new Gate(2);
    const order: string[] = [];
    const releases: (() => void)[] = [];
    const job = (name: string) => () =>
      new Promise<string>((resolve) => {
        order.push(name);
        releases.push(() => {
          resolve(name);
        });
      });
    const stop = new AbortController();
    const runs = [gate.run(job('a')), gate.run(job('b')), gate.run(job('c'), stop.signal), gate.run(job('d'))];
    await Promise.resolve();
    expect(order).toEqual(['a', 'b']);
    stop.abort();
    releases[0]!();
    await new Promise((r) => setTimeout(r, 0));
    expect(order).toEqual(['a', 'b', 'd']);
    releases[1]!();
    releases[2]!();
    expect(await Promise.all(runs)).toEqual(['a', 'b', undefined, 'd']);
  });
});

describe('the running enforcer with hosts down', () => {
  it('retries at most 4 down hosts at once, each retry taking its time-out', async () => {
    vi.useFakeTimers();
    try {
      const down = Array.from({ length: 10 }, (_, i) => `down${i}`);
      const seen = new Map<string, number>();
      let inFlight = 0;
      let retriesAtOnce = 0;
      const mock = createMockBackend({
        servers: { up0: [] },
        onCall: async (call) => {
          if (call.op !== 'listSessions' || !call.server?.startsWith('down')) return;
          const nth = (seen.get(call.server) ?? 0) + 1;
          seen.set(call.server, nth);
          if (nth > 1) retriesAtOnce = Math.max(retriesAtOnce, ++inFlight);
          await new Promise((r) => setTimeout(r, 5000)); // an RPC time-out
          if (nth > 1) inFlight--;
        },
      });
      const stop = new AbortController();
      const running = createClient(mock).runPolicyEnforcer(
        { rules: { disconnected: { after: '1h', action: 'signOut' } } },
        { servers: ['up0', ...down], checkEvery: '1h', retryEvery: '5s', signal: stop.signal, audit: () => undefined },
      );
      await vi.advanceTimersByTimeAsync(60_000);
      // Every down host has retried, but never more than 4 at once.
      expect(Math.min(...down.map((h) => seen.get(h) ?? 0))).toBeGreaterThan(1);
      expect(retriesAtOnce).toBe(4);
      stop.abort();
      await vi.advanceTimersByTimeAsync(10_000);
      await running;
    } finally {
      vi.useRealTimers();
    }
  });
});
