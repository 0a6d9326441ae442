import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { baseScenario, expectedSession } from '../contract/scenario.js';
import { readStandinCalls, writeStandinScenario } from './wine/standin-scenario.js';
import { useWine } from './wine/use-wine.js';
import { winPath } from './wine/environment.js';
import { runWindowsScript } from './wine/windows-node.js';

const wine = useWine();

describe.runIf(wine)('the CLI in Windows node.exe under Wine, on the native backend', () => {
  const cli = () => join(wine!.installDir, 'node_modules', 'windows-sessions', 'dist', 'cli.cjs');

  it('list --json prints what the stand-in holds; logoff signs out exactly the session named', () => {
    const dir = mkdtempSync(join(tmpdir(), 'windows-sessions-cli-native-'));
    const scenario = baseScenario();
    writeStandinScenario(dir, scenario);
    const list = runWindowsScript(wine!, cli(), ['list', '--all', '--json'], dir);
    expect(list.code, list.stderr).toBe(0);
    const expected = scenario.sessions.map((s) => expectedSession(s, scenario));
    expect(JSON.parse(list.stdout)).toEqual(JSON.parse(JSON.stringify(expected)));

    const own = runWindowsScript(wine!, cli(), ['logoff', '1', '--yes'], dir);
    expect(own.code).toBe(3);
    expect(own.stderr).toContain('ERR_OWN_SESSION');

    const logoff = runWindowsScript(wine!, cli(), ['logoff', '3', '--yes', '--wait'], dir);
    expect(logoff.code, logoff.stderr).toBe(0);
    expect(logoff.stdout.trim()).toBe('Signed out session 3.');
    // --wait never reaches Windows as bWait (it can block for ever): the CLI signs out, then reads until it is gone.
    expect(readStandinCalls(dir)).toEqual([{ op: 'logoff', server: null, sessionId: 3, wait: false }]);
  }, 180_000);

  it('list --usage and top (without a terminal) show what WTSEnumerateProcessesExW reports of each session', () => {
    const dir = mkdtempSync(join(tmpdir(), 'windows-sessions-cli-native-'));
    writeStandinScenario(dir, baseScenario());
    // Base scenario (test/contract/scenario.ts): bob's explorer.exe (2) holds 4 GiB - 1 and spends 250 ms of CPU
    // between two reads; csrss.exe (Zoë's console, 1) 5 MB and 5 ms; carol's notepad++.exe (3) 14 MB and none.
    const list = runWindowsScript(wine!, cli(), ['list', '--usage', '--interval', '500ms'], dir);
    expect(list.code, list.stderr).toBe(0);
    const rows = list.stdout.trimEnd().split(/\r?\n/);
    expect(rows[0]).toMatch(/ +CPU +MEMORY$/);
    expect(rows.find((r) => r.startsWith(' bob '))).toMatch(/ \d+\.\d% +4\.0 GB$/);
    expect(rows.find((r) => / 3 +disconnected /.test(r))).toMatch(/ 0\.0% +14\.0 MB$/);
    // dave (4) has no process: nothing is known of what his session holds.
    expect(rows.find((r) => r.startsWith(' dave '))).toMatch(/ - +-$/);
    const top = runWindowsScript(wine!, cli(), ['top', '--count', '2', '--every', '500ms'], dir);
    expect(top.code, top.stderr).toBe(0);
    const blocks = top.stdout.trimEnd().split(/\r?\n\r?\n/);
    expect(blocks).toHaveLength(2);
    // Busiest first in each refresh: bob, the services (System, 10 ms), Zoë (5 ms), then carol and dave (none).
    for (const block of blocks) {
      const lines = block.split(/\r?\n/);
      expect(lines[0]).toMatch(/^TIME +ID +USERNAME +STATE +IDLE +CPU +MEMORY +PROCESSES$/);
      expect(lines.slice(1).map((l) => Number(l.split(/ {2,}/)[1]))).toEqual([2, 0, 1, 3, 4]);
    }
  }, 180_000);

  it('watch prints the scripted events and the process exits once its loop ends', () => {
    const dir = mkdtempSync(join(tmpdir(), 'windows-sessions-cli-native-'));
    const scenario = baseScenario();
    scenario.events.push(
      { types: ['logon'], delayMs: 30 },
      { types: ['logoff', 'delete'], delayMs: 30 },
      // Well after: events that come while the loop is not waiting are merged into one bitmask with what it missed
      // (one wait per server, shared), and this one must not be.
      { types: ['create'], delayMs: 1000 },
    );
    writeStandinScenario(dir, scenario);
    const run = runWindowsScript(wine!, cli(), ['watch', '--count', '2', '--json'], dir);
    expect(run.code, run.stderr).toBe(0);
    expect(
      run.stdout
        .trim()
        .split('\n')
        .map((line) => (JSON.parse(line) as { type: string }).type),
    ).toEqual(['logon', 'delete']); // one bitmask: in bit order
  }, 180_000);

  it('policy check and policy enforce --once act through the addon, with the audit log written in Windows', () => {
    const dir = mkdtempSync(join(tmpdir(), 'windows-sessions-cli-native-'));
    writeStandinScenario(dir, baseScenario());
    // Base scenario: bob (2) from 192.0.2.15, carol (3) disconnected for 2 h, dave (4) from 2001:db8::7.
    const policy = join(dir, 'policy.json');
    writeFileSync(
      policy,
      JSON.stringify({
        trust: { users: ['CONTOSO\\dave'], clientAddresses: ['10.0.0.0/8'] },
        rules: { untrustedClient: { action: 'signOut' }, disconnected: { after: '1h', action: 'signOut' } },
      }),
    );
    const check = runWindowsScript(wine!, cli(), ['policy', 'check', winPath(policy), '--json'], dir);
    expect(check.code, check.stderr).toBe(6);
    const planned = JSON.parse(check.stdout) as { sessionId: number; rule: string; outcome: string }[];
    expect(planned.map((r) => [r.sessionId, r.rule, r.outcome])).toEqual([
      [2, 'untrustedClient', 'dryRun'],
      [3, 'disconnected', 'dryRun'],
    ]);
    expect(readStandinCalls(dir)).toEqual([]);

    const audit = join(dir, 'audit.jsonl');
    const args = ['policy', 'enforce', winPath(policy), '--once', '--yes', '--audit', winPath(audit)];
    const enforce = runWindowsScript(wine!, cli(), args, dir);
    expect(enforce.code, enforce.stderr).toBe(0);
    // Decisions are enforced side by side: the two sign-outs may reach Windows in either order.
    expect(
      readStandinCalls(dir)
        .map((c) => [c.op, c.sessionId])
        .sort(),
    ).toEqual([
      ['logoff', 2],
      ['logoff', 3],
    ]);
    const lines = readFileSync(audit, 'utf8')
      .trim()
      .split(/\r?\n/)
      .map((l) => JSON.parse(l) as { session: number | null; outcome: string });
    // The run's start and stop records around the decisions.
    expect([lines[0]?.outcome, lines.at(-1)?.outcome]).toEqual(['start', 'stop']);
    const records = lines.slice(1, -1);
    // Both decisions are written before either is acted on; the outcomes follow in the order they came.
    expect(records.slice(0, 2).map((r) => [r.session, r.outcome])).toEqual([
      [2, 'decided'],
      [3, 'decided'],
    ]);
    expect(
      records
        .slice(2)
        .map((r) => [r.session, r.outcome])
        .sort(),
    ).toEqual([
      [2, 'signedOut'],
      [3, 'signedOut'],
    ]);
  }, 180_000);
});
