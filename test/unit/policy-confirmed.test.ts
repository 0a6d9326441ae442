// enforcePolicy's `only`: what a person confirmed after a dry run is all that is acted on (issue 22, point 7). The
// person being removed does not get to slip someone else in between the question and the act, and nobody is acted on
// who was not shown.
import { describe, expect, it } from 'vitest';
import { createClient } from '../../lib/client.js';
import type { PolicyRow, SessionPolicy } from '../../lib/index.js';
import { createMockBackend, type MockSessionSeed } from '../../lib/mock/index.js';

const NOW = Date.UTC(2031, 4, 4, 10, 0, 0);
const HOUR = 3_600_000;
const policy: SessionPolicy = {
  trust: { clientAddresses: ['10.0.0.0/8'] },
  rules: { untrustedClient: { action: 'signOut' } },
};
const eve: MockSessionSeed = {
  id: 2,
  stationName: 'RDP-Tcp#2',
  userName: 'eve',
  domain: 'CONTOSO',
  clientAddress: '203.0.113.9',
  logonTime: NOW - HOUR,
};

function setup() {
  const mock = createMockBackend({ sessions: [eve], currentSessionId: 9, now: () => NOW });
  const client = createClient(mock);
  const acted = () => mock.calls.filter((c) => c.op === 'logoff').map((c) => c.sessionId);
  return { mock, client, acted };
}
const summary = (rows: PolicyRow[]) => rows.map((r) => [r.sessionId, r.userName, r.outcome, r.skipReason ?? null]);

describe('enforcePolicy with only: the confirmed decisions and nothing else', () => {
  it('acts on what was shown; a session that crossed a limit meanwhile is left alone and reported', async () => {
    const { mock, client, acted } = setup();
    const shown = await client.enforcePolicy(policy, { dryRun: true });
    expect(summary(shown)).toEqual([[2, 'eve', 'dryRun', null]]);
    // While the question was up, mallory signed in from outside.
    mock.addSession({
      id: 4,
      stationName: 'RDP-Tcp#4',
      userName: 'mallory',
      domain: 'CONTOSO',
      clientAddress: '198.51.100.4',
    });
    const rows = await client.enforcePolicy(policy, { only: shown });
    expect(summary(rows)).toEqual([
      [2, 'eve', 'signedOut', null],
      [4, 'mallory', 'skipped', 'ERR_NOT_CONFIRMED'],
    ]);
    expect(acted()).toEqual([2]);
  });

  it('an id that now holds another sign-in (another user, or the same user signed in again) was not confirmed', async () => {
    for (const next of [
      { ...eve, userName: 'trent' },
      { ...eve, logonTime: NOW - 60_000 },
    ]) {
      const { mock, client, acted } = setup();
      const shown = await client.enforcePolicy(policy, { dryRun: true });
      mock.removeSession(2);
      mock.addSession(next);
      const rows = await client.enforcePolicy(policy, { only: shown });
      expect(summary(rows)).toEqual([[2, next.userName, 'skipped', 'ERR_NOT_CONFIRMED']]);
      expect(acted()).toEqual([]);
    }
  });

  it('matches names without regard to case, as Windows compares them, and hosts likewise', async () => {
    const { client, acted } = setup();
    const shown = await client.enforcePolicy(policy, { dryRun: true });
    const upper = shown.map((r) => ({ ...r, userName: 'EVE', domain: 'contoso' }));
    expect(summary(await client.enforcePolicy(policy, { only: upper }))).toEqual([[2, 'eve', 'signedOut', null]]);
    expect(acted()).toEqual([2]);
  });

  it('an empty confirmation acts on nobody; a bad one is refused before anything is read', async () => {
    const { mock, client, acted } = setup();
    expect(summary(await client.enforcePolicy(policy, { only: [] }))).toEqual([
      [2, 'eve', 'skipped', 'ERR_NOT_CONFIRMED'],
    ]);
    expect(acted()).toEqual([]);
    const before = mock.calls.length;
    await expect(client.enforcePolicy(policy, { only: 'all' as never })).rejects.toThrow(
      'options.only must be an array of policy rows',
    );
    await expect(client.enforcePolicy(policy, { only: [{}] as never })).rejects.toThrow(
      'options.only[0] must be a row of a session, as a dry run gives it',
    );
    expect(mock.calls.length).toBe(before);
  });
});
