// Policy enforcement, the same on both backends: what is acted on, in what order, and what the audit log says.
import { expect, it } from 'vitest';
import type { AuditRecord, PolicyRow, SessionPolicy } from '../../../lib/index.js';
import type { ContractContext } from '../context.js';
import type { ScenarioCall } from '../scenario.js';

// In the base scenario: bob (2) over RDP from 192.0.2.15, idle 20 min; carol (3) disconnected for 2 h with no client
// address; dave (4) from 2001:db8::7, idle 5 h; this process runs in Zoë's console session (1).
const policy: SessionPolicy = {
  trust: { users: ['CONTOSO\\dave'], clientAddresses: ['10.0.0.0/8'] },
  rules: { untrustedClient: { action: 'signOut' }, disconnected: { after: '1h', action: 'signOut' } },
};
const BOB_CLIENT = 'client 192.0.2.15 (BOB-LAPTOP) is not trusted';
const CAROL_GONE = 'disconnected for 2 h (limit 1 h)';

const pick = (rows: PolicyRow[]) =>
  rows
    .map((r) => [r.server, r.sessionId, r.rule, r.action, r.outcome, r.answer, r.skipReason ?? r.error?.name ?? null])
    .sort((a, b) => String(a[0]).localeCompare(String(b[0])) || Number(a[1]) - Number(b[1]));
const logoffs = (calls: ScenarioCall[]) =>
  calls
    .filter((c) => c.op === 'logoff')
    .map((c) => c.sessionId)
    .sort();
const brief = (records: AuditRecord[], session: number) =>
  records.filter((r) => r.session === session).map((r) => [r.outcome, r.rule, r.action, r.answer]);

export function policyCases(ctx: ContractContext): void {
  it('signs out untrusted clients and long-disconnected sessions, each decision audited before it is acted on', async () => {
    const records: AuditRecord[] = [];
    const actedBeforeDecision: number[] = [];
    const audit = async (record: AuditRecord) => {
      records.push(record);
      if (record.outcome === 'decided' && logoffs(await ctx.fixture.actions()).includes(record.session!)) {
        actedBeforeDecision.push(record.session!);
      }
    };
    const rows = await ctx.client.enforcePolicy(policy, { audit, concurrency: 1 });
    expect(pick(rows)).toEqual([
      [null, 2, 'untrustedClient', 'signOut', 'signedOut', null, null],
      [null, 3, 'disconnected', 'signOut', 'signedOut', null, null],
    ]);
    expect(logoffs(await ctx.fixture.actions())).toEqual([2, 3]);
    expect(actedBeforeDecision).toEqual([]);
    expect(records.find((r) => r.session === 2 && r.outcome === 'decided')).toEqual({
      time: expect.stringMatching(/^\d{4}-\d\d-\d\dT/) as unknown,
      host: null,
      session: 2,
      user: 'CONTOSO\\bob',
      client: { name: 'BOB-LAPTOP', address: '192.0.2.15' },
      rule: 'untrustedClient',
      action: 'signOut',
      reason: BOB_CLIENT,
      answer: null,
      outcome: 'decided',
      error: null,
      // bob's sign-in, as the scenario gives it: what tells it from a later one after a restart.
      logonTime: new Date(ctx.scenario.sessions.find((s) => s.id === 2)!.logonTime!).toISOString(),
    });
    expect(brief(records, 3)).toEqual([
      ['decided', 'disconnected', 'signOut', null],
      ['signedOut', 'disconnected', 'signOut', null],
    ]);
    expect(records.find((r) => r.session === 3)).toMatchObject({
      user: 'ＷＯＲＫ\\𝒸𝒶𝓇𝑜𝓁😀',
      client: null,
      reason: CAROL_GONE,
    });
  });

  it('in a dry run plans and audits, and acts on nothing, warns nobody', async () => {
    const records: AuditRecord[] = [];
    const rows = await ctx.client.enforcePolicy(
      { ...policy, rules: { ...policy.rules, untrustedClient: { action: { do: 'signOut', grace: '5m' } } } },
      { dryRun: true, audit: (r) => void records.push(r) },
    );
    expect(pick(rows)).toEqual([
      [null, 2, 'untrustedClient', 'signOut', 'dryRun', null, null],
      [null, 3, 'disconnected', 'signOut', 'dryRun', null, null],
    ]);
    // Between the run's start and stop records.
    expect(records.map((r) => [r.session ?? null, r.outcome])).toEqual([
      [null, 'start'],
      [2, 'dryRun'],
      [3, 'dryRun'],
      [null, 'stop'],
    ]);
    expect(await ctx.fixture.actions()).toEqual([]);
  });

  it('warns and waits out the grace period; OK only acknowledges the notice, and the sign-out waits for its end', async () => {
    await ctx.load((s) => s.answers.push({ sessionId: 2, answer: 'ok', delayMs: 30 }));
    const records: AuditRecord[] = [];
    const graced: SessionPolicy = {
      trust: policy.trust,
      rules: {
        untrustedClient: { action: { do: 'signOut', grace: '2s', message: 'Bye: {reason}. {grace} to save.' } },
      },
    };
    const started = Date.now();
    const rows = await ctx.client.enforcePolicy(graced, { audit: (r) => void records.push(r) });
    // Pressed after 30 ms, OK did not cut the 2 s short.
    expect(Date.now() - started).toBeGreaterThanOrEqual(1900);
    expect(pick(rows)).toEqual([[null, 2, 'untrustedClient', 'signOut', 'signedOut', 'ok', null]]);
    expect(await ctx.fixture.actions()).toEqual([
      {
        op: 'sendMessage',
        server: null,
        sessionId: 2,
        title: 'Session policy',
        message: `Bye: ${BOB_CLIENT}. 2 s to save.`,
        buttons: 'ok',
        icon: 'warning',
        timeoutSeconds: 2,
        wait: true,
      },
      { op: 'logoff', server: null, sessionId: 2, wait: false },
    ]);
    expect(brief(records, 2)).toEqual([
      ['decided', 'untrustedClient', 'signOut', null],
      ['warning', 'untrustedClient', 'signOut', null],
      ['signedOut', 'untrustedClient', 'signOut', 'ok'],
    ]);
  });

  it('when the grace period runs out, judges the session again and acts; a session nobody sees gets no grace', async () => {
    const graced: SessionPolicy = {
      trust: policy.trust,
      rules: {
        untrustedClient: { action: { do: 'disconnect', grace: '1s' } },
        disconnected: { after: '1h', action: { do: 'signOut', grace: '10m' } },
      },
    };
    const rows = await ctx.client.enforcePolicy(graced, { concurrency: 1 });
    expect(pick(rows)).toEqual([
      [null, 2, 'untrustedClient', 'disconnect', 'disconnected', 'timeout', null],
      [null, 3, 'disconnected', 'signOut', 'signedOut', null, null],
    ]);
    const calls = await ctx.fixture.actions();
    expect(calls.map((c) => [c.op, c.sessionId, c.timeoutSeconds])).toEqual([
      ['sendMessage', 2, 1],
      ['disconnect', 2, undefined],
      ['logoff', 3, undefined],
    ]);
    expect(calls[0]!.message).toBe(
      `This session will be disconnected in 1 s (at 10:00 UTC): ${BOB_CLIENT}. Save your work now. ` +
        'Pressing OK does not shorten this time.',
    );
  });

  it('one failed action and one host down never stop the others', async () => {
    await ctx.load((s) => s.failures.push({ op: 'logoff', errno: 5, sessionId: 2 }));
    const records: AuditRecord[] = [];
    const rows = await ctx.client.enforcePolicy(
      { rules: { untrustedUser: { action: 'signOut' } }, trust: { users: ['*\\dave', 'alice'] } },
      { servers: [null, 'down.contoso.test', 'ts01.contoso.test'], audit: (r) => void records.push(r), concurrency: 1 },
    );
    expect(pick(rows)).toEqual([
      ['down.contoso.test', null, null, null, 'failed', null, 'WtsError'],
      [null, 2, 'untrustedUser', 'signOut', 'failed', null, 'WtsError'],
      [null, 3, 'untrustedUser', 'signOut', 'signedOut', null, null],
    ]);
    expect(rows.find((r) => r.sessionId === null)?.error).toMatchObject({ code: 'RPC_S_SERVER_UNAVAILABLE' });
    expect(rows.find((r) => r.sessionId === 2)?.error).toMatchObject({
      code: 'ERROR_ACCESS_DENIED',
      syscall: 'WTSLogoffSession',
    });
    expect(logoffs(await ctx.fixture.actions())).toEqual([2, 3]);
    expect(records.filter((r) => r.host === 'down.contoso.test')).toEqual([
      expect.objectContaining({
        session: null,
        outcome: 'failed',
        error: expect.objectContaining({ code: 'RPC_S_SERVER_UNAVAILABLE' }) as unknown,
      }),
    ]);
    expect(brief(records, 2).map((r) => r[0])).toEqual(['decided', 'failed']);
    expect(records.find((r) => r.session === 2 && r.outcome === 'failed')?.error?.code).toBe('ERROR_ACCESS_DENIED');
  });

  it('a running enforcer acts at once, checks again on every event, and never repeats a grace warning', async () => {
    await ctx.load((s) => {
      s.answers.push({ sessionId: 2, answer: 'ok', delayMs: 400 });
      s.events.push(
        { types: ['logon'], delayMs: 20 },
        { types: ['connect'], delayMs: 20 },
        { types: ['stateChange'], delayMs: 20 },
      );
    });
    const graced: SessionPolicy = {
      trust: policy.trust,
      rules: { untrustedClient: { action: { do: 'signOut', grace: '1s' } } },
    };
    const stop = new AbortController();
    const rows: PolicyRow[] = [];
    const running = ctx.client.runPolicyEnforcer(graced, {
      signal: stop.signal,
      checkEvery: 50,
      onRow: (row) => {
        rows.push(row);
        stop.abort();
      },
    });
    await running;
    expect(pick(rows)).toEqual([[null, 2, 'untrustedClient', 'signOut', 'signedOut', 'ok', null]]);
    expect((await ctx.fixture.actions()).map((c) => [c.op, c.sessionId])).toEqual([
      ['sendMessage', 2],
      ['logoff', 2],
    ]);
  });

  it('treats a locked idle session by its own, shorter limit, reading lock state only for such a policy', async () => {
    await ctx.load((s) => {
      s.sessions.find((x) => x.id === 2)!.locked = true; // bob: idle 20 min, locked
      s.sessions.find((x) => x.id === 4)!.locked = false;
    });
    const idle: SessionPolicy = {
      trust: { users: ['CONTOSO\\dave'] },
      rules: { idle: { after: '2h', lockedAfter: '15m', action: 'disconnect' } },
    };
    const rows = await ctx.client.enforcePolicy(idle);
    expect(pick(rows)).toEqual([[null, 2, 'idle', 'disconnect', 'disconnected', null, null]]);
    expect(rows[0]!.reason).toBe('idle for 20 min (limit 15 min) while locked');
    // Without lockedAfter nobody is idle for 2 h here, and lock state is not needed.
    const plain = await ctx.client.enforcePolicy({ ...idle, rules: { idle: { after: '2h', action: 'disconnect' } } });
    expect(plain).toEqual([]);
    expect((await ctx.fixture.actions()).map((c) => [c.op, c.sessionId])).toEqual([['disconnect', 2]]);
  });
}
