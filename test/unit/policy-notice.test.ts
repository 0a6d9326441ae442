// Issue 22, point 10: every duration in a notice reads as one, and {user}, {reason}, {grace}, {deadline} are filled.
import { describe, expect, it } from 'vitest';
import { planPolicy, type Session, type SessionPolicy } from '../../lib/index.js';

const NOW = Date.UTC(2031, 4, 4, 10, 0, 0);

function eve(over: Partial<Session> = {}): Session {
  return {
    id: 2,
    stationName: 'RDP-Tcp#2',
    state: 'active',
    userName: 'eve',
    domain: 'CONTOSO',
    clientName: 'EVE-PC',
    clientAddress: '203.0.113.9',
    protocol: 'rdp',
    logonTime: new Date(NOW - 3_600_000),
    connectTime: new Date(NOW - 3_600_000),
    disconnectTime: null,
    lastInputTime: new Date(NOW - 45_000),
    idleMs: 45_000,
    serverTime: new Date(NOW),
    clock: 'server',
    locked: null,
    isCurrent: false,
    partial: null,
    ...over,
  };
}
const notice = (action: object, session = eve(), now?: number) =>
  planPolicy({ rules: { untrustedUser: { action: { do: 'signOut', ...action } } } }, [session], now)[0]!.message;

describe('grace-period notices', () => {
  it('say a grace under a minute in seconds, never "."', () => {
    expect(notice({ grace: '30s' })).toBe(
      'This session will be signed out in 30 s (at 10:00 UTC): user CONTOSO\\eve is not trusted. Save your work now. ' +
        'Pressing OK does not shorten this time.',
    );
    expect(notice({ grace: '90s', message: '{grace}' })).toBe('1 min 30 s');
  });

  it('fill {user}, {reason}, {grace} and {deadline}, and leave any other braces as written', () => {
    const message = 'Hello {user}: {reason}. Signed out in {grace}, {deadline}. {unknown} stays.';
    expect(notice({ grace: '90s', message })).toBe(
      'Hello CONTOSO\\eve: user CONTOSO\\eve is not trusted. Signed out in 1 min 30 s, at 10:01 UTC. {unknown} stays.',
    );
  });

  it('fill each placeholder once: a user named "{grace}" is not filled in again', () => {
    expect(notice({ grace: '1m', message: '{user} / {grace}' }, eve({ userName: '{grace}' }))).toBe(
      'CONTOSO\\{grace} / 1 min',
    );
  });

  it('say "in" the grace period for {deadline} when no clock is known', () => {
    const clockless = eve({ serverTime: null });
    expect(notice({ grace: '2h', message: 'Out {deadline}.' }, clockless)).toBe('Out in 2 h.');
    expect(notice({ grace: '2h', message: 'Out {deadline}.' }, clockless, NOW + 60_000)).toBe('Out at 12:01 UTC.');
  });

  it('still cut a notice that {user} made too long to 511 UTF-16 units, with an ellipsis', () => {
    const long = notice({ grace: '1m', message: `${'x'.repeat(490)} {user}` }, eve({ userName: 'u'.repeat(20) }));
    expect([long?.length, long?.endsWith('uuu…')]).toEqual([511, true]);
  });
});

describe('reasons', () => {
  it('say a limit under a minute in seconds, and minutes with their seconds', () => {
    const policy: SessionPolicy = { rules: { idle: { after: '30s', action: 'disconnect' } } };
    expect(planPolicy(policy, [eve({ idleMs: 95_000 })])[0]!.reason).toBe('idle for 1 min 35 s (limit 30 s)');
  });
});
