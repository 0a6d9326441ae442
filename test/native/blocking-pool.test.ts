// native/blocking_pool.cc (issue 10, item 4): the threads for messages and waits are bounded, calls beyond the bound
// queue instead of each taking a thread, and a thread that cannot be had is a refusal the worker turns into a
// rejection, never an abort. Built for this machine: standard C++ threads, the same on Windows.
import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from './wine/environment.js';

describe('BlockingPool', () => {
  it('runs any number of blocking calls on at most its limit of threads, and refuses only when no thread exists', () => {
    const exe = join(mkdtempSync(join(tmpdir(), 'blocking-pool-')), 'probe');
    execFileSync('g++', [
      '-std=c++17',
      '-O1',
      '-pthread',
      '-o',
      exe,
      join(ROOT, 'test/native/probes/blocking-pool-probe.cc'),
      join(ROOT, 'native/blocking_pool.cc'),
    ]);
    const out = execFileSync(exe, { encoding: 'utf8' });
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
  }, 60_000);
});
