#!/usr/bin/env node
// npm run lint, native part: the C++ of native/ (and native/mingw/, the cross build's own), the C of the test stand-in
// and test hosts, and the arm64 exception harness must match .clang-format.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';

const files = [
  ...['native', join('native', 'mingw')].flatMap((dir) =>
    readdirSync(dir)
      .filter((f) => /\.(cc|h)$/.test(f))
      .map((f) => join(dir, f)),
  ),
  ...['standin', 'hosts', 'arm64'].flatMap((dir) =>
    readdirSync(join('test', 'native', dir))
      .filter((f) => /\.(c|cc|h)$/.test(f))
      .map((f) => join('test', 'native', dir, f)),
  ),
];
const result = spawnSync('clang-format', ['--dry-run', '--Werror', ...files], { stdio: 'inherit' });
if (result.error) {
  console.error('clang-format is not installed (Debian: apt-get install -y clang-format).');
  process.exit(1);
}
process.exit(result.status ?? 1);
