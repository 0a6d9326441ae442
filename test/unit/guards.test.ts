// The checks every sign-out and disconnect passes (lib/ops/guards.ts), stated case by case: which sessions are
// refused, with which code, and in which words, since "say clearly why it refused" is part of the behaviour.
import { describe, expect, it } from 'vitest';
import type { Backend } from '../../lib/backend.js';
import { SessionRefusedError } from '../../lib/errors.js';
import { checkGuard, guardedSession, refusal, sameSignIn, type Guard } from '../../lib/ops/guards.js';
import type { Session } from '../../lib/types.js';

const LOGON = Date.UTC(2031, 0, 2, 9, 30);

/** bob over RDP, active, idle for 2 h: a session no check refuses. */
function session(overrides: Partial<Session> = {}): Session {
  return {
    id: 2,
    stationName: 'RDP-Tcp#2',
    state: 'active',
    userName: 'bob',
    domain: 'CONTOSO',
    clientName: 'LAPTOP',
    clientAddress: '10.0.0.7',
    protocol: 'rdp',
    logonTime: new Date(LOGON),
    connectTime: new Date(LOGON),
    disconnectTime: null,
    lastInputTime: new Date(LOGON),
    idleMs: 2 * 3_600_000,
    serverTime: new Date(LOGON + 2 * 3_600_000),
    clock: 'server',
    locked: null,
    isCurrent: false,
    partial: null,
    ...overrides,
  };
}

const guard = (overrides: Partial<Guard> = {}): Guard => ({ ...checkGuard({}), ...overrides });

/** [code, detail] of the refusal, or null. */
function refused(s: Session, g: Guard): [string, string] | null {
  const error = refusal(s, g, null);
  return error && [error.code, error.detail];
}

describe('refusal: the sessions nobody acts on unless told to', () => {
  it('refuses session 0, a listener and its own session, each with its code and what to pass', () => {
    expect(refused(session({ id: 0, stationName: 'Services', userName: null }), guard())).toEqual([
      'ERR_SERVICES_SESSION',
      'session 0 runs the services; pass allowServicesSession: true to act on it',
    ]);
    expect(refused(session({ id: 65536, state: 'listen', stationName: 'RDP-Tcp' }), guard())).toEqual([
      'ERR_LISTENER_SESSION',
      'RDP-Tcp is a listener; pass allowListener: true',
    ]);
    expect(refused(session({ id: 65537, state: 'listen', stationName: '' }), guard())).toEqual([
      'ERR_LISTENER_SESSION',
      'it is a listener; pass allowListener: true',
    ]);
    expect(refused(session({ isCurrent: true }), guard())).toEqual([
      'ERR_OWN_SESSION',
      'it is the session this process runs in; pass allowOwnSession: true',
    ]);
  });

  it('acts on them when allowed, and on an ordinary session without being told', () => {
    expect(refused(session({ id: 0, userName: null }), guard({ allowServicesSession: true }))).toBeNull();
    expect(refused(session({ state: 'listen' }), guard({ allowListener: true }))).toBeNull();
    expect(refused(session({ isCurrent: true }), guard({ allowOwnSession: true }))).toBeNull();
    expect(refused(session(), guard())).toBeNull();
  });

  it('names the server in the error it makes', () => {
    expect(refusal(session({ isCurrent: true }), guard(), 'ts01')).toMatchObject({ sessionId: 2, server: 'ts01' });
  });
});

describe('refusal: expect, the sign-in the caller means', () => {
  it('compares user and domain without regard to case', () => {
    expect(refused(session(), guard({ expect: { userName: 'BOB', domain: 'contoso' } }))).toBeNull();
  });

  it('refuses another user, or a user where none was expected, saying what it found', () => {
    expect(refused(session(), guard({ expect: { userName: 'eve' } }))).toEqual([
      'ERR_SESSION_CHANGED',
      'expected user eve, found bob',
    ]);
    expect(refused(session(), guard({ expect: { userName: null } }))).toEqual([
      'ERR_SESSION_CHANGED',
      'expected user none, found bob',
    ]);
    expect(refused(session({ userName: null }), guard({ expect: { userName: 'bob' } }))).toEqual([
      'ERR_SESSION_CHANGED',
      'expected user bob, found no user',
    ]);
    expect(refused(session({ userName: null }), guard({ expect: { userName: null } }))).toBeNull();
  });

  it('refuses another domain, or none where one was expected', () => {
    expect(refused(session(), guard({ expect: { domain: 'FABRIKAM' } }))).toEqual([
      'ERR_SESSION_CHANGED',
      'expected domain FABRIKAM, found CONTOSO',
    ]);
    expect(refused(session({ domain: null }), guard({ expect: { domain: 'CONTOSO' } }))).toEqual([
      'ERR_SESSION_CHANGED',
      'expected domain CONTOSO, found none',
    ]);
    expect(refused(session(), guard({ expect: { domain: null } }))).toEqual([
      'ERR_SESSION_CHANGED',
      'expected domain none, found CONTOSO',
    ]);
  });

  it('refuses another logon time, including none at all', () => {
    const iso = new Date(LOGON).toISOString();
    expect(refused(session(), guard({ expect: { logonTime: LOGON } }))).toBeNull();
    expect(refused(session(), guard({ expect: { logonTime: LOGON - 1000 } }))).toEqual([
      'ERR_SESSION_CHANGED',
      `expected logon at ${new Date(LOGON - 1000).toISOString()}, found ${iso}`,
    ]);
    expect(refused(session(), guard({ expect: { logonTime: null } }))).toEqual([
      'ERR_SESSION_CHANGED',
      `expected logon time none, found ${iso}`,
    ]);
    expect(refused(session({ logonTime: null }), guard({ expect: { logonTime: LOGON } }))).toEqual([
      'ERR_SESSION_CHANGED',
      `expected logon at ${iso}, found none`,
    ]);
    expect(refused(session({ logonTime: null }), guard({ expect: { logonTime: null } }))).toBeNull();
  });
});

describe('refusal: still idle, for idle sweeps', () => {
  const stillIdle = { idleFor: 3_600_000, includeActiveConsole: false };

  it('refuses a session idle for less than asked, in seconds, or whose idle time is unknown', () => {
    expect(refused(session({ idleMs: 59_999 }), guard({ stillIdle: { ...stillIdle, idleFor: 60_000 } }))).toEqual([
      'ERR_NOT_IDLE',
      'idle for 59 s now, less than 60 s',
    ]);
    expect(refused(session({ idleMs: null }), guard({ stillIdle }))).toEqual([
      'ERR_NOT_IDLE',
      'idle for an unknown time now, less than 3600 s',
    ]);
    expect(refused(session({ idleMs: 3_600_000 }), guard({ stillIdle }))).toBeNull();
  });

  it('refuses an active console session, whose idle time is not trusted, unless the caller accepts it', () => {
    const console = session({ stationName: 'Console', protocol: 'console' });
    expect(refused(console, guard({ stillIdle }))).toEqual([
      'ERR_NOT_IDLE',
      'it is an active console session, whose idle time is not trusted',
    ]);
    expect(refused(console, guard({ stillIdle: { ...stillIdle, includeActiveConsole: true } }))).toBeNull();
    // Accepted, but not idle long enough: the reason is the time, not the console.
    expect(
      refused({ ...console, idleMs: 1000 }, guard({ stillIdle: { ...stillIdle, includeActiveConsole: true } })),
    ).toEqual(['ERR_NOT_IDLE', 'idle for 1 s now, less than 3600 s']);
    expect(refused({ ...console, state: 'disconnected' }, guard({ stillIdle }))).toBeNull();
  });
});

describe('checkGuard: the guard options', () => {
  it('takes a logon time as a Date, ms or null, and nothing else', () => {
    expect(checkGuard({}).expect).toEqual({ userName: undefined, domain: undefined, logonTime: undefined });
    expect(checkGuard({ expect: { logonTime: new Date(LOGON) } }).expect.logonTime).toBe(LOGON);
    expect(checkGuard({ expect: { logonTime: LOGON } }).expect.logonTime).toBe(LOGON);
    expect(checkGuard({ expect: { logonTime: null } }).expect.logonTime).toBeNull();
    for (const bad of [Number.NaN, Infinity, 'yesterday', new Date(Number.NaN)]) {
      expect(() => checkGuard({ expect: { logonTime: bad as never } }), String(bad)).toThrow(
        new TypeError('options.expect.logonTime must be a Date, a number of ms, or null'),
      );
    }
  });

  it('names the option at fault', () => {
    const cases: [unknown, string][] = [
      [{ expect: 'bob' }, 'options.expect'],
      [{ expect: { userName: 5 } }, 'options.expect.userName must be a string or null'],
      [{ expect: { domain: 5 } }, 'options.expect.domain must be a string or null'],
      [{ allowOwnSession: 'yes' }, 'options.allowOwnSession must be a boolean'],
      [{ allowServicesSession: 1 }, 'options.allowServicesSession must be a boolean'],
      [{ allowListener: 'no' }, 'options.allowListener must be a boolean'],
    ];
    for (const [options, message] of cases) {
      expect(() => checkGuard(options as never), message).toThrow(TypeError);
      expect(() => checkGuard(options as never), message).toThrow(message);
    }
    expect(checkGuard({ allowOwnSession: true, allowServicesSession: true, allowListener: true })).toMatchObject({
      allowOwnSession: true,
      allowServicesSession: true,
      allowListener: true,
    });
  });
});

describe('sameSignIn: two reads of the same sign-in', () => {
  it('is the same user (any case, same domain) with the same logon time', () => {
    expect(sameSignIn(session(), session({ userName: 'BOB', domain: 'contoso' }))).toBe(true);
    expect(sameSignIn(session({ userName: null }), session({ userName: null }))).toBe(true);
    expect(sameSignIn(session({ logonTime: null }), session({ logonTime: null }))).toBe(true);
    // No domain and an empty one read the same.
    expect(sameSignIn(session({ domain: null }), session({ domain: '' }))).toBe(true);
  });

  it('is not another user, another domain, a user where there was none, or another logon', () => {
    expect(sameSignIn(session(), session({ userName: 'eve' }))).toBe(false);
    expect(sameSignIn(session(), session({ domain: 'FABRIKAM' }))).toBe(false);
    expect(sameSignIn(session({ userName: null }), session())).toBe(false);
    expect(sameSignIn(session(), session({ userName: null }))).toBe(false);
    expect(sameSignIn(session(), session({ logonTime: new Date(LOGON + 1) }))).toBe(false);
    expect(sameSignIn(session(), session({ logonTime: null }))).toBe(false);
    expect(sameSignIn(session({ logonTime: null }), session())).toBe(false);
  });
});

describe('guardedSession: read again, then judged', () => {
  function backendWith(found: Session | null, asked: unknown[][]): Backend {
    return {
      getSession: (...args: unknown[]) => {
        asked.push(args);
        return Promise.resolve(found);
      },
    } as unknown as Backend;
  }

  it('asks for the lock state only when told to, and refuses a session that is gone', async () => {
    const asked: unknown[][] = [];
    await guardedSession(backendWith(session(), asked), 2, null, guard());
    await guardedSession(backendWith(session(), asked), 2, 'ts01', guard(), true);
    expect(asked).toEqual([
      [2, null, false],
      [2, 'ts01', true],
    ]);
    const gone = await guardedSession(backendWith(null, asked), 7, 'ts01', guard()).catch((e: unknown) => e);
    expect(gone).toBeInstanceOf(SessionRefusedError);
    expect(gone).toMatchObject({
      code: 'ERR_SESSION_NOT_FOUND',
      sessionId: 7,
      server: 'ts01',
      detail: 'there is no such session',
    });
  });

  it('rejects with the refusal, and resolves to the session when none applies', async () => {
    const mine = session({ isCurrent: true });
    await expect(guardedSession(backendWith(mine, []), 2, null, guard())).rejects.toMatchObject({
      code: 'ERR_OWN_SESSION',
    });
    await expect(guardedSession(backendWith(session(), []), 2, null, guard())).resolves.toEqual(session());
  });
});
