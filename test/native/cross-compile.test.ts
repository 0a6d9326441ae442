import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { hasCommand, MINGW_CXX, toolGate } from './toolchain.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const prebuild = join(root, 'prebuilds', 'win32-x64', 'node.napi.node');
// What the addon may import at load time: DLLs every Windows has. No MinGW runtime DLLs, and not node.exe: Node-API
// is delay-loaded from whichever program is running (Electron, a renamed node.exe), as node-gyp does for MSVC.
const ALLOWED_IMPORTS = ['KERNEL32.dll', 'msvcrt.dll', 'WTSAPI32.dll', 'ADVAPI32.dll', 'USER32.dll'];

const gate = toolGate('MinGW-w64 (the win32-x64 cross compiler)', hasCommand(MINGW_CXX));

describe('win32-x64 cross build', () => {
  if (gate.failure) it('has its toolchain installed', () => expect.fail(gate.failure));

  it.runIf(gate.run)(
    'compiles the C++ for Windows with -Wall -Wextra -Werror, imports only system DLLs and delay-loads Node-API',
    () => {
      const build = spawnSync(process.execPath, [join(root, 'scripts', 'cross-build.mjs')], {
        cwd: root,
        encoding: 'utf8',
      });
      expect(build.status, build.stdout + build.stderr).toBe(0);
      expect(existsSync(prebuild)).toBe(true);
      const dump = spawnSync('x86_64-w64-mingw32-objdump', ['-p', prebuild], { encoding: 'utf8' });
      expect(dump.status).toBe(0);
      expect(dump.stdout).toMatch(/file format pei-x86-64/);
      const imports = [...dump.stdout.matchAll(/DLL Name: (\S+)/g)].map((m) => m[1]);
      expect(imports).not.toContain('node.exe');
      expect(imports).toContain('WTSAPI32.dll');
      // The delay-load descriptor's module name, which native/mingw/delay_load_hook.cc maps to the running program.
      expect(readFileSync(prebuild).includes(Buffer.from('\0node.exe\0'))).toBe(true);
      expect(imports.filter((name) => !ALLOWED_IMPORTS.includes(name!))).toEqual([]);
      // The addon must register through Node-API (napi_register_module_v1), which node.exe looks up by name.
      expect(dump.stdout).toMatch(/napi_register_module_v1/);
    },
    300_000,
  );
});

describe('binding.gyp (the MSVC build, which cannot run here)', () => {
  it('compiles exactly the C++ sources in native/, only on Windows, with wtsapi32 and the pinned Node-API version', () => {
    // binding.gyp is JSON with # comments (gyp's Python-literal syntax as used here).
    const text = readFileSync(join(root, 'binding.gyp'), 'utf8').replace(/^\s*#.*$/gm, '');
    const gyp = JSON.parse(text) as {
      targets: { conditions: [string, { sources: string[]; libraries: string[]; defines: string[] }][] }[];
    };
    const [condition, win] = gyp.targets[0]!.conditions[0]!;
    expect(condition).toBe("OS=='win'");
    const sources = readdirSync(join(root, 'native'))
      .filter((f) => f.endsWith('.cc'))
      .map((f) => `native/${f}`)
      .sort();
    expect([...win.sources].sort()).toEqual(sources);
    expect(win.libraries).toEqual(expect.arrayContaining(['wtsapi32.lib', 'advapi32.lib']));
    expect(win.defines).toContain('NAPI_VERSION=8');
  });

  it('compiles with the same defines as the cross build (CMakeLists.txt), apart from the listed differences', () => {
    const gyp = JSON.parse(readFileSync(join(root, 'binding.gyp'), 'utf8').replace(/^\s*#.*$/gm, '')) as {
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
