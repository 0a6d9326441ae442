import { formatClientAddress } from '../client-address.js';
import { idleMs } from '../idle-time.js';
import { sessionTiming, type RemoteClockReading } from '../remote-clock.js';
import { detailError, withDetailErrors } from '../session-details.js';
import { SESSION_STATES, type Session, type SessionInfoClass, type SessionProtocol } from '../types.js';
import type { RawSession } from './addon.js';

const PROTOCOLS: readonly SessionProtocol[] = ['console', 'ica', 'rdp'];

/** WTS_INFO_CLASS numbers of the detail queries the addon reports failures of. */
const INFO_CLASSES: Readonly<Record<number, SessionInfoClass>> = {
  5: 'WTSUserName',
  7: 'WTSDomainName',
  14: 'WTSClientAddress',
  16: 'WTSClientProtocolType',
  23: 'WTSClientInfo',
  24: 'WTSSessionInfo',
  25: 'WTSSessionInfoEx',
};

function toDate(ms: number | null): Date | null {
  return ms === null ? null : new Date(ms);
}

const orNull = (text: string) => (text === '' ? null : text);

/**
 * Converts the addon's record of a session into the public {@link Session} shape. `clock`: the remote host's clock
 * as the addon read it (none for this machine); `callerClock`: take CurrentTime as given when it could not be.
 */
export function toSession(raw: RawSession, clock?: RemoteClockReading, callerClock = false): Session {
  // An unknown state number (a newer Windows) must not masquerade as a known one; 'down' is the closest honest word.
  const state = SESSION_STATES[raw.state] ?? 'down';
  const hasUser = raw.userName !== '';
  const lastInputMs = raw.lastInputTime;
  const disconnectMs = raw.disconnectTime;
  const timing = sessionTiming(raw.currentTime, clock ?? raw.remoteClock, callerClock);
  const session: Session = {
    id: raw.id,
    stationName: raw.stationName,
    state,
    userName: hasUser ? raw.userName : null,
    domain: hasUser ? orNull(raw.domain) : null,
    clientName: orNull(raw.clientName),
    clientAddress: formatClientAddress(raw.clientAddressFamily, raw.clientAddress),
    protocol: PROTOCOLS[raw.protocol] ?? null,
    logonTime: toDate(raw.logonTime),
    connectTime: toDate(raw.connectTime),
    disconnectTime: toDate(disconnectMs),
    lastInputTime: toDate(lastInputMs),
    idleMs: idleMs({ state, lastInputMs, disconnectMs, serverNowMs: timing.serverNowMs }),
    serverTime: toDate(timing.serverNowMs),
    clock: timing.clock,
    locked: raw.lockState === 1 ? true : raw.lockState === 0 ? false : null,
    isCurrent: raw.isCurrent,
    partial: null,
  };
  if (!raw.failures) return session;
  // A class this code does not know is taken as the session query: every detail then counts as unread.
  return withDetailErrors(
    session,
    raw.failures.map((f) => detailError(INFO_CLASSES[f.infoClass] ?? 'WTSSessionInfo', f.errno)),
  );
}
