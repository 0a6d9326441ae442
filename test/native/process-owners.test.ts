// Issue 20, item 5, in Windows node.exe under Wine: a process list looks each owner's SID up once per listing, sizes
// its buffers from LookupAccountSidW's ERROR_INSUFFICIENT_BUFFER answer (Microsoft's LookupAccountSidW page: the
// sizes needed, terminator included), and does it off libuv's pool, since a name that is not local is asked of a
// domain controller. The stand-in repoints the addon's import of LookupAccountSidW while the scenario scripts
// accounts, and counts the calls per SID.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { baseScenario, type Scenario } from '../contract/scenario.js';
import { readStandinStats, writeStandinScenario } from './wine/standin-scenario.js';
import { HOST_LIFE_NODE_VERSIONS } from './wine/environment.js';
import { useWine } from './wine/use-wine.js';
import { WindowsNode } from './wine/windows-node.js';

const wine = useWine();

// Two domain accounts: one with a 256-character name (one more than fits 256 characters and a terminator), one short.
const LONG_SID = 'S-1-5-21-1004336348-1177238915-682003330-1105';
const SHORT_SID = 'S-1-5-21-1004336348-1177238915-682003330-1106';
const LONG_NAME = Array.from({ length: 256 }, (_, i) => String.fromCharCode(0x61 + (i % 26))).join('');
const ACCOUNTS = [
  { sid: LONG_SID, name: LONG_NAME, domain: 'CONTOSO' },
  { sid: SHORT_SID, name: 'jdoe', domain: 'CONTOSO' },
];

/** Five processes of the first account and three of the second, in session 2 of this machine. */
function owned(): Scenario['processes'] {
  return [...Array<string>(5).fill(LONG_SID), ...Array<string>(3).fill(SHORT_SID)].map((sid, i) => ({
    pid: 7000 + i,
    name: `app${i}.exe`,
    sessionId: 2,
    userSid: sid,
    userName: null,
    domain: null,
  }));
}

for (const version of HOST_LIFE_NODE_VERSIONS) {
  describe.runIf(wine)(`process owners, native backend under Wine (Node ${version})`, () => {
    let windows: WindowsNode;
    beforeAll(async () => {
      windows = await WindowsNode.start(wine!, { version });
    });
    afterAll(async () => {
      expect(await windows.stop()).toBe(0);
    });

    it('a 256-character account name comes whole, and each SID is resolved once per listing', async () => {
      const scenario = baseScenario();
      scenario.processes = owned();
      writeStandinScenario(windows.standinDir, scenario, { accounts: ACCOUNTS });
      const backend = windows.backend();
      for (let listing = 1; listing <= 2; listing++) {
        const owners = (await backend.listProcesses(null)).map((p) => [p.pid, p.userName, p.domain]);
        expect(owners).toEqual([
          ...[7000, 7001, 7002, 7003, 7004].map((pid) => [pid, LONG_NAME, 'CONTOSO']),
          ...[7005, 7006, 7007].map((pid) => [pid, 'jdoe', 'CONTOSO']),
        ]);
        // One answer per SID per listing; the long name costs one refused call more (sized by its answer), the short
        // one none.
        const lookups = readStandinStats(windows.standinDir).lookups;
        expect({ long: lookups[LONG_SID], short: lookups[SHORT_SID] }).toEqual({
          long: { calls: 2 * listing, answered: listing },
          short: { calls: listing, answered: listing },
        });
      }
    });

    it("look-ups that wait on a domain controller hold none of libuv's four threads: a local listing goes on", async () => {
      const scenario = baseScenario();
      scenario.processes = owned();
      // Every look-up takes 3 s; six process lists at once would otherwise fill libuv's pool for seconds.
      writeStandinScenario(windows.standinDir, scenario, {
        accounts: ACCOUNTS.map((a) => ({ ...a, delayMs: 3000 })),
      });
      const backend = windows.backend();
      let settled = 0;
      const lists = Array.from({ length: 6 }, () => backend.listProcesses(null).finally(() => settled++));
      await new Promise((resolve) => setTimeout(resolve, 500)); // every list is in its first look-up now
      const started = Date.now();
      expect(await backend.listSessions(null)).toHaveLength(baseScenario().sessions.length);
      const listingMs = Date.now() - started;
      console.log(`[owners] Node ${version}: a local listing took ${listingMs} ms with six look-ups stuck`);
      expect(settled).toBe(0);
      expect(listingMs).toBeLessThan(2000);
      for (const list of await Promise.all(lists)) expect(list.find((p) => p.pid === 7005)?.userName).toBe('jdoe');
    }, 120_000);
  });
}
