// A running enforcer restarted in the middle of a grace period (a crash, a reboot) must not give its user the whole
// period again, nor leave the decision without an outcome (issue 22, point 9). It reads the tail of its audit file:
// a sign-in whose last record is its warning is marked 'interrupted', and acted on when the period would have ended,
// without a second notice. Another sign-in (the id reused, the user signed in again) gets its own full period.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createClient } from '../../lib/client.js';
import type { AuditRecord, PolicyRow, SessionPolicy } from '../../lib/index.js';
import { createMockBackend } from '../../lib/mock/index.js';

const LOGON = Date.UTC(2031, 4, 4, 9, 0, 0);
const eve = {
  id: 2,
  stationName: 'RDP-Tcp#2',
  userName: 'eve',
  domain: 'CONTOSO',
  clientAddress: '203.0.113.9',
  logonTime: LOGON,
};
const policy: SessionPolicy = {
  trust: { clientAddresses: ['10.0.0.0/8'] },
  rules: { untrustedClient: { action: { do: 'signOut', grace: '1h', message: 'Leaving soon: {reason}' } } },
};

/** An audit file as a run that stopped mid-grace left it: decided, then warning with its deadline, then nothing. */
function leftBehind(deadline: number, logonTime: number): string {
  const path = join(mkdtempSync(join(tmpdir(), 'policy-restart-')), 'audit.jsonl');
  const base = {
    host: null,
    session: 2,
    user: 'CONTOSO\\eve',
    client: { name: null, address: '203.0.113.9' },
    rule: 'untrustedClient',
    action: 'signOut',
    reason: 'client 203.0.113.9 is not trusted',
    answer: null,
    error: null,
    logonTime: new Date(logonTime).toISOString(),
  };
  const lines = [
    { ...base, time: new Date().toISOString(), outcome: 'decided' },
    { ...base, time: new Date().toISOString(), outcome: 'warning', deadline: new Date(deadline).toISOString() },
  ];
  writeFileSync(path, `not a record\n${lines.map((l) => JSON.stringify(l)).join('\n')}\n`);
  return path;
}

async function run(path: string) {
  const mock = createMockBackend({ sessions: [eve], currentSessionId: 9 });
  const stop = new AbortController();
  const rows: PolicyRow[] = [];
  const started = Date.now();
  await createClient(mock).runPolicyEnforcer(policy, {
    audit: path,
    checkEvery: '1h',
    signal: stop.signal,
    onRow: (row) => {
      rows.push(row);
      stop.abort();
    },
  });
  const records = readFileSync(path, 'utf8')
    .trimEnd()
    .split('\n')
    .slice(3) // what the earlier run (and the bad line) left
    .map((l) => JSON.parse(l) as AuditRecord);
  return { mock, rows, records, tookMs: Date.now() - started };
}

describe('a running enforcer restarted in the middle of a grace period', () => {
  it('marks the decision interrupted and acts when the period ends, without a second notice', async () => {
    const { mock, rows, records, tookMs } = await run(leftBehind(Date.now() + 600, LOGON));
    expect(rows.map((r) => [r.sessionId, r.outcome])).toEqual([[2, 'signedOut']]);
    expect(mock.calls.filter((c) => c.op === 'sendMessage')).toEqual([]);
    expect(records.map((r) => r.outcome)).toEqual(['start', 'interrupted', 'decided', 'signedOut', 'stop']);
    // The rest of the old period, not a new hour.
    expect(tookMs).toBeGreaterThanOrEqual(550);
    expect(tookMs).toBeLessThan(60_000);
  });

  it('acts at once when the period ran out while it was down', async () => {
    const { rows, records } = await run(leftBehind(Date.now() - 60_000, LOGON));
    expect(rows.map((r) => [r.sessionId, r.outcome])).toEqual([[2, 'signedOut']]);
    expect(records.map((r) => r.outcome)).toEqual(['start', 'interrupted', 'decided', 'signedOut', 'stop']);
  });

  it('gives another sign-in its own notice: a warning left for an earlier logon of session 2 is not this one', async () => {
    const path = leftBehind(Date.now() - 60_000, LOGON - 3_600_000);
    const mock = createMockBackend({ sessions: [eve], currentSessionId: 9 });
    mock.answer(2, 'ok');
    const stop = new AbortController();
    const seen: string[] = [];
    const running = createClient(mock).runPolicyEnforcer(policy, {
      audit: path,
      checkEvery: '1h',
      signal: stop.signal,
    });
    // The new sign-in is warned, and its grace period of an hour starts: then the run is stopped.
    for (let i = 0; i < 100 && !mock.calls.some((c) => c.op === 'sendMessage'); i++) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    seen.push(...mock.calls.filter((c) => c.op === 'sendMessage' || c.op === 'logoff').map((c) => c.op));
    stop.abort();
    await running;
    expect(seen).toEqual(['sendMessage']);
    const outcomes = readFileSync(path, 'utf8')
      .trimEnd()
      .split('\n')
      .slice(3)
      .map((l) => (JSON.parse(l) as AuditRecord).outcome);
    // The earlier sign-in's warning is still marked interrupted: it was never finished.
    expect(outcomes.slice(0, 4)).toEqual(['start', 'interrupted', 'decided', 'warning']);
  });
});
