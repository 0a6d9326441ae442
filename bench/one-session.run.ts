// npm run bench, second file: where the time of a short listing goes, with and without the stall watch (which keeps
// the main thread busy between turns): one thread hop alone, the raw addon listing (default lanes, and one lane), the
// package's listing, one session read alone (getSession), the native-loop floor and koffi, at 0, 1 and 1,000
// sessions. Printed as one JSON line per case; the hop under Wine varies between runs (0.09 to 0.4 ms), so the
// figures of one case are compared with each other, not with another run's.
import { inject, it } from 'vitest';
import { writeStandinScenario } from '../test/native/wine/standin-scenario.js';
import { WindowsNode } from '../test/native/wine/windows-node.js';
import { benchScenario } from './scenarios.js';

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[s.length >> 1]!;
};

it('one-session breakdown', async () => {
  const windows = await WindowsNode.start(inject('wine')!);
  const bench = (p: Record<string, unknown>) => windows.request<{ times: number[]; count: number }>('bench', p);
  try {
    for (const watchStalls of [true, false]) {
      for (const n of [0, 1, 1000]) {
        writeStandinScenario(windows.standinDir, benchScenario(n), { statsEveryCall: false });
        const runs = n === 1000 ? 20 : 400;
        const out: Record<string, number> = {};
        for (let round = 0; round < 2; round++) {
          out.hop = median((await bench({ kind: 'hopNoWatch', runs, watchStalls })).times);
          out.raw = median((await bench({ kind: 'rawListing', runs, watchStalls })).times);
          out.pkg = median((await bench({ kind: 'listing', runs })).times);
          out.oneLane = median((await bench({ kind: 'listing', runs, concurrency: 1, watchStalls })).times);
          if (n === 1) out.getOne = median((await bench({ kind: 'getOne', runs, sessionId: 2, watchStalls })).times);
          out.floor = median((await bench({ kind: 'floor', runs })).times);
          if (n) out.koffi = median((await bench({ kind: 'koffi', runs })).times);
        }
        console.log(JSON.stringify({ watchStalls, n, ...out }));
      }
    }
  } finally {
    await windows.stop();
  }
});
