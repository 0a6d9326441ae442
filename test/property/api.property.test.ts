import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createClient } from '../../lib/client.js';
import { createMockBackend } from '../../lib/mock/index.js';
import { anyId, anyOptions, anyServer } from './arbitraries.js';
import { expectSettlesCleanly } from './settles.js';

const RUNS = 300;

describe('property: any arguments to the public API settle cleanly (mock backend)', () => {
  it('every function resolves or rejects with TypeError, RangeError, WtsError or SessionRefusedError', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(
          'listSessions',
          'getSession',
          'logoff',
          'disconnect',
          'sendMessage',
          'findIdleSessions',
          'logoffIdle',
          'listProcesses',
          'listSessionsOn',
          'watchSessions',
        ),
        anyId,
        anyOptions,
        anyServer,
        async (fn, id, options, server) => {
          const mock = createMockBackend();
          const client = createClient(mock) as unknown as Record<string, (...args: unknown[]) => unknown>;
          const call = async () => {
            switch (fn) {
              case 'listSessions':
              case 'findIdleSessions':
              case 'logoffIdle':
              case 'listProcesses':
                return client[fn]!(options);
              case 'listSessionsOn':
                return client[fn]!([server], options);
              case 'watchSessions': {
                // The mock has no events, so a watch waits for ever unless aborted (as it should): abort it at once.
                // The first step must then end or reject, never hang.
                const controller = new AbortController();
                const o =
                  options === undefined
                    ? { signal: controller.signal }
                    : typeof options === 'object' && options !== null && !Array.isArray(options)
                      ? { ...options, signal: controller.signal }
                      : options;
                const iterator = client[fn]!(o) as AsyncGenerator;
                const next = iterator.next();
                controller.abort();
                return next;
              }
              default:
                return client[fn]!(id, options);
            }
          };
          await expectSettlesCleanly(
            call,
            `${fn}(${typeof id === 'symbol' ? id.toString() : JSON.stringify(id, (_k, v: unknown) => (typeof v === 'bigint' ? `${v}n` : v))})`,
          );
          // Whatever happened, nothing acted on a session other than a valid id that exists and was allowed.
          for (const c of mock.calls.filter((c) => c.op === 'logoff' || c.op === 'disconnect')) {
            expect(Number.isInteger(c.sessionId) && [2, 3].includes(c.sessionId!)).toBe(true);
          }
        },
      ),
      { numRuns: RUNS, endOnFailure: true },
    );
  });
});
