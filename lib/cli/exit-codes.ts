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
  /** An idle sweep or a policy finished with at least one failed session (or host). */
  partial: 5,
  /** `policy check`: the policy would act on at least one session. */
  planned: 6,
} as const;

/** API option names in error messages, as the flags a CLI user types instead. */
const FLAG_NAMES: readonly [RegExp, string][] = [
  [/allowOwnSession: true/g, '--allow-own'],
  [/allowServicesSession: true/g, '--allow-services'],
  [/allowListener: true/g, '--allow-listener'],
  [/options\.ask\.timeoutSeconds/g, '--timeout'],
  [/options\.ask\.onTimeout/g, '--on-timeout'],
  [/options\.ask\.message/g, '--ask'],
  [/options\.timeoutSeconds/g, '--timeout'],
  [/options\.idleFor/g, '--for'],
  [/options\.includeActiveConsole/g, '--include-console'],
  [/options\.expect\.userName/g, '--expect-user'],
  [/options\.checkEvery/g, '--check-every'],
  [/options\.servers/g, '--server'],
  [/options\.(server|exclude|buttons|icon|title|types|audit)\b/g, '--$1'],
  [/options\.message/g, 'the message text'],
];

/** An error's message in the CLI's own terms. */
export function inFlagTerms(message: string): string {
  return FLAG_NAMES.reduce((text, [pattern, flag]) => text.replace(pattern, flag), message);
}

/** The command refused before acting, for a reason of its own (no such user, several matches): exit 3. */
export class CliRefusal extends Error {
  override readonly name = 'CliRefusal';
}

/** The exit code for an error and its one-line report: code first, then the message (with its hint). */
export function describeFailure(error: unknown): { code: number; line: string } {
  if (error instanceof UsageError) return { code: EXIT.usage, line: `usage: ${error.message} (see --help)` };
  if (error instanceof TypeError || error instanceof RangeError)
    return { code: EXIT.usage, line: `usage: ${inFlagTerms(error.message)}` };
  if (error instanceof CliRefusal) return { code: EXIT.refused, line: error.message };
  if (error instanceof SessionRefusedError)
    return { code: EXIT.refused, line: `${error.code}: ${inFlagTerms(error.message)}` };
  if (error instanceof WtsError) return { code: EXIT.failed, line: `${error.code}: ${error.message}` };
  const coded = (typeof error === 'object' && error !== null ? error : {}) as { code?: unknown; message?: unknown };
  const code = typeof coded.code === 'string' ? `${coded.code}: ` : '';
  const message = typeof coded.message === 'string' ? coded.message : String(error);
  return { code: EXIT.failed, line: `${code}${message}` };
}
