import { raceAbort } from '../abort.js';
import type { Backend } from '../backend.js';
import { abortError, SessionRefusedError } from '../errors.js';
import type { AskOptions, LogoffOptions, LogoffResult, MessageAnswer, Session } from '../types.js';
import { checkBoolean, checkOptions, checkServer, checkSessionId, checkSignal } from '../validate.js';
import { checkGuard, guardedSession, sameSignIn, type Guard } from './guards.js';
import { checkTimeoutSeconds } from './message.js';
import { checkWaitTimeout, otherSignIn, waitForSession } from './confirm-wait.js';
import { checkMessageText, MAX_MESSAGE_CHARS, MAX_TITLE_CHARS } from '../message-limits.js';

/** Checked ask options. */
export interface Ask {
  message: string;
  title: string;
  timeoutSeconds: number;
  onTimeout: 'keep' | 'logoff';
}

/** Checks `options.ask`. */
export function checkAsk(value: unknown): Ask | undefined {
  if (value === undefined) return undefined;
  const ask = checkOptions<AskOptions>(value, 'options.ask');
  if (typeof ask.message !== 'string' || ask.message === '')
    throw new TypeError('options.ask.message must be a non-empty string');
  checkMessageText(ask.message, 'options.ask.message', MAX_MESSAGE_CHARS);
  if (ask.title !== undefined) checkMessageText(ask.title, 'options.ask.title', MAX_TITLE_CHARS);
  const onTimeout = ask.onTimeout ?? 'keep';
  if (!['keep', 'logoff'].includes(onTimeout)) throw new RangeError("options.ask.onTimeout must be 'keep' or 'logoff'");
  return {
    message: ask.message,
    title: ask.title ?? 'Sign out',
    timeoutSeconds: checkTimeoutSeconds(ask.timeoutSeconds, 'options.ask.timeoutSeconds', 60),
    onTimeout,
  };
}

/** Asks the user Yes/No; resolves to the answer. */
export function askUser(
  backend: Backend,
  session: Session,
  ask: Ask,
  server: string | null,
  signal?: AbortSignal,
): Promise<MessageAnswer> {
  const request = {
    title: ask.title,
    message: ask.message,
    buttons: 'yesNo',
    icon: 'question',
    timeoutSeconds: ask.timeoutSeconds,
    wait: true,
  } as const;
  return raceAbort(backend.sendMessage(session.id, request, server, signal), signal);
}

/** Whether an answer means "sign out". */
export function answerSignsOut(answer: MessageAnswer, ask: Ask): boolean {
  return answer === 'yes' || (answer === 'timeout' && ask.onTimeout === 'logoff');
}

/** The outcome of an answer that does not sign out. */
export function keptOutcome(answer: MessageAnswer): 'declined' | 'timedOut' {
  return answer === 'timeout' ? 'timedOut' : 'declined';
}

/** Checked logoff options. */
export interface LogoffPlan {
  sessionId: number;
  server: string | null;
  wait: boolean;
  waitTimeoutMs: number;
  ask: Ask | undefined;
  guard: Guard;
  signal: AbortSignal | undefined;
}

export function checkLogoff(sessionId: unknown, options: unknown): LogoffPlan {
  const id = checkSessionId(sessionId);
  const o = checkOptions<LogoffOptions>(options);
  return {
    sessionId: id,
    server: checkServer(o.server),
    wait: checkBoolean(o.wait, 'options.wait', false),
    waitTimeoutMs: checkWaitTimeout(o.waitTimeout, 'options.waitTimeout'),
    ask: checkAsk(o.ask),
    guard: checkGuard(o),
    signal: checkSignal(o.signal),
  };
}

/**
 * logoff: reads the session, refuses what the guard forbids, asks when told to, re-reads the session after the
 * answer (it may have changed hands while the question was up), and only then calls WTSLogoffSession.
 */
export async function runLogoff(backend: Backend, plan: LogoffPlan): Promise<LogoffResult> {
  const { sessionId, server, wait, waitTimeoutMs, ask, guard, signal } = plan;
  let session = await raceAbort(guardedSession(backend, sessionId, server, guard), signal);
  let answer: MessageAnswer | null = null;
  if (ask) {
    answer = await askUser(backend, session, ask, server, signal);
    if (!answerSignsOut(answer, ask)) return { sessionId, server, outcome: keptOutcome(answer), answer };
    const now = await raceAbort(guardedSession(backend, sessionId, server, guard), signal);
    const asked = session;
    session = now;
    if (!sameSignIn(asked, now)) {
      throw new SessionRefusedError(
        'ERR_SESSION_CHANGED',
        sessionId,
        server,
        'the session changed hands while the question was up',
      );
    }
  }
  // Nothing is signed out after an abort, whatever was answered.
  if (signal?.aborted) throw abortError(signal);
  await backend.logoff(sessionId, false, server);
  if (!wait) return { sessionId, server, outcome: 'signedOut', answer };
  // Done once this sign-in is gone: the session ended, or its id now holds another sign-in.
  const ended = await waitForSession(
    backend,
    sessionId,
    server,
    (s) => s === null || otherSignIn(session, s),
    waitTimeoutMs,
    signal,
  );
  return { sessionId, server, outcome: ended ? 'signedOut' : 'pending', answer };
}
