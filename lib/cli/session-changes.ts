import type { Session } from '../types.js';

/** The sign-in a session holds (user and logon), or null without a user. */
const signIn = (s: Session | undefined) =>
  s?.userName ? `${s.domain ?? ''}\\${s.userName}|${s.logonTime?.getTime() ?? ''}`.toLowerCase() : null;

const from = (s: Session) =>
  s.clientAddress ? ` from ${s.clientAddress}` : s.clientName ? ` from ${s.clientName}` : '';

/**
 * What changed between two listings of one server, in words: who signed on or off, disconnected or reconnected.
 * Windows's session events do not say which session they are about; comparing listings does.
 */
export function sessionChanges(before: readonly Session[], after: readonly Session[]): string[] {
  const old = new Map(before.map((s) => [s.id, s]));
  const now = new Map(after.map((s) => [s.id, s]));
  const ids = [...new Set([...old.keys(), ...now.keys()])].sort((a, b) => a - b);
  const changes: string[] = [];
  for (const id of ids) {
    const b = old.get(id);
    const a = now.get(id);
    if (signIn(b) !== signIn(a)) {
      if (b?.userName) changes.push(`${b.userName} signed off from session ${id}`);
      if (a?.userName) changes.push(`${a.userName} signed on to session ${id}${from(a)}`);
      continue;
    }
    if (!a?.userName || !b || b.state === a.state) continue;
    if (a.state === 'disconnected') changes.push(`${a.userName} disconnected from session ${id}`);
    else if (b.state === 'disconnected') changes.push(`${a.userName} reconnected to session ${id}${from(a)}`);
    else changes.push(`${a.userName}'s session ${id} is now ${a.state}`);
  }
  return changes;
}
