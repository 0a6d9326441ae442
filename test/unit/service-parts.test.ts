// The parts of the Windows service (issue 24) that are pure JS: a session change checks a host at once
// (runPolicyEnforcer's checkNow), each audit record reaches a second place (copyAudit), the Event Log ids, the policy
// file's writers, and the service's command line.
import { describe, expect, it } from 'vitest';
import { createClient } from '../../lib/client.js';
import type { AuditRecord, SessionPolicy } from '../../lib/index.js';
import { createMockBackend } from '../../lib/mock/index.js';
import { checkQueue } from '../../lib/service/check-queue.js';
import { EVENT_IDS, eventOf } from '../../lib/service/event-ids.js';
import { untrustedWriters } from '../../lib/service/policy-file-access.js';
import { parseServiceArgs, serviceCommandLine } from '../../lib/service/service-args.js';
import { remoteDesktopReady } from '../../lib/service/remote-desktop-ready.js';

const eve = { id: 2, stationName: 'RDP-Tcp#2', userName: 'eve', domain: 'CONTOSO', clientAddress: '203.0.113.9' };
const policy: SessionPolicy = {
  trust: { clientAddresses: ['10.0.0.0/8'] },
  rules: { untrustedClient: { action: 'signOut' } },
};
const tick = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('runPolicyEnforcer with checkNow and copyAudit', () => {
  it('checks the host at once when told, not at the next checkEvery; copies every record', async () => {
    const mock = createMockBackend({ sessions: [], currentSessionId: 9 });
    const checks = checkQueue();
    const stop = new AbortController();
    const copies: [string, Error | null][] = [];
    const running = createClient(mock).runPolicyEnforcer(policy, {
      checkEvery: '1h',
      signal: stop.signal,
      audit: () => undefined,
      checkNow: checks,
      copyAudit: (record, error) => copies.push([record.outcome, error]),
      onRow: () => {
        stop.abort();
      },
    });
    await tick(50);
    mock.addSession(eve); // no session event: only checkNow can bring it to the enforcer's notice
    await tick(100);
    expect(mock.calls.filter((c) => c.op === 'logoff')).toEqual([]);
    checks.push(null);
    await running;
    checks.end();
    expect(mock.calls.filter((c) => c.op === 'logoff').map((c) => c.sessionId)).toEqual([2]);
    expect(copies).toEqual([
      ['start', null],
      ['decided', null],
      ['signedOut', null],
      ['stop', null],
    ]);
  });

  it('gives copyAudit a record the audit could not take, with why', async () => {
    const mock = createMockBackend({ sessions: [eve], currentSessionId: 9 });
    const copies: [string, string | null][] = [];
    const failing = (record: AuditRecord) => {
      if (record.outcome === 'start') throw new Error('disk full');
    };
    const stop = new AbortController();
    await createClient(mock).runPolicyEnforcer(policy, {
      signal: stop.signal,
      audit: failing,
      copyAudit: (record, error) => copies.push([record.outcome, error?.message ?? null]),
      onRow: () => {
        stop.abort();
      },
    });
    expect(copies[0]).toEqual(['start', 'disk full']);
    expect(copies.at(-1)).toEqual(['stop', null]);
  });

  it('refuses a copyAudit that is not a function and a checkNow that is not an async iterable', async () => {
    const mock = createMockBackend({ sessions: [eve], currentSessionId: 9 });
    await expect(createClient(mock).runPolicyEnforcer(policy, { checkNow: [null] as never })).rejects.toThrow(
      'options.checkNow must be an async iterable of host names',
    );
    await expect(createClient(mock).runPolicyEnforcer(policy, { copyAudit: 'x' as never })).rejects.toThrow(
      'options.copyAudit must be a function',
    );
  });
});

describe('the Event Log form of an audit record', () => {
  const record: AuditRecord = {
    time: '2026-01-01T00:00:00.000Z',
    host: null,
    session: 2,
    user: 'CONTOSO\\eve',
    client: { name: null, address: '203.0.113.9' },
    rule: 'untrustedClient',
    action: 'signOut',
    reason: 'client 203.0.113.9 is not trusted',
    answer: null,
    outcome: 'signedOut',
    error: null,
  };
  it('has a stable id and type per outcome, and a line of text', () => {
    // The ids native/messages.mc defines, by hand.
    expect(eventOf(record, null)).toEqual({
      id: 1202,
      type: 4,
      text: 'Outcome signedOut: session 2, user CONTOSO\\eve, client 203.0.113.9, rule untrustedClient, action signOut, because client 203.0.113.9 is not trusted.',
    });
    expect(eventOf({ ...record, outcome: 'failed' }, null)).toMatchObject({ id: 1205, type: 1 });
    expect(eventOf({ ...record, outcome: 'hostDown' }, null)).toMatchObject({ id: 1300, type: 2 });
    expect(eventOf(record, new Error('disk full'))).toMatchObject({ id: 1004, type: 1 });
    expect(eventOf(record, new Error('disk full')).text).toContain('not written to the audit file: disk full');
  });
  it('names every message of native/messages.mc, and no other', async () => {
    const { readFileSync } = await import('node:fs');
    const mc = readFileSync(new URL('../../native/messages.mc', import.meta.url), 'utf8');
    const ids = [...mc.matchAll(/^MessageId=(\d+)$/gm)].map((m) => Number(m[1]));
    expect(Object.values(EVENT_IDS).sort()).toEqual(ids.sort());
  });
});

describe('who may write the policy file', () => {
  const SY = 'S-1-5-18';
  const BA = 'S-1-5-32-544';
  const BU = 'S-1-5-32-545';
  // FILE_ALL_ACCESS 0x1F01FF and FILE_GENERIC_READ 0x120089 (winnt.h): what SDDL's FA and FR stand for.
  const protectedAcl = {
    owner: BA,
    self: SY,
    attributes: 0x20, // FILE_ATTRIBUTE_ARCHIVE
    dacl: [
      { type: 0, allow: true, flags: 0, mask: 0x1f01ff, sid: SY },
      { type: 0, allow: true, flags: 0, mask: 0x1f01ff, sid: BA },
      { type: 0, allow: true, flags: 0, mask: 0x120089, sid: BU },
    ],
  };
  it('accepts what install sets', () => {
    expect(untrustedWriters('p.json', protectedAcl)).toBeNull();
  });
  it('refuses Users with modify rights, a NULL DACL and an owner who is not an administrator', () => {
    // FILE_GENERIC_WRITE 0x120116: Users may modify (the default of C:\ProgramData's new files for their creator).
    const writable = {
      ...protectedAcl,
      dacl: [...protectedAcl.dacl, { type: 0, allow: true, flags: 0, mask: 0x120116, sid: BU }],
    };
    expect(untrustedWriters('p.json', writable)).toBe(
      `p.json may be changed by ${BU}; only Administrators and SYSTEM may have write access`,
    );
    expect(untrustedWriters('p.json', { owner: BA, self: SY, attributes: 0x20, dacl: null })).toMatch(/no DACL/);
    expect(untrustedWriters('p.json', { ...protectedAcl, owner: 'S-1-5-21-1-2-3-1001' })).toMatch(/owned by S-1-5-21/);
  });
  it("trusts the guard's own account, as owner and writer", () => {
    const own = 'S-1-5-21-1-2-3-500';
    const acl = {
      owner: own,
      self: own,
      attributes: 0x20,
      dacl: [...protectedAcl.dacl, { type: 0, allow: true, flags: 0, mask: 0x1f01ff, sid: own }],
    };
    expect(untrustedWriters('p.json', acl)).toBeNull();
  });
  it('ignores entries that only children inherit (INHERIT_ONLY_ACE)', () => {
    const inheritOnly = {
      ...protectedAcl,
      dacl: [...protectedAcl.dacl, { type: 0, allow: true, flags: 0x8 | 0x1, mask: 0x1f01ff, sid: BU }],
    };
    expect(untrustedWriters('p.json', inheritOnly)).toBeNull();
  });
});

describe('the service command line', () => {
  it('round-trips through the arguments the entry point reads, quoted for Windows', () => {
    const args = {
      policy: 'C:\\ProgramData\\windows-sessions\\g\\policy.json',
      name: 'g',
      audit: 'C:\\a b\\audit.jsonl',
      servers: ['ts01', 'ts02'],
    };
    const line = serviceCommandLine('C:\\Program Files\\nodejs\\node.exe', 'C:\\x\\dist\\service.cjs', args);
    expect(line).toBe(
      '"C:\\Program Files\\nodejs\\node.exe" "C:\\x\\dist\\service.cjs" "C:\\ProgramData\\windows-sessions\\g\\policy.json" "--name" "g" "--audit" "C:\\a b\\audit.jsonl" "--server" "ts01,ts02"',
    );
    expect(parseServiceArgs([args.policy, '--name', 'g', '--audit', args.audit, '--server', 'ts01,ts02'])).toEqual(
      args,
    );
    expect(parseServiceArgs(['p.json'])).toEqual({
      policy: 'p.json',
      name: 'windows-sessions',
      audit: undefined,
      servers: [null],
    });
    expect(parseServiceArgs(['p.json', '--installer', 'S-1-5-21-1-2-3-500'])).toMatchObject({
      installer: 'S-1-5-21-1-2-3-500',
    });
    expect(serviceCommandLine('n.exe', 'e.cjs', { ...args, installer: 'S-1-5-32-544' })).toMatch(
      / "--installer" "S-1-5-32-544"$/,
    );
    expect(() => parseServiceArgs([])).toThrow(TypeError);
    expect(() => parseServiceArgs(['p.json', '--bogus', '1'])).toThrow('unknown flag --bogus');
  });
});

describe('waiting for Remote Desktop Services at boot', () => {
  const probe = (answers: ('ready' | 'waiting' | 'absent' | Error)[]) => ({
    termServReady: () => {
      const next = answers.shift()!;
      if (next instanceof Error) throw next;
      return next;
    },
  });
  it('looks again after 1 s, 2 s, 4 s ... while the event is there and not set', async () => {
    const slept: number[] = [];
    const sleep = (ms: number) => {
      slept.push(ms);
      return Promise.resolve();
    };
    const seen = await remoteDesktopReady(
      probe(['waiting', 'waiting', 'waiting', 'ready']),
      new AbortController().signal,
      sleep,
    );
    expect([seen, slept]).toEqual(['ready', [1000, 2000, 4000]]);
  });
  it('does not wait when there is no event, or it cannot be read; gives up after the longest wait', async () => {
    const sleep = () => Promise.resolve();
    const signal = new AbortController().signal;
    expect(await remoteDesktopReady(probe(['absent']), signal, sleep)).toBe('absent');
    expect(await remoteDesktopReady(probe([new Error('access denied')]), signal, sleep)).toBe('absent');
    const forever = { termServReady: () => 'waiting' as const };
    expect(await remoteDesktopReady(forever, signal, sleep, 10_000)).toBe('waiting');
  });
});
