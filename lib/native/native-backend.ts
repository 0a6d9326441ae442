import { cpus } from 'node:os';
import { keepAliveWhile, raceAbort } from '../abort.js';
import type { Backend, EventWatch } from '../backend.js';
import { WtsError } from '../errors.js';
import { eventMask, eventTypes } from '../event-flags.js';
import { messageAnswer, messageStyle } from '../message-codes.js';
import { SESSION_STATES, type ProcessInfo, type Session } from '../types.js';
import type { Addon, RawProcess, RawSession, RawSessionList, RawWin32Error } from './addon.js';
import { loadAddon } from './load-addon.js';
import { toSession as rawToSession } from './to-session.js';

/** Turns the addon's Win32 failure into a {@link WtsError}; anything else (a bug) passes through unchanged. */
export function toWtsError(error: unknown, server: string | null): unknown {
  const raw = error as Partial<RawWin32Error> | null;
  if (raw && typeof raw.errno === 'number' && typeof raw.syscall === 'string') {
    return new WtsError({
      errno: raw.errno,
      syscall: raw.syscall,
      sessionId: raw.sessionId,
      server,
      description: raw.message,
    });
  }
  return error;
}

const orNull = (text: string) => (text === '' ? null : text);

/**
 * Records turned into objects per slice; between slices the event loop runs (10,000 sessions at once stalled it).
 * 64 keeps each slice, taking and converting, near 1 ms under Wine (npm run bench: 'main-thread stretch').
 */
const SLICE = 64;

async function takeAll(addon: Addon, list: RawSessionList, callerClock: boolean): Promise<Session[]> {
  const toSession = (raw: RawSession) => rawToSession(raw, list.remoteClock, callerClock);
  if (list.records) return list.records.map(toSession);
  const sessions: Session[] = [];
  for (let start = 0; start < list.length; start += SLICE) {
    if (start > 0) await new Promise((resolve) => setImmediate(resolve));
    for (const raw of addon.takeSessions(list.handle, start, SLICE)) sessions.push(toSession(raw));
  }
  return sessions;
}

function toProcess(p: RawProcess): ProcessInfo {
  const process: ProcessInfo = {
    pid: p.pid,
    name: p.name,
    sessionId: p.sessionId,
    userName: orNull(p.userName),
    domain: orNull(p.domain),
    userSid: orNull(p.userSid),
  };
  if (p.workingSetBytes === undefined) return process;
  const usage = {
    workingSetBytes: p.workingSetBytes,
    pagefileBytes: p.pagefileBytes ?? 0,
    handles: p.handles ?? 0,
    threads: p.threads ?? 0,
    userTimeMs: p.userTimeMs ?? 0,
    kernelTimeMs: p.kernelTimeMs ?? 0,
  };
  return { ...process, usage };
}

/**
 * A watch over the addon's event functions: idempotent close, and the process kept alive only while waiting. A
 * close ends a pending `next` at once, without waiting for the native wait to return. The addon shares one native
 * wait per server among every watch of the process (native/shared_wait.h) and keeps what a watch missed between two
 * `next` calls for the next one.
 */
function eventWatch(addon: Addon, id: number, wrap: <T>(p: Promise<T>) => Promise<T>): EventWatch {
  let closing: Promise<void> | undefined;
  const closed = new AbortController();
  return {
    async next(types) {
      const mask = eventMask(types);
      while (!closing) {
        const wait = wrap(keepAliveWhile(addon.waitEvent(id, mask), closed.signal));
        let flags: number;
        try {
          flags = await raceAbort(wait, closed.signal);
        } catch (error) {
          if (closed.signal.aborted) return [];
          throw error;
        }
        const happened = eventTypes(flags & mask);
        if (happened.length > 0) return happened;
        // The addon answers 0 only to a closed watch (its shared wait passes flushes on to nobody); should a
        // wake-up without an event of ours ever come while we are not closing, waiting again is the answer.
      }
      return [];
    },
    close() {
      if (!closing) {
        closed.abort();
        // On a thread of the addon's own, which does not hold the event loop open: this does, until it ends.
        closing = wrap(keepAliveWhile(addon.closeWatch(id)));
      }
      return closing;
    },
  };
}

/**
 * A read from a remote host runs on a thread of the addon's own (native/job_worker.h), which does not hold the event
 * loop open: this does, until it ends. A local read runs on libuv's pool, which does.
 */
function remote<T>(server: string | null, pending: Promise<T>): Promise<T> {
  return server === null ? pending : keepAliveWhile(pending);
}

/**
 * The backend that calls Windows through the compiled addon (loaded on first use, Windows only).
 * @param load - where the addon comes from; tests pass their own.
 */
export function createNativeBackend(load: () => Addon = loadAddon): Backend {
  const run = async <T>(server: string | null, fn: (addon: Addon) => Promise<T>): Promise<T> => {
    try {
      return await fn(load());
    } catch (error) {
      throw toWtsError(error, server);
    }
  };
  return {
    name: 'native',
    listSessions: (server, lockState = false, callerClock = false) =>
      run(server, async (a) => takeAll(a, await remote(server, a.listSessions(server, null, lockState)), callerClock)),
    listSessionSummaries: (server) =>
      run(server, async (a) =>
        (await remote(server, a.listSessionSummaries(server))).map((r) => ({
          id: r.id,
          stationName: r.stationName,
          // An unknown state number (a newer Windows) must not masquerade as a known one, as in toSession.
          state: SESSION_STATES[r.state] ?? 'down',
          userName: r.userName === '' ? null : r.userName,
          domain: r.userName === '' || r.domain === '' ? null : r.domain,
        })),
      ),
    getSession: (sessionId, server, lockState = false, callerClock = false) =>
      run(server, async (a) => {
        const raw = await remote(server, a.getSession(sessionId, server, lockState));
        return raw === null ? null : rawToSession(raw, undefined, callerClock);
      }),
    currentSessionId: () => run(null, (a) => a.currentSessionId()),
    isAdministrator: () => run(null, (a) => a.isAdministrator()),
    // Both run on a thread of the addon's own that does not hold the event loop open: this does, until they end.
    logoff: (sessionId, wait, server) => run(server, (a) => keepAliveWhile(a.logoff(sessionId, wait, server))),
    disconnect: (sessionId, wait, server) => run(server, (a) => keepAliveWhile(a.disconnect(sessionId, wait, server))),
    sendMessage: (sessionId, r, server, signal) =>
      run(server, async (a) => {
        const style = messageStyle(r.buttons, r.icon);
        const pending = a.sendMessage(sessionId, r.title, r.message, style, r.timeoutSeconds, r.wait, server);
        return messageAnswer(await keepAliveWhile(pending, signal));
      }),
    // Always on a thread of the addon's own (its SID look-ups may ask a domain controller), which does not hold the
    // event loop open: this does, until it ends.
    listProcesses: (server, usage) =>
      run(server, async (a) => {
        const pending = usage ? a.listProcesses(server, true) : a.listProcesses(server);
        return (await keepAliveWhile(pending)).map(toProcess);
      }),
    // This machine's count, as Node reads it (GetSystemInfo's processors on Windows); a remote host's is unknown.
    processorCount: (server) => Promise.resolve(server === null ? cpus().length || null : null),
    // On the addon's remote pool (a domain controller, or the session's host), which does not hold the loop open.
    userGroups: (userName, domain, scope, server, sessionId) =>
      run(server, (a) => keepAliveWhile(a.userGroups(userName, domain, scope === 'domain', server, sessionId ?? null))),
    watchEvents: (server) =>
      run(server, async (a) => {
        const id = await remote(server, a.openWatch(server));
        return eventWatch(a, id, (p) => run(server, () => p));
      }),
  };
}
