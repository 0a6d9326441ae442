import { SESSION_STATES, type SessionProtocol, type SessionState } from '../types.js';
import { checkSessionId } from '../validate.js';

/** A time in a seed: a Date, ms since 1970, or `null` for "none". */
export type MockTime = Date | number | null;

/** One session to seed the mock with. Only `id` is required; see {@link MockSession} for the defaults. */
export interface MockSessionSeed {
  /** Session id. */
  id: number;
  /** Default `''`. */
  stationName?: string | undefined;
  /** Default `'active'` when there is a user, else `'disconnected'`. */
  state?: SessionState | undefined;
  /** Default `null` (no user). */
  userName?: string | null | undefined;
  /** Default `'WORKGROUP'` when there is a user, else `null`. */
  domain?: string | null | undefined;
  /** Default `null`. */
  clientName?: string | null | undefined;
  /** IPv4 or IPv6 text; default `null`. */
  clientAddress?: string | null | undefined;
  /** Default `'console'` for station 'Console' or 'Services', `'rdp'` otherwise. */
  protocol?: SessionProtocol | null | undefined;
  /** Default `null`. */
  logonTime?: MockTime | undefined;
  /** Default `null`. */
  connectTime?: MockTime | undefined;
  /** Default `null`; counts for idle time while the session is disconnected. */
  disconnectTime?: MockTime | undefined;
  /** Default `null` (idle time unknown). */
  lastInputTime?: MockTime | undefined;
  /** Whether the desktop is locked; default `null` (Windows does not say). Reported for active sessions only. */
  locked?: boolean | null | undefined;
  /**
   * A hung session that Windows does not end when asked: a sign-out or disconnect of it is accepted and it stays as
   * it is (to rehearse `wait: true` running out, outcome `'pending'`). Default `false`.
   */
  hung?: boolean | undefined;
}

/** A session as the mock stores it: every field present, times in ms since 1970. */
export interface MockSession {
  /** See `Session.id`. */
  id: number;
  /** See `Session.stationName`. */
  stationName: string;
  /** See `Session.state`. */
  state: SessionState;
  /** See `Session.userName`. */
  userName: string | null;
  /** See `Session.domain`. */
  domain: string | null;
  /** See `Session.clientName`. */
  clientName: string | null;
  /** See `Session.clientAddress`. */
  clientAddress: string | null;
  /** See `Session.protocol`. */
  protocol: SessionProtocol | null;
  /** See `Session.logonTime`; ms since 1970. */
  logonTime: number | null;
  /** See `Session.connectTime`; ms since 1970. */
  connectTime: number | null;
  /** See `Session.disconnectTime`; ms since 1970. */
  disconnectTime: number | null;
  /** See `Session.lastInputTime`; ms since 1970. */
  lastInputTime: number | null;
  /** See `Session.locked`. */
  locked: boolean | null;
  /** See {@link MockSessionSeed.hung}; absent means `false`. */
  hung?: boolean | undefined;
}

function toMs(value: MockTime | undefined, field: string): number | null {
  if (value === undefined || value === null) return null;
  const ms = value instanceof Date ? value.getTime() : value;
  if (typeof ms !== 'number' || !Number.isFinite(ms))
    throw new TypeError(`mock session ${field} must be a Date, a number or null`);
  return ms;
}

function checkLocked(value: unknown, id: number): boolean | null {
  if (value === undefined || value === null) return null;
  if (typeof value !== 'boolean') throw new TypeError(`mock session ${id}: locked must be a boolean or null`);
  return value;
}

function checkHung(value: unknown, id: number): boolean {
  if (value === undefined) return false;
  if (typeof value !== 'boolean') throw new TypeError(`mock session ${id}: hung must be a boolean`);
  return value;
}

/** Fills a seed's defaults and checks it, so that a bad scenario fails where it is written, not in a test later. */
export function normalizeSeed(seed: MockSessionSeed): MockSession {
  // Checked at run time: scenarios come from JSON files and JavaScript.
  if (typeof (seed as unknown) !== 'object' || (seed as unknown) === null)
    throw new TypeError('a mock session seed must be an object');
  const id = checkSessionId(seed.id, 'mock session id');
  const userName = seed.userName ?? null;
  const state = seed.state ?? (userName ? 'active' : 'disconnected');
  if (!SESSION_STATES.includes(state)) throw new RangeError(`mock session ${id}: unknown state ${state}`);
  const stationName = seed.stationName ?? '';
  const local = stationName === 'Console' || stationName === 'Services';
  return {
    id,
    stationName,
    state,
    userName,
    domain: seed.domain ?? (userName ? 'WORKGROUP' : null),
    clientName: seed.clientName ?? null,
    clientAddress: seed.clientAddress ?? null,
    protocol: seed.protocol === undefined ? (local ? 'console' : 'rdp') : seed.protocol,
    logonTime: toMs(seed.logonTime, 'logonTime'),
    connectTime: toMs(seed.connectTime, 'connectTime'),
    disconnectTime: toMs(seed.disconnectTime, 'disconnectTime'),
    lastInputTime: toMs(seed.lastInputTime, 'lastInputTime'),
    locked: checkLocked(seed.locked, id),
    hung: checkHung(seed.hung, id),
  };
}
