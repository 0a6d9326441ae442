import type { Session } from './types.js';

/** The times idle time is computed from, in ms since 1970 (`null` when Windows reports none). */
export interface IdleInputs {
  state: string;
  lastInputMs: number | null;
  disconnectMs: number | null;
  /** The server's own clock at the time of the query. */
  serverNowMs: number | null;
}

/**
 * How long a session has been idle, in ms, measured on the server's clock only (as Cassia does after its clock-skew
 * bugs): since the disconnect for a disconnected session, otherwise since the last input. `null` when a time is
 * missing. Never negative: a last input stamped after the server's "now" counts as no idle time.
 */
export function idleMs({ state, lastInputMs, disconnectMs, serverNowMs }: IdleInputs): number | null {
  const since = state === 'disconnected' ? (disconnectMs ?? lastInputMs) : lastInputMs;
  if (since === null || serverNowMs === null) return null;
  return Math.max(0, serverNowMs - since);
}

/**
 * An active console session, whose idle time is not trusted: Windows can leave the console's LastInputTime stale
 * while its user is at the keyboard (Cassia #23; PSAppDeployToolkit #1680 reads it another way for that reason).
 * A disconnected console session is judged by its disconnect time, which this does not concern.
 */
export function idleTimeUntrusted(s: Session): boolean {
  return s.state === 'active' && (s.protocol === 'console' || s.stationName === 'Console');
}

/** Whether a session counts as idle for at least `idleFor` ms, by a time that can be trusted. */
export function isIdleFor(s: Session, idleFor: number, includeActiveConsole: boolean): boolean {
  return s.idleMs !== null && s.idleMs >= idleFor && (includeActiveConsole || !idleTimeUntrusted(s));
}
