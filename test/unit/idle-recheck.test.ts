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

  it('leaves a session that changed hands since the listing: another user, or bob of another domain', async () => {
    const idle = { ...bob, lastInputTime: NOW - 3 * HOUR };
    for (const after of [
      { ...idle, userName: 'eve' },
      { ...idle, domain: 'FABRIKAM' },
      { ...idle, logonTime: NOW - HOUR },
    ]) {
      const { mock, client } = changingAfterListing(idle, after);
      const report = await client.logoffIdle({ idleFor: '2h' });
      expect(
        report.map((r) => [r.sessionId, r.outcome, r.reason]),
        JSON.stringify(after),
      ).toEqual([[2, 'skipped', 'ERR_SESSION_CHANGED']]);
      expect(mock.calls.filter((c) => c.op === 'logoff')).toEqual([]);
    }
  });

  it('signs out a session Windows gave no logon time, and does not wait for it by default', async () => {
    const idle = { ...bob, logonTime: null, lastInputTime: NOW - 3 * HOUR };
    const { mock, client } = changingAfterListing(idle, idle);
    expect((await client.logoffIdle({ idleFor: '2h' })).map((r) => r.outcome)).toEqual(['signedOut']);
    expect(mock.calls.filter((c) => c.op === 'logoff')).toEqual([
      { op: 'logoff', server: null, sessionId: 2, wait: false },
    ]);
  });
});

describe('idle sweep: who is a candidate', () => {
  const seeds: MockSessionSeed[] = [
    { id: 2, stationName: 'RDP-Tcp#2', userName: 'bob', lastInputTime: NOW - 2 * HOUR },
    { id: 3, stationName: 'RDP-Tcp#3', userName: 'carol', lastInputTime: NOW - 2 * HOUR + 1 },
    // No user: an RDP session at its logon screen, idle for long.
    { id: 4, stationName: 'RDP-Tcp#4', userName: null, lastInputTime: NOW - 9 * HOUR },
    { id: 5, stationName: 'RDP-Tcp#5', userName: 'dave', lastInputTime: NOW - 3 * HOUR },
  ];
  const client = () => createClient(createMockBackend({ sessions: seeds, now: () => NOW, currentSessionId: 2 }));

  it('is a signed-in session idle for exactly the limit or longer, longest first', async () => {
    expect((await client().findIdleSessions({ idleFor: '2h' })).map((s) => s.id)).toEqual([5, 2]);
  });

  it('orders sessions idle equally long by id, and never takes one whose idle time is unknown', async () => {
    const tied = createClient(
      createMockBackend({
        sessions: [
          { id: 7, stationName: 'RDP-Tcp#7', userName: 'gina', lastInputTime: NOW - HOUR },
          { id: 6, stationName: 'RDP-Tcp#6', userName: 'fred', lastInputTime: NOW - HOUR },
          // Signed in, but Windows gave no input time: its idle time is unknown, even for a limit of 0.
          { id: 8, stationName: 'RDP-Tcp#8', userName: 'hank', lastInputTime: null },
        ],
        now: () => NOW,
      }),
    );
    expect((await tied.findIdleSessions({ idleFor: '0s' })).map((s) => s.id)).toEqual([6, 7]);
  });

  it('excludes by user name (any case) or by session id; in a dry run too, its own session is skipped', async () => {
    const report = await client().logoffIdle({ idleFor: '1h', exclude: ['CAROL', 5], dryRun: true });
    expect(report.map((r) => [r.sessionId, r.outcome, r.reason])).toEqual([
      [5, 'skipped', 'ERR_EXCLUDED'],
      [2, 'skipped', 'ERR_OWN_SESSION'],
      [3, 'skipped', 'ERR_EXCLUDED'],
    ]);
  });

  it('checks its options, naming the one at fault', async () => {
    const cases: [unknown, ErrorConstructor, string][] = [
      [undefined, TypeError, 'options with idleFor are required'],
      [{ idleFor: 'soon' }, RangeError, 'options.idleFor'],
      [{ idleFor: '1h', includeActiveConsole: 'yes' }, TypeError, 'options.includeActiveConsole'],
      [{ idleFor: '1h', dryRun: 1 }, TypeError, 'options.dryRun'],
      [{ idleFor: '1h', wait: 'no' }, TypeError, 'options.wait'],
      [{ idleFor: '1h', exclude: 'bob' }, TypeError, 'options.exclude must be an array of user names or session ids'],
      [{ idleFor: '1h', exclude: [2.5] }, TypeError, 'options.exclude must hold user names (strings) or session ids'],
      [{ idleFor: '1h', exclude: [null] }, TypeError, 'options.exclude must hold'],
    ];
    for (const [options, Type, message] of cases) {
      const error = await client()
        .logoffIdle(options as never)
        .catch((e: unknown) => e);
      expect(error, JSON.stringify(options)).toBeInstanceOf(Type);
      expect((error as Error).message, JSON.stringify(options)).toContain(message);
    }
    for (const [options, Type, message] of cases.slice(0, 3)) {
      const error = await client()
        .findIdleSessions(options as never)
        .catch((e: unknown) => e);
      expect(error, JSON.stringify(options)).toBeInstanceOf(Type);
      expect((error as Error).message).toContain(message);
    }
  });
});
