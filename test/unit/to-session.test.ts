import { describe, expect, it } from 'vitest';
import type { RawSession } from '../../lib/native/addon.js';
import { toSession } from '../../lib/native/to-session.js';

const now = Date.UTC(2031, 0, 2, 3, 4, 5);

function raw(partial: Partial<RawSession>): RawSession {
  return {
    id: 5,
    stationName: 'RDP-Tcp#5',
    state: 0,
    userName: 'erin',
    domain: 'CONTOSO',
    protocol: 2,
    clientName: 'ERIN-PC',
    clientAddressFamily: 2,
    clientAddress: '10.1.2.3',
    // Times as the addon gives them: ms since 1970 (native/file_time.h converts the FILETIMEs), null for none.
    connectTime: now - 7000,
    disconnectTime: null,
    lastInputTime: now - 2000,
    logonTime: now - 9000,
    currentTime: now,
    isCurrent: false,
    lockState: -1,
    ...partial,
  };
}

describe('toSession (addon record to Session)', () => {
  it('converts every field', () => {
    expect(toSession(raw({}))).toEqual({
      id: 5,
      stationName: 'RDP-Tcp#5',
      state: 'active',
      userName: 'erin',
      domain: 'CONTOSO',
      clientName: 'ERIN-PC',
      clientAddress: '10.1.2.3',
      protocol: 'rdp',
      logonTime: new Date(now - 9000),
      connectTime: new Date(now - 7000),
      disconnectTime: null,
      lastInputTime: new Date(now - 2000),
      idleMs: 2000,
      serverTime: new Date(now),
      clock: 'server',
      locked: null,
      isCurrent: false,
      partial: null,
    });
  });

  it('reads the lock state the addon gives: -1 unknown, 0 unlocked, 1 locked; a refused query leaves it null', () => {
    expect([-1, 0, 1, 2].map((lockState) => toSession(raw({ lockState })).locked)).toEqual([null, false, true, null]);
    // 25 is WTSSessionInfoEx in wtsapi32.h.
    const refused = toSession(raw({ lockState: -1, failures: [{ infoClass: 25, errno: 5 }] }));
    expect(refused.partial).toEqual([
      { infoClass: 'WTSSessionInfoEx', errno: 5, code: 'ERROR_ACCESS_DENIED', fields: ['locked'] },
    ]);
    expect([refused.userName, refused.locked]).toEqual(['erin', null]);
  });

  it('lists the queries Windows refused in partial, with the fields each left null', () => {
    // WTS_INFO_CLASS numbers from wtsapi32.h: 23 WTSClientInfo, 5 WTSUserName, 24 WTSSessionInfo.
    const client = toSession(raw({ clientName: '', clientAddressFamily: 0, failures: [{ infoClass: 23, errno: 5 }] }));
    expect(client.partial).toEqual([
      { infoClass: 'WTSClientInfo', errno: 5, code: 'ERROR_ACCESS_DENIED', fields: ['clientName', 'clientAddress'] },
    ]);
    expect([client.userName, client.clientName, client.clientAddress]).toEqual(['erin', null, null]);
    // 7 WTSDomainName, 14 WTSClientAddress, 16 WTSClientProtocolType, each with the fields it fills.
    const details = toSession(
      raw({
        domain: '',
        clientAddressFamily: 0,
        protocol: -1,
        failures: [7, 16, 14].map((infoClass) => ({ infoClass, errno: 5 })),
      }),
    );
    expect(details.partial?.map((p) => [p.infoClass, p.fields])).toEqual([
      ['WTSDomainName', ['domain']],
      ['WTSClientProtocolType', ['protocol']],
      ['WTSClientAddress', ['clientAddress']],
    ]);
    expect([details.domain, details.protocol, details.clientAddress]).toEqual([null, null, null]);
    const user = toSession(raw({ userName: '', failures: [{ infoClass: 5, errno: 1722 }] }));
    expect(user.partial?.[0]).toMatchObject({ infoClass: 'WTSUserName', code: 'RPC_S_SERVER_UNAVAILABLE' });
    expect([user.userName, user.domain]).toEqual([null, null]);
    // The session query failed: only the enumeration's id, station and state are left.
    const bare = toSession(raw({ failures: [{ infoClass: 24, errno: 87 }] }));
    expect(bare).toMatchObject({ id: 5, stationName: 'RDP-Tcp#5', state: 'active', isCurrent: false });
    expect([bare.userName, bare.logonTime, bare.idleMs, bare.protocol, bare.clientAddress]).toEqual([
      null,
      null,
      null,
      null,
      null,
    ]);
    // A class this code does not know counts as the session query: nothing is trusted.
    expect(toSession(raw({ failures: [{ infoClass: 99, errno: 5 }] })).userName).toBeNull();
  });

  it('maps every WTS_CONNECTSTATE_CLASS value, in order', () => {
    const states = Array.from({ length: 10 }, (_, i) => toSession(raw({ state: i })).state);
    expect(states).toEqual([
      'active',
      'connected',
      'connectQuery',
      'shadow',
      'disconnected',
      'idle',
      'listen',
      'reset',
      'down',
      'init',
    ]);
  });

  it('maps protocols and the lack of one', () => {
    expect([0, 1, 2, -1, 7].map((p) => toSession(raw({ protocol: p })).protocol)).toEqual([
      'console',
      'ica',
      'rdp',
      null,
      null,
    ]);
  });

  it('gives null user, domain and client when Windows reports empty strings', () => {
    const s = toSession(raw({ userName: '', domain: 'IGNORED', clientName: '', clientAddressFamily: 0 }));
    expect([s.userName, s.domain, s.clientName, s.clientAddress]).toEqual([null, null, null, null]);
  });

  it('counts a disconnected session idle from its disconnect, on the server clock', () => {
    const s = toSession(raw({ state: 4, disconnectTime: now - 500 }));
    expect(s.idleMs).toBe(500);
    expect(s.disconnectTime).toEqual(new Date(now - 500));
  });

  describe('a remote host: durations on its own clock (NetRemoteTOD), whoever filled CurrentTime', () => {
    const MIN = 60_000;
    // The caller's clock 30 ms before the read, 10 ms before and after NetRemoteTOD, and 500 ms later at its end.
    const reading = (remote: number | null, errno = 0) => ({
      start: now - 30,
      before: now - 10,
      after: now + 10,
      end: now + 500,
      remote,
      errno,
    });
    const timed = (currentTime: number, clock: ReturnType<typeof reading>, callerClock = false) => {
      const s = toSession(raw({ currentTime, lastInputTime: now - 2 * MIN }), clock, callerClock);
      return [s.serverTime?.getTime() ?? null, s.idleMs, s.clock];
    };

    it('moves a CurrentTime the caller filled (Windows Server 2008 and later) onto the host clock', () => {
      // The host runs 5 minutes ahead; its last input is stamped on its clock, 2 minutes before the caller's now.
      expect(timed(now + 200, reading(now + 5 * MIN))).toEqual([now + 200 + 5 * MIN, 7 * MIN + 200, 'server']);
      // Behind by a day.
      expect(timed(now, reading(now - 24 * 60 * MIN))).toEqual([now - 24 * 60 * MIN, 0, 'server']);
    });

    it("keeps a CurrentTime that is the host's own (Windows Server 2003)", () => {
      expect(timed(now + 5 * MIN + 300, reading(now + 5 * MIN))).toEqual([
        now + 5 * MIN + 300,
        7 * MIN + 300,
        'server',
      ]);
    });

    it('leaves durations unknown when the host clock cannot be read, or CurrentTime fits neither clock', () => {
      // 53: ERROR_BAD_NETPATH, as NetRemoteTOD can fail for a host it cannot reach.
      expect(timed(now, reading(null, 53))).toEqual([null, null, null]);
      expect(timed(now + 60 * MIN, reading(now + 5 * MIN))).toEqual([null, null, null]);
      // Unless the caller accepts its own clock: CurrentTime as given.
      expect(timed(now, reading(null, 53), true)).toEqual([now, 2 * MIN, 'caller']);
      expect(timed(now + 60 * MIN, reading(now + 5 * MIN), true)).toEqual([now + 60 * MIN, 62 * MIN, 'caller']);
      // A host clock that was read is used, whatever the caller accepts.
      expect(timed(now, reading(now + 5 * MIN), true)).toEqual([now + 5 * MIN, 7 * MIN, 'server']);
    });

    it('takes the remote clock the addon attached to a record of getSession', () => {
      const s = toSession(raw({ currentTime: now, remoteClock: reading(now + 3 * MIN) }));
      expect([s.serverTime?.getTime(), s.idleMs, s.clock]).toEqual([now + 3 * MIN, 3 * MIN + 2000, 'server']);
    });
  });
});
