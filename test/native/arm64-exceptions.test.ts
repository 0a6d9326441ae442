// The win32-arm64 binary cannot run here (Wine runs x64 only), so its C++ exceptions, which every error path of the
// addon relies on, are never executed by the Wine suites. This runs the same exception path as aarch64 code: the
// addon's own argument checks (native/args.cc, unchanged) throwing through node-addon-api's callback wrapper,
// compiled by the same Zig 0.11 for aarch64-linux and run under qemu-aarch64 over a fake Node-API
// (test/native/arm64/harness.cc). What it proves and what it does not: README, "How the native code is tested".
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { hasCommand, toolGate, ZIG } from './toolchain.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const gate = toolGate(
  'Zig and qemu-aarch64 (the arm64 exception harness)',
  existsSync(ZIG) && hasCommand('qemu-aarch64', ['-version']),
  'apt-get install -y --no-install-recommends qemu-user && npm run prebuild:cross -- --arch arm64',
);

/** The defines the cross build compiles the addon with (CMakeLists.txt), so the harness stays in step with it. */
function buildDefines(): string[] {
  const cmake = readFileSync(join(root, 'CMakeLists.txt'), 'utf8');
  const line = /target_compile_definitions\(\$\{PROJECT_NAME\} PRIVATE ([^)]*)\)/.exec(cmake);
  if (!line) throw new Error('no target_compile_definitions in CMakeLists.txt');
  return line[1]!
    .trim()
    .split(/\s+/)
    .map((define) => `-D${define}`);
}

const EM_AARCH64 = 183;

describe('arm64 C++ exceptions, executed (aarch64-linux under qemu-user)', () => {
  if (gate.failure) it('has its tools installed', () => expect.fail(gate.failure));

  it.runIf(gate.run)(
    "throws every argument error through node-addon-api's wrapper as aarch64 code, running every destructor",
    () => {
      const dir = mkdtempSync(join(tmpdir(), 'windows-sessions-arm64-'));
      // args.h includes "win_api.h" from its own folder: beside the harness's stand-in, it needs only DWORD.
      for (const file of [
        'native/args.cc',
        'native/args.h',
        'test/native/arm64/win_api.h',
        'test/native/arm64/harness.cc',
      ])
        copyFileSync(join(root, file), join(dir, file.split('/').pop()!));
      const exe = join(dir, 'harness');
      const napiDir = (pkg: string, sub: string) => join(root, 'node_modules', pkg, sub);
      execFileSync(
        ZIG,
        [
          'c++',
          '-target',
          'aarch64-linux-musl',
          '-static',
          '-std=c++17',
          '-O2',
          '-Wall',
          '-Wextra',
          '-Werror',
          ...buildDefines(),
          `-I${napiDir('node-addon-api', '')}`,
          `-I${napiDir('node-api-headers', 'include')}`,
          `-I${dir}`,
          '-o',
          exe,
          join(dir, 'harness.cc'),
          join(dir, 'args.cc'),
        ],
        { stdio: 'pipe' },
      );
      // An ELF for aarch64, so qemu, not this x86-64 machine, executes it.
      expect(readFileSync(exe).readUInt16LE(18)).toBe(EM_AARCH64);
      const run = spawnSync('qemu-aarch64', [exe], { encoding: 'utf8', timeout: 60_000 });
      expect(run.status, run.stderr).toBe(0);
      const lines = run.stdout
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line) as Record<string, unknown>);
      const byCase: Record<string, Record<string, unknown>> = Object.fromEntries(
        lines.filter((l) => l.case).map((l) => [String(l.case), l]),
      );
      // Valid arguments return: id 7, wait true (+0.5); id 0 with a server (+0.25).
      expect(byCase.valid).toEqual({ case: 'valid', value: 7.5 });
      expect(byCase['valid-server']).toEqual({ case: 'valid-server', value: 0.25 });
      // The kinds the Wine suite expects of the same values (wine-runtime.test.ts, "checks its own arguments"):
      // a wrong type is a TypeError, a number out of range a RangeError; the callback returns nothing after a throw.
      for (const [name, kind, subject] of [
        ['string-id', 'TypeError', /sessionId/],
        ['fraction', 'RangeError', /sessionId/],
        ['negative', 'RangeError', /sessionId/],
        ['current-session', 'RangeError', /sessionId/],
        ['bool-not-bool', 'TypeError', /boolean/],
        ['server-number', 'TypeError', /server/],
        ['server-nul', 'RangeError', /server.*NUL/],
      ] as const) {
        expect(byCase[name], name).toMatchObject({ threw: kind, returned: false });
        expect(byCase[name]!.message, name).toMatch(subject);
      }
      // As the workers do: thrown on another thread, carried over in a std::exception_ptr and caught by type here;
      // caught by base class (std::exception) with its text.
      expect(byCase['thread-bad-alloc']).toEqual({ case: 'thread-bad-alloc', caught: 'std::bad_alloc' });
      expect(byCase['by-base']).toEqual({ case: 'by-base', caught: 'from a worker' });
      // Unwinding ran the destructors of every frame it left: no live guard object, no Napi::Error reference.
      expect(lines.at(-1)).toEqual({ guards: 0, references: 0 });
    },
    300_000,
  );
});
