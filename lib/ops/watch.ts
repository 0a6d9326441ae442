import type { Backend } from '../backend.js';
import { parseDuration } from '../duration.js';
import { DEFAULT_POLL_EVERY_MS, joinWatch } from './watch-hub.js';
import { SESSION_EVENT_TYPES, type SessionEvent, type SessionEventType, type WatchSessionsOptions } from '../types.js';
import { checkOptions, checkServer, checkSignal } from '../validate.js';

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
 * watchSessions: session events as they happen (WTSWaitSystemEvent on a thread of its own, one per server however
 * many loops watch it). The iteration ends cleanly when `signal` aborts or the loop breaks; closing one loop never
 * ends another. A server beyond the addon's wait threads is polled instead (see {@link WatchMode}; `onMode` says
 * which).
 */
export async function* watchSessions(
  backend: Backend,
  options: unknown,
): AsyncGenerator<SessionEvent, void, undefined> {
  const o = checkOptions<WatchSessionsOptions>(options);
  const server = checkServer(o.server);
  const types = checkTypes(o.types);
  const signal = checkSignal(o.signal);
  const pollEveryMs =
    o.pollEvery === undefined ? DEFAULT_POLL_EVERY_MS : parseDuration(o.pollEvery, 'options.pollEvery');
  if (o.onMode !== undefined && typeof o.onMode !== 'function')
    throw new TypeError('options.onMode must be a function');
  if (signal?.aborted) return;
  const subscription = await joinWatch(backend, server, types, pollEveryMs);
  if (o.onMode) subscription.onMode(o.onMode);
  const stop = () => void subscription.close();
  signal?.addEventListener('abort', stop, { once: true });
  if (signal?.aborted) stop();
  try {
    for (;;) {
      const batch = await subscription.next();
      if (!batch) break;
      for (const type of batch.types) {
        // After an abort nothing more comes, not even the rest of a batch already taken.
        if (signal?.aborted) return;
        yield { type, server, time: batch.time };
      }
    }
  } finally {
    signal?.removeEventListener('abort', stop);
    await subscription.close();
  }
}
