import { SESSION_EVENT_TYPES, type Session, type SessionEventType } from '../types.js';

/** The sign-in a session holds (user and logon time), or null without a user. */
const signIn = (s: Session | undefined) =>
  s?.userName ? `${s.domain ?? ''}\\${s.userName}|${s.logonTime?.getTime() ?? ''}`.toLowerCase() : null;

/**
 * The session events that two listings of one polled server imply, in Windows's flag-bit order: a session that came
 * or went (`create`, `delete`), a sign-in that began or ended (`logon`, `logoff`), a state that changed
 * (`stateChange`, plus `disconnect` into the disconnected state and `connect` out of it). `[]` when nothing changed.
 */
export function changedTypes(before: readonly Session[], after: readonly Session[]): SessionEventType[] {
  const old = new Map(before.map((s) => [s.id, s]));
  const seen = new Set<SessionEventType>();
  for (const a of after) {
    const b = old.get(a.id);
    old.delete(a.id);
    if (!b) seen.add('create');
    if (signIn(b) !== signIn(a)) {
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
