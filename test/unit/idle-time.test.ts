import { describe, expect, it } from 'vitest';
import { idleMs, idleTimeUntrusted, isIdleFor } from '../../lib/idle-time.js';
import type { Session } from '../../lib/types.js';

describe('idleMs', () => {
  const now = 1_000_000;
  it('is the time since the last input on the server clock', () => {
    expect(idleMs({ state: 'active', lastInputMs: now - 4000, disconnectMs: null, serverNowMs: now })).toBe(4000);
  });
  it('counts a disconnected session from its disconnect', () => {
    expect(idleMs({ state: 'disconnected', lastInputMs: now - 9000, disconnectMs: now - 3000, serverNowMs: now })).toBe(
      3000,
    );
    expect(idleMs({ state: 'disconnected', lastInputMs: now - 9000, disconnectMs: null, serverNowMs: now })).toBe(9000);
  });
  it('ignores a disconnect time on a session that is active again', () => {
    expect(idleMs({ state: 'active', lastInputMs: now - 10, disconnectMs: now - 3000, serverNowMs: now })).toBe(10);
  });
  it('is null without the times it needs, and never negative', () => {
    expect(idleMs({ state: 'active', lastInputMs: null, disconnectMs: null, serverNowMs: now })).toBeNull();
    expect(idleMs({ state: 'active', lastInputMs: now, disconnectMs: null, serverNowMs: null })).toBeNull();
    expect(idleMs({ state: 'active', lastInputMs: now + 500, disconnectMs: null, serverNowMs: now })).toBe(0);
  });
});

describe('idleTimeUntrusted and isIdleFor', () => {
  const at = (over: Partial<Session>) =>
    ({ state: 'active', protocol: 'rdp', stationName: 'RDP-Tcp#2', idleMs: 2 * 3_600_000, ...over }) as Session;

  it('distrusts the idle time of an active console session, known by its protocol or by its station', () => {
    // Cassia #23: the console's LastInputTime can stay stale while its user works.
    const table: [Partial<Session>, boolean][] = [
      [{ protocol: 'console', stationName: 'Console' }, true],
      [{ protocol: 'console', stationName: '' }, true],
      [{ protocol: null, stationName: 'Console' }, true],
      [{ protocol: 'rdp', stationName: 'RDP-Tcp#2' }, false],
      [{ protocol: null, stationName: '' }, false],
      [{ state: 'disconnected', protocol: 'console', stationName: 'Console' }, false],
    ];
    for (const [over, untrusted] of table) expect(idleTimeUntrusted(at(over)), JSON.stringify(over)).toBe(untrusted);
  });

  it('counts a session idle from the limit on, the active console only when asked', () => {
    expect(isIdleFor(at({ idleMs: 3_600_000 }), 3_600_000, false)).toBe(true);
    expect(isIdleFor(at({ idleMs: 3_599_999 }), 3_600_000, false)).toBe(false);
    expect(isIdleFor(at({ idleMs: null }), 0, true)).toBe(false);
    const console = at({ protocol: 'console', stationName: 'Console' });
    expect([isIdleFor(console, 1000, false), isIdleFor(console, 1000, true)]).toEqual([false, true]);
  });
});
