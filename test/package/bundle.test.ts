// A dependant that bundles its code (esbuild, webpack) must get a bundle that loads: the package is imported at
// the top of their program, on every platform. Run against the built dist/, with the mock standing in for Windows.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import webpack from 'webpack';
import { ROOT } from './pack.js';

const ESBUILD = join(ROOT, 'node_modules', '.bin', 'esbuild');

// Lists the mock's sessions through the top-level API, as a dependant's program (or its test) would.
const PROGRAM = `
import { listSessions } from 'windows-sessions';
import { installMock } from 'windows-sessions/mock';
installMock({ sessions: [{ id: 2, userName: 'bob', stationName: 'RDP-Tcp#2' }] });
listSessions().then((sessions) => console.log(JSON.stringify(sessions.map((s) => [s.id, s.userName]))));
`;
const EXPECTED = `${JSON.stringify([
  [0, null],
  [2, 'bob'],
  [65536, null],
])}\n`;

describe('bundled into a dependant program', () => {
  let app: string;
  beforeAll(() => {
    // dist/ is built by npm test before any suite runs; rebuilding it here would pull it from under the others.
    // A project that installed the package: node_modules/windows-sessions is the built package.
    app = mkdtempSync(join(tmpdir(), 'windows-sessions-bundle-'));
    mkdirSync(join(app, 'node_modules'));
    symlinkSync(ROOT, join(app, 'node_modules', 'windows-sessions'), 'dir');
    writeFileSync(join(app, 'main.mjs'), PROGRAM);
  });

  const run = (file: string) => spawnSync(process.execPath, [file], { cwd: app, encoding: 'utf8' });
  const esbuild = (out: string, ...flags: string[]) =>
    execFileSync(
      ESBUILD,
      ['main.mjs', '--bundle', '--platform=node', `--outfile=${out}`, '--log-level=error', ...flags],
      {
        cwd: app,
      },
    );

  it('esbuild, default format (CommonJS), package bundled in: loads and runs', () => {
    esbuild('out/cjs.js');
    const result = run('out/cjs.js');
    expect(result.stderr).toBe('');
    expect(result.stdout).toBe(EXPECTED);
  });

  it('esbuild, ES module format, package bundled in', () => {
    esbuild('out/esm.mjs', '--format=esm');
    expect(run('out/esm.mjs').stdout).toBe(EXPECTED);
  });

  it('esbuild with the package external (the way the README recommends)', () => {
    esbuild('out/external.js', '--packages=external');
    expect(run('out/external.js').stdout).toBe(EXPECTED);
  });

  it('webpack, target node', async () => {
    const stats = await new Promise<webpack.Stats>((resolve, reject) => {
      webpack(
        {
          mode: 'production',
          target: 'node',
          context: app,
          entry: './main.mjs',
          output: { path: join(app, 'out'), filename: 'webpack.js' },
          resolve: { modules: [join(app, 'node_modules'), join(ROOT, 'node_modules')] },
        },
        (error, result) => {
          if (error || !result) reject(error ?? new Error('no stats'));
          else resolve(result);
        },
      );
    });
    expect(stats.hasErrors(), stats.toString('errors-only')).toBe(false);
    expect(run('out/webpack.js').stdout).toBe(EXPECTED);
  }, 60_000);
});
