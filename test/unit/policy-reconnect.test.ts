// Issue 22, point 5: the running enforcer remembers what it did per connection, so that reconnecting escapes nothing.
import { describe, expect, it } from 'vitest';
import { createClient } from '../../lib/client.js';
import type { PolicyRow, SessionPolicy } from '../../lib/index.js';
import { createMockBackend, type MockSessionSeed, type MockTime } from '../../lib/mock/index.js';

const NOW = Date.UTC(2031, 4, 4, 10, 0, 0);
const HOUR = 3_600_000;

const eve: MockSessionSeed = {
  id: 2,
  stationName: 'RDP-Tcp#2',
  userName: 'eve',
  domain: 'CONTOSO',
  clientName: 'EVE-PC',
  clientAddress: '203.0.113.9',
  logonTime: NOW - HOUR,
  connectTime: NOW - HOUR,
  lastInputTime: NOW - 60_000,
};

/**
 * Runs the enforcer for `checks` checks on eve as `back`, first connected an hour ago. `reconnectAt` lists the checks
 * before which she, if disconnected, comes back as `back` (the same sign-in: same logon time).
 */
async function run(
  policy: SessionPolicy,
  back: MockSessionSeed,
  reconnectAt: number[],
  checks = 10,
  firstConnect: MockTime | undefined = eve.connectTime,
) {
  const first = { ...back, connectTime: firstConnect };
  const mock = createMockBackend({ sessions: [first], currentSessionId: 9, now: () => NOW });
  const backend = Object.create(mock) as typeof mock;
  const stop = new AbortController();
  let check = 0;
  backend.listSessions = async (server, lockState) => {
    if (++check === checks) stop.abort();
    const s = mock.sessions().find((x) => x.id === 2);
    if (reconnectAt.includes(check) && s?.state === 'disconnected') mock.addSession(back);
    return mock.listSessions(server, lockState);
  };
  const rows: PolicyRow[] = [];
  await createClient(backend).runPolicyEnforcer(policy, {
    checkEvery: 1,
    signal: stop.signal,
    onRow: (r) => rows.push(r),
  });
  const ops = mock.calls.filter((c) => ['disconnect', 'logoff', 'sendMessage'].includes(c.op)).map((c) => c.op);
  return { ops, rows };
}

describe('runPolicyEnforcer judges each connection afresh', () => {
  it('disconnects an intruder again who reconnects from the same untrusted address, once per connection', async () => {
    const policy: SessionPolicy = {
      trust: { clientAddresses: ['10.0.0.0/8'] },
      rules: { untrustedClient: { action: 'disconnect' } },
    };
    // Reconnected a minute after the first disconnect: same sign-in, a new connection.
    const { ops } = await run(policy, { ...eve, connectTime: NOW + 60_000 }, [4]);
    expect(ops).toEqual(['disconnect', 'disconnect']);
  });

  it('disconnects again a session that reconnects and then is idle past the limit', async () => {
    const idle: SessionPolicy = { rules: { idle: { after: '1h', action: 'disconnect' } } };
    const idleEve = { ...eve, lastInputTime: NOW - 2 * HOUR };
    const { ops } = await run(idle, { ...idleEve, connectTime: NOW + 60_000 }, [4, 7], 12);
    expect(ops).toEqual(['disconnect', 'disconnect', 'disconnect']);
  });

  it('tells a reconnect without a connect time by the session going from disconnected to active', async () => {
    const policy: SessionPolicy = {
      trust: { clientAddresses: ['10.0.0.0/8'] },
      rules: { untrustedClient: { action: 'disconnect' } },
    };
    const { ops } = await run(policy, { ...eve, connectTime: null }, [4], 10, null);
    expect(ops).toEqual(['disconnect', 'disconnect']);
  });

  it('never shows a grace-period notice twice in one connection: a retry after a failed action acts at once', async () => {
    const mock = createMockBackend({ sessions: [eve], currentSessionId: 9, now: () => NOW });
    mock.fail('logoff', 5, { sessionId: 2, times: 1 });
    const stop = new AbortController();
    const rows: PolicyRow[] = [];
    const graced: SessionPolicy = {
      trust: { clientAddresses: ['10.0.0.0/8'] },
      rules: { untrustedClient: { action: { do: 'signOut', grace: '1s' } } },
    };
    await createClient(mock).runPolicyEnforcer(graced, {
      checkEvery: 1,
      signal: stop.signal,
      onRow: (row) => {
        rows.push(row);
        if (row.outcome === 'signedOut') stop.abort();
      },
    });
    expect(rows.map((r) => [r.outcome, r.answer])).toEqual([
      ['failed', 'timeout'],
      ['signedOut', null],
    ]);
    expect(mock.calls.filter((c) => ['logoff', 'sendMessage'].includes(c.op)).map((c) => c.op)).toEqual([
      'sendMessage',
      'logoff',
      'logoff',
    ]);
  });
});
