#!/usr/bin/env node
// npm run prebuild:cross: builds the win32-x64 addon on Linux with MinGW-w64 through cmake-js, and writes it under
// the name prebuildify 6 gives a Node-API build (prebuilds/win32-x64/<package name>.node), so node-gyp-build loads it
// as in an installed package, and a release prebuild and a local build are the same file, never two.
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const buildDir = join(root, 'build-cross');
const prebuildDir = join(root, 'prebuilds', 'win32-x64');
// prebuildify 6 names a --napi build after the package ('/' of a scope becomes '+'), with no tags.
const { name } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const prebuildPath = join(prebuildDir, `${name.replaceAll('/', '+')}.node`);

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
