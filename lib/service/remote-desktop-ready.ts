import type { Addon } from '../native/addon.js';

/** The longest the first check waits for Remote Desktop Services; after it the enforcer's own retries take over. */
const MAX_WAIT_MS = 5 * 60_000;

/** Resolves after `ms`, or at once when `signal` aborts: a stop during the boot wait is not held up by it. */
export function abortableSleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) {
      resolve();
      return;
    }
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done);
  });
}

/**
 * Waits, before the first check at boot, until Remote Desktop Services says it is ready (`Global\TermSrvReadyEvent`
 * set), looking again after 1 s, then twice as long each time, up to 30 s between looks. No such event (not created
 * yet, or a system without one): no wait, since the enforcer retries a host that answers RPC_S_INVALID_BINDING (1702)
 * with the same backoff. A stop (`signal`) ends the wait at once. Resolves to what it saw last; never rejects (a failure to look counts as `'absent'`).
 */
export async function remoteDesktopReady(
  addon: Pick<Addon, 'termServReady'>,
  signal: AbortSignal,
  sleep: (ms: number, signal: AbortSignal) => Promise<void> = abortableSleep,
  maxWaitMs = MAX_WAIT_MS,
): Promise<'ready' | 'waiting' | 'absent'> {
  let waited = 0;
  for (let delay = 1000; ; delay = Math.min(delay * 2, 30_000)) {
    let state: 'ready' | 'waiting' | 'absent';
    try {
      state = addon.termServReady();
    } catch {
      state = 'absent';
    }
    if (state !== 'waiting' || signal.aborted || waited >= maxWaitMs) return state;
    await sleep(delay, signal);
    waited += delay;
  }
}
