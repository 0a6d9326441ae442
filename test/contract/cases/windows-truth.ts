// What programs running on real Windows report, and how the package must read it (docs/windows-behaviour.md).
import { expect, it } from 'vitest';
import { planPolicy } from '../../../lib/policy/plan.js';
import type { Session, SessionInfoClass } from '../../../lib/types.js';
import { expectRejection, expectWtsError, type ContractContext } from '../context.js';
import { expectedSession, type Scenario } from '../scenario.js';

// The fields each query fills: the contract's own statement, written out here rather than taken from lib/.
const FIELDS: Record<SessionInfoClass, (keyof Session)[]> = {
  WTSSessionInfo: [
    'userName',
    'domain',
    'protocol',
    'clientName',
    'clientAddress',
    'logonTime',
    'connectTime',
    'disconnectTime',
    'lastInputTime',
    'idleMs',
    'serverTime',
    'clock',
  ],
  WTSUserName: ['userName', 'domain'],
  WTSDomainName: ['domain'],
  WTSClientProtocolType: ['protocol'],
  WTSClientInfo: ['clientName', 'clientAddress'],
  WTSClientAddress: ['clientAddress'],
  WTSSessionInfoEx: ['locked'],
};

/** `session` with what a failed query leaves out: its fields null, and the failure in `partial`. */
function lost(session: Session, infoClass: SessionInfoClass, errno: number, code: string): Session {
  const result = { ...session } as Record<string, unknown>;
  for (const field of FIELDS[infoClass]) result[field] = null;
  return { ...(result as unknown as Session), partial: [{ infoClass, errno, code, fields: FIELDS[infoClass] }] };
}

export function windowsTruthCases(ctx: ContractContext): void {
  const expected = (id: number) =>
    expectedSession(
      ctx.scenario.sessions.find((s) => s.id === id)!,
      ctx.scenario,
    );

  it('keeps a session whose session query is refused, with what the enumeration gave and partial saying why', async () => {
    await ctx.load((s) => s.failures.push({ op: 'listSessions', errno: 5, sessionId: 3 }));
    const sessions = await ctx.client.listSessions();
    expect(sessions.map((s) => s.id)).toEqual(ctx.scenario.sessions.map((s) => s.id));
    expect(sessions.find((s) => s.id === 3)).toEqual(lost(expected(3), 'WTSSessionInfo', 5, 'ERROR_ACCESS_DENIED'));
    expect(sessions.filter((s) => s.partial !== null).map((s) => s.id)).toEqual([3]);
  });

  it('drops a session only for the "session ended" error of its session query; 87 is not one', async () => {
    await ctx.load((s) =>
      s.failures.push(
        { op: 'listSessions', errno: 7022, sessionId: 2 },
        { op: 'listSessions', errno: 87, sessionId: 4 },
      ),
    );
    const sessions = await ctx.client.listSessions();
    expect(sessions.map((s) => s.id)).toEqual([0, 1, 3, 4, 65536]);
    expect(sessions.find((s) => s.id === 4)).toEqual(
      lost(expected(4), 'WTSSessionInfo', 87, 'ERROR_INVALID_PARAMETER'),
    );
  });

  it('getSession: null for a session that ended, a WtsError when its session query fails otherwise', async () => {
    await ctx.load((s) =>
      s.failures.push(
        { op: 'getSession', errno: 7022, sessionId: 2, times: 2 },
        { op: 'getSession', errno: 5, sessionId: 3 },
      ),
    );
    expect(await ctx.client.getSession(2)).toBeNull();
    await expectWtsError(ctx.client.getSession(3), {
      code: 'ERROR_ACCESS_DENIED',
      errno: 5,
      syscall: 'WTSQuerySessionInformationW',
      sessionId: 3,
    });
    // Nothing is signed out on a session that could not be read.
    await expectRejection(ctx.client.logoff(2), 'SessionRefusedError', 'ERR_SESSION_NOT_FOUND');
    expect(await ctx.fixture.actions()).toEqual([]);
  });

  it('a hung session (Down, answering 7007) stays listed and readable by id, and can be reset; nothing guesses for it', async () => {
    // Cassia #36: "a session in the Down state, typically due to a hung user process or a hung thread in csrss.exe"
    // answers "A close operation is pending on the session". It is the session an administrator most needs to reset.
    await ctx.load((s) => {
      const bob = s.sessions.find((x) => x.id === 2)!;
      bob.state = 'down';
      bob.lastInputTime = s.now - 5 * 60 * 60_000; // idle for hours, if its idle time could be read
      s.failures.push(
        { op: 'listSessions', errno: 7007, sessionId: 2, times: 2 },
        { op: 'getSession', errno: 7007, sessionId: 2, times: 4 },
      );
    });
    const hung = lost(expected(2), 'WTSSessionInfo', 7007, 'ERROR_CTX_CLOSE_PENDING');
    expect(hung).toMatchObject({ id: 2, stationName: 'RDP-Tcp#2', state: 'down', userName: null, idleMs: null });
    expect((await ctx.client.listSessions()).find((s) => s.id === 2)).toEqual(hung);
    expect(await ctx.client.getSession(2)).toEqual(hung);
    // An idle sweep does not act on an idle time nobody could read.
    const sweep = await ctx.client.logoffIdle({ idleFor: '1m', dryRun: true });
    expect(sweep.map((row) => row.sessionId)).not.toContain(2);
    // Nor does a policy: an unknown user is neither trusted nor untrusted, and an unknown idle time is no limit.
    const strict = {
      rules: { untrustedUser: { action: 'signOut' }, idle: { after: '1m', action: 'signOut' } },
    } as const;
    expect(planPolicy(strict, [hung], ctx.scenario.now)).toEqual([]);
    // An expectation about its user cannot be confirmed: refused, not taken as "no user".
    await expectRejection(
      ctx.client.logoff(2, { expect: { userName: null } }),
      'SessionRefusedError',
      'ERR_SESSION_UNREADABLE',
    );
    expect(await ctx.fixture.actions()).toEqual([]);
    // By id it is reset, as `logoff <ID>` does.
    await ctx.client.logoff(2);
    expect(await ctx.fixture.actions()).toEqual([{ op: 'logoff', server: null, sessionId: 2, wait: false }]);
  });

  it('a refused client query leaves the client fields null, in listings and in getSession', async () => {
    await ctx.load((s) =>
      s.failures.push(
        { op: 'listSessions', errno: 5, sessionId: 2, infoClass: 'WTSClientInfo' },
        { op: 'getSession', errno: 1722, sessionId: 2, infoClass: 'WTSClientInfo' },
        { op: 'listSessions', errno: 5, sessionId: 4, infoClass: 'WTSClientAddress' },
      ),
    );
    const byId = new Map((await ctx.client.listSessions()).map((s) => [s.id, s]));
    expect(byId.get(2)).toEqual(lost(expected(2), 'WTSClientInfo', 5, 'ERROR_ACCESS_DENIED'));
    expect(byId.get(4)).toEqual(lost(expected(4), 'WTSClientAddress', 5, 'ERROR_ACCESS_DENIED'));
    expect(byId.get(4)?.clientName).toBe('DAVE-PC');
    expect(await ctx.client.getSession(2)).toEqual(
      lost(expected(2), 'WTSClientInfo', 1722, 'RPC_S_SERVER_UNAVAILABLE'),
    );
  });

  it('never asks the services session, a listener or a console session for a client', async () => {
    await ctx.load((s) =>
      s.failures.push(
        ...[0, 1, 65536].map((sessionId) => ({
          op: 'listSessions' as const,
          errno: 5,
          sessionId,
          infoClass: 'WTSClientInfo' as const,
        })),
      ),
    );
    const sessions = await ctx.client.listSessions();
    expect(sessions).toEqual(ctx.scenario.sessions.map((s) => expectedSession(s, ctx.scenario)));
  });

  it('reads user and domain names longer than WTSINFOW holds in full, and the guard compares full names', async () => {
    const user = 'maximilian.mustermann-extern'; // 28 characters; WTSINFOW.UserName holds 20
    const domain = 'RESEARCH-EMEA-CONTOSO'; // 21; WTSINFOW.Domain holds 17
    await ctx.load((s) => {
      Object.assign(s.sessions[2]!, { userName: user, domain });
      Object.assign(s.sessions[4]!, { userName: 'abcdefghijklmnopqrst', domain: 'ABCDEFGHIJKLMNOP' }); // exactly 20, 16
    });
    const byId = new Map((await ctx.client.listSessions()).map((s) => [s.id, s]));
    expect([byId.get(2)?.userName, byId.get(2)?.domain]).toEqual([user, domain]);
    expect([byId.get(4)?.userName, byId.get(4)?.domain]).toEqual(['abcdefghijklmnopqrst', 'ABCDEFGHIJKLMNOP']);
    expect(await ctx.client.getSession(2)).toEqual(expected(2));
    await expectRejection(
      ctx.client.logoff(2, { expect: { userName: user.slice(0, 20), domain } }),
      'SessionRefusedError',
      'ERR_SESSION_CHANGED',
    );
    await expectRejection(
      ctx.client.logoff(2, { expect: { userName: user, domain: domain.slice(0, 17) } }),
      'SessionRefusedError',
      'ERR_SESSION_CHANGED',
    );
    expect((await ctx.client.logoff(2, { expect: { userName: user, domain } })).outcome).toBe('signedOut');
  });

  it('reports Entra ID and Microsoft-account users by the SAM-compatible names WTS holds; trust matches that form', async () => {
    // Entra ID: AzureAD\<name> as whoami shows it, not the sign-in address (azure-docs #38048, windows-itpro-docs
    // #1656). A Microsoft account signs in to a local account, named as C:\Users names it (OrganizrInstaller #297).
    await ctx.load((s) => {
      Object.assign(s.sessions[2]!, { userName: 'AliceSmith', domain: 'AzureAD' });
      Object.assign(s.sessions[4]!, { userName: 'johns', domain: 'DESKTOP-7Q2L9' });
    });
    const byId = new Map((await ctx.client.listSessions()).map((s) => [s.id, s]));
    expect([2, 4].map((id) => [byId.get(id)?.userName, byId.get(id)?.domain, byId.get(id)?.partial])).toEqual([
      ['AliceSmith', 'AzureAD', null],
      ['johns', 'DESKTOP-7Q2L9', null],
    ]);
    const signOutUntrusted = (users: string[]) =>
      ctx.client.enforcePolicy(
        { trust: { users: ['CONTOSO\\*', 'ＷＯＲＫ\\*', ...users] }, rules: { untrustedUser: { action: 'signOut' } } },
        { dryRun: true },
      );
    const acted = async (users: string[]) => (await signOutUntrusted(users)).map((r) => r.sessionId);
    // Trusted in the form reported, with or without the domain.
    expect(await acted(['AzureAD\\AliceSmith', 'DESKTOP-7Q2L9\\johns'])).toEqual([]);
    expect(await acted(['azuread\\alicesmith', 'johns'])).toEqual([]);
    // Near misses: the sign-in address (UPN, Microsoft account e-mail) is not what Windows reports.
    expect(await acted(['AzureAD\\alice.smith@contoso.com', 'MicrosoftAccount\\john.smith@outlook.com'])).toEqual([
      2, 4,
    ]);
    expect(await ctx.fixture.actions()).toEqual([]);
  });

  it('gives no user name rather than a cut one when the full name cannot be read', async () => {
    const long = (s: Scenario) =>
      Object.assign(s.sessions[2]!, { userName: 'maximilian.mustermann-extern', domain: 'RESEARCH-EMEA-CONTOSO' });
    await ctx.load((s) => {
      long(s);
      s.failures.push({ op: 'listSessions', errno: 5, sessionId: 2, infoClass: 'WTSUserName' });
    });
    const listed = (await ctx.client.listSessions()).find((s) => s.id === 2)!;
    expect(listed).toEqual(lost(expected(2), 'WTSUserName', 5, 'ERROR_ACCESS_DENIED'));
    // The scenario is loaded afresh: the stand-in cannot tell a listing's queries from getSession's.
    await ctx.load((s) => {
      s.failures.length = 0;
      s.failures.push({ op: 'getSession', errno: 5, sessionId: 2, infoClass: 'WTSDomainName' });
    });
    const got = (await ctx.client.getSession(2))!;
    expect(got).toEqual(lost(expected(2), 'WTSDomainName', 5, 'ERROR_ACCESS_DENIED'));
    expect(got.userName).toBe('maximilian.mustermann-extern');
  });

  it('WTSOpenServerW itself failing gives the same clear error, with the server', async () => {
    const server = 'ts01.contoso.test';
    await ctx.load((s) => s.failures.push({ op: 'openServer', errno: 1722, server }));
    await expectWtsError(ctx.client.listSessions({ server }), {
      code: 'RPC_S_SERVER_UNAVAILABLE',
      errno: 1722,
      syscall: 'WTSOpenServerW',
      server,
    });
    // The host answers again once it is reachable.
    expect((await ctx.client.listSessions({ server })).map((s) => s.id)).toEqual([0, 1]);
  });

  it('reads whether a session is locked only when asked, and only for an active session with a user', async () => {
    await ctx.load((s) => {
      const set = (id: number, locked: boolean) => (s.sessions.find((x) => x.id === id)!.locked = locked);
      set(2, true);
      set(4, false);
      set(3, true); // disconnected: Windows's flag means nothing there
      s.servers['ts01.contoso.test']![1]!.locked = true; // remote: its flag's meaning depends on that server's version
    });
    const plain = await ctx.client.listSessions();
    expect(plain.map((s) => s.locked)).toEqual([null, null, null, null, null, null]);
    const withLock = await ctx.client.listSessions({ lockState: true });
    expect(withLock).toEqual(ctx.scenario.sessions.map((s) => expectedSession(s, ctx.scenario, null, true)));
    expect(withLock.map((s) => [s.id, s.locked])).toEqual([
      [0, null],
      [1, null],
      [2, true],
      [3, null],
      [4, false],
      [65536, null],
    ]);
    expect((await ctx.client.getSession(2, { lockState: true }))?.locked).toBe(true);
    expect((await ctx.client.getSession(2))?.locked).toBeNull();
    const remote = await ctx.client.listSessions({ server: 'ts01.contoso.test', lockState: true });
    expect(remote.map((s) => s.locked)).toEqual([null, null]);
    await expect(ctx.client.listSessions({ lockState: 'yes' as never })).rejects.toThrow(TypeError);
  });

  it('a refused lock query leaves only locked unknown, with partial saying why', async () => {
    await ctx.load((s) => {
      s.sessions.find((x) => x.id === 2)!.locked = true;
      s.failures.push({ op: 'listSessions', errno: 5, sessionId: 2, infoClass: 'WTSSessionInfoEx' });
    });
    const sessions = await ctx.client.listSessions({ lockState: true });
    const bob = {
      ...expected(2),
      locked: null,
      partial: [{ infoClass: 'WTSSessionInfoEx', errno: 5, code: 'ERROR_ACCESS_DENIED', fields: ['locked'] }],
    };
    expect(sessions.find((s) => s.id === 2)).toEqual(bob);
  });

  it('asks each detail only where the addon asks it, so a failure lands only there', async () => {
    // Which queries follow WTSSessionInfo (native/session_query.cc): the full user name at 20 characters or more,
    // the full domain at 16 or more, the protocol for a station that is not Console, Services or RDP-Tcp(#n),
    // the client for anything but session 0, a listener or a console session, WTSClientAddress for an IPv6
    // client, and the lock state for an active session whose user name was read. Every query below is scripted
    // to fail; only those asked show in `partial`.
    const every: SessionInfoClass[] = [
      'WTSUserName',
      'WTSDomainName',
      'WTSClientProtocolType',
      'WTSClientInfo',
      'WTSClientAddress',
      'WTSSessionInfoEx',
    ];
    await ctx.load((s) => {
      const at = (id: number) => s.sessions.find((x) => x.id === id)!;
      Object.assign(at(2), { userName: 'x'.repeat(20), domain: 'D'.repeat(15) });
      Object.assign(at(4), { stationName: 'ICA-Tcp#7', userName: 'y'.repeat(19), domain: 'E'.repeat(16) });
      const failing: Record<number, SessionInfoClass[]> = {
        0: every,
        1: every,
        2: every,
        3: every,
        // Its client is read, so that the IPv6 address is asked for.
        4: every.filter((c) => c !== 'WTSClientInfo'),
        65536: every,
      };
      for (const [id, classes] of Object.entries(failing)) {
        for (const infoClass of classes)
          s.failures.push({ op: 'listSessions', errno: 5, sessionId: Number(id), infoClass });
      }
    });
    const sessions = await ctx.client.listSessions({ lockState: true });
    expect(sessions.map((x) => [x.id, (x.partial ?? []).map((p) => p.infoClass)])).toEqual([
      [0, []],
      // The console: no client asked, but its lock state is (active, with a user).
      [1, ['WTSSessionInfoEx']],
      [2, ['WTSUserName', 'WTSClientInfo']],
      // Disconnected: no lock state asked; station '' is not a known one, so the protocol is asked.
      [3, ['WTSClientProtocolType', 'WTSClientInfo']],
      [4, ['WTSDomainName', 'WTSClientProtocolType', 'WTSClientAddress', 'WTSSessionInfoEx']],
      [65536, []],
    ]);
    const byId = (id: number) => sessions.find((x) => x.id === id)!;
    expect([byId(2).userName, byId(2).domain, byId(2).clientName]).toEqual([null, null, null]);
    expect([byId(4).userName, byId(4).domain, byId(4).protocol, byId(4).clientName]).toEqual([
      'y'.repeat(19),
      null,
      null,
      'DAVE-PC',
    ]);
  });
}
