// Issue 22, point 8: one audit failure must not switch enforcement off, and a record must be on disk before acting.
import { mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createClient } from '../../lib/client.js';
import type { AuditRecord, PolicyRow, SessionPolicy } from '../../lib/index.js';
import { createMockBackend, type MockSessionSeed } from '../../lib/mock/index.js';
import { decisionRecord, openAuditLog } from '../../lib/policy/audit-log.js';

const NOW = Date.UTC(2031, 4, 4, 10, 0, 0);
const eve: MockSessionSeed = {
  id: 2,
  stationName: 'RDP-Tcp#2',
  userName: 'eve',
  domain: 'CONTOSO',
  clientName: 'EVE-PC',
  clientAddress: '203.0.113.9',
  logonTime: NOW - 3_600_000,
  lastInputTime: NOW - 60_000,
};
const outsiders: SessionPolicy = {
  trust: { clientAddresses: ['10.0.0.0/8'] },
  rules: { untrustedClient: { action: 'signOut' } },
};
// sha256sum of the JSON text above, worked out by hand with `node -e` and crypto, not by the package.
const OUTSIDERS_HASH = '6ee253dec948be863db14c06376c03bd39e2a811ee30d01c52f303e1f10e270f';
const code = (e: unknown) => (e as { code?: string } | undefined)?.code;
const lines = (file: string) =>
  readFileSync(file, 'utf8')
    .trimEnd()
    .split('\n')
    .map((l) => JSON.parse(l) as AuditRecord);

afterEach(() => {
  vi.restoreAllMocks();
});

describe('a file audit log after a failure', () => {
  it('opens the file again at the next write: a missing folder, once created, is written to', async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'audit-')), 'later');
    const log = openAuditLog(join(dir, 'audit.jsonl'));
    const record = (session: number) => ({ ...decisionRecord(decisionFor(session), null, 'decided') });
    await expect(log.write(record(2))).rejects.toThrow(/ENOENT/);
    mkdirSync(dir);
    await log.write(record(3));
    await log.close();
    expect(lines(join(dir, 'audit.jsonl')).map((r) => r.session)).toEqual([3]);
  });

  it('fails each write to a full disk on its own, and flushes each record to disk before it resolves', async () => {
    const probe = await open(join(mkdtempSync(join(tmpdir(), 'audit-')), 'probe'), 'w');
    const syncs = vi.spyOn(Object.getPrototypeOf(probe) as { datasync: () => Promise<void> }, 'datasync');
    await probe.close();
    const full = openAuditLog('/dev/full'); // every write: ENOSPC
    await expect(full.write(decisionRecord(decisionFor(2), null, 'decided'))).rejects.toThrow(/ENOSPC/);
    await expect(full.write(decisionRecord(decisionFor(3), null, 'decided'))).rejects.toThrow(/ENOSPC/);
    await full.close();
    const file = join(mkdtempSync(join(tmpdir(), 'audit-')), 'audit.jsonl');
    const log = openAuditLog(file);
    await log.write(decisionRecord(decisionFor(2), null, 'decided'));
    expect(syncs).toHaveBeenCalledTimes(1);
    await log.close();
  });
});

describe('enforcement while records cannot be written', () => {
  it('writes the decision to disk (fdatasync) before signing out', async () => {
    const order: string[] = [];
    const probe = await open(join(mkdtempSync(join(tmpdir(), 'audit-')), 'probe'), 'w');
    const proto = Object.getPrototypeOf(probe) as { datasync: () => Promise<void> };
    await probe.close();
    const real = proto.datasync;
    vi.spyOn(proto, 'datasync').mockImplementation(function (this: unknown) {
      order.push('datasync');
      return real.call(this);
    });
    const mock = createMockBackend({
      sessions: [eve],
      currentSessionId: 9,
      now: () => NOW,
      onCall: (call) => {
        if (call.op === 'logoff') order.push('logoff');
      },
    });
    const file = join(mkdtempSync(join(tmpdir(), 'audit-')), 'audit.jsonl');
    await createClient(mock).enforcePolicy(outsiders, { audit: file });
    // start, decided | logoff | signedOut, stop: every record on disk, the decision before the act.
    expect(order).toEqual(['datasync', 'datasync', 'logoff', 'datasync', 'datasync']);
  });

  it('holds by default, reports each failure, and acts at the next check once the log can be written', async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'audit-')), 'later');
    const mock = createMockBackend({ sessions: [eve], currentSessionId: 9, now: () => NOW });
    const rows: PolicyRow[] = [];
    const stop = new AbortController();
    await createClient(mock).runPolicyEnforcer(outsiders, {
      audit: join(dir, 'audit.jsonl'),
      checkEvery: 1,
      signal: stop.signal,
      onRow: (row) => {
        rows.push(row);
        if (row.sessionId === 2 && row.outcome === 'failed') mkdirSync(dir, { recursive: true });
        if (row.outcome === 'signedOut') stop.abort();
      },
    });
    expect(rows.map((r) => [r.sessionId, r.outcome, code(r.error), code(r.error?.cause)])).toEqual([
      [null, 'failed', 'ERR_POLICY_AUDIT_FAILED', 'ENOENT'], // the start record
      [2, 'failed', 'ERR_POLICY_AUDIT_FAILED', 'ENOENT'],
      [2, 'signedOut', undefined, undefined],
    ]);
    expect(mock.calls.filter((c) => c.op === 'logoff')).toHaveLength(1);
    expect(lines(join(dir, 'audit.jsonl')).map((r) => [r.session, r.outcome, r.policyHash ?? null])).toEqual([
      [2, 'decided', null],
      [2, 'signedOut', null],
      [null, 'stop', OUTSIDERS_HASH],
    ]);
  });

  it("acts anyway with onAuditFailure: 'act', and says which record was lost", async () => {
    const mock = createMockBackend({ sessions: [eve], currentSessionId: 9, now: () => NOW });
    const rows = await createClient(mock).enforcePolicy(
      { ...outsiders, onAuditFailure: 'act' },
      { audit: () => Promise.reject(new Error('disk full')) },
    );
    expect(rows.map((r) => [r.outcome, code(r.auditError), r.auditError?.message])).toEqual([
      ['signedOut', 'ERR_POLICY_AUDIT_FAILED', 'audit record not written: disk full'],
    ]);
    await expect(createClient(mock).enforcePolicy({ ...outsiders, onAuditFailure: 'ignore' as never })).rejects.toThrow(
      new RangeError(`policy.onAuditFailure must be 'hold' or 'act', got the string "ignore"`),
    );
  });

  it('marks each run of the running enforcer with start and stop records naming the policy by its hash', async () => {
    const mock = createMockBackend({ sessions: [], currentSessionId: 9, now: () => NOW });
    const records: AuditRecord[] = [];
    const stop = new AbortController();
    setTimeout(() => {
      stop.abort();
    }, 50);
    await createClient(mock).runPolicyEnforcer(outsiders, { signal: stop.signal, audit: (r) => void records.push(r) });
    expect(records.map((r) => [r.outcome, r.policyHash, r.warnings])).toEqual([
      ['start', OUTSIDERS_HASH, []],
      ['stop', OUTSIDERS_HASH, undefined],
    ]);
  });
});

function decisionFor(id: number) {
  return {
    session: { id, userName: 'eve', domain: 'CONTOSO', clientName: null, clientAddress: null },
    rule: 'untrustedUser',
    action: 'signOut',
    reason: 'user CONTOSO\\eve is not trusted',
  } as unknown as Parameters<typeof decisionRecord>[0];
}
