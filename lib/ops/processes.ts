import type { Backend } from '../backend.js';
import type { ListProcessesOptions, ProcessInfo } from '../types.js';
import { checkBoolean, checkOptions, checkServer, checkSessionId } from '../validate.js';

/** listProcesses: every process on the server, or only one session's, in pid order. */
export async function listProcesses(backend: Backend, options: unknown): Promise<ProcessInfo[]> {
  const o = checkOptions<ListProcessesOptions>(options);
  const sessionId = o.sessionId === undefined ? undefined : checkSessionId(o.sessionId, 'options.sessionId');
  const server = checkServer(o.server);
  const usage = checkBoolean(o.usage, 'options.usage', false);
  const processes = await (usage ? backend.listProcesses(server, true) : backend.listProcesses(server));
  return processes.filter((p) => sessionId === undefined || p.sessionId === sessionId).sort((a, b) => a.pid - b.pid);
}
