// std::bad_alloc wherever the addon's code runs (issue 20, items 2 and 3): on the addon's pool threads (a remote
// read, a message box, a sign-out that waits) and on the JS thread (reading arguments, making the worker, its
// promise and thread-safe function, queueing it, starting a thread, building the result). The stand-in makes one
// allocation of the addon fail (its imports of malloc, calloc and realloc are repointed), and each case sweeps that
// allocation over every one the operation makes after the trigger, until one run makes no allocation fail: each
// run must settle (a rejection, or the right answer where the addon could do without the memory), leak nothing, and
// leave the process alive. Before the fix the first failing run killed the host process (std::terminate).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Backend } from '../../lib/backend.js';
import { baseScenario, type Scenario } from '../contract/scenario.js';
import { readStandinStats, writeStandinScenario, type StandinExtras } from './wine/standin-scenario.js';
import { useWine } from './wine/use-wine.js';
import { HOST_LIFE_NODE_VERSIONS } from './wine/environment.js';
import { WindowsNode } from './wine/windows-node.js';

const wine = useWine();

const REMOTE = 'ts01.contoso.test';
// A server name long enough that reading it is an allocation of a size nothing else in a call makes: the marker
// that arms the JS thread. Utf16Value reserves length + 1 code units, and libstdc++ adds one for its terminator.
const LONG_SERVER = `${'x'.repeat(234)}.contoso.test`;
const LONG_TITLE = 'T'.repeat(300);
const markerSize = (text: string) => (text.length + 2) * 2;
// No operation makes this many allocations after its trigger; a sweep that reaches it never ended.
const MAX_SKIP = 400;

const OUT_OF_MEMORY = { errno: 8, syscall: 'operator new' };
const NO_THREAD = { errno: 1450, syscall: 'CreateThread' };
const BOX = { title: 'T', message: 'M', buttons: 'ok', icon: 'none', timeoutSeconds: 5, wait: true } as const;

// Longer than a std::u16string holds inline (7 code units), so that each remote record's text is an allocation.
const DOMAIN = 'CONTOSO-RESEARCH';

function scenario(): Scenario {
  const s = baseScenario();
  s.servers[REMOTE] = s.servers[REMOTE]!.map((session) => ({ ...session, domain: session.domain && DOMAIN }));
  s.servers[LONG_SERVER] = s.servers[REMOTE];
  s.processes.push(...s.processes.filter((p) => p.server === REMOTE).map((p) => ({ ...p, server: LONG_SERVER })));
  return s;
}

interface Sweep {
  name: string;
  trigger: string | { size: number };
  /** More of the scenario (a scripted Win32 failure). */
  extras?: StandinExtras;
  call: (backend: Backend) => Promise<unknown>;
  /** The answer when no allocation failed. */
  expected: (value: unknown) => void;
  /** Rejections other than out of memory that a run may end in (the scripted failure, no thread). */
  alsoRejects?: { errno: number; syscall: string }[];
}

const sessionIds = (value: unknown) => (value as { id: number }[]).map((s) => s.id);
const remoteIds = baseScenario().servers[REMOTE]!.map((s) => s.id);

// Item 3: on the JS thread. Each pool is first used here, in a fresh process, so a thread start is swept too.
const JS_THREAD: Sweep[] = [
  {
    name: 'a remote listing',
    trigger: { size: markerSize(LONG_SERVER) },
    call: (b) => b.listSessions(LONG_SERVER),
    expected: (v) => {
      expect(sessionIds(v)).toEqual(remoteIds);
    },
    alsoRejects: [NO_THREAD],
  },
  {
    name: 'a message box',
    trigger: { size: markerSize(LONG_TITLE) },
    call: (b) => b.sendMessage(2, { ...BOX, title: LONG_TITLE }, null),
    expected: (v) => {
      expect(v).toBe('timeout');
    },
    alsoRejects: [NO_THREAD],
  },
  {
    name: 'a remote sign-out that waits',
    trigger: { size: markerSize(LONG_SERVER) },
    call: (b) => b.logoff(1, true, LONG_SERVER),
    expected: (v) => {
      expect(v).toBeUndefined();
    },
    alsoRejects: [NO_THREAD],
  },
  {
    name: 'a remote getSession',
    trigger: { size: markerSize(LONG_SERVER) },
    call: (b) => b.getSession(1, LONG_SERVER),
    expected: (v) => {
      expect(v).toMatchObject({ id: 1, userName: 'alice', domain: DOMAIN });
    },
  },
  {
    name: 'a remote process list',
    trigger: { size: markerSize(LONG_SERVER) },
    call: (b) => b.listProcesses(LONG_SERVER),
    expected: (v) => {
      expect(v).toEqual([expect.objectContaining({ pid: 900, name: 'svchost.exe' })]);
    },
  },

  {
    name: 'a remote disconnect that waits',
    trigger: { size: markerSize(LONG_SERVER) },
    call: (b) => b.disconnect(1, true, LONG_SERVER),
    expected: (v) => {
      expect(v).toBeUndefined();
    },
  },
  {
    name: 'a remote watch, opened and closed',
    trigger: { size: markerSize(LONG_SERVER) },
    call: async (b) => {
      const watch = await b.watchEvents(LONG_SERVER);
      await watch.close();
    },
    expected: (v) => {
      expect(v).toBeUndefined();
    },
    alsoRejects: [NO_THREAD], // the close pool's first thread
  },
  {
    // The armed JS thread counts on through the calls that follow the marker: the local ones run on libuv's pool
    // (PromiseWorker), and their results are built on this thread.
    name: "local calls after a marker (libuv's pool)",
    trigger: { size: markerSize(LONG_SERVER) },
    call: async (b) => {
      const answers = [
        await orOutOfMemory(b.getSession(1, LONG_SERVER)),
        await orOutOfMemory(b.listSessions(null)),
        await orOutOfMemory(b.getSession(2, null)),
        await orOutOfMemory(b.listProcesses(null)),
        await orOutOfMemory(b.currentSessionId()),
        await orOutOfMemory(b.watchEvents(null).then((watch) => watch.close())),
      ];
      return answers;
    },
    expected: (v) => {
      const [, list, session, processes] = v as [unknown, unknown, unknown, unknown];
      if (list !== 'out of memory') expect(sessionIds(list)).toEqual(baseScenario().sessions.map((x) => x.id));
      if (session !== 'out of memory') expect(session).toMatchObject({ id: 2 });
      const local = baseScenario().processes.filter((p) => !p.server);
      if (processes !== 'out of memory') expect(processes).toHaveLength(local.length);
    },
  },
];

/** A call of a sequence: its answer, or 'out of memory' (any other rejection fails the run). */
async function orOutOfMemory(call: Promise<unknown>): Promise<unknown> {
  try {
    return await call;
  } catch (error) {
    const { errno, syscall } = error as { errno?: number; syscall?: string };
    if ([OUT_OF_MEMORY, NO_THREAD].some((e) => e.errno === errno && e.syscall === syscall)) return 'out of memory';
    throw error;
  }
}

// Item 2: on the addon's pool threads, after the WTS call that arms the thread.
const POOL_THREAD: Sweep[] = [
  {
    name: 'a remote listing (the enumeration)',
    trigger: 'WTSEnumerateSessionsW',
    call: (b) => b.listSessions(REMOTE),
    expected: (v) => {
      expect(sessionIds(v)).toEqual(remoteIds);
    },
  },
  {
    name: 'a remote listing (the per-session queries, in ParallelFor)',
    trigger: 'WTSQuerySessionInformationW',
    call: (b) => b.listSessions(REMOTE),
    expected: (v) => {
      expect(sessionIds(v)).toEqual(remoteIds);
    },
  },
  {
    name: 'a remote getSession',
    trigger: 'WTSQuerySessionInformationW',
    call: (b) => b.getSession(1, REMOTE),
    expected: (v) => {
      expect(v).toMatchObject({ id: 1, userName: 'alice', domain: DOMAIN });
    },
  },
  {
    name: 'a remote process list',
    trigger: 'WTSEnumerateProcessesW',
    call: (b) => b.listProcesses(REMOTE),
    expected: (v) => {
      expect(v).toEqual([expect.objectContaining({ pid: 900, name: 'svchost.exe' })]);
    },
  },
  {
    // With usage: the array WTSEnumerateProcessesExW handed out goes back through WTSFreeMemoryExW on the way out.
    name: 'a remote process list with usage',
    trigger: 'WTSEnumerateProcessesExW',
    call: (b) => b.listProcesses(REMOTE, true),
    expected: (v) => {
      expect(v).toEqual([expect.objectContaining({ pid: 900, name: 'svchost.exe' })]);
    },
  },
  {
    name: 'a remote watch open',
    trigger: 'WTSOpenServerW',
    call: async (b) => {
      const watch = await b.watchEvents(REMOTE);
      await watch.close();
    },
    expected: (v) => {
      expect(v).toBeUndefined();
    },
  },
  {
    // The text of the error (FormatMessageW, Describe) is what allocates after a failed call.
    name: 'a message box whose call fails',
    trigger: 'WTSSendMessageW',
    extras: { rules: [{ fn: 'WTSSendMessageW', errno: 5, times: -1 }] },
    call: (b) => b.sendMessage(2, BOX, null),
    expected: () => expect.fail('the scripted failure must reject'),
    alsoRejects: [{ errno: 5, syscall: 'WTSSendMessageW' }],
  },
  {
    name: 'a sign-out that waits, and fails',
    trigger: 'WTSLogoffSession',
    extras: { rules: [{ fn: 'WTSLogoffSession', errno: 5, times: -1 }] },
    call: (b) => b.logoff(3, true, null),
    expected: () => expect.fail('the scripted failure must reject'),
    alsoRejects: [{ errno: 5, syscall: 'WTSLogoffSession' }],
  },
];

for (const version of HOST_LIFE_NODE_VERSIONS) {
  describe.runIf(wine)(`std::bad_alloc anywhere in the addon's code, under Wine (Node ${version})`, () => {
    let windows: WindowsNode;
    beforeAll(async () => {
      // A process of its own: its pools start with no thread, and the failing allocators stay in it.
      windows = await WindowsNode.start(wine!, { version });
    });
    afterAll(async () => {
      // The host process lived through all of it, and exits cleanly.
      expect(await windows.stop()).toBe(0);
    });

    const run = async (sweep: Sweep, jsThread: boolean) => {
      const backend = windows.backend();
      const outcomes: string[] = [];
      let skip = 0;
      for (; skip < MAX_SKIP; skip++) {
        writeStandinScenario(windows.standinDir, scenario(), {
          ...sweep.extras,
          failAlloc: { trigger: sweep.trigger, skip },
        });
        // The stand-in reads its scenario (and repoints the allocators) at a WTS call; the JS thread makes none.
        if (jsThread) await backend.listProcesses(null);
        const outcome = await sweep.call(backend).then(
          (value) => ({ value }),
          (error: unknown) => ({ error: error as { errno?: number; syscall?: string; message: string } }),
        );
        // The last watch of a server hands its flush and WTSCloseServer to the close pool (one wait per server per
        // process): a close resolves before the handle is closed, so give that thread a moment.
        let stats = readStandinStats(windows.standinDir);
        for (const deadline = Date.now() + 5000; stats.handles > 0 && Date.now() < deadline;) {
          await new Promise((resolve) => setTimeout(resolve, 20));
          stats = readStandinStats(windows.standinDir);
        }
        if ('error' in outcome) {
          const { errno, syscall } = outcome.error;
          expect([OUT_OF_MEMORY, ...(sweep.alsoRejects ?? [])], `run ${skip}: ${outcome.error.message}`).toContainEqual(
            { errno, syscall },
          );
          outcomes.push(`${errno}`);
        } else {
          sweep.expected(outcome.value);
          // A sequence of calls answers 'out of memory' for the one that was refused.
          outcomes.push(JSON.stringify(outcome.value ?? null).includes('out of memory') ? '8' : 'ok');
        }
        // Nothing leaked on the way out: every buffer freed, every server handle closed.
        expect({ skip, allocs: stats.allocs, handles: stats.handles }).toEqual({ skip, allocs: 0, handles: 0 });
        if (stats.allocFailed === 0) break; // every allocation after the trigger has failed once
      }
      // Leave no thread armed for the next case: a scenario without the option, read at a WTS call.
      writeStandinScenario(windows.standinDir, scenario());
      await backend.listProcesses(null).catch(() => undefined);
      console.log(`[out of memory] Node ${version}, ${sweep.name}: ${skip} allocations failed: ${outcomes.join(' ')}`);
      expect(skip).toBeLessThan(MAX_SKIP);
      // The injection was real: at least one run had an allocation fail, and (where nothing else failed first)
      // some run was refused for want of memory.
      expect(skip).toBeGreaterThan(0);
      if (!sweep.extras) expect(outcomes).toContain('8');
    };

    for (const sweep of JS_THREAD) {
      it(`on the JS thread, ${sweep.name}: every allocation failing in turn settles the call`, async () => {
        await run(sweep, true);
      }, 180_000);
    }
    for (const sweep of POOL_THREAD) {
      it(`on a pool thread, ${sweep.name}: every allocation failing in turn settles the call`, async () => {
        await run(sweep, false);
      }, 180_000);
    }
  });
}
