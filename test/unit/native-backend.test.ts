import { describe, expect, it } from 'vitest';
import { WtsError } from '../../lib/errors.js';
import type { Addon } from '../../lib/native/addon.js';
import { createNativeBackend } from '../../lib/native/native-backend.js';
import { ERR_UNSUPPORTED_PLATFORM, loadAddon } from '../../lib/native/load-addon.js';
import type { RawSession } from '../../lib/native/addon.js';
import { ID_ANSWERS, MB_BUTTONS, MB_ICONS, WTS_CONNECTSTATE, WTS_EVENT } from '../helpers/win32-tables.js';
import type { MessageAnswer, MessageButtons, MessageIcon } from '../../lib/types.js';

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
    const raws = Array.from({ length: 150 }, (_, i) => rawSession(i));
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

  it('yields to the event loop between slices, not before the first', async () => {
    const raws = Array.from({ length: 150 }, (_, i) => rawSession(i));
    const log: string[] = [];
    const addon = {
      ...failingAddon(new Error('not used')),
      listSessions: async () => {
        setImmediate(() => log.push('event loop'));
        return { handle: raws, length: raws.length };
      },
      takeSessions: (_handle: unknown, start: number, count: number) => {
        log.push(`take ${start}`);
        return raws.slice(start, start + count);
      },
    } as Addon;
    await createNativeBackend(() => addon).listSessions(null);
    expect(log).toEqual(['take 0', 'event loop', 'take 64', 'take 128']);
  });

  it('reads one session into a Session, and calls itself native', async () => {
    const addon = {
      ...failingAddon(new Error('not used')),
      getSession: async () => ({ ...rawSession(3), userName: 'dan', state: WTS_CONNECTSTATE.active }),
    } as Addon;
    const backend = createNativeBackend(() => addon);
    expect(backend.name).toBe('native');
    expect(await backend.getSession(3, null)).toMatchObject({ id: 3, userName: 'dan', state: 'active' });
  });

  it('passes through a rejection that is not a Win32 failure: no errno, no syscall, or nothing at all', async () => {
    for (const reason of [
      Object.assign(new Error('a'), { syscall: 'WTSLogoffSession' }),
      Object.assign(new Error('b'), { errno: 5 }),
      Object.assign(new Error('c'), { errno: '5', syscall: 'WTSLogoffSession' }),
      Object.assign(new Error('d'), { errno: 5, syscall: 42 }),
      null,
    ]) {
      const backend = createNativeBackend(() => failingAddon(reason as Error));
      const error: unknown = await backend.logoff(2, false, null).catch((e: unknown) => e);
      expect(error).toBe(reason);
    }
  });

  describe('messages', () => {
    /** A backend whose WTSSendMessageW answers `response` and records the style it was given. */
    function messaging(response: number) {
      const styles: number[] = [];
      const addon = {
        ...failingAddon(new Error('not used')),
        sendMessage: async (_id: number, _t: string, _m: string, style: number) => (styles.push(style), response),
      } as Addon;
      return { backend: createNativeBackend(() => addon), styles };
    }
    const request = (buttons: MessageButtons, icon: MessageIcon) =>
      ({ title: 'T', message: 'M', buttons, icon, timeoutSeconds: 5, wait: true }) as const;

    it('sends each button set and icon as its MB_* style', async () => {
      for (const [buttons, mb] of Object.entries(MB_BUTTONS) as [MessageButtons, number][]) {
        for (const [icon, mbIcon] of Object.entries(MB_ICONS) as [MessageIcon, number][]) {
          const { backend, styles } = messaging(ID_ANSWERS.ok);
          await backend.sendMessage(2, request(buttons, icon), null);
          expect(styles, `${buttons} ${icon}`).toEqual([mb | mbIcon]);
        }
      }
    });

    it('reads each ID* response as its answer, 0 as a time-out (Cassia: 2008 R2), and refuses an unknown one', async () => {
      for (const [answer, code] of [...Object.entries(ID_ANSWERS), ['timeout', 0]] as [MessageAnswer, number][]) {
        const { backend } = messaging(code);
        expect(await backend.sendMessage(2, request('ok', 'none'), null), String(code)).toBe(answer);
      }
      for (const code of [8, 9, 12, 31999, 32002, -1]) {
        const { backend } = messaging(code);
        await expect(backend.sendMessage(2, request('ok', 'none'), null), String(code)).rejects.toThrow(
          new RangeError(`WTSSendMessageW returned an unknown response ${code}`),
        );
      }
    });
  });

  describe('event watches', () => {
    /** An addon whose waits return the queued flags in turn, then wait until the watch is closed. */
    function watchingAddon(flags: number[]) {
      const calls: unknown[][] = [];
      let release: ((flags: number) => void) | undefined;
      const addon = {
        ...failingAddon(new Error('not used')),
        openWatch: async (server: string | null) => (calls.push(['open', server]), 11),
        waitEvent: (id: number, mask: number) => {
          calls.push(['wait', id, mask]);
          const next = flags.shift();
          if (next !== undefined) return Promise.resolve(next);
          return new Promise<number>((resolve) => (release = resolve));
        },
        closeWatch: async (id: number) => {
          calls.push(['close', id]);
          release?.(0);
        },
      };
      return { addon, calls };
    }

    it('waits with the WTS_EVENT mask of the types asked for, and reports them in order', async () => {
      const { addon, calls } = watchingAddon([WTS_EVENT.logon | WTS_EVENT.connect | WTS_EVENT.license]);
      const watch = await createNativeBackend(() => addon).watchEvents('ts01');
      expect(await watch.next(['logon', 'connect'])).toEqual(['connect', 'logon']);
      expect(calls).toEqual([
        ['open', 'ts01'],
        ['wait', 11, WTS_EVENT.logon | WTS_EVENT.connect],
      ]);
    });

    it('waits again when a wait ends with none of its types (another watch flushed the shared handle)', async () => {
      const { addon, calls } = watchingAddon([0, WTS_EVENT.license, WTS_EVENT.logoff]);
      const watch = await createNativeBackend(() => addon).watchEvents(null);
      expect(await watch.next(['logoff'])).toEqual(['logoff']);
      expect(calls.filter((c) => c[0] === 'wait')).toHaveLength(3);
    });

    it('ends a pending wait with no events when closed, closes once, and returns no events after', async () => {
      const { addon, calls } = watchingAddon([]);
      const watch = await createNativeBackend(() => addon).watchEvents(null);
      const pending = watch.next(['logon']);
      await new Promise((r) => setImmediate(r));
      const closing = watch.close();
      expect(watch.close()).toBe(closing);
      await closing;
      expect(await pending).toEqual([]);
      expect(await watch.next(['logon'])).toEqual([]);
      expect(calls.filter((c) => c[0] === 'close')).toEqual([['close', 11]]);
    });

    it('turns a failed wait into a WtsError naming the server', async () => {
      const addon = {
        ...failingAddon(new Error('not used')),
        openWatch: async () => 11,
        waitEvent: () => Promise.reject(win32Error(1722, 'WTSWaitSystemEvent')),
      } as Addon;
      const watch = await createNativeBackend(() => addon).watchEvents('ts01');
      await expect(watch.next(['logon'])).rejects.toMatchObject({
        code: 'RPC_S_SERVER_UNAVAILABLE',
        syscall: 'WTSWaitSystemEvent',
        server: 'ts01',
      });
    });
  });

  it.runIf(process.platform !== 'win32')('fails off Windows with an error that names the mock', async () => {
    expect(() => loadAddon()).toThrow(expect.objectContaining({ code: ERR_UNSUPPORTED_PLATFORM }));
    await expect(createNativeBackend().listSessions(null)).rejects.toThrow(/windows-sessions\/mock/);
  });
});

function rawSession(id: number): RawSession {
  return {
    id,
    stationName: '',
    state: WTS_CONNECTSTATE.disconnected,
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
  };
}
