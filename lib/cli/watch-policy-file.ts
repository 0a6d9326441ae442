import { unwatchFile, watchFile, type Stats } from 'node:fs';
import type { SessionPolicy } from '../policy/policy-types.js';

/**
 * The policy file's new versions while `signal` lasts: each time the file changes (polled every second, which
 * survives editors that replace the file), `read` gives the policy or throws; a version that cannot be read or is
 * invalid goes to `refused` and keeps the policy in force. Polling holds no process open.
 */
export async function* policyFileVersions(
  path: string,
  read: (path: string) => SessionPolicy,
  refused: (error: Error) => void,
  signal: AbortSignal,
): AsyncGenerator<SessionPolicy, void, undefined> {
  const state = { changed: false }; // set by the poller
  let wake: (() => void) | null = null;
  const listener = (now: Stats, before: Stats) => {
    if (now.mtimeMs === before.mtimeMs && now.size === before.size) return;
    state.changed = true;
    wake?.();
  };
  watchFile(path, { interval: 1000, persistent: false }, listener);
  const stop = () => {
    wake?.();
  };
  signal.addEventListener('abort', stop, { once: true });
  try {
    while (!signal.aborted) {
      if (!state.changed) {
        await new Promise<void>((resolve) => {
          wake = resolve;
        });
        continue;
      }
      state.changed = false;
      let next: SessionPolicy;
      try {
        next = read(path);
      } catch (error) {
        refused(error as Error);
        continue;
      }
      yield next;
    }
  } finally {
    signal.removeEventListener('abort', stop);
    unwatchFile(path, listener);
  }
}
