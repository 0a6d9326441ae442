// The mock's own rules, each stated here from how Windows (or the addon) behaves: what a scripted failure names,
// how hosts and seeds are read, and how its event watches and message boxes time things.
import { describe, expect, it } from 'vitest';
import { WtsError } from '../../lib/errors.js';
import { createMockBackend, type MockBackend } from '../../lib/mock/index.js';

const request = { title: 'T', message: 'M', buttons: 'okCancel', icon: 'none', timeoutSeconds: 0, wait: true } as const;
const rejection = (p: Promise<unknown>) =>
  p.then(
    () => 'resolved',
    (e: unknown) => e,
  ) as Promise<WtsError>;
const fields = (e: WtsError) => [e.code, e.syscall, e.server ?? null, e.sessionId ?? null];

describe('mock failures name the WTS function each operation calls', () => {
  it('gives each operation the syscall the addon reports', async () => {
    const mock = createMockBackend({ sessions: [{ id: 2, userName: 'bob' }], servers: { 'ts01.test': [] } });
    const table: [Promise<unknown>, string][] = [];
    mock.fail('currentSessionId', 5);
    table.push([mock.currentSessionId(), 'ProcessIdToSessionId']);
    mock.fail('watchEvents', 5);
    table.push([mock.watchEvents(null), 'WTSWaitSystemEvent']);
    mock.fail('getSession', 5, { sessionId: 2 });
    table.push([mock.getSession(2, null), 'WTSQuerySessionInformationW']);
    mock.fail('openServer', 1722, { server: 'ts01.test' });
    table.push([mock.watchEvents('ts01.test'), 'WTSOpenServerW']);
    for (const [pending, syscall] of table) expect((await rejection(pending)).syscall).toBe(syscall);
  });

  it('opens only a remote host: an openServer failure never hits this machine', async () => {
    const mock = createMockBackend({ sessions: [{ id: 2, userName: 'bob' }] });
    mock.fail('openServer', 1722, { times: Infinity });
    expect((await mock.listSessions(null)).map((s) => s.id)).toEqual([0, 2, 65536]);
  });

  it('answers a missing session with the errors Windows gives', async () => {
    const mock = createMockBackend({ sessions: [{ id: 2, userName: 'bob' }] });
    expect(fields(await rejection(mock.disconnect(7, false, null)))).toEqual([
      'ERROR_CTX_WINSTATION_NOT_FOUND',
      'WTSDisconnectSession',
      null,
      7,
    ]);
    // getSession of a missing session: null, also when a "session ended" error is scripted; another error rejects.
    expect(await mock.getSession(7, null)).toBeNull();
    mock.fail('getSession', 7022, { sessionId: 7 });
    expect(await mock.getSession(7, null)).toBeNull();
    mock.fail('getSession', 5, { sessionId: 7 });
    expect(fields(await rejection(mock.getSession(7, null)))).toEqual([
      'ERROR_ACCESS_DENIED',
      'WTSQuerySessionInformationW',
      null,
      7,
    ]);
    mock.fail('getSession', 1722, { sessionId: 2 });
    expect(fields(await rejection(mock.getSession(2, null)))[0]).toBe('RPC_S_SERVER_UNAVAILABLE');
  });

  it('checks what it is asked to script, with messages that say what is wrong', () => {
    const mock = createMockBackend();
    expect(() => {
      mock.fail('shutdown' as never, 5);
    }).toThrow(new RangeError('unknown mock operation: shutdown'));
    expect(() => {
      mock.fail('logoff', 1.5);
    }).toThrow(new RangeError('errno must be a positive integer'));
    expect(() => {
      mock.fail('listSessions', 5, { infoClass: 'WTSIdleTime' as never });
    }).toThrow(
      /^unknown infoClass: WTSIdleTime; known: WTSSessionInfo, WTSUserName, WTSDomainName, WTSClientProtocolType, WTSClientInfo, WTSClientAddress, WTSSessionInfoEx$/,
    );
  });

  it('fails exactly `times` matching calls, then none; a failure for one info class leaves the others', async () => {
    const mock = createMockBackend({ sessions: [{ id: 2, userName: 'bob', stationName: 'RDP-Tcp#2' }] });
    mock.fail('logoff', 5, { sessionId: 2, times: 2 });
    expect((await rejection(mock.logoff(2, false, null))).code).toBe('ERROR_ACCESS_DENIED');
    expect((await rejection(mock.logoff(2, false, null))).code).toBe('ERROR_ACCESS_DENIED');
    await mock.logoff(2, false, null);
    mock.addSession({ id: 2, userName: 'bob', stationName: 'RDP-Tcp#2' });
    mock.fail('listSessions', 5, { sessionId: 2, infoClass: 'WTSClientInfo' });
    const [bob] = (await mock.listSessions(null)).filter((s) => s.id === 2);
    expect(bob!.partial?.map((p) => p.infoClass)).toEqual(['WTSClientInfo']);
    expect(bob!.userName).toBe('bob');
    expect((await mock.listSessions(null)).find((s) => s.id === 2)!.partial).toBeNull();
  });
});

describe('mock hosts and sessions', () => {
  it('matches host names without regard to case, as Windows name resolution does', async () => {
    const mock = createMockBackend({ sessions: [], servers: { 'TS01.Test': [{ id: 3, userName: 'eve' }] } });
    expect((await mock.listSessions('ts01.TEST')).map((s) => s.id)).toEqual([0, 3, 65536]);
    mock.addSession({ id: 4, userName: 'dan' }, 'ts01.test');
    expect(mock.sessions('TS01.TEST').map((s) => s.id)).toEqual([0, 3, 4, 65536]);
    mock.addSession({ id: 5, userName: 'fay' }, 'new.test');
    expect(mock.sessions('NEW.test').map((s) => s.id)).toEqual([5]);
  });

  it('keeps sessions in id order, whatever order they were seeded in, and hands out copies', () => {
    const mock = createMockBackend({ sessions: [{ id: 9 }, { id: 3 }, { id: 12 }], systemSessions: false });
    const listed = mock.sessions();
    expect(listed.map((s) => s.id)).toEqual([3, 9, 12]);
    listed[0]!.userName = 'changed';
    expect(mock.sessions()[0]!.userName).toBeNull();
    expect(mock.sessions('nowhere.test')).toEqual([]);
  });

  it('says whether a removed session was there', () => {
    const mock = createMockBackend({ sessions: [{ id: 3 }] });
    expect([mock.removeSession(3), mock.removeSession(3), mock.removeSession(3, 'nowhere.test')]).toEqual([
      true,
      false,
      false,
    ]);
  });

  it('shows no remote client for a console session, whatever was seeded', async () => {
    const mock = createMockBackend({
      sessions: [
        { id: 1, stationName: 'Console', userName: 'a', clientName: 'X', clientAddress: '192.0.2.1' },
        { id: 2, stationName: 'RDP-Tcp#2', userName: 'b', clientName: 'Y', clientAddress: '192.0.2.2' },
      ],
    });
    const clients = (await mock.listSessions(null)).map((s) => [s.id, s.protocol, s.clientName, s.clientAddress]);
    expect(clients).toEqual([
      [0, 'console', null, null],
      [1, 'console', null, null],
      [2, 'rdp', 'Y', '192.0.2.2'],
      [65536, 'rdp', null, null],
    ]);
  });

  it('reads no lock state unless asked', async () => {
    const mock = createMockBackend({ sessions: [{ id: 2, userName: 'b', locked: true }] });
    expect((await mock.listSessions(null)).find((s) => s.id === 2)!.locked).toBeNull();
    expect((await mock.getSession(2, null))!.locked).toBeNull();
    expect((await mock.getSession(2, null, true))!.locked).toBe(true);
  });

  it('is named mock', () => {
    expect(createMockBackend().name).toBe('mock');
  });
});

describe('mock seeds', () => {
  it('defaults the protocol from the station: console for Console and Services, RDP otherwise', () => {
    const mock = createMockBackend({
      sessions: [
        { id: 1, stationName: 'Console' },
        { id: 2, stationName: 'Services' },
        { id: 3, stationName: 'RDP-Tcp#3' },
        { id: 4 },
        { id: 5, stationName: 'Console', protocol: 'ica' },
      ],
      systemSessions: false,
    });
    expect(mock.sessions().map((s) => s.protocol)).toEqual(['console', 'console', 'rdp', 'rdp', 'ica']);
  });

  it('names the bad field of a bad seed', () => {
    const make = (seed: unknown) => () => createMockBackend({ sessions: [seed as never] });
    expect(make(null)).toThrow(new TypeError('a mock session seed must be an object'));
    expect(make('x')).toThrow(new TypeError('a mock session seed must be an object'));
    expect(make({ id: -1 })).toThrow(/^mock session id must be an integer/);
    expect(make({ id: 2, state: 'sleeping' })).toThrow(new RangeError('mock session 2: unknown state sleeping'));
    expect(make({ id: 2, locked: 'yes' })).toThrow(new TypeError('mock session 2: locked must be a boolean or null'));
    for (const field of ['logonTime', 'connectTime', 'disconnectTime', 'lastInputTime']) {
      for (const value of ['2031-01-01', NaN, Infinity, new Date(Number.NaN)]) {
        expect(make({ id: 2, [field]: value }), `${field} ${String(value)}`).toThrow(
          new TypeError(`mock session ${field} must be a Date, a number or null`),
        );
      }
    }
  });
});

describe('mock message boxes', () => {
  it('forgets scripted answers on reset', async () => {
    const mock = createMockBackend({ sessions: [{ id: 2, userName: 'bob' }] });
    mock.answer(2, 'ok');
    mock.reset();
    expect(await mock.sendMessage(2, request, null)).toBe('timeout');
  });

  it('gives an answer to the session and server it was scripted for only', async () => {
    const mock = createMockBackend({
      sessions: [
        { id: 2, userName: 'b' },
        { id: 3, userName: 'c' },
      ],
      servers: { 'ts01.test': [{ id: 2, userName: 'r' }] },
    });
    mock.answer(2, 'cancel', { server: 'TS01.test' });
    expect(await mock.sendMessage(2, request, null)).toBe('timeout');
    expect(await mock.sendMessage(3, request, null)).toBe('timeout');
    expect(await mock.sendMessage(2, request, 'ts01.test')).toBe('cancel');
  });

  it('an answer given exactly at the box timeout is still the answer', async () => {
    const mock = createMockBackend({ sessions: [{ id: 2, userName: 'b' }] });
    mock.answer(2, 'ok', { delayMs: 1000 });
    expect(await mock.sendMessage(2, { ...request, timeoutSeconds: 1 }, null)).toBe('ok');
  });

  it('waits for a delayed answer, and answers at once without a delay', async () => {
    const mock = createMockBackend({ sessions: [{ id: 2, userName: 'b' }] });
    mock.answer(2, 'ok', { delayMs: 80 });
    let started = Date.now();
    expect(await mock.sendMessage(2, request, null)).toBe('ok');
    expect(Date.now() - started).toBeGreaterThanOrEqual(70);
    mock.answer(2, 'cancel');
    started = Date.now();
    let settledInTurn = false;
    const answered = mock.sendMessage(2, request, null).then((a) => ((settledInTurn = true), a));
    await new Promise((r) => setTimeout(r, 0));
    expect([settledInTurn, await answered]).toEqual([true, 'cancel']);
  });
});

describe('mock event watches', () => {
  const next = (mock: MockBackend, server: string | null = null) =>
    mock.watchEvents(server).then((w) => w.next(['logon', 'logoff']).finally(() => w.close()));

  it('delivers an event of a server named in any case, applying its change', async () => {
    const mock = createMockBackend({
      sessions: [{ id: 2, userName: 'b' }],
      servers: { 'ts01.test': [{ id: 3, userName: 'c' }] },
    });
    mock.emitEvent({ types: ['logoff'], server: 'TS01.Test', change: { remove: [3] } });
    expect(await next(mock, 'ts01.test')).toEqual(['logoff']);
    expect(mock.sessions('ts01.test').map((s) => s.id)).toEqual([0, 65536]);
    mock.emitEvent({ types: ['logon'], change: { set: [{ id: 4, userName: 'd' }] } });
    expect(await next(mock)).toEqual(['logon']);
    expect(mock.sessions().map((s) => s.id)).toEqual([0, 2, 4, 65536]);
  });

  it('skips an event of no wanted type, and gives the next one', async () => {
    const mock = createMockBackend({ sessions: [] });
    mock.emitEvent({ types: ['connect'] });
    mock.emitEvent({ types: ['logon', 'connect'] });
    expect(await next(mock)).toEqual(['logon']);
  });

  it('lets an event happen delayMs into the wait, not before', async () => {
    const mock = createMockBackend({ sessions: [] });
    mock.emitEvent({ types: ['logon'], delayMs: 80 });
    const started = Date.now();
    expect(await next(mock)).toEqual(['logon']);
    expect(Date.now() - started).toBeGreaterThanOrEqual(70);
  });

  it('wakes a waiting watch for an event emitted later, and a closed watch gives no events', async () => {
    const mock = createMockBackend({ sessions: [] });
    const watch = await mock.watchEvents(null);
    const pending = watch.next(['logon']);
    setTimeout(() => {
      mock.emitEvent({ types: ['logon'] });
    }, 20);
    expect(await pending).toEqual(['logon']);
    await watch.close();
    mock.emitEvent({ types: ['logon'] });
    expect(await watch.next(['logon'])).toEqual([]);
  });

  it('ends a wait that is sleeping until a delayed event when the watch closes', async () => {
    const mock = createMockBackend({ sessions: [] });
    mock.emitEvent({ types: ['logon'], delayMs: 60_000 });
    const watch = await mock.watchEvents(null);
    const pending = watch.next(['logon']);
    await new Promise((r) => setTimeout(r, 10));
    await watch.close();
    expect(await pending).toEqual([]);
  });

  it('reset closes open watches and forgets events', async () => {
    const mock = createMockBackend({ sessions: [] });
    const watch = await mock.watchEvents(null);
    const pending = watch.next(['logon']);
    mock.emitEvent({ types: ['logon'], delayMs: 60_000 });
    mock.reset();
    expect(await pending).toEqual([]);
    const fresh = await mock.watchEvents(null);
    const waited = fresh.next(['logon']);
    const timeout = new Promise((r) =>
      setTimeout(() => {
        r('still waiting');
      }, 50),
    );
    expect(await Promise.race([waited, timeout])).toBe('still waiting');
    await fresh.close();
  });
});
