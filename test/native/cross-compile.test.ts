import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { hasCommand, MINGW_CXX, toolGate } from './toolchain.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const prebuild = join(root, 'prebuilds', 'win32-x64', 'node.napi.node');
// What the addon may import: node.exe for Node-API, and DLLs every Windows has. No MinGW runtime DLLs.
const ALLOWED_IMPORTS = ['node.exe', 'KERNEL32.dll', 'msvcrt.dll', 'WTSAPI32.dll', 'ADVAPI32.dll', 'USER32.dll'];

const gate = toolGate('MinGW-w64 (the win32-x64 cross compiler)', hasCommand(MINGW_CXX));

describe('win32-x64 cross build', () => {
  if (gate.failure) it('has its toolchain installed', () => expect.fail(gate.failure));

  it.runIf(gate.run)(
    'compiles the C++ for Windows with -Wall -Wextra -Werror and imports only node.exe and system DLLs',
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
      expect(imports).toContain('node.exe');
      expect(imports).toContain('WTSAPI32.dll');
      expect(imports.filter((name) => !ALLOWED_IMPORTS.includes(name!))).toEqual([]);
      // The addon must register through Node-API (napi_register_module_v1), which node.exe looks up by name.
      expect(dump.stdout).toMatch(/napi_register_module_v1/);
    },
    300_000,
  );
});
