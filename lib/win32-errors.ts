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
  // The addon's own: every wait thread holds a server's wait (native/blocking_pool.h); that server is polled.
  155: ['ERROR_TOO_MANY_TCBS', 'Cannot create another thread.'],
  259: ['ERROR_NO_MORE_ITEMS', 'No more data is available.'],
  1008: ['ERROR_NO_TOKEN', 'An attempt was made to reference a token that does not exist.'],
  1115: ['ERROR_SHUTDOWN_IN_PROGRESS', 'A system shutdown is in progress.'],
  1314: ['ERROR_PRIVILEGE_NOT_HELD', 'A required privilege is not held by the client.'],
  1326: ['ERROR_LOGON_FAILURE', 'The user name or password is incorrect.'],
  // LookupAccountSidW/LookupAccountNameW: no such account, and a domain that could not be asked (pywin32 and OpenSSH
  // report 1789 for a domain member out of reach of its domain controller).
  1332: ['ERROR_NONE_MAPPED', 'No mapping between account names and security IDs was done.'],
  1355: ['ERROR_NO_SUCH_DOMAIN', 'The specified domain either does not exist or could not be contacted.'],
  1450: ['ERROR_NO_SYSTEM_RESOURCES', 'Insufficient system resources exist to complete the requested service.'],
  1460: ['ERROR_TIMEOUT', 'This operation returned because the timeout period expired.'],
  1702: ['RPC_S_INVALID_BINDING', 'The binding handle is invalid.'],
  1717: ['RPC_S_UNKNOWN_IF', 'The interface is unknown.'],
  1722: ['RPC_S_SERVER_UNAVAILABLE', 'The RPC server is unavailable.'],
  1726: ['RPC_S_CALL_FAILED', 'The remote procedure call failed.'],
  1727: ['RPC_S_CALL_FAILED_DNE', 'The remote procedure call failed and did not execute.'],
  1734: ['RPC_S_INVALID_BOUND', 'The array bounds are invalid.'],
  1753: ['EPT_S_NOT_REGISTERED', 'There are no more endpoints available from the endpoint mapper.'],
  1788: [
    'ERROR_TRUSTED_DOMAIN_FAILURE',
    'The trust relationship between the primary domain and the trusted domain failed.',
  ],
  1789: [
    'ERROR_TRUSTED_RELATIONSHIP_FAILURE',
    'The trust relationship between this workstation and the primary domain failed.',
  ],
  // Network management (lmerr.h, NERR_BASE 2100): what NetUserGetLocalGroups and NetUserGetGroups return.
  2221: ['NERR_UserNotFound', 'The user name could not be found.'],
  2453: ['NERR_DCNotFound', 'Could not find domain controller for this domain.'],
  7001: ['ERROR_CTX_WINSTATION_NAME_INVALID', 'The specified session name is invalid.'],
  7002: ['ERROR_CTX_INVALID_PD', 'The specified protocol driver is invalid.'],
  7003: ['ERROR_CTX_PD_NOT_FOUND', 'The specified protocol driver was not found in the system path.'],
  7004: ['ERROR_CTX_WD_NOT_FOUND', 'The specified terminal connection driver was not found in the system path.'],
  7005: [
    'ERROR_CTX_CANNOT_MAKE_EVENTLOG_ENTRY',
    'A registry key for event logging could not be created for this session.',
  ],
  7006: ['ERROR_CTX_SERVICE_NAME_COLLISION', 'A service with the same name already exists on the system.'],
  7007: ['ERROR_CTX_CLOSE_PENDING', 'A close operation is pending on the session.'],
  7008: ['ERROR_CTX_NO_OUTBUF', 'There are no free output buffers available.'],
  7009: ['ERROR_CTX_MODEM_INF_NOT_FOUND', 'The MODEM.INF file was not found.'],
  7010: ['ERROR_CTX_INVALID_MODEMNAME', 'The modem name was not found in MODEM.INF.'],
  7011: [
    'ERROR_CTX_MODEM_RESPONSE_ERROR',
    'The modem did not accept the command sent to it. Verify that the configured modem name matches the attached modem.',
  ],
  7012: [
    'ERROR_CTX_MODEM_RESPONSE_TIMEOUT',
    'The modem did not respond to the command sent to it. Verify that the modem is properly cabled and powered on.',
  ],
  7013: [
    'ERROR_CTX_MODEM_RESPONSE_NO_CARRIER',
    'Carrier detect has failed or carrier has been dropped due to disconnect.',
  ],
  7014: [
    'ERROR_CTX_MODEM_RESPONSE_NO_DIALTONE',
    'Dial tone not detected within the required time. Verify that the phone cable is properly attached and functional.',
  ],
  7015: ['ERROR_CTX_MODEM_RESPONSE_BUSY', 'Busy signal detected at remote site on callback.'],
  7016: ['ERROR_CTX_MODEM_RESPONSE_VOICE', 'Voice detected at remote site on callback.'],
  7017: ['ERROR_CTX_TD_ERROR', 'Transport driver error.'],
  7022: ['ERROR_CTX_WINSTATION_NOT_FOUND', 'The specified session cannot be found.'],
  7023: ['ERROR_CTX_WINSTATION_ALREADY_EXISTS', 'The specified session name is already in use.'],
  7024: [
    'ERROR_CTX_WINSTATION_BUSY',
    'The task you are trying to do cannot be completed because Remote Desktop Services is currently busy processing a connect, disconnect, reset, or delete operation.',
  ],
  7025: [
    'ERROR_CTX_BAD_VIDEO_MODE',
    'An attempt has been made to connect to a session whose video mode is not supported by the current client.',
  ],
  7035: [
    'ERROR_CTX_GRAPHICS_INVALID',
    'The application attempted to enable DOS graphics mode. DOS graphics mode is not supported.',
  ],
  7037: ['ERROR_CTX_LOGON_DISABLED', 'Your interactive logon privilege has been disabled.'],
  7038: ['ERROR_CTX_NOT_CONSOLE', 'The requested operation can be performed only on the system console.'],
  7040: ['ERROR_CTX_CLIENT_QUERY_TIMEOUT', 'The client failed to respond to the server connect message.'],
  7041: ['ERROR_CTX_CONSOLE_DISCONNECT', 'Disconnecting the console session is not supported.'],
  7042: ['ERROR_CTX_CONSOLE_CONNECT', 'Reconnecting a disconnected session to the console is not supported.'],
  7044: ['ERROR_CTX_SHADOW_DENIED', 'The request to control another session remotely was denied.'],
  7045: ['ERROR_CTX_WINSTATION_ACCESS_DENIED', 'Access to the session is denied.'],
  7049: ['ERROR_CTX_INVALID_WD', 'The specified terminal connection driver is invalid.'],
  7050: [
    'ERROR_CTX_SHADOW_INVALID',
    'The requested session cannot be controlled remotely. This may be because the session is disconnected or does not currently have a user logged on.',
  ],
  7051: ['ERROR_CTX_SHADOW_DISABLED', 'The requested session is not configured to allow remote control.'],
  7052: [
    'ERROR_CTX_CLIENT_LICENSE_IN_USE',
    'Your request to connect to this Terminal Server has been rejected. Your Terminal Server client license number is currently being used by another user. Please call your system administrator to obtain a unique license number.',
  ],
  7053: [
    'ERROR_CTX_CLIENT_LICENSE_NOT_SET',
    'Your request to connect to this Terminal Server has been rejected. Your Terminal Server client license number has not been entered for this copy of the Terminal Server client. Please contact your system administrator.',
  ],
  7054: [
    'ERROR_CTX_LICENSE_NOT_AVAILABLE',
    'The number of connections to this computer is limited and all connections are in use right now. Try connecting later or contact your system administrator.',
  ],
  7055: [
    'ERROR_CTX_LICENSE_CLIENT_INVALID',
    'The client you are using is not licensed to use this system. Your logon request is denied.',
  ],
  7056: ['ERROR_CTX_LICENSE_EXPIRED', 'The system license has expired. Your logon request is denied.'],
  7057: [
    'ERROR_CTX_SHADOW_NOT_RUNNING',
    'Remote control could not be terminated because the specified session is not currently being remotely controlled.',
  ],
  7058: [
    'ERROR_CTX_SHADOW_ENDED_BY_MODE_CHANGE',
    'The remote control of the console was terminated because the display mode was changed. Changing the display mode in a remote control session is not supported.',
  ],
  7060: ['ERROR_CTX_WINSTATIONS_DISABLED', 'Remote logins are currently disabled.'],
  7061: ['ERROR_CTX_ENCRYPTION_LEVEL_REQUIRED', 'You do not have the proper encryption level to access this Session.'],
  7062: [
    'ERROR_CTX_SESSION_IN_USE',
    'The user %s\\%s is currently logged on to this computer. Only the current user or an administrator can log on to this computer.',
  ],
  7063: [
    'ERROR_CTX_NO_FORCE_LOGOFF',
    'The user %s\\%s is already logged on to the console of this computer. You do not have permission to log in at this time. To resolve this issue, contact %s\\%s and have them log off.',
  ],
  7064: ['ERROR_CTX_ACCOUNT_RESTRICTION', 'Unable to log you on because of an account restriction.'],
  7065: [
    'ERROR_RDP_PROTOCOL_ERROR',
    'The RDP protocol component %2 detected an error in the protocol stream and has disconnected the client.',
  ],
  7066: ['ERROR_CTX_CDM_CONNECT', 'The Client Drive Mapping Service Has Connected on Terminal Connection.'],
  7067: ['ERROR_CTX_CDM_DISCONNECT', 'The Client Drive Mapping Service Has Disconnected on Terminal Connection.'],
  7068: [
    'ERROR_CTX_SECURITY_LAYER_ERROR',
    'The Terminal Server security layer detected an error in the protocol stream and has disconnected the client.',
  ],
  7069: ['ERROR_TS_INCOMPATIBLE_SESSIONS', 'The target session is incompatible with the current session.'],
  7070: [
    'ERROR_TS_VIDEO_SUBSYSTEM_ERROR',
    "Windows can't connect to your session because a problem occurred in the Windows video subsystem. Try connecting again later, or contact the server administrator for assistance.",
  ],
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
 * The "session ended" error: from the session query (WTSSessionInfo), and only from it, it means the session is gone
 * (left out of a listing; `getSession` gives `null`). ERROR_CTX_CLOSE_PENDING (7007) is not one: a hung session in the
 * Down state answers it (Cassia #36, #60) and is still there for an administrator to reset, so it stays listed with
 * `Session.partial`, as any other error leaves it.
 */
export const VANISHED_SESSION_ERRNOS: ReadonlySet<number> = new Set([7022]);
