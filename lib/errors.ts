import { win32ErrorCode, win32ErrorText } from './win32-errors.js';

/** What a {@link WtsError} is made from. */
export interface WtsErrorInit {
  /** The Win32 error number (`GetLastError()`). */
  errno: number;
  /** The WTS function that failed, e.g. `'WTSLogoffSession'`. */
  syscall: string;
  /** The session the call was about, where there is one. */
  sessionId?: number | undefined;
  /** The remote server the call went to; absent for the local machine. */
  server?: string | null | undefined;
  /** The system's text for the error (FormatMessageW); a built-in English text when absent. */
  description?: string | undefined;
}

const BRAND = Symbol.for('windows-sessions.WtsError');

const ELEVATION =
  'acting on another user\'s session needs administrator rights: run the process elevated ("Run as administrator") or as a service';

/** Hints for the errors whose fix is not obvious from Windows's text. */
function hintFor(errno: number, syscall: string, server: string | null | undefined): string | undefined {
  switch (errno) {
    case 259:
      // Windows lists only the sessions the caller may query (MS-TSTS RpcWinStationEnumerate); a plain service
      // account gets this error instead of a list (ncpa #1258). Never "no sessions".
      return syscall === 'WTSEnumerateSessionsW'
        ? 'this account may not query the sessions (Windows lists only those it has Query permission for): run as an administrator or LocalSystem'
        : undefined;
    case 5:
      // A Windows client OS (not Server) refuses remote WTS calls unless AllowRemoteRPC is 1 (docs/windows-behaviour.md).
      return server
        ? `${ELEVATION}; and ${server}, if it runs a Windows client edition (not Server), answers remote calls only when AllowRemoteRPC is 1 under HKLM\\SYSTEM\\CurrentControlSet\\Control\\Terminal Server`
        : ELEVATION;
    case 7045:
      return ELEVATION;
    case 1702:
      // Before Remote Desktop Services' dependent services have started (early at boot): Microsoft's
      // WTSRegisterSessionNotificationEx page.
      return 'Remote Desktop Services is not ready yet (the system is still starting): wait until the Global\\TermSrvReadyEvent event is set, or retry shortly';
    case 1734:
      return "a message or title is longer than Windows accepts: 1,024 bytes each by the Remote Desktop protocol (MS-TSTS RpcWinStationSendMessage); the package's own calls keep to 511 UTF-16 characters";
    case 7041:
      return 'Windows Server cannot disconnect the console session; sign it out instead, or lock it';
    case 120:
      return 'Remote Desktop Services (TermService) is not available on this system';
    case 1722:
    case 1727:
    case 53:
      return server
        ? `check that ${server} is up and reachable, and that its firewall allows Remote Service Management (RPC)`
        : undefined;
    default:
      return undefined;
  }
}

/**
 * A Windows Terminal Services call failed. Branch on {@link WtsError.code} (stable), never on the message.
 *
 * Thrown by the native backend and, with the same fields, by the mock backend.
 *
 * @example
 * ```ts
 * try { await logoff(3) } catch (err) {
 *   if (err instanceof WtsError && err.code === 'ERROR_ACCESS_DENIED') console.error('run elevated')
 * }
 * ```
 */
export class WtsError extends Error {
  /**
   * The Win32 symbolic name, e.g. `'ERROR_ACCESS_DENIED'`, `'RPC_S_SERVER_UNAVAILABLE'`,
   * `'ERROR_CALL_NOT_IMPLEMENTED'`; `'WIN32_ERROR_<n>'` for numbers this package does not know.
   */
  readonly code: string;
  /** The Win32 error number, e.g. `5`. */
  readonly errno: number;
  /** The WTS function that failed, e.g. `'WTSLogoffSession'`. */
  readonly syscall: string;
  /** The session the call was about, where there is one. */
  readonly sessionId: number | undefined;
  /** The remote server the call went to; `undefined` for the local machine. */
  readonly server: string | undefined;
  /** A suggestion for fixing the cause, where one helps (also part of the message). */
  readonly hint: string | undefined;

  constructor(init: WtsErrorInit) {
    const code = win32ErrorCode(init.errno);
    // For 0 the system's text is "The operation completed successfully", which would mislead.
    const system = init.errno === 0 ? '' : (init.description ?? '').trim();
    const description = system || win32ErrorText(init.errno);
    const hint = hintFor(init.errno, init.syscall, init.server);
    const where = [
      init.sessionId === undefined ? '' : ` for session ${init.sessionId}`,
      init.server ? ` on ${init.server}` : '',
    ].join('');
    super(`${init.syscall} failed${where}: ${description} (${code}, ${init.errno})${hint ? `. Hint: ${hint}` : ''}`);
    this.name = 'WtsError';
    this.code = code;
    this.errno = init.errno;
    this.syscall = init.syscall;
    this.sessionId = init.sessionId;
    this.server = init.server === '' || init.server === null ? undefined : init.server;
    this.hint = hint;
    Object.defineProperty(this, BRAND, { value: true });
  }

  /** `instanceof` also holds across the ESM and CommonJS copies of this package. */
  static override [Symbol.hasInstance](value: unknown): boolean {
    return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[BRAND] === true;
  }
}

/**
 * Codes of {@link SessionRefusedError}. `ERR_NOT_IDLE` comes from an idle sweep only: read again just before it
 * would be signed out, the session was no longer idle for long enough (its user came back), or had become an active
 * console session, whose idle time is not trusted. `ERR_POLICY_NO_LONGER_APPLIES` comes from policy enforcement
 * only: read again just before acting, the session no longer breaks any rule (its user came back, say).
 * `ERR_SESSION_UNREADABLE`: `expect` names a field that Windows would not give for the session (a hung session in the
 * Down state answers ERROR_CTX_CLOSE_PENDING), so the sign-in cannot be confirmed. `ERR_CONSOLE_SESSION`: a
 * disconnect of the active console session, which removes nobody (see `DisconnectOptions.allowConsole`).
 * `ERR_TRUST_UNKNOWN` comes from policy enforcement only: whether the user is trusted (or which rules apply) hangs on
 * a group membership Windows would not give.
 */
export type RefusalCode =
  | 'ERR_SESSION_NOT_FOUND'
  | 'ERR_SESSION_CHANGED'
  | 'ERR_OWN_SESSION'
  | 'ERR_SERVICES_SESSION'
  | 'ERR_LISTENER_SESSION'
  | 'ERR_NOT_IDLE'
  | 'ERR_POLICY_NO_LONGER_APPLIES'
  | 'ERR_SESSION_UNREADABLE'
  | 'ERR_CONSOLE_SESSION'
  | 'ERR_TRUST_UNKNOWN';

/**
 * The package refused to act on a session, before anything was sent to Windows: the session is gone, now belongs to
 * someone else (`expect`), or is one that is only acted on when the caller says so (its own, session 0, a
 * listener). Branch on `code`.
 */
export class SessionRefusedError extends Error {
  /** Why: see {@link RefusalCode}. */
  readonly code: RefusalCode;
  /** The session that was not acted on. */
  readonly sessionId: number;
  /** The remote server; `undefined` for the local machine. */
  readonly server: string | undefined;
  /** Why, in words, without the session and code the message adds (e.g. `'it is a listener; …'`). */
  readonly detail: string;

  constructor(code: RefusalCode, sessionId: number, server: string | null, detail: string) {
    super(`refused to act on session ${sessionId}${server ? ` on ${server}` : ''}: ${detail} (${code})`);
    this.name = 'SessionRefusedError';
    this.code = code;
    this.detail = detail;
    this.sessionId = sessionId;
    this.server = server ?? undefined;
  }
}

/** The error an aborted operation rejects with: name `'AbortError'`, like Node's own. */
export function abortError(signal: AbortSignal): Error {
  const error = new Error('The operation was aborted', { cause: signal.reason }) as Error & { code: string };
  error.name = 'AbortError';
  error.code = 'ABORT_ERR';
  return error;
}
