import { describe, expect, it, vi } from 'vitest';
import { createClient } from '../../lib/client.js';
import { WtsError } from '../../lib/errors.js';
import { createMockBackend, demoSessions } from '../../lib/mock/index.js';

describe('mock backend', () => {
  it('starts with a demo server: services, console, RDP, disconnected and a listener', async () => {
    const sessions = await createMockBackend().listSessions(null);
    expect(sessions.map((s) => [s.id, s.stationName, s.state, s.userName])).toEqual([
      [0, 'Services', 'disconnected', null],
      [1, 'Console', 'active', 'alice'],
      [2, 'RDP-Tcp#2', 'active', 'bob'],
      [3, '', 'disconnected', 'carol'],
      [65536, 'RDP-Tcp', 'listen', null],
    ]);
    expect(sessions.filter((s) => s.isCurrent).map((s) => s.id)).toEqual([1]);
    expect(demoSessions(0)).toHaveLength(5);
  });

  it('fills seed defaults and adds the system sessions unless told not to', async () => {
    const mock = createMockBackend({ sessions: [{ id: 5, userName: 'eve' }] });
    const [services, eve, listener] = await mock.listSessions(null);
    expect(services?.id).toBe(0);
    expect(listener?.state).toBe('listen');
    expect(eve).toMatchObject({ id: 5, state: 'active', domain: 'WORKGROUP', protocol: 'rdp', stationName: '' });
    const bare = createMockBackend({ sessions: [{ id: 5 }], systemSessions: false });
    expect((await bare.listSessions(null)).map((s) => s.id)).toEqual([5]);
  });

  it('rejects bad seeds where they are written', () => {
    expect(() => createMockBackend({ sessions: [{ id: -1 }] })).toThrow(RangeError);
    expect(() => createMockBackend({ sessions: [{ id: 1, state: 'sleeping' as never }] })).toThrow(RangeError);
    expect(() => createMockBackend({ sessions: [{ id: 1, logonTime: 'yesterday' as never }] })).toThrow(TypeError);
  });

  it('fails as often as told, then works again', async () => {
    const mock = createMockBackend();
    mock.fail('logoff', 5, { times: 2 });
    await expect(mock.logoff(2, false, null)).rejects.toBeInstanceOf(WtsError);
    await expect(mock.logoff(2, false, null)).rejects.toMatchObject({ code: 'ERROR_ACCESS_DENIED' });
    await mock.logoff(2, false, null);
    expect(mock.sessions().map((s) => s.id)).not.toContain(2);
  });

  it('scopes failures to a session and a server', async () => {
    const mock = createMockBackend({ servers: { TS01: [{ id: 4, userName: 'x' }] } });
    mock.fail('getSession', 1460, { sessionId: 4, server: 'ts01' });
    expect(await mock.getSession(4, null)).toBeNull();
    await expect(mock.getSession(4, 'TS01')).rejects.toMatchObject({ code: 'ERROR_TIMEOUT', server: 'TS01' });
    expect(await mock.getSession(4, 'ts01')).toMatchObject({ userName: 'x', isCurrent: false });
  });

  it('hands out copies: changing a result does not change the mock', async () => {
    const mock = createMockBackend();
    const [first] = await mock.listSessions(null);
    first!.userName = 'mallory';
    expect((await mock.getSession(0, null))?.userName).toBeNull();
  });

  it('reset() brings back the seeded sessions and forgets calls and failures', async () => {
    const mock = createMockBackend();
    mock.fail('listSessions', 5);
    await mock.logoff(2, false, null);
    mock.reset();
    expect(mock.calls).toEqual([]);
    expect((await mock.listSessions(null)).map((s) => s.id)).toContain(2);
  });

  it('settles asynchronously, after the given latency', async () => {
    const mock = createMockBackend({ latencyMs: 30 });
    let settled = false;
    const promise = mock.currentSessionId().then(() => (settled = true));
    await new Promise((r) => setTimeout(r, 5));
    expect(settled).toBe(false);
    await promise;
    expect(settled).toBe(true);
  });

  it('rejects a scripted failure it cannot represent', () => {
    const mock = createMockBackend();
    expect(() => {
      mock.fail('reboot' as never, 5);
    }).toThrow(RangeError);
    expect(() => {
      mock.fail('logoff', 0);
    }).toThrow(RangeError);
  });
});

describe('the mock in a dependant test suite', () => {
  it('works under fake timers without advancing them', async () => {
    vi.useFakeTimers();
    try {
      const mock = createMockBackend();
      const client = createClient(mock);
      expect((await client.listSessions()).map((s) => s.id)).toEqual([0, 1, 2, 3, 65536]);
      expect((await client.logoff(2)).outcome).toBe('signedOut');
    } finally {
      vi.useRealTimers();
    }
  });

  it('onCall changes the state between calls: a session that changes hands while its user is asked', async () => {
    const mock = createMockBackend({
      onCall: (call, m) => {
        // The question goes out, and meanwhile bob signs off and erin signs on to session 2.
        if (call.op === 'sendMessage') m.addSession({ id: 2, userName: 'erin', stationName: 'RDP-Tcp#2' });
      },
    });
    mock.answer(2, 'yes');
    const client = createClient(mock);
    await expect(client.logoff(2, { ask: { message: 'Sign out?' } })).rejects.toMatchObject({
      code: 'ERR_SESSION_CHANGED',
    });
    expect(mock.calls.filter((c) => c.op === 'logoff')).toEqual([]);
  });

  it('an answer later than the box timeout is a timeout, as on Windows', async () => {
    const mock = createMockBackend();
    mock.answer(2, 'yes', { delayMs: 1500 });
    const client = createClient(mock);
    expect(await client.sendMessage(2, { message: 'Still there?', timeoutSeconds: 1 })).toBe('timeout');
    mock.answer(2, 'yes', { delayMs: 10 });
    expect(await client.sendMessage(2, { message: 'Still there?', timeoutSeconds: 1 })).toBe('yes');
  });

  it('lets the current session be set', async () => {
    const mock = createMockBackend();
    mock.setCurrentSessionId(2);
    expect(await createClient(mock).currentSessionId()).toBe(2);
  });
  it('a watch on a host it does not know opens, then fails its first wait with 1722, as Windows does', async () => {
    const mock = createMockBackend({ servers: { ts01: [] } });
    const watch = await mock.watchEvents('nosuch');
    const error = (await watch.next(['logon']).catch((e: unknown) => e)) as WtsError;
    expect(error).toBeInstanceOf(WtsError);
    expect([error.errno, error.code, error.syscall, error.server]).toEqual([
      1722,
      'RPC_S_SERVER_UNAVAILABLE',
      'WTSWaitSystemEvent',
      'nosuch',
    ]);
    await watch.close();
    expect(await watch.next(['logon'])).toEqual([]); // closed: ends, as a flushed wait does
    // Through the package: the loop rejects at once instead of waiting for ever; a known host still waits.
    const loop = createClient(mock).watchSessions({ server: 'NOSUCH' });
    await expect(loop.next()).rejects.toMatchObject({ code: 'RPC_S_SERVER_UNAVAILABLE', server: 'NOSUCH' });
  });

  it("an event's user session without a logon time keeps the one it had, or signs in at the event", async () => {
    let now = Date.parse('2031-01-02T10:00:00Z');
    const mock = createMockBackend({
      now: () => now,
      sessions: [{ id: 4, userName: 'dave', logonTime: Date.parse('2031-01-02T08:00:00Z') }],
      events: [
        { types: ['disconnect'], change: { set: [{ id: 4, userName: 'DAVE', state: 'disconnected' }] } },
        { types: ['logon'], change: { set: [{ id: 6, userName: 'frank' }, { id: 7 }] } },
      ],
    });
    const watch = await mock.watchEvents(null);
    await watch.next(['disconnect']);
    now = Date.parse('2031-01-02T11:00:00Z');
    await watch.next(['logon']);
    await watch.close();
    const logons = (await mock.listSessions(null)).map((s) => [s.id, s.logonTime?.toISOString() ?? null]);
    expect(logons).toEqual([
      [0, null],
      [4, '2031-01-02T08:00:00.000Z'],
      [6, '2031-01-02T11:00:00.000Z'],
      [7, null],
      [65536, null],
    ]);
  });
});

describe('the mock on real time: a grace period can be rehearsed, and nobody waits for an answer nobody wants', () => {
  const box = { title: 'T', message: 'M', buttons: 'ok', icon: 'none', timeoutSeconds: 2, wait: true } as const;
  const settledWithin = async (promise: Promise<unknown>, ms: number) => {
    let settled = false;
    void promise.then(() => (settled = true));
    await vi.advanceTimersByTimeAsync(ms);
    return settled;
  };

  it('an unanswered box stays up for its time-out, as on Windows; by default it times out at once', async () => {
    vi.useFakeTimers();
    try {
      const real = createMockBackend({ sessions: [{ id: 2, userName: 'eve' }], realTime: true });
      const answer = real.sendMessage(2, box, null);
      expect(await settledWithin(answer, 1999)).toBe(false);
      expect(await settledWithin(answer, 1)).toBe(true);
      expect(await answer).toBe('timeout');
      const instant = createMockBackend({ sessions: [{ id: 2, userName: 'eve' }] });
      expect(await settledWithin(instant.sendMessage(2, box, null), 0)).toBe(true);
    } finally {
      vi.useRealTimers();
    }
  });

  it('stops waiting at once when the caller does, for a scripted late answer and for none at all', async () => {
    vi.useFakeTimers();
    try {
      const mock = createMockBackend({ sessions: [{ id: 2, userName: 'eve' }], realTime: true });
      mock.answer(2, 'ok', { delayMs: 100_000 });
      for (const request of [
        { ...box, timeoutSeconds: 0 },
        { ...box, timeoutSeconds: 0 },
      ]) {
        const controller = new AbortController();
        const answer = mock.sendMessage(2, request, null, controller.signal);
        expect(await settledWithin(answer, 5000)).toBe(false);
        controller.abort();
        expect(await settledWithin(answer, 0)).toBe(true);
      }
      expect(vi.getTimerCount()).toBe(0); // nothing left to hold a process open
    } finally {
      vi.useRealTimers();
    }
  });
});
