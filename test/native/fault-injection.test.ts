import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClient, type SessionsClient } from '../../lib/client.js';
import { WtsError } from '../../lib/errors.js';
import { baseScenario } from '../contract/scenario.js';
import { readStandinCalls, readStandinStats, writeStandinScenario, type StandinRule } from './wine/standin-scenario.js';
import { useWine } from './wine/use-wine.js';
import { WindowsNode } from './wine/windows-node.js';

const wine = useWine();

const ERRORS = [
  [5, 'ERROR_ACCESS_DENIED'],
  [1722, 'RPC_S_SERVER_UNAVAILABLE'],
  [8, 'ERROR_NOT_ENOUGH_MEMORY'],
  [120, 'ERROR_CALL_NOT_IMPLEMENTED'],
] as const;

/**
 * The WTSQuerySessionInformationW calls one listing of the base scenario makes, counted by hand: a session query
 * each (6), the protocol of session 3 whose station is empty (1), the client of sessions 2, 3 and 4 (3), and the
 * IPv6 address of session 4 (1). test/native/windows-truth.test.ts checks the same count per class.
 */
const QUERIES_PER_LISTING = 11;

interface Case {
  name: string;
  rule: Omit<StandinRule, 'errno'>;
  run: (client: SessionsClient) => Promise<unknown>;
  syscall: string;
}

const q = QUERIES_PER_LISTING;
const CASES: Case[] = [
  {
    name: 'WTSEnumerateSessionsW',
    rule: { fn: 'WTSEnumerateSessionsW' },
    run: (c) => c.listSessions(),
    syscall: 'WTSEnumerateSessionsW',
  },
  {
    name: 'WTSOpenServerW',
    rule: { fn: 'WTSOpenServerW' },
    run: (c) => c.listSessions({ server: 'ts01.contoso.test' }),
    syscall: 'WTSOpenServerW',
  },
  {
    name: 'WTSQuerySessionInformationW in getSession',
    rule: { fn: 'WTSQuerySessionInformationW' },
    run: (c) => c.getSession(2),
    syscall: 'WTSQuerySessionInformationW',
  },
  { name: 'WTSLogoffSession', rule: { fn: 'WTSLogoffSession' }, run: (c) => c.logoff(2), syscall: 'WTSLogoffSession' },
  {
    name: 'WTSDisconnectSession',
    rule: { fn: 'WTSDisconnectSession' },
    run: (c) => c.disconnect(2),
    syscall: 'WTSDisconnectSession',
  },
  {
    name: 'WTSSendMessageW',
    rule: { fn: 'WTSSendMessageW' },
    run: (c) => c.sendMessage(2, { message: 'hi' }),
    syscall: 'WTSSendMessageW',
  },
  {
    name: 'WTSEnumerateProcessesW',
    rule: { fn: 'WTSEnumerateProcessesW' },
    run: (c) => c.listProcesses(),
    syscall: 'WTSEnumerateProcessesW',
  },
  {
    name: 'WTSEnumerateProcessesExW',
    rule: { fn: 'WTSEnumerateProcessesExW' },
    run: (c) => c.getSessionUsage({ interval: 100 }),
    syscall: 'WTSEnumerateProcessesExW',
  },
  {
    name: 'WTSWaitSystemEvent',
    rule: { fn: 'WTSWaitSystemEvent' },
    run: async (c) => {
      // The first wait fails: the loop body never runs.
      for await (const event of c.watchSessions()) return event;
    },
    syscall: 'WTSWaitSystemEvent',
  },
];

describe.runIf(wine)('fault injection: every WTS function the addon calls, failing with each error', () => {
  let windows: WindowsNode;
  beforeAll(async () => {
    windows = await WindowsNode.start(wine!);
  });
  afterAll(async () => {
    expect(await windows.stop()).toBe(0);
  });

  const leaks = () => {
    const stats = readStandinStats(windows.standinDir);
    return { allocs: stats.allocs, handles: stats.handles, badFrees: stats.badFrees, badHandles: stats.badHandles };
  };

  // One failed query inside a listing costs that session its details, never the listing.
  for (const [i, nth] of [1, Math.ceil(q / 2), q].entries()) {
    for (const [errno, code] of ERRORS) {
      it(`WTSQuerySessionInformationW, ${['first', 'middle', 'last'][i]} query of a listing (${nth} of ${q}): ${code} makes one session partial`, async () => {
        const scenario = baseScenario();
        writeStandinScenario(windows.standinDir, scenario, {
          rules: [{ fn: 'WTSQuerySessionInformationW', nth, errno, times: 1 }],
        });
        const sessions = await createClient(windows.backend()).listSessions();
        expect(sessions.map((s) => s.id)).toEqual(scenario.sessions.map((s) => s.id));
        const partial = sessions.filter((s) => s.partial !== null);
        expect(partial).toHaveLength(1);
        expect(partial[0]!.partial).toEqual([expect.objectContaining({ errno, code })]);
        expect(leaks()).toEqual({ allocs: 0, handles: 0, badFrees: 0, badHandles: 0 });
      });
    }
  }

  for (const c of CASES) {
    for (const [errno, code] of ERRORS) {
      it(`${c.name}: ${code} gives a clear error, no leaked buffer, no open handle`, async () => {
        rmSync(join(windows.standinDir, 'calls.log'), { force: true });
        const scenario = baseScenario();
        writeStandinScenario(windows.standinDir, scenario, { rules: [{ ...c.rule, errno, times: 1 }] });
        const client = createClient(windows.backend());
        const error = await c.run(client).then(
          () => expect.fail('expected the injected failure'),
          (e: unknown) => e,
        );
        expect(error).toBeInstanceOf(WtsError);
        expect(error).toMatchObject({ code, errno, syscall: c.syscall });
        const stats = readStandinStats(windows.standinDir);
        expect({
          allocs: stats.allocs,
          handles: stats.handles,
          badFrees: stats.badFrees,
          badHandles: stats.badHandles,
        }).toEqual({
          allocs: 0,
          handles: 0,
          badFrees: 0,
          badHandles: 0,
        });
      });
    }
  }

  it('a listing whose memory cannot be had rejects with ERROR_NOT_ENOUGH_MEMORY; the host process lives on', async () => {
    // WTSEnumerateSessionsW claims 4294967295 sessions: the addon's per-session slots (hundreds of bytes each)
    // cannot be allocated, and std::bad_alloc must become a rejection, not std::terminate.
    writeStandinScenario(windows.standinDir, baseScenario(), { enumCount: 0xffffffff });
    const client = createClient(windows.backend());
    await expect(client.listSessions()).rejects.toMatchObject({
      name: 'WtsError',
      code: 'ERROR_NOT_ENOUGH_MEMORY',
      errno: 8,
      syscall: 'operator new',
    });
    expect(leaks()).toEqual({ allocs: 0, handles: 0, badFrees: 0, badHandles: 0 });
    writeStandinScenario(windows.standinDir, baseScenario());
    expect(await client.listSessions()).toHaveLength(baseScenario().sessions.length);
  });
});

describe.runIf(wine)('no thread to be had: an injected failure to create threads, in a fresh process', () => {
  let windows: WindowsNode;
  beforeAll(async () => {
    // A process of its own: its pools have no thread yet, and the failure must not linger for other suites.
    windows = await WindowsNode.start(wine!);
  });
  afterAll(async () => {
    // The host process lived through it.
    expect(await windows.stop()).toBe(0);
  });

  it('a message box, a wait and a sign-out each reject with ERROR_NO_SYSTEM_RESOURCES, and all work once threads can be had', async () => {
    const backend = windows.backend();
    const noThread = {
      name: 'WtsError',
      code: 'ERROR_NO_SYSTEM_RESOURCES',
      errno: 1450,
      syscall: 'CreateThread',
    };
    writeStandinScenario(windows.standinDir, baseScenario(), { failThreads: true });
    // Any WTS call makes the stand-in re-read its scenario and repoint the addon's _beginthreadex; a local session
    // read runs on libuv's pool and creates no thread of the addon's own.
    await backend.getSession(1, null);
    const request = { title: 'T', message: 'M', buttons: 'ok', icon: 'none', timeoutSeconds: 5, wait: true } as const;
    await expect(backend.sendMessage(2, request, null)).rejects.toMatchObject(noThread);
    const watch = await backend.watchEvents(null);
    await expect(watch.next(['logon'])).rejects.toMatchObject(noThread);
    await expect(backend.logoff(3, true, null)).rejects.toMatchObject(noThread);
    // Nothing reached Windows that needed a thread.
    expect(readStandinCalls(windows.standinDir)).toEqual([]);

    writeStandinScenario(windows.standinDir, baseScenario());
    await backend.getSession(1, null);
    expect(await backend.sendMessage(2, request, null)).toBe('timeout');
    await backend.logoff(3, true, null);
    await watch.close();
    expect(readStandinCalls(windows.standinDir).map((c) => [c.op, c.sessionId])).toEqual([
      ['sendMessage', 2],
      ['logoff', 3],
    ]);
  }, 120_000);
});
