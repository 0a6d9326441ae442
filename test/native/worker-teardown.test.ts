// Worker threads that end while the addon works for them (issue 10): a host that runs the package in a worker pool
// must survive terminating a worker in the middle of a listing, a session watch and a blocking message box.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { baseScenario } from '../contract/scenario.js';
import { readStandinStats, writeStandinScenario } from './wine/standin-scenario.js';
import { useWine } from './wine/use-wine.js';
import { HOST_LIFE_NODE_VERSIONS, winPath } from './wine/environment.js';
import { runWindowsScript, WindowsNode } from './wine/windows-node.js';

const wine = useWine();
// TEARDOWN_CYCLES=5 for a quick look while working on the native teardown; the issue asks for 200.
const CYCLES = Number(process.env.TEARDOWN_CYCLES ?? 200);

for (const version of HOST_LIFE_NODE_VERSIONS) {
  describe.runIf(wine)(`worker threads terminated mid-call, native backend under Wine (Node ${version})`, () => {
    let windows: WindowsNode;
    beforeAll(async () => {
      windows = await WindowsNode.start(wine!, { version });
    });
    afterAll(async () => {
      // No crash: the process is still there, answers, and exits cleanly.
      expect(await windows.stop()).toBe(0);
    });

    it("the addon's errors carry their text in .stack, as created (not patched in afterwards)", async () => {
      writeStandinScenario(windows.standinDir, baseScenario(), { rules: [{ fn: 'WTSLogoffSession', errno: 5 }] });
      const error = await windows.request('raw', { fn: 'logoff', args: [2, false, null] }).then(
        () => expect.fail('expected the injected failure'),
        (e: unknown) => e as Error & { errno: number; remoteStack: string },
      );
      expect(error.errno).toBe(5);
      expect(error.message).not.toBe('');
      expect(error.remoteStack.split('\n')[0]).toBe(`Error: ${error.message}`);
    });

    it(`${CYCLES} workers that list, watch and wait on a message box, terminated while they do: nothing left open`, async () => {
      const scenario = baseScenario();
      // Every message box in session 2 is answered only after 1.5 s: each worker's is still up when it ends.
      scenario.answers = Array.from({ length: CYCLES }, () => ({ sessionId: 2, answer: 'ok' as const, delayMs: 1500 }));
      writeStandinScenario(windows.standinDir, scenario, { statsEveryCall: true });
      const started = Date.now();
      expect(await windows.request('terminateCycles', { count: CYCLES })).toEqual({ cycles: CYCLES });
      console.log(`[teardown] Node ${version}: ${CYCLES} worker cycles in ${Date.now() - started} ms`);
      // The message boxes close as their answers come; every session wait must have been released by the teardown.
      const settled = Date.now() + 10_000;
      let stats = readStandinStats(windows.standinDir);
      while ((stats.waits > 0 || stats.allocs > 0 || stats.handles > 0) && Date.now() < settled) {
        await new Promise((resolve) => setTimeout(resolve, 100));
        stats = readStandinStats(windows.standinDir);
      }
      expect({ waits: stats.waits, allocs: stats.allocs, handles: stats.handles, badFrees: stats.badFrees }).toEqual({
        waits: 0,
        allocs: 0,
        handles: 0,
        badFrees: 0,
      });
      // And the main thread still works.
      expect((await windows.backend().listSessions(null)).length).toBe(scenario.sessions.length);
    }, 300_000);
  });

  describe.runIf(wine)(`a worker thread that was the only user of the addon, under Wine (Node ${version})`, () => {
    it("ends while the addon's threads still work for it: the code they run stays loaded and their cleanup is done", () => {
      // Node unloads an addon when the last environment that loaded it ends. Here only the worker loads it: it opens
      // nine watches on ts01, whose flushes take 1.5 s, waits on each, closes them all and is terminated at once. The
      // nine share one wait and one server handle (native/shared_wait.h); the last close is then still flushing on the
      // close pool, and must finish all the same, since nothing else would release the wait or close the handle.
      const dir = mkdtempSync(join(tmpdir(), 'windows-sessions-unload-'));
      writeStandinScenario(dir, baseScenario(), {
        slowServer: { server: 'ts01.contoso.test', ms: 1500, functions: ['WTSWaitSystemEvent'] },
      });
      const script = join(dir, 'worker-only.cjs');
      const pkg = JSON.stringify(winPath(join(wine!.installDir, 'node_modules', 'windows-sessions')));
      writeFileSync(
        script,
        `const { Worker } = require('node:worker_threads');
  const worker = new Worker(\`
    const { parentPort } = require('node:worker_threads');
    const backend = require(\${JSON.stringify(${pkg})}).createNativeBackend();
    (async () => {
      const watches = [];
      for (let i = 0; i < 9; i++) watches.push(await backend.watchEvents('ts01.contoso.test'));
      for (const w of watches) void w.next(['logon']).catch(() => {});
      await new Promise((resolve) => setTimeout(resolve, 200)); // every wait is blocked now
      for (const w of watches) void w.close().catch(() => {});
      parentPort.postMessage('closing');
    })();\`, { eval: true });
  worker.once('message', async () => {
    await worker.terminate();
    // Until the stand-in has no wait blocked and no handle open (the closes take seconds), or 30 s have passed.
    const stats = require('node:path').join(process.env.WTS_STANDIN_DIR, 'stats.txt');
    const deadline = Date.now() + 30000;
    const poll = () => {
      const text = require('node:fs').readFileSync(stats, 'utf8');
      if (/ handles 0 /.test(text) && / waits 0 /.test(text)) console.log('alive');
      else if (Date.now() > deadline) console.log('timed out: ' + text.split('\\n')[0]);
      else setTimeout(poll, 100);
    };
    poll();
  });
  `,
      );
      const run = runWindowsScript(wine!, script, [], dir, { version });
      expect([run.code, run.stdout.trim(), run.stderr]).toEqual([0, 'alive', '']);
      const stats = readStandinStats(dir);
      expect({ waits: stats.waits, handles: stats.handles, badHandles: stats.badHandles }).toEqual({
        waits: 0,
        handles: 0,
        badHandles: 0,
      });
      expect(stats.byFunction.WTSCloseServer).toBe(1);
    }, 180_000);
  });

  describe.runIf(wine)(`a process exiting while the addon waits for it, under Wine (Node ${version})`, () => {
    it('ends at once with a session watch and a blocking message box pending', () => {
      const dir = mkdtempSync(join(tmpdir(), 'windows-sessions-exit-'));
      const scenario = baseScenario();
      scenario.answers = [{ sessionId: 2, answer: 'ok', delayMs: 60_000 }]; // the box would stay up for a minute
      writeStandinScenario(dir, scenario);
      const script = join(dir, 'exit-while-waiting.cjs');
      writeFileSync(
        script,
        `const ws = require(${JSON.stringify(winPath(join(wine!.installDir, 'node_modules', 'windows-sessions')))});
         void ws.watchSessions()[Symbol.asyncIterator]().next();
         void ws.sendMessage(2, { message: 'blocking', wait: true });
         setTimeout(() => { console.log('exiting'); process.exit(0); }, 300);`,
      );
      const started = Date.now();
      const run = runWindowsScript(wine!, script, [], dir, { version });
      console.log(
        `[exit] Node ${version}: node.exe with a watch and a message pending ended in ${Date.now() - started} ms`,
      );
      expect([run.code, run.stdout.trim(), run.stderr]).toEqual([0, 'exiting', '']);
      // The minute-long box did not hold the process (runWindowsScript would have timed out after 2 minutes).
      expect(Date.now() - started).toBeLessThan(60_000);
    }, 180_000);
  });
}
