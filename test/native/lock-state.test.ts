// The lock state's reversal on Windows 7 / Server 2008 R2 (docs/windows-behaviour.md, "Lock state"), checked by
// running native/lock_state.cc in a small Windows program under Wine as Windows 7 and as Windows 10. Wine reports
// the version per program name (HKCU\Software\Wine\AppDefaults\<exe>\Version), so node.exe's tests are untouched.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { WTS_SESSIONSTATE } from '../helpers/win32-tables.js';
import { MINGW_CXX } from './toolchain.js';
import { ROOT, WINE, wineEnv, winPath } from './wine/environment.js';
import { useWine } from './wine/use-wine.js';

const wine = useWine();

function build(dir: string, name: string): string {
  const exe = join(dir, name);
  execFileSync(MINGW_CXX, [
    '-O1',
    '-std=c++17',
    '-static',
    '-o',
    exe,
    join(ROOT, 'test/native/probes/lock-state-probe.cc'),
    join(ROOT, 'native/lock_state.cc'),
  ]);
  return exe;
}

function runAs(prefix: string, exe: string, version: string): Map<string, number> {
  const env = wineEnv(prefix);
  const key = `HKCU\\Software\\Wine\\AppDefaults\\${exe.split('/').pop()!}`;
  spawnSync(WINE, ['reg', 'add', key, '/v', 'Version', '/d', version, '/f'], { env });
  const out = execFileSync(WINE, [winPath(exe)], { env, encoding: 'utf8' });
  return new Map(
    out
      .trim()
      .split(/\r?\n/)
      .map((line) => {
        const [k, v] = line.split(' ');
        return [k!, Number(v)] as const;
      }),
  );
}

describe.runIf(wine)('lock state from WTSINFOEX_LEVEL1_W.SessionFlags (MinGW build under Wine)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'lock-state-'));

  // The expected values: the WTSINFOEX_LEVEL1 page's table (LOCK 0 locked, UNLOCK 1 unlocked, else unknown), and
  // its note that Windows 7 and Server 2008 R2 report the two the other way round.
  const LOCKED = 1;
  const UNLOCKED = 0;
  const UNKNOWN = -1;

  it('reads LOCK as locked and UNLOCK as unlocked on Windows 8 and later, anything else as unknown', () => {
    const result = runAs(wine!.prefix, build(dir, 'lock-probe-win10.exe'), 'win10');
    expect(result.get('reversed')).toBe(0);
    expect(result.get(String(WTS_SESSIONSTATE.LOCK))).toBe(LOCKED);
    expect(result.get(String(WTS_SESSIONSTATE.UNLOCK))).toBe(UNLOCKED);
    expect(result.get('2')).toBe(UNKNOWN);
    expect(result.get(String(WTS_SESSIONSTATE.UNKNOWN | 0))).toBe(UNKNOWN);
  }, 120_000);

  it('reads them the other way round on Windows 7 (6.1), where Windows reports them reversed', () => {
    const result = runAs(wine!.prefix, build(dir, 'lock-probe-win7.exe'), 'win7');
    expect(result.get('reversed')).toBe(1);
    expect(result.get(String(WTS_SESSIONSTATE.LOCK))).toBe(UNLOCKED);
    expect(result.get(String(WTS_SESSIONSTATE.UNLOCK))).toBe(LOCKED);
    expect(result.get(String(WTS_SESSIONSTATE.UNKNOWN | 0))).toBe(UNKNOWN);
  }, 120_000);
});
