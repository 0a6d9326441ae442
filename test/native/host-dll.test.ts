// Hosts that export Node-API from a DLL (issue 20, item 4): Node.js built as libnode.dll (`vcbuild.bat dll`), where
// node-gyp's win_delay_load_hook looks first. test/native/hosts/libnode.c, loaded into the official node.exe, is
// such a DLL: its thunks count every call and forward it to node.exe. The function lists come from node-api-headers'
// own per-version lists, not from the build's generated one.
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { baseScenario } from '../contract/scenario.js';
import { ROOT, winPath } from './wine/environment.js';
import { writeStandinScenario } from './wine/standin-scenario.js';
import { useWine } from './wine/use-wine.js';
import { runWindowsScript } from './wine/windows-node.js';

const wine = useWine();

/** Node-API version 8, the version the addon is built for: every function a Node 18+ host exports. */
function nodeApiV8(): string[] {
  const { symbols } = createRequire(import.meta.url)('node-api-headers') as {
    symbols: Record<string, { js_native_api_symbols: string[]; node_api_symbols: string[] }>;
  };
  return [...symbols.v8!.js_native_api_symbols, ...symbols.v8!.node_api_symbols];
}

interface HostRun {
  /** The count of calls through libnode.dll before the package was loaded, and after it listed sessions. */
  before?: number;
  after?: number;
  sessions?: number[];
  code?: string;
  message?: string;
  causeCode?: string;
}

/**
 * An app folder with the installed package, a libnode.dll exporting `functions`, and a script that loads that DLL
 * first (as a libnode.dll host would have it loaded) and then lists sessions through the package.
 */
function runInLibnodeHost(functions: string[]): HostRun {
  const dir = appDir();
  writeFileSync(join(dir, 'node_api_list.h'), functions.map((name) => `NODE_API(${name})\n`).join(''));
  const dll = join(dir, 'libnode.dll');
  const compile = spawnSync(
    'x86_64-w64-mingw32-gcc-posix',
    [
      '-std=c11',
      '-O2',
      '-Wall',
      '-Wextra',
      '-Werror',
      '-shared',
      '-static-libgcc',
      '-s',
      `-I${dir}`,
      '-o',
      dll,
      join(ROOT, 'test', 'native', 'hosts', 'libnode.c'),
    ],
    { encoding: 'utf8' },
  );
  expect(compile.status, compile.stderr).toBe(0);
  return runScript(
    dir,
    `const libnode = { exports: {} };
process.dlopen(libnode, ${JSON.stringify(winPath(dll))});
const before = libnode.exports.forwarded();
require('windows-sessions').listSessions().then(
  (sessions) => console.log(JSON.stringify({ before, after: libnode.exports.forwarded(), sessions: sessions.map((s) => s.id) })),
  (e) => console.log(JSON.stringify({ code: e.code, message: e.message, causeCode: e.cause && e.cause.code })),
);\n`,
  ) as HostRun;
}

/** A folder with the installed package and the stand-in's scenario. */
function appDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'windows-sessions-host-'));
  cpSync(join(wine!.installDir, 'node_modules'), join(dir, 'node_modules'), { recursive: true });
  writeStandinScenario(dir, baseScenario());
  return dir;
}

/** Runs `source` in Windows node.exe from `dir`; it must exit normally and print one JSON line. */
function runScript(dir: string, source: string): unknown {
  const script = join(dir, 'host.cjs');
  writeFileSync(script, source);
  const run = runWindowsScript(wine!, script, [], dir);
  expect(run.code, run.stderr).toBe(0);
  return JSON.parse(run.stdout);
}

describe.runIf(wine)('a host whose Node-API comes from libnode.dll (Node built as a DLL)', () => {
  it('takes every Node-API function from libnode.dll, ahead of the program, and lists sessions', () => {
    const run = runInLibnodeHost(nodeApiV8());
    expect(run.message).toBeUndefined();
    expect(run.sessions).toEqual(baseScenario().sessions.map((s) => s.id));
    // Nothing but the addon calls the thunks; resolved against the program instead, it would leave them at 0.
    expect(run.before).toBe(0);
    expect(run.after).toBeGreaterThan(0);
  }, 120_000);

  it('fails the load with an error naming the function libnode.dll lacks, and nothing crashes', () => {
    // A function the addon calls on every listing (its promise).
    const run = runInLibnodeHost(nodeApiV8().filter((name) => name !== 'napi_create_promise'));
    expect(run.code).toBe('ERR_WINDOWS_SESSIONS_ADDON_LOAD');
    expect(run.causeCode).toBe('ERR_WINDOWS_SESSIONS_HOST_NODE_API');
    expect(run.message).toMatch(/libnode\.dll lacks napi_create_promise \(/);
    expect(run.message).toMatch(/Node-API version 8/);
    expect(run.message).not.toMatch(/Reinstall/);
  }, 120_000);

  it('names the missing functions even when napi_throw_error is one of them (the DLL fails to initialise)', () => {
    const run = runInLibnodeHost(
      nodeApiV8().filter((name) => name !== 'napi_throw_error' && name !== 'napi_create_promise'),
    );
    expect(run.code).toBe('ERR_WINDOWS_SESSIONS_ADDON_LOAD');
    expect(run.message).toMatch(/this program lacks .*napi_create_promise/);
    expect(run.message).toMatch(/this program lacks .*napi_throw_error/);
    // The loader's own reason, ERROR_DLL_INIT_FAILED: Windows says "A dynamic link library (DLL) initialization
    // routine failed", Wine "DLL initialization failed".
    expect(run.message).toMatch(/DLL\)? initiali[sz]ation (routine )?failed/i);
  }, 120_000);
});

describe.runIf(wine)("the addon's pin of itself (GetModuleHandleExW)", () => {
  it('fails the load with the Win32 error when the pin fails, rather than run unpinned', () => {
    // The stand-in repoints the addon's GetModuleHandleExW to fail with ERROR_MOD_NOT_FOUND (126).
    const run = runScript(
      appDir(),
      `process.env.WTS_STANDIN_FAIL_PIN = '126';
require('windows-sessions').listSessions().then(
  () => console.log('{}'),
  (e) => console.log(JSON.stringify({ code: e.code, message: e.message, errno: e.cause.errno, syscall: e.cause.syscall })),
);\n`,
    ) as { code: string; message: string; errno: number; syscall: string };
    expect(run).toMatchObject({ code: 'ERR_WINDOWS_SESSIONS_ADDON_LOAD', errno: 126, syscall: 'GetModuleHandleExW' });
  }, 120_000);
});
