import { SessionRefusedError } from '../errors.js';
import { ERR_UNSUPPORTED_PLATFORM } from '../native/load-addon.js';
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
  [/allowConsole: true/g, '--allow-console'],
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
  [
    /(an active console session, whose idle time is not trusted)$/,
    '$1; pass --include-console to judge it by its idle time anyway',
  ],
];

/** An error's message in the CLI's own terms. */
export function inFlagTerms(message: string): string {
  return FLAG_NAMES.reduce((text, [pattern, flag]) => text.replace(pattern, flag), message);
}

/** Codes of the CLI's own refusals, each exit 3. */
export type CliRefusalCode =
  | 'ERR_NO_SUCH_USER'
  | 'ERR_NO_SUCH_SESSION'
  | 'ERR_NO_SUCH_PROCESS'
  | 'ERR_AMBIGUOUS'
  | 'ERR_NOT_CONFIRMED'
  | 'ERR_UNTRUSTED_PATH';

/** The command refused before acting, for a reason of its own (no such user, several matches): exit 3. */
export class CliRefusal extends Error {
  override readonly name = 'CliRefusal';
  readonly code: CliRefusalCode;

  constructor(code: CliRefusalCode, message: string) {
    super(message);
    this.code = code;
  }
}

/** The CLI's words for the platform error: what to type instead, not what to import. */
const platformMessage = () =>
  `windows-sessions talks to the Windows Terminal Services API and cannot run on ${process.platform}; try the demo on any OS: windows-sessions list --mock`;

/**
 * An error's code and message as one CLI error line shows them: the message in the CLI's terms, without the code
 * it may already carry (Node's `ENOENT: no such file…`, a refusal's `(ERR_OWN_SESSION)`).
 */
export function describeError(error: unknown): { code: string; message: string } {
  const coded = (typeof error === 'object' && error !== null ? error : {}) as { code?: unknown; message?: unknown };
  const code = typeof coded.code === 'string' && coded.code !== '' ? coded.code : 'ERR_UNEXPECTED';
  if (code === ERR_UNSUPPORTED_PLATFORM) return { code, message: platformMessage() };
  let message = typeof coded.message === 'string' ? coded.message : String(error);
  if (message.startsWith(`${code}: `)) message = message.slice(code.length + 2);
  if (message.endsWith(` (${code})`)) message = message.slice(0, -(code.length + 3));
  return { code, message: inFlagTerms(message) };
}

/** The one shape of every error line: `windows-sessions: <CODE>: <message>`. */
export function errorLine(code: string, message: string): string {
  return `windows-sessions: ${code}: ${message}`;
}

/** The exit code for an error and its one line on stderr. */
export function describeFailure(error: unknown): { code: number; line: string } {
  if (error instanceof UsageError) {
    const help = error.code === 'ERR_USAGE' ? ' (see --help)' : '';
    return { code: EXIT.usage, line: errorLine(error.code, `${error.message}${help}`) };
  }
  if (error instanceof TypeError || error instanceof RangeError)
    return { code: EXIT.usage, line: errorLine('ERR_USAGE', inFlagTerms(error.message)) };
  const { code, message } = describeError(error);
  const exit = error instanceof CliRefusal || error instanceof SessionRefusedError ? EXIT.refused : EXIT.failed;
  return { code: exit, line: errorLine(code, message) };
}
