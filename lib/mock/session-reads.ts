import { isIPv6 } from 'node:net';
import { detailError } from '../session-details.js';
import type { SessionDetailError, SessionInfoClass } from '../types.js';
import type { MockSession } from './seed.js';

/** Lengths at which the addon asks for a whole name, because WTSINFOW may have cut it (native/session_query.cc). */
const USER_NAME_MAY_BE_CUT = 20;
const DOMAIN_MAY_BE_CUT = 16;

function protocolFromStation(station: string): boolean {
  return station === 'Console' || station === 'Services' || station === 'RDP-Tcp' || station.startsWith('RDP-Tcp#');
}

/**
 * Walks the detail queries the addon makes for one session after WTSSessionInfo, in its order and under its
 * conditions, so that a failure scripted for one of them lands in the mock where it would land on Windows.
 * `fail(infoClass)` gives the scripted errno of that query, if any. Returns the failures, in query order.
 */
export function readDetails(
  s: MockSession,
  fail: (infoClass: SessionInfoClass) => number | undefined,
  asksLock: boolean,
) {
  const errors: SessionDetailError[] = [];
  const ask = (infoClass: SessionInfoClass): boolean => {
    const errno = fail(infoClass);
    if (errno !== undefined) errors.push(detailError(infoClass, errno));
    return errno === undefined;
  };
  // A user name that could not be read in full is no name: the lock state is then not asked either.
  const named = !(s.userName !== null && s.userName.length >= USER_NAME_MAY_BE_CUT && !ask('WTSUserName'));
  if (s.domain !== null && s.domain.length >= DOMAIN_MAY_BE_CUT) ask('WTSDomainName');
  let protocol = s.protocol;
  if (!protocolFromStation(s.stationName) && !ask('WTSClientProtocolType')) protocol = null;
  // Session 0, listeners and console sessions have no remote client and are not asked for one.
  if (s.id !== 0 && s.state !== 'listen' && protocol !== 'console' && ask('WTSClientInfo')) {
    // IPv6 always comes from WTSClientAddress; IPv4 from WTSCLIENTW, whose forms the mock does not model.
    if (s.clientAddress !== null && isIPv6(s.clientAddress)) ask('WTSClientAddress');
  }
  if (asksLock && named) ask('WTSSessionInfoEx');
  return errors;
}

/** Whether the addon asks for a session's lock state (native/session_query.cc, QueryLock). */
export const asksLock = (s: MockSession, server: string | null, lockState: boolean) =>
  lockState && server === null && s.state === 'active' && s.userName !== null;
