import { checkSignal } from '../abort.js';
import type { Backend } from '../backend.js';
import { SESSION_EVENT_TYPES, type SessionEvent, type SessionEventType, type WatchSessionsOptions } from '../types.js';
import { checkOptions, checkServer } from '../validate.js';

function checkTypes(value: unknown): readonly SessionEventType[] {
  if (value === undefined) return SESSION_EVENT_TYPES;
  if (!Array.isArray(value) || value.length === 0)
    throw new TypeError('options.types must be a non-empty array of event types');
  for (const type of value) {
    if (!SESSION_EVENT_TYPES.includes(type as SessionEventType)) {
      throw new RangeError(`unknown event type ${String(type)}; known: ${SESSION_EVENT_TYPES.join(', ')}`);
    }
  }
  return value as SessionEventType[];
}

/**
 * watchSessions: session events as they happen (WTSWaitSystemEvent on a thread of its own). The iteration ends
 * cleanly when `signal` aborts or the loop breaks; the wait in progress is released and the server handle closed.
 */
export async function* watchSessions(
  backend: Backend,
  options: unknown,
): AsyncGenerator<SessionEvent, void, undefined> {
  const o = checkOptions<WatchSessionsOptions>(options);
  const server = checkServer(o.server);
  const types = checkTypes(o.types);
  const signal = checkSignal(o.signal);
  if (signal?.aborted) return;
  const watch = await backend.watchEvents(server);
  const stop = () => void watch.close();
  signal?.addEventListener('abort', stop, { once: true });
  try {
    while (!signal?.aborted) {
      const happened = await watch.next(types);
      if (happened.length === 0) break; // flushed: the watch was closed
      const time = new Date();
      for (const type of happened) yield { type, server, time };
    }
  } finally {
    signal?.removeEventListener('abort', stop);
    await watch.close();
  }
}
