import { spawnSync } from 'node:child_process';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { MACHINE, readPeImports, type PeImports } from '../helpers/pe-imports.js';
import { hasCommand, MINGW_CXX, toolGate, ZIG } from './toolchain.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
// prebuildify 6 names a --napi build after the package, with no tags; the test below checks that against prebuildify.
const prebuild = join(root, 'prebuilds', 'win32-x64', 'windows-sessions.node');
// What the addon may import: DLLs every Windows has. No MinGW runtime DLLs, and not node.exe: Node-API comes from
// whichever program is running (Electron, a renamed node.exe), as node-gyp's delay-load hook does for MSVC.
// NETAPI32 gives NetRemoteTOD, a remote host's clock (native/remote_clock.h); every Windows has it.
const ALLOWED_IMPORTS = ['KERNEL32.dll', 'msvcrt.dll', 'WTSAPI32.dll', 'ADVAPI32.dll', 'USER32.dll', 'NETAPI32.dll'];

/**
 * Checks a cross-built addon's machine and imports: only DLLs every Windows has, and Node-API neither imported nor
 * delay-loaded from a module (native/mingw/host_imports.cc fills it from the running program).
 */
function expectSystemImportsOnly(file: string, machine: number): PeImports {
  const pe = readPeImports(file);
  expect(pe.machine).toBe(machine);
  expect(pe.imports).toContain('WTSAPI32.dll');
  expect(pe.imports.filter((name) => !ALLOWED_IMPORTS.includes(name))).toEqual([]);
  expect(pe.delayImports).toEqual([]);
  expect(readFileSync(file).includes(Buffer.from('node.exe'))).toBe(false);
  return pe;
}

const gate = toolGate('MinGW-w64 (the win32-x64 cross compiler)', hasCommand(MINGW_CXX));

describe('win32-x64 cross build', () => {
  if (gate.failure) it('has its toolchain installed', () => expect.fail(gate.failure));

  it.runIf(gate.run)(
    'compiles the C++ for Windows with -Wall -Wextra -Werror, imports only system DLLs and takes Node-API from the host',
    () => {
      // A local build under an older name: node-gyp-build would rank it above the release name (more tags).
      const stale = join(root, 'prebuilds', 'win32-x64', 'node.napi.node');
      writeFileSync(stale, 'stale');
      const build = spawnSync(process.execPath, [join(root, 'scripts', 'cross-build.mjs')], {
        cwd: root,
        encoding: 'utf8',
      });
      expect(build.status, build.stdout + build.stderr).toBe(0);
      expect(readdirSync(join(root, 'prebuilds', 'win32-x64'))).toEqual(['windows-sessions.node']);
      expect(existsSync(stale)).toBe(false);
      const pe = expectSystemImportsOnly(prebuild, MACHINE.x64);
      // The addon must register through Node-API (napi_register_module_v1), which Node looks up by name.
      expect(pe.exports).toContain('napi_register_module_v1');
    },
    300_000,
  );
});

const zigGate = toolGate(
  'Zig (the win32-arm64 cross compiler)',
  existsSync(ZIG),
  'npm run prebuild:cross -- --arch arm64   (fetches Zig from the npm registry once)',
);
// Zig's libunwind marks its own functions dllexport; the addon's own exports are Node-API's two.
const LIBUNWIND_EXPORT = /^(_Unwind_|unw_|_GCC_specific_handler$)/;

describe('win32-arm64 cross build (Zig)', () => {
  if (zigGate.failure) it('has its toolchain installed', () => expect.fail(zigGate.failure));

  it.runIf(zigGate.run)(
    'compiles the C++ for Windows on Arm with -Wall -Wextra -Werror, imports only system DLLs, takes Node-API from the host',
    () => {
      const build = spawnSync(process.execPath, [join(root, 'scripts', 'cross-build.mjs'), '--arch', 'arm64'], {
        cwd: root,
        encoding: 'utf8',
      });
      expect(build.status, build.stdout + build.stderr).toBe(0);
      const arm64 = join(root, 'prebuilds', 'win32-arm64', 'windows-sessions.node');
      expect(readdirSync(dirname(arm64))).toEqual(['windows-sessions.node']);
      const pe = expectSystemImportsOnly(arm64, MACHINE.arm64);
      expect(pe.exports.filter((name) => !LIBUNWIND_EXPORT.test(name)).sort()).toEqual([
        'napi_register_module_v1',
        'node_api_module_get_api_version_v1',
      ]);
    },
    900_000,
  );
});

describe('one prebuild file name for the cross build, prebuildify and node-gyp-build', () => {
  it("is the name prebuildify 6 gives this package's --napi build, run as the release workflow runs it", () => {
    // `npm run prebuild:msvc` itself, run here on Linux: binding.gyp's target is empty off Windows, so it builds in a
    // second, against this Node's own headers (npm_config_nodedir: no download).
    const dir = mkdtempSync(join(tmpdir(), 'windows-sessions-prebuildify-'));
    mkdirSync(join(dir, 'native'));
    copyFileSync(join(root, 'package.json'), join(dir, 'package.json'));
    copyFileSync(join(root, 'native', 'binding.gyp'), join(dir, 'native', 'binding.gyp'));
    symlinkSync(join(root, 'node_modules'), join(dir, 'node_modules'));
    const nodedir = dirname(dirname(process.execPath));
    expect(existsSync(join(nodedir, 'include', 'node', 'node_api.h')), `Node headers under ${nodedir}`).toBe(true);
    const run = spawnSync('npm', ['run', 'prebuild:msvc'], {
      cwd: dir,
      encoding: 'utf8',
      env: { ...process.env, npm_config_nodedir: nodedir },
    });
    expect(run.status, run.stdout + run.stderr).toBe(0);
    expect(readdirSync(join(dir, 'prebuilds', `${process.platform}-${process.arch}`))).toEqual([
      'windows-sessions.node',
    ]);
  }, 120_000);

  it('is the file node-gyp-build picks for win32-x64 from a prebuilds/ laid out like the package', () => {
    const dir = mkdtempSync(join(tmpdir(), 'windows-sessions-lookup-'));
    const folder = join(dir, 'prebuilds', 'win32-x64');
    mkdirSync(folder, { recursive: true });
    writeFileSync(join(folder, 'windows-sessions.node'), '');
    // node-gyp-build reads the platform and arch from these variables, so Linux can ask it what Windows would load.
    const lookup = (prebuildsDir: string) =>
      spawnSync(
        process.execPath,
        [
          '-p',
          `require(${JSON.stringify(join(root, 'node_modules', 'node-gyp-build'))}).resolve(process.argv[1])`,
          prebuildsDir,
        ],
        {
          encoding: 'utf8',
          env: { ...process.env, npm_config_platform: 'win32', npm_config_arch: 'x64', PREBUILDS_ONLY: '1' },
        },
      );
    expect(lookup(dir).stdout.trim()).toBe(join(folder, 'windows-sessions.node'));
    // Why scripts/cross-build.mjs removes other names: a file with tags of its own would be chosen instead.
    writeFileSync(join(folder, 'node.napi.node'), '');
    expect(lookup(dir).stdout.trim()).toBe(join(folder, 'node.napi.node'));
  });
});

describe('native/binding.gyp (the MSVC build, which cannot run here)', () => {
  it('compiles exactly the C++ sources in native/, only on Windows, with wtsapi32 and the pinned Node-API version', () => {
    // binding.gyp is JSON with # comments (gyp's Python-literal syntax as used here).
    const text = readFileSync(join(root, 'native', 'binding.gyp'), 'utf8').replace(/^\s*#.*$/gm, '');
    const gyp = JSON.parse(text) as {
      targets: { conditions: [string, { sources: string[]; libraries: string[]; defines: string[] }][] }[];
    };
    const [condition, win] = gyp.targets[0]!.conditions[0]!;
    expect(condition).toBe("OS=='win'");
    const sources = readdirSync(join(root, 'native'))
      .filter((f) => f.endsWith('.cc'))
      .sort();
    // Paths in binding.gyp are relative to it, in native/.
    expect([...win.sources].sort()).toEqual(sources);
    expect(win.libraries).toEqual(expect.arrayContaining(['wtsapi32.lib', 'advapi32.lib', 'netapi32.lib']));
    expect(win.defines).toContain('NAPI_VERSION=8');
  });

  it('compiles with the same defines as the cross build (CMakeLists.txt), apart from the listed differences', () => {
    const gyp = JSON.parse(readFileSync(join(root, 'native', 'binding.gyp'), 'utf8').replace(/^\s*#.*$/gm, '')) as {
      targets: { conditions: [string, { defines: string[] }][] }[];
    };
    const gypDefines = new Set(gyp.targets[0]!.conditions[0]![1].defines);
    const cmake = /target_compile_definitions\(\$\{PROJECT_NAME\} PRIVATE ([^)]*)\)/.exec(
      readFileSync(join(root, 'CMakeLists.txt'), 'utf8'),
    );
    const cmakeDefines = new Set(cmake![1]!.trim().split(/\s+/));
    // Differences with a reason: gyp gets C++ exceptions from node-addon-api's node_addon_api_except target; MSVC
    // builds are UNICODE by convention (the code calls the W functions by name either way); native/win_api.h
    // defines NOMINMAX itself.
    const onlyGyp = new Set(['UNICODE', '_UNICODE', 'NOMINMAX']);
    const onlyCmake = new Set(['NAPI_CPP_EXCEPTIONS']);
    expect([...gypDefines].filter((d) => !cmakeDefines.has(d) && !onlyGyp.has(d))).toEqual([]);
    expect([...cmakeDefines].filter((d) => !gypDefines.has(d) && !onlyCmake.has(d))).toEqual([]);
  });
});
