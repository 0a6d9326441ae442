// native/parallel_for.cc with lanes that throw (issue 10, item 3): the exception never crosses a thread (which would
// call std::terminate), the caller's frame outlives every helper, and the first exception reaches the caller, which
// the worker turns into a rejection. Built for this machine: the code is standard C++ threads, the same on Windows.
import { describe, expect, it } from 'vitest';
import { runHostProbe } from './toolchain.js';
import { ROOT } from './wine/environment.js';

describe('ParallelFor: lanes that throw, helpers that are busy', () => {
  it('rethrows the first exception in the caller once every lane has stopped, and never waits for a busy helper', () => {
    const lines = runHostProbe(ROOT, 'parallel-for', [
      'test/native/probes/parallel-for-probe.cc',
      'native/parallel_for.cc',
    ])
      .trim()
      .split('\n');
    const cases: Record<string, string[]> = Object.fromEntries(
      lines.map((l) => l.split(' ')).map(([name, ...rest]) => [name!, rest]),
    );
    // [what reached the caller, calls still running when it did, helper lanes that ran]
    expect(cases.helper!.slice(0, 2)).toEqual(['bad_alloc', '0']);
    expect(cases.caller!.slice(0, 2)).toEqual(['bad_alloc', '0']);
    // The helper case is only a test of helpers if helpers ran.
    expect(Number(cases.helper![2])).toBeGreaterThan(0);
    // A quick listing while every helper serves a slow one (64 calls of 100 ms on 16 lanes: about 400 ms) does
    // its own work instead of waiting for a helper: it ends long before the slow one.
    const [quickMs, slowMs] = cases.busy!.map(Number);
    expect(slowMs).toBeGreaterThanOrEqual(400);
    expect(quickMs).toBeLessThan(slowMs! / 2);
  }, 60_000);
});
