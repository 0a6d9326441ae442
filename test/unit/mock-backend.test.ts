import { describe, expect, it } from 'vitest';
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
