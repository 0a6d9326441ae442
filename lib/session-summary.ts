import type { Backend } from './backend.js';
import type { Session, SessionSummary } from './types.js';

/** The summary fields of a full session. */
export function summaryOf(s: Session): SessionSummary {
  return { id: s.id, stationName: s.stationName, state: s.state, userName: s.userName, domain: s.domain };
}

/**
 * A server's sessions in one call where the backend can (`WTSEnumerateSessionsExW`); from a full listing otherwise.
 */
export async function listSummaries(backend: Backend, server: string | null): Promise<SessionSummary[]> {
  if (backend.listSessionSummaries) return backend.listSessionSummaries(server);
  return (await backend.listSessions(server)).map(summaryOf);
}
