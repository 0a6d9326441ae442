#!/usr/bin/env node
// npm run lint, native part: the C++ of native/ (and native/mingw/, the cross build's own) and the C of the test stand-in must match .clang-format.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';

const files = [
  ...['native', join('native', 'mingw')].flatMap((dir) =>
    readdirSync(dir)
      .filter((f) => /\.(cc|h)$/.test(f))
      .map((f) => join(dir, f)),
  ),
  ...readdirSync(join('test', 'native', 'standin'))
    .filter((f) => f.endsWith('.c'))
    .map((f) => join('test', 'native', 'standin', f)),
];
const result = spawnSync('clang-format', ['--dry-run', '--Werror', ...files], { stdio: 'inherit' });
if (result.error) {
  console.error('clang-format is not installed (Debian: apt-get install -y clang-format).');
  process.exit(1);
}
process.exit(result.status ?? 1);
