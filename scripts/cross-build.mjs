#!/usr/bin/env node
// npm run prebuild:cross: builds the win32-x64 addon on Linux with MinGW-w64 through cmake-js, and writes it where
// prebuildify would (prebuilds/win32-x64/node.napi.node), so node-gyp-build loads it as in an installed package.
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const buildDir = join(root, 'build-cross');
export const prebuildPath = join(root, 'prebuilds', 'win32-x64', 'node.napi.node');

const compiler = spawnSync('x86_64-w64-mingw32-g++-posix', ['--version'], { encoding: 'utf8' });
if (compiler.status !== 0) {
  console.error(
    'prebuild:cross needs MinGW-w64. On Debian or Ubuntu:\n' +
      '  apt-get install -y --no-install-recommends g++-mingw-w64-x86-64-posix mingw-w64-tools',
  );
  process.exit(1);
}

const cmakeJs = join(root, 'node_modules', 'cmake-js', 'bin', 'cmake-js');
const result = spawnSync(
  process.execPath,
  [
    cmakeJs,
    'compile',
    '--directory',
    root,
    '--out',
    buildDir,
    '--prefer-make',
    '--parallel',
    '2',
    `--CDCMAKE_TOOLCHAIN_FILE=${join(root, 'cmake', 'mingw-w64-x86_64.cmake')}`,
  ],
  { cwd: root, stdio: 'inherit' },
);
if (result.status !== 0) process.exit(result.status ?? 1);

mkdirSync(dirname(prebuildPath), { recursive: true });
copyFileSync(join(buildDir, 'windows_sessions.node'), prebuildPath);
console.log(`wrote ${prebuildPath}`);
