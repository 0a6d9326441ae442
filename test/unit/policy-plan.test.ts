import { describe, expect, it } from 'vitest';
import { planPolicy, type Session, type SessionPolicy } from '../../lib/index.js';
import { checkPolicy } from '../../lib/policy/check-policy.js';
import { accountName, nextLimitIn } from '../../lib/policy/plan.js';

const NOW = Date.UTC(2031, 4, 4, 10, 0, 0);
const MIN = 60_000;
const HOUR = 60 * MIN;

/** A signed-in RDP session read at NOW on the server's clock; fields as a listing gives them. */
function session(over: Partial<Session> & { id: number }): Session {
  return {
    stationName: `RDP-Tcp#${over.id}`,
    state: 'active',
    userName: 'eve',
    domain: 'CONTOSO',
    clientName: 'EVE-PC',
    clientAddress: '203.0.113.9',
    protocol: 'rdp',
    logonTime: new Date(NOW - HOUR),
    connectTime: new Date(NOW - HOUR),
    disconnectTime: null,
    lastInputTime: new Date(NOW - MIN),
    idleMs: MIN,
    serverTime: new Date(NOW),
    clock: 'server',
    locked: null,
    isCurrent: false,
    partial: null,
    ...over,
  };
}

const summary = (policy: SessionPolicy, sessions: Session[], now?: number) =>
  planPolicy(policy, sessions, now).map((d) => [d.session.id, d.rule, d.action, d.graceMs, d.reason]);

describe('planPolicy', () => {
  it('keeps untrusted clients off and leaves trusted users and trusted ranges alone', () => {
    const policy: SessionPolicy = {
      groups: { admins: ['CONTOSO\\alice', 'contoso\\adm-*'] },
      trust: { users: ['@admins', 'svc-?'], clientAddresses: ['10.0.0.0/8', '2001:db8::/32'] },
      rules: { untrustedClient: { action: 'signOut' } },
    };
    const sessions = [
      session({ id: 2 }),
      session({ id: 3, userName: 'ALICE', clientAddress: '198.51.100.1' }), // trusted user, any client
      session({ id: 4, userName: 'adm-bob', clientAddress: '198.51.100.2' }),
      session({ id: 5, userName: 'svc-1', domain: 'OTHER', clientAddress: '198.51.100.3' }), // 'svc-?' has no domain
      session({ id: 6, userName: 'carol', clientAddress: '10.20.30.40' }),
      session({ id: 7, userName: 'dave', clientAddress: '2001:db8:1::5' }),
      session({ id: 8, userName: 'erin', clientAddress: '::ffff:10.1.1.1' }), // IPv4-mapped counts as IPv4
      session({ id: 10, userName: 'gina', domain: 'FABRIKAM', clientAddress: '2001:db9::1' }),
      session({ id: 11, userName: 'alice', domain: 'FABRIKAM', clientAddress: '198.51.100.5' }), // wrong domain
    ];
    expect(summary(policy, sessions)).toEqual([
      [2, 'untrustedClient', 'signOut', null, 'client 203.0.113.9 (EVE-PC) is not trusted'],
      [10, 'untrustedClient', 'signOut', null, 'client 2001:db9::1 (EVE-PC) is not trusted'],
      [11, 'untrustedClient', 'signOut', null, 'client 198.51.100.5 (EVE-PC) is not trusted'],
    ]);
  });

  it('never judges a client whose address Windows did not give, nor a console session, by the client rule', () => {
    const policy: SessionPolicy = {
      trust: { clientAddresses: ['10.0.0.0/8'] },
      rules: { untrustedClient: { action: 'disconnect' } },
    };
    const refused = {
      infoClass: 'WTSClientInfo' as const,
      errno: 5,
      code: 'ERROR_ACCESS_DENIED',
      fields: ['clientName', 'clientAddress'] as const,
    };
    const sessions = [
      session({ id: 2, clientAddress: null }),
      session({ id: 3, clientAddress: null, clientName: null, partial: [{ ...refused, fields: [...refused.fields] }] }),
      session({ id: 4, protocol: 'console', stationName: 'Console', clientAddress: null, clientName: null }),
      session({ id: 5, protocol: null }),
    ];
    expect(summary(policy, sessions)).toEqual([]);
  });

  it('never lists session 0, a listener, its own session or a session nobody is signed in to', () => {
    const policy: SessionPolicy = { rules: { untrustedUser: { action: 'signOut' } } };
    const sessions = [
      session({ id: 0, stationName: 'Services', userName: 'SYSTEM' }),
      session({ id: 65536, state: 'listen', stationName: 'RDP-Tcp' }),
      session({ id: 2, isCurrent: true }),
      session({ id: 3, userName: null, domain: null }),
      session({ id: 4, userName: 'zoë', domain: 'WORK' }),
    ];
    expect(summary(policy, sessions)).toEqual([[4, 'untrustedUser', 'signOut', null, 'user WORK\\zoë is not trusted']]);
  });

  it('does not act when the domain that decides trust is unknown, but does when a domain-free pattern trusts the user', () => {
    const domainLost = [
      { infoClass: 'WTSDomainName' as const, errno: 5, code: 'ERROR_ACCESS_DENIED', fields: ['domain' as const] },
    ];
    const policy: SessionPolicy = {
      trust: { users: ['CONTOSO\\alice', 'bob'] },
      rules: { untrustedUser: { action: 'signOut' } },
    };
    const sessions = [
      session({ id: 2, userName: 'alice', domain: null, partial: domainLost }), // may be CONTOSO\alice: left alone
      session({ id: 3, userName: 'bob', domain: null, partial: domainLost }), // trusted in any domain
      session({ id: 4, userName: 'mallory', domain: null, partial: domainLost }), // no pattern could trust her
    ];
    expect(summary(policy, sessions)).toEqual([[4, 'untrustedUser', 'signOut', null, 'user mallory is not trusted']]);
  });

  it('judges idle, disconnected and session-length limits on the server clock, console idle only when asked', () => {
    const policy: SessionPolicy = {
      rules: {
        idle: { after: '2h', lockedAfter: '30m', action: 'disconnect' },
        disconnected: { after: '8h', action: 'signOut' },
        sessionLength: { after: '1d', action: 'signOut' },
      },
    };
    const sessions = [
      session({ id: 2, idleMs: 2 * HOUR }),
      session({ id: 3, idleMs: 2 * HOUR - 1 }),
      session({ id: 4, idleMs: 40 * MIN, locked: true }),
      session({ id: 5, idleMs: 40 * MIN, locked: null }), // lock state unknown: only the 2 h limit
      session({ id: 6, idleMs: 5 * HOUR, protocol: 'console', stationName: 'Console', clientAddress: null }),
      session({ id: 7, state: 'disconnected', stationName: '', idleMs: 8 * HOUR }),
      session({ id: 8, state: 'disconnected', stationName: '', idleMs: 7 * HOUR }),
      session({ id: 9, logonTime: new Date(NOW - 25 * HOUR) }),
      // No server clock in the record: the caller's `now` is the only one there is.
      session({ id: 10, logonTime: new Date(NOW - 25 * HOUR), serverTime: null }),
    ];
    // The caller's clock is days off the server's: it is used only where the session carries no server time.
    expect(summary(policy, sessions, NOW - 3 * 24 * HOUR)).toEqual([
      [2, 'idle', 'disconnect', null, 'idle for 2 h (limit 2 h)'],
      [4, 'idle', 'disconnect', null, 'idle for 40 min (limit 30 min) while locked'],
      [7, 'disconnected', 'signOut', null, 'disconnected for 8 h (limit 8 h)'],
      [9, 'sessionLength', 'signOut', null, 'signed in for 1 d 1 h (limit 1 d)'],
    ]);
    const console = { rules: { idle: { after: '2h', action: 'signOut' as const, includeActiveConsole: true } } };
    expect(summary(console, sessions.slice(4, 5)).map((d) => d[0])).toEqual([6]);
    // Never a disconnect of the console, though: Windows Server refuses it and Windows 10 and 11 only lock it (tsdiscon).
    const locks = { rules: { idle: { after: '2h', action: 'disconnect' as const, includeActiveConsole: true } } };
    expect(summary(locks, sessions.slice(4, 5))).toEqual([]);
    // An RDP session over the same limit is disconnected as before.
    expect(summary(locks, sessions.slice(0, 1)).map((d) => [d[0], d[2]])).toEqual([[2, 'disconnect']]);
  });

  it('takes the strongest action of the rules that apply, and says which rules applied', () => {
    const policy: SessionPolicy = {
      rules: {
        untrustedUser: { action: { do: 'warn', message: 'Not yours: {reason}' } },
        untrustedClient: { action: 'disconnect' },
        idle: { after: '1h', action: { do: 'signOut', grace: '5m' } },
      },
    };
    const [busy, idle] = planPolicy(policy, [session({ id: 2 }), session({ id: 3, idleMs: 2 * HOUR })]);
    expect([busy!.rule, busy!.rules, busy!.action]).toEqual([
      'untrustedClient',
      ['untrustedUser', 'untrustedClient'],
      'disconnect',
    ]);
    expect([idle!.rule, idle!.rules, idle!.action, idle!.graceMs]).toEqual([
      'idle',
      ['untrustedUser', 'untrustedClient', 'idle'],
      'signOut',
      5 * MIN,
    ]);
    expect(idle!.message).toBe(
      'This session will be signed out in 5 min (at 10:05 UTC): idle for 2 h (limit 1 h). Save your work now. ' +
        'Pressing OK does not shorten this time.',
    );
    const warnOnly = planPolicy({ rules: { untrustedUser: policy.rules.untrustedUser! } }, [session({ id: 2 })]);
    expect([warnOnly[0]!.action, warnOnly[0]!.message]).toEqual([
      'warn',
      'Not yours: user CONTOSO\\eve is not trusted',
    ]);
  });

  it('fits the action to the session: no warning nor grace for a desktop nobody sees, no second disconnect', () => {
    const policy: SessionPolicy = {
      rules: {
        untrustedUser: { action: { do: 'warn', message: 'hello' } },
        untrustedClient: { action: 'disconnect' },
        sessionLength: { after: '1h', action: { do: 'signOut', grace: '10m', message: 'bye' } },
      },
    };
    const gone = session({ id: 2, state: 'disconnected', stationName: '', logonTime: new Date(NOW - 30 * MIN) });
    const old = session({ id: 3, state: 'disconnected', stationName: '', logonTime: new Date(NOW - 2 * HOUR) });
    expect(summary(policy, [gone, old])).toEqual([
      [3, 'sessionLength', 'signOut', null, 'signed in for 2 h (limit 1 h)'],
    ]);
    expect(planPolicy(policy, [old])[0]!.message).toBeNull();
  });

  it('is a pure function of its input: the same plan twice, the input untouched', () => {
    const policy: SessionPolicy = { rules: { untrustedUser: { action: 'signOut' } } };
    const sessions = [session({ id: 2 }), session({ id: 3, userName: 'x' })];
    const copy = structuredClone(sessions);
    expect(planPolicy(policy, sessions)).toEqual(planPolicy(policy, sessions));
    expect(sessions).toEqual(copy);
  });

  it('judges the client rule by its own facts: ICA counts as remote, a name pattern needs a name, junk is no range', () => {
    const policy: SessionPolicy = {
      trust: { clientAddresses: ['10.0.0.0/8'], clientNames: ['*'] },
      rules: { untrustedClient: { action: 'disconnect' } },
    };
    const sessions = [
      session({ id: 2, protocol: 'ica', clientName: null, clientAddress: '10.1.1.1' }), // no name: '*' cannot match
      session({ id: 3, clientName: null, clientAddress: 'not-an-address' }),
      session({ id: 4, clientAddress: '10.1.1.1' }), // a trusted address and a name: '*' matches it
    ];
    expect(summary(policy, sessions)).toEqual([
      [2, 'untrustedClient', 'disconnect', null, 'client 10.1.1.1 is not trusted'],
      [3, 'untrustedClient', 'disconnect', null, 'client not-an-address is not trusted'],
    ]);
  });

  it('keeps each limit to its own state, and a limit reached exactly applies', () => {
    const policy: SessionPolicy = {
      rules: {
        idle: { after: '1h', action: 'disconnect' },
        disconnected: { after: '1h', action: 'signOut' },
        sessionLength: { after: '2h', action: 'signOut' },
      },
    };
    const gone = { state: 'disconnected' as const, stationName: '' };
    const sessions = [
      session({ id: 2, ...gone, idleMs: 30 * MIN }), // disconnected, not long enough: the idle rule is not for it
      session({ id: 3, idleMs: 5 * HOUR, state: 'idle' }), // not active: no idle rule, not disconnected either
      session({ id: 4, ...gone, idleMs: null }),
      session({ id: 5, logonTime: null, idleMs: 0 }),
      session({ id: 6, logonTime: new Date(NOW - 2 * HOUR), idleMs: 0 }), // exactly 2 h
      session({ id: 7, ...gone, idleMs: HOUR }), // exactly 1 h
    ];
    expect(summary(policy, sessions).map((d) => [d[0], d[1]])).toEqual([
      [6, 'sessionLength'],
      [7, 'disconnected'],
    ]);
  });

  it('uses lockedAfter only for a session known to be locked, and only where a rule has one', () => {
    const noLockLimit: SessionPolicy = { rules: { idle: { after: '2h', action: 'disconnect' } } };
    expect(summary(noLockLimit, [session({ id: 2, idleMs: HOUR, locked: true })])).toEqual([]);
    const lockLimit: SessionPolicy = { rules: { idle: { after: '2h', lockedAfter: '30m', action: 'disconnect' } } };
    expect(summary(lockLimit, [session({ id: 2, idleMs: HOUR, locked: false })])).toEqual([]);
    expect(checkPolicy(lockLimit).needsLockState).toBe(true);
    const mixed = { rules: { ...lockLimit.rules, disconnected: { after: '1h', action: 'signOut' as const } } };
    expect(checkPolicy(mixed).needsLockState).toBe(true);
    expect(checkPolicy(noLockLimit).needsLockState).toBe(false);
  });

  it('cuts a filled-in notice to the 511 UTF-16 units Windows shows, with an ellipsis, and never splits a pair', () => {
    // A user name is the user's to choose (up to 256 characters in WTSUserName): {reason} can outgrow the limit.
    const long = session({ id: 2, userName: 'u'.repeat(200) });
    const written = { do: 'warn' as const, message: `{reason}: ${'x'.repeat(400)}` };
    const [warned] = planPolicy({ rules: { untrustedUser: { action: written } } }, [long]);
    expect(warned!.message).toHaveLength(511);
    expect(warned!.message!.endsWith('x…')).toBe(true);
    expect(warned!.message!.startsWith(`user CONTOSO\\${'u'.repeat(200)}`)).toBe(true);
    // The package's own notice for a grace period is cut the same way.
    const grace = { do: 'signOut' as const, grace: '2m' };
    const [told] = planPolicy({ rules: { untrustedUser: { action: grace } } }, [
      session({ id: 3, userName: 'v'.repeat(256), domain: 'D'.repeat(256) }),
    ]);
    expect(told!.message!.length).toBeLessThanOrEqual(511);
    expect(told!.message!.endsWith('…')).toBe(true);
    // A notice that fits is left as written.
    const [short] = planPolicy({ rules: { untrustedUser: { action: { do: 'warn', message: '{reason}' } } } }, [
      session({ id: 4 }),
    ]);
    expect(short!.message).toBe('user CONTOSO\\eve is not trusted');
    // Where the cut falls after a high surrogate, the whole pair goes.
    const pairs = { do: 'warn' as const, message: `{reason}${'\u{1F600}'.repeat(250)}` };
    const [emoji] = planPolicy({ rules: { untrustedUser: { action: pairs } } }, [session({ id: 5, userName: 'abc' })]);
    const text = emoji!.message!;
    expect(text.endsWith('…')).toBe(true);
    const beforeEllipsis = text.charCodeAt(text.length - 2);
    expect(beforeEllipsis >= 0xd800 && beforeEllipsis <= 0xdbff).toBe(false);
    expect(text.length).toBeLessThanOrEqual(511);
  });

  it('settles a tie between equally strong actions by rule order', () => {
    const policy: SessionPolicy = {
      rules: { untrustedUser: { action: 'signOut' }, idle: { after: '1m', action: 'signOut' } },
    };
    const [d] = planPolicy(policy, [session({ id: 2, idleMs: HOUR })]);
    expect([d!.rule, d!.rules]).toEqual(['untrustedUser', ['untrustedUser', 'idle']]);
  });

  it('rejects what is not a list of sessions or a clock, and takes no clock as none', () => {
    const policy: SessionPolicy = { rules: { untrustedUser: { action: 'signOut' } } };
    expect(() => planPolicy(policy, 'sessions' as never)).toThrow(/^sessions must be an array of sessions/);
    expect(() => planPolicy(policy, [null] as never)).toThrow(TypeError);
    expect(() => planPolicy(policy, [session({ id: 2 }), 3] as never)).toThrow(TypeError);
    expect(() => planPolicy(policy, [], 'now' as never)).toThrow(/^now must be a Date or a number of ms/);
    expect(() => planPolicy(policy, [], Number.NaN)).toThrow(TypeError);
    const length: SessionPolicy = { rules: { sessionLength: { after: '1h', action: 'signOut' } } };
    const clockless = session({ id: 2, serverTime: null, logonTime: new Date(NOW - 2 * HOUR) });
    expect(planPolicy(length, [clockless], null as never)).toEqual([]);
    expect(planPolicy(length, [clockless], new Date(NOW)).map((d) => d.session.id)).toEqual([2]);
  });

  it('trims user patterns and matches them literally apart from * and ?', () => {
    const policy: SessionPolicy = {
      trust: { users: ['  CONTOSO\\eve  ', 'a.b'] },
      rules: { untrustedUser: { action: 'signOut' } },
    };
    expect(
      summary(policy, [
        session({ id: 2 }),
        session({ id: 3, userName: 'axb' }),
        session({ id: 4, userName: 'A.B' }),
      ]).map((d) => d[0]),
    ).toEqual([3]);
  });

  it('names an account as DOMAIN\\user, the user alone without a domain, and nobody as null', () => {
    expect(accountName({ userName: 'eve', domain: 'CONTOSO' })).toBe('CONTOSO\\eve');
    expect(accountName({ userName: 'eve', domain: null })).toBe('eve');
    expect(accountName({ userName: null, domain: 'CONTOSO' })).toBeNull();
  });

  it('says when the next time limit comes due, for the sessions it may still apply to', () => {
    const policy = checkPolicy({
      trust: { users: ['trusted'] },
      rules: {
        idle: { after: '1h', lockedAfter: '20m', action: 'disconnect' },
        disconnected: { after: '2h', action: 'signOut' },
        sessionLength: { after: '10h', action: 'signOut' },
      },
    });
    // By hand: eve is 50 min from the idle limit and 9 h from the length limit; carol 30 min from the
    // disconnected limit; locked frank 5 min from lockedAfter; trusted and over-limit sessions do not count.
    const eve = session({ id: 2, idleMs: 10 * MIN, logonTime: new Date(NOW - HOUR) });
    const carol = session({
      id: 3,
      state: 'disconnected',
      stationName: '',
      idleMs: 90 * MIN,
      logonTime: new Date(NOW - HOUR),
    });
    const frank = session({ id: 4, idleMs: 15 * MIN, locked: true, logonTime: new Date(NOW - HOUR) });
    const trusted = session({ id: 5, userName: 'trusted', idleMs: 59 * MIN + 59_000, logonTime: new Date(NOW - HOUR) });
    const over = session({ id: 6, idleMs: 3 * HOUR, logonTime: new Date(NOW - HOUR) });
    expect(nextLimitIn(policy, [eve], NOW)).toBe(50 * MIN);
    expect(nextLimitIn(policy, [eve, carol], NOW)).toBe(30 * MIN);
    expect(nextLimitIn(policy, [eve, carol, frank, trusted, over], NOW)).toBe(5 * MIN);
    expect(
      nextLimitIn(policy, [session({ id: 7, idleMs: null, logonTime: new Date(NOW - 9 * HOUR - 59 * MIN) })], NOW),
    ).toBe(MIN);
    expect(nextLimitIn(policy, [session({ id: 8, idleMs: null, logonTime: null })], NOW)).toBeNull();
    expect(nextLimitIn(policy, [], NOW)).toBeNull();
  });

  it('counts each time limit only for its own rule and state, and not one already due', () => {
    const only = (rules: SessionPolicy['rules']) => checkPolicy({ rules });
    const idle = only({ idle: { after: '1h', action: 'disconnect' } });
    const disconnected = only({ disconnected: { after: '2h', action: 'signOut' } });
    const length = only({ sessionLength: { after: '1h', action: 'signOut' } });
    // By hand: carol is disconnected 30 min, eve active 10 min idle and signed in 30 min, dan idle exactly 1 h.
    const carol = session({ id: 3, state: 'disconnected', stationName: '', idleMs: 30 * MIN, logonTime: null });
    const eve = session({ id: 2, idleMs: 10 * MIN, logonTime: new Date(NOW - 30 * MIN) });
    const dan = session({ id: 4, idleMs: HOUR, logonTime: null });
    expect(nextLimitIn(idle, [carol], NOW)).toBeNull();
    expect(nextLimitIn(idle, [{ ...eve, idleMs: null }], NOW)).toBeNull();
    expect(nextLimitIn(idle, [dan], NOW)).toBeNull();
    expect(nextLimitIn(disconnected, [eve], NOW)).toBeNull();
    expect(nextLimitIn(disconnected, [{ ...carol, idleMs: null }], NOW)).toBeNull();
    expect(nextLimitIn(disconnected, [carol], NOW)).toBe(90 * MIN);
    expect(nextLimitIn(length, [{ ...eve, idleMs: null }], NOW)).toBe(30 * MIN);
    expect(nextLimitIn(length, [carol, dan], NOW)).toBeNull();
  });
});

describe('planPolicy on sessions it cannot time or read', () => {
  const policy: SessionPolicy = {
    rules: { sessionLength: { after: '1h', action: 'signOut' }, disconnected: { after: '1h', action: 'signOut' } },
  };

  it('never decides on a time it cannot measure: no server time and no now, or no idle time', () => {
    expect(summary(policy, [session({ id: 2, serverTime: null, logonTime: new Date(NOW - 5 * HOUR) })])).toEqual([]);
    const carol = session({ id: 3, state: 'disconnected', stationName: '', idleMs: null, logonTime: null });
    expect(summary(policy, [carol], NOW)).toEqual([]);
  });

  it('rejects what is not a list of sessions, or a bad now, naming it', () => {
    for (const sessions of [null, {}, [null], [1]]) {
      expect(() => planPolicy(policy, sessions as never), JSON.stringify(sessions)).toThrow(
        new TypeError('sessions must be an array of sessions, as listSessions gives them'),
      );
    }
    for (const now of ['2031-05-04', NaN, new Date(Number.NaN)]) {
      expect(() => planPolicy(policy, [], now as never), String(now)).toThrow(
        new TypeError('now must be a Date or a number of ms'),
      );
    }
  });
});
