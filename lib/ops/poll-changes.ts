import { SESSION_EVENT_TYPES, type SessionEventType, type SessionSummary } from '../types.js';

/** What a poll compares: a summary, or a full session (whose logon time then also counts, where both sides have it). */
export type ListedSession = SessionSummary & { logonTime?: Date | null };

/** Who is signed in (domain and user), or null without a user. */
const who = (s: ListedSession | undefined) => (s?.userName ? `${s.domain ?? ''}\\${s.userName}`.toLowerCase() : null);

/** The same sign-in: the same user, and the same logon time where both listings give one (a summary gives none). */
function sameSignIn(b: ListedSession | undefined, a: ListedSession): boolean {
  if (who(b) !== who(a)) return false;
  const x = b?.logonTime;
  const y = a.logonTime;
  return x === undefined || y === undefined || (x?.getTime() ?? null) === (y?.getTime() ?? null);
}

/**
 * The session events that two listings of one polled server imply, in Windows's flag-bit order: a session that came
 * or went (`create`, `delete`), a sign-in that began or ended (`logon`, `logoff`), a state that changed
 * (`stateChange`, plus `disconnect` into the disconnected state and `connect` out of it). `[]` when nothing changed.
 * Either listing may be summaries (`WTSEnumerateSessionsExW`): a sign-out and a new sign-in of the same user in the
 * same session between two summaries is then not seen.
 */
export function changedTypes(before: readonly ListedSession[], after: readonly ListedSession[]): SessionEventType[] {
  const old = new Map(before.map((s) => [s.id, s]));
  const seen = new Set<SessionEventType>();
  for (const a of after) {
    const b = old.get(a.id);
    old.delete(a.id);
    if (!b) seen.add('create');
    if (!sameSignIn(b, a)) {
      if (b?.userName) seen.add('logoff');
      if (a.userName) seen.add('logon');
    }
    if (b && b.state !== a.state) {
      seen.add('stateChange');
      if (a.state === 'disconnected') seen.add('disconnect');
      else if (b.state === 'disconnected') seen.add('connect');
    }
  }
  for (const b of old.values()) {
    seen.add('delete');
    if (b.userName) seen.add('logoff');
  }
  return SESSION_EVENT_TYPES.filter((t) => seen.has(t));
}

/**
 * Which sessions of `after` changed since `before` (a new id, another state, another sign-in; see {@link changedTypes}
 * for what summaries cannot show), and which ids of `before` are no longer listed.
 */
export function changedIds(
  before: readonly ListedSession[],
  after: readonly ListedSession[],
): { changed: number[]; gone: number[] } {
  const old = new Map(before.map((s) => [s.id, s]));
  const changed: number[] = [];
  for (const a of after) {
    const b = old.get(a.id);
    old.delete(a.id);
    if (b?.state !== a.state || !sameSignIn(b, a)) changed.push(a.id);
  }
  return { changed, gone: [...old.keys()] };
}
