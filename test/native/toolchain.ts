import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';

/** Whether a command runs here (`cmd --version` or the given probe exits 0). */
export function hasCommand(command: string, args: string[] = ['--version']): boolean {
  return spawnSync(command, args, { stdio: 'ignore' }).status === 0;
}

export const MINGW_CXX = 'x86_64-w64-mingw32-g++-posix';
/** Where scripts/cross-build.mjs keeps Zig, the win32-arm64 cross compiler, once fetched from the npm registry. */
export const ZIG = join(
  process.env.WINDOWS_SESSIONS_CACHE ?? join(homedir(), '.cache', 'windows-sessions'),
  'zig-0.11.0',
  'package',
  'zig',
);
export const INSTALL_HINT =
  'apt-get install -y --no-install-recommends g++-mingw-w64-x86-64-posix mingw-w64-tools wine64';

/**
 * Decides whether a suite that needs a tool runs. Missing tool: a clear note and a skip on a developer's machine,
 * but under CI (CI=true) a failure, so CI can never pass without running the suite.
 */
export function toolGate(what: string, available: boolean, hint = INSTALL_HINT): { run: boolean; failure?: string } {
  if (available) return { run: true };
  // These suites stand in for Windows on Linux; on Windows itself test/windows/ runs against the real system.
  if (process.platform !== 'linux') {
    console.warn(`\n[windows-sessions] not applicable on ${process.platform}: ${what} suites run on Linux only\n`);
    return { run: false };
  }
  const message = `${what} is not installed, so this suite cannot run. Install it with:\n  ${hint}`;
  if (process.env.CI === 'true' || process.env.CI === '1') return { run: false, failure: message };
  console.warn(`\n[windows-sessions] SKIPPED: ${message}\n`);
  return { run: false };
}

/**
 * Builds a probe of one native helper for this machine (g++, standard C++ threads: the same code as on Windows) and
 * runs it; resolves to its standard output. `sources` are paths from the repository root.
 */
export function runHostProbe(root: string, name: string, sources: string[]): string {
  const exe = join(mkdtempSync(join(tmpdir(), `${name}-`)), 'probe');
  execFileSync('g++', ['-std=c++17', '-O1', '-pthread', '-o', exe, ...sources.map((s) => join(root, s))]);
  return execFileSync(exe, { encoding: 'utf8' });
}
