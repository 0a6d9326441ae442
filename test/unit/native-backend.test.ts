import { describe, expect, it } from 'vitest';
import { WtsError } from '../../lib/errors.js';
import type { Addon } from '../../lib/native/addon.js';
import { createNativeBackend } from '../../lib/native/native-backend.js';
import { ERR_UNSUPPORTED_PLATFORM, loadAddon } from '../../lib/native/load-addon.js';

function win32Error(errno: number, syscall: string, sessionId?: number): Error {
  return Object.assign(new Error('Zugriff verweigert'), { errno, syscall, sessionId });
}

/** An addon whose every function rejects with `error`. */
const failingAddon = (error: Error): Addon => new Proxy({} as Addon, { get: () => () => Promise.reject(error) });

describe('native backend', () => {
  it("turns the addon's Win32 failures into WtsError with the system text and the server", async () => {
    const backend = createNativeBackend(() => failingAddon(win32Error(5, 'WTSLogoffSession', 4)));
    const error = await backend.logoff(4, false, 'ts01').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WtsError);
    expect(error).toMatchObject({
      code: 'ERROR_ACCESS_DENIED',
      errno: 5,
      syscall: 'WTSLogoffSession',
      sessionId: 4,
      server: 'ts01',
    });
    expect((error as Error).message).toContain('Zugriff verweigert');
  });

  it('lets other errors (argument checks, bugs) through unchanged', async () => {
    const typeError = new TypeError('sessionId must be a number');
    const backend = createNativeBackend(() => failingAddon(typeError));
    await expect(backend.listSessions(null)).rejects.toBe(typeError);
  });

  it('passes arguments to the addon exactly', async () => {
    const seen: unknown[][] = [];
    const addon = {
      ...failingAddon(new Error('not used')),
      listSessions: async (...args: unknown[]) => (seen.push(['list', ...args]), { handle: [], length: 0 }),
      getSession: async (...args: unknown[]) => (seen.push(['get', ...args]), null),
      currentSessionId: async () => 7,
      logoff: async (...args: unknown[]) => void seen.push(['logoff', ...args]),
      disconnect: async (...args: unknown[]) => void seen.push(['disconnect', ...args]),
      sendMessage: async (...args: unknown[]) => (seen.push(['message', ...args]), 6),
      listProcesses: async () => [
        { pid: 4, sessionId: 0, name: 'System', userSid: 'S-1-5-18', userName: '', domain: '' },
      ],
    } as Addon;
    const backend = createNativeBackend(() => addon);
    expect(await backend.listSessions('ts01')).toEqual([]);
    expect(await backend.getSession(9, null)).toBeNull();
    expect(await backend.listSessions(null, true)).toEqual([]);
    expect(await backend.getSession(9, 'ts01', true)).toBeNull();
    expect(await backend.currentSessionId()).toBe(7);
    await backend.logoff(3, true, null);
    await backend.disconnect(4, false, 'ts01');
    const request = {
      title: 'T',
      message: 'M',
      buttons: 'yesNo',
      icon: 'question',
      timeoutSeconds: 30,
      wait: true,
    } as const;
    expect(await backend.sendMessage(5, request, null)).toBe('yes');
    expect(await backend.listProcesses(null)).toEqual([
      { pid: 4, sessionId: 0, name: 'System', userSid: 'S-1-5-18', userName: null, domain: null },
    ]);
    expect(seen).toEqual([
      // Concurrency left to the addon (null); lock state not asked unless told.
      ['list', 'ts01', null, false],
      ['get', 9, null, false],
      ['list', null, null, true],
      ['get', 9, 'ts01', true],
      ['logoff', 3, true, null],
      ['disconnect', 4, false, 'ts01'],
      // MB_YESNO (4) | MB_ICONQUESTION (0x20), 30 s, wait.
      ['message', 5, 'T', 'M', 0x24, 30, true, null],
    ]);
  });

  it('takes a large listing from the addon in slices, keeping its order', async () => {
    const raws = Array.from({ length: 150 }, (_, i) => ({
      id: i,
      stationName: '',
      state: 4,
      userName: '',
      domain: '',
      protocol: 0,
      clientName: '',
      clientAddressFamily: 0,
      clientAddress: '',
      connectTime: null,
      disconnectTime: null,
      lastInputTime: null,
      logonTime: null,
      currentTime: null,
      isCurrent: false,
      lockState: -1,
    }));
    const slices: number[][] = [];
    const addon = {
      ...failingAddon(new Error('not used')),
      listSessions: async () => ({ handle: raws, length: raws.length }),
      takeSessions: (handle: unknown, start: number, count: number) => {
        slices.push([start, count]);
        return (handle as typeof raws).slice(start, start + count);
      },
    } as Addon;
    const sessions = await createNativeBackend(() => addon).listSessions(null);
    expect(sessions.map((s) => s.id)).toEqual(raws.map((r) => r.id));
    expect(slices).toEqual([
      [0, 64],
      [64, 64],
      [128, 64],
    ]);
    // A short listing comes back whole from the addon: no slices taken.
    slices.length = 0;
    const inline = { ...addon, listSessions: async () => ({ records: raws.slice(0, 3), length: 3 }) } as Addon;
    expect((await createNativeBackend(() => inline).listSessions(null)).map((s) => s.id)).toEqual([0, 1, 2]);
    expect(slices).toEqual([]);
  });

  it.runIf(process.platform !== 'win32')('fails off Windows with an error that names the mock', async () => {
    expect(() => loadAddon()).toThrow(expect.objectContaining({ code: ERR_UNSUPPORTED_PLATFORM }));
    await expect(createNativeBackend().listSessions(null)).rejects.toThrow(/windows-sessions\/mock/);
  });
});
