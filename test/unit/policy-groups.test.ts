// Issue 22, point 14: trust by Windows group membership (@ad:, @local:), on the mock, from both sides: the members
// are left alone, every near miss is acted on, and a user whose membership cannot be read gains nothing.
import { describe, expect, it } from 'vitest';
import { createClient } from '../../lib/client.js';
import type { AuditRecord, PolicyRow, SessionPolicy } from '../../lib/index.js';
import { policyWarnings, validatePolicy } from '../../lib/index.js';
import { rdpSeed } from '../helpers/rdp-seed.js';
import { createMockBackend, type MockGroupSeed } from '../../lib/mock/index.js';
import { MembershipCache } from '../../lib/policy/memberships.js';

const NOW = Date.UTC(2031, 4, 4, 10, 0, 0);

const rdp = (id: number, domain: string, userName: string) => rdpSeed(id, domain, userName, NOW);

const sessions = [
  rdp(2, 'CONTOSO', 'alice'), // in CONTOSO\RDS-Admins
  rdp(3, 'FABRIKAM', 'fred'), // in FABRIKAM\RDS-Admins: another domain
  rdp(4, 'CONTOSO', 'bob'), // in CONTOSO\RDS-Admins2: a name that extends the group's
  rdp(5, 'CONTOSO', 'carol'), // in CONTOSO\RDS-Users: the neighbouring group
  rdp(6, 'contoso', 'dave'), // in CONTOSO\rds-admins, as written in other letter case
  rdp(7, 'CONTOSO', 'eve'), // unknown to the domain controller (NERR_UserNotFound)
  rdp(8, 'WS01', 'frank'), // a local account in the local Administrators group
  rdp(9, 'WS01', 'gina'), // a local account in the local "Administrators2"
];
// Every account that exists is in the local Users group, as on a real member server.
const groups: MockGroupSeed[] = [
  { user: 'CONTOSO\\alice', domain: ['Domain Users', 'RDS-Admins'], local: ['Users'] },
  { user: 'FABRIKAM\\fred', domain: ['Domain Users', 'RDS-Admins'], local: ['Users'] },
  { user: 'CONTOSO\\bob', domain: ['Domain Users', 'RDS-Admins2'], local: ['Users'] },
  { user: 'CONTOSO\\carol', domain: ['Domain Users', 'RDS-Users'], local: ['Users', 'Remote Desktop Users'] },
  { user: 'CONTOSO\\dave', domain: ['rds-admins'], local: ['Users'] },
  { user: 'CONTOSO\\eve', local: ['Users'] },
  { user: 'WS01\\frank', local: ['Users', 'Administrators'] },
  { user: 'WS01\\gina', local: ['Users', 'Administrators2'] },
];
const policy: SessionPolicy = {
  trust: { users: ['@ad:CONTOSO\\RDS-Admins', '@local:Administrators'] },
  rules: { untrustedUser: { action: 'signOut' } },
};

function setup() {
  const mock = createMockBackend({ sessions, groups, currentSessionId: 1, now: () => NOW });
  return { mock, client: createClient(mock) };
}
const brief = (rows: PolicyRow[]) => rows.map((r) => [r.sessionId, r.outcome, r.skipReason ?? null]);

describe('trust by group membership (@ad:DOMAIN\\Group, @local:Group) on the mock', () => {
  it('leaves members alone (any letter case) and signs out every near miss', async () => {
    const { mock, client } = setup();
    const rows = await client.enforcePolicy(policy, { concurrency: 1 });
    expect(brief(rows)).toEqual([
      [3, 'signedOut', null],
      [4, 'signedOut', null],
      [5, 'signedOut', null],
      [7, 'skipped', 'ERR_TRUST_UNKNOWN'],
      [9, 'skipped', 'ERR_TRUST_UNKNOWN'],
    ]);
    expect(mock.calls.filter((c) => c.op === 'logoff').map((c) => c.sessionId)).toEqual([3, 4, 5]);
  });

  it('a user whose membership cannot be read is neither trusted nor signed out: reported, with why', async () => {
    const { mock, client } = setup();
    const records: AuditRecord[] = [];
    const rows = await client.enforcePolicy(policy, { audit: (r) => void records.push(r), concurrency: 1 });
    const eve = rows.find((r) => r.sessionId === 7)!;
    expect(eve).toMatchObject({ rule: 'untrustedUser', action: 'signOut', outcome: 'skipped' });
    expect(eve.error!.message).toMatch(/group membership of CONTOSO\\eve is unknown \(NERR_UserNotFound/);
    // gina is a local account: her domain WS01 has no domain controller, so @ad: cannot rule her out.
    expect(rows.find((r) => r.sessionId === 9)!.error!.message).toContain('ERROR_NO_SUCH_DOMAIN');
    expect(records.filter((r) => r.session === 7).map((r) => [r.outcome, r.rule, r.error?.code])).toEqual([
      ['skipped', 'untrustedUser', 'ERR_TRUST_UNKNOWN'],
    ]);
    expect(mock.calls.some((c) => c.op === 'logoff' && c.sessionId === 7)).toBe(false);
  });

  it('an attacker who makes the lookup fail (access denied, host out of reach) gains nothing', async () => {
    for (const errno of [5, 53]) {
      const { mock, client } = setup();
      mock.fail('localGroups', errno, { times: Infinity });
      const rows = await client.enforcePolicy(policy, { concurrency: 1 });
      // alice is a domain member, so her local groups do not matter; everyone else is unknown, and nobody is acted on
      // without knowing.
      expect(brief(rows).map((r) => r[0])).toEqual([3, 4, 5, 7, 8, 9]);
      expect(new Set(rows.map((r) => r.skipReason))).toEqual(new Set(['ERR_TRUST_UNKNOWN']));
      expect(mock.calls.filter((c) => c.op === 'logoff')).toEqual([]);
    }
  });

  it('reads each account once per check, and a backend without userGroups leaves trust unknown', async () => {
    const { mock, client } = setup();
    await client.enforcePolicy(policy, { dryRun: true });
    expect(mock.calls.filter((c) => c.op === 'domainGroups')).toHaveLength(sessions.length);
    const bare = createMockBackend({ sessions: [rdp(4, 'CONTOSO', 'bob')], currentSessionId: 1, now: () => NOW });
    const backend = Object.assign(Object.create(bare) as typeof bare, { userGroups: undefined });
    const rows = await createClient(backend).enforcePolicy(policy);
    expect(rows.map((r) => [r.skipReason, r.error!.message.includes('ERR_GROUPS_UNSUPPORTED')])).toEqual([
      ['ERR_TRUST_UNKNOWN', true],
    ]);
  });

  it('a built-in group named by SID matches on a host whose Windows translates its name', async () => {
    const mock = createMockBackend({
      sessions: [rdp(4, 'CONTOSO', 'bob'), rdp(5, 'CONTOSO', 'ann')],
      // A German host: the names are translated, the SIDs are not.
      groups: [
        { user: 'CONTOSO\\bob', local: ['Benutzer', 'S-1-5-32-545', 'Administratoren', 'S-1-5-32-544'], domain: [] },
        { user: 'CONTOSO\\ann', local: ['Benutzer', 'S-1-5-32-545'], domain: [] },
      ],
      currentSessionId: 1,
      now: () => NOW,
    });
    const bySid: SessionPolicy = { ...policy, trust: { users: ['@local:S-1-5-32-544'] } };
    expect(brief(await createClient(mock).enforcePolicy(bySid))).toEqual([[5, 'signedOut', null]]);
  });

  it('planPolicy reads nothing: a session whose trust hangs on a group is planned with trustUnknown', async () => {
    const { client } = setup();
    const { planPolicy } = await import('../../lib/index.js');
    const plan = planPolicy(policy, await client.listSessions());
    expect(plan.every((d) => d.trustUnknown?.message.includes('not read'))).toBe(true);
  });
});

describe('group entries are checked', () => {
  const trust =
    (...users: string[]) =>
    () =>
      validatePolicy({ trust: { users }, rules: { untrustedUser: { action: 'signOut' } } });

  it('refuses malformed entries with the fix', () => {
    expect(trust('@ad:RDS-Admins')).toThrow('policy.trust.users[0] "@ad:RDS-Admins": a domain group names its domain');
    expect(trust('@local:BUILTIN\\Administrators')).toThrow('a local group has no domain');
    expect(trust('@ad:CONTOSO\\RDS-*')).toThrow('a group is matched whole (no wildcards)');
    expect(trust('@AD:CONTOSO\\RDS-Admins')).toThrow('unknown kind of group "@AD:"');
    expect(trust('@adm:CONTOSO\\RDS-Admins')).toThrow('unknown kind of group "@adm:"');
    expect(trust('@local:')).toThrow('a group name is not empty');
    expect(trust('@local:S-1-5-32-54x')).toThrow('is not a SID such as S-1-5-32-544');
    expect(trust('@ad:CONTOSO\bRDS')).toThrow('\\b (a backspace)');
  });

  it('warns about groups that hold everybody and about DNS domains', () => {
    const warn = (...users: string[]) =>
      policyWarnings({ trust: { users }, rules: { untrustedUser: { action: 'signOut' } } }).map((w) => w.message);
    expect(warn('@local:Users')).toEqual([
      'policy.trust.users[0] "@local:Users" holds every user who can sign in: it trusts everyone',
    ]);
    expect(warn('@ad:CONTOSO\\Domain Users')[0]).toContain('holds every account of the domain');
    expect(warn('@ad:contoso.com\\RDS-Admins')[0]).toContain('dotted (DNS) domain');
    expect(warn('@local:administrators')[0]).toContain('whose name Windows translates');
    expect(warn('@local:Remote Desktop Users')[0]).toContain('write "@local:S-1-5-32-555"');
    expect(warn('@local:S-1-5-32-544')).toEqual([]);
    expect(warn('@local:RDS Jump Hosts')).toEqual([]);
    // Any @ad: entry: once, that Entra ID accounts (AzureAD) stay unknown to it.
    expect(warn('@ad:CONTOSO\\RDS-Admins', '@ad:CONTOSO\\Helpdesk')).toEqual([
      expect.stringMatching(
        /^policy\.trust\.users "@ad:CONTOSO\\\\RDS-Admins" and any other @ad: entry can never judge an Entra ID/,
      ),
    ]);
    const inRules = policyWarnings({
      rules: { untrustedUser: { action: 'signOut' } },
      groupRules: [{ users: ['@local:Users', 'bob@contoso.com'], rules: { idle: { after: '1h', action: 'signOut' } } }],
    }).map((w) => w.field);
    expect(inRules).toEqual(['policy.groupRules[0].users[0]', 'policy.groupRules[0].users[1]']);
    const ownRules = policyWarnings({
      rules: { disconnected: { after: '1h', action: 'disconnect' } },
      groupRules: [
        {
          users: ['@ad:CONTOSO\\Contractors'],
          rules: { disconnected: { after: '2h', action: { do: 'warn', message: 'Bye' } } },
        },
      ],
    }).map((w) => w.field);
    // The top-level rule once, the entry's own where it was written; not the top-level one again for the entry.
    expect(ownRules).toEqual([
      'policy.groupRules', // its @ad: entry cannot judge Entra ID accounts
      'policy.rules.disconnected.action',
      'policy.groupRules[0].rules.disconnected.action',
    ]);
  });
});

describe('membership is cached for groupRefresh', () => {
  it('is read again only once the refresh interval has passed, and a failure is never kept', async () => {
    let now = NOW;
    const seeds: MockGroupSeed[] = [{ user: 'CONTOSO\\bob', domain: ['RDS-Admins'] }];
    const mock = createMockBackend({ sessions: [rdp(4, 'CONTOSO', 'bob')], groups: seeds, now: () => NOW });
    const cache = new MembershipCache(mock, 5 * 60_000, () => now);
    const [bob] = await createClient(mock)
      .listSessions()
      .then((l) => l.filter((s) => s.id === 4));
    const read = () => cache.of(bob!, null, { local: false, domain: true }).then((m) => [...(m.domain ?? [])]);
    expect(await read()).toEqual(['CONTOSO\\RDS-ADMINS']);
    seeds[0]!.domain = ['Contractors'];
    now += 5 * 60_000 - 1;
    expect(await read()).toEqual(['CONTOSO\\RDS-ADMINS']);
    now += 1;
    expect(await read()).toEqual(['CONTOSO\\CONTRACTORS']);
    mock.fail('domainGroups', 5);
    now += 5 * 60_000;
    expect(await read()).toEqual([]);
    expect(await read()).toEqual(['CONTOSO\\CONTRACTORS']);
    expect(mock.calls.filter((c) => c.op === 'domainGroups')).toHaveLength(4);
  });

  it('the running enforcer signs out a former admin only once the membership is read again', async () => {
    const seeds: MockGroupSeed[] = [{ user: 'CONTOSO\\bob', domain: ['RDS-Admins'], local: [] }];
    const mock = createMockBackend({ sessions: [rdp(4, 'CONTOSO', 'bob')], groups: seeds, currentSessionId: 1 });
    const stop = new AbortController();
    const started = Date.now();
    let removedAt = 0;
    let signedOutAt = 0;
    const run = createClient(mock).runPolicyEnforcer(
      { ...policy, groupRefresh: '1s' },
      {
        checkEvery: 50,
        signal: stop.signal,
        onRow: (row) => {
          if (row.outcome === 'signedOut') signedOutAt = Date.now();
          stop.abort();
        },
      },
    );
    await new Promise((r) => setTimeout(r, 200));
    seeds[0]!.domain = ['Domain Users'];
    removedAt = Date.now();
    await run;
    // Checked every 50 ms, yet read at the start and once more after 1 s: the refresh, not the check, decides.
    expect(mock.calls.filter((c) => c.op === 'domainGroups')).toHaveLength(2);
    expect(signedOutAt - started).toBeGreaterThanOrEqual(1000);
    expect(signedOutAt).toBeGreaterThan(removedAt);
  });
});

describe('the running enforcer and unknown membership', () => {
  it('reports a session of unknown trust once per reason, judges it again at every check, and acts once it is known', async () => {
    const seeds: MockGroupSeed[] = [{ user: 'CONTOSO\\bob', domain: ['Domain Users'], local: [] }];
    const mock = createMockBackend({ sessions: [rdp(4, 'CONTOSO', 'bob')], groups: seeds, currentSessionId: 1 });
    // The attacker makes the first five reads fail.
    mock.fail('domainGroups', 5, { times: 5 });
    const stop = new AbortController();
    const rows: PolicyRow[] = [];
    const records: AuditRecord[] = [];
    await createClient(mock).runPolicyEnforcer(policy, {
      checkEvery: 50,
      signal: stop.signal,
      audit: (r) => void records.push(r),
      onRow: (row) => {
        rows.push(row);
        if (row.outcome === 'signedOut') stop.abort();
      },
    });
    expect(brief(rows)).toEqual([
      [4, 'skipped', 'ERR_TRUST_UNKNOWN'],
      [4, 'signedOut', null],
    ]);
    expect(records.filter((r) => r.session === 4).map((r) => [r.outcome, r.error?.code ?? null])).toEqual([
      ['skipped', 'ERR_TRUST_UNKNOWN'],
      ['decided', null],
      ['signedOut', null],
    ]);
    // Read at each of the five failing checks and once more; nothing acted before it was known.
    expect(mock.calls.filter((c) => c.op === 'domainGroups')).toHaveLength(6);
  });

  it('stops promptly while a domain controller hangs, acting on nobody', async () => {
    const mock = createMockBackend({
      sessions: [rdp(4, 'CONTOSO', 'bob')],
      groups: [{ user: 'CONTOSO\\bob', domain: ['Domain Users'], local: [] }],
      currentSessionId: 1,
      // The membership read never comes back.
      onCall: (call) => (call.op === 'domainGroups' ? new Promise<void>(() => undefined) : undefined),
    });
    const stop = new AbortController();
    setTimeout(() => {
      stop.abort();
    }, 100);
    await createClient(mock).runPolicyEnforcer(policy, { signal: stop.signal });
    const once = await createClient(mock).enforcePolicy(policy, { signal: AbortSignal.timeout(100) });
    expect(brief(once)).toEqual([[4, 'skipped', 'ERR_TRUST_UNKNOWN']]);
    expect(mock.calls.filter((c) => c.op === 'logoff')).toEqual([]);
  });
});
