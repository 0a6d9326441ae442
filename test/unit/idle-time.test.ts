import { describe, expect, it } from 'vitest';
import { idleMs } from '../../lib/idle-time.js';

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
