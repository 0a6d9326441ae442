import { describe, expect, it } from 'vitest';
import { planPolicy, validatePolicy } from '../../lib/index.js';

const ok = { rules: { untrustedUser: { action: 'signOut' } } };

describe('validatePolicy: every error names the field at fault', () => {
  const cases: [string, unknown, ErrorConstructor, RegExp][] = [
    ['trust not an object', { ...ok, trust: [] }, TypeError, /^policy\.trust must be an object/],
    ['rules not an object', { rules: 'all' }, TypeError, /^policy\.rules must be an object/],
    [
      'trust misspelt',
      { ...ok, trust: { user: [] } },
      RangeError,
      /^policy\.trust\.user is not a known field; known: users, clientAddresses, clientNames/,
    ],
    ['groups not an object', { ...ok, groups: ['a'] }, TypeError, /^policy\.groups must be an object/],
    ['group not a list', { ...ok, groups: { admins: 'alice' } }, TypeError, /^policy\.groups\.admins must be an array/],
    ['group name with a space', { ...ok, groups: { 'a b': [] } }, RangeError, /^policy\.groups\.a b: a group name is/],
    ['group name ending oddly', { ...ok, groups: { 'ab!': [] } }, RangeError, /^policy\.groups\.ab!: a group name is/],
    [
      'group name starting oddly',
      { ...ok, groups: { '!ab': [] } },
      RangeError,
      /^policy\.groups\.!ab: a group name is/,
    ],
    [
      'client names not strings',
      { ...ok, trust: { clientNames: [3] } },
      TypeError,
      /^policy\.trust\.clientNames\[0\] must be a non-empty string/,
    ],
    [
      'addresses not a list',
      { ...ok, trust: { clientAddresses: '10.0.0.0/8' } },
      TypeError,
      /^policy\.trust\.clientAddresses must be an array/,
    ],
    [
      'prefix not a number',
      { ...ok, trust: { clientAddresses: ['10.0.0.0/8x'] } },
      RangeError,
      /clientAddresses\[0\] must have a prefix length/,
    ],
    [
      'prefix with a sign',
      { ...ok, trust: { clientAddresses: ['10.0.0.0/+8'] } },
      RangeError,
      /clientAddresses\[0\] must have a prefix length/,
    ],
    [
      'two prefixes',
      { ...ok, trust: { clientAddresses: ['10.0.0.0/8/9'] } },
      RangeError,
      /clientAddresses\[0\] must be an IPv4 or IPv6/,
    ],
    [
      'action spec without do',
      { rules: { untrustedUser: { action: { grace: '1m' } } } },
      RangeError,
      /^policy\.rules\.untrustedUser\.action\.do must be 'warn', 'disconnect' or 'signOut', got undefined/,
    ],
    [
      'action not an object',
      { rules: { untrustedUser: { action: 7 } } },
      TypeError,
      /^policy\.rules\.untrustedUser\.action must be an object/,
    ],
    [
      'unknown action field',
      { rules: { untrustedUser: { action: { do: 'signOut', when: 'now' } } } },
      RangeError,
      /^policy\.rules\.untrustedUser\.action\.when is not a known field/,
    ],
    [
      'empty message',
      { rules: { untrustedUser: { action: { do: 'warn', message: '' } } } },
      TypeError,
      /^policy\.rules\.untrustedUser\.action\.message must be a non-empty string/,
    ],
    [
      'message not text',
      { rules: { untrustedUser: { action: { do: 'warn', message: 42 } } } },
      TypeError,
      /\.action\.message must be a non-empty string/,
    ],
    [
      'bad grace',
      { rules: { untrustedUser: { action: { do: 'signOut', grace: 'soon' } } } },
      RangeError,
      /^policy\.rules\.untrustedUser\.action\.grace must look like/,
    ],
    [
      'grace over a year',
      { rules: { untrustedUser: { action: { do: 'signOut', grace: '365d1ms' } } } },
      RangeError,
      /\.action\.grace must be from 1 s to 365 d/,
    ],
    [
      'grace just under a second',
      { rules: { untrustedUser: { action: { do: 'signOut', grace: '999ms' } } } },
      RangeError,
      /\.action\.grace must be from 1 s/,
    ],
    [
      'locked limit on another rule',
      { rules: { disconnected: { after: '1h', lockedAfter: '1m', action: 'signOut' } } },
      RangeError,
      /^policy\.rules\.disconnected\.lockedAfter is not a known field; known: action, after$/,
    ],
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
      { rules: { untrustedUser: { action: { do: 'signOut', grace: '10ms' } } } },
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
      { rules: { idle: { after: '1h', lockedAfter: '-1m', action: 'signOut' } } },
      RangeError,
      /^policy\.rules\.idle\.lockedAfter must look like/,
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
      /\.action\.title must be at most 256 UTF-16 characters/,
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

  it('accepts the limits themselves: a grace of 1 s and of 365 d, a title of 256 characters, prefixes /0 and /32', () => {
    const at = (action: unknown) => validatePolicy({ rules: { untrustedUser: { action } } });
    expect(() => at({ do: 'signOut', grace: '1s' })).not.toThrow();
    expect(() => at({ do: 'signOut', grace: '365d' })).not.toThrow();
    expect(() => at({ do: 'warn', message: 'x', title: 'x'.repeat(256) })).not.toThrow();
    // MS-TSTS 3.7.4.1.8: 1,024 bytes, so 511 UTF-16 units and a terminator; checked as written, placeholders and all.
    expect(() => at({ do: 'warn', message: 'x'.repeat(511) })).not.toThrow();
    expect(() => at({ do: 'warn', message: 'x'.repeat(512) })).toThrow(
      'policy.rules.untrustedUser.action.message must be at most 511 UTF-16 characters (Windows takes 1,024 bytes at most), got 512',
    );
    const ranges = { ...ok, trust: { clientAddresses: ['0.0.0.0/0', '192.0.2.1/32', '::/0', '2001:db8::1/128'] } };
    expect(validatePolicy(ranges)).toBe(ranges);
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
        disconnected: { after: '8h', action: 'signOut' },
        sessionLength: { after: '1d', action: { do: 'disconnect', grace: '15m' } },
      },
    };
    expect(validatePolicy(policy)).toBe(policy);
  });
});
