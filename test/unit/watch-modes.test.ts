// More watched servers than wait threads (issue 26): the addon refuses a wait beyond its threads with
// ERROR_TOO_MANY_TCBS rather than queue it where it would never start, and the mock's `waitThreads` does the same.
// The servers beyond are polled: listed every `pollEvery`, their changes turned into events, and each loop is told
// which mode its server is in. No server is left silently waiting.
import { describe, expect, it } from 'vitest';
import { createClient } from '../../lib/client.js';
import type { AuditRecord, SessionEvent, SessionPolicy, WatchMode } from '../../lib/index.js';
import { createMockBackend } from '../../lib/mock/index.js';
import { changedTypes } from '../../lib/ops/poll-changes.js';
import type { Session } from '../../lib/types.js';

const hosts = ['h1', 'h2', 'h3', 'h4'];
const alice = { id: 2, stationName: 'RDP-Tcp#1', userName: 'alice', domain: 'CONTOSO', clientAddress: '10.1.1.1' };
const eve = { id: 3, stationName: 'RDP-Tcp#2', userName: 'eve', domain: 'CONTOSO', clientAddress: '203.0.113.9' };
const farm = () => Object.fromEntries(hosts.map((h) => [h, [alice]]));

describe('watch modes', () => {
  it('watches the first two servers of a mock with two wait threads, polls the others, and says so', async () => {
    const mock = createMockBackend({ servers: farm(), waitThreads: 2 });
    const client = createClient(mock);
    const stop = new AbortController();
    const modes: WatchMode[] = [];
    const events: SessionEvent[] = [];
    const loops = hosts.map(async (server) => {
      for await (const e of client.watchSessions({
        server,
        pollEvery: 50,
        signal: stop.signal,
        onMode: (m) => modes.push(m),
      }))
        events.push(e);
    });
    await new Promise((r) => setTimeout(r, 100));
    expect(modes.sort((a, b) => a.server!.localeCompare(b.server!))).toEqual([
      { server: 'h1', mode: 'watched', pollEveryMs: null },
      { server: 'h2', mode: 'watched', pollEveryMs: null },
      { server: 'h3', mode: 'polled', pollEveryMs: 50 },
      { server: 'h4', mode: 'polled', pollEveryMs: 50 },
    ]);
    // A sign-in on a polled server shows at its next listing, as the events a wait would have given.
    mock.addSession(eve, 'h4');
    await new Promise((r) => setTimeout(r, 150));
    expect(events.map((e) => [e.server, e.type])).toEqual([
      ['h4', 'create'],
      ['h4', 'logon'],
    ]);
    stop.abort();
    await Promise.all(loops);
  });

  it('gives a freed wait thread to the next server that asks', async () => {
    const mock = createMockBackend({ servers: farm(), waitThreads: 1 });
    const client = createClient(mock);
    const first = new AbortController();
    const modes: WatchMode[] = [];
    const loop = async (server: string, signal: AbortSignal) => {
      for await (const e of client.watchSessions({ server, signal, onMode: (m) => modes.push(m) }))
        expect(e.server).toBe(server);
    };
    const one = loop('h1', first.signal);
    await new Promise((r) => setTimeout(r, 20));
    first.abort();
    await one;
    const second = new AbortController();
    const two = loop('h2', second.signal);
    await new Promise((r) => setTimeout(r, 20));
    second.abort();
    await two;
    expect(modes.map((m) => [m.server, m.mode])).toEqual([
      ['h1', 'watched'],
      ['h2', 'watched'],
    ]);
  });

  it('the running enforcer decides a sign-in on a polled host within its poll interval, and reports each mode', async () => {
    const policy: SessionPolicy = {
      trust: { clientAddresses: ['10.0.0.0/8'] },
      rules: { untrustedClient: { action: 'signOut' } },
    };
    const mock = createMockBackend({ servers: farm(), waitThreads: 1 });
    const records: AuditRecord[] = [];
    const modes: WatchMode[] = [];
    const stop = new AbortController();
    const running = createClient(mock).runPolicyEnforcer(policy, {
      servers: hosts,
      checkEvery: '1h',
      pollEvery: 100,
      signal: stop.signal,
      audit: (r) => void records.push(r),
      onMode: (m) => modes.push(m),
    });
    await new Promise((r) => setTimeout(r, 100));
    expect(modes.map((m) => [m.server, m.mode]).sort()).toEqual([
      ['h1', 'watched'],
      ['h2', 'polled'],
      ['h3', 'polled'],
      ['h4', 'polled'],
    ]);
    const signedIn = Date.now();
    mock.addSession(eve, 'h3');
    for (let i = 0; i < 50 && !records.some((r) => r.outcome === 'decided'); i++)
      await new Promise((r) => setTimeout(r, 10));
    const decided = records.find((r) => r.outcome === 'decided');
    expect(decided?.host).toBe('h3');
    expect(Date.parse(decided!.time) - signedIn).toBeLessThanOrEqual(100 + 100);
    stop.abort();
    await running;
  });
});

describe('sign-ins on polled hosts around the first listing (issue 26)', () => {
  const policy: SessionPolicy = {
    trust: { clientAddresses: ['10.0.0.0/8'] },
    rules: { untrustedClient: { action: 'signOut' } },
  };
  // The mock with every wait refused (no wait thread), whose listings of h1 (full or summary) call `before(n)` first.
  const polledFarm = (before: (n: number, mock: ReturnType<typeof createMockBackend>) => void) => {
    const mock = createMockBackend({ servers: farm(), waitThreads: 0 });
    let n = 0;
    const backend = new Proxy(mock, {
      get(target, key, receiver) {
        const method = Reflect.get(target, key, receiver) as unknown;
        if (key !== 'listSessions' && key !== 'listSessionSummaries') return method;
        return (server: string | null, ...rest: unknown[]) => {
          if (server === 'h1') before(++n, mock);
          return (method as (...a: unknown[]) => Promise<unknown>).call(target, server, ...rest);
        };
      },
    });
    return { mock, backend };
  };
  const decidedWithin = async (backend: ReturnType<typeof createMockBackend>, pollEvery: number) => {
    const records: AuditRecord[] = [];
    const stop = new AbortController();
    const running = createClient(backend).runPolicyEnforcer(policy, {
      servers: ['h1'],
      checkEvery: '1h',
      pollEvery,
      signal: stop.signal,
      audit: (r) => void records.push(r),
    });
    const started = Date.now();
    while (!records.some((r) => r.outcome === 'decided') && Date.now() - started < pollEvery + 1000)
      await new Promise((r) => setTimeout(r, 10));
    stop.abort();
    await running;
    return records.filter((r) => r.outcome === 'decided').map((r) => [r.host, r.user]);
  };

  it('decides a sign-in that lands after the enforcer listed the host but before the first poll listing', async () => {
    // Listing 1 is the enforcer's check, listing 2 the poll's first (its baseline): the sign-in lands between them.
    const { backend } = polledFarm((n, mock) => {
      if (n === 2) mock.addSession(eve, 'h1');
    });
    expect(await decidedWithin(backend, 200)).toEqual([['h1', 'CONTOSO\\eve']]);
  });

  it('decides a sign-in that lands while a poll listing of the host is under way', async () => {
    const { backend } = polledFarm((n, mock) => {
      if (n === 3)
        setTimeout(() => {
          mock.addSession(eve, 'h1');
        }, 0);
    });
    expect(await decidedWithin(backend, 200)).toEqual([['h1', 'CONTOSO\\eve']]);
  });
});

describe('a poll listing is one call (issue 26)', () => {
  it('polls with listSessionSummaries, and with full listings once a host refuses summaries', async () => {
    const mock = createMockBackend({ servers: farm(), waitThreads: 0 });
    const stop = new AbortController();
    const events: SessionEvent[] = [];
    const loop = (async () => {
      for await (const e of createClient(mock).watchSessions({ server: 'h1', pollEvery: 30, signal: stop.signal }))
        events.push(e);
    })();
    await new Promise((r) => setTimeout(r, 100));
    const ops = () => mock.calls.filter((c) => c.server === 'h1' && c.op.startsWith('listSession')).map((c) => c.op);
    expect(ops().length).toBeGreaterThanOrEqual(2);
    expect(new Set(ops())).toEqual(new Set(['listSessionSummaries']));
    // A host that does not answer WTSEnumerateSessionsExW (RPC_S_PROCNUM_OUT_OF_RANGE) is listed in full instead.
    mock.fail('listSessionSummaries', 1745, { server: 'h1' });
    const before = ops().length;
    await new Promise((r) => setTimeout(r, 100));
    expect(ops().slice(before, before + 3)).toEqual(['listSessionSummaries', 'listSessions', 'listSessions']);
    mock.addSession(eve, 'h1');
    await new Promise((r) => setTimeout(r, 100));
    expect(events.map((e) => e.type)).toEqual(['create', 'logon']);
    stop.abort();
    await loop;
  });
});

describe('changedTypes', () => {
  const s = (id: number, state: Session['state'], userName: string | null, logon = 1000) =>
    ({ id, state, userName, domain: 'D', logonTime: userName ? new Date(logon) : null }) as Session;
  it('names what two listings differ by, in flag-bit order', () => {
    expect(changedTypes([s(1, 'active', 'a')], [s(1, 'active', 'a')])).toEqual([]);
    expect(changedTypes([], [s(1, 'active', 'a')])).toEqual(['create', 'logon']);
    expect(changedTypes([s(1, 'active', 'a')], [])).toEqual(['delete', 'logoff']);
    expect(changedTypes([s(1, 'active', 'a')], [s(1, 'disconnected', 'a')])).toEqual(['disconnect', 'stateChange']);
    expect(changedTypes([s(1, 'disconnected', 'a')], [s(1, 'active', 'a')])).toEqual(['connect', 'stateChange']);
    // Another user in the same session id: one sign-in ended, another began.
    expect(changedTypes([s(1, 'active', 'a')], [s(1, 'active', 'b', 2000)])).toEqual(['logon', 'logoff']);
    expect(changedTypes([s(1, 'connected', null)], [s(1, 'active', 'a')])).toEqual(['logon', 'stateChange']);
    // A summary has no logon time: the same user in the same session is the same sign-in to it.
    const summary = { id: 1, stationName: 'RDP-Tcp#1', state: 'active' as const, userName: 'a', domain: 'D' };
    expect(changedTypes([s(1, 'active', 'a')], [summary])).toEqual([]);
    expect(changedTypes([summary], [{ ...summary, userName: 'b' }])).toEqual(['logon', 'logoff']);
  });
});
