import { raceAbort } from '../abort.js';
import type { Backend } from '../backend.js';
import { mapLimit } from '../concurrency.js';
import { listSummaries } from '../session-summary.js';
import type { HostSessions, ListSessionsOnOptions, Session, SessionSummary } from '../types.js';
import { checkConcurrency, checkOptions, checkRemoteClock, checkServer, checkSignal } from '../validate.js';

/** listSessionsOn: several hosts at once; each host's error is its own row, never the others' failure. */
export async function listSessionsOn(
  backend: Backend,
  servers: unknown,
  options: unknown,
): Promise<HostSessions<Session | SessionSummary>[]> {
  if (!Array.isArray(servers)) throw new TypeError('servers must be an array of host names');
  const hosts = servers.map((server) => {
    const name = checkServer(server);
    if (name === null) throw new TypeError('servers must be non-empty host names');
    return name;
  });
  const o = checkOptions<ListSessionsOnOptions>(options);
  const concurrency = checkConcurrency(o.concurrency, 8);
  const signal = checkSignal(o.signal);
  const callerClock = checkRemoteClock(o.remoteClock);
  const detail: unknown = o.detail;
  if (detail !== undefined && detail !== 'full' && detail !== 'summary')
    throw new RangeError(`options.detail must be 'full' or 'summary', not ${JSON.stringify(detail)}`);
  // The third argument only when asked for, so that a backend is called as before otherwise.
  const list = (server: string): Promise<(Session | SessionSummary)[]> =>
    o.detail === 'summary'
      ? listSummaries(backend, server)
      : callerClock
        ? backend.listSessions(server, false, true)
        : backend.listSessions(server);
  return mapLimit(hosts, concurrency, async (server): Promise<HostSessions<Session | SessionSummary>> => {
    try {
      return { server, ok: true, sessions: await raceAbort(list(server), signal) };
    } catch (error) {
      return { server, ok: false, error: error as Error };
    }
  });
}
