// Trust by Windows group membership (@ad:, @local:), the same on both backends: the members are left alone, every
// near miss is signed out, and a user whose membership cannot be read is reported, never acted on. On the native
// backend the memberships come from NetUserGetLocalGroups, DsGetDcNameW and NetUserGetGroups as the stand-in answers
// them (standin_groups.h), and every buffer they hand out must be given back (the fixture's verify).
import { expect, it } from 'vitest';
import type { PolicyRow, SessionPolicy } from '../../../lib/index.js';
import { expectWtsError, type ContractContext } from '../context.js';

// In the base scenario: bob (2, CONTOSO), carol (3, ＷＯＲＫ, disconnected), dave (4, CONTOSO); Zoë's own session (1)
// is never judged. fred (5) is added: FABRIKAM's RDS-Admins, another domain's group of the same name.
const policy: SessionPolicy = {
  trust: { users: ['@ad:CONTOSO\\RDS-Admins', '@local:Administrators'] },
  rules: { untrustedUser: { action: 'signOut' } },
};
const brief = (rows: PolicyRow[]) =>
  rows.map((r) => [r.sessionId, r.outcome, r.skipReason ?? null]).sort((a, b) => Number(a[0]) - Number(b[0]));

async function withMembers(ctx: ContractContext, failLocal = false): Promise<void> {
  await ctx.load((s) => {
    const bob = s.sessions.find((x) => x.id === 2)!;
    s.sessions.push({ ...bob, id: 5, stationName: 'RDP-Tcp#5', userName: 'fred', domain: 'FABRIKAM' });
    s.groups = [
      // A name that extends the group's, and the neighbouring group.
      { user: 'CONTOSO\\bob', domain: ['RDS-Admins2', 'RDS-Users', 'Domain Users'], local: ['Users'] },
      { user: 'FABRIKAM\\fred', domain: ['RDS-Admins'], local: ['Users'] },
      // The group in other letter case, as a domain controller may spell it: the same group.
      { user: 'CONTOSO\\dave', domain: ['rds-admins'], local: ['Users'] },
      // Through a domain group into the local Administrators, on a workgroup with no domain controller.
      { user: 'ＷＯＲＫ\\𝒸𝒶𝓇𝑜𝓁😀', local: ['Users', 'Administrators'] },
    ];
    if (failLocal) s.failures.push({ op: 'localGroups', errno: 5, times: 20 });
  });
}

export function groupTrustCases(ctx: ContractContext): void {
  it('trusts members of @ad: and @local: groups in any letter case, and signs out every near miss', async () => {
    await withMembers(ctx);
    const rows = await ctx.client.enforcePolicy(policy, { concurrency: 1 });
    expect(brief(rows)).toEqual([
      [2, 'signedOut', null],
      [5, 'signedOut', null],
    ]);
    const logoffs = (await ctx.fixture.actions()).filter((c) => c.op === 'logoff').map((c) => c.sessionId);
    expect(logoffs.sort()).toEqual([2, 5]);
  });

  it('a membership Windows will not give (access denied) leaves trust unknown: reported, never signed out', async () => {
    await withMembers(ctx, true);
    const rows = await ctx.client.enforcePolicy(policy, { concurrency: 1 });
    // dave is a domain member, which is enough; everyone else may or may not be a local administrator.
    expect(brief(rows)).toEqual([
      [2, 'skipped', 'ERR_TRUST_UNKNOWN'],
      [3, 'skipped', 'ERR_TRUST_UNKNOWN'],
      [5, 'skipped', 'ERR_TRUST_UNKNOWN'],
    ]);
    expect(rows.find((r) => r.sessionId === 2)!.error!.message).toContain('ERROR_ACCESS_DENIED');
    expect((await ctx.fixture.actions()).filter((c) => c.op === 'logoff')).toEqual([]);
  });

  it('the membership reads fail as Windows does: an unknown host, account or domain', async () => {
    await withMembers(ctx);
    const read = ctx.client.backend.userGroups!.bind(ctx.client.backend);
    await expectWtsError(read('bob', 'CONTOSO', 'local', 'nowhere.contoso.test'), {
      code: 'RPC_S_SERVER_UNAVAILABLE',
      errno: 1722,
      syscall: 'NetUserGetLocalGroups',
      server: 'nowhere.contoso.test',
    });
    await expectWtsError(read('zed', 'CONTOSO', 'local', null), {
      code: 'NERR_UserNotFound',
      errno: 2221,
      syscall: 'NetUserGetLocalGroups',
    });
    await expectWtsError(read('zed', 'CONTOSO', 'domain', null), {
      code: 'NERR_UserNotFound',
      errno: 2221,
      syscall: 'NetUserGetGroups',
    });
    await expectWtsError(read('zed', 'NOWHERE', 'domain', null), {
      code: 'ERROR_NO_SUCH_DOMAIN',
      errno: 1355,
      syscall: 'DsGetDcNameW',
    });
    // Domain groups come with their domain, as the domain controller's domain.
    expect(await read('fred', 'FABRIKAM', 'domain', null)).toEqual(['FABRIKAM\\RDS-Admins']);
  });

  it('an account Windows does not know (NERR_UserNotFound) is unknown too', async () => {
    await withMembers(ctx);
    await ctx.load((s) => {
      s.groups = s.groups!.filter((g) => g.user !== 'CONTOSO\\bob');
    });
    const rows = await ctx.client.enforcePolicy(policy, { concurrency: 1 });
    const bob = rows.find((r) => r.sessionId === 2)!;
    expect([bob.outcome, bob.skipReason]).toEqual(['skipped', 'ERR_TRUST_UNKNOWN']);
    expect(bob.error!.message).toContain('NERR_UserNotFound');
  });

  it('a signed-in session whose user Windows would not name is reported (ERR_USER_UNKNOWN), never acted on', async () => {
    await ctx.load((s) => {
      // A name WTSINFOW may have cut, whose whole form (WTSUserName) Windows then refused.
      s.sessions.find((x) => x.id === 2)!.userName = 'bob-the-long-named-contractor';
      s.failures.push({ op: 'listSessions', errno: 13, sessionId: 2, infoClass: 'WTSUserName', times: 20 });
    });
    const byName: SessionPolicy = { trust: { users: ['CONTOSO\\dave'] }, rules: policy.rules };
    const rows = await ctx.client.enforcePolicy(byName, { concurrency: 1 });
    expect(brief(rows)).toEqual([
      [2, 'skipped', 'ERR_USER_UNKNOWN'],
      [3, 'signedOut', null],
    ]);
    expect(rows[0]!.error!.message).toContain('WTSUserName failed with ERROR_INVALID_DATA (13)');
    const logoffs = (await ctx.fixture.actions()).filter((c) => c.op === 'logoff').map((c) => c.sessionId);
    expect(logoffs).toEqual([3]);
  });

  it("a local account is in no domain group: @ad: judges it, on this machine and a remote host; Entra ID's stays unknown", async () => {
    await withMembers(ctx);
    await ctx.load((s) => {
      const bob = s.sessions.find((x) => x.id === 2)!;
      // A local account of this machine (its domain is the computer name), and an Entra ID account.
      s.sessions.push({ ...bob, id: 6, stationName: 'RDP-Tcp#6', userName: 'kiosk', domain: 'WS01' });
      s.sessions.push({ ...bob, id: 7, stationName: 'RDP-Tcp#7', userName: 'erin', domain: 'AzureAD' });
      s.groups!.push({ user: 'WS01\\kiosk', local: ['Users'] }, { user: 'AzureAD\\erin', local: ['Users'] });
      s.computerName = 'ws01';
    });
    const rows = await ctx.client.enforcePolicy(policy, { concurrency: 1 });
    expect(brief(rows).filter((r) => Number(r[0]) >= 6)).toEqual([
      [6, 'signedOut', null],
      [7, 'skipped', 'ERR_TRUST_UNKNOWN'],
    ]);
    expect(rows.find((r) => r.sessionId === 7)!.error!.message).toContain('an Entra ID account');
    const read = ctx.client.backend.userGroups!.bind(ctx.client.backend);
    // A remote host's own accounts (TS01\ops); a domain of another name is still unknown.
    expect(await read('ops', 'TS01', 'domain', 'ts01.contoso.test')).toEqual([]);
    await expectWtsError(read('ops', 'TS02', 'domain', 'ts01.contoso.test'), {
      code: 'ERROR_NO_SUCH_DOMAIN',
      errno: 1355,
      syscall: 'DsGetDcNameW',
      server: 'ts01.contoso.test',
    });
  });

  it('without the host name, a local account stays unknown, never signed out', async () => {
    await withMembers(ctx);
    await ctx.load((s) => {
      const bob = s.sessions.find((x) => x.id === 2)!;
      s.sessions.push({ ...bob, id: 6, stationName: 'RDP-Tcp#6', userName: 'kiosk', domain: 'WS01' });
      s.groups!.push({ user: 'WS01\\kiosk', local: ['Users'] });
      s.computerName = 'WS02';
    });
    const rows = await ctx.client.enforcePolicy(policy, { concurrency: 1 });
    expect(brief(rows).filter((r) => r[0] === 6)).toEqual([[6, 'skipped', 'ERR_TRUST_UNKNOWN']]);
  });
}
