import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { baseScenario } from '../contract/scenario.js';
import { readStandinStats, writeStandinScenario } from './wine/standin-scenario.js';
import { useWine } from './wine/use-wine.js';
import { WindowsNode } from './wine/windows-node.js';

const wine = useWine();

interface Outcome {
  settled: 'resolved' | 'rejected';
  name: string | null;
  nativeDoneWhenSettled: boolean | null;
}

describe.runIf(wine)('cancellation with an AbortSignal, native backend under Wine', () => {
  let windows: WindowsNode;
  beforeAll(async () => {
    windows = await WindowsNode.start(wine!);
  });
  afterAll(async () => {
    expect(await windows.stop()).toBe(0);
  });

  const leaksNothing = () => {
    const stats = readStandinStats(windows.standinDir);
    expect([stats.allocs, stats.handles, stats.badFrees, stats.badHandles]).toEqual([0, 0, 0, 0]);
  };

  it('a slow listing rejects with an AbortError while the native listing still runs, then frees everything', async () => {
    // 50 ms per session query: the listing takes far longer than the 30 ms after which it is aborted.
    writeStandinScenario(windows.standinDir, baseScenario(), { latency: { WTSQuerySessionInformationW: 50 } });
    const outcome = await windows.request<Outcome>('cancel', { op: 'listSessions', abortAfterMs: 30 });
    expect(outcome).toEqual({ settled: 'rejected', name: 'AbortError', nativeDoneWhenSettled: false });
    leaksNothing();
  });

  it('a message waiting for its answer rejects with an AbortError before the user answers', async () => {
    const scenario = baseScenario();
    scenario.answers.push({ sessionId: 2, answer: 'ok', delayMs: 1500 });
    writeStandinScenario(windows.standinDir, scenario);
    const outcome = await windows.request<Outcome>('cancel', { op: 'sendMessage', abortAfterMs: 30 });
    expect(outcome).toEqual({ settled: 'rejected', name: 'AbortError', nativeDoneWhenSettled: false });
    leaksNothing();
  });

  it('a watch with no events ends cleanly on abort, its wait released and its handle closed', async () => {
    writeStandinScenario(windows.standinDir, baseScenario());
    const outcome = await windows.request<Outcome>('cancel', { op: 'watch', abortAfterMs: 30 });
    expect(outcome).toEqual({ settled: 'resolved', name: null, nativeDoneWhenSettled: null });
    leaksNothing();
  });
});
