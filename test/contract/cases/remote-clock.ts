// A remote host's clock (docs/windows-behaviour.md, "Remote clocks"): Windows Server 2008 and later answer a remote
// WTSSessionInfo query without a current time, so WTSINFOW.CurrentTime is the caller's clock (Cassia #42, PSQuser
// #7); durations must be measured on the host's own clock, read with NetRemoteTOD, or not at all.
import { expect, it } from 'vitest';
import type { PolicyRow, SessionPolicy } from '../../../lib/index.js';
import type { ContractContext } from '../context.js';
import { expectedSession, SERVER_NOW, type Scenario, type ScenarioSession } from '../scenario.js';

const MINUTE = 60_000;
const HOST = 'ts02.contoso.test';

/** A host whose clock reads `hostNow` while the caller's reads SERVER_NOW; its sessions' times are on its clock. */
function hostWithClock(s: Scenario, aheadMs: number | { errno: number }): void {
  const hostNow = SERVER_NOW + (typeof aheadMs === 'number' ? aheadMs : 0);
  const blank: Omit<ScenarioSession, 'id'> = {
    stationName: '',
    state: 'active',
    userName: null,
    domain: null,
    clientName: null,
    clientAddress: null,
    protocol: null,
    logonTime: null,
    connectTime: null,
    disconnectTime: null,
    lastInputTime: null,
    locked: null,
  };
  s.servers[HOST] = [
    { ...blank, id: 0, stationName: 'Services', state: 'disconnected', protocol: 'console' },
    {
      ...blank,
      id: 2,
      stationName: 'RDP-Tcp#2',
      userName: 'erin',
      domain: 'CONTOSO',
      clientName: 'ERIN-PC',
      clientAddress: '192.0.2.20',
      protocol: 'rdp',
      logonTime: hostNow - 50 * MINUTE,
      connectTime: hostNow - 50 * MINUTE,
      lastInputTime: hostNow - 20 * MINUTE,
    },
    {
      ...blank,
      id: 3,
      userName: 'frank',
      domain: 'CONTOSO',
      state: 'disconnected',
      protocol: 'rdp',
      logonTime: hostNow - 3 * 60 * MINUTE,
      connectTime: hostNow - 3 * 60 * MINUTE,
      disconnectTime: hostNow - 58 * MINUTE,
      lastInputTime: hostNow - 59 * MINUTE,
    },
  ];
  s.remoteClocks = { [HOST]: aheadMs };
}

// Signs out a session disconnected for an hour, and one signed in for 3 hours 2 minutes.
const policy: SessionPolicy = {
  rules: {
    disconnected: { after: '1h', action: 'signOut' },
    sessionLength: { after: '182m', action: 'signOut' },
  },
};

export function remoteClockCases(ctx: ContractContext): void {
  it("measures a remote host's durations on its own clock, 5 minutes ahead of the caller's", async () => {
    await ctx.load((s) => {
      hostWithClock(s, 5 * MINUTE);
    });
    const sessions = await ctx.client.listSessions({ server: HOST });
    const expected = ctx.scenario.servers[HOST]!.map((s) => expectedSession(s, ctx.scenario, HOST));
    expect(sessions).toEqual(expected);
    // Written out: the host's clock, not the CurrentTime the caller filled in.
    expect(sessions.map((s) => [s.id, s.idleMs, s.serverTime?.getTime(), s.clock])).toEqual([
      [0, null, SERVER_NOW + 5 * MINUTE, 'server'],
      [2, 20 * MINUTE, SERVER_NOW + 5 * MINUTE, 'server'],
      [3, 58 * MINUTE, SERVER_NOW + 5 * MINUTE, 'server'],
    ]);
    const erin = await ctx.client.getSession(2, { server: HOST });
    expect([erin?.idleMs, erin?.serverTime?.getTime(), erin?.clock]).toEqual([
      20 * MINUTE,
      SERVER_NOW + 5 * MINUTE,
      'server',
    ]);
    // This machine's sessions are measured on its own clock, as before.
    expect((await ctx.client.getSession(2))?.clock).toBe('server');
  });

  it("a policy acts on a host 5 minutes behind the caller only by the host's clock", async () => {
    await ctx.load((s) => {
      hostWithClock(s, -5 * MINUTE);
    });
    // On the caller's clock frank would be disconnected for 63 min and signed in for 3 h 5 min: both limits crossed.
    const rows = await ctx.client.enforcePolicy(policy, { servers: [HOST], dryRun: true });
    expect(rows).toEqual([]);
    expect(await ctx.fixture.actions()).toEqual([]);
  });

  it("leaves a remote host's durations unknown when its clock cannot be read, and nothing acts on them", async () => {
    // 53: ERROR_BAD_NETPATH, as NetRemoteTOD answers for a host it cannot reach.
    await ctx.load((s) => {
      hostWithClock(s, { errno: 53 });
    });
    const sessions = await ctx.client.listSessions({ server: HOST });
    expect(sessions).toEqual(ctx.scenario.servers[HOST]!.map((s) => expectedSession(s, ctx.scenario, HOST)));
    expect(sessions.map((s) => [s.id, s.idleMs, s.serverTime, s.clock])).toEqual([
      [0, null, null, null],
      [2, null, null, null],
      [3, null, null, null],
    ]);
    // The rest of what Windows gave is there.
    expect(sessions.map((s) => [s.userName, s.lastInputTime?.getTime() ?? null])).toEqual([
      [null, null],
      ['erin', SERVER_NOW - 20 * MINUTE],
      ['frank', SERVER_NOW - 59 * MINUTE],
    ]);
    expect(await ctx.client.findIdleSessions({ server: HOST, idleFor: '1m' })).toEqual([]);
    const rows = await ctx.client.enforcePolicy(
      { ...policy, rules: { ...policy.rules, disconnected: { after: '1m', action: 'signOut' } } },
      { servers: [HOST] },
    );
    expect(rows).toEqual([]);
    expect(await ctx.fixture.actions()).toEqual([]);
    // getSession the same.
    const erin = await ctx.client.getSession(2, { server: HOST });
    expect([erin?.userName, erin?.idleMs, erin?.serverTime, erin?.clock]).toEqual(['erin', null, null, null]);
  });

  it("measures on the caller's clock only when told to, and says so", async () => {
    await ctx.load((s) => {
      hostWithClock(s, { errno: 53 });
    });
    const sessions = await ctx.client.listSessions({ server: HOST, remoteClock: 'caller' });
    expect(sessions).toEqual(
      ctx.scenario.servers[HOST]!.map((s) => expectedSession(s, ctx.scenario, HOST, false, true)),
    );
    expect(sessions.map((s) => [s.id, s.idleMs, s.serverTime?.getTime(), s.clock])).toEqual([
      [0, null, SERVER_NOW, 'caller'],
      [2, 20 * MINUTE, SERVER_NOW, 'caller'],
      [3, 58 * MINUTE, SERVER_NOW, 'caller'],
    ]);
    const erin = await ctx.client.getSession(2, { server: HOST, remoteClock: 'caller' });
    expect([erin?.idleMs, erin?.clock]).toEqual([20 * MINUTE, 'caller']);
    // A host whose clock was read is measured on it, whatever the caller accepts.
    await ctx.load((s) => {
      hostWithClock(s, 5 * MINUTE);
    });
    const read = await ctx.client.getSession(2, { server: HOST, remoteClock: 'caller' });
    expect([read?.idleMs, read?.clock]).toEqual([20 * MINUTE, 'server']);
    await expect(ctx.client.listSessions({ server: HOST, remoteClock: 'local' as never })).rejects.toThrow(TypeError);
  });

  it("an idle sweep acts on a host whose clock cannot be read only when told to take the caller's", async () => {
    await ctx.load((s) => {
      hostWithClock(s, { errno: 53 });
    });
    expect(await ctx.client.logoffIdle({ server: HOST, idleFor: '10m' })).toEqual([]);
    expect(await ctx.fixture.actions()).toEqual([]);
    const found = await ctx.client.findIdleSessions({ server: HOST, idleFor: '10m', remoteClock: 'caller' });
    expect(found.map((s) => [s.id, s.idleMs, s.clock])).toEqual([
      [3, 58 * MINUTE, 'caller'],
      [2, 20 * MINUTE, 'caller'],
    ]);
    // The re-read before each sign-out is on the caller's clock too, or it could not confirm the session is idle.
    const rows = await ctx.client.logoffIdle({ server: HOST, idleFor: '10m', remoteClock: 'caller', concurrency: 1 });
    expect(rows.map((r) => [r.sessionId, r.outcome])).toEqual([
      [3, 'signedOut'],
      [2, 'signedOut'],
    ]);
    expect((await ctx.fixture.actions()).map((c) => [c.op, c.server, c.sessionId])).toEqual([
      ['logoff', HOST, 3],
      ['logoff', HOST, 2],
    ]);
  });
  it("a policy and listSessionsOn measure a host whose clock cannot be read only when told to take the caller's", async () => {
    await ctx.load((s) => {
      hostWithClock(s, { errno: 53 });
    });
    const hosts = await ctx.client.listSessionsOn([HOST]);
    expect(hosts.map((h) => (h.ok ? h.sessions.map((s) => [s.id, s.idleMs, s.clock]) : h.error))).toEqual([
      [
        [0, null, null],
        [2, null, null],
        [3, null, null],
      ],
    ]);
    const onCaller = await ctx.client.listSessionsOn([HOST], { remoteClock: 'caller' });
    expect(onCaller.map((h) => (h.ok ? h.sessions.map((s) => [s.id, s.idleMs, s.clock]) : h.error))).toEqual([
      [
        [0, null, 'caller'],
        [2, 20 * MINUTE, 'caller'],
        [3, 58 * MINUTE, 'caller'],
      ],
    ]);
    await expect(ctx.client.listSessionsOn([HOST], { remoteClock: 'host' as never })).rejects.toThrow(TypeError);
    await expect(ctx.client.enforcePolicy(policy, { remoteClock: 'host' as never })).rejects.toThrow(
      /options\.remoteClock/,
    );
    await expect(ctx.client.runPolicyEnforcer(policy, { remoteClock: 'host' as never })).rejects.toThrow(
      /options\.remoteClock/,
    );
    // Without the opt-in a null idle time is never acted on, by a single pass or a running enforcer.
    const strict: SessionPolicy = { rules: { disconnected: { after: '10m', action: 'signOut' } } };
    expect(await ctx.client.enforcePolicy(strict, { servers: [HOST] })).toEqual([]);
    const stop = new AbortController();
    const running = ctx.client.runPolicyEnforcer(strict, { servers: [HOST], signal: stop.signal, checkEvery: 50 });
    await new Promise((resolve) => setTimeout(resolve, 300));
    stop.abort();
    await running;
    expect(await ctx.fixture.actions()).toEqual([]);
    // With it, frank (disconnected 58 min on the caller's clock) is signed out, re-read on the same clock.
    const rows = await ctx.client.enforcePolicy(strict, { servers: [HOST], remoteClock: 'caller' });
    expect(rows.map((r) => [r.server, r.sessionId, r.rule, r.outcome])).toEqual([
      [HOST, 3, 'disconnected', 'signedOut'],
    ]);
    expect(rows[0]!.reason).toBe('disconnected for 58 min (limit 10 min)');
    expect((await ctx.fixture.actions()).map((c) => [c.op, c.server, c.sessionId])).toEqual([['logoff', HOST, 3]]);
  });

  it("a running enforcer acts on a host whose clock cannot be read only with remoteClock: 'caller'", async () => {
    await ctx.load((s) => {
      hostWithClock(s, { errno: 53 });
    });
    const strict: SessionPolicy = { rules: { disconnected: { after: '10m', action: 'signOut' } } };
    const stop = new AbortController();
    const rows: PolicyRow[] = [];
    await ctx.client.runPolicyEnforcer(strict, {
      servers: [HOST],
      remoteClock: 'caller',
      signal: stop.signal,
      checkEvery: 50,
      onRow: (row) => {
        rows.push(row);
        stop.abort();
      },
    });
    expect(rows.map((r) => [r.server, r.sessionId, r.outcome])).toEqual([[HOST, 3, 'signedOut']]);
    expect((await ctx.fixture.actions()).map((c) => [c.op, c.server, c.sessionId])).toEqual([['logoff', HOST, 3]]);
  });
}
