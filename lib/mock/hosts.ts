// Which host a call is for, and the sessions every real host has.
import type { MockSessionSeed } from './seed.js';
import { RDP_LISTENER, SERVICES_SESSION } from './demo-sessions.js';

/** Host names match without regard to case; `null` is the local machine. */
export const hostKey = (server: string | null): string | null => (server === null ? null : server.toLowerCase());

/** Session 0 and the RDP listener added to `seeds` unless they list those ids themselves. */
export function withSystemSessions(seeds: MockSessionSeed[]): MockSessionSeed[] {
  // A seed that is not an object is refused by normalizeSeed with a clear error; it must not crash here first.
  const ids = new Set(seeds.map((s) => (s as MockSessionSeed | null)?.id));
  return [...(ids.has(0) ? [] : [SERVICES_SESSION]), ...seeds, ...(ids.has(RDP_LISTENER.id) ? [] : [RDP_LISTENER])];
}
