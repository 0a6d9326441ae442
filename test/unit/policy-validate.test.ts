import { describe, expect, it } from 'vitest';
import { planPolicy, validatePolicy } from '../../lib/index.js';

const ok = { rules: { untrustedUser: { action: 'signOut' } } };

describe('validatePolicy: every error names the field at fault', () => {
  const cases: [string, unknown, ErrorConstructor, RegExp][] = [
    ['not an object', 'policy.json', TypeError, /^policy must be an object/],
    ['no rules', {}, TypeError, /^policy\.rules is required/],
    ['empty rules', { rules: {} }, TypeError, /^policy\.rules must hold at least one of untrustedUser/],
    [
      'misspelt rule',
      { rules: { idel: { after: '1h', action: 'signOut' } } },
      RangeError,
      /^policy\.rules\.idel is not a known field/,
    ],
    ['misspelt top field', { ...ok, trusts: {} }, RangeError, /^policy\.trusts is not a known field/],
    ['no action', { rules: { untrustedUser: {} } }, TypeError, /^policy\.rules\.untrustedUser\.action is required/],
    [
      'unknown action',
      { rules: { untrustedUser: { action: 'kill' } } },
      RangeError,
      /^policy\.rules\.untrustedUser\.action must be/,
    ],
    [
      'bare warn',
      { rules: { untrustedUser: { action: 'warn' } } },
      TypeError,
      /^policy\.rules\.untrustedUser\.action 'warn' needs a message/,
    ],
    [
      'warn without text',
      { rules: { untrustedUser: { action: { do: 'warn' } } } },
      TypeError,
      /\.action\.message is required/,
    ],
    [
      'warn with grace',
      { rules: { untrustedUser: { action: { do: 'warn', message: 'x', grace: '1m' } } } },
      RangeError,
      /\.action\.grace is for disconnect and signOut only/,
    ],
    [
      'message without grace',
      { rules: { untrustedUser: { action: { do: 'signOut', message: 'x' } } } },
      RangeError,
      /\.action\.message needs a grace period/,
    ],
    [
      'grace too short',
      { rules: { untrustedUser: { action: { do: 'signOut', grace: 10 } } } },
      RangeError,
      /\.action\.grace must be from 1 s to 365 d/,
    ],
    ['no limit', { rules: { idle: { action: 'signOut' } } }, TypeError, /^policy\.rules\.idle\.after is required/],
    [
      'bad limit',
      { rules: { idle: { after: '2 hours', action: 'signOut' } } },
      RangeError,
      /^policy\.rules\.idle\.after must look like/,
    ],
    [
      'limit on a rule without one',
      { rules: { untrustedUser: { after: '1h', action: 'signOut' } } },
      RangeError,
      /^policy\.rules\.untrustedUser\.after is not a known field/,
    ],
    [
      'bad console flag',
      { rules: { idle: { after: '1h', action: 'signOut', includeActiveConsole: 'yes' } } },
      TypeError,
      /^policy\.rules\.idle\.includeActiveConsole must be a boolean/,
    ],
    [
      'bad locked limit',
      { rules: { idle: { after: '1h', lockedAfter: -1, action: 'signOut' } } },
      RangeError,
      /^policy\.rules\.idle\.lockedAfter must be a finite number/,
    ],
    ['users not an array', { ...ok, trust: { users: 'alice' } }, TypeError, /^policy\.trust\.users must be an array/],
    [
      'empty user',
      { ...ok, trust: { users: ['alice', ' '] } },
      TypeError,
      /^policy\.trust\.users\[1\] must be a non-empty string/,
    ],
    [
      'unknown group',
      { ...ok, trust: { users: ['@admins'] } },
      RangeError,
      /^policy\.trust\.users\[0\]: no group admins/,
    ],
    [
      'nested group',
      { ...ok, groups: { a: ['@b'] } },
      RangeError,
      /^policy\.groups\.a\[0\]: a group cannot hold another group/,
    ],
    [
      'bad address',
      { ...ok, trust: { clientAddresses: ['10.0.0.0/8', '10.0.0.300'] } },
      RangeError,
      /^policy\.trust\.clientAddresses\[1\] must be an IPv4 or IPv6/,
    ],
    [
      'bad prefix',
      { ...ok, trust: { clientAddresses: ['10.0.0.0/33'] } },
      RangeError,
      /^policy\.trust\.clientAddresses\[0\] must have a prefix length from 0 to 32/,
    ],
    [
      'bad v6 prefix',
      { ...ok, trust: { clientAddresses: ['2001:db8::/129'] } },
      RangeError,
      /prefix length from 0 to 128/,
    ],
    [
      'host name as range',
      { ...ok, trust: { clientAddresses: ['vpn.contoso.com'] } },
      RangeError,
      /clientAddresses\[0\] must be an IPv4 or IPv6/,
    ],
    [
      'long title',
      { rules: { untrustedUser: { action: { do: 'warn', message: 'x', title: 'x'.repeat(257) } } } },
      RangeError,
      /\.action\.title must be at most 256 characters/,
    ],
  ];
  it.each(cases)('%s', (_name, policy, type, message) => {
    let error: unknown;
    try {
      validatePolicy(policy);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(type);
    expect((error as Error).message).toMatch(message);
    // planPolicy refuses the same policy in the same words.
    expect(() => planPolicy(policy as never, [])).toThrow(message);
  });

  it('accepts a complete policy and returns it unchanged', () => {
    const policy = {
      $schema: './policy.schema.json',
      description: 'RDS farm',
      groups: { admins: ['CONTOSO\\alice'] },
      trust: {
        users: ['@ADMINS', 'svc-*'],
        clientAddresses: ['10.0.0.0/8', '192.0.2.7', '::1', '2001:db8::/32'],
        clientNames: ['JUMP-*'],
      },
      rules: {
        untrustedUser: { action: { do: 'warn', message: 'You are not expected here.', title: 'Security' } },
        untrustedClient: { action: { do: 'signOut', grace: '2m', message: 'Sign-ins from outside are not allowed.' } },
        idle: { after: '2h', lockedAfter: '30m', includeActiveConsole: false, action: 'disconnect' },
        disconnected: { after: 8 * 3_600_000, action: 'signOut' },
        sessionLength: { after: '1d', action: { do: 'disconnect', grace: '15m' } },
      },
    };
    expect(validatePolicy(policy)).toBe(policy);
  });
});
