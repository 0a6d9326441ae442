// Issue 26: after a session event the running enforcer reads only the sessions that changed (one summary listing,
// then getSession per changed id), not the whole host; a periodic full listing remains. What it remembers per
// connection (ActedOn) stays right: nothing is acted on twice, and a reconnect is judged afresh.
import { describe, expect, it } from 'vitest';
import { createClient } from '../../lib/client.js';
import type { AuditRecord, SessionPolicy } from '../../lib/index.js';
import { createMockBackend } from '../../lib/mock/index.js';

const policy: SessionPolicy = {
  trust: { clientAddresses: ['10.0.0.0/8'] },
  rules: { untrustedClient: { action: 'disconnect' } },
};
// Twelve trusted sign-ins on h1; eve (untrusted) arrives later as session 40.
const trusted = Array.from({ length: 12 }, (_, i) => ({
  id: i + 2,
  stationName: `RDP-Tcp#${i + 2}`,
  userName: `user${i + 2}`,
  domain: 'CONTOSO',
  clientAddress: '10.1.1.1',
}));
const T0 = Date.UTC(2031, 4, 4, 10, 0, 0);
const eve = {
  id: 40,
  stationName: 'RDP-Tcp#40',
  userName: 'eve',
  domain: 'CONTOSO',
  clientAddress: '203.0.113.9',
  logonTime: T0,
  connectTime: T0,
};

const until = async (done: () => boolean) => {
  for (let i = 0; i < 300 && !done(); i++) await new Promise((r) => setTimeout(r, 10));
};

describe('runPolicyEnforcer reads only what an event changed (issue 26)', () => {
  it('reads only the new session on a polled host, acts once, and judges a reconnect afresh', async () => {
    // No wait thread: h1 is polled every 30 ms, one summary listing each time.
    const mock = createMockBackend({ servers: { h1: trusted }, waitThreads: 0 });
    const stop = new AbortController();
    const records: AuditRecord[] = [];
    const running = createClient(mock).runPolicyEnforcer(policy, {
      servers: ['h1'],
      checkEvery: '1h',
      pollEvery: 30,
      signal: stop.signal,
      audit: (r) => void records.push(r),
    });
    await until(() => mock.calls.some((c) => c.op === 'listSessionSummaries'));
    const before = mock.calls.length;
    mock.addSession(eve, 'h1');
    const disconnects = () => mock.calls.filter((c) => c.op === 'disconnect');
    await until(() => disconnects().length === 1);
    expect(disconnects()).toEqual([{ op: 'disconnect', server: 'h1', sessionId: 40, wait: false }]);
    // Let the disconnect's state change be polled and judged: eve's connection was acted on already.
    await new Promise((r) => setTimeout(r, 200));
    expect(disconnects()).toHaveLength(1);
    const reads = mock.calls.slice(before).filter((c) => c.op === 'getSession' || c.op === 'listSessions');
    // Never a full listing of h1 (1h away), and never a read of the twelve sessions that did not change.
    expect(reads.length).toBeGreaterThan(0);
    expect(reads.every((c) => c.op === 'getSession' && c.sessionId === 40)).toBe(true);
    // She reconnects (same sign-in, a new connection): judged afresh, disconnected again, once.
    mock.addSession({ ...eve, connectTime: T0 + 60_000 }, 'h1');
    await until(() => disconnects().length === 2);
    await new Promise((r) => setTimeout(r, 200));
    expect(disconnects()).toHaveLength(2);
    expect(mock.calls.slice(before).some((c) => c.op === 'listSessions')).toBe(false);
    stop.abort();
    await running;
    expect(records.filter((r) => r.outcome === 'decided').map((r) => r.session)).toEqual([40, 40]);
  });

  it('on a watched host reads the new session only, lists in full when the summary shows no change, and at checkEvery', async () => {
    const mock = createMockBackend({ servers: { h1: trusted } });
    const stop = new AbortController();
    const records: AuditRecord[] = [];
    const running = createClient(mock).runPolicyEnforcer(policy, {
      servers: ['h1'],
      checkEvery: '1h',
      signal: stop.signal,
      audit: (r) => void records.push(r),
    });
    await until(() => mock.calls.some((c) => c.op === 'watchEvents'));
    const listings = () => mock.calls.filter((c) => c.op === 'listSessions').length;
    expect(listings()).toBe(1);
    let from = mock.calls.length;
    mock.emitEvent({ types: ['create', 'logon'], server: 'h1', change: { set: [eve] } });
    await until(() => mock.calls.some((c) => c.op === 'disconnect'));
    await new Promise((r) => setTimeout(r, 100));
    const reads = mock.calls.slice(from).filter((c) => c.op === 'getSession' || c.op === 'listSessions');
    expect(reads.length).toBeGreaterThan(0);
    expect(reads.every((c) => c.op === 'getSession' && c.sessionId === 40)).toBe(true);
    // The disconnect's own event (Windows reports it): eve alone is read again, and not acted on again.
    from = mock.calls.length;
    mock.emitEvent({ types: ['stateChange', 'disconnect'], server: 'h1' });
    await until(() => mock.calls.length > from + 1);
    await new Promise((r) => setTimeout(r, 50));
    expect(mock.calls.slice(from)).toEqual([
      { op: 'listSessionSummaries', server: 'h1' },
      { op: 'getSession', server: 'h1', sessionId: 40 },
    ]);
    // An event whose summary shows nothing new (a change summaries cannot see): the whole host is listed, as before.
    from = mock.calls.length;
    mock.emitEvent({ types: ['stateChange'], server: 'h1' });
    await until(() => listings() === 2);
    expect(mock.calls.slice(from).filter((c) => c.op === 'listSessionSummaries')).toHaveLength(1);
    expect(listings()).toBe(2);
    stop.abort();
    await running;
    expect(mock.calls.filter((c) => c.op === 'disconnect')).toHaveLength(1);
  });

  it('still lists the whole host every checkEvery while events come', async () => {
    const mock = createMockBackend({ servers: { h1: trusted } });
    const stop = new AbortController();
    const running = createClient(mock).runPolicyEnforcer(policy, {
      servers: ['h1'],
      checkEvery: 300,
      signal: stop.signal,
      audit: () => undefined,
    });
    // A change every 40 ms for a second: each one read alone, and a full listing about every 300 ms all the same.
    for (let i = 0; i < 25; i++) {
      mock.emitEvent({
        types: ['stateChange'],
        server: 'h1',
        change: { set: [{ ...trusted[0]!, state: i % 2 ? 'active' : 'disconnected' }] },
      });
      await new Promise((r) => setTimeout(r, 40));
    }
    stop.abort();
    await running;
    const listings = mock.calls.filter((c) => c.op === 'listSessions').length;
    expect(listings).toBeGreaterThanOrEqual(3);
    expect(listings).toBeLessThanOrEqual(6);
    expect(mock.calls.filter((c) => c.op === 'getSession' && c.sessionId === 2).length).toBeGreaterThan(5);
  });

  it('reads a session it acted on at every event: a reconnect between two summaries is judged afresh', async () => {
    const mock = createMockBackend({ servers: { h1: [...trusted, eve] } });
    const stop = new AbortController();
    const running = createClient(mock).runPolicyEnforcer(policy, {
      servers: ['h1'],
      checkEvery: '1h',
      signal: stop.signal,
      audit: () => undefined,
    });
    const disconnects = () => mock.calls.filter((c) => c.op === 'disconnect');
    await until(() => disconnects().length === 1 && mock.calls.some((c) => c.op === 'watchEvents'));
    // Eve disconnected and came back (a new connect time, active again: as the enforcer last read her), while user2
    // disconnected: the summary shows only user2 changed.
    mock.emitEvent({
      types: ['stateChange', 'disconnect', 'connect'],
      server: 'h1',
      change: {
        set: [
          { ...eve, connectTime: T0 + 60_000 },
          { ...trusted[0]!, state: 'disconnected' },
        ],
      },
    });
    await until(() => disconnects().length === 2);
    stop.abort();
    await running;
    expect(disconnects().map((c) => c.sessionId)).toEqual([40, 40]);
    expect(mock.calls.filter((c) => c.op === 'listSessions')).toHaveLength(1);
  });
});
