// A policy enforcer started without an administrator's rights on this machine refuses to run: Windows lets only
// Administrators and SYSTEM sign out or disconnect other users by default (the WTSLogoffSession and
// WTSDisconnectSession pages), and lists to others only the sessions they may query (MS-TSTS RpcWinStationEnumerate).
import { describe, expect, it } from 'vitest';
import { createClient } from '../../lib/client.js';
import type { SessionPolicy } from '../../lib/index.js';
import { createMockBackend } from '../../lib/mock/index.js';

const intruder = { id: 2, stationName: 'RDP-Tcp#2', userName: 'mallory', domain: 'EVIL', clientAddress: '203.0.113.9' };
const policy: SessionPolicy = { trust: { users: ['CONTOSO\\*'] }, rules: { untrustedUser: { action: 'signOut' } } };
const REFUSED: Record<string, unknown> = {
  code: 'ERR_WINDOWS_SESSIONS_NOT_ADMINISTRATOR',
  message: expect.stringMatching(/elevated/) as unknown,
};

function setup(administrator: boolean) {
  const mock = createMockBackend({
    sessions: [intruder],
    servers: { ts01: [intruder] },
    currentSessionId: 9,
    administrator,
  });
  return { mock, client: createClient(mock), acted: () => mock.calls.filter((c) => c.op === 'logoff') };
}

describe('a policy enforcer without administrator rights on this machine', () => {
  it('enforcePolicy and runPolicyEnforcer refuse to start for this machine, before reading or acting', async () => {
    const { mock, client, acted } = setup(false);
    await expect(client.enforcePolicy(policy)).rejects.toMatchObject(REFUSED);
    await expect(client.runPolicyEnforcer(policy, { checkEvery: '1s' })).rejects.toMatchObject(REFUSED);
    await expect(client.runPolicyEnforcer(policy, { servers: ['ts01', null] })).rejects.toMatchObject(REFUSED);
    expect(acted()).toEqual([]);
    expect(mock.calls.filter((c) => c.op === 'listSessions')).toEqual([]);
  });

  it('may still rehearse (a dry run only reads), and guard remote hosts, which judge its rights themselves', async () => {
    const { client, acted } = setup(false);
    const rehearsal = await client.enforcePolicy(policy, { dryRun: true });
    expect(rehearsal.map((r) => [r.sessionId, r.outcome])).toEqual([[2, 'dryRun']]);
    const remote = await client.enforcePolicy(policy, { servers: ['ts01'] });
    expect(remote.map((r) => [r.server, r.sessionId, r.outcome])).toEqual([['ts01', 2, 'signedOut']]);
    expect(acted().map((c) => c.server)).toEqual(['ts01']);
  });

  it('an administrator is not refused: the intruder here is signed out', async () => {
    const { client, acted } = setup(true);
    expect((await client.enforcePolicy(policy)).map((r) => [r.sessionId, r.outcome])).toEqual([[2, 'signedOut']]);
    expect(acted().map((c) => [c.server, c.sessionId])).toEqual([[null, 2]]);
  });
});
