import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CLI, runCli, scenarioFile, type CliRun } from './run-cli.js';

const machine = {
  currentSessionId: 1,
  sessions: [
    { id: 1, stationName: 'Console', userName: 'admin', domain: 'CONTOSO', lastInputTime: '-1m' },
    {
      id: 2,
      stationName: 'RDP-Tcp#2',
      userName: 'bob',
      domain: 'CONTOSO',
      clientName: 'BOB-HOME',
      clientAddress: '198.51.100.20',
      lastInputTime: '-3m',
    },
    {
      id: 3,
      state: 'disconnected',
      userName: 'carol',
      domain: 'CONTOSO',
      clientAddress: '10.0.0.7',
      disconnectTime: '-9h',
      lastInputTime: '-9h',
    },
    {
      id: 4,
      stationName: 'RDP-Tcp#4',
      userName: 'adm-dave',
      domain: 'CONTOSO',
      clientAddress: '203.0.113.4',
      lastInputTime: '-2m',
    },
  ],
};
const policy = {
  groups: { admins: ['CONTOSO\\adm-*'] },
  trust: { users: ['@admins'], clientAddresses: ['10.0.0.0/8'] },
  rules: {
    untrustedClient: { action: 'signOut' },
    disconnected: { after: '8h', action: 'signOut' },
  },
};

function file(name: string, content: unknown): string {
  const path = join(mkdtempSync(join(tmpdir(), 'windows-sessions-policy-')), name);
  writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content));
  return path;
}
const cells = (stdout: string) =>
  stdout
    .trimEnd()
    .split('\n')
    .slice(1)
    .map((l) => l.split(/\s{2,}/).slice(0, 6));

describe('windows-sessions policy (spawned)', () => {
  it('check: prints the plan, and exit 6 says something would be done', async () => {
    const run = await runCli(['policy', 'check', file('policy.json', policy), '--mock', scenarioFile(machine)]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(6);
    expect(run.stdout.split('\n')[0]).toMatch(/^HOST\s+ID\s+USER\s+CLIENT\s+RULE\s+ACTION\s+REASON$/);
    expect(cells(run.stdout)).toEqual([
      ['.', '2', 'CONTOSO\\bob', '198.51.100.20', 'untrustedClient', 'signOut'],
      ['.', '3', 'CONTOSO\\carol', '10.0.0.7', 'disconnected', 'signOut'],
    ]);
    expect(run.stdout).toContain('client 198.51.100.20 (BOB-HOME) is not trusted');
  });

  it('check and enforce warn on stderr about what cannot work, without changing the outcome', async () => {
    const mistaken = {
      ...policy,
      trust: { ...policy.trust, users: ['@admins', 'bob@contoso.com'] },
      rules: { ...policy.rules, idle: { after: '1h', lockedAfter: '10m', action: 'signOut' } },
    };
    const path = file('policy.json', mistaken);
    const check = await runCli(['policy', 'check', path, '--server', 'ts01', '--mock', scenarioFile(machine)]);
    expect(check.stderr.split('\n').filter(Boolean)).toEqual([
      'warning: policy.trust.users[1] "bob@contoso.com" is a user@domain name, which never matches: Windows reports DOMAIN\\user with the NetBIOS domain (e.g. "CONTOSO\\\\bob" in JSON)',
      'warning: policy.rules.idle.lockedAfter cannot apply on ts01: Windows gives lock state only for this machine, so sessions there are judged by after alone',
    ]);
    // The same policy on this machine: the lock limit applies, only the name is a mistake.
    const local = await runCli(['policy', 'check', path, '--mock', scenarioFile(machine)]);
    expect(local.stderr.split('\n').filter(Boolean)).toHaveLength(1);
    expect(local.code).toBe(6);
    const once = await runCli(['policy', 'enforce', path, '--once', '--dry-run', '--mock', scenarioFile(machine)]);
    expect(once.stderr).toContain('warning: policy.trust.users[1] "bob@contoso.com" is a user@domain name');
  });

  it("check: says what would become of the caller's own session, which is never acted on from itself", async () => {
    // The console session 1 (admin) is this command's own. Run as a service, the same policy would sign it out.
    const strict = { trust: { users: ['CONTOSO\\nobody'] }, rules: { untrustedUser: { action: 'signOut' } } };
    const run = await runCli(['policy', 'check', file('policy.json', strict), '--mock', scenarioFile(machine)]);
    expect(run.code).toBe(6);
    expect(run.stdout.trimEnd().split('\n').at(-1)).toBe(
      'Your own session 1 is never acted on from itself; run from another session (a service), the policy would ' +
        'have it signed out: user CONTOSO\\admin is not trusted.',
    );
    expect(cells(run.stdout).map((c) => c[1])).not.toContain('1'); // not a row of what this run would do
    const json = await runCli([
      'policy',
      'check',
      file('policy.json', strict),
      '--json',
      '--mock',
      scenarioFile(machine),
    ]);
    const rows = JSON.parse(json.stdout) as { sessionId: number; outcome: string; skipReason?: string }[];
    expect(rows.find((r) => r.sessionId === 1)).toMatchObject({ outcome: 'skipped', skipReason: 'ERR_OWN_SESSION' });
    // Trusted, it gets no such line: the near miss is another user's name, not the admin's.
    const trusting = { ...strict, trust: { users: ['CONTOSO\\admin'] } };
    const calm = await runCli(['policy', 'check', file('policy.json', trusting), '--mock', scenarioFile(machine)]);
    expect(calm.stdout).not.toContain('Your own session');
  });

  it('check: exit 0 when the policy would do nothing', async () => {
    const calm = {
      ...policy,
      trust: { ...policy.trust, clientAddresses: ['0.0.0.0/0'] },
      rules: { untrustedClient: { action: 'signOut' } },
    };
    const run = await runCli(['policy', 'check', file('policy.json', calm), '--mock', scenarioFile(machine)]);
    expect([run.code, run.stdout.trim()]).toEqual([0, 'The policy is valid; nothing would be done.']);
  });

  it('check: a bad policy file is exit 2, naming the file and the field', async () => {
    const bad = file('bad.json', { rules: { idle: { after: '2 hours', action: 'signOut' } } });
    const run = await runCli(['policy', 'check', bad, '--mock']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(`${bad}: policy.rules.idle.after must look like`);
    const notJson = await runCli(['policy', 'check', file('x.json', '{ rules: '), '--mock']);
    expect([notJson.code, notJson.stderr.includes('is not JSON')]).toEqual([2, true]);
    expect((await runCli(['policy', 'inspect', bad, '--mock'])).code).toBe(2);
    expect((await runCli(['policy', 'check', bad, '--once', '--mock'])).stderr).toContain(
      '--once is for policy enforce',
    );
    const good = file('p.json', policy);
    const every = await runCli(['policy', 'enforce', good, '--check-every', '5x', '--yes', '--mock']);
    expect([every.code, every.stderr.trim()]).toEqual([
      2,
      `windows-sessions: ERR_USAGE: --check-every must look like '90s', '45m', '2h', '1d' or '1h30m', got "5x"`,
    ]);
  });

  it('enforce --once --yes: acts, prints each outcome, and appends the audit log', async () => {
    const audit = join(mkdtempSync(join(tmpdir(), 'windows-sessions-audit-')), 'audit.jsonl');
    const run = await runCli([
      'policy',
      'enforce',
      file('p.json', policy),
      '--once',
      '--yes',
      '--audit',
      audit,
      '--mock',
      scenarioFile(machine),
    ]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/2\s+CONTOSO\\bob\s+198\.51\.100\.20\s+untrustedClient\s+signOut\s+.*signedOut$/m);
    const records = readFileSync(audit, 'utf8')
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l) as { session?: number | null; outcome: string });
    // Start and stop records mark the run, as the running enforcer's do.
    expect(records.map((r) => [r.session ?? null, r.outcome])).toEqual([
      [null, 'start'],
      [2, 'decided'],
      [3, 'decided'],
      [2, 'signedOut'],
      [3, 'signedOut'],
      [null, 'stop'],
    ]);
  });

  it('enforce --once without --yes and without a terminal does nothing (exit 3)', async () => {
    const run = await runCli(['policy', 'enforce', file('p.json', policy), '--once', '--mock', scenarioFile(machine)]);
    expect(run.code).toBe(3);
    expect(run.stderr).toContain('The policy would act on this machine:');
    expect(run.stderr).toContain('Nothing done: there is no terminal to confirm on');
  });

  it('enforce keeps running until SIGTERM, then stops cleanly (exit 0)', async () => {
    const args = ['policy', 'enforce', file('p.json', policy), '--yes', '--json', '--mock', scenarioFile(machine)];
    const child = spawn(process.execPath, [CLI, ...args], { env: { ...process.env, TZ: 'UTC' } });
    const run: CliRun = { code: null, stdout: '', stderr: '' };
    child.stderr.on('data', (chunk: Buffer) => (run.stderr += chunk.toString()));
    const closed = new Promise<void>((resolve) =>
      child.on('close', (code) => {
        resolve(void (run.code = code));
      }),
    );
    await new Promise<void>((resolve) =>
      child.stdout.on('data', (chunk: Buffer) => {
        run.stdout += chunk.toString();
        if (run.stdout.trimEnd().split('\n').length >= 2) resolve();
      }),
    );
    child.kill('SIGTERM');
    await closed;
    expect(run.code).toBe(0);
    expect(run.stderr).toContain('Enforcing the policy on this machine; Ctrl+C stops.');
    const rows = run.stdout
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l) as { sessionId: number; outcome: string });
    expect(rows.map((r) => [r.sessionId, r.outcome]).sort()).toEqual([
      [2, 'signedOut'],
      [3, 'signedOut'],
    ]);
  });
  it('enforce takes a new version of its file without a restart; a broken one is said and changes nothing', async () => {
    // First a policy that trusts every address and has no time limits: nothing to do.
    const lenient = {
      ...policy,
      trust: { ...policy.trust, clientAddresses: ['0.0.0.0/0'] },
      rules: { untrustedClient: { action: 'signOut' } },
    };
    const path = file('p.json', lenient);
    const args = ['policy', 'enforce', path, '--yes', '--json', '--check-every', '1h', '--mock', scenarioFile(machine)];
    const child = spawn(process.execPath, [CLI, ...args], { env: { ...process.env, TZ: 'UTC' } });
    const run: CliRun = { code: null, stdout: '', stderr: '' };
    const until = (check: () => boolean) =>
      new Promise<void>((resolve) => {
        const poll = (): void => {
          if (check()) resolve();
          else setTimeout(poll, 50);
        };
        poll();
      });
    child.stdout.on('data', (chunk: Buffer) => (run.stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (run.stderr += chunk.toString()));
    const closed = new Promise<void>((resolve) =>
      child.on('close', (code) => {
        run.code = code;
        resolve();
      }),
    );
    await until(() => run.stderr.includes('Ctrl+C stops.'));
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(run.stdout).toBe('');
    writeFileSync(path, '{ "rules": '); // half-written
    await until(() => run.stderr.includes('the policy in force stays'));
    expect(run.stdout).toBe('');
    writeFileSync(path, JSON.stringify(policy)); // only 10.0.0.0/8 trusted now
    await until(() => run.stdout.trimEnd().split('\n').length >= 2);
    child.kill('SIGTERM');
    await closed;
    expect(run.code).toBe(0);
    expect(run.stderr).toContain(`warning: ${path} is not JSON: `);
    expect(run.stderr).toMatch(/is not JSON: .*; the policy in force stays\n/);
    expect(run.stderr).toMatch(/Policy reloaded from .*p\.json \(sha256 [0-9a-f]{12}\)\./);
    const rows = run.stdout
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l) as { sessionId: number; outcome: string });
    expect(rows.map((r) => [r.sessionId, r.outcome]).sort()).toEqual([
      [2, 'signedOut'],
      [3, 'signedOut'],
    ]);
  }, 30_000);
});
