import { raceAbort } from '../abort.js';
import type { Backend } from '../backend.js';
import { parseDuration } from '../duration.js';
import { abortError } from '../errors.js';
import type { Session } from '../types.js';
import { sameSignIn } from './guards.js';

/** How often a wait reads the session again. */
const POLL_MS = 250;
/** How long `wait: true` waits by default for Windows to finish, before it says so. */
export const DEFAULT_WAIT_TIMEOUT_MS = 60_000;

/**
 * Checks `options.waitTimeout`: a duration (`'2m'`, or ms) from 1 s to a day, default one minute. It bounds how long
 * `wait: true` reads the session again after Windows accepted the action.
 */
export function checkWaitTimeout(value: unknown, name: string): number {
  if (value === undefined) return DEFAULT_WAIT_TIMEOUT_MS;
  const ms = parseDuration(value, name);
  if (ms < 1000 || ms > 86_400_000) throw new RangeError(`${name} must be from 1 s to 1 d, got ${ms} ms`);
  return ms;
}

/**
 * Whether `now` shows a sign-in other than `before`'s. A session whose user or logon time Windows would not give
 * shows nothing either way: right after a sign-out it answers ERROR_CTX_CLOSE_PENDING while it closes (Cassia #19),
 * and a hung one answers the same for good (Cassia #36). Only reading it gone, or readable and changed, confirms.
 */
export function otherSignIn(before: Session, now: Session): boolean {
  const unread = new Set(now.partial?.flatMap((e) => e.fields) ?? []);
  if (unread.has('userName') || unread.has('logonTime')) return false;
  return !sameSignIn(before, now);
}

function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return raceAbort(new Promise<void>((resolve) => setTimeout(resolve, ms)), signal);
}

/**
 * Reads the session again until `done` holds for what is read (`null`: it is gone), or `timeoutMs` has passed; true
 * when it held. Windows's own wait (`bWait`) is never used: WTSLogoffSession can block for ever with it, even after
 * the session has gone (DuoStream/Duo #11), and nothing could end that call. `signal` ends this wait at once.
 */
export async function waitForSession(
  backend: Backend,
  sessionId: number,
  server: string | null,
  done: (session: Session | null) => boolean,
  timeoutMs: number,
  signal: AbortSignal | undefined,
): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (signal?.aborted) throw abortError(signal);
    if (done(await raceAbort(backend.getSession(sessionId, server), signal))) return true;
    const left = deadline - Date.now();
    if (left <= 0) return false;
    await sleep(Math.min(POLL_MS, left), signal);
  }
}
