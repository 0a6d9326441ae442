// Issue 22, points 4 and 6: OK on a grace-period notice only acknowledges it, and a notice Windows cannot show
// protects nobody.
import { describe, expect, it } from 'vitest';
import { createClient } from '../../lib/client.js';
import type { AuditRecord, PolicyRow, SessionPolicy } from '../../lib/index.js';
import { createMockBackend, type MockBackendOptions, type MockSessionSeed } from '../../lib/mock/index.js';

const NOW = Date.UTC(2031, 4, 4, 10, 0, 0);
const HOUR = 3_600_000;

const eve: MockSessionSeed = {
  id: 2,
  stationName: 'RDP-Tcp#2',
  userName: 'eve',
  domain: 'CONTOSO',
  clientName: 'EVE-PC',
  clientAddress: '203.0.113.9',
  logonTime: NOW - HOUR,
  lastInputTime: NOW - 60_000,
};
const outsiders = (action: object): SessionPolicy => ({
  trust: { clientAddresses: ['10.0.0.0/8'] },
  rules: { untrustedClient: { action: { do: 'signOut', ...action } } },
});

/** The mock, and the time (ms after the start) of each call that acts. */
function setup(options: MockBackendOptions = {}) {
  const started = Date.now();
  const at: [string, number][] = [];
  const mock = createMockBackend({
    sessions: [eve],
    currentSessionId: 9,
    now: () => NOW,
    ...options,
    onCall: (call, m) => {
      if (['logoff', 'disconnect', 'sendMessage'].includes(call.op)) at.push([call.op, Date.now() - started]);
      return options.onCall?.(call, m);
    },
  });
  return { mock, client: createClient(mock), at };
}

describe('OK on a grace-period notice only acknowledges it', () => {
  it('signs out when the grace period ends, not when the user presses OK', async () => {
    const { mock, client, at } = setup();
    mock.answer(2, 'ok'); // at once
    const rows = await client.enforcePolicy(outsiders({ grace: '1s' }));
    expect(rows.map((r) => [r.outcome, r.answer])).toEqual([['signedOut', 'ok']]);
    expect(at.map(([op]) => op)).toEqual(['sendMessage', 'logoff']);
    expect(at[1]![1]).toBeGreaterThanOrEqual(950);
    const box = mock.calls.find((c) => c.op === 'sendMessage');
    expect([box?.buttons, box?.message]).toEqual([
      'ok',
      'This session will be signed out in 1 s (at 10:00 UTC): client 203.0.113.9 (EVE-PC) is not trusted. ' +
        'Save your work now. Pressing OK does not shorten this time.',
    ]);
  });

  it('leaves an idle user who pressed OK: pressing it was input, so at the end the rule no longer applies', async () => {
    let reads = 0;
    const { mock, client } = setup({
      sessions: [{ ...eve, lastInputTime: NOW - 2 * HOUR }],
      onCall: (call, m) => {
        if (call.op === 'getSession' && ++reads === 2) m.addSession({ ...eve, lastInputTime: NOW });
      },
    });
    mock.answer(2, 'ok');
    const idle: SessionPolicy = { rules: { idle: { after: '1h', action: { do: 'signOut', grace: '1s' } } } };
    const rows = await client.enforcePolicy(idle);
    expect(rows.map((r) => [r.outcome, r.answer, r.skipReason])).toEqual([
      ['skipped', 'ok', 'ERR_POLICY_NO_LONGER_APPLIES'],
    ]);
    expect(mock.calls.some((c) => c.op === 'logoff')).toBe(false);
  });

  it('acts early only when the policy offers it, on Yes, with buttons and words that say so', async () => {
    const { mock, client, at } = setup();
    mock.answer(2, 'yes');
    const rows = await client.enforcePolicy(outsiders({ grace: '5m', early: true }));
    expect(rows.map((r) => [r.outcome, r.answer])).toEqual([['signedOut', 'yes']]);
    expect(at[1]![1]).toBeLessThan(1000);
    const box = mock.calls.find((c) => c.op === 'sendMessage');
    expect([box?.buttons, box?.message]).toEqual([
      'yesNo',
      'This session will be signed out in 5 min (at 10:05 UTC): client 203.0.113.9 (EVE-PC) is not trusted. ' +
        'Save your work now. Press Yes to be signed out now, or No to keep working until then.',
    ]);
  });

  it('waits out the grace period on No', async () => {
    const { mock, client, at } = setup();
    mock.answer(2, 'no');
    const rows = await client.enforcePolicy(outsiders({ grace: '1s', early: true }));
    expect(rows.map((r) => [r.outcome, r.answer])).toEqual([['signedOut', 'no']]);
    expect(at[1]![1]).toBeGreaterThanOrEqual(950);
  });

  it('refuses early without a grace period, or not a boolean', async () => {
    const { client } = setup();
    await expect(client.enforcePolicy(outsiders({ early: true }))).rejects.toThrow(
      new RangeError('policy.rules.untrustedClient.action.early needs a grace period'),
    );
    await expect(client.enforcePolicy(outsiders({ grace: '1m', early: 'yes' }))).rejects.toThrow(
      new TypeError('policy.rules.untrustedClient.action.early must be a boolean, got the string "yes"'),
    );
  });
});

describe('a notice Windows cannot show protects nobody', () => {
  it('acts when the grace period, counted from the failed attempt, ends; audited once as warningFailed', async () => {
    const { mock, client, at } = setup();
    mock.fail('sendMessage', 5, { sessionId: 2, times: Infinity });
    const records: AuditRecord[] = [];
    const rows = await client.enforcePolicy(outsiders({ grace: '1s' }), { audit: (r) => void records.push(r) });
    expect(rows.map((r) => [r.outcome, r.answer, (r.warningError as { code?: string } | undefined)?.code])).toEqual([
      ['signedOut', null, 'ERROR_ACCESS_DENIED'],
    ]);
    expect(at.map(([op]) => op)).toEqual(['sendMessage', 'logoff']);
    expect(at[1]![1]).toBeGreaterThanOrEqual(950);
    expect(records.map((r) => [r.outcome, r.error?.code ?? null])).toEqual([
      ['start', null],
      ['decided', null],
      ['warning', null],
      ['warningFailed', 'ERROR_ACCESS_DENIED'],
      ['signedOut', null],
      ['stop', null],
    ]);
  });

  it('still leaves a user who came back meanwhile', async () => {
    let reads = 0;
    const { mock, client } = setup({
      sessions: [{ ...eve, lastInputTime: NOW - 2 * HOUR }],
      onCall: (call, m) => {
        if (call.op === 'getSession' && ++reads === 2) m.addSession({ ...eve, lastInputTime: NOW });
      },
    });
    mock.fail('sendMessage', 5, { sessionId: 2, times: Infinity });
    const idle: SessionPolicy = { rules: { idle: { after: '1h', action: { do: 'disconnect', grace: '1s' } } } };
    const rows = await client.enforcePolicy(idle);
    expect(rows.map((r) => [r.outcome, r.skipReason])).toEqual([['skipped', 'ERR_POLICY_NO_LONGER_APPLIES']]);
  });

  it('tries a plain warning that failed no more than once a connection, so the audit log is not flooded', async () => {
    const { mock } = setup();
    mock.fail('sendMessage', 5, { sessionId: 2, times: Infinity });
    const records: AuditRecord[] = [];
    const rows: PolicyRow[] = [];
    const stop = new AbortController();
    let checks = 0;
    const backend = Object.create(mock) as typeof mock;
    backend.listSessions = async (server, lockState) => {
      if (++checks === 10) stop.abort();
      return mock.listSessions(server, lockState);
    };
    const warn: SessionPolicy = { rules: { untrustedUser: { action: { do: 'warn', message: 'Not yours.' } } } };
    await createClient(backend).runPolicyEnforcer(warn, {
      checkEvery: 1,
      signal: stop.signal,
      audit: (r) => void records.push(r),
      onRow: (r) => rows.push(r),
    });
    expect(checks).toBe(10);
    expect(rows.map((r) => r.outcome)).toEqual(['failed']);
    expect(records.filter((r) => r.session === 2).map((r) => r.outcome)).toEqual(['decided', 'failed']);
  });
});
