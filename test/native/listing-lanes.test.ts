// How many threads a local listing uses (native/list_sessions_worker.cc): lanes overlap calls that wait, so a
// listing times its first session's queries and fans out only when they waited; a remote host always fans out.
// The stand-in counts the threads that called each function since the scenario was written.
import { describe, expect, it } from 'vitest';
import { baseScenario, type Scenario } from '../contract/scenario.js';
import { readStandinStats, writeStandinScenario } from './wine/standin-scenario.js';
import { useWine } from './wine/use-wine.js';
import { WindowsNode } from './wine/windows-node.js';

const wine = useWine();
const QUERY = 'WTSQuerySessionInformationW';

/** The base scenario with `extra` more RDP sessions on this machine and on ts01. */
function manySessions(extra: number): Scenario {
  const scenario = baseScenario();
  const rdp = (i: number) => ({ ...scenario.sessions[2]!, id: 100 + i, stationName: `RDP-Tcp#${100 + i}` });
  scenario.sessions.push(...Array.from({ length: extra }, (_, i) => rdp(i)));
  scenario.servers['ts01.contoso.test']!.push(...Array.from({ length: extra }, (_, i) => rdp(i)));
  return scenario;
}

describe.runIf(wine)('listing lanes, native backend under Wine', () => {
  // Stats written after every call would make every call slow (a file write under Wine): they are read once the
  // Windows node process has ended, which writes them.
  const threadsOfOneListing = async (server: string | null, latencyMs: number) => {
    const windows = await WindowsNode.start(wine!);
    try {
      writeStandinScenario(windows.standinDir, manySessions(400), {
        statsEveryCall: false,
        latency: latencyMs ? { [QUERY]: latencyMs } : {},
      });
      const sessions = await windows.backend().listSessions(server);
      expect(sessions.length).toBe(server ? 402 : 406);
    } finally {
      expect(await windows.stop()).toBe(0);
    }
    return readStandinStats(windows.standinDir).threads[QUERY];
  };

  it('reads this machine in one thread when its calls return at once', async () => {
    expect(await threadsOfOneListing(null, 0)).toBe(1);
  });

  it('spreads this machine over up to 4 threads when its calls wait', async () => {
    const threads = await threadsOfOneListing(null, 5);
    expect(threads).toBeGreaterThan(1);
    expect(threads).toBeLessThanOrEqual(4);
  });

  it('always spreads a remote host over its threads', async () => {
    expect(await threadsOfOneListing('ts01.contoso.test', 0)).toBeGreaterThan(1);
  });
});
