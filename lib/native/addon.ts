import type { RemoteClockReading } from '../remote-clock.js';

/** One session as the addon reports it: Windows's values, not yet converted (see `to-session.ts`). */
export interface RawSession {
  id: number;
  stationName: string;
  /** WTS_CONNECTSTATE_CLASS value. */
  state: number;
  /** '' when no user. */
  userName: string;
  domain: string;
  /** WTSClientProtocolType (0 console, 1 ICA, 2 RDP), or -1 when Windows did not say. */
  protocol: number;
  /** WTSCLIENTW.ClientName; '' when none. */
  clientName: string;
  /** AF_INET 2, AF_INET6 23, or 0 when the address is unknown (native/client_address.h decodes Windows's forms). */
  clientAddressFamily: number;
  /** Dotted-decimal text for AF_INET, the 16 bytes as 32 hex digits for AF_INET6, '' otherwise. */
  clientAddress: string;
  /** WTSINFOW times, converted natively from FILETIME to ms since 1970; null for none (native/file_time.h). */
  connectTime: number | null;
  disconnectTime: number | null;
  lastInputTime: number | null;
  logonTime: number | null;
  currentTime: number | null;
  /** The session this process runs in (local server only). */
  isCurrent: boolean;
  /** native/lock_state.h: -1 not read or unknown, 0 unlocked, 1 locked. */
  lockState: number;
  /** Detail queries that failed (WTS_INFO_CLASS number and Win32 error); absent when none did. */
  failures?: { infoClass: number; errno: number }[];
  /** getSession of a remote host: its clock, read with NetRemoteTOD (native/remote_clock.h). */
  remoteClock?: RemoteClockReading;
}

/** A Win32 failure as the addon reports it: an Error with these fields. */
export interface RawWin32Error extends Error {
  errno: number;
  syscall: string;
  sessionId?: number;
}

/** A process as the addon reports it ('' for what Windows did not give). */
export interface RawProcess {
  pid: number;
  sessionId: number;
  name: string;
  userSid: string;
  userName: string;
  domain: string;
  /** WTS_PROCESS_INFO_EXW's figures, with `usage` only. */
  workingSetBytes?: number;
  pagefileBytes?: number;
  handles?: number;
  threads?: number;
  userTimeMs?: number;
  kernelTimeMs?: number;
}

/** The functions the compiled addon exports (native/addon.cc). Each runs its WTS calls off the main thread. */
/** A listing held by the addon: take its records in slices with {@link Addon.takeSessions}. */
export interface RawSessionList {
  /** Opaque; the records are freed when it is collected. Absent when `records` holds them all. */
  handle?: unknown;
  /** A short listing's records, given at once (native/session_list.h, kInlineRecords). */
  records?: RawSession[];
  length: number;
  /** A remote host's listing: its clock, read once with NetRemoteTOD (native/remote_clock.h). */
  remoteClock?: RemoteClockReading;
}

export interface Addon {
  /** `concurrency`: sessions queried at once (default 16; 1 makes the calls one after another). */
  listSessions(server: string | null, concurrency?: number | null, lockState?: boolean): Promise<RawSessionList>;
  /** WTSEnumerateSessionsExW at level 1: each session's id, state number, station, user and domain ('' for none). */
  listSessionSummaries(
    server: string | null,
  ): Promise<{ id: number; state: number; stationName: string; userName: string; domain: string }[]>;
  /** Records [start, start + count) of a listing, as objects. */
  takeSessions(handle: unknown, start: number, count: number): RawSession[];
  getSession(sessionId: number, server: string | null, lockState?: boolean): Promise<RawSession | null>;
  currentSessionId(): Promise<number>;
  /** Whether the process acts with the Administrators group (CheckTokenMembership). */
  isAdministrator(): Promise<boolean>;
  logoff(sessionId: number, wait: boolean, server: string | null): Promise<void>;
  disconnect(sessionId: number, wait: boolean, server: string | null): Promise<void>;
  /** Resolves to the WTSSendMessageW response code. Its thread does not hold the event loop open. */
  sendMessage(
    sessionId: number,
    title: string,
    message: string,
    style: number,
    timeoutSeconds: number,
    wait: boolean,
    server: string | null,
  ): Promise<number>;
  /** Group names of an account (NetUserGetLocalGroups, or NetUserGetGroups at a domain controller). */
  userGroups(
    userName: string,
    domain: string,
    domainGroups: boolean,
    server: string | null,
    sessionId: number | null,
  ): Promise<string[]>;
  /** With `usage`, WTSEnumerateProcessesExW at level 1 (freed with WTSFreeMemoryExW) instead of WTSEnumerateProcessesW. */
  listProcesses(server: string | null, usage?: boolean): Promise<RawProcess[]>;
  /** Subscribes to the server's shared event wait (one per server per process); resolves to a watch id. */
  openWatch(server: string | null): Promise<number>;
  /**
   * The event flags in `mask` that happened since the watch's last waitEvent (or its opening), waiting for one if
   * none did; 0 once the watch is closed. One pending call per watch. Does not hold the loop.
   */
  waitEvent(watchId: number, mask: number): Promise<number>;
  /** Forgets the watch; the last watch of a server flushes the shared wait and closes its handle, off the loop. */
  closeWatch(watchId: number): Promise<void>;
  /** One Application log record under `source` (ReportEventW): `text` fills %1 of the event id's message. */
  reportEvent(source: string, type: number, eventId: number, text: string, data: Buffer): Promise<void>;
  /** CreateServiceW and its configuration (native/service_install_worker.cc), and the event source of `name`. */
  installService(options: RawServiceInstall): Promise<{ delayedAutoStart: boolean }>;
  /** Removes (`'uninstall'`), starts, stops or reads a service; all but uninstall resolve to its status. */
  controlService(name: string, op: 'uninstall' | 'start' | 'stop' | 'query'): Promise<RawServiceStatus | undefined>;
  /** With `sddl`: gives the file that owner and protected DACL. Without: reads its owner and DACL. */
  fileAcl(path: string, sddl?: string | null, withData?: boolean): Promise<RawFileAcl | undefined>;
  /** Starts the service control dispatcher on its own thread (native/service_host.h says what `onControl` gets). */
  startServiceDispatcher(name: string, onControl: (kind: string, a?: unknown, b?: number) => void): void;
  /** Whether `Global\\TermSrvReadyEvent` is set (`'ready'`), not yet (`'waiting'`), or not there (`'absent'`). */
  termServReady(): 'ready' | 'waiting' | 'absent';
  /** SetServiceStatus: state, wait hint, Win32 exit code, service-specific exit code. */
  setServiceState(state: number, waitHintMs: number, win32ExitCode: number, serviceExitCode: number): void;
}

/** What installService is given. */
export interface RawServiceInstall {
  name: string;
  displayName: string;
  description: string;
  commandLine: string;
  /** Absent: LocalSystem. */
  account?: string | null;
  password?: string | null;
}

/** SERVICE_STATUS_PROCESS, as queryService reads it. */
export interface RawServiceStatus {
  state: number;
  pid: number;
  win32ExitCode: number;
  serviceExitCode: number;
  checkPoint: number;
  waitHint: number;
}

/** A file's owner and DACL as SIDs and masks; `dacl` null for a NULL DACL (everyone may do anything). */
export interface RawFileAcl {
  owner: string;
  /** The account this process runs as (its token's user). */
  self: string;
  /** FILE_ATTRIBUTE_* of the path itself (a junction or link is not followed). */
  attributes: number;
  /** Each ACE: its ACE_HEADER type (only ACCESS_ALLOWED 0 and ACCESS_DENIED 1 carry a mask and SID here). */
  dacl: { type: number; allow: boolean; flags: number; mask: number; sid: string }[] | null;
  /** The file's bytes, read through the handle the rest was read from (`withData`). */
  data?: Buffer;
}
