import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { staleDist } from '../helpers/fresh-dist.js';

const ROOT = join(import.meta.dirname, '..', '..');

/** A package root with lib/, dist/ and the config files, each file dated `at` seconds since the epoch. */
function project(dates: { lib: number; dist: number; config?: number }): string {
  const root = mkdtempSync(join(tmpdir(), 'fresh-dist-'));
  const files: [string, number][] = [
    ['lib/index.ts', dates.lib],
    ['lib/ops/logoff.ts', dates.lib],
    ['dist/index.js', dates.dist],
    ['dist/index.cjs', dates.dist],
    ['dist/index.d.ts', 0], // declarations are not what runs
    ['package.json', dates.config ?? 0],
    ['tsup.config.ts', dates.config ?? 0],
  ];
  for (const [file, at] of files) {
    mkdirSync(join(root, file, '..'), { recursive: true });
    writeFileSync(join(root, file), '');
    utimesSync(join(root, file), at, at);
  }
  return root;
}

describe('the stale-dist guard of the suites that run the built package', () => {
  it('accepts a dist/ built after its sources', () => {
    expect(staleDist(project({ lib: 1000, dist: 2000 }))).toBeNull();
  });

  it('refuses a dist/ older than a file of lib/, even a nested one, and says what to run', () => {
    const root = project({ lib: 1000, dist: 2000 });
    utimesSync(join(root, 'lib', 'ops', 'logoff.ts'), 3000, 3000);
    expect(staleDist(root)).toMatch(/older than lib\/.*npm run build/);
  });

  it('refuses a dist/ older than package.json or tsup.config.ts', () => {
    expect(staleDist(project({ lib: 1000, dist: 2000, config: 3000 }))).toMatch(/older than lib\//);
  });

  it('refuses a dist/ of which one output is older than the sources', () => {
    const root = project({ lib: 1500, dist: 2000 });
    utimesSync(join(root, 'dist', 'index.cjs'), 1000, 1000);
    expect(staleDist(root)).toMatch(/older/);
  });

  it('refuses a missing dist/', () => {
    const root = mkdtempSync(join(tmpdir(), 'fresh-dist-'));
    expect(staleDist(root)).toMatch(/dist\/ is missing/);
  });

  it('stops a bare `vitest run` with its message alone: no "No test files found", no stack trace', () => {
    // A checkout whose lib/ changed after the build, with this guard as its global setup and one suite of the built
    // package, run by vitest itself.
    const root = project({ lib: 3000, dist: 2000 });
    writeFileSync(join(root, 'package.json'), '{ "type": "module" }');
    utimesSync(join(root, 'package.json'), 0, 0);
    mkdirSync(join(root, 'test', 'cli'), { recursive: true });
    writeFileSync(join(root, 'test', 'cli', 'cli.test.ts'), "import { it } from 'vitest';\nit('runs', () => {});\n");
    const guard = join(ROOT, 'test', 'helpers', 'fresh-dist.ts');
    writeFileSync(
      join(root, 'vitest.config.mjs'),
      `export default { test: { include: ['test/**/*.test.ts'], globalSetup: [${JSON.stringify(guard)}] } };\n`,
    );
    const run = spawnSync(process.execPath, [join(ROOT, 'node_modules', 'vitest', 'vitest.mjs'), 'run'], {
      cwd: root,
      encoding: 'utf8',
      env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0', CI: 'true' },
    });
    const output = run.stdout + run.stderr;
    expect(run.status, output).toBe(1);
    expect(run.stderr.trim()).toBe(
      'dist/ is older than lib/ (or package.json, tsup.config.ts): these suites would test the previous build. ' +
        'Run `npm run build` (npm test does).',
    );
    expect(output).not.toMatch(/No test files found|Unhandled Error|❯|\bat \S+:\d+/);
  }, 60_000);
});
