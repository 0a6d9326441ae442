// Scripted failures: which calls fail, with which Win32 error, and the WTS function each operation reports.
import type { SessionInfoClass } from '../types.js';
import { hostKey } from './hosts.js';
import type { MockFailureOptions, MockOperation } from './mock-types.js';

/** The function a failure of each operation names as `syscall`, as the addon reports it. */
export const SYSCALLS: Record<MockOperation, string> = {
  listSessions: 'WTSEnumerateSessionsW',
  listSessionSummaries: 'WTSEnumerateSessionsExW',
  getSession: 'WTSQuerySessionInformationW',
  currentSessionId: 'ProcessIdToSessionId',
  logoff: 'WTSLogoffSession',
  disconnect: 'WTSDisconnectSession',
  sendMessage: 'WTSSendMessageW',
  listProcesses: 'WTSEnumerateProcessesW',
  listProcessUsage: 'WTSEnumerateProcessesExW',
  watchEvents: 'WTSWaitSystemEvent',
  openServer: 'WTSOpenServerW',
  localGroups: 'NetUserGetLocalGroups',
  domainGroups: 'NetUserGetGroups',
};
export const INFO_CLASSES: readonly SessionInfoClass[] = [
  'WTSSessionInfo',
  'WTSUserName',
  'WTSDomainName',
  'WTSClientProtocolType',
  'WTSClientInfo',
  'WTSClientAddress',
  'WTSSessionInfoEx',
];

/** One scripted failure, with how many more matching calls it fails. */
export interface Failure extends Required<Omit<MockFailureOptions, 'sessionId' | 'server' | 'infoClass'>> {
  op: MockOperation;
  errno: number;
  sessionId: number | undefined;
  server: string | null | undefined;
  infoClass: SessionInfoClass;
}

/** The failures scripted with {@link MockBackend.fail}, taken one match at a time. */
export class ScriptedFailures {
  private failures: Failure[] = [];

  clear(): void {
    this.failures = [];
  }

  /** Scripts a failure (MockBackend.fail), after checking the operation, the errno and the query class. */
  add(op: MockOperation, errno: number, options: MockFailureOptions = {}): void {
    if (!(op in SYSCALLS)) throw new RangeError(`unknown mock operation: ${op}`);
    if (!Number.isInteger(errno) || errno <= 0) throw new RangeError('errno must be a positive integer');
    if (options.infoClass !== undefined && !INFO_CLASSES.includes(options.infoClass)) {
      throw new RangeError(`unknown infoClass: ${options.infoClass}; known: ${INFO_CLASSES.join(', ')}`);
    }
    this.failures.push({
      op,
      errno,
      sessionId: options.sessionId,
      server: options.server,
      times: options.times ?? 1,
      infoClass: options.infoClass ?? 'WTSSessionInfo',
    });
  }

  /**
   * Uses up the first failure scripted for this call: one without a session matches any session, one without a
   * server any host, and for a session the query class must match too.
   */
  take(
    op: MockOperation,
    server: string | null,
    sessionId?: number,
    infoClass: SessionInfoClass = 'WTSSessionInfo',
  ): Failure | undefined {
    const index = this.failures.findIndex(
      (f) =>
        f.op === op &&
        f.times > 0 &&
        (f.sessionId === undefined || f.sessionId === sessionId) &&
        (sessionId === undefined || f.infoClass === infoClass) &&
        (f.server === undefined || hostKey(f.server) === hostKey(server)),
    );
    if (index < 0) return undefined;
    const failure = this.failures[index]!;
    failure.times -= 1;
    if (failure.times <= 0) this.failures.splice(index, 1);
    return failure;
  }
}
