import { raceAbort } from '../abort.js';
import type { Backend } from '../backend.js';
import { changedIds } from '../ops/poll-changes.js';
import { listSummaries } from '../session-summary.js';
import type { Session } from '../types.js';
import type { EnforceSettings } from './enforce-policy.js';

/**
 * After a session event: the sessions of `view` (the host as last read) that one summary listing shows changed (a new
 * id, another state, another user), each read again with getSession, and `view` brought up to date. So a host's
 * reaction costs what changed, not a listing of the whole host. `null` when only a full listing will do: the summary
 * or a read failed, or the summary shows no change the event could be about (a sign-out and a new sign-in of the same
 * user in one session between two summaries looks like none). A session gone from the summary, or that getSession no
 * longer finds, leaves `view` but nothing else: only a full listing makes the enforcer forget a sign-in. `alsoRead`:
 * the ids read again at every event all the same (the sessions the enforcer has acted on or could not judge), so that
 * what it does about them is as before: a disconnect and a reconnect between two summaries look like no change.
 */
export async function readChanged(
  backend: Backend,
  settings: EnforceSettings,
  server: string | null,
  view: Map<number, Session>,
  alsoRead: ReadonlySet<number>,
): Promise<Session[] | null> {
  try {
    const summaries = await raceAbort(listSummaries(backend, server), settings.signal);
    const { changed, gone } = changedIds([...view.values()], summaries);
    if (changed.length === 0) return null;
    for (const { id } of summaries) if (alsoRead.has(id) && !changed.includes(id)) changed.push(id);
    const { needsLockState } = settings.policy;
    const read = (id: number) =>
      settings.callerClock
        ? backend.getSession(id, server, needsLockState, true)
        : backend.getSession(id, server, needsLockState);
    const fresh = await raceAbort(Promise.all(changed.map(read)), settings.signal);
    for (const id of gone) view.delete(id);
    const sessions: Session[] = [];
    changed.forEach((id, i) => {
      const s = fresh[i];
      if (s) view.set(id, s);
      else view.delete(id);
      if (s) sessions.push(s);
    });
    return sessions;
  } catch {
    return null;
  }
}
