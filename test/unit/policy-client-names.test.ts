// Issue 22, point 1: a client chooses its own name, so a name never trusts it; it can only narrow a trusted address.
import { describe, expect, it } from 'vitest';
import { createClient } from '../../lib/client.js';
import { planPolicy, validatePolicy, type Session, type SessionPolicy } from '../../lib/index.js';
import { createMockBackend } from '../../lib/mock/index.js';
import { LISTED_AT as NOW, listedSession } from '../helpers/listed-session.js';

function session(id: number, clientAddress: string, clientName: string | null): Session {
  return listedSession({ id, clientAddress, clientName });
}

// The README's example trust, with its jump hosts.
const policy: SessionPolicy = {
  trust: { clientAddresses: ['10.0.0.0/8', '2001:db8::/32'], clientNames: ['JUMP-*'] },
  rules: { untrustedClient: { action: 'signOut' } },
};
const actedOn = (sessions: Session[]) => planPolicy(policy, sessions).map((d) => d.session.id);

describe('trust.clientNames only narrows trust.clientAddresses', () => {
  it('signs out a client that calls itself JUMP-01 from an untrusted address, and trusts one from a trusted one', () => {
    const sessions = [
      session(2, '198.51.100.7', 'JUMP-01'),
      session(3, '10.1.2.3', 'JUMP-01'),
      session(4, '10.1.2.3', 'jump-02'), // Windows computer names are case-insensitive
    ];
    expect(actedOn(sessions)).toEqual([2]);
  });

  it('acts on every near miss: a neighbouring address, a name outside the pattern, no name at all', () => {
    const sessions = [
      session(2, '11.0.0.1', 'JUMP-01'), // just past 10.255.255.255
      session(3, '9.255.255.255', 'JUMP-01'), // just before 10.0.0.0
      session(4, '10.1.2.3', 'XJUMP-01'), // extends the pattern at its start
      session(5, '10.1.2.3', 'JUMP'), // stops short of the dash
      session(6, '10.1.2.3', null), // a name Windows did not give matches no pattern
      session(7, '2001:db9::1', 'JUMP-01'), // the neighbouring IPv6 range
    ];
    expect(actedOn(sessions)).toEqual([2, 3, 4, 5, 6, 7]);
  });

  it('refuses names without addresses, saying why', () => {
    expect(() => validatePolicy({ trust: { clientNames: ['JUMP-*'] }, rules: policy.rules })).toThrow(
      new RangeError(
        'policy.trust.clientNames only narrows policy.trust.clientAddresses: a client chooses its own name, so a ' +
          'name never trusts a client on its own; add the addresses those clients connect from',
      ),
    );
  });

  it('signs out the impostor on the mock and leaves the real jump host', async () => {
    const mock = createMockBackend({
      sessions: [
        { id: 2, userName: 'mallory', domain: 'CONTOSO', clientName: 'JUMP-01', clientAddress: '198.51.100.7' },
        { id: 3, userName: 'alice', domain: 'CONTOSO', clientName: 'JUMP-01', clientAddress: '10.0.0.5' },
      ],
      currentSessionId: 9,
      now: () => NOW,
    });
    const rows = await createClient(mock).enforcePolicy(policy);
    expect(rows.map((r) => [r.sessionId, r.userName, r.outcome])).toEqual([[2, 'mallory', 'signedOut']]);
    expect(mock.calls.filter((c) => c.op === 'logoff').map((c) => c.sessionId)).toEqual([2]);
  });
});
