// A session as a listing gives it, for the policy tests that plan on sessions directly: every field written out
// here (not taken from lib/), an RDP user signed in a minute ago and active now, on the server's clock.
import type { Session } from '../../lib/types.js';

/** The server's clock in these tests: far from the test machine's, so a test that used its own clock would fail. */
export const LISTED_AT = Date.UTC(2031, 4, 4, 10, 0, 0);

export function listedSession(over: Partial<Session> & { id: number }): Session {
  return {
    stationName: `RDP-Tcp#${over.id}`,
    state: 'active',
    userName: `user${over.id}`,
    domain: 'CONTOSO',
    clientName: null,
    clientAddress: null,
    protocol: 'rdp',
    logonTime: new Date(LISTED_AT - 60_000),
    connectTime: new Date(LISTED_AT - 60_000),
    disconnectTime: null,
    lastInputTime: new Date(LISTED_AT),
    idleMs: 0,
    serverTime: new Date(LISTED_AT),
    clock: 'server',
    locked: null,
    isCurrent: false,
    partial: null,
    ...over,
  };
}
