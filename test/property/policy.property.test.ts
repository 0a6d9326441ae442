import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { planPolicy, SESSION_STATES, type Session, type SessionPolicy } from '../../lib/index.js';

const NOW = Date.UTC(2031, 4, 4, 10, 0, 0);
const HOUR = 3_600_000;
const USERS = ['alice', 'bob', 'Carol', 'svc-backup', 'zoë'];
const DOMAINS = ['CONTOSO', 'contoso', 'FABRIKAM'];
const ADDRESSES = ['10.1.2.3', '192.0.2.15', '203.0.113.9', '2001:db8::7', '::ffff:10.9.9.9', null];
const CLIENTS = ['JUMP-01', 'EVE-PC', null];

const sessionArb: fc.Arbitrary<Session> = fc
  .record({
    id: fc.integer({ min: 0, max: 70_000 }),
    state: fc.constantFrom(...SESSION_STATES),
    userName: fc.constantFrom(...USERS, null),
    domain: fc.constantFrom(...DOMAINS, null),
    clientAddress: fc.constantFrom(...ADDRESSES),
    clientName: fc.constantFrom(...CLIENTS),
    protocol: fc.constantFrom('console' as const, 'rdp' as const, 'ica' as const, null),
    idleMs: fc.option(fc.integer({ min: 0, max: 48 * HOUR })),
    signedInMs: fc.option(fc.integer({ min: 0, max: 72 * HOUR })),
    locked: fc.constantFrom(true, false, null),
    isCurrent: fc.boolean(),
    domainLost: fc.boolean(),
  })
  .map((r) => ({
    id: r.id,
    stationName: r.protocol === 'console' ? 'Console' : `RDP-Tcp#${r.id}`,
    state: r.state,
    userName: r.userName,
    domain: r.domainLost ? null : r.domain,
    clientName: r.clientName,
    clientAddress: r.clientAddress,
    protocol: r.protocol,
    logonTime: r.signedInMs === null ? null : new Date(NOW - r.signedInMs),
    connectTime: null,
    disconnectTime: null,
    lastInputTime: null,
    idleMs: r.idleMs,
    serverTime: new Date(NOW),
    clock: 'server',
    locked: r.locked,
    isCurrent: r.isCurrent,
    partial: r.domainLost
      ? [{ infoClass: 'WTSDomainName' as const, errno: 5, code: 'ERROR_ACCESS_DENIED', fields: ['domain' as const] }]
      : null,
  }));

const actionArb = fc.oneof(
  fc.constantFrom('disconnect' as const, 'signOut' as const),
  fc.record({ do: fc.constant('warn' as const), message: fc.constant('hi') }),
  fc.record({ do: fc.constantFrom('disconnect' as const, 'signOut' as const), grace: fc.constantFrom('1m', '10m') }),
);
const limit = fc.constantFrom('30m', '1h', '8h', '1d');
const rulesArb = fc
  .record(
    {
      untrustedUser: fc.record({ action: actionArb }),
      untrustedClient: fc.record({ action: actionArb }),
      idle: fc.record({
        after: limit,
        lockedAfter: fc.option(limit, { nil: undefined }),
        includeActiveConsole: fc.boolean(),
        action: actionArb,
      }),
      disconnected: fc.record({ after: limit, action: actionArb }),
      sessionLength: fc.record({ after: limit, action: actionArb }),
    },
    { requiredKeys: [] },
  )
  .filter((rules) => Object.keys(rules).length > 0);
const userPatterns = fc.subarray(['alice', 'CONTOSO\\bob', 'contoso\\c*', '*\\svc-?ackup', 'FABRIKAM\\*', 'z?ë']);
const ranges = fc.subarray(['10.0.0.0/8', '192.0.2.0/24', '2001:db8::/32', '203.0.113.9']);
const names = fc.subarray(['JUMP-*', 'eve-pc']);
// Names only narrow trusted addresses (a client chooses its own name): a policy names clients only with addresses.
const trustArb = fc
  .record({ users: userPatterns, clientAddresses: ranges, clientNames: names })
  .map((t) => (t.clientAddresses.length > 0 ? t : { ...t, clientNames: [] }));

const STRENGTH = { warn: 1, disconnect: 2, signOut: 3 };
const byId = (policy: SessionPolicy, sessions: Session[]) =>
  new Map(planPolicy(policy, sessions, NOW).map((d) => [d.session, STRENGTH[d.action]]));

describe('property: planPolicy', () => {
  it('never acts on a trusted user, session 0, a listener, its own session or a session without a user', () => {
    fc.assert(
      fc.property(rulesArb, trustArb, fc.array(sessionArb, { maxLength: 12 }), (rules, trust, sessions) => {
        for (const d of planPolicy({ trust, rules }, sessions, NOW)) {
          const s = d.session;
          expect(s.userName).not.toBeNull();
          expect(s.id === 0 || s.state === 'listen' || s.isCurrent).toBe(false);
          // Re-stated here from the documented pattern rules, not taken from the code.
          const trusted = trust.users.some((p) => {
            const [dom, user] = p.includes('\\') ? p.split('\\') : [null, p];
            const re = (glob: string) => new RegExp(`^${glob.replace(/\*/g, '.*').replace(/\?/g, '.')}$`, 'iu');
            if (!re(user).test(s.userName!)) return false;
            // A domain Windows refused could be the trusted one: such a session is never acted on.
            const domainLost = s.partial?.some((e) => e.fields.includes('domain')) ?? false;
            return dom === null || domainLost || (s.domain !== null && re(dom).test(s.domain));
          });
          expect(trusted).toBe(false);
        }
      }),
      { numRuns: 400 },
    );
  });

  it('gives the same plan for the same input', () => {
    fc.assert(
      fc.property(rulesArb, trustArb, fc.array(sessionArb, { maxLength: 8 }), (rules, trust, sessions) => {
        expect(planPolicy({ trust, rules }, sessions, NOW)).toEqual(planPolicy({ trust, rules }, sessions, NOW));
      }),
    );
  });

  it('adding trust never adds an action, nor makes one stronger', () => {
    fc.assert(
      fc.property(
        rulesArb,
        trustArb,
        trustArb,
        fc.array(sessionArb, { maxLength: 12 }),
        (rules, trust, more, sessions) => {
          const before = byId({ trust, rules }, sessions);
          // More users and addresses; the same names (names narrow: the next property).
          const wider = {
            users: [...trust.users, ...more.users],
            clientAddresses: [...trust.clientAddresses, ...more.clientAddresses],
            clientNames: trust.clientNames,
          };
          for (const [session, strength] of byId({ trust: wider, rules }, sessions)) {
            expect(before.get(session)).toBeGreaterThanOrEqual(strength);
          }
        },
      ),
      { numRuns: 400 },
    );
  });

  it('naming clients never takes an action away: names only narrow the trusted addresses', () => {
    fc.assert(
      fc.property(
        rulesArb,
        trustArb,
        names,
        fc.array(sessionArb, { maxLength: 12 }),
        (rules, trust, extra, sessions) => {
          fc.pre(trust.clientAddresses.length > 0 && extra.length > 0);
          const before = byId({ trust: { ...trust, clientNames: [] }, rules }, sessions);
          const named = { ...trust, clientNames: extra };
          const narrowed = byId({ trust: named, rules }, sessions);
          for (const [session, strength] of before) expect(narrowed.get(session)).toBeGreaterThanOrEqual(strength);
        },
      ),
      { numRuns: 400 },
    );
  });
});
