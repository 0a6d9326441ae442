import type { Session, SessionState } from '../types.js';

/** One sign-in: a reused session id is another key. */
export const signInKey = (s: Session): string =>
  `${s.id}|${s.logonTime?.getTime() ?? '-'}|${s.domain ?? ''}\\${s.userName ?? ''}`;

/** One connection of a sign-in: a reconnect gives a new connect time. */
const connectionOf = (s: Session) => String(s.connectTime?.getTime() ?? '-');

interface Entry {
  connection: string;
  state: SessionState;
  /** The strongest action started in this connection. */
  strength: number;
  /** Whether its user was shown a grace-period notice in this connection. */
  warned: boolean;
}

/**
 * What the running enforcer started on each connection of each sign-in still listed. Kept per connection, not per
 * sign-in: someone disconnected for breaking a rule who reconnects (same sign-in, same logon time) is judged afresh,
 * and a session that reconnects and then goes idle is disconnected again. A reconnect is a new connect time, or a
 * session seen disconnected and then active (for a connect time Windows did not give).
 */
export class ActedOn {
  private readonly entries = new Map<string, Entry>();

  /**
   * Takes a new listing: forgets sign-ins no longer listed, and starts afresh for one that connected again, unless
   * an action on it is still under way (`busy`), which then finishes first.
   */
  update(sessions: readonly Session[], busy: ReadonlySet<string>): void {
    const live = new Set(sessions.map(signInKey));
    for (const key of this.entries.keys()) if (!live.has(key)) this.entries.delete(key);
    this.refresh(sessions, busy);
  }

  /**
   * Takes a fresh read of some sessions only (those an event changed): starts afresh for one that connected again, as
   * {@link update} does, but forgets nothing, since a partial read cannot say that a sign-in ended.
   */
  refresh(sessions: readonly Session[], busy: ReadonlySet<string>): void {
    for (const s of sessions) {
      const key = signInKey(s);
      const entry = this.entries.get(key);
      if (!entry || busy.has(key)) continue;
      const reconnected =
        entry.connection !== connectionOf(s) || (entry.state === 'disconnected' && s.state === 'active');
      if (reconnected) this.entries.delete(key);
      else entry.state = s.state;
    }
  }

  private entry(s: Session): Entry {
    const key = signInKey(s);
    let entry = this.entries.get(key);
    if (!entry) {
      entry = { connection: connectionOf(s), state: s.state, strength: 0, warned: false };
      this.entries.set(key, entry);
    }
    return entry;
  }

  /** Whether anything was started on this sign-in, or its user warned, in the connection remembered. */
  has(s: Session): boolean {
    return this.entries.has(signInKey(s));
  }

  /** The strongest action started in this session's connection; 0 for none. */
  strength(s: Session): number {
    return this.entries.get(signInKey(s))?.strength ?? 0;
  }

  /** Whether a grace-period notice was shown in this connection: it is never shown twice. */
  warned(s: Session): boolean {
    return this.entries.get(signInKey(s))?.warned === true;
  }

  markStarted(s: Session, strength: number): void {
    this.entry(s).strength = strength;
  }

  markWarned(s: Session): void {
    this.entry(s).warned = true;
  }

  /** Lets the next check decide again on this connection (a failed action, a rule that no longer applied). */
  retry(s: Session): void {
    const entry = this.entries.get(signInKey(s));
    if (entry) entry.strength = 0;
  }
}
