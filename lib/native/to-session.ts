import { formatClientAddress } from '../client-address.js';
import { fileTimeToMs } from '../filetime.js';
import { idleMs } from '../idle.js';
import { SESSION_STATES, type Session, type SessionProtocol } from '../types.js';
import type { RawSession } from './addon.js';

const PROTOCOLS: readonly SessionProtocol[] = ['console', 'ica', 'rdp'];

function toDate(ms: number | null): Date | null {
  return ms === null ? null : new Date(ms);
}

/** Converts the addon's record of a session into the public {@link Session} shape. */
export function toSession(raw: RawSession): Session {
  // An unknown state number (a newer Windows) must not masquerade as a known one; 'down' is the closest honest word.
  const state = SESSION_STATES[raw.state] ?? 'down';
  const hasUser = raw.userName !== '';
  const lastInputMs = fileTimeToMs(raw.lastInputTime);
  const disconnectMs = fileTimeToMs(raw.disconnectTime);
  return {
    id: raw.id,
    stationName: raw.stationName,
    state,
    userName: hasUser ? raw.userName : null,
    domain: hasUser ? raw.domain : null,
    clientName: raw.clientName === '' ? null : raw.clientName,
    clientAddress: formatClientAddress(raw.clientAddressFamily, raw.clientAddress),
    protocol: PROTOCOLS[raw.protocol] ?? null,
    logonTime: toDate(fileTimeToMs(raw.logonTime)),
    connectTime: toDate(fileTimeToMs(raw.connectTime)),
    disconnectTime: toDate(disconnectMs),
    lastInputTime: toDate(lastInputMs),
    idleMs: idleMs({ state, lastInputMs, disconnectMs, serverNowMs: fileTimeToMs(raw.currentTime) }),
    isCurrent: raw.isCurrent,
  };
}
