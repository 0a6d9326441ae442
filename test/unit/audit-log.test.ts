// The policy's audit log (lib/policy/audit-log.ts) on its own: what each record holds, and how each kind of target
// is written and closed. A record is the proof of what was done to whom, so its fields are stated one by one.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { decisionRecord, hostRecord, openAuditLog } from '../../lib/policy/audit-log.js';
import type { AuditRecord, PolicyDecision } from '../../lib/policy/policy-types.js';
import type { Session } from '../../lib/types.js';

function decision(session: Partial<Session>): PolicyDecision {
  return {
    session: {
      id: 3,
      stationName: 'RDP-Tcp#3',
      state: 'active',
      userName: 'mallory',
      domain: 'EVIL',
      clientName: null,
      clientAddress: null,
      protocol: 'rdp',
      logonTime: null,
      connectTime: null,
      disconnectTime: null,
      lastInputTime: null,
      idleMs: null,
      serverTime: null,
      locked: null,
      isCurrent: false,
      partial: null,
      ...session,
    },
    rule: 'untrustedUser',
    action: 'signOut',
    reason: 'EVIL\\mallory is not a trusted user',
  } as unknown as PolicyDecision;
}

describe('audit records', () => {
  it('hold the client only when Windows named one, by name or by address', () => {
    expect(decisionRecord(decision({}), null, 'decided').client).toBeNull();
    expect(decisionRecord(decision({ clientName: 'KIOSK' }), null, 'decided').client).toEqual({
      name: 'KIOSK',
      address: null,
    });
    expect(decisionRecord(decision({ clientAddress: '203.0.113.9' }), 'ts01', 'decided')).toMatchObject({
      host: 'ts01',
      session: 3,
      user: 'EVIL\\mallory',
      client: { name: null, address: '203.0.113.9' },
      rule: 'untrustedUser',
      action: 'signOut',
      answer: null,
      outcome: 'decided',
      error: null,
    });
  });

  it("keep an error's code and message, and say so when it had none of either", () => {
    const coded = Object.assign(new Error('Access is denied.'), { code: 'ERROR_ACCESS_DENIED' });
    expect(decisionRecord(decision({}), null, 'failed', { error: coded }).error).toEqual({
      code: 'ERROR_ACCESS_DENIED',
      message: 'Access is denied.',
    });
    expect(decisionRecord(decision({}), null, 'failed', { error: new Error('boom') }).error).toEqual({
      code: null,
      message: 'boom',
    });
    expect(decisionRecord(decision({}), null, 'failed', { error: { code: 5, message: 42 } }).error).toEqual({
      code: null,
      message: 'unknown error',
    });
    expect(decisionRecord(decision({}), null, 'failed', { error: null }).error).toBeNull();
    expect(hostRecord('ts01', 'hostDown', new Error('RPC server unavailable')).error).toEqual({
      code: null,
      message: 'RPC server unavailable',
    });
  });
});

describe('audit targets', () => {
  const record = (outcome: AuditRecord['outcome']) => decisionRecord(decision({}), null, outcome);

  it('appends to a file as JSON lines, in order, and closes it', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'audit-')), 'audit.jsonl');
    const log = openAuditLog(file);
    await Promise.all([log.write(record('decided')), log.write(record('signedOut'))]);
    await log.close();
    const lines = readFileSync(file, 'utf8').split('\n');
    expect(lines.at(-1)).toBe('');
    expect(lines.slice(0, -1).map((l) => (JSON.parse(l) as AuditRecord).outcome)).toEqual(['decided', 'signedOut']);
    // Closed: a second log appends after the first one's records.
    const again = openAuditLog(file);
    await again.write(record('skipped'));
    await again.close();
    expect(readFileSync(file, 'utf8').trimEnd().split('\n')).toHaveLength(3);
  });

  it('closes a file log that never wrote without creating the file', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'audit-')), 'unused.jsonl');
    await openAuditLog(file).close();
    expect(() => readFileSync(file)).toThrow(/ENOENT/);
  });

  it('rejects a write that the stream refuses, so nothing is done unaudited', async () => {
    const broken = new Writable({
      write(_chunk, _encoding, callback) {
        callback(new Error('disk full'));
      },
    });
    broken.on('error', () => undefined);
    await expect(openAuditLog(broken).write(record('decided'))).rejects.toThrow('disk full');
    const written: string[] = [];
    const ok = new Writable({
      write(chunk: Buffer, _encoding, callback) {
        written.push(chunk.toString());
        callback();
      },
    });
    await openAuditLog(ok).write(record('decided'));
    expect(written.map((l) => (JSON.parse(l) as AuditRecord).outcome)).toEqual(['decided']);
  });

  it('refuses targets that are none of a path, a stream or a function', () => {
    for (const bad of ['', '  ', 42, {}, { write: 'no' }, null]) {
      expect(() => openAuditLog(bad), JSON.stringify(bad)).toThrow(
        new TypeError('options.audit must be a file path, a writable stream or a function'),
      );
    }
  });
});
