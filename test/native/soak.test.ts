import { describe, expect, it } from 'vitest';
import { baseScenario, SERVER_NOW, type ScenarioSession } from '../contract/scenario.js';
import { readStandinStats, writeStandinScenario } from './wine/standin-scenario.js';
import { useWine } from './wine/use-wine.js';
import { WindowsNode } from './wine/windows-node.js';

const wine = useWine();
const LISTINGS = 10_000;
const SESSIONS = 50;

describe.runIf(wine)('soak: native listings under Wine', () => {
  it(`${LISTINGS} listings of ${SESSIONS} sessions with injected failures leak no buffer, handle or memory`, async () => {
    const scenario = baseScenario();
    scenario.sessions = Array.from({ length: SESSIONS }, (_, i): ScenarioSession => ({
      id: i + 1,
      stationName: i % 2 ? `RDP-Tcp#${i}` : '',
      state: i % 5 === 0 ? 'disconnected' : 'active',
      userName: `user${i}-ü😀`,
      domain: 'CONTOSO',
      clientName: i % 2 ? `PC-${i}` : null,
      clientAddress: i % 2 ? `10.0.${i}.1` : null,
      protocol: i % 2 ? 'rdp' : 'console',
      logonTime: SERVER_NOW - 3_600_000,
      connectTime: SERVER_NOW - 3_600_000,
      disconnectTime: i % 5 === 0 ? SERVER_NOW - 60_000 : null,
      lastInputTime: SERVER_NOW - i * 1000,
      locked: null,
    }));
    const windows = await WindowsNode.start(wine!);
    let result: {
      outcomes: Record<string, number>;
      ms: number;
      rssBefore: number;
      rssAfter: number;
      heapBefore: number;
      heapAfter: number;
    };
    try {
      // A warm-up, so that the figures measure growth and not first-use allocations.
      writeStandinScenario(windows.standinDir, scenario, { statsEveryCall: false });
      await windows.request('soak', { count: 200 });
      writeStandinScenario(windows.standinDir, scenario, {
        statsEveryCall: false,
        rules: [
          { fn: 'WTSEnumerateSessionsW', errno: 1722, times: 40 }, // the first 40 listings: host unreachable
          { fn: 'WTSQuerySessionInformationW', errno: 7022, sessionId: 17, times: -1 }, // always vanished
          { fn: 'WTSQuerySessionInformationW', errno: 5, sessionId: 33, times: 60 }, // refused mid-listing: partial
        ],
      });
      result = await windows.request('soak', { count: LISTINGS });
    } finally {
      expect(await windows.stop()).toBe(0);
    }
    const stats = readStandinStats(windows.standinDir); // written as the stand-in unloaded
    const mib = (bytes: number) => (bytes / 2 ** 20).toFixed(1);
    console.log(
      `[soak] ${LISTINGS} listings in ${result.ms} ms (${(result.ms / LISTINGS).toFixed(2)} ms each); outcomes ${JSON.stringify(result.outcomes)}; ` +
        `RSS ${mib(result.rssBefore)} -> ${mib(result.rssAfter)} MiB, heap ${mib(result.heapBefore)} -> ${mib(result.heapAfter)} MiB; ` +
        `stand-in: ${stats.total} buffers handed out, ${stats.allocs} outstanding, ${stats.handles} handles open, ${stats.calls} calls`,
    );
    // Each refused query consumes one scripted failure: session 33's first query fails, so no other is made, and
    // that listing keeps session 33 as partial.
    expect(result.outcomes).toEqual({
      ok: LISTINGS - 40 - 60,
      RPC_S_SERVER_UNAVAILABLE: 40,
      partial: 60,
    });
    expect([stats.allocs, stats.handles, stats.badFrees, stats.badHandles]).toEqual([0, 0, 0, 0]);
    expect(stats.total).toBeGreaterThan(LISTINGS * SESSIONS);
    // Bounded: 10,000 listings of 50 sessions must not keep their results alive.
    expect(result.heapAfter - result.heapBefore).toBeLessThan(16 * 2 ** 20);
    expect(result.rssAfter - result.rssBefore).toBeLessThan(64 * 2 ** 20);
  }, 600_000);
});
