/**
 * Connection states of a session, as `WTS_CONNECTSTATE_CLASS` names them (0 to 9, in this order).
 */
export const SESSION_STATES = [
  'active',
  'connected',
  'connectQuery',
  'shadow',
  'disconnected',
  'idle',
  'listen',
  'reset',
  'down',
  'init',
] as const;

/** A session's connection state; see {@link SESSION_STATES}. */
export type SessionState = (typeof SESSION_STATES)[number];

/** The protocol a session's client speaks (`WTSClientProtocolType`: 0 console, 1 ICA, 2 RDP). */
export type SessionProtocol = 'console' | 'ica' | 'rdp';

/** One Windows session, as `query session` and Task Manager's Users tab show it, with its times. */
export interface Session {
  /** Session id (0 is the services session; listeners are 65536 and up). */
  id: number;
  /** Window station name, e.g. `'Console'`, `'RDP-Tcp#3'`, `'Services'`; `''` when the session has none. */
  stationName: string;
  /** Connection state. */
  state: SessionState;
  /** Signed-in user's name, or `null` when no user is signed in. */
  userName: string | null;
  /** Signed-in user's domain (or machine name for local accounts), or `null` when no user is signed in. */
  domain: string | null;
  /** Remote client's computer name, or `null` when there is no remote client. */
  clientName: string | null;
  /** Remote client's IPv4 or IPv6 address as text, or `null` when unknown or there is no remote client. */
  clientAddress: string | null;
  /** Client protocol, or `null` when Windows does not report one. */
  protocol: SessionProtocol | null;
  /** When the user signed in, or `null`. */
  logonTime: Date | null;
  /** When the client last connected, or `null`. */
  connectTime: Date | null;
  /** When the client last disconnected, or `null`. */
  disconnectTime: Date | null;
  /** Time of the user's last keyboard or mouse input, or `null`. */
  lastInputTime: Date | null;
  /**
   * Milliseconds the session has been idle, measured on the server's own clock (so the caller's clock skew does not
   * matter): since the last input, or since the disconnect for a disconnected session. `null` when Windows reports
   * no such time.
   */
  idleMs: number | null;
  /** `true` for the session this process runs in (always `false` for a remote server). */
  isCurrent: boolean;
}

/** Options every function takes. */
export interface ServerOptions {
  /**
   * A remote host name (NetBIOS or DNS) to ask instead of this machine. Omitted, `null` or `''` means the local
   * machine.
   */
  server?: string | null;
}

/** Options of {@link listSessions}. */
export type ListSessionsOptions = ServerOptions;

/** Options of {@link getSession}. */
export type GetSessionOptions = ServerOptions;

/** Options of {@link logoff}. */
export interface LogoffOptions extends ServerOptions {
  /**
   * `false` (the default): resolve as soon as Windows accepted the logoff. `true`: resolve only once the session
   * has been logged off.
   */
  wait?: boolean;
}
