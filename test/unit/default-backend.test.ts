import { afterEach, describe, expect, it } from 'vitest';
import { currentSessionId, getSession, listSessions, logoff, resetBackend, setBackend } from '../../lib/index.js';
import { createMockBackend, installMock } from '../../lib/mock/index.js';

afterEach(() => {
  resetBackend();
});

describe('the package-wide backend', () => {
  it('points the top-level functions at an installed mock, and restore() undoes it', async () => {
    const mock = installMock({ sessions: [{ id: 7, userName: 'gus', stationName: 'RDP-Tcp#7' }], currentSessionId: 7 });
    expect((await listSessions()).map((s) => [s.id, s.userName])).toEqual([
      [0, null],
      [7, 'gus'],
      [65536, null],
    ]);
    expect(await currentSessionId()).toBe(7);
    await logoff(7, { wait: true, allowOwnSession: true });
    expect(await getSession(7)).toBeNull();
    expect(mock.calls.map((c) => c.op)).toEqual([
      'listSessions',
      'currentSessionId',
      'getSession',
      'logoff',
      'getSession', // wait: true reads the session again until it is gone
      'getSession',
    ]);
    mock.restore();
    if (process.platform !== 'win32') await expect(listSessions()).rejects.toThrow(/mock/);
  });

  it('nests: restore puts back the previous backend', async () => {
    const outer = createMockBackend({ currentSessionId: 1 });
    const inner = createMockBackend({ currentSessionId: 2 });
    const restoreOuter = setBackend(outer);
    const restoreInner = setBackend(inner);
    expect(await currentSessionId()).toBe(2);
    restoreInner();
    expect(await currentSessionId()).toBe(1);
    restoreOuter();
  });

  it('is one slot for the whole process (shared by the ESM and CommonJS builds)', () => {
    const mock = createMockBackend();
    setBackend(mock);
    const slot = (globalThis as Record<symbol, { backend?: unknown }>)[Symbol.for('windows-sessions.defaultBackend')];
    expect(slot?.backend).toBe(mock);
  });

  it('rejects a value that is not a backend, saying what it expects', () => {
    for (const value of [{}, null, undefined, 'mock', () => undefined, { listSessions: 'x' }]) {
      expect(() => setBackend(value as never), typeof value).toThrow(
        new TypeError('setBackend expects a backend object, such as createMockBackend() from windows-sessions/mock'),
      );
    }
  });

  it('resetBackend drops whatever was installed', () => {
    setBackend(createMockBackend());
    resetBackend();
    const slot = (globalThis as Record<symbol, { backend?: unknown }>)[Symbol.for('windows-sessions.defaultBackend')];
    expect(slot?.backend).toBeUndefined();
  });

  it('rejects bad arguments through the promise, never synchronously', async () => {
    installMock();
    const promise = logoff('1' as never);
    expect(promise).toBeInstanceOf(Promise);
    await expect(promise).rejects.toThrow(TypeError);
  });
});
