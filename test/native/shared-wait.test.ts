// Issue 20, items 5 and 6, in Windows node.exe under Wine: one WTSWaitSystemEvent per server per process, fanned out
// to every watch of every environment and copy of the package, and a worker's teardown that never flushes or closes
// a server handle on its own thread. The stand-in follows MS-TSTS 3.7.4.1.15 (a second wait on a handle with one
// outstanding fails, and is counted), so a design with a wait per watch fails here.
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { baseScenario } from '../contract/scenario.js';
import { readStandinStats, writeStandinScenario } from './wine/standin-scenario.js';
import { HOST_LIFE_NODE_VERSIONS, winPath } from './wine/environment.js';
import { useWine } from './wine/use-wine.js';
import { runWindowsScript, WindowsNode } from './wine/windows-node.js';

const wine = useWine();

/** A scenario written aside, for the script to put in place (the stand-in's blocked wait then reads it). */
function stage(
  dir: string,
  name: string,
  events: { types: ('logon' | 'logoff' | 'disconnect')[]; server?: string }[],
): string {
  const scenario = baseScenario();
  // Each server's first event at once, the next 300 ms into the wait after it.
  scenario.events = events.map((e, i) => ({
    ...e,
    delayMs: events.slice(0, i).some((o) => o.server === e.server) ? 300 : 0,
  }));
  const staged = join(dir, name);
  mkdirSync(staged);
  writeStandinScenario(staged, scenario);
  return join(staged, 'scenario.txt');
}

/** The Windows-side script: watchers everywhere, events fired once all are in, a worker terminated between. */
function sharedWaitScript(pkg: string, fire1: string, fire2: string): string {
  return `
const { Worker } = require('node:worker_threads');
const fs = require('node:fs');
const path = require('node:path');
const { pathToFileURL } = require('node:url');
const pkg = ${JSON.stringify(pkg)};
const ws = require(pkg);
const ALL = ['create', 'delete', 'rename', 'connect', 'disconnect', 'logon', 'logoff', 'stateChange', 'license'];
const seen = {};
const note = (who, types) => { for (const t of types) (seen[who] ??= new Set()).add(t); };
const fire = (file) => {
  const target = path.join(process.env.WTS_STANDIN_DIR, 'scenario.txt');
  fs.copyFileSync(file, target + '.next');
  fs.renameSync(target + '.next', target);
};
const until = async (done, ms = 15000) => {
  const end = Date.now() + ms;
  while (!done() && Date.now() < end) await new Promise((r) => setTimeout(r, 50));
};
const has = (who, types) => types.every((t) => seen[who]?.has(t));

// A watch through the backend API: opened (subscribed natively) before 'ready'.
async function watchLoop(backend, who, onReady, server = null) {
  const watch = await backend.watchEvents(server);
  onReady();
  void (async () => {
    for (;;) {
      const types = await watch.next(ALL);
      if (types.length === 0) return;
      note(who, types);
    }
  })();
  return watch;
}

const workerSource = \`
  const { parentPort } = require('node:worker_threads');
  const backend = require(\${JSON.stringify(pkg)}).createNativeBackend();
  const ALL = \${JSON.stringify(ALL)};
  (async () => {
    const watch = await backend.watchEvents(null);
    parentPort.on('message', async () => { await watch.close(); parentPort.postMessage({ closed: true }); });
    parentPort.postMessage({ ready: true });
    for (;;) {
      const types = await watch.next(ALL);
      if (types.length === 0) return;
      parentPort.postMessage({ types });
    }
  })();\`;

(async () => {
  const ready = [];
  const watches = [];
  const [backendA, backendB] = [ws.createNativeBackend(), ws.createNativeBackend()];
  watches.push(await watchLoop(backendA, 'backendA', () => ready.push('backendA')));
  watches.push(await watchLoop(backendB, 'backendB', () => ready.push('backendB')));
  // A remote server too, named in two cases: one handle, one wait.
  watches.push(await watchLoop(backendA, 'ts01A', () => ready.push('ts01A'), 'ts01.contoso.test'));
  watches.push(await watchLoop(backendB, 'ts01B', () => ready.push('ts01B'), 'TS01.Contoso.Test'));
  // The ESM copy of the package: its own modules, its own default backend, the same addon.
  const esm = await import(pathToFileURL(path.join(path.dirname(require.resolve(pkg)), 'index.js')).href);
  const esmAbort = new AbortController();
  void (async () => {
    for await (const event of esm.watchSessions({ signal: esmAbort.signal })) note('esm', [event.type]);
  })();
  const workers = [];
  for (let i = 0; i < 3; i++) {
    const worker = new Worker(workerSource, { eval: true });
    const who = 'worker' + i;
    await new Promise((resolve, reject) => {
      worker.on('message', (m) => {
        if (m.ready) resolve();
        if (m.types) note(who, m.types);
      });
      worker.once('error', reject);
    });
    workers.push(worker);
  }
  await new Promise((r) => setTimeout(r, 1000)); // the ESM loop's watch is open too
  const everyone = ['backendA', 'backendB', 'esm', 'worker0', 'worker1', 'worker2'];

  fire(${JSON.stringify(fire1)});
  await until(() => everyone.every((who) => has(who, ['logon', 'logoff'])) && has('ts01A', ['logon']) && has('ts01B', ['logon']));
  everyone.push('ts01A', 'ts01B');
  const afterFirst = Object.fromEntries(everyone.map((who) => [who, [...(seen[who] ?? [])].sort()]));

  const started = Date.now();
  await workers[0].terminate();
  const terminateMs = Date.now() - started;
  const staying = everyone.filter((who) => who !== 'worker0' && !who.startsWith('ts01'));
  fire(${JSON.stringify(fire2)});
  await until(() => staying.every((who) => has(who, ['disconnect'])));
  const afterSecond = Object.fromEntries(everyone.map((who) => [who, [...(seen[who] ?? [])].sort()]));

  // Everyone leaves, the main thread first: the last one out, a worker, ends the local wait.
  esmAbort.abort();
  for (const w of watches) await w.close();
  for (const w of workers.slice(1)) {
    w.postMessage('close');
    await new Promise((resolve) => w.once('message', resolve));
    await w.terminate();
  }
  const stats = path.join(process.env.WTS_STANDIN_DIR, 'stats.txt');
  await until(() => / waits 0 /.test(fs.readFileSync(stats, 'utf8')) , 10000);
  fs.writeFileSync(path.join(process.env.WTS_STANDIN_DIR, 'result.json'),
    JSON.stringify({ afterFirst, afterSecond, terminateMs }));
  console.log('done');
})().catch((e) => { console.log('failed: ' + (e && e.stack)); process.exit(1); });
`;
}

/** A worker that watches ts01 and is terminated while it does: how long its teardown takes, and when ts01 is let go. */
function teardownScript(pkg: string): string {
  return `
const { Worker } = require('node:worker_threads');
const fs = require('node:fs');
const path = require('node:path');
const worker = new Worker(\`
  const { parentPort } = require('node:worker_threads');
  const backend = require(\${JSON.stringify(${JSON.stringify(pkg)})}).createNativeBackend();
  (async () => {
    const watch = await backend.watchEvents('ts01.contoso.test');
    void watch.next(['logon']).catch(() => {});
    parentPort.postMessage('watching');
  })();\`, { eval: true });
worker.once('message', async () => {
  await new Promise((r) => setTimeout(r, 300)); // its wait is blocked in the stand-in now
  const started = Date.now();
  await worker.terminate();
  const terminateMs = Date.now() - started;
  const stats = path.join(process.env.WTS_STANDIN_DIR, 'stats.txt');
  const end = Date.now() + 15000;
  while (Date.now() < end && !/ handles 0 .* waits 0 /.test(fs.readFileSync(stats, 'utf8'))) {
    await new Promise((r) => setTimeout(r, 50));
  }
  console.log(JSON.stringify({ terminateMs, releasedMs: Date.now() - started }));
});
`;
}

for (const version of HOST_LIFE_NODE_VERSIONS) {
  describe.runIf(wine)(`one event wait per server per process, under Wine (Node ${version})`, () => {
    it('watches on the main thread, in 3 workers, through two backends and the ESM copy all see each event; one wait per server', () => {
      const dir = mkdtempSync(join(tmpdir(), 'windows-sessions-shared-wait-'));
      writeStandinScenario(dir, baseScenario());
      const fire1 = stage(dir, 'fire1', [
        { types: ['logon'] },
        { types: ['logoff'] },
        { types: ['logon'], server: 'ts01.contoso.test' },
      ]);
      const fire2 = stage(dir, 'fire2', [{ types: ['disconnect'] }]);
      const script = join(dir, 'shared-wait.cjs');
      const pkg = winPath(join(wine!.installDir, 'node_modules', 'windows-sessions'));
      writeFileSync(script, sharedWaitScript(pkg, winPath(fire1), winPath(fire2)));
      const run = runWindowsScript(wine!, script, [], dir, { version });
      expect([run.code, run.stdout.trim(), run.stderr]).toEqual([0, 'done', '']);
      const result = JSON.parse(readFileSync(join(dir, 'result.json'), 'utf8')) as {
        afterFirst: Record<string, string[]>;
        afterSecond: Record<string, string[]>;
        terminateMs: number;
      };
      // The scenario's events, as the test wrote them: every watcher saw both, ...
      const both = ['logoff', 'logon'];
      expect(result.afterFirst).toEqual({
        backendA: both,
        backendB: both,
        esm: both,
        worker0: both,
        worker1: both,
        worker2: both,
        ts01A: ['logon'],
        ts01B: ['logon'],
      });
      // ... and after worker0 was terminated, the others saw the next one (and worker0 nothing more).
      const three = ['disconnect', 'logoff', 'logon'];
      expect(result.afterSecond).toEqual({
        backendA: three,
        backendB: three,
        esm: three,
        worker0: both,
        worker1: three,
        worker2: three,
        ts01A: ['logon'],
        ts01B: ['logon'],
      });
      const stats = readStandinStats(dir);
      console.log(
        `[shared-wait] Node ${version}: 8 watchers on 2 servers, ${stats.byFunction.WTSWaitSystemEvent} ` +
          `WTSWaitSystemEvent calls in all (from ${stats.threads.WTSWaitSystemEvent} threads since the last scenario), peak ` +
          `${stats.waitsPeak} blocked, ${stats.waitConflicts} refused; worker terminated in ${result.terminateMs} ms`,
      );
      // Never two waits on one handle; ts01 opened and closed once for both of its watches.
      expect({
        waitConflicts: stats.waitConflicts,
        waits: stats.waits,
        handles: stats.handles,
        opens: stats.byFunction.WTSOpenServerW,
        closes: stats.byFunction.WTSCloseServer,
      }).toEqual({ waitConflicts: 0, waits: 0, handles: 0, opens: 1, closes: 1 });
      // One wait per server: local and ts01, each blocked at most once at a time.
      expect(stats.waitsPeak).toBeLessThanOrEqual(2);
    }, 180_000);

    it("a worker's teardown leaves its remote wait's flush and close to the close pool: it does not wait for them", () => {
      // Every flush of ts01 takes 1.5 s, and so does every WTSCloseServer: a teardown that did either on the worker's
      // own thread would take at least that long.
      const dir = mkdtempSync(join(tmpdir(), 'windows-sessions-teardown-'));
      writeStandinScenario(dir, baseScenario(), {
        slowServer: { server: 'ts01.contoso.test', ms: 1500, functions: ['WTSWaitSystemEvent'] },
        latency: { WTSCloseServer: 1500 },
      });
      const script = join(dir, 'teardown.cjs');
      writeFileSync(script, teardownScript(winPath(join(wine!.installDir, 'node_modules', 'windows-sessions'))));
      const run = runWindowsScript(wine!, script, [], dir, { version });
      expect([run.code, run.stderr]).toEqual([0, '']);
      const { terminateMs, releasedMs } = JSON.parse(run.stdout) as { terminateMs: number; releasedMs: number };
      console.log(
        `[teardown] Node ${version}: worker terminated in ${terminateMs} ms; ts01 released after ${releasedMs} ms`,
      );
      expect(terminateMs).toBeLessThan(1000);
      // The flush and the close did happen, afterwards, off that thread.
      const stats = readStandinStats(dir);
      expect({ waits: stats.waits, handles: stats.handles, closes: stats.byFunction.WTSCloseServer }).toEqual({
        waits: 0,
        handles: 0,
        closes: 1,
      });
      expect(releasedMs).toBeGreaterThanOrEqual(1500);
    }, 180_000);
  });

  describe.runIf(wine)(`a watch between two of its waits, under Wine (Node ${version})`, () => {
    let windows: WindowsNode;
    beforeAll(async () => {
      windows = await WindowsNode.start(wine!, { version });
    });
    afterAll(async () => {
      expect(await windows.stop()).toBe(0);
    });

    it('an event that comes while a watch is not waiting is kept for its next wait', async () => {
      const scenario = baseScenario();
      // Each 300 ms into the shared wait that receives it.
      scenario.events = [
        { types: ['logon'], delayMs: 300 },
        { types: ['logoff'], delayMs: 300 },
      ];
      writeStandinScenario(windows.standinDir, scenario);
      const backend = windows.backend();
      const busy = await backend.watchEvents(null); // waits all along
      const idle = await backend.watchEvents(null); // waits for the first event only, then not for a while
      const busyFirst = busy.next(['logon', 'logoff']);
      expect(await idle.next(['logon', 'logoff'])).toEqual(['logon']);
      expect(await busyFirst).toEqual(['logon']);
      expect(await busy.next(['logon', 'logoff'])).toEqual(['logoff']);
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(await idle.next(['logon', 'logoff'])).toEqual(['logoff']);
      await idle.close();
      await busy.close();
      const stats = readStandinStats(windows.standinDir);
      expect({ waitConflicts: stats.waitConflicts, waits: stats.waits }).toEqual({ waitConflicts: 0, waits: 0 });
    });
  });
}
