import { afterAll, beforeAll, describe, expect } from 'vitest';
import { createClient } from '../../lib/client.js';
import { contractSuite } from '../contract/contract-cases.js';
import type { ContractFixture } from '../contract/scenario.js';
import { readStandinCalls, readStandinStats, writeStandinScenario } from './wine/standin-scenario.js';
import { useWine } from './wine/use-wine.js';
import { WindowsNode } from './wine/windows-node.js';
import { rmSync } from 'node:fs';
import { join } from 'node:path';

const wine = useWine();

describe.runIf(wine)('native backend in Windows node.exe under Wine, scripted wtsapi32.dll', () => {
  let windows: WindowsNode;
  beforeAll(async () => {
    windows = await WindowsNode.start(wine!);
  }, 120_000);
  afterAll(async () => {
    expect(await windows.stop()).toBe(0);
  }, 60_000);

  contractSuite('native', (): ContractFixture => ({
    async load(scenario) {
      rmSync(join(windows.standinDir, 'calls.log'), { force: true });
      writeStandinScenario(windows.standinDir, scenario);
      return createClient(windows.backend());
    },
    actions: async () => readStandinCalls(windows.standinDir),
    async verify() {
      // After every case: every buffer given back through WTSFreeMemory, every server handle closed, no bad ones. A
      // case that aborts may leave a native call finishing after its promise settled (an aborted listing runs to its
      // end, then frees): that gets a moment; a leak stays.
      const settled = Date.now() + 3000;
      let stats = readStandinStats(windows.standinDir);
      while ((stats.allocs > 0 || stats.handles > 0) && Date.now() < settled) {
        await new Promise((resolve) => setTimeout(resolve, 50));
        stats = readStandinStats(windows.standinDir);
      }
      expect({
        allocs: stats.allocs,
        handles: stats.handles,
        badFrees: stats.badFrees,
        badHandles: stats.badHandles,
      }).toEqual({ allocs: 0, handles: 0, badFrees: 0, badHandles: 0 });
    },
  }));
});
