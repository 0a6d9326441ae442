// Issue 22, point 2: mistakes in a policy file that would silently untrust, or trust, people.
import { describe, expect, it } from 'vitest';
import { planPolicy, policyWarnings, validatePolicy, type Session } from '../../lib/index.js';
import { listedSession } from '../helpers/listed-session.js';

const rules = { untrustedUser: { action: 'signOut' as const } };

function bob(domain = 'CONTOSO'): Session {
  return listedSession({ id: 2, userName: 'bob', domain, clientName: 'BOB-PC', clientAddress: '10.0.0.2' });
}

describe('control characters in patterns: a single backslash in JSON', () => {
  const fix = 'in JSON a backslash is written \\\\ (e.g. "CONTOSO\\\\bob"), as a single one starts an escape';

  it.each([
    ['\\b', '\\b (a backspace)', 'users', '"CONTOSO\\bob"'],
    ['\\n', '\\n (a new line)', 'users', '"CONTOSO\\nancy"'],
    ['\\t', '\\t (a tab)', 'users', '"CONTOSO\\tom"'],
    ['\\f', '\\f (a form feed)', 'users', '"CONTOSO\\frank"'],
    ['\\r', '\\r (a carriage return)', 'users', '"CONTOSO\\rita"'],
    ['\\t', '\\t (a tab)', 'clientNames', '"JUMP\\t1"'],
  ])('refuses %s, naming the field and the fix', (_, seen, field, text) => {
    const json = `{ "trust": { "clientAddresses": ["10.0.0.0/8"], "${field}": [${text}] }, "rules": { "untrustedUser": { "action": "signOut" } } }`;
    expect(() => validatePolicy(JSON.parse(json))).toThrow(
      new RangeError(`policy.trust.${field}[0] holds ${seen} at position ${field === 'users' ? 7 : 4}: ${fix}`),
    );
  });

  it('refuses one in a group, and one at the end that trimming would have hidden', () => {
    expect(() => validatePolicy({ groups: { admins: ['CONTOSO\\alice', 'CONTOSO\bob'] }, rules })).toThrow(
      /^policy\.groups\.admins\[1\] holds \\b \(a backspace\) at position 7: in JSON/,
    );
    expect(() => validatePolicy({ trust: { users: ['bob\n'] }, rules })).toThrow(
      /^policy\.trust\.users\[0\] holds \\n \(a new line\) at position 3/,
    );
  });

  it('refuses CONTOSO\\bob with one backslash, where two trust bob and still act on bob of another domain', () => {
    const parsed = (user: string): unknown =>
      JSON.parse(`{ "trust": { "users": ["${user}"] }, "rules": { "untrustedUser": { "action": "signOut" } } }`);
    expect(() => validatePolicy(parsed('CONTOSO\\bob'))).toThrow(/^policy\.trust\.users\[0\] holds \\b/);
    const policy = validatePolicy(parsed('CONTOSO\\\\bob'));
    expect(planPolicy(policy, [bob()])).toEqual([]);
    expect(planPolicy(policy, [bob('FABRIKAM')]).map((d) => d.reason)).toEqual(['user FABRIKAM\\bob is not trusted']);
  });
});

describe('user names Windows never reports', () => {
  it('warns on user@domain and on a dotted domain, not on DOMAIN\\user nor a bare name', () => {
    const policy = {
      groups: { admins: ['carol@contoso.com', 'CONTOSO\\dave'] },
      trust: { users: ['alice@contoso.com', 'contoso.com\\bob', 'CONTOSO\\erin', 'frank', '@admins', '*\\gina'] },
      rules,
    };
    expect(policyWarnings(policy)).toEqual([
      {
        field: 'policy.trust.users[0]',
        message:
          'policy.trust.users[0] "alice@contoso.com" is a user@domain name, which never matches: Windows reports ' +
          'DOMAIN\\user with the NetBIOS domain (e.g. "CONTOSO\\\\alice" in JSON)',
      },
      {
        field: 'policy.trust.users[1]',
        message:
          'policy.trust.users[1] "contoso.com\\\\bob" has a dotted (DNS) domain, which never matches: Windows reports ' +
          'the NetBIOS domain name (e.g. CONTOSO, not contoso.com)',
      },
      {
        field: 'policy.groups.admins[0]',
        message:
          'policy.groups.admins[0] "carol@contoso.com" is a user@domain name, which never matches: Windows reports ' +
          'DOMAIN\\user with the NetBIOS domain (e.g. "CONTOSO\\\\carol" in JSON)',
      },
    ]);
  });
});

describe('durations', () => {
  it.each([
    ['after', { idle: { after: 120, action: 'signOut' } }, 'policy.rules.idle.after', '120'],
    [
      'lockedAfter',
      { idle: { after: '1h', lockedAfter: 600, action: 'signOut' } },
      'policy.rules.idle.lockedAfter',
      '600',
    ],
    [
      'grace',
      { untrustedUser: { action: { do: 'signOut', grace: 120 } } },
      'policy.rules.untrustedUser.action.grace',
      '120',
    ],
  ])('refuses a bare number as %s: it would be read as milliseconds', (_, bad, field, n) => {
    expect(() => validatePolicy({ rules: bad })).toThrow(
      new TypeError(
        `${field} must be a text with a unit, such as '2m' or '90s': a bare number would be read as milliseconds, got ${n}`,
      ),
    );
  });

  it('refuses zero, which would act on everyone at once, and accepts the smallest real limit', () => {
    expect(() => validatePolicy({ rules: { disconnected: { after: '0m', action: 'signOut' } } })).toThrow(
      new RangeError('policy.rules.disconnected.after must be more than zero, got "0m"'),
    );
    expect(() => validatePolicy({ rules: { idle: { after: '1h', lockedAfter: '0s', action: 'signOut' } } })).toThrow(
      /^policy\.rules\.idle\.lockedAfter must be more than zero/,
    );
    expect(() => validatePolicy({ rules: { disconnected: { after: '1ms', action: 'signOut' } } })).not.toThrow();
  });
});

describe('address ranges that trust more than meant', () => {
  const warned = (clientAddresses: string[]) =>
    policyWarnings({ trust: { clientAddresses }, rules }).map((w) => w.message);

  it('warns on every range that trusts every IPv4 client', () => {
    expect(warned(['0.0.0.0/0', '::/0', '::ffff:0:0/96', '::/64', '::fffe:0:0/95'])).toEqual([
      'policy.trust.clientAddresses[0] "0.0.0.0/0" trusts every client address',
      'policy.trust.clientAddresses[1] "::/0" trusts every client address',
      'policy.trust.clientAddresses[2] "::ffff:0:0/96" holds ::ffff:0:0/96, every IPv4-mapped address: it trusts every IPv4 client',
      'policy.trust.clientAddresses[3] "::/64" holds ::ffff:0:0/96, every IPv4-mapped address: it trusts every IPv4 client',
      'policy.trust.clientAddresses[4] "::fffe:0:0/95" holds ::ffff:0:0/96, every IPv4-mapped address: it trusts every IPv4 client',
    ]);
  });

  it('warns on host bits set', () => {
    expect(warned(['10.0.0.1/8', '2001:db8::1/32'])).toEqual([
      'policy.trust.clientAddresses[0] "10.0.0.1/8" has host bits set: it trusts the whole /8 range; for one address write it without a prefix',
      'policy.trust.clientAddresses[1] "2001:db8::1/32" has host bits set: it trusts the whole /32 range; for one address write it without a prefix',
    ]);
  });

  it('says nothing of near misses: part of the mapped range, a neighbouring range, exact ranges and addresses', () => {
    expect(
      warned([
        '::ffff:10.0.0.0/104',
        '::fffe:0:0/96',
        '::1:0:0:0/80',
        '10.0.0.0/8',
        '192.0.2.1',
        '2001:db8::/32',
        '::1',
      ]),
    ).toEqual([]);
  });
});

describe('trusted users named by their sign-in address (Entra ID, Microsoft accounts)', () => {
  // Microsoft's docs sign Entra ID users in as AzureAD\<UPN>; whoami shows AzureAD\<name> (azure-docs #38048), and
  // what WTS reports is not documented: a UPN-only pattern is a warning, never a silent "trusted".
  const warnings = (users: string[]) =>
    policyWarnings({ trust: { users }, rules: { untrustedUser: { action: 'signOut' } } }).map((w) => w.field);

  it('warns on AzureAD\\<UPN> and MicrosoftAccount\\<address>, and not on the short forms beside them', () => {
    expect(warnings(['AzureAD\\bob@contoso.com', 'MicrosoftAccount\\eve@outlook.com'])).toEqual([
      'policy.trust.users[0]',
      'policy.trust.users[1]',
    ]);
    expect(warnings(['AzureAD\\bob', 'CONTOSO\\bob', 'AZUREAD\\*'])).toEqual([]);
  });

  it('warns on any MicrosoftAccount\\ pattern, naming the local account Windows reports instead', () => {
    const messages = (users: string[]) =>
      policyWarnings({ trust: { users }, rules: { untrustedUser: { action: 'signOut' } } }).map((w) => w.message);
    const [msa] = messages(['MicrosoftAccount\\johns']);
    expect(msa).toMatch(/^policy\.trust\.users\[0\] "MicrosoftAccount\\\\johns" names the account by how it signs in/);
    expect(msa).toContain('the local account it signs in to, COMPUTER\\<name>');
    const [entra] = messages(['AzureAD\\alice.smith@contoso.com']);
    expect(entra).toContain('AzureAD\\<name>, the name whoami shows');
    // The near miss: the local account's own name is what Windows reports, and is no mistake.
    expect(messages(['DESKTOP-7Q2L9\\johns', 'microsoftaccounts\\x'])).toEqual([]);
  });

  it('still trusts exactly what it says: AzureAD\\bob is trusted, AzureAD\\bob@contoso.com is not him', () => {
    const policy = {
      trust: { users: ['AzureAD\\bob@contoso.com'] },
      rules: { untrustedUser: { action: 'signOut' as const } },
    };
    const bob = listedSession({ id: 2, userName: 'bob', domain: 'AzureAD' });
    expect(planPolicy(policy, [bob]).map((d) => d.action)).toEqual(['signOut']);
    expect(planPolicy({ ...policy, trust: { users: ['AzureAD\\bob'] } }, [bob])).toEqual([]);
  });
});
