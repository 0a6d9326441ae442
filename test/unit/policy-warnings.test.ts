// Issue 22, point 11: a rule that cannot apply (here, or on some host) is said, not silently left undone.
import { describe, expect, it } from 'vitest';
import { createClient } from '../../lib/client.js';
import { policyWarnings, type AuditRecord, type SessionPolicy } from '../../lib/index.js';
import { createMockBackend } from '../../lib/mock/index.js';

const lockedIdle: SessionPolicy = { rules: { idle: { after: '2h', lockedAfter: '30m', action: 'disconnect' } } };

describe('policyWarnings', () => {
  it('warns that lockedAfter cannot apply on a remote host, and says nothing for this machine alone', () => {
    expect(policyWarnings(lockedIdle, { servers: [null, 'ts01', 'ts02'] })).toEqual([
      {
        field: 'policy.rules.idle.lockedAfter',
        message:
          'policy.rules.idle.lockedAfter cannot apply on ts01, ts02: Windows gives lock state only for this ' +
          'machine, so sessions there are judged by after alone',
      },
    ]);
    expect(policyWarnings(lockedIdle)).toEqual([]);
    expect(policyWarnings(lockedIdle, { servers: [null] })).toEqual([]);
  });

  it('warns on rules that can never act anywhere, and not on their working neighbours', () => {
    const never: SessionPolicy = {
      rules: {
        disconnected: { after: '8h', action: 'disconnect' },
        idle: { after: '30m', lockedAfter: '1h', action: 'disconnect' },
      },
    };
    expect(policyWarnings(never).map((w) => w.message)).toEqual([
      'policy.rules.disconnected.action can never act: a disconnected session is not disconnected again; use signOut',
      'policy.rules.idle.lockedAfter is not shorter than after: locked sessions would be left idle longer than the others',
    ]);
    const warned: SessionPolicy = { rules: { disconnected: { after: '8h', action: { do: 'warn', message: 'x' } } } };
    expect(policyWarnings(warned).map((w) => w.field)).toEqual(['policy.rules.disconnected.action']);
    const graced: SessionPolicy = { rules: { disconnected: { after: '8h', action: { do: 'signOut', grace: '5m' } } } };
    expect(policyWarnings(graced).map((w) => w.field)).toEqual(['policy.rules.disconnected.action.grace']);
    const fine: SessionPolicy = {
      rules: {
        disconnected: { after: '8h', action: 'signOut' },
        idle: { after: '1h', lockedAfter: '59m', action: 'disconnect' },
      },
    };
    expect(policyWarnings(fine)).toEqual([]);
  });

  it('checks the policy and the options like the rest of the API', () => {
    expect(() => policyWarnings({ rules: {} })).toThrow(/^policy\.rules must hold at least one/);
    expect(() => policyWarnings(lockedIdle, { servers: [] })).toThrow(
      new TypeError('options.servers must be a non-empty array of host names (null for this machine)'),
    );
  });

  it('are written in the start record of a running enforcer, for its hosts', async () => {
    const mock = createMockBackend({ servers: { 'ts01.test': [] } });
    const records: AuditRecord[] = [];
    const stop = new AbortController();
    setTimeout(() => {
      stop.abort();
    }, 50);
    await createClient(mock).runPolicyEnforcer(lockedIdle, {
      servers: ['ts01.test'],
      signal: stop.signal,
      audit: (r) => void records.push(r),
    });
    expect(records[0]?.warnings).toEqual([
      'policy.rules.idle.lockedAfter cannot apply on ts01.test: Windows gives lock state only for this machine, so ' +
        'sessions there are judged by after alone',
    ]);
  });
});
