import type { Backend } from '../backend.js';

/** `code` of the error a policy enforcer rejects with when it runs without an administrator's rights here. */
export const ERR_NOT_ADMINISTRATOR = 'ERR_WINDOWS_SESSIONS_NOT_ADMINISTRATOR';

/**
 * Refuses to guard this machine from a process that is not an administrator (elevated, or LocalSystem). Windows
 * grants the rights to sign out, disconnect and message other users' sessions (Reset, Disconnect, Message) to
 * Administrators and SYSTEM by default, and lists to other callers only the sessions they may query (MS-TSTS
 * RpcWinStationEnumerate): a guard without them would look on while an intruder stays. Remote hosts judge the
 * caller's rights themselves, and their refusals are reported per host. A backend that cannot tell is not refused.
 */
export async function requireAdministrator(backend: Backend, servers: readonly (string | null)[]): Promise<void> {
  if (!servers.includes(null) || !backend.isAdministrator) return;
  if (await backend.isAdministrator()) return;
  const error = new Error(
    'the session policy cannot guard this machine from a process without administrator rights: Windows lets only ' +
      'Administrators and SYSTEM sign out or disconnect other users, and may not list their sessions to others. ' +
      'Run it elevated ("Run as administrator") or as a service (LocalSystem).',
  ) as Error & { code: string };
  error.code = ERR_NOT_ADMINISTRATOR;
  throw error;
}
