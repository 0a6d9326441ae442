import { SessionRefusedError, WtsError } from '../errors.js';
import { UsageError } from './parse-args.js';

/** Exit codes scripts can rely on (documented in the README and in --help). */
export const EXIT = {
  ok: 0,
  /** Windows (or the mock) reported an error, or something else failed. */
  failed: 1,
  /** The command line was wrong. */
  usage: 2,
  /** Refused before acting: a guard (own session, session 0, listener, changed session) or no confirmation. */
  refused: 3,
  /** The user in the session declined or did not answer: nothing was done. */
  declined: 4,
  /** An idle sweep finished with at least one failed session. */
  partial: 5,
} as const;

/** The exit code for an error and its one-line report: code first, then the message (with its hint). */
export function describeFailure(error: unknown): { code: number; line: string } {
  if (error instanceof UsageError) return { code: EXIT.usage, line: `usage: ${error.message} (see --help)` };
  if (error instanceof TypeError || error instanceof RangeError)
    return { code: EXIT.usage, line: `usage: ${error.message}` };
  if (error instanceof SessionRefusedError) return { code: EXIT.refused, line: `${error.code}: ${error.message}` };
  if (error instanceof WtsError) return { code: EXIT.failed, line: `${error.code}: ${error.message}` };
  const coded = (typeof error === 'object' && error !== null ? error : {}) as { code?: unknown; message?: unknown };
  const code = typeof coded.code === 'string' ? `${coded.code}: ` : '';
  const message = typeof coded.message === 'string' ? coded.message : String(error);
  return { code: EXIT.failed, line: `${code}${message}` };
}
