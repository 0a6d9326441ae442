import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClient } from '../../lib/client.js';
import { WtsError } from '../../lib/errors.js';
import { baseScenario } from '../contract/scenario.js';
import { WINDOWS_NODE_VERSIONS } from './wine/environment.js';
import { readStandinCalls, readStandinStats, writeStandinScenario } from './wine/standin-scenario.js';
import { useWine } from './wine/use-wine.js';
import { runWindowsScript, WindowsNode } from './wine/windows-node.js';

const wine = useWine();

/** The stand-in's sessions come back, in this process and in a worker thread (a second instance of the addon). */
async function listsHereAndInAWorker(windows: WindowsNode): Promise<void> {
  const scenario = baseScenario();
  writeStandinScenario(windows.standinDir, scenario);
  const sessions = await createClient(windows.backend()).listSessions();
  expect(sessions.map((s) => s.id)).toEqual(scenario.sessions.map((s) => s.id));
  expect(await windows.request('worker')).toEqual(scenario.sessions.map((s) => [s.id, s.userName]));
}

describe.runIf(wine)('the installed prebuild in Windows Node.js', () => {
  for (const version of WINDOWS_NODE_VERSIONS) {
    it(`loads through node-gyp-build (no build/ folder) and lists sessions in Node ${version}, also in a worker thread`, async () => {
      const windows = await WindowsNode.start(wine!, { version });
      try {
        const info = await windows.request<{ node: string; platform: string; buildDir: boolean }>('info');
        expect(info).toMatchObject({ node: version, platform: 'win32', buildDir: false });
        // Context-aware addon: a second instance in a worker thread works beside the main one.
        await listsHereAndInAWorker(windows);
      } finally {
        expect(await windows.stop()).toBe(0);
      }
      const stats = readStandinStats(windows.standinDir);
      expect([stats.allocs, stats.handles, stats.badFrees, stats.badHandles]).toEqual([0, 0, 0, 0]);
    }, 120_000);
  }
});

describe.runIf(wine)(
  'a host program not named node.exe (Electron, a single-executable app, a renamed node.exe)',
  () => {
    for (const version of WINDOWS_NODE_VERSIONS) {
      it(`loads the prebuild in Node ${version}: its Node-API imports resolve against the running program, not a module named node.exe`, async () => {
        const windows = await WindowsNode.start(wine!, { hostName: 'electron-app.exe', version });
        try {
          const info = await windows.request<{ execPath: string; buildDir: boolean }>('info');
          expect(info.execPath).toMatch(/\\electron-app\.exe$/);
          expect(info.buildDir).toBe(false);
          // A worker thread's first Node-API calls resolve on a thread of their own.
          await listsHereAndInAWorker(windows);
        } finally {
          expect(await windows.stop()).toBe(0);
        }
      }, 120_000);
    }
  },
);

describe.runIf(wine)('a package whose binary is missing or broken (nothing is built at install)', () => {
  /** The installed package copied into a new app without its prebuilds/, plus a script that lists sessions. */
  function appWithout(prebuild: 'none' | 'broken'): { dir: string; script: string } {
    const dir = mkdtempSync(join(tmpdir(), 'windows-sessions-nobinary-'));
    cpSync(join(wine!.installDir, 'node_modules'), join(dir, 'node_modules'), { recursive: true });
    const pkg = join(dir, 'node_modules', 'windows-sessions');
    rmSync(join(pkg, 'prebuilds'), { recursive: true, force: true });
    if (prebuild === 'broken') {
      mkdirSync(join(pkg, 'prebuilds', 'win32-x64'), { recursive: true });
      writeFileSync(join(pkg, 'prebuilds', 'win32-x64', 'windows-sessions.node'), 'not a DLL');
    }
    const script = join(dir, 'list.cjs');
    writeFileSync(
      script,
      `require('windows-sessions').listSessions().then(
    () => console.log('{"listed":true}'),
    (e) => console.log(JSON.stringify({ code: e.code, message: e.message })),
  );\n`,
    );
    return { dir, script };
  }

  it('says which platform has no binary and how to build one, with no install step to blame', () => {
    const { dir, script } = appWithout('none');
    const run = runWindowsScript(wine!, script, [], dir);
    expect(run.code, run.stderr).toBe(0);
    const error = JSON.parse(run.stdout) as { code: string; message: string };
    expect(error.code).toBe('ERR_WINDOWS_SESSIONS_ADDON_LOAD');
    expect(error.message).toMatch(/no native addon for win32-x64/);
    expect(error.message).toMatch(/prebuilds\\win32-x64/);
    // The one command that builds from source: binding.gyp is in native/ (README, "Building the addon").
    expect(error.message).toMatch(/&& npx node-gyp rebuild --directory native$/);
  }, 120_000);

  it('passes on why a binary that is there did not load', () => {
    const { dir, script } = appWithout('broken');
    const run = runWindowsScript(wine!, script, [], dir);
    expect(run.code, run.stderr).toBe(0);
    const error = JSON.parse(run.stdout) as { code: string; message: string };
    expect(error.code).toBe('ERR_WINDOWS_SESSIONS_ADDON_LOAD');
    expect(error.message).toMatch(/could not load its native addon/);
    // The loader's own reason: Windows says "not a valid Win32 application", Wine "Bad EXE format".
    expect(error.message).toMatch(/not a valid Win32 application|Bad EXE format/i);
    expect(error.message).toMatch(/Reinstall the package/);
  }, 120_000);
});

describe.runIf(wine)("against Wine's own wtsapi32 (no stand-in)", () => {
  let windows: WindowsNode;
  beforeAll(async () => {
    windows = await WindowsNode.start(wine!, { wineWtsapi: true });
  });
  afterAll(async () => {
    expect(await windows.stop()).toBe(0);
  });

  it('lists no sessions, and WTSLogoffSession fails with ERROR_CALL_NOT_IMPLEMENTED; nothing crashes or hangs', async () => {
    const client = createClient(windows.backend());
    expect(await client.listSessions()).toEqual([]);
    // The native logoff itself: Wine's WTSLogoffSession is not implemented.
    const error = await client.backend.logoff(3, false, null).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WtsError);
    expect(error).toMatchObject({
      code: 'ERROR_CALL_NOT_IMPLEMENTED',
      errno: 120,
      syscall: 'WTSLogoffSession',
      sessionId: 3,
    });
    // The public logoff re-reads the session first, and Wine's WTSQuerySessionInformationW fails without saying
    // why (GetLastError() is 0): a clear WtsError all the same, and WTSLogoffSession is never reached.
    const guarded = await client.logoff(3).catch((e: unknown) => e);
    expect(guarded).toBeInstanceOf(WtsError);
    expect(guarded).toMatchObject({
      code: 'ERROR_UNSPECIFIED',
      errno: 0,
      syscall: 'WTSQuerySessionInformationW',
      sessionId: 3,
    });
    expect(await client.currentSessionId()).toEqual(expect.any(Number));
  });
});

describe.runIf(wine)('the addon at the native boundary', () => {
  let windows: WindowsNode;
  beforeAll(async () => {
    windows = await WindowsNode.start(wine!);
  });
  afterAll(async () => {
    expect(await windows.stop()).toBe(0);
  });

  it('checks its own arguments: no value reaches WTSLogoffSession but a valid session id', async () => {
    rmSync(join(windows.standinDir, 'calls.log'), { force: true });
    writeStandinScenario(windows.standinDir, baseScenario());
    const bad: unknown[] = [
      { $: 'NaN' },
      -1,
      1.5,
      '3',
      2 ** 32,
      4294967294,
      4294967295,
      { $: 'undefined' },
      null,
      {},
      [],
      { $: 'bigint', v: '3' },
      { $: 'Infinity' },
      { $: 'symbol', v: 's' },
      { $: 'function' },
    ];
    for (const id of bad) {
      const error = await windows.request('raw', { fn: 'logoff', args: [id, false, null] }).catch((e: unknown) => e);
      expect((error as Error).name, JSON.stringify(id)).toMatch(/^(TypeError|RangeError)$/);
    }
    for (const args of [
      [2, 'yes', null],
      [2, false, 42],
      [2, false, 'a\0b'],
      [2, false, 'x'.repeat(300)],
    ]) {
      const error = await windows.request('raw', { fn: 'logoff', args }).catch((e: unknown) => e);
      expect((error as Error).name, JSON.stringify(args)).toMatch(/^(TypeError|RangeError)$/);
    }
    expect(readStandinCalls(windows.standinDir)).toEqual([]);
    await windows.request('raw', { fn: 'logoff', args: [2, true, null] });
    expect(readStandinCalls(windows.standinDir)).toEqual([{ op: 'logoff', server: null, sessionId: 2, wait: true }]);
  });

  it('lists N sessions in at most 1 + 2N WTS calls: the station name saves the protocol query where it can', async () => {
    const scenario = baseScenario();
    writeStandinScenario(windows.standinDir, scenario);
    await createClient(windows.backend()).listSessions(); // so that stats.txt exists before the counted listing
    const before = readStandinStats(windows.standinDir).byFunction;
    await createClient(windows.backend()).listSessions();
    const after = readStandinStats(windows.standinDir).byFunction;
    // Per session: WTSSessionInfo; WTSClientProtocolType unless the station tells (Console, Services, RDP-Tcp*);
    // WTSClientInfo unless it is a console session.
    const known = (station: string) =>
      ['Console', 'Services', 'RDP-Tcp'].includes(station) || station.startsWith('RDP-Tcp#');
    const queries = scenario.sessions.reduce(
      (sum, s) => sum + 1 + (known(s.stationName) ? 0 : 1) + (s.protocol === 'console' ? 0 : 1),
      0,
    );
    const delta = (fn: string) => after[fn]! - before[fn]!;
    expect(delta('WTSEnumerateSessionsW')).toBe(1);
    expect(delta('WTSQuerySessionInformationW')).toBe(queries);
    expect(delta('WTSFreeMemory')).toBe(1 + queries);
    expect(1 + queries).toBeLessThanOrEqual(1 + 2 * scenario.sessions.length);
  });

  it('closes the server handle on every path, failures included', async () => {
    const scenario = baseScenario();
    writeStandinScenario(windows.standinDir, scenario, {
      rules: [{ fn: 'WTSQuerySessionInformationW', errno: 1726, server: 'ts01.contoso.test', sessionId: 1, times: 2 }],
    });
    const client = createClient(windows.backend());
    // The listing keeps the session it could not read; getSession, which has nothing else to give, rejects.
    const listed = await client.listSessions({ server: 'ts01.contoso.test' });
    expect(listed.find((s) => s.id === 1)?.partial).toEqual([expect.objectContaining({ code: 'RPC_S_CALL_FAILED' })]);
    await expect(client.getSession(1, { server: 'ts01.contoso.test' })).rejects.toMatchObject({
      code: 'RPC_S_CALL_FAILED',
      syscall: 'WTSQuerySessionInformationW',
      server: 'ts01.contoso.test',
      sessionId: 1,
    });
    await expect(client.getSession(1, { server: 'nowhere.test' })).rejects.toMatchObject({
      code: 'RPC_S_SERVER_UNAVAILABLE',
    });
    expect((await client.listSessions({ server: 'ts01.contoso.test' })).length).toBe(2);
    const stats = readStandinStats(windows.standinDir);
    expect(stats.byFunction.WTSOpenServerW).toBe(stats.byFunction.WTSCloseServer);
    expect([stats.allocs, stats.handles, stats.badHandles, stats.badFrees]).toEqual([0, 0, 0, 0]);
  });

  it('reports a failed WTSOpenServerW with its error and the server name', async () => {
    writeStandinScenario(windows.standinDir, baseScenario(), { rules: [{ fn: 'WTSOpenServerW', errno: 53 }] });
    await expect(createClient(windows.backend()).logoff(2, { server: 'bad.test' })).rejects.toMatchObject({
      code: 'ERROR_BAD_NETPATH',
      errno: 53,
      syscall: 'WTSOpenServerW',
      server: 'bad.test',
    });
    expect(readStandinCalls(windows.standinDir).filter((c) => c.server === 'bad.test')).toEqual([]);
  });
});
