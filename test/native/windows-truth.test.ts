// The native backend against the forms in which Windows is known to report things (docs/windows-behaviour.md),
// laid out byte for byte by the stand-in. Expected values come from the scenario and the tables in
// test/helpers/win32-tables.ts, never from lib/.
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClient } from '../../lib/client.js';
import type { WtsError } from '../../lib/errors.js';
import { baseScenario, SERVER_NOW } from '../contract/scenario.js';
import { WTS_INFO_CLASS } from '../helpers/win32-tables.js';
import {
  readStandinCalls,
  readStandinStats,
  writeStandinScenario,
  type StandinExtras,
} from './wine/standin-scenario.js';
import { useWine } from './wine/use-wine.js';
import { WindowsNode } from './wine/windows-node.js';

const wine = useWine();

describe.runIf(wine)('Windows truth, native backend under Wine', () => {
  let windows: WindowsNode;
  beforeAll(async () => {
    windows = await WindowsNode.start(wine!);
  });
  afterAll(async () => {
    expect(await windows.stop()).toBe(0);
  });

  const load = (extras: StandinExtras = {}) => {
    rmSync(join(windows.standinDir, 'calls.log'), { force: true });
    writeStandinScenario(windows.standinDir, baseScenario(), extras);
    return createClient(windows.backend());
  };
  const address = async (extras: StandinExtras, id: number) => {
    const session = (await load(extras).listSessions()).find((s) => s.id === id)!;
    return [session.clientAddress, session.partial];
  };
  /** WTSQuerySessionInformationW calls per class made by `run`. */
  const queries = async (run: () => Promise<unknown>) => {
    // Before any call of the process there are no stats yet: nothing was asked.
    const before = existsSync(join(windows.standinDir, 'stats.txt'))
      ? readStandinStats(windows.standinDir).byClass
      : {};
    await run();
    const after = readStandinStats(windows.standinDir).byClass;
    const made: Record<number, number> = {};
    for (const [infoClass, count] of Object.entries(after)) {
      const n = count - (before[Number(infoClass)] ?? 0);
      if (n > 0) made[Number(infoClass)] = n;
    }
    return made;
  };

  it('an enumeration refused with 259 (a caller without Query permission) is an error with a hint, never no sessions', async () => {
    // MS-TSTS RpcWinStationEnumerate lists only the sessions the caller may query; ncpa #1258 got
    // "[WinError 259] No more data is available" from WTSEnumerateSessionsW as a plain local user.
    const client = load({ rules: [{ fn: 'WTSEnumerateSessionsW', errno: 259 }] });
    const error = (await client.listSessions().then(
      () => expect.fail('an empty or any other list is the wrong answer'),
      (e: unknown) => e,
    )) as WtsError;
    expect([error.name, error.code, error.errno, error.syscall]).toEqual([
      'WtsError',
      'ERROR_NO_MORE_ITEMS',
      259,
      'WTSEnumerateSessionsW',
    ]);
    expect(error.hint).toMatch(/Query permission/);
  });

  it('a message box text over 1,024 bytes fails inside Windows with RPC_S_INVALID_BOUND (1734), with a hint', async () => {
    // MS-TSTS 3.7.4.1.8: [in, range(0, 1024)] on both lengths, in bytes. The backend is asked directly: the package's
    // own check refuses such text before this.
    load();
    const request = { title: ' ', buttons: 'ok', icon: 'none', timeoutSeconds: 0, wait: false } as const;
    expect(await windows.backend().sendMessage(2, { ...request, message: 'm'.repeat(512) }, null)).toBe('async');
    const error = (await windows
      .backend()
      .sendMessage(2, { ...request, message: 'm'.repeat(513) }, null)
      .catch((e: unknown) => e)) as WtsError;
    expect([error.code, error.errno, error.syscall]).toEqual(['RPC_S_INVALID_BOUND', 1734, 'WTSSendMessageW']);
    expect(error.hint).toMatch(/1,024 bytes/);
  });

  it('asks CheckTokenMembership whether the process is an administrator, and a policy enforcer refuses to be one without', async () => {
    // Wine runs node.exe as an administrator; the stand-in can answer for a process that is not.
    load();
    const backend = windows.backend();
    expect(await backend.isAdministrator!()).toBe(true);
    load({ notAdministrator: true });
    await backend.listSessions(null); // any WTS call makes the stand-in take the scenario in
    expect(await backend.isAdministrator!()).toBe(false);
    const policy = { rules: { untrustedUser: { action: 'signOut' } } } as const;
    const client = createClient(backend);
    await expect(client.enforcePolicy(policy)).rejects.toMatchObject({
      code: 'ERR_WINDOWS_SESSIONS_NOT_ADMINISTRATOR',
    });
    expect(readStandinCalls(windows.standinDir).filter((c) => c.op === 'logoff')).toEqual([]);
    load();
    await backend.listSessions(null);
    expect(await backend.isAdministrator!()).toBe(true);
  });

  it('reads an IPv4 client address in the octet-per-USHORT form and in the text form of WTSCLIENTW', async () => {
    expect(await address({ addressForms: { 2: { clientInfo: 'octets' } } }, 2)).toEqual(['192.0.2.15', null]);
    expect(await address({ addressForms: { 2: { clientInfo: 'text' } } }, 2)).toEqual(['192.0.2.15', null]);
  });

  it('asks WTSClientAddress (address from Address[2]) when WTSCLIENTW holds neither form, and never guesses', async () => {
    expect(await address({ addressForms: { 2: { clientInfo: 'unreadable' } } }, 2)).toEqual(['192.0.2.15', null]);
    expect(await address({ addressForms: { 2: { clientInfo: 'unreadable', clientAddress: 'empty' } } }, 2)).toEqual([
      null,
      null,
    ]);
  });

  it('takes an IPv6 address from WTSClientAddress only, whatever WTSCLIENTW holds', async () => {
    expect(await address({}, 4)).toEqual(['2001:db8::7', null]);
    expect(await address({ addressForms: { 4: { clientAddress: 'empty' } } }, 4)).toEqual([null, null]);
  });

  it('makes exactly the queries it needs: none for clients that cannot exist, one more per IPv6 client', async () => {
    const client = load();
    // By hand from the base scenario: a session query for each of the 6 sessions; the protocol of session 3 only
    // (its station is empty); a client for sessions 2, 3 and 4 (not session 0, the console or the listener); the
    // address of session 4 only (IPv6). 1 + 11 calls, within 1 + 2N = 13.
    expect(await queries(() => client.listSessions())).toEqual({
      [WTS_INFO_CLASS.WTSSessionInfo]: 6,
      [WTS_INFO_CLASS.WTSClientProtocolType]: 1,
      [WTS_INFO_CLASS.WTSClientInfo]: 3,
      [WTS_INFO_CLASS.WTSClientAddress]: 1,
    });
    // A text or octet IPv4 address costs nothing more; an unreadable one costs one WTSClientAddress query.
    const unreadable = load({ addressForms: { 2: { clientInfo: 'unreadable' } } });
    expect((await queries(() => unreadable.listSessions()))[WTS_INFO_CLASS.WTSClientAddress]).toBe(2);
  });

  it('asks WTSSessionInfoEx only with lockState, once per active local session with a user', async () => {
    const client = load();
    // By hand: sessions 1 (console), 2 and 4 are active with a user; 3 is disconnected, 0 and the listener have none.
    expect((await queries(() => client.listSessions({ lockState: true })))[WTS_INFO_CLASS.WTSSessionInfoEx]).toBe(3);
    expect((await queries(() => client.listSessions()))[WTS_INFO_CLASS.WTSSessionInfoEx]).toBeUndefined();
    const remote = () => client.listSessions({ server: 'ts01.contoso.test', lockState: true });
    expect((await queries(remote))[WTS_INFO_CLASS.WTSSessionInfoEx]).toBeUndefined();
  });

  it('asks for the whole name only when a WTSINFOW field may have cut it', async () => {
    const scenario = baseScenario();
    Object.assign(scenario.sessions[2]!, { userName: 'a'.repeat(19), domain: 'D'.repeat(15) }); // fit: no query
    Object.assign(scenario.sessions[4]!, { userName: 'b'.repeat(20), domain: 'E'.repeat(16) }); // may be cut
    writeStandinScenario(windows.standinDir, scenario);
    const client = createClient(windows.backend());
    let sessions: Awaited<ReturnType<typeof client.listSessions>> = [];
    const made = await queries(async () => (sessions = await client.listSessions()));
    expect([made[WTS_INFO_CLASS.WTSUserName], made[WTS_INFO_CLASS.WTSDomainName]]).toEqual([1, 1]);
    expect(sessions.filter((s) => s.id === 2 || s.id === 4).map((s) => [s.userName, s.domain])).toEqual([
      ['a'.repeat(19), 'D'.repeat(15)],
      ['b'.repeat(20), 'E'.repeat(16)],
    ]);
  });

  it('reports the SAM-compatible name WTSINFOW holds, and none when WTSUserName gives another form of a full one', async () => {
    // Entra ID users as whoami shows them (AzureAD\<name>); Windows also keeps a long form of the name (MS-TSTS
    // WINSTATIONINFORMATIONEX_LEVEL2), here the sign-in address, which WTSUserName may answer.
    const scenario = baseScenario();
    Object.assign(scenario.sessions[2]!, { userName: 'AliceSmith', domain: 'AzureAD' });
    Object.assign(scenario.sessions[4]!, { userName: 'ChristopherMontgomer', domain: 'AzureAD' }); // 20: full
    const read = async (secondNames: StandinExtras['secondNames']) => {
      writeStandinScenario(windows.standinDir, scenario, { secondNames });
      const client = createClient(windows.backend());
      let sessions: Awaited<ReturnType<typeof client.listSessions>> = [];
      const made = await queries(async () => (sessions = await client.listSessions()));
      const rows = sessions
        .filter((s) => s.id === 2 || s.id === 4)
        .map((s) => [s.id, s.userName, s.domain, s.partial?.map((p) => [p.infoClass, p.errno, p.fields]) ?? null]);
      return [made[WTS_INFO_CLASS.WTSUserName], rows];
    };
    const upn = [
      { sessionId: 2, userName: 'alice.smith@contoso.com' },
      { sessionId: 4, userName: 'christopher.montgomery@contoso.com' },
    ];
    // Only the full field is asked again: alice is reported as WTSINFOW holds her; for the full one the two forms
    // disagree and neither is reported (13: ERROR_INVALID_DATA), so no policy judges the session by a guess.
    expect(await read(upn)).toEqual([
      1,
      [
        [2, 'AliceSmith', 'AzureAD', null],
        [4, null, null, [['WTSUserName', 13, ['userName', 'domain']]]],
      ],
    ]);
    // The near miss: an answer that continues the full field is the same name, cut there, and is reported whole.
    expect(await read([{ sessionId: 4, userName: 'ChristopherMontgomery' }])).toEqual([
      1,
      [
        [2, 'AliceSmith', 'AzureAD', null],
        [4, 'ChristopherMontgomery', 'AzureAD', null],
      ],
    ]);
  });

  it("reads a remote host's clock with NetRemoteTOD once per listing or getSession, never this machine's, and frees it", async () => {
    const MINUTE = 60_000;
    const server = 'ts01.contoso.test';
    const scenario = baseScenario();
    scenario.remoteClocks = { [server]: 5 * MINUTE };
    writeStandinScenario(windows.standinDir, scenario);
    const client = createClient(windows.backend());
    const tod = () => readStandinStats(windows.standinDir).byFunction.NetRemoteTOD ?? 0;
    const calls = async (run: () => Promise<unknown>) => {
      const before = existsSync(join(windows.standinDir, 'stats.txt')) ? tod() : 0;
      await run();
      return tod() - before;
    };
    expect(await calls(() => client.listSessions())).toBe(0);
    expect(await calls(() => client.getSession(2))).toBe(0);
    expect(await calls(() => client.listSessions({ server }))).toBe(1);
    expect(await calls(() => client.getSession(1, { server }))).toBe(1);
    // Every TIME_OF_DAY_INFO went back through NetApiBufferFree (the stand-in counts them with the WTS buffers).
    expect(readStandinStats(windows.standinDir)).toMatchObject({ allocs: 0, badFrees: 0, handles: 0 });
    // alice's last input, 1 minute before the host's now (scenario.servers), measured on the host's clock: the
    // stand-in fills CurrentTime with the caller's clock (SERVER_NOW), the host's is 5 minutes ahead of it.
    const alice = await client.getSession(1, { server });
    expect([alice?.serverTime?.getTime(), alice?.idleMs, alice?.clock]).toEqual([
      SERVER_NOW + 5 * MINUTE,
      5 * MINUTE + MINUTE,
      'server',
    ]);
  });

  it("keeps a remote CurrentTime that is the host's own clock (Windows Server 2003), whatever the caller's says", async () => {
    const MINUTE = 60_000;
    // The host's sessions and CurrentTime on its clock (SERVER_NOW); the caller's clock 5 minutes behind it.
    writeStandinScenario(windows.standinDir, baseScenario(), { callerClock: SERVER_NOW - 5 * MINUTE });
    const alice = await createClient(windows.backend()).getSession(1, { server: 'ts01.contoso.test' });
    expect([alice?.serverTime?.getTime(), alice?.idleMs, alice?.clock]).toEqual([SERVER_NOW, MINUTE, 'server']);
  });

  it('lists a host in summary with one WTSEnumerateSessionsExW (level 1), freed with WTSFreeMemoryExW(WTSTypeSessionInfoLevel1)', async () => {
    // The WTSEnumerateSessionsExW page: pLevel "always set this parameter to one", free "by calling the WTSFreeMemoryEx
    // function and set the WTSClassType parameter to WTSTypeSessionInfoLevel1" (osquery #7019: WTSFreeMemory leaks).
    // The stand-in counts another class or count, or WTSFreeMemory of such a buffer, as a bad free.
    const client = load();
    const counts = () => readStandinStats(windows.standinDir).byFunction;
    await client.listSessions();
    const before = counts();
    const rows = await client.listSessionsOn(['ts01.contoso.test'], { detail: 'summary' });
    const after = counts();
    const delta = (fn: string) => (after[fn] ?? 0) - (before[fn] ?? 0);
    expect(
      ['WTSEnumerateSessionsExW', 'WTSFreeMemoryExW', 'WTSEnumerateSessionsW', 'WTSQuerySessionInformationW'].map(
        delta,
      ),
    ).toEqual([1, 1, 0, 0]);
    expect(readStandinStats(windows.standinDir)).toMatchObject({ allocs: 0, badFrees: 0, handles: 0 });
    // Each field where WTS_SESSION_INFO_1W puts it; NULL user and domain for a session without a user.
    expect(rows[0]!.ok && rows[0]!.sessions).toEqual([
      { id: 0, stationName: 'Services', state: 'disconnected', userName: null, domain: null },
      { id: 1, stationName: 'Console', state: 'active', userName: 'alice', domain: 'CONTOSO' },
    ]);
  });

  it('frees a WTS_PROCESS_INFO_EXW array with WTSFreeMemoryExW(WTSTypeProcessInfoLevel1, count), never WTSFreeMemory', async () => {
    // The WTSEnumerateProcessesEx page: "free the array by calling the WTSFreeMemoryEx function"; the stand-in counts
    // WTSFreeMemory of such a buffer, or another class or count, as a bad free and keeps it outstanding.
    const client = load();
    const counts = () => readStandinStats(windows.standinDir).byFunction;
    await client.listProcesses();
    const before = counts();
    await client.listProcesses({ usage: true, server: 'ts01.contoso.test' });
    const listed = await client.listProcesses({ usage: true, sessionId: 1 });
    const after = counts();
    const delta = (fn: string) => (after[fn] ?? 0) - (before[fn] ?? 0);
    expect([delta('WTSEnumerateProcessesExW'), delta('WTSFreeMemoryExW'), delta('WTSEnumerateProcessesW')]).toEqual([
      2, 2, 0,
    ]);
    expect(delta('WTSFreeMemory')).toBe(0);
    expect(readStandinStats(windows.standinDir)).toMatchObject({ allocs: 0, badFrees: 0, handles: 0 });
    // Every field where the documented layout puts it (the scenario's csrss.exe; test/contract/scenario.ts).
    expect(listed).toEqual([
      {
        pid: 612,
        name: 'csrss.exe',
        sessionId: 1,
        userName: 'SYSTEM',
        domain: 'NT AUTHORITY',
        userSid: 'S-1-5-18',
        usage: {
          workingSetBytes: 5_242_880,
          pagefileBytes: 2_097_152,
          handles: 610,
          threads: 12,
          userTimeMs: 1_500,
          kernelTimeMs: 2_500,
        },
      },
    ]);
  });

  it('converts FILETIMEs to ms at their edges: none, 1601, just before 1970 (floored), the largest', async () => {
    // Worked out by hand: ms = floor((FILETIME - 116444736000000000) / 10000).
    load({
      fileTimes: {
        2: { logon: 1n, connect: 116444736000000000n - 1n, lastInput: 0x7fffffffffffffffn, disconnect: -5n },
        3: { logon: 116444736000000000n + 12_345_678n }, // 1970 + 1.2345678 s
      },
    });
    const raw = async (id: number) =>
      windows.request<Record<string, number | null>>('raw', { fn: 'getSession', args: [id, null] });
    const two = await raw(2);
    expect([two.logonTime, two.connectTime, two.lastInputTime, two.disconnectTime]).toEqual([
      -11644473600000,
      -1,
      910692730085477,
      null,
    ]);
    expect((await raw(3)).logonTime).toBe(1234);
  });

  it('reads a WTSSendMessageW response of 0 as a time-out (Server 2008 R2 answers so)', async () => {
    const client = load({
      responseCodes: [
        { sessionId: 2, code: 0 },
        { sessionId: 2, code: 0 },
      ],
    });
    expect(await client.sendMessage(2, { message: 'Still there?', timeoutSeconds: 5 })).toBe('timeout');
    const asked = await client.logoff(2, { ask: { message: 'Sign out?', timeoutSeconds: 5 } });
    expect([asked.outcome, asked.answer]).toEqual(['timedOut', 'timeout']);
  });

  it('ends every closed watch, even one whose flush ran before its wait began: no wait is left blocked', async () => {
    // Each wait registers 150 ms after it is called: a close in that gap finds nothing to flush yet.
    const client = load({ waitDelayMs: 150 });
    for (let i = 0; i < 12; i++) {
      const controller = new AbortController();
      const watch = client.watchSessions({ signal: controller.signal, server: i % 2 ? 'ts01.contoso.test' : null });
      const ended = watch.next();
      setTimeout(
        () => {
          controller.abort(); // before the wait is called, and inside the gap
        },
        (i % 4) * 20,
      );
      expect(await ended).toEqual({ done: true, value: undefined });
    }
    // Every native wait returned (a lost flush would leave one blocked) and every remote handle is closed.
    const settled = Date.now() + 5000;
    let stats = readStandinStats(windows.standinDir);
    while ((stats.waits > 0 || stats.handles > 0) && Date.now() < settled) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      stats = readStandinStats(windows.standinDir);
    }
    expect({ waits: stats.waits, handles: stats.handles }).toEqual({ waits: 0, handles: 0 });
  });

  it('a watch woken by another watch closing on the shared local handle waits again instead of ending', async () => {
    const scenario = baseScenario();
    scenario.events.push({ types: ['logon'], delayMs: 400 });
    writeStandinScenario(windows.standinDir, scenario);
    // Two clients: two native watches on WTS_CURRENT_SERVER_HANDLE in the same Windows process.
    const staying = createClient(windows.backend()).watchSessions();
    const controller = new AbortController();
    const leaving = createClient(windows.backend()).watchSessions({ signal: controller.signal });
    const next = staying.next();
    const leavingNext = leaving.next();
    await new Promise((resolve) => setTimeout(resolve, 100));
    controller.abort(); // its close flushes the local handle: both native waits wake with no event
    expect(await leavingNext).toEqual({ done: true, value: undefined });
    expect((await next).value).toMatchObject({ type: 'logon', server: null });
    await staying.return(undefined);
  });
});
