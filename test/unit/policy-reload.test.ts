// A running enforcer takes a new version of its policy without a restart (issue 22, point 16): checked first, in
// force at once on every host, audited; a broken one changes nothing and says why.
import { describe, expect, it } from 'vitest';
import { createClient } from '../../lib/client.js';
import type { AuditRecord, PolicyRow, SessionPolicy } from '../../lib/index.js';
import { createMockBackend } from '../../lib/mock/index.js';

const eve = { id: 2, stationName: 'RDP-Tcp#2', userName: 'eve', domain: 'CONTOSO', clientAddress: '203.0.113.9' };
const lenient: SessionPolicy = {
  trust: { clientAddresses: ['203.0.113.0/24'] },
  rules: { untrustedClient: { action: 'signOut' } },
};
const strict: SessionPolicy = { trust: { clientAddresses: ['10.0.0.0/8'] }, rules: lenient.rules };

/** An async iterable the test pushes policies into. */
function channel() {
  const queue: unknown[] = [];
  let wake: (() => void) | null = null;
  return {
    push(value: unknown) {
      queue.push(value);
      wake?.();
    },
    async *[Symbol.asyncIterator]() {
      for (;;) {
        while (queue.length) yield queue.shift();
        await new Promise<void>((resolve) => (wake = resolve));
      }
    },
  };
}

describe('runPolicyEnforcer with reload', () => {
  it('refuses a broken version and keeps the policy in force; puts a valid one in force at once', async () => {
    const mock = createMockBackend({ sessions: [eve], currentSessionId: 9 });
    const reload = channel();
    const stop = new AbortController();
    const records: AuditRecord[] = [];
    const told: [string | null, string][] = [];
    const rows: PolicyRow[] = [];
    const running = createClient(mock).runPolicyEnforcer(lenient, {
      checkEvery: '1h', // nothing but the reload wakes the host
      signal: stop.signal,
      audit: (r) => void records.push(r),
      reload,
      onReload: (error, hash) => told.push([error?.message ?? null, hash]),
      onRow: (row) => {
        rows.push(row);
        stop.abort();
      },
    });
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(mock.calls.filter((c) => c.op === 'logoff')).toEqual([]); // eve's range is trusted
    reload.push({ ...strict, rules: { untrustedClient: { action: 'signOut', grace: 5 } } }); // a bare number
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(mock.calls.filter((c) => c.op === 'logoff')).toEqual([]); // still the lenient policy
    reload.push(strict);
    await running;
    expect(rows.map((r) => [r.sessionId, r.outcome])).toEqual([[2, 'signedOut']]);
    const start = records.find((r) => r.outcome === 'start')!;
    const reloaded = records.find((r) => r.outcome === 'reload')!;
    expect(told).toEqual([
      [expect.stringMatching(/grace/) as string, start.policyHash],
      [null, reloaded.policyHash],
    ]);
    expect(reloaded.policyHash).not.toBe(start.policyHash);
    expect(records.map((r) => r.outcome)).toEqual(['start', 'reload', 'decided', 'signedOut', 'stop']);
    expect(records.at(-1)!.policyHash).toBe(reloaded.policyHash);
  });

  it('refuses a reload that is not an async iterable, before anything is read', async () => {
    const mock = createMockBackend({ sessions: [eve], currentSessionId: 9 });
    await expect(createClient(mock).runPolicyEnforcer(lenient, { reload: [strict] as never })).rejects.toThrow(
      'options.reload must be an async iterable of policies',
    );
    expect(mock.calls).toEqual([]);
  });
});
