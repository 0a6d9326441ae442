// `windows-sessions service` off Windows (issue 24): its mistakes are usage errors before anything is touched, and
// the platform error says where it runs. Its life on Windows is test/native/windows-service.test.ts, under Wine.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from './run-cli.js';

describe('CLI: service', () => {
  it('refuses a missing or unknown action, stray arguments and a bad --name (exit 2)', async () => {
    for (const [args, text] of [
      [['service'], 'service takes install, uninstall, start, stop or status'],
      [['service', 'restart'], 'service takes install, uninstall, start, stop or status'],
      [['service', 'status', 'extra'], 'service status takes no arguments besides --name'],
      [['service', 'status', '--name', 'a\\b'], '--name takes 1 to 80 letters'],
      [['service', 'install'], 'service install takes one policy file'],
      [['service', 'stop', '--server', 'ts01'], "service stop acts on this machine's service"],
    ] as const) {
      const run = await runCli([...args]);
      expect([run.code, run.stderr], args.join(' ')).toEqual([2, expect.stringContaining(text) as string]);
    }
  });

  it('checks the policy before installing anything', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'windows-sessions-cli-service-'));
    const policy = join(dir, 'policy.json');
    writeFileSync(policy, JSON.stringify({ rules: { idle: { after: 'soon', action: 'signOut' } } }));
    const run = await runCli(['service', 'install', policy]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(`${policy}: `);
  });

  it('says it needs Windows for the service itself', async () => {
    const run = await runCli(['service', 'status']);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('cannot run on linux');
  });
});
