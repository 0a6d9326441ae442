// The public API is one list: every method of SessionsClient is also a top-level function of the same type, and
// every top-level function is a client method or one of the package's few other entry points. The type half is
// checked by `npm run typecheck`; the run-time half below.
import { describe, expect, it } from 'vitest';
import { createClient, type SessionsClient } from '../../lib/client.js';
import * as api from '../../lib/index.js';
import { createMockBackend } from '../../lib/mock/index.js';

// A top-level function missing, or with another signature, fails to compile here.
const topLevel: Omit<SessionsClient, 'backend'> = api;

// Exports that are not operations on the current backend, and so have no client method.
const NOT_OPERATIONS = [
  'createClient',
  'createNativeBackend',
  'formatDuration',
  'parseDuration',
  'planPolicy',
  'policyWarnings',
  'resetBackend',
  'SessionRefusedError',
  'setBackend',
  'validatePolicy',
  'win32ErrorCode',
  'readServerList',
  'WtsError',
];

describe('the public API', () => {
  const methods = Object.keys(createClient(createMockBackend()))
    .filter((key) => key !== 'backend')
    .sort();

  it('has a top-level function for every client method', () => {
    for (const method of methods) {
      expect(typeof (topLevel as unknown as Record<string, unknown>)[method], method).toBe('function');
    }
  });

  it('has a client method for every top-level operation', () => {
    const functions = Object.entries(api)
      .filter(([name, value]) => typeof value === 'function' && !NOT_OPERATIONS.includes(name))
      .map(([name]) => name)
      .sort();
    expect(functions).toEqual(methods);
  });
});
