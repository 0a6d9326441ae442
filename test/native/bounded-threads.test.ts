// Issue 10, item 4, in Windows node.exe under Wine: however many message boxes and event waits are asked for at
// once, the addon blocks at most a bounded number of threads in them (native/blocking_pool.cc: 64 for messages; one
// wait per watched server, native/shared_wait.h), and every call still completes. The stand-in counts the calls
// blocked in it at once.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { baseScenario } from '../contract/scenario.js';
import { readStandinStats, writeStandinScenario } from './wine/standin-scenario.js';
import { HOST_LIFE_NODE_VERSIONS } from './wine/environment.js';
import { useWine } from './wine/use-wine.js';
import { WindowsNode } from './wine/windows-node.js';

const wine = useWine();
// The bounds native/blocking_pool.cc sets, restated: the test fails if they change unnoticed.
const MESSAGE_THREADS = 64;

for (const version of HOST_LIFE_NODE_VERSIONS) {
  describe.runIf(wine)(`bounded threads for messages and waits, native backend under Wine (Node ${version})`, () => {
    let windows: WindowsNode;
    beforeAll(async () => {
      windows = await WindowsNode.start(wine!, { version });
    });
    afterAll(async () => {
      expect(await windows.stop()).toBe(0);
    });

    it('1,000 concurrent message boxes: all answered, never more than 64 threads blocked in them', async () => {
      // Each box stays up 100 ms; nobody answers, so each closes with a time-out.
      writeStandinScenario(windows.standinDir, baseScenario(), { latency: { WTSSendMessageW: 100 } });
      const backend = windows.backend();
      const request = {
        title: 'T',
        message: 'M',
        buttons: 'ok',
        icon: 'none',
        timeoutSeconds: 60,
        wait: true,
      } as const;
      const answers = await Promise.all(Array.from({ length: 1000 }, () => backend.sendMessage(2, request, null)));
      expect(new Set(answers)).toEqual(new Set(['timeout']));
      const peak = readStandinStats(windows.standinDir).peaks.WTSSendMessageW!;
      console.log(`[threads] Node ${version}: 1000 concurrent messages: at most ${peak} blocked at once`);
      expect(peak).toBeLessThanOrEqual(MESSAGE_THREADS);
      expect(peak).toBeGreaterThan(8); // they do run side by side
    }, 120_000);

    it('100 watches of one server waiting at once: one wait blocked, and closing them all ends it', async () => {
      // MS-TSTS 3.7.4.1.15: one event wait at a time per server handle, so the addon shares one among all watches.
      writeStandinScenario(windows.standinDir, baseScenario());
      const backend = windows.backend();
      const watches = await Promise.all(Array.from({ length: 100 }, () => backend.watchEvents(null)));
      const nexts = watches.map((w) => w.next(['logon']));
      const until = Date.now() + 20_000;
      let stats = readStandinStats(windows.standinDir);
      while (stats.waits < 1 && Date.now() < until) {
        await new Promise((resolve) => setTimeout(resolve, 50));
        stats = readStandinStats(windows.standinDir);
      }
      await new Promise((resolve) => setTimeout(resolve, 300)); // time for a second wait, were there one
      stats = readStandinStats(windows.standinDir);
      console.log(
        `[threads] Node ${version}: 100 watches: ${stats.waits} waits blocked at once (peak ${stats.waitsPeak})`,
      );
      expect(stats.waits).toBe(1);
      await Promise.all(watches.map((w) => w.close()));
      expect(await Promise.all(nexts)).toEqual(Array.from({ length: 100 }, () => []));
      const settled = Date.now() + 10_000;
      while (readStandinStats(windows.standinDir).waits > 0 && Date.now() < settled) {
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      stats = readStandinStats(windows.standinDir);
      expect({ waits: stats.waits, waitsPeak: stats.waitsPeak, handles: stats.handles }).toEqual({
        waits: 0,
        waitsPeak: 1,
        handles: 0,
      });
    }, 120_000);

    it('a local listing completes while a remote listing is stuck in slow RPCs on every helper thread', async () => {
      const scenario = baseScenario();
      const remote = scenario.servers['ts01.contoso.test']!;
      for (let i = 2; i < 66; i++) {
        const id = { id: i, stationName: `RDP-Tcp#${i}`, userName: `user${i}` };
        remote.push({ ...remote[1]!, ...id, protocol: 'rdp', clientAddress: '10.0.0.1' });
      }
      // Every session query to ts01 takes 1 s: its listing (16 lanes, about 130 queries) holds every helper thread for
      // some 8 s. A local listing must not wait for any of them.
      writeStandinScenario(windows.standinDir, scenario, { slowServer: { server: 'ts01.contoso.test', ms: 1000 } });
      const backend = windows.backend();
      let remoteDone = false;
      const slow = backend.listSessions('ts01.contoso.test').then((sessions) => {
        remoteDone = true;
        return sessions;
      });
      await new Promise((resolve) => setTimeout(resolve, 500)); // the remote listing's lanes are all waiting now
      const local = await backend.listSessions(null);
      expect(local).toHaveLength(scenario.sessions.length);
      // Waiting behind the remote helpers, the local listing would end together with the remote one; it ends seconds
      // before it.
      await new Promise((resolve) => setTimeout(resolve, 1000));
      expect(remoteDone).toBe(false);
      expect((await slow).length).toBe(remote.length);
    }, 120_000);

    it("sign-outs that wait never hold up a listing: they are not on libuv's four threads", async () => {
      // Each logoff takes 1.5 s; six at once would fill libuv's pool (4 threads) and a listing would queue behind them.
      writeStandinScenario(windows.standinDir, baseScenario(), { latency: { WTSLogoffSession: 1500 } });
      const backend = windows.backend();
      let settled = 0;
      const logoffs = [2, 3, 4, 2, 3, 4].map((id) =>
        backend.logoff(id, true, null).then(
          () => settled++,
          () => settled++,
        ),
      );
      await new Promise((resolve) => setTimeout(resolve, 300)); // all six are inside WTSLogoffSession now
      expect(await backend.listSessions(null)).toHaveLength(baseScenario().sessions.length);
      expect(settled).toBe(0);
      await Promise.all(logoffs);
      expect(readStandinStats(windows.standinDir).peaks.WTSLogoffSession).toBe(6);
    }, 120_000);

    it("remote reads stuck in slow RPCs are not on libuv's four threads either: a local listing goes on meanwhile", async () => {
      // Every session query to ts01 takes 1 s: six listings and two getSession calls of it at once would fill libuv's
      // pool (4 threads) for seconds.
      writeStandinScenario(windows.standinDir, baseScenario(), {
        slowServer: { server: 'ts01.contoso.test', ms: 1000 },
      });
      const backend = windows.backend();
      let settled = 0;
      const count = () => settled++;
      const reads = [
        ...Array.from({ length: 6 }, () => backend.listSessions('ts01.contoso.test').then(count, count)),
        ...Array.from({ length: 2 }, () => backend.getSession(1, 'ts01.contoso.test').then(count, count)),
      ];
      await new Promise((resolve) => setTimeout(resolve, 300)); // all of them are waiting on ts01 now
      expect(await backend.listSessions(null)).toHaveLength(baseScenario().sessions.length);
      expect(settled).toBe(0);
      await Promise.all(reads);
      expect(settled).toBe(8);
    }, 120_000);

    it("remote process lists and watch closes stuck in RPC are off libuv's four threads: a local listing goes on", async () => {
      // ts01 takes 1.5 s for every process list and every flush. Six process lists and a close at once would fill
      // libuv's pool (4 threads) for seconds. Four watches share one wait: the last one out flushes it.
      writeStandinScenario(windows.standinDir, baseScenario(), {
        slowServer: {
          server: 'ts01.contoso.test',
          ms: 1500,
          functions: ['WTSEnumerateProcessesW', 'WTSWaitSystemEvent'],
        },
      });
      const backend = windows.backend();
      const watches = await Promise.all(Array.from({ length: 4 }, () => backend.watchEvents('ts01.contoso.test')));
      const waits = watches.map((w) => w.next(['logon']));
      let settled = 0;
      const count = () => settled++;
      const closes = watches.map((w) => w.close());
      const slow = [
        ...Array.from({ length: 6 }, () => backend.listProcesses('ts01.contoso.test').then(count, count)),
        closes[3]!.then(count, count),
      ];
      await new Promise((resolve) => setTimeout(resolve, 300)); // all of them are waiting on ts01 now
      expect(await backend.listSessions(null)).toHaveLength(baseScenario().sessions.length);
      expect(settled).toBe(0);
      await Promise.all([...slow, ...closes]);
      expect(settled).toBe(7);
      expect(await Promise.all(waits)).toEqual([[], [], [], []]);
      expect(readStandinStats(windows.standinDir).waits).toBe(0);
    }, 120_000);
  });
}
