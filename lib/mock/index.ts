/**
 * `windows-sessions/mock`: an in-memory backend that behaves like Windows, for tests on any OS.
 *
 * @example
 * ```ts
 * import { listSessions, logoff } from 'windows-sessions'
 * import { installMock } from 'windows-sessions/mock'
 *
 * const mock = installMock({ sessions: [{ id: 2, userName: 'bob', stationName: 'RDP-Tcp#2' }] })
 * await logoff(2)
 * expect(mock.calls).toContainEqual({ op: 'logoff', server: null, sessionId: 2, wait: false })
 * mock.restore()
 * ```
 *
 * @packageDocumentation
 */
import { setBackend } from '../default-backend.js';
import { MockBackend } from './mock-backend.js';
import type { MockBackendOptions } from './mock-types.js';

/** Makes a mock backend: pass it to `createClient()` or `setBackend()` from `windows-sessions`. */
export function createMockBackend(options?: MockBackendOptions): MockBackend {
  return new MockBackend(options);
}

/** A mock installed as the package-wide backend; see {@link installMock}. */
export interface InstalledMock extends MockBackend {
  /** Puts back the backend that was in use before {@link installMock}. */
  restore(): void;
}

/**
 * Makes a mock backend and points the top-level functions (`listSessions`, `logoff`, ...) at it, so code under
 * test that imports them talks to the mock without module mocking. Call `restore()` when the test ends.
 */
export function installMock(options?: MockBackendOptions): InstalledMock {
  const mock = new MockBackend(options);
  const restore = setBackend(mock);
  return Object.assign(mock, { restore });
}

export { MockBackend } from './mock-backend.js';
export type {
  MockAnswerOptions,
  MockBackendOptions,
  MockCall,
  MockClockFailure,
  MockFailureOptions,
  MockMessageFields,
  MockOperation,
  MockGroupSeed,
  MockProcessSeed,
  MockProcessUsage,
} from './mock-types.js';
export type { MockEventChange, MockEventSeed } from './mock-watch.js';
export { demoProcesses, demoSessions } from './demo-sessions.js';
export type { MockSession, MockSessionSeed, MockTime } from './seed.js';
