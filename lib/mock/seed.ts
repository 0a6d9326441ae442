import { SESSION_STATES, type SessionProtocol, type SessionState } from '../types.js';
import { checkSessionId } from '../validate.js';

/** A time in a seed: a Date, ms since 1970, or `null` for "none". */
export type MockTime = Date | number | null;

/** One session to seed the mock with. Only `id` is required; see {@link MockSession} for the defaults. */
export interface MockSessionSeed {
  id: number;
  /** Default `''`. */
  stationName?: string;
  /** Default `'active'` when there is a user, else `'disconnected'`. */
  state?: SessionState;
  /** Default `null` (no user). */
  userName?: string | null;
  /** Default `'WORKGROUP'` when there is a user, else `null`. */
  domain?: string | null;
  clientName?: string | null;
  clientAddress?: string | null;
  /** Default `'console'` for station 'Console' or 'Services', `'rdp'` otherwise. */
  protocol?: SessionProtocol | null;
  logonTime?: MockTime;
  connectTime?: MockTime;
  disconnectTime?: MockTime;
  lastInputTime?: MockTime;
}

/** A session as the mock stores it: every field present, times in ms since 1970. */
export interface MockSession {
  id: number;
  stationName: string;
  state: SessionState;
  userName: string | null;
  domain: string | null;
  clientName: string | null;
  clientAddress: string | null;
  protocol: SessionProtocol | null;
  logonTime: number | null;
  connectTime: number | null;
  disconnectTime: number | null;
  lastInputTime: number | null;
}

function toMs(value: MockTime | undefined, field: string): number | null {
  if (value === undefined || value === null) return null;
  const ms = value instanceof Date ? value.getTime() : value;
  if (typeof ms !== 'number' || !Number.isFinite(ms)) throw new TypeError(`mock session ${field} must be a Date, a number or null`);
  return ms;
}

/** Fills a seed's defaults and checks it, so that a bad scenario fails where it is written, not in a test later. */
export function normalizeSeed(seed: MockSessionSeed): MockSession {
  if (typeof seed !== 'object' || seed === null) throw new TypeError('a mock session seed must be an object');
  const id = checkSessionId(seed.id, 'mock session id');
  const userName = seed.userName ?? null;
  const state = seed.state ?? (userName ? 'active' : 'disconnected');
  if (!SESSION_STATES.includes(state)) throw new RangeError(`mock session ${id}: unknown state ${String(state)}`);
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
  };
}
