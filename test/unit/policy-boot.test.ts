// A guard started with the machine: Remote Desktop Services refuses calls with RPC_S_INVALID_BINDING (1702) until its
// dependent services have started (Microsoft's WTSRegisterSessionNotificationEx page). The running enforcer tries
// again after 1 s, then twice as long each time up to retryEvery, so the first sessions are not left unguarded.
import { describe, expect, it, vi } from 'vitest';
import { createClient } from '../../lib/client.js';
import type { AuditRecord, SessionPolicy } from '../../lib/index.js';
import { createMockBackend } from '../../lib/mock/index.js';

const policy: SessionPolicy = {
  trust: { clientAddresses: ['10.0.0.0/8'] },
  rules: { untrustedClient: { action: 'signOut' } },
};
const eve = { id: 2, stationName: 'RDP-Tcp#2', userName: 'eve', domain: 'CONTOSO', clientAddress: '203.0.113.9' };

describe('the running enforcer at boot', () => {
  it('retries a host that refuses after 1, 2, 4 and 8 s, not retryEvery each time, and acts once it answers', async () => {
    vi.useFakeTimers();
    try {
      const mock = createMockBackend({ sessions: [eve], currentSessionId: 9 });
      mock.fail('listSessions', 1702, { times: 4 }); // not ready for the first four listings
      const listings = () => mock.calls.filter((c) => c.op === 'listSessions').length;
      const records: AuditRecord[] = [];
      const stop = new AbortController();
      const running = createClient(mock).runPolicyEnforcer(policy, {
        retryEvery: '30s',
        checkEvery: '1h',
        signal: stop.signal,
        audit: (r) => void records.push(r),
        onRow: () => {
          stop.abort();
        },
      });
      await vi.advanceTimersByTimeAsync(0);
      expect(listings()).toBe(1);
      // Each retry comes when its delay has passed, and not before.
      for (const [wait, total] of [
        [1000, 2],
        [2000, 3],
        [4000, 4],
        [8000, 5],
      ] as const) {
        await vi.advanceTimersByTimeAsync(wait - 1);
        expect(listings(), `before ${wait} ms`).toBe(total - 1);
        await vi.advanceTimersByTimeAsync(1);
        expect(listings(), `after ${wait} ms`).toBe(total);
      }
      await vi.advanceTimersByTimeAsync(0);
      await running;
      expect(records.map((r) => [r.outcome, r.error?.code ?? null])).toEqual([
        ['start', null],
        ['hostDown', 'RPC_S_INVALID_BINDING'],
        ['hostUp', null],
        ['decided', null],
        ['signedOut', null],
        ['stop', null],
      ]);
    } finally {
      vi.useRealTimers();
    }
  });

  it('never waits longer than retryEvery between two tries', async () => {
    vi.useFakeTimers();
    try {
      const mock = createMockBackend({ sessions: [eve], currentSessionId: 9 });
      mock.fail('listSessions', 1722, { times: 3 });
      const stop = new AbortController();
      const running = createClient(mock).runPolicyEnforcer(policy, {
        retryEvery: '1500ms',
        checkEvery: '1h',
        signal: stop.signal,
        onRow: () => {
          stop.abort();
        },
      });
      await vi.advanceTimersByTimeAsync(1000 + 1500 + 1500);
      await running;
      expect(mock.calls.filter((c) => c.op === 'logoff').map((c) => c.sessionId)).toEqual([2]);
    } finally {
      vi.useRealTimers();
    }
  });
});
