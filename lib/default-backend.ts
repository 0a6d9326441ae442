import type { Backend } from './backend.js';
import { createNativeBackend } from './native/native-backend.js';

// One slot per process, shared by the ESM and CommonJS copies of this package, so a test that installs a mock
// through either module system reaches callers that import the other.
const SLOT = Symbol.for('windows-sessions.defaultBackend');
interface Slot {
  backend?: Backend | undefined;
  native?: Backend | undefined;
}

function slot(): Slot {
  const holder = globalThis as { [SLOT]?: Slot };
  return (holder[SLOT] ??= {});
}

/** The backend the top-level functions use: the one set with {@link setBackend}, else the native one. */
export function getBackend(): Backend {
  const s = slot();
  return s.backend ?? (s.native ??= createNativeBackend());
}

/**
 * Points the top-level functions (`listSessions`, `logoff`, ...) at another backend for the whole process, e.g. a
 * mock in a dependent project's tests, without module mocking. Returns a function that restores the previous one.
 *
 * @example
 * ```ts
 * import { setBackend } from 'windows-sessions'
 * import { createMockBackend } from 'windows-sessions/mock'
 * const restore = setBackend(createMockBackend())
 * afterEach(() => restore())
 * ```
 */
export function setBackend(backend: Backend): () => void {
  // Checked at run time: JavaScript callers pass anything.
  const candidate = backend as unknown as Partial<Backend> | null;
  if (typeof candidate !== 'object' || candidate === null || typeof candidate.listSessions !== 'function') {
    throw new TypeError('setBackend expects a backend object, such as createMockBackend() from windows-sessions/mock');
  }
  const s = slot();
  const previous = s.backend;
  s.backend = backend;
  return () => {
    s.backend = previous;
  };
}

/** Makes the top-level functions use the native backend again, whatever {@link setBackend} installed. */
export function resetBackend(): void {
  slot().backend = undefined;
}
