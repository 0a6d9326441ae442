// Issue 22, point 14, in Windows node.exe under Wine: a session's group memberships come from its token when the
// process may ask for it (LocalSystem; Microsoft's WTSQueryUserToken page), nested and other domains' groups included,
// and from the network management calls when it may not (ERROR_PRIVILEGE_NOT_HELD) or when the session is on another
// host. The stand-in gives a token only to sessions with a K line and counts every token left open as a handle.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createClient } from '../../lib/client.js';
import type { PolicyRow, SessionPolicy } from '../../lib/index.js';
import { baseScenario } from '../contract/scenario.js';
import { readStandinStats, writeStandinScenario, type StandinExtras } from './wine/standin-scenario.js';
import { useWine } from './wine/use-wine.js';
import { WindowsNode } from './wine/windows-node.js';

const wine = useWine();

// SE_GROUP_* (winnt.h): mandatory 1, enabled by default 2, enabled 4, deny-only 0x10, logon id 0xC0000000.
const ENABLED = 7;
const DENY_ONLY = 0x10;
const LOGON_ID = 0xc0000000 + ENABLED;
// SID_NAME_USE (winnt.h): 2 a domain group, 4 an alias (local group), 5 a well-known group.
const GROUP = 2;
const ALIAS = 4;
const WELL_KNOWN = 5;
const CONTOSO = 'S-1-5-21-1004336348-1177238915-682003330';
const RDS_ADMINS = `${CONTOSO}-1201`;
const BOB = `${CONTOSO}-1105`;
const CAROL = `${CONTOSO}-1106`;
// This machine's account domain, as LsaQueryInformationPolicy(PolicyAccountDomainInformation) answers it.
const MACHINE = 'S-1-5-21-2000000001-2000000002-2000000003';
const PARTNERS = 'S-1-5-21-3623811015-3361044348-30300820-1301';
const LOGON = 'S-1-5-5-0-81234';
const extras: StandinExtras = {
  accounts: [
    { sid: MACHINE, name: 'WS01', domain: 'WS01', use: 3 },
    { sid: BOB, name: 'bob', domain: 'CONTOSO' },
    { sid: CAROL, name: 'carol', domain: 'CONTOSO' },
    { sid: 'S-1-5-32-544', name: 'Administrators', domain: 'BUILTIN', use: ALIAS },
    { sid: RDS_ADMINS, name: 'RDS-Admins', domain: 'CONTOSO', use: GROUP },
    { sid: PARTNERS, name: 'Partners', domain: 'FABRIKAM', use: GROUP },
    { sid: 'S-1-1-0', name: 'Everyone', domain: '', use: WELL_KNOWN },
    // Were the logon SID looked up, it would show as this alias.
    { sid: LOGON, name: 'LogonSession', domain: 'NT AUTHORITY', use: ALIAS },
  ],
  // bob (session 2) signed in as a UAC-filtered administrator: Administrators is deny-only, and still his group.
  tokens: [
    {
      sessionId: 2,
      user: BOB,
      groups: [
        { sid: 'S-1-5-32-544', attributes: DENY_ONLY },
        { sid: RDS_ADMINS, attributes: ENABLED },
        { sid: PARTNERS, attributes: ENABLED },
        { sid: 'S-1-1-0', attributes: ENABLED },
        { sid: LOGON, attributes: LOGON_ID },
      ],
    },
    // A token for session 1 of this machine: a remote host's session 1 is someone else.
    { sessionId: 1, user: CAROL, groups: [{ sid: 'S-1-5-32-544', attributes: ENABLED }] },
  ],
};

function scenario() {
  const s = baseScenario();
  s.groups = [
    { user: 'CONTOSO\\dave', local: ['Users'], domain: ['Domain Users'] },
    { user: 'CONTOSO\\alice', server: 'ts01.contoso.test', local: ['Remote Desktop Users'] },
  ];
  return s;
}

describe.runIf(wine)('group memberships from the session token, native backend under Wine', () => {
  let windows: WindowsNode;
  beforeAll(async () => {
    windows = await WindowsNode.start(wine!);
  });
  afterAll(async () => {
    expect(await windows.stop()).toBe(0);
  });
  // The stand-in counts calls since it was loaded: each test counts from where it starts.
  const FUNCTIONS = ['WTSQueryUserToken', 'NetUserGetLocalGroups', 'NetUserGetGroups'];
  let start: Record<string, number> = {};
  const counts = (): Record<string, number> => {
    let seen: Record<string, number> = {};
    try {
      seen = readStandinStats(windows.standinDir).byFunction;
    } catch {
      // No stats.txt before the first call.
    }
    return Object.fromEntries(FUNCTIONS.map((fn) => [fn, seen[fn] ?? 0]));
  };
  const calls = (fn: string) => counts()[fn]! - (start[fn] ?? 0);
  beforeEach(() => {
    start = counts();
  });

  it('reads a local session token: deny-only and other domains groups count, the logon SID and Everyone do not', async () => {
    writeStandinScenario(windows.standinDir, scenario(), extras);
    const backend = windows.backend();
    expect(await backend.userGroups!('bob', 'CONTOSO', 'local', null, 2)).toEqual(['Administrators', 'S-1-5-32-544']);
    expect(await backend.userGroups!('bob', 'CONTOSO', 'domain', null, 2)).toEqual([
      'CONTOSO\\RDS-Admins',
      'FABRIKAM\\Partners',
    ]);
    const stats = readStandinStats(windows.standinDir);
    expect([calls('WTSQueryUserToken'), calls('NetUserGetLocalGroups'), calls('NetUserGetGroups')]).toEqual([2, 0, 0]);
    // Both tokens closed, every buffer given back.
    expect([stats.handles, stats.allocs, stats.badFrees]).toEqual([0, 0, 0]);
  });

  it('without the right to a token (ERROR_PRIVILEGE_NOT_HELD) reads the network management calls instead', async () => {
    writeStandinScenario(windows.standinDir, scenario(), extras);
    const backend = windows.backend();
    expect(await backend.userGroups!('dave', 'CONTOSO', 'local', null, 4)).toEqual(['Users']);
    expect(await backend.userGroups!('dave', 'CONTOSO', 'domain', null, 4)).toEqual(['CONTOSO\\Domain Users']);
    expect([calls('WTSQueryUserToken'), calls('NetUserGetLocalGroups'), calls('NetUserGetGroups')]).toEqual([2, 1, 1]);
  });

  it('tells a local group by its SID too (LookupAccountNameW on the host), so a translated name still matches', async () => {
    const german = scenario();
    german.groups!.push({ user: 'CONTOSO\\erna', server: 'ts01.contoso.test', local: ['Benutzer', 'Administratoren'] });
    writeStandinScenario(windows.standinDir, german, {
      ...extras,
      accounts: [
        ...extras.accounts!,
        { sid: 'S-1-5-32-544', name: 'Administratoren', domain: 'VORDEFINIERT', use: ALIAS },
      ],
    });
    const backend = windows.backend();
    // Benutzer has no SID the host tells (no N line: ERROR_NONE_MAPPED): its name alone.
    expect(await backend.userGroups!('erna', 'CONTOSO', 'local', 'ts01.contoso.test', 7)).toEqual([
      'Benutzer',
      'Administratoren',
      'S-1-5-32-544',
    ]);
    const stats = readStandinStats(windows.standinDir);
    expect([stats.allocs, stats.badFrees]).toEqual([0, 0]);
  });

  it("never asks this machine's token for a remote session with the same id", async () => {
    writeStandinScenario(windows.standinDir, scenario(), extras);
    const groups = await windows.backend().userGroups!('alice', 'CONTOSO', 'local', 'ts01.contoso.test', 1);
    expect(groups).toEqual(['Remote Desktop Users']);
    expect(calls('WTSQueryUserToken')).toBe(0);
  });

  it('another token failure is not papered over: a WtsError, and the policy leaves the session alone', async () => {
    writeStandinScenario(windows.standinDir, scenario(), {
      ...extras,
      rules: [{ fn: 'WTSQueryUserToken', errno: 1008, sessionId: 2, server: null, times: -1 }],
    });
    const backend = windows.backend();
    await expect(backend.userGroups!('bob', 'CONTOSO', 'local', null, 2)).rejects.toMatchObject({
      code: 'ERROR_NO_TOKEN',
      errno: 1008,
      syscall: 'WTSQueryUserToken',
    });
    expect(calls('NetUserGetLocalGroups')).toBe(0);
    const policy: SessionPolicy = {
      trust: { users: ['@local:Administrators'] },
      rules: { untrustedUser: { action: 'signOut' } },
    };
    const rows = await createClient(backend).enforcePolicy(policy, { concurrency: 1 });
    // bob: unknown (no token, no fallback); carol: no account on this host (NERR_UserNotFound); dave: only a User.
    expect(rows.map((r) => [r.sessionId, r.outcome, r.skipReason ?? null])).toEqual([
      [2, 'skipped', 'ERR_TRUST_UNKNOWN'],
      [3, 'skipped', 'ERR_TRUST_UNKNOWN'],
      [4, 'signedOut', null],
    ]);
  });

  it('with the token, a deny-only administrator is trusted by @local:Administrators and not signed out', async () => {
    writeStandinScenario(windows.standinDir, scenario(), extras);
    const policy: SessionPolicy = {
      trust: { users: ['@local:Administrators'] },
      rules: { untrustedUser: { action: 'signOut' } },
    };
    const rows = await createClient(windows.backend()).enforcePolicy(policy, { concurrency: 1 });
    expect(rows.map((r) => [r.sessionId, r.outcome, r.skipReason ?? null])).toEqual([
      [3, 'skipped', 'ERR_TRUST_UNKNOWN'],
      [4, 'signedOut', null],
    ]);
    expect(readStandinStats(windows.standinDir).handles).toBe(0);
  });

  // Issue 22 review: what the person about to be signed out would try, or suffer.
  const withToken = (groups: { sid: string; attributes: number }[], accounts: StandinExtras['accounts'] = []) => ({
    ...extras,
    accounts: [...extras.accounts!, ...accounts],
    tokens: [{ sessionId: 2, user: BOB, groups }],
  });
  const trustAdmins: SessionPolicy = {
    trust: { users: ['@ad:CONTOSO\\RDS-Admins'] },
    rules: { untrustedUser: { action: 'signOut' } },
  };
  const bobOnly = (rows: PolicyRow[]) =>
    rows.filter((r) => r.sessionId === 2).map((r) => [r.outcome, r.skipReason ?? null]);

  it('a group the domain controller cannot name (1789) fails the read: bob is unknown, not a non-member', async () => {
    // RDS-Admins, which trusts bob, cannot be looked up: the trust with the domain is broken.
    writeStandinScenario(
      windows.standinDir,
      scenario(),
      withToken(
        [{ sid: RDS_ADMINS, attributes: ENABLED }],
        [{ sid: RDS_ADMINS, name: 'RDS-Admins', domain: 'CONTOSO', use: GROUP, errno: 1789 }],
      ),
    );
    const backend = windows.backend();
    for (const scope of ['local', 'domain'] as const) {
      await expect(backend.userGroups!('bob', 'CONTOSO', scope, null, 2)).rejects.toMatchObject({
        code: 'ERROR_TRUSTED_RELATIONSHIP_FAILURE',
        errno: 1789,
        syscall: 'LookupAccountSidW',
      });
    }
    expect(bobOnly(await createClient(backend).enforcePolicy(trustAdmins, { concurrency: 1 }))).toEqual([
      ['skipped', 'ERR_TRUST_UNKNOWN'],
    ]);
    expect(readStandinStats(windows.standinDir).handles).toBe(0);
  });

  it('a local group whose name does not map (1332) is still given by its SID, which needs no lookup', async () => {
    const helpers = `${MACHINE}-1010`;
    writeStandinScenario(
      windows.standinDir,
      scenario(),
      withToken(
        [{ sid: helpers, attributes: ENABLED }],
        [{ sid: helpers, name: 'Helpers', domain: 'WS01', use: ALIAS, errno: 1332 }],
      ),
    );
    expect(await windows.backend().userGroups!('bob', 'CONTOSO', 'local', null, 2)).toEqual([helpers]);
  });

  it('a local group whose SID the host cannot look up (1722) fails the read, not drops the SID', async () => {
    const german = scenario();
    german.groups!.push({ user: 'CONTOSO\\erna', server: 'ts01.contoso.test', local: ['Administratoren'] });
    writeStandinScenario(windows.standinDir, german, {
      ...extras,
      accounts: [
        ...extras.accounts!,
        { sid: 'S-1-5-32-544', name: 'Administratoren', domain: 'VORDEFINIERT', use: ALIAS, errno: 1722 },
      ],
    });
    await expect(
      windows.backend().userGroups!('erna', 'CONTOSO', 'local', 'ts01.contoso.test', 7),
    ).rejects.toMatchObject({ code: 'RPC_S_SERVER_UNAVAILABLE', errno: 1722, syscall: 'LookupAccountNameW' });
  });

  it("a domain's own local groups (aliases too) never pass for this machine's, by name or by a SID-like name", async () => {
    const domainHelpdesk = `${CONTOSO}-1300`;
    const domainSidNamed = `${CONTOSO}-1301`;
    const machineHelpdesk = `${MACHINE}-1011`;
    const machineSidNamed = `${MACHINE}-1012`;
    const accounts = [
      { sid: domainHelpdesk, name: 'Helpdesk', domain: 'CONTOSO', use: ALIAS },
      { sid: domainSidNamed, name: 'S-1-5-32-544', domain: 'CONTOSO', use: ALIAS },
      { sid: machineHelpdesk, name: 'Helpdesk', domain: 'WS01', use: ALIAS },
      { sid: machineSidNamed, name: 's-1-5-32-555', domain: 'WS01', use: ALIAS },
    ];
    const near = [domainHelpdesk, domainSidNamed].map((sid) => ({ sid, attributes: ENABLED }));
    writeStandinScenario(windows.standinDir, scenario(), withToken(near, accounts));
    const backend = windows.backend();
    expect(await backend.userGroups!('bob', 'CONTOSO', 'local', null, 2)).toEqual([]);
    for (const users of [['@local:Helpdesk'], ['@local:S-1-5-32-544']]) {
      writeStandinScenario(windows.standinDir, scenario(), withToken(near, accounts));
      const policy: SessionPolicy = { trust: { users }, rules: { untrustedUser: { action: 'signOut' } } };
      expect(bobOnly(await createClient(backend).enforcePolicy(policy, { concurrency: 1 }))).toEqual([
        ['signedOut', null],
      ]);
    }
    // This machine's own: by name, and by SID; a group named like a SID only by its own SID.
    const own = [machineHelpdesk, machineSidNamed].map((sid) => ({ sid, attributes: ENABLED }));
    writeStandinScenario(windows.standinDir, scenario(), withToken(own, accounts));
    expect(await backend.userGroups!('bob', 'CONTOSO', 'local', null, 2)).toEqual([
      'Helpdesk',
      machineHelpdesk,
      machineSidNamed,
    ]);
  });

  it("a token of another user (the session ended and its id was reused) is not taken for bob's", async () => {
    writeStandinScenario(windows.standinDir, scenario(), {
      ...extras,
      tokens: [{ sessionId: 2, user: CAROL, groups: [{ sid: RDS_ADMINS, attributes: ENABLED }] }],
    });
    const backend = windows.backend();
    await expect(backend.userGroups!('bob', 'CONTOSO', 'domain', null, 2)).rejects.toMatchObject({
      code: 'ERROR_CTX_WINSTATION_NOT_FOUND',
      syscall: 'WTSQueryUserToken',
    });
    // carol's token would trust bob; bob's own groups are unknown, so nothing is done.
    expect(bobOnly(await createClient(backend).enforcePolicy(trustAdmins, { concurrency: 1 }))).toEqual([
      ['skipped', 'ERR_TRUST_UNKNOWN'],
    ]);
    expect(readStandinStats(windows.standinDir).handles).toBe(0);
  });
});
