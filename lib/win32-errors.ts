/**
 * Win32 error numbers the WTS functions are known to return, with their symbolic names (as winerror.h spells them)
 * and the English text Windows gives for them. The mock uses the text; the native backend uses Windows's own.
 */
const WIN32_ERRORS: Readonly<Record<number, readonly [code: string, text: string]>> = {
  // A WTS function that fails without setting an error (Wine's WTSQuerySessionInformationW does).
  0: ['ERROR_UNSPECIFIED', 'The call failed without giving a reason.'],
  2: ['ERROR_FILE_NOT_FOUND', 'The system cannot find the file specified.'],
  5: ['ERROR_ACCESS_DENIED', 'Access is denied.'],
  6: ['ERROR_INVALID_HANDLE', 'The handle is invalid.'],
  8: ['ERROR_NOT_ENOUGH_MEMORY', 'Not enough memory resources are available to process this command.'],
  13: ['ERROR_INVALID_DATA', 'The data is invalid.'],
  14: ['ERROR_OUTOFMEMORY', 'Not enough memory resources are available to complete this operation.'],
  50: ['ERROR_NOT_SUPPORTED', 'The request is not supported.'],
  53: ['ERROR_BAD_NETPATH', 'The network path was not found.'],
  87: ['ERROR_INVALID_PARAMETER', 'The parameter is incorrect.'],
  120: ['ERROR_CALL_NOT_IMPLEMENTED', 'This function is not supported on this system.'],
  122: ['ERROR_INSUFFICIENT_BUFFER', 'The data area passed to a system call is too small.'],
  259: ['ERROR_NO_MORE_ITEMS', 'No more data is available.'],
  1115: ['ERROR_SHUTDOWN_IN_PROGRESS', 'A system shutdown is in progress.'],
  1326: ['ERROR_LOGON_FAILURE', 'The user name or password is incorrect.'],
  1450: ['ERROR_NO_SYSTEM_RESOURCES', 'Insufficient system resources exist to complete the requested service.'],
  1460: ['ERROR_TIMEOUT', 'This operation returned because the timeout period expired.'],
  1717: ['RPC_S_UNKNOWN_IF', 'The interface is unknown.'],
  1722: ['RPC_S_SERVER_UNAVAILABLE', 'The RPC server is unavailable.'],
  1726: ['RPC_S_CALL_FAILED', 'The remote procedure call failed.'],
  1727: ['RPC_S_CALL_FAILED_DNE', 'The remote procedure call failed and did not execute.'],
  1753: ['EPT_S_NOT_REGISTERED', 'There are no more endpoints available from the endpoint mapper.'],
  7007: ['ERROR_CTX_CLOSE_PENDING', 'A close operation is pending on the session.'],
  7022: ['ERROR_CTX_WINSTATION_NOT_FOUND', 'The specified session cannot be found.'],
  7023: ['ERROR_CTX_WINSTATION_ALREADY_EXISTS', 'The specified session name is already in use.'],
  7024: [
    'ERROR_CTX_WINSTATION_BUSY',
    'The task you are trying to do cannot be completed because Remote Desktop Services is currently busy processing a connect, disconnect, reset, or delete operation.',
  ],
  7037: ['ERROR_CTX_LOGON_DISABLED', 'Your interactive logon privilege has been disabled.'],
  7038: ['ERROR_CTX_NOT_CONSOLE', 'The requested operation can be performed only on the system console.'],
  7044: ['ERROR_CTX_SHADOW_DENIED', 'The request to control another session remotely was denied.'],
  7045: ['ERROR_CTX_WINSTATION_ACCESS_DENIED', 'Access to the session is denied.'],
};

/**
 * The symbolic name of a Win32 error number, e.g. `5` → `'ERROR_ACCESS_DENIED'`. Numbers this package does not
 * know get `'WIN32_ERROR_<n>'` (e.g. `'WIN32_ERROR_1234'`), so `code` is always a non-empty string.
 */
export function win32ErrorCode(errno: number): string {
  return WIN32_ERRORS[errno]?.[0] ?? `WIN32_ERROR_${errno}`;
}

/** Windows's English text for a Win32 error number, or a generic text for numbers this package does not know. */
export function win32ErrorText(errno: number): string {
  return WIN32_ERRORS[errno]?.[1] ?? `Windows error ${errno}.`;
}

/**
 * The "session ended" errors: from the session query (WTSSessionInfo), and only from it, they mean the session is
 * gone (left out of a listing; `getSession` gives `null`). ERROR_CTX_CLOSE_PENDING comes from a session that is
 * logging off (Cassia #36, #60). Any other error leaves the session listed, with `Session.partial`.
 */
export const VANISHED_SESSION_ERRNOS: ReadonlySet<number> = new Set([7007, 7022]);
