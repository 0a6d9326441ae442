// Issue 22, points 14 and 15 at the command line: a --mock scenario carries group memberships, and `policy check`
// shows a session of unknown trust as left alone, with why, rather than as one it would act on.
import { writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runCli, scenarioFile } from './run-cli.js';

const machine = {
  currentSessionId: 1,
  sessions: [
    { id: 1, stationName: 'Console', userName: 'admin', domain: 'CONTOSO', lastInputTime: '-1m' },
    { id: 2, stationName: 'RDP-Tcp#2', userName: 'bob', domain: 'CONTOSO', lastInputTime: '-3m' },
    { id: 3, stationName: 'RDP-Tcp#3', userName: 'eve', domain: 'CONTOSO', lastInputTime: '-3m' },
    { id: 4, stationName: 'RDP-Tcp#4', userName: 'ann', domain: 'CONTOSO', lastInputTime: '-3m' },
  ],
  groups: [
    { user: 'CONTOSO\\admin', domain: ['RDS-Admins'] },
    { user: 'CONTOSO\\bob', domain: ['RDS-Admins2'] },
    { user: 'CONTOSO\\ann', domain: ['rds-admins'] },
  ],
};
const policy = { trust: { users: ['@ad:CONTOSO\\RDS-Admins'] }, rules: { untrustedUser: { action: 'signOut' } } };

function policyFile(): string {
  const path = scenarioFile(policy).replace(/scenario\.json$/, 'policy.json');
  writeFileSync(path, JSON.stringify(policy));
  return path;
}

describe('policy check with Windows groups (--mock)', () => {
  it('plans the near miss, shows the unknown one as skipped with why, and trusts the member in any case', async () => {
    const run = await runCli(['policy', 'check', policyFile(), '--mock', scenarioFile(machine)]);
    // Only that @ad: cannot judge Entra ID accounts.
    expect(run.stderr).toMatch(
      /^warning: policy\.trust\.users "@ad:CONTOSO\\\\RDS-Admins" and any other @ad: entry can never judge an Entra ID account .*\n$/,
    );
    expect(run.code).toBe(6);
    expect(run.stdout).toMatch(/^\.\s+2\s+CONTOSO\\bob\s+-\s+untrustedUser\s+signOut\s+.*\s+dryRun$/m);
    expect(run.stdout).toMatch(
      /^\.\s+3\s+CONTOSO\\eve\s+.*skipped ERR_TRUST_UNKNOWN: the group membership of CONTOSO\\eve is unknown \(NERR_UserNotFound/m,
    );
    expect(run.stdout).not.toMatch(/^\.\s+4\s/m);
    // The admin's own session is judged with its memberships read: trusted, so nothing is said about it.
    expect(run.stdout).not.toContain('Your own session');
  });

  it('refuses a scenario group with a misspelt key', async () => {
    const bad = { ...machine, groups: [{ user: 'CONTOSO\\bob', domian: ['X'] }] };
    const run = await runCli(['policy', 'check', policyFile(), '--mock', scenarioFile(bad)]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('groups[0]: unknown key "domian"');
  });
});
