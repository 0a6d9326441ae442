// npm "install" hook. On Windows: use the shipped prebuild, or build from source with node-gyp when none fits
// (node-gyp-build decides). Elsewhere there is nothing to build: the package runs there with the mock backend only,
// and an install must never need a compiler or fail.
'use strict';

if (process.platform !== 'win32') process.exit(0);

const { spawnSync } = require('node:child_process');
const path = require('node:path');

const bin = require.resolve('node-gyp-build/bin.js');
const result = spawnSync(process.execPath, [bin], { cwd: path.join(__dirname, '..'), stdio: 'inherit' });
process.exit(result.status ?? 1);
