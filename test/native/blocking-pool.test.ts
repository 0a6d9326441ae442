// native/blocking_pool.cc (issue 10, item 4): the threads for messages and waits are bounded, calls beyond the bound
// queue instead of each taking a thread, and a thread that cannot be had is a refusal the worker turns into a
// rejection, never an abort. Built for this machine: standard C++ threads, the same on Windows.
import { describe, expect, it } from 'vitest';
import { runHostProbe } from './toolchain.js';
import { ROOT } from './wine/environment.js';

describe('BlockingPool', () => {
  it('runs any number of blocking calls on at most its limit of threads, and refuses only when no thread exists', () => {
    const out = runHostProbe(ROOT, 'blocking-pool', [
      'test/native/probes/blocking-pool-probe.cc',
      'native/blocking_pool.cc',
    ]);
    const cases: Record<string, Record<string, number>> = Object.fromEntries(
      out
        .trim()
        .split('\n')
        .map((line) => {
          const [name, ...pairs] = line.split(' ');
          return [name!, Object.fromEntries(pairs.map((p) => [p.split('=')[0]!, Number(p.split('=')[1])]))];
        }),
    );
    // 200 calls of 2 ms on a pool of 8: every one ran, never more than 8 at once, and the pool did use 8.
    expect(cases.bounded).toMatchObject({ accepted: 1, done: 200, peak: 8 });
    expect(cases.bounded!.most).toBeLessThanOrEqual(8);
    expect(cases.bounded!.most).toBeGreaterThan(1);
    // No thread to be had: refused, not run, nothing left behind.
    expect(cases.refused).toEqual({ accepted: 0, ran: 0, threads: 0 });
    // One thread to be had: all accepted, all run on it.
    expect(cases.scarce).toEqual({ accepted: 1, done: 20, peak: 1 });
    // PostNow (the event waits, issue 26): beyond the limit refused as full, never queued; a freed thread serves
    // the next. "accepted" and "full" are the four posts' answers in order.
    expect(cases.forever).toEqual({ accepted: 1101, full: 10, started: 3, threads: 2 });
  }, 60_000);
});
