import { mkdtempSync, readFileSync } from 'node:fs';
import { PassThrough } from 'node:stream';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createClient } from '../../lib/client.js';
import type { AuditRecord, PolicyRow, SessionPolicy } from '../../lib/index.js';
import { createMockBackend, type MockBackendOptions, type MockSessionSeed } from '../../lib/mock/index.js';

const NOW = Date.UTC(2031, 4, 4, 10, 0, 0);
const MIN = 60_000;
const HOUR = 60 * MIN;

const eve: MockSessionSeed = {
  id: 2,
  stationName: 'RDP-Tcp#2',
  userName: 'eve',
  domain: 'CONTOSO',
  clientName: 'EVE-PC',
  clientAddress: '203.0.113.9',
  logonTime: NOW - HOUR,
  lastInputTime: NOW - MIN,
};
const outsiders: SessionPolicy = {
  trust: { clientAddresses: ['10.0.0.0/8'] },
  rules: { untrustedClient: { action: 'signOut' } },
};

function setup(options: MockBackendOptions = {}) {
  const mock = createMockBackend({ sessions: [eve], currentSessionId: 9, now: () => NOW, ...options });
  return { mock, client: createClient(mock) };
}
const acted = (mock: ReturnType<typeof setup>['mock']) =>
  mock.calls.filter((c) => ['logoff', 'disconnect', 'sendMessage'].includes(c.op)).map((c) => [c.op, c.sessionId]);

describe('enforcePolicy on the mock: the session is read again, as the same sign-in, just before acting', () => {
  it('never hits a reused session id: another user signed in under id 2 since the listing', async () => {
    const { mock, client } = setup({
      onCall: (call, m) => {
        if (call.op === 'getSession') m.addSession({ ...eve, userName: 'frank', logonTime: NOW - 1000 });
      },
    });
    const rows = await client.enforcePolicy(outsiders);
    expect(rows.map((r) => [r.sessionId, r.outcome, r.skipReason])).toEqual([[2, 'skipped', 'ERR_SESSION_CHANGED']]);
    expect(acted(mock)).toEqual([]);
  });

  it('skips a session that ended since the listing', async () => {
    const { mock, client } = setup({
      onCall: (call, m) => {
        if (call.op === 'getSession') m.removeSession(2);
      },
    });
    const rows = await client.enforcePolicy(outsiders);
    expect(rows.map((r) => [r.sessionId, r.outcome, r.skipReason])).toEqual([[2, 'skipped', 'ERR_SESSION_NOT_FOUND']]);
    expect(acted(mock)).toEqual([]);
  });

  it('leaves a user who came back during the grace period of an idle limit', async () => {
    const idle: SessionPolicy = { rules: { idle: { after: '1h', action: { do: 'signOut', grace: '1s' } } } };
    let reads = 0;
    const { mock, client } = setup({
      sessions: [{ ...eve, lastInputTime: NOW - 2 * HOUR }],
      onCall: (call, m) => {
        // The second read is the one after the grace period: by then eve has typed.
        if (call.op === 'getSession' && ++reads === 2) m.addSession({ ...eve, lastInputTime: NOW - 5000 });
      },
    });
    const rows = await client.enforcePolicy(idle);
    expect(rows.map((r) => [r.sessionId, r.outcome, r.answer, r.skipReason])).toEqual([
      [2, 'skipped', 'timeout', 'ERR_POLICY_NO_LONGER_APPLIES'],
    ]);
    expect(rows[0]!.error?.message).toContain('it no longer breaks any rule');
    expect(acted(mock)).toEqual([['sendMessage', 2]]);
  });

  it('takes only the action it audited: a session that now calls for less is skipped, to be decided anew', async () => {
    // Decided: sign out eve (client outside). Before acting, she has reconnected from the office network, where
    // only the idle rule's warning would apply.
    const policy: SessionPolicy = {
      trust: { clientAddresses: ['10.0.0.0/8'] },
      rules: { untrustedClient: { action: 'signOut' }, idle: { after: '1m', action: { do: 'warn', message: 'hi' } } },
    };
    const { mock, client } = setup({
      onCall: (call, m) => {
        if (call.op === 'getSession') m.addSession({ ...eve, clientAddress: '10.9.9.9' });
      },
    });
    const rows = await client.enforcePolicy(policy);
    expect(rows.map((r) => [r.sessionId, r.action, r.outcome, r.skipReason])).toEqual([
      [2, 'signOut', 'skipped', 'ERR_POLICY_NO_LONGER_APPLIES'],
    ]);
    expect(rows[0]!.error?.message).toContain('it now calls for warn only (idle for 1 min (limit 1 min))');
    expect(acted(mock)).toEqual([]);
  });

  it('does nothing it could not write to the audit log first', async () => {
    const { mock, client } = setup();
    const rows = await client.enforcePolicy(outsiders, {
      audit: () => Promise.reject(new Error('disk full')),
    });
    expect(rows.map((r) => [r.sessionId, r.outcome, r.error?.message])).toEqual([
      [2, 'failed', 'audit record not written: disk full'],
    ]);
    expect(acted(mock)).toEqual([]);
  });

  it('appends the audit log to a file as JSON lines, one record per step', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'policy-audit-')), 'audit.jsonl');
    const { client } = setup();
    await client.enforcePolicy(outsiders, { audit: file });
    await client.enforcePolicy(outsiders, { audit: file, dryRun: true });
    const records = readFileSync(file, 'utf8')
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l) as AuditRecord);
    // Each run between its start and stop records, which name the policy by its hash.
    expect(records.map((r) => [r.session ?? null, r.user ?? null, r.outcome])).toEqual([
      [null, null, 'start'],
      [2, 'CONTOSO\\eve', 'decided'],
      [2, 'CONTOSO\\eve', 'signedOut'],
      [null, null, 'stop'],
      // The dry run after it finds eve gone: a run with nothing to do.
      [null, null, 'start'],
      [null, null, 'stop'],
    ]);
    const runs = records.filter((r) => r.outcome === 'start' || r.outcome === 'stop');
    expect(new Set(runs.map((r) => r.policyHash)).size).toBe(1);
    expect(runs[0]?.policyHash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('warns without waiting for an answer, and disconnects without waiting for it to be done', async () => {
    const policy: SessionPolicy = {
      trust: { clientAddresses: ['10.0.0.0/8'] },
      rules: {
        untrustedUser: { action: { do: 'warn', message: 'Hello {reason}' } },
        untrustedClient: { action: 'disconnect' },
      },
    };
    const { mock, client } = setup({ sessions: [eve, { ...eve, id: 3, clientAddress: '10.1.1.1' }] });
    const rows = await client.enforcePolicy(policy, { concurrency: 1 });
    expect(rows.map((r) => [r.sessionId, r.action, r.outcome])).toEqual([
      [2, 'disconnect', 'disconnected'],
      [3, 'warn', 'warned'],
    ]);
    expect(mock.calls.filter((c) => c.op === 'disconnect' || c.op === 'sendMessage')).toEqual([
      { op: 'disconnect', server: null, sessionId: 2, wait: false },
      {
        op: 'sendMessage',
        server: null,
        sessionId: 3,
        title: 'Session policy',
        message: 'Hello user CONTOSO\\eve is not trusted',
        buttons: 'ok',
        icon: 'warning',
        timeoutSeconds: 0,
        wait: false,
      },
    ]);
  });

  it('writes the audit log to a stream, one JSON line per record, a client known only by address included', async () => {
    const stream = new PassThrough();
    let text = '';
    stream.on('data', (chunk: Buffer) => (text += chunk.toString()));
    const { client } = setup({ sessions: [{ ...eve, clientName: null }] });
    await client.enforcePolicy(outsiders, { audit: stream });
    const records = text
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l) as AuditRecord);
    const steps = records.filter((r) => r.outcome !== 'start' && r.outcome !== 'stop');
    expect(steps.map((r) => [r.outcome, r.client])).toEqual([
      ['decided', { name: null, address: '203.0.113.9' }],
      ['signedOut', { name: null, address: '203.0.113.9' }],
    ]);
    expect([records[0]?.outcome, records.at(-1)?.outcome]).toEqual(['start', 'stop']);
  });

  it('rejects bad options before doing anything', async () => {
    const { mock, client } = setup();
    await expect(client.enforcePolicy(outsiders, { servers: [] })).rejects.toThrow(
      new TypeError('options.servers must be a non-empty array of host names (null for this machine)'),
    );
    await expect(client.enforcePolicy(outsiders, { dryRun: 'yes' as never })).rejects.toThrow(
      new TypeError('options.dryRun must be a boolean, got the string "yes"'),
    );
    await expect(client.enforcePolicy(outsiders, { servers: [''] })).rejects.toThrow(TypeError);
    await expect(client.enforcePolicy(outsiders, { servers: ['a', 'A'] })).rejects.toThrow(/names a host twice/);
    await expect(client.enforcePolicy(outsiders, { audit: 42 as never })).rejects.toThrow(/options\.audit/);
    await expect(client.enforcePolicy(outsiders, { audit: ' ' })).rejects.toThrow(
      /^options\.audit must be a file path/,
    );
    await expect(client.enforcePolicy(outsiders, { audit: {} as never })).rejects.toThrow(/^options\.audit must be/);
    await expect(client.enforcePolicy(outsiders, { audit: null as never })).rejects.toThrow(/^options\.audit must be/);
    await expect(client.runPolicyEnforcer(outsiders, { onRow: 'print' as never })).rejects.toThrow(
      /^options\.onRow must be a function/,
    );
    await expect(client.runPolicyEnforcer(outsiders, { checkEvery: 'often' })).rejects.toThrow(
      /^options\.checkEvery must/,
    );
    await expect(client.runPolicyEnforcer(outsiders, { retryEvery: -1 })).rejects.toThrow(/^options\.retryEvery must/);
    await expect(client.enforcePolicy({ rules: {} })).rejects.toThrow(/policy\.rules/);
    expect(mock.calls).toEqual([]);
  });
});

describe('runPolicyEnforcer on the mock', () => {
  it('survives a host going down, audits it once, and acts when it comes back', async () => {
    const { mock, client } = setup({ servers: { 'ts01.test': [eve] } });
    mock.fail('listSessions', 1722, { server: 'ts01.test', times: 3 });
    mock.fail('watchEvents', 1722, { server: 'ts01.test', times: Infinity });
    const records: AuditRecord[] = [];
    const stop = new AbortController();
    const rows: PolicyRow[] = [];
    await client.runPolicyEnforcer(outsiders, {
      servers: ['ts01.test'],
      retryEvery: 10,
      signal: stop.signal,
      audit: (r) => void records.push(r),
      onRow: (row) => {
        rows.push(row);
        stop.abort();
      },
    });
    expect(records.map((r) => [r.host, r.session, r.outcome, r.error?.code ?? null])).toEqual([
      [null, null, 'start', null],
      ['ts01.test', null, 'hostDown', 'RPC_S_SERVER_UNAVAILABLE'],
      ['ts01.test', null, 'hostUp', null],
      ['ts01.test', 2, 'decided', null],
      ['ts01.test', 2, 'signedOut', null],
      [null, null, 'stop', null],
    ]);
    expect(rows.map((r) => [r.server, r.sessionId, r.outcome])).toEqual([['ts01.test', 2, 'signedOut']]);
  });

  it('acts when a time limit comes due, without waiting for checkEvery', async () => {
    let now = NOW;
    const { mock, client } = setup({ now: () => now, sessions: [{ ...eve, lastInputTime: NOW - 59 * MIN - 59_700 }] });
    const stop = new AbortController();
    const started = Date.now();
    const idle: SessionPolicy = { rules: { idle: { after: '1h', action: 'disconnect' } } };
    const clock = setInterval(() => (now = NOW + (Date.now() - started)), 5);
    await client.runPolicyEnforcer(idle, {
      checkEvery: '1h',
      signal: stop.signal,
      onRow: () => {
        stop.abort();
      },
    });
    clearInterval(clock);
    expect(acted(mock)).toEqual([['disconnect', 2]]);
  });

  it('never repeats an action on a sign-in that is still listed after it (Windows signs out asynchronously)', async () => {
    const mock = createMockBackend({ sessions: [eve], currentSessionId: 9, now: () => NOW });
    const logoffs: number[] = [];
    // WTSLogoffSession without wait returns before the session is gone: here it never goes.
    const lingering = Object.assign(Object.create(mock) as typeof mock, {
      logoff: async (id: number) => void logoffs.push(id),
    });
    const client = createClient(lingering);
    const stop = new AbortController();
    let checks = 0;
    lingering.listSessions = async (server, lockState) => {
      if (++checks === 10) stop.abort();
      return mock.listSessions(server, lockState);
    };
    await client.runPolicyEnforcer(outsiders, { checkEvery: 1, signal: stop.signal });
    expect(checks).toBe(10);
    expect(logoffs).toEqual([2]);
  });

  it('checks no more often than checkEvery when nothing is due, and retries a host no sooner than retryEvery', async () => {
    const { mock, client } = setup({ sessions: [{ ...eve, clientAddress: '10.0.0.9' }], servers: { 'down.test': [] } });
    mock.fail('listSessions', 1722, { server: 'down.test', times: Infinity });
    const stop = new AbortController();
    const records: AuditRecord[] = [];
    setTimeout(() => {
      stop.abort();
    }, 700);
    await client.runPolicyEnforcer(outsiders, {
      servers: [null, 'down.test'],
      checkEvery: '1h',
      retryEvery: '1h',
      signal: stop.signal,
      audit: (r) => void records.push(r),
    });
    const listings = (server: string | null) =>
      mock.calls.filter((c) => c.op === 'listSessions' && c.server === server);
    expect([listings(null).length, listings('down.test').length]).toEqual([1, 1]);
    expect(records.map((r) => [r.host, r.outcome])).toEqual([
      [null, 'start'],
      ['down.test', 'hostDown'],
      [null, 'stop'],
    ]);
  });

  it('tries a failed action again at the next check', async () => {
    const { mock, client } = setup();
    mock.fail('logoff', 5, { sessionId: 2, times: 1 });
    const stop = new AbortController();
    const rows: PolicyRow[] = [];
    await client.runPolicyEnforcer(outsiders, {
      checkEvery: 1,
      signal: stop.signal,
      onRow: (row) => {
        rows.push(row);
        if (row.outcome === 'signedOut') stop.abort();
      },
    });
    expect(rows.map((r) => r.outcome)).toEqual(['failed', 'signedOut']);
  });

  it('acts again on a new sign-in under a reused id, once each', async () => {
    const mock = createMockBackend({ sessions: [eve], currentSessionId: 9, now: () => NOW });
    const logoffs: string[] = [];
    // Signed-out sessions linger; after eve's, mallory signs in under the same id.
    const backend = Object.assign(Object.create(mock) as typeof mock, {
      logoff: async (id: number) => {
        logoffs.push(mock.sessions().find((s) => s.id === id)!.userName!);
        if (logoffs.length === 1) mock.addSession({ ...eve, userName: 'mallory', logonTime: NOW - 1000 });
      },
    });
    const stop = new AbortController();
    const records: AuditRecord[] = [];
    let checks = 0;
    backend.listSessions = async (server, lockState) => {
      if (++checks === 8) stop.abort();
      return mock.listSessions(server, lockState);
    };
    await createClient(backend).runPolicyEnforcer(outsiders, {
      checkEvery: 1,
      signal: stop.signal,
      audit: (r) => void records.push(r),
    });
    expect(logoffs).toEqual(['eve', 'mallory']);
    expect(records.filter((r) => r.outcome === 'hostUp' || r.outcome === 'hostDown')).toEqual([]);
  });

  it('stops on abort during a grace period: the warning stays unanswered and nothing is acted on', async () => {
    const { mock, client } = setup();
    mock.answer(2, 'ok', { delayMs: 60_000 });
    const stop = new AbortController();
    const rows: PolicyRow[] = [];
    const graced: SessionPolicy = {
      ...outsiders,
      rules: { untrustedClient: { action: { do: 'signOut', grace: '5m' } } },
    };
    const running = client.runPolicyEnforcer(graced, { signal: stop.signal, onRow: (r) => rows.push(r) });
    while (!mock.calls.some((c) => c.op === 'sendMessage')) await new Promise((r) => setTimeout(r, 5));
    stop.abort();
    await running;
    expect(rows.map((r) => [r.sessionId, r.outcome, r.skipReason])).toEqual([[2, 'skipped', 'ABORT_ERR']]);
    expect(acted(mock)).toEqual([['sendMessage', 2]]);
  });
});

describe('runPolicyEnforcer: what wakes it, what it remembers, and how it stops', () => {
  it.each(['logon', 'connect', 'disconnect', 'stateChange', 'create'] as const)(
    'checks again at once on a %s event',
    async (type) => {
      const { mock, client } = setup({
        sessions: [],
        events: [{ types: [type], delayMs: 30, change: { set: [{ ...eve, id: 5 }] } }],
      });
      const stop = new AbortController();
      await client.runPolicyEnforcer(outsiders, {
        checkEvery: '1h',
        signal: stop.signal,
        onRow: () => {
          stop.abort();
        },
      });
      expect(acted(mock)).toEqual([['logoff', 5]]);
    },
  );

  it('acts once on each new sign-in under one id: a new logon time, another domain, another user', async () => {
    const mock = createMockBackend({ sessions: [eve], currentSessionId: 9, now: () => NOW });
    const next = [
      { ...eve, logonTime: NOW - 1000 },
      { ...eve, logonTime: null, domain: 'FABRIKAM' },
      { ...eve, logonTime: null, domain: 'FABRIKAM', userName: 'mallory' },
    ];
    const signedOut: string[] = [];
    // Windows signs out asynchronously: the session lingers, then someone else signs in under its id.
    const backend = Object.assign(Object.create(mock) as typeof mock, {
      logoff: async (id: number) => {
        const s = mock.sessions().find((x) => x.id === id)!;
        signedOut.push(`${s.domain}\\${s.userName}@${s.logonTime ?? '-'}`);
        const following = next.shift();
        if (following) mock.addSession(following);
      },
    });
    const stop = new AbortController();
    let checks = 0;
    backend.listSessions = async (server, lockState) => {
      if (++checks === 8) stop.abort();
      return mock.listSessions(server, lockState);
    };
    await createClient(backend).runPolicyEnforcer(outsiders, { checkEvery: 1, signal: stop.signal });
    expect(signedOut).toEqual([
      `CONTOSO\\eve@${NOW - HOUR}`,
      `CONTOSO\\eve@${NOW - 1000}`,
      'FABRIKAM\\eve@-',
      'FABRIKAM\\mallory@-',
    ]);
  });

  it('decides again on a session it skipped because the rule no longer applied, once it applies again', async () => {
    const idleEve = { ...eve, lastInputTime: NOW - 2 * HOUR };
    const mock = createMockBackend({ sessions: [idleEve], currentSessionId: 9, now: () => NOW });
    const backend = Object.create(mock) as typeof mock;
    let reads = 0;
    // The first re-read before acting finds eve back at her desk; after that she is idle again.
    backend.getSession = async (id, server, lockState) => {
      if (++reads === 1) mock.addSession({ ...idleEve, lastInputTime: NOW });
      const s = await mock.getSession(id, server, lockState);
      if (reads === 1) mock.addSession(idleEve);
      return s;
    };
    const stop = new AbortController();
    const rows: PolicyRow[] = [];
    const idle: SessionPolicy = { rules: { idle: { after: '1h', action: 'disconnect' } } };
    await createClient(backend).runPolicyEnforcer(idle, {
      checkEvery: 1,
      signal: stop.signal,
      onRow: (row) => {
        rows.push(row);
        if (row.outcome !== 'skipped') stop.abort();
      },
    });
    expect(rows.map((r) => [r.outcome, r.skipReason ?? null])).toEqual([
      ['skipped', 'ERR_POLICY_NO_LONGER_APPLIES'],
      ['disconnected', null],
    ]);
  });

  it('opens the event watch again after it ends, without checking in a loop meanwhile', async () => {
    const { mock, client } = setup({ sessions: [] });
    const stop = new AbortController();
    const running = client.runPolicyEnforcer(outsiders, {
      checkEvery: '1h',
      signal: stop.signal,
      onRow: () => {
        stop.abort();
      },
    });
    const listings = () => mock.calls.filter((c) => c.op === 'listSessions').length;
    const watches = () => mock.calls.filter((c) => c.op === 'watchEvents').length;
    await new Promise((r) => setTimeout(r, 50));
    expect([listings(), watches()]).toEqual([1, 1]);
    // Closing every watch of the mock ends the enforcer's: it checks once more and watches again.
    mock.reset();
    await new Promise((r) => setTimeout(r, 300));
    expect(listings()).toBeLessThanOrEqual(3);
    expect(watches()).toBe(1 + (listings() - 1));
    mock.emitEvent({ types: ['logon'], change: { set: [{ ...eve, id: 5 }] } });
    await running;
    expect(acted(mock)).toEqual([['logoff', 5]]);
  });

  it('closes its event watches and waits for actions under way before it resolves', async () => {
    const mock = createMockBackend({ sessions: [eve], currentSessionId: 9, now: () => NOW });
    let open = 0;
    const backend = Object.assign(Object.create(mock) as typeof mock, {
      watchEvents: async (server: string | null) => {
        const watch = await mock.watchEvents(server);
        open++;
        return { next: watch.next.bind(watch), close: () => (open--, watch.close()) };
      },
      logoff: async () => {
        stop.abort();
        await new Promise((r) => setTimeout(r, 100));
      },
    });
    const stop = new AbortController();
    const rows: PolicyRow[] = [];
    await createClient(backend).runPolicyEnforcer(outsiders, { signal: stop.signal, onRow: (r) => rows.push(r) });
    expect(rows.map((r) => r.outcome)).toEqual(['signedOut']);
    expect(open).toBe(0);
  });

  it('stops at once when aborted while it waits, whatever checkEvery says', async () => {
    const { client } = setup({ sessions: [] });
    const stop = new AbortController();
    setTimeout(() => {
      stop.abort();
    }, 50);
    const started = Date.now();
    await client.runPolicyEnforcer(outsiders, { checkEvery: '1h', retryEvery: '1h', signal: stop.signal });
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('runs without a signal (until the process ends)', async () => {
    const mock = createMockBackend({ sessions: [eve], currentSessionId: 9, now: () => NOW });
    const backend = Object.create(mock) as typeof mock;
    // A listing that never answers: the enforcer waits on it, holding nothing open.
    backend.listSessions = () => new Promise(() => undefined);
    const outcome = createClient(backend)
      .runPolicyEnforcer(outsiders, {})
      .then(
        () => 'ended',
        (e: unknown) => e,
      );
    expect(
      await Promise.race([
        outcome,
        new Promise((r) =>
          setTimeout(() => {
            r('running');
          }, 100),
        ),
      ]),
    ).toBe('running');
  });
});
