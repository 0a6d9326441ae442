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
  /** WTSCLIENTW.ClientAddressFamily (AF_UNSPEC 0 when none). */
  clientAddressFamily: number;
  /** WTSCLIENTW.ClientAddress as bytes. */
  clientAddress: Uint8Array;
  /** WTSINFOW times: FILETIMEs (0 = none). */
  connectTime: bigint;
  disconnectTime: bigint;
  lastInputTime: bigint;
  logonTime: bigint;
  currentTime: bigint;
  /** The session this process runs in (local server only). */
  isCurrent: boolean;
}

/** A Win32 failure as the addon reports it: an Error with these fields. */
export interface RawWin32Error extends Error {
  errno: number;
  syscall: string;
  sessionId?: number;
}

/** The functions the compiled addon exports (native/addon.cc). Each runs its WTS calls on a worker thread. */
export interface Addon {
  listSessions(server: string | null): Promise<RawSession[]>;
  getSession(sessionId: number, server: string | null): Promise<RawSession | null>;
  currentSessionId(): Promise<number>;
  logoff(sessionId: number, wait: boolean, server: string | null): Promise<void>;
}
