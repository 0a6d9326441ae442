import { describe, expect, it } from 'vitest';
import { createClient } from '../../lib/client.js';
import { createMockBackend, type MockSessionSeed } from '../../lib/mock/index.js';

const NOW = Date.UTC(2031, 4, 4, 10, 0, 0);
const HOUR = 3_600_000;

/**
 * A mock whose session changes right after the sweep lists it, as when its user comes back between the listing and
 * the sign-out: the sweep must read it again and leave it alone.
 */
function changingAfterListing(before: MockSessionSeed, after: MockSessionSeed) {
  const mock = createMockBackend({ sessions: [before], now: () => NOW, currentSessionId: 9 });
  const backend = Object.create(mock) as typeof mock;
  backend.listSessions = async (server) => {
    const listed = await mock.listSessions(server);
    mock.addSession(after);
    return listed;
  };
  return { mock, client: createClient(backend) };
}

describe('idle sweep: the session is read again just before it is signed out', () => {
  const bob = { id: 2, stationName: 'RDP-Tcp#2', userName: 'bob', domain: 'CONTOSO', logonTime: NOW - 5 * HOUR };

  it('leaves a user who came back since the listing (ERR_NOT_IDLE)', async () => {
    const { mock, client } = changingAfterListing(
      { ...bob, lastInputTime: NOW - 3 * HOUR },
      { ...bob, lastInputTime: NOW - 5_000 },
    );
    const report = await client.logoffIdle({ idleFor: '2h' });
    expect(report.map((r) => [r.sessionId, r.outcome, r.reason])).toEqual([[2, 'skipped', 'ERR_NOT_IDLE']]);
    expect(mock.calls.filter((c) => c.op === 'logoff')).toEqual([]);
  });

  it('leaves a disconnected console session that was reconnected (now active at the console)', async () => {
    const carol = { id: 1, stationName: 'Console', userName: 'carol', domain: 'CONTOSO', logonTime: NOW - 9 * HOUR };
    const { mock, client } = changingAfterListing(
      { ...carol, state: 'disconnected', disconnectTime: NOW - 4 * HOUR, lastInputTime: NOW - 4 * HOUR },
      { ...carol, state: 'active', lastInputTime: NOW - 4 * HOUR }, // LastInputTime stale, as the console's can be
    );
    const report = await client.logoffIdle({ idleFor: '2h' });
    expect(report.map((r) => [r.sessionId, r.outcome, r.reason])).toEqual([[1, 'skipped', 'ERR_NOT_IDLE']]);
    expect(mock.calls.filter((c) => c.op === 'logoff')).toEqual([]);
    // Opted in, the same session is judged by its idle time, which is still long enough.
    const again = changingAfterListing(
      { ...carol, state: 'disconnected', disconnectTime: NOW - 4 * HOUR, lastInputTime: NOW - 4 * HOUR },
      { ...carol, state: 'active', lastInputTime: NOW - 4 * HOUR },
    );
    const opted = await again.client.logoffIdle({ idleFor: '2h', includeActiveConsole: true });
    expect(opted.map((r) => [r.sessionId, r.outcome])).toEqual([[1, 'signedOut']]);
  });

  it('still signs out a session that stayed idle', async () => {
    const idle = { ...bob, lastInputTime: NOW - 3 * HOUR };
    const { mock, client } = changingAfterListing(idle, idle);
    expect((await client.logoffIdle({ idleFor: '2h' })).map((r) => r.outcome)).toEqual(['signedOut']);
    expect(mock.calls.filter((c) => c.op === 'logoff').map((c) => c.sessionId)).toEqual([2]);
  });
});
