import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { baseScenario, expectedSession } from '../contract/scenario.js';
import { readStandinCalls, writeStandinScenario } from './wine/standin-scenario.js';
import { useWine } from './wine/use-wine.js';
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
    expect(readStandinCalls(dir)).toEqual([{ op: 'logoff', server: null, sessionId: 3, wait: true }]);
  }, 180_000);

  it('watch prints the scripted events and the process exits once its loop ends', () => {
    const dir = mkdtempSync(join(tmpdir(), 'windows-sessions-cli-native-'));
    const scenario = baseScenario();
    scenario.events.push(
      { types: ['logon'], delayMs: 30 },
      { types: ['logoff', 'delete'], delayMs: 30 },
      { types: ['create'], delayMs: 0 },
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
});
