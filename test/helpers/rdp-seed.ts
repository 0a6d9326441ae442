import type { MockSessionSeed } from '../../lib/mock/index.js';

/** An RDP session of `DOMAIN\userName` from 10.0.0.5, signed in an hour before `now` and idle for a minute. */
export const rdpSeed = (id: number, domain: string, userName: string, now: number): MockSessionSeed => ({
  id,
  stationName: `RDP-Tcp#${id}`,
  userName,
  domain,
  clientAddress: '10.0.0.5',
  logonTime: now - 3_600_000,
  lastInputTime: now - 60_000,
});
