// Work still queued behind a full pool when its worker_thread ends (issue 20, item 1): a pool thread that reaches it
// later drops it, and must do so without touching what the teardown freed. A worker that is the package's only user
// queues more than each pool holds (message boxes, sign-outs and disconnects that wait, remote reads, watch closes)
// and is terminated while they wait, cycle after cycle, in a process of its own.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { baseScenario } from '../contract/scenario.js';
import { readStandinStats, writeStandinScenario } from './wine/standin-scenario.js';
import { useWine } from './wine/use-wine.js';
import { HOST_LIFE_NODE_VERSIONS, winPath } from './wine/environment.js';
import { runWindowsScript } from './wine/windows-node.js';

const wine = useWine();
// QUEUED_TEARDOWN_CYCLES=5 for a quick look; the issue asks for 100 (it crashed within 20 before the fix).
const CYCLES = Number(process.env.QUEUED_TEARDOWN_CYCLES ?? 100);
// Each more than its pool's threads (native/blocking_pool.cc: 64, 16, 16 and 8), so some always wait in its queue.
const PER_WORKER = { messages: 70, actions: 20, reads: 20, closes: 10 };
const REMOTE = 'ts01.contoso.test';
// How long each blocking call takes: long enough that a pool is still full when the next worker queues behind it.
const BLOCK_MS = 300;

function script(pkg: string): string {
  return `const { Worker } = require('node:worker_threads');
const { readFileSync } = require('node:fs');
const { join } = require('node:path');
const cycles = Number(process.argv[2]);
const per = ${JSON.stringify(PER_WORKER)};
const source = \`
  const { parentPort, workerData: { pkg, per } } = require('node:worker_threads');
  const backend = require(pkg).createNativeBackend();
  const ignore = (p) => void p.catch(() => {});
  (async () => {
    const watches = [];
    for (let i = 0; i < per.closes; i++) watches.push(await backend.watchEvents('${REMOTE}'));
    const box = { title: 'T', message: 'queued', buttons: 'ok', icon: 'none', timeoutSeconds: 5, wait: true };
    for (let i = 0; i < per.messages; i++) ignore(backend.sendMessage(2, box, null));
    for (let i = 0; i < per.actions; i++) ignore(i % 2 ? backend.logoff(3, true, null) : backend.disconnect(3, true, null));
    for (let i = 0; i < per.reads; i++) {
      ignore([backend.listSessions, backend.listProcesses][i % 2]('${REMOTE}'));
    }
    for (const watch of watches) ignore(watch.close());
    parentPort.postMessage('queued');
  })();\`;
const stats = () => readFileSync(join(process.env.WTS_STANDIN_DIR, 'stats.txt'), 'utf8');
(async () => {
  const started = Date.now();
  let slowestTerminate = 0;
  for (let i = 0; i < cycles; i++) {
    const worker = new Worker(source, { eval: true, workerData: { pkg: ${JSON.stringify(pkg)}, per } });
    await new Promise((resolve, reject) => {
      worker.once('message', resolve);
      worker.once('error', reject);
    });
    const terminating = Date.now();
    await worker.terminate();
    slowestTerminate = Math.max(slowestTerminate, Date.now() - terminating);
  }
  const cyclesMs = Date.now() - started;
  // Until nothing is left: every running call has returned, and every close has closed its handle.
  const deadline = Date.now() + 60000;
  let text = stats();
  while (!(/^allocs 0 .* handles 0 .* waits 0 /.test(text)) && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    text = stats();
  }
  console.log(JSON.stringify({ cyclesMs, slowestTerminate, drainedMs: Date.now() - started - cyclesMs }));
})();
`;
}

for (const version of HOST_LIFE_NODE_VERSIONS) {
  describe.runIf(wine)(`work queued behind full pools when its worker ends, under Wine (Node ${version})`, () => {
    it(`${CYCLES} workers terminated with every pool's queue non-empty: no crash, nothing left open`, () => {
      const dir = mkdtempSync(join(tmpdir(), 'windows-sessions-queued-'));
      const scenario = baseScenario();
      writeStandinScenario(dir, scenario, {
        latency: { WTSSendMessageW: BLOCK_MS, WTSLogoffSession: BLOCK_MS, WTSDisconnectSession: BLOCK_MS },
        // Remote reads and the closes' flushes (WTSWaitSystemEvent) on the remote host are slow as well.
        slowServer: {
          server: REMOTE,
          ms: BLOCK_MS,
          functions: ['WTSQuerySessionInformationW', 'WTSEnumerateProcessesW', 'WTSWaitSystemEvent'],
        },
      });
      const file = join(dir, 'queued-teardown.cjs');
      writeFileSync(file, script(winPath(join(wine!.installDir, 'node_modules', 'windows-sessions'))));
      const started = Date.now();
      const run = runWindowsScript(wine!, file, [String(CYCLES)], dir, { version, timeoutMs: 600_000 });
      console.log(
        `[queued teardown] Node ${version}: ${CYCLES} cycles, process ended after ${Date.now() - started} ms: ${run.stdout.trim()}`,
      );
      // The process survived every cycle and exited on its own.
      expect([run.code, run.stderr]).toEqual([0, '']);
      // Every cycle ran: the script printed its timings only after the last one.
      const timings = JSON.parse(run.stdout) as { cyclesMs: number; slowestTerminate: number };
      expect(timings.cyclesMs).toBeGreaterThan(0);
      const stats = readStandinStats(dir);
      expect({
        allocs: stats.allocs,
        handles: stats.handles,
        waits: stats.waits,
        badHandles: stats.badHandles,
      }).toEqual({ allocs: 0, handles: 0, waits: 0, badHandles: 0 });
      const ran = {
        messages: stats.byFunction.WTSSendMessageW!,
        actions: stats.byFunction.WTSLogoffSession! + stats.byFunction.WTSDisconnectSession!,
        reads: stats.byFunction.WTSEnumerateSessionsW! + stats.byFunction.WTSEnumerateProcessesW!,
      };
      console.log(
        `[queued teardown] Node ${version}: calls that ran ${JSON.stringify(ran)}, peaks ${JSON.stringify(stats.peaks)}`,
      );
      // Queued work was dropped, not run, once its worker was gone: the path that freed its own lock.
      expect(ran.messages).toBeLessThan(CYCLES * PER_WORKER.messages);
      expect(ran.actions).toBeLessThan(CYCLES * PER_WORKER.actions);
      expect(ran.reads).toBeLessThan(CYCLES * PER_WORKER.reads);
      // The queues were real: each pool was full at some point (calls inside their latency at once).
      expect(stats.peaks).toMatchObject({ WTSSendMessageW: 64 });
      expect(stats.peaks.WTSLogoffSession! + stats.peaks.WTSDisconnectSession!).toBeGreaterThanOrEqual(16);
      // Every close ran, though its worker was gone: every server handle opened was closed. A worker's watches of
      // one server share one handle and one wait (MS-TSTS allows one wait per handle), so there is one per worker.
      expect(stats.byFunction.WTSOpenServerW).toBeGreaterThanOrEqual(CYCLES);
      expect(stats.byFunction.WTSCloseServer).toBe(stats.byFunction.WTSOpenServerW);
    }, 900_000);
  });
}
