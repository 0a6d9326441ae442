import { describe, expect, it } from 'vitest';
import { msToFileTime } from '../../lib/filetime.js';
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
    connectTime: msToFileTime(now - 7000),
    disconnectTime: 0n,
    lastInputTime: msToFileTime(now - 2000),
    logonTime: msToFileTime(now - 9000),
    currentTime: msToFileTime(now),
    isCurrent: false,
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
      isCurrent: false,
    });
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
    const s = toSession(raw({ state: 4, disconnectTime: msToFileTime(now - 500) }));
    expect(s.idleMs).toBe(500);
    expect(s.disconnectTime).toEqual(new Date(now - 500));
  });
});
