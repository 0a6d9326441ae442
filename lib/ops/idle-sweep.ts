import type { Backend } from '../backend.js';
import { DEFAULT_WAIT_TIMEOUT_MS } from './confirm-wait.js';
import { mapLimit } from '../concurrency.js';
import { parseDuration } from '../duration.js';
import { idleTimeUntrusted } from '../idle-time.js';
import { abortError, SessionRefusedError } from '../errors.js';
import type { FindIdleOptions, IdleSkipReason, IdleSweepRow, LogoffIdleOptions, Session } from '../types.js';
import {
  checkBoolean,
  checkConcurrency,
  checkOptions,
  checkRemoteClock,
  checkServer,
  checkSignal,
} from '../validate.js';
import { checkGuard, refusal } from './guards.js';
import { checkAsk, runLogoff } from './logoff.js';

/** Signed-in sessions idle for at least `idleFor` (a disconnected one counts from its disconnect), longest first. */
export function idleSessions(sessions: Session[], idleFor: number): Session[] {
  return sessions
    .filter((s) => s.userName !== null && s.idleMs !== null && s.idleMs >= idleFor)
    .sort((a, b) => b.idleMs! - a.idleMs! || a.id - b.id);
}

export async function findIdleSessions(backend: Backend, options: unknown): Promise<Session[]> {
  if (options === undefined) throw new TypeError('options with idleFor are required');
  const o = checkOptions<FindIdleOptions>(options);
  const idleFor = parseDuration(o.idleFor, 'options.idleFor');
  const includeActiveConsole = checkBoolean(o.includeActiveConsole, 'options.includeActiveConsole', false);
  const server = checkServer(o.server);
  const idle = idleSessions(await backend.listSessions(server, false, checkRemoteClock(o.remoteClock)), idleFor);
  return includeActiveConsole ? idle : idle.filter((s) => !idleTimeUntrusted(s));
}

function checkExclude(value: unknown): { names: Set<string>; ids: Set<number> } {
  const names = new Set<string>();
  const ids = new Set<number>();
  if (value === undefined) return { names, ids };
  if (!Array.isArray(value)) throw new TypeError('options.exclude must be an array of user names or session ids');
  for (const item of value) {
    if (typeof item === 'string') names.add(item.toLowerCase());
    else if (typeof item === 'number' && Number.isInteger(item)) ids.add(item);
    else throw new TypeError('options.exclude must hold user names (strings) or session ids (integers)');
  }
  return { names, ids };
}

/**
 * logoffIdle: signs out the sessions idle for `idleFor`, each through the same guarded (and optionally asking)
 * logoff as {@link logoff}, and reports every session it considered. A failure is a row, never the end of the sweep.
 */
export async function logoffIdle(backend: Backend, options: unknown): Promise<IdleSweepRow[]> {
  if (options === undefined) throw new TypeError('options with idleFor are required');
  const o = checkOptions<LogoffIdleOptions>(options);
  const idleFor = parseDuration(o.idleFor, 'options.idleFor');
  const server = checkServer(o.server);
  const ask = checkAsk(o.ask);
  const dryRun = checkBoolean(o.dryRun, 'options.dryRun', false);
  const includeActiveConsole = checkBoolean(o.includeActiveConsole, 'options.includeActiveConsole', false);
  const wait = checkBoolean(o.wait, 'options.wait', false);
  const exclude = checkExclude(o.exclude);
  const concurrency = checkConcurrency(o.concurrency, 8);
  const signal = checkSignal(o.signal);
  const callerClock = checkRemoteClock(o.remoteClock);
  // The checks logoff makes (own session, session 0, listeners, still idle by a trusted time), applied first to the
  // listing and again, with the listed sign-in expected, to the re-read right before each sign-out.
  const guard = { ...checkGuard({}), stillIdle: { idleFor, includeActiveConsole }, callerClock };

  const candidates = idleSessions(await backend.listSessions(server, false, callerClock), idleFor);
  return mapLimit(candidates, concurrency, async (s): Promise<IdleSweepRow> => {
    const row = { sessionId: s.id, userName: s.userName, domain: s.domain, idleMs: s.idleMs };
    const skipped = (reason: IdleSkipReason, error?: Error): IdleSweepRow => ({
      ...row,
      outcome: 'skipped',
      reason,
      error,
    });
    if (exclude.ids.has(s.id) || exclude.names.has(s.userName!.toLowerCase())) return skipped('ERR_EXCLUDED');
    const refused = refusal(s, guard, server);
    if (refused) return skipped(refused.code, refused);
    // Only a user at an active desktop can answer; the others follow what an unanswered question means.
    const askable = ask && s.state === 'active' ? ask : undefined;
    if (ask && !askable && ask.onTimeout === 'keep') return skipped('ERR_CANNOT_ASK');
    if (dryRun) return { ...row, outcome: 'dryRun' };
    if (signal?.aborted) return skipped('ABORT_ERR', abortError(signal));
    try {
      // Its user may have come back since the listing: still the same sign-in, still idle, or left alone.
      const expect = { userName: s.userName!, domain: s.domain ?? undefined, logonTime: s.logonTime?.getTime() };
      const result = await runLogoff(backend, {
        sessionId: s.id,
        server,
        wait,
        waitTimeoutMs: DEFAULT_WAIT_TIMEOUT_MS,
        ask: askable,
        guard: { ...guard, expect },
        signal,
      });
      return { ...row, outcome: result.outcome };
    } catch (error) {
      if (error instanceof SessionRefusedError) return skipped(error.code, error);
      return { ...row, outcome: 'failed', error: error as Error };
    }
  });
}
