// Issue 26, item 4: --servers-from <file> names the hosts, one a line, on every command that takes --server; and a
// host beyond the wait threads is said to be polled (item 1).
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readServerList } from '../../lib/index.js';
import { runCli, scenarioFile } from './run-cli.js';

const dir = mkdtempSync(join(tmpdir(), 'windows-sessions-servers-from-'));
function file(name: string, text: string | Buffer): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}
const farm = {
  servers: {
    ts01: [{ id: 2, userName: 'alice', stationName: 'RDP-Tcp#1' }],
    ts02: [{ id: 3, userName: 'bob', stationName: 'RDP-Tcp#2' }],
  },
};

describe('readServerList', () => {
  it('reads one host a line, skipping blanks and # comments, in UTF-8 or the UTF-16LE PowerShell 5.1 writes', () => {
    const text = '# from Get-RDSessionHost\r\nts01.contoso.test\r\n\r\n  ts02.contoso.test  # rack 4\r\n';
    expect(readServerList(file('a.txt', text))).toEqual(['ts01.contoso.test', 'ts02.contoso.test']);
    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);
    expect(readServerList(file('b.txt', utf16))).toEqual(['ts01.contoso.test', 'ts02.contoso.test']);
  });

  it('names the file and line of a bad or repeated host, and refuses a file that names none', () => {
    const bad = file('bad.txt', 'ts01\nts 02\n');
    expect(() => readServerList(bad)).toThrow(
      new RangeError(`${bad}:2: a host name must not contain white space, got the string "ts 02"`),
    );
    const twice = file('twice.txt', 'ts01\nTS01\n');
    expect(() => readServerList(twice)).toThrow(new RangeError(`${twice}:2: TS01 is listed twice (first on line 1)`));
    const none = file('none.txt', '# nothing yet\n\n');
    expect(() => readServerList(none)).toThrow(RangeError);
    expect(() => readServerList(join(dir, 'missing.txt'))).toThrow(/ENOENT/);
  });
});

describe('--servers-from', () => {
  it('lists every host the file names', async () => {
    const hosts = file('hosts.txt', 'ts01\n# ts03 is retired\nts02\n');
    const run = await runCli(['list', '--servers-from', hosts, '--json', '--mock', scenarioFile(farm)]);
    expect(run.code).toBe(0);
    const rows = JSON.parse(run.stdout) as { server: string; ok: boolean }[];
    expect(rows.map((r) => [r.server, r.ok])).toEqual([
      ['ts01', true],
      ['ts02', true],
    ]);
  });

  it('is a usage error with --server, for a bad file, or with several hosts for a command that acts on one', async () => {
    const hosts = file('two.txt', 'ts01\nts02\n');
    const mock = scenarioFile(farm);
    const both = await runCli(['list', '--server', 'ts01', '--servers-from', hosts, '--mock', mock]);
    expect([both.code, both.stderr]).toEqual([
      2,
      'windows-sessions: ERR_USAGE: give --server or --servers-from, not both (see --help)\n',
    ]);
    const bad = file('bad2.txt', 'ts01\n\nts 02\n');
    const badRun = await runCli(['list', '--servers-from', bad, '--mock', mock]);
    expect(badRun.code).toBe(2);
    expect(badRun.stderr).toContain(`--servers-from: ${bad}:3: a host name must not contain white space`);
    const logoff = await runCli(['logoff', '2', '--yes', '--servers-from', hosts, '--mock', mock]);
    expect([logoff.code, logoff.stderr]).toEqual([
      2,
      `windows-sessions: ERR_USAGE: logoff acts on one host at a time; ${hosts} names 2 (see --help)\n`,
    ]);
  });

  it('watch says which host is polled when the wait threads run out', async () => {
    const hosts = file('watch.txt', 'ts01\nts02\n');
    const mock = scenarioFile({
      ...farm,
      waitThreads: 1,
      events: [{ types: ['logoff'], server: 'ts01', delayMs: 300 }],
    });
    const run = await runCli(['watch', '--servers-from', hosts, '--count', '1', '--mock', mock]);
    expect(run.code).toBe(0);
    expect(run.stderr.split('\n')).toEqual([
      'Watching session events (every kind) on ts01, ts02; stops after 1 event(s), or Ctrl+C.',
      'ts02: polled every 5 s (every event-wait thread watches another host)',
      '',
    ]);
  });
});
