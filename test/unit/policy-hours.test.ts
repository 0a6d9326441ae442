// Issue 22, point 15: rules per group (groupRules) and allowed hours (outsideHours), on the mock. The wall-clock
// times below were read from GNU date's tz database (TZ=Europe/Berlin date -d ...), not from the code under test.
import { describe, expect, it } from 'vitest';
import { createClient } from '../../lib/client.js';
import type { AuditRecord, SessionPolicy } from '../../lib/index.js';
import { validatePolicy } from '../../lib/index.js';
import { createMockBackend, type MockGroupSeed, type MockSessionSeed } from '../../lib/mock/index.js';

const MIN = 60_000;

function session(id: number, userName: string, now: number, idleMin = 1): MockSessionSeed {
  return {
    id,
    stationName: `RDP-Tcp#${id}`,
    userName,
    domain: 'CONTOSO',
    clientAddress: '10.0.0.5',
    logonTime: now - 60 * MIN,
    lastInputTime: now - idleMin * MIN,
  };
}

async function planAt(policy: SessionPolicy, iso: string, groups: MockGroupSeed[] = [], idleMin = 1) {
  const now = Date.parse(iso);
  const mock = createMockBackend({
    sessions: [session(2, 'cleo', now, idleMin)],
    now: () => now,
    currentSessionId: 9,
    groups,
  });
  // A dry run reads the memberships, as enforcing does; planPolicy reads nothing.
  const rows = await createClient(mock).enforcePolicy(policy, { dryRun: true });
  return rows.map((r) => [r.rule, r.reason]);
}

const berlinOffice: SessionPolicy = {
  timeZone: 'Europe/Berlin',
  rules: { outsideHours: { allowed: 'Mon-Fri 07:00-19:00', action: 'signOut' } },
};

describe('outsideHours: the allowed hours, on the stated time zone at the server clock', () => {
  it('opens on the minute it names and closes on the minute it names (Mon 30 March 2026, CEST)', async () => {
    const outside = (wall: string) => [
      ['outsideHours', `outside the allowed hours Mon-Fri 07:00-19:00 (Europe/Berlin): it is ${wall} there`],
    ];
    expect(await planAt(berlinOffice, '2026-03-30T04:59:59Z')).toEqual(outside('Mon 06:59'));
    expect(await planAt(berlinOffice, '2026-03-30T05:00:00Z')).toEqual([]);
    expect(await planAt(berlinOffice, '2026-03-30T16:59:59Z')).toEqual([]);
    expect(await planAt(berlinOffice, '2026-03-30T17:00:00Z')).toEqual(outside('Mon 19:00'));
  });

  it('follows the zone across daylight saving: the same UTC instant is before hours on Friday (CET) and inside on Monday (CEST)', async () => {
    expect(await planAt(berlinOffice, '2026-03-27T05:30:00Z')).toHaveLength(1); // Fri 06:30 CET
    expect(await planAt(berlinOffice, '2026-03-30T05:30:00Z')).toEqual([]); // Mon 07:30 CEST
  });

  it('a night window across the spring-forward hour ends at 04:00 CEST, and the repeated autumn hour is inside twice', async () => {
    const night: SessionPolicy = {
      timeZone: 'Europe/Berlin',
      rules: { outsideHours: { allowed: 'Sat 22:00-04:00', action: 'signOut' } },
    };
    expect(await planAt(night, '2026-03-29T00:59:00Z')).toEqual([]); // Sun 01:59 CET
    expect(await planAt(night, '2026-03-29T01:30:00Z')).toEqual([]); // Sun 03:30 CEST (02:xx never happened)
    expect(await planAt(night, '2026-03-29T02:00:00Z')).toHaveLength(1); // Sun 04:00 CEST
    const autumn: SessionPolicy = {
      timeZone: 'Europe/Berlin',
      rules: { outsideHours: { allowed: 'Sun 02:30-02:45', action: 'signOut' } },
    };
    expect(await planAt(autumn, '2026-10-25T00:35:00Z')).toEqual([]); // 02:35 CEST
    expect(await planAt(autumn, '2026-10-25T01:35:00Z')).toEqual([]); // 02:35 CET, an hour later
    expect(await planAt(autumn, '2026-10-25T01:50:00Z')).toHaveLength(1); // 02:50 CET
  });

  it('a window across midnight belongs to the day it starts on: Fri 22:00-02:00 ends Saturday 02:00', async () => {
    const late: SessionPolicy = {
      timeZone: 'UTC',
      rules: { outsideHours: { allowed: 'Fri 22:00-02:00', action: 'signOut' } },
    };
    expect(await planAt(late, '2026-04-03T21:59:00Z')).toHaveLength(1); // Fri 21:59
    expect(await planAt(late, '2026-04-03T22:00:00Z')).toEqual([]); // Fri 22:00
    expect(await planAt(late, '2026-04-04T01:59:00Z')).toEqual([]); // Sat 01:59
    expect(await planAt(late, '2026-04-04T02:00:00Z')).toHaveLength(1); // Sat 02:00
    expect(await planAt(late, '2026-04-04T22:30:00Z')).toHaveLength(1); // Sat 22:30: Saturday is not a start day
  });

  it('refuses malformed windows and zones with the field and the fix', () => {
    const hours =
      (allowed: unknown, extra: object = { timeZone: 'UTC' }) =>
      () =>
        validatePolicy({ ...extra, rules: { outsideHours: { allowed, action: 'signOut' } } });
    expect(hours('Mon-Fry 07:00-19:00')).toThrow('policy.rules.outsideHours.allowed: unknown day "Fry"');
    expect(hours('07:00-19:00')).toThrow("is not like 'Mon-Fri 07:00-19:00'");
    expect(hours('Mon 7:00-19:00')).toThrow('bad time "7:00"');
    expect(hours('Mon 07:00-24:01')).toThrow('bad time "24:01"');
    expect(hours('Mon 24:00-02:00')).toThrow('bad time "24:00"');
    expect(hours('Mon 07:00-07:00')).toThrow('is empty; a whole day is 00:00-24:00');
    expect(hours(7)).toThrow(TypeError);
    expect(hours('Mon-Fri 07:00-19:00', {})).toThrow('policy.timeZone is required with an outsideHours rule');
    expect(hours('Mon-Fri 07:00-19:00', { timeZone: 'Europe/Berlinn' })).toThrow('unknown time zone "Europe/Berlinn"');
    expect(() => validatePolicy({ timeZone: 'UTC', rules: { outsideHours: { action: 'signOut' } } })).toThrow(
      'policy.rules.outsideHours.allowed is required',
    );
  });
});

const contractors: SessionPolicy = {
  timeZone: 'Europe/Berlin',
  rules: { idle: { after: '2h', action: 'signOut' } },
  groupRules: [
    {
      name: 'night-shift',
      users: ['@ad:CONTOSO\\Night-Shift'],
      rules: { outsideHours: { allowed: 'Mon-Sun 18:00-08:00', action: 'signOut' } },
    },
    {
      name: 'contractors',
      users: ['@ad:CONTOSO\\Contractors'],
      rules: {
        idle: { after: '15m', action: 'signOut' },
        outsideHours: { allowed: 'Mon-Fri 07:00-19:00', action: { do: 'signOut', grace: '5m' } },
      },
    },
  ],
};
const inGroups = (...domain: string[]): MockGroupSeed[] => [{ user: 'CONTOSO\\cleo', domain, local: [] }];

describe('groupRules: rules per group, the first entry that matches a session applies', () => {
  const MONDAY_NOON = '2026-03-30T10:00:00Z'; // Mon 12:00 CEST
  const MONDAY_NIGHT = '2026-03-30T20:00:00Z'; // Mon 22:00 CEST

  it("a contractor gets the group's shorter idle limit; anyone else keeps the top-level one", async () => {
    expect(await planAt(contractors, MONDAY_NOON, inGroups('Contractors'), 20)).toEqual([
      ['idle', 'idle for 20 min (limit 15 min)'],
    ]);
    expect(await planAt(contractors, MONDAY_NOON, inGroups('Contractors-Old'), 20)).toEqual([]);
    expect(await planAt(contractors, MONDAY_NOON, inGroups('Domain Users'), 20)).toEqual([]);
  });

  it("a contractor at night is outside the group's hours; so is nobody else", async () => {
    expect((await planAt(contractors, MONDAY_NIGHT, inGroups('Contractors')))[0]?.[0]).toBe('outsideHours');
    expect(await planAt(contractors, MONDAY_NIGHT, inGroups())).toEqual([]);
  });

  it('in two groups, the first entry wins (the night shift may work at night even as a contractor)', async () => {
    expect(await planAt(contractors, MONDAY_NIGHT, inGroups('Contractors', 'Night-Shift'))).toEqual([]);
    expect((await planAt(contractors, MONDAY_NOON, inGroups('Contractors', 'Night-Shift')))[0]?.[0]).toBe(
      'outsideHours',
    );
  });

  it('enforcing audits the entry and the window that applied', async () => {
    const now = Date.parse(MONDAY_NIGHT);
    const mock = createMockBackend({
      sessions: [{ ...session(2, 'cleo', now), state: 'disconnected', disconnectTime: now - MIN }],
      now: () => now,
      currentSessionId: 9,
      groups: inGroups('Contractors'),
    });
    const records: AuditRecord[] = [];
    const rows = await createClient(mock).enforcePolicy(contractors, { audit: (r) => void records.push(r) });
    expect(rows.map((r) => [r.sessionId, r.rule, r.outcome])).toEqual([[2, 'outsideHours', 'signedOut']]);
    expect(records.filter((r) => r.session === 2).map((r) => [r.outcome, r.rule, r.ruleSet, r.window])).toEqual([
      ['decided', 'outsideHours', 'contractors', 'Mon-Fri 07:00-19:00 (Europe/Berlin)'],
      ['signedOut', 'outsideHours', 'contractors', 'Mon-Fri 07:00-19:00 (Europe/Berlin)'],
    ]);
  });

  it('when the membership of an entry before the match cannot be read, no entry is guessed: trust unknown, not acted on', async () => {
    const now = Date.parse(MONDAY_NOON);
    const mock = createMockBackend({
      sessions: [session(2, 'cleo', now, 20)],
      now: () => now,
      currentSessionId: 9,
      groups: inGroups('Contractors'),
    });
    mock.fail('domainGroups', 5);
    const rows = await createClient(mock).enforcePolicy(contractors);
    // The row names the strongest rule of every entry that might apply: at noon the night shift is out of hours.
    expect(rows.map((r) => [r.sessionId, r.rule, r.outcome, r.skipReason])).toEqual([
      [2, 'outsideHours', 'skipped', 'ERR_TRUST_UNKNOWN'],
    ]);
    expect(rows[0]!.error!.message).toContain('ERROR_ACCESS_DENIED');
    expect(mock.calls.filter((c) => c.op === 'logoff')).toEqual([]);
  });

  it('refuses malformed entries', () => {
    const bad = (groupRules: unknown) => () =>
      validatePolicy({ rules: { idle: { after: '1h', action: 'signOut' } }, groupRules });
    expect(bad({})).toThrow('policy.groupRules must be an array');
    expect(bad([{ users: [], rules: { idle: { after: '1h', action: 'signOut' } } }])).toThrow(
      'policy.groupRules[0].users must name at least one user or group',
    );
    expect(bad([{ users: ['@ad:CONTOSO\\X'], rules: {} }])).toThrow(
      'policy.groupRules[0].rules must hold at least one of',
    );
    expect(bad([{ users: ['@ad:CONTOSO\\X'], rules: { idel: {} } }])).toThrow(
      'policy.groupRules[0].rules.idel is not a known field',
    );
    expect(bad([{ users: ['@ad:CONTOSO\\X'], rule: {} }])).toThrow('policy.groupRules[0].rule is not a known field');
  });
});

describe('the running enforcer and allowed hours', () => {
  it('wakes on the minute the window closes, not a whole checkEvery later', async () => {
    // 18:59:59.700 CEST on Monday 30 March 2026 on the server's clock, whatever the test machine's.
    const target = Date.parse('2026-03-30T16:59:59.700Z');
    const offset = target - Date.now();
    const serverNow = () => Date.now() + offset;
    const signedOutAt: number[] = [];
    const mock = createMockBackend({
      sessions: [session(2, 'cleo', target)],
      now: serverNow,
      currentSessionId: 9,
      onCall: (call) => {
        if (call.op === 'logoff') signedOutAt.push(serverNow());
      },
    });
    const stop = new AbortController();
    const started = Date.now();
    await createClient(mock).runPolicyEnforcer(berlinOffice, {
      checkEvery: '1m',
      signal: stop.signal,
      onRow: () => {
        stop.abort();
      },
    });
    // Not before 19:00:00 on the server's clock; and long before the minute checkEvery would have waited.
    expect(signedOutAt).toHaveLength(1);
    expect(signedOutAt[0]!).toBeGreaterThanOrEqual(Date.parse('2026-03-30T17:00:00Z'));
    expect(Date.now() - started).toBeLessThan(30_000);
  });
});
