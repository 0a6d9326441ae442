import { execFileSync, spawnSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { hasCommand, MINGW_CXX, toolGate } from '../native/toolchain.js';
import { pack, ROOT } from './pack.js';

// The tarball must carry the win32-x64 prebuild, which only MinGW-w64 can make here.
const gate = toolGate('MinGW-w64 (for the prebuild the tarball ships)', hasCommand(MINGW_CXX));

describe.runIf(gate.run)('the published package', () => {
  let tarball: string;
  let files: string[];
  beforeAll(() => {
    execFileSync(process.execPath, [join(ROOT, 'scripts', 'cross-build.mjs')], { cwd: ROOT, stdio: 'ignore' });
    ({ tarball, files } = pack());
  }, 300_000);

  it('holds the compiled JS and types, the C++ sources with native/binding.gyp, the prebuild and the docs, nothing else', () => {
    const allowed = [
      /^package\.json$/,
      /^README\.md$/,
      /^LICENSE$/,
      /^CHANGELOG\.md$/,
      // binding.gyp is in native/, never at the root: see 'installs from a lockfile' below.
      /^native\/binding\.gyp$/,
      /^native\/[a-z0-9_]+\.(cc|h)$/,
      /^native\/messages\.mc$/, // the Event Log's message table, compiled into the addon
      /^dist\/[\w.-]+\.(js|cjs|d\.ts|d\.cts)$/,
      // prebuildify 6's name for a --napi build; arm64 is there when Zig built it (.ci/run does)
      /^prebuilds\/win32-(x64|arm64)\/windows-sessions\.node$/,
      /^mock\/package\.json$/, // windows-sessions/mock for resolvers without "exports"
    ];
    expect(files.filter((f) => !allowed.some((pattern) => pattern.test(f)))).toEqual([]);
    const nativeSources = readdirSync(join(ROOT, 'native'))
      .filter((f) => /\.(cc|h)$/.test(f))
      .map((f) => `native/${f}`);
    for (const required of [
      'package.json',
      'README.md',
      'LICENSE',
      'CHANGELOG.md',
      'native/binding.gyp',
      'dist/index.js',
      'dist/index.cjs',
      'dist/index.d.ts',
      'dist/index.d.cts',
      'dist/mock.js',
      'dist/mock.cjs',
      'dist/mock.d.ts',
      'dist/mock.d.cts',
      'dist/cli.cjs',
      'dist/service.cjs',
      'native/messages.mc',
      'prebuilds/win32-x64/windows-sessions.node',
      ...nativeSources,
    ]) {
      expect(files, required).toContain(required);
    }
  });

  it('installs in a fresh project without compiling, type-checks strictly, requires from CommonJS and tests with the mock', () => {
    const app = mkdtempSync(join(tmpdir(), 'windows-sessions-consumer-'));
    writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'consumer', private: true, type: 'module' }));
    const install = spawnSync(
      'npm',
      [
        'install',
        tarball,
        'typescript@5.9',
        'vitest@4',
        '@types/node@20',
        '--no-audit',
        '--no-fund',
        '--prefer-offline',
      ],
      // No compiler may be needed: make any attempt to use one fail loudly.
      {
        cwd: app,
        encoding: 'utf8',
        env: { ...process.env, CC: 'false', CXX: 'false', npm_config_build_from_source: 'false' },
      },
    );
    expect(install.status, install.stderr).toBe(0);
    expect(existsSync(join(app, 'node_modules', 'windows-sessions', 'build'))).toBe(false);
    // npm 11 warns at install about each package whose install scripts no one approved (npm 12 will skip them):
    // windows-sessions has none, so it is never named there.
    expect(install.stderr).not.toMatch(/install-scripts .*windows-sessions/);

    // Every entry point: '.' and './mock' through both of their conditions (consumer.ts imports dist/*.d.ts,
    // consumer.cts requires dist/*.d.cts), and './package.json'.
    writeFileSync(
      join(app, 'consumer.ts'),
      `import { listSessions, logoff, WtsError, type Session, type LogoffResult } from 'windows-sessions';
import { installMock, createMockBackend, type InstalledMock, type MockCall } from 'windows-sessions/mock';

export async function signOutIdle(limitMs: number): Promise<LogoffResult[]> {
  const sessions: Session[] = await listSessions();
  const idle = sessions.filter((s) => s.userName !== null && (s.idleMs ?? 0) > limitMs && !s.isCurrent);
  return Promise.all(idle.map((s) => logoff(s.id, { expect: { userName: s.userName! } })));
}
export const isWtsError = (e: unknown): e is WtsError => e instanceof WtsError;
export const mock: InstalledMock = installMock();
export const firstCall: MockCall | undefined = mock.calls[0];
mock.restore();
createMockBackend({ latencyMs: undefined });
`,
    );
    writeFileSync(
      join(app, 'consumer.cts'),
      `import sessions = require('windows-sessions');
import mock = require('windows-sessions/mock');
export const backend = mock.createMockBackend({ sessions: [{ id: 2, userName: 'bob' }] });
export const client = sessions.createClient(backend);
export const calls: mock.MockCall[] = backend.calls;
import manifest = require('windows-sessions/package.json');
export const version: string = manifest.version;
`,
    );
    const tsc = join(app, 'node_modules', 'typescript', 'bin', 'tsc');
    // The strictest settings a dependant may use, with the package's own .d.ts files checked (no skipLibCheck):
    // the README promises exactOptionalPropertyTypes.
    const strictest = [
      '--noEmit',
      '--strict',
      '--exactOptionalPropertyTypes',
      '--noUncheckedIndexedAccess',
      '--skipLibCheck',
      'false',
      '--target',
      'es2022',
      '--types',
      'node',
      '--resolveJsonModule', // for windows-sessions/package.json, the third entry point
    ];
    for (const [module, resolution, files] of [
      ['node16', 'node16', ['consumer.ts', 'consumer.cts']],
      ['nodenext', 'nodenext', ['consumer.ts', 'consumer.cts']],
      ['esnext', 'bundler', ['consumer.ts']],
    ] as const) {
      const check = spawnSync(
        process.execPath,
        [tsc, ...strictest, '--module', module, '--moduleResolution', resolution, ...files],
        { cwd: app, encoding: 'utf8' },
      );
      expect(check.stdout, resolution).toBe('');
      expect(check.status, resolution).toBe(0);
    }

    writeFileSync(
      join(app, 'consumer.cjs'),
      `const { listSessions, WtsError, createClient } = require('windows-sessions');
const { createMockBackend } = require('windows-sessions/mock');
const client = createClient(createMockBackend());
client.listSessions().then((s) => {
  if (typeof listSessions !== 'function' || typeof WtsError !== 'function' || s.length !== 5) process.exit(1);
  console.log('cjs ok', s.length);
});
`,
    );
    const cjs = spawnSync(process.execPath, ['consumer.cjs'], { cwd: app, encoding: 'utf8' });
    expect(cjs.stdout.trim(), cjs.stderr).toBe('cjs ok 5');

    writeFileSync(
      join(app, 'sweep.test.ts'),
      `import { expect, it } from 'vitest';
import { signOutIdle } from './consumer.js';
import { installMock } from 'windows-sessions/mock';

it('signs out the idle users only', async () => {
  const now = Date.now();
  const mock = installMock({
    sessions: [
      { id: 2, userName: 'bob', stationName: 'RDP-Tcp#2', lastInputTime: now - 3 * 3600_000 },
      { id: 3, userName: 'carol', stationName: 'RDP-Tcp#3', lastInputTime: now },
    ],
  });
  try {
    const results = await signOutIdle(3600_000);
    expect(results.map((r) => [r.sessionId, r.outcome])).toEqual([[2, 'signedOut']]);
    expect(mock.calls.filter((c) => c.op === 'logoff')).toEqual([{ op: 'logoff', server: null, sessionId: 2, wait: false }]);
  } finally {
    mock.restore();
  }
});
`,
    );
    const vitest = spawnSync(process.execPath, [join(app, 'node_modules', 'vitest', 'vitest.mjs'), 'run'], {
      cwd: app,
      encoding: 'utf8',
      env: { ...process.env, CI: 'true' },
    });
    expect(vitest.status, vitest.stdout + vitest.stderr).toBe(0);
    expect(vitest.stdout).toMatch(/1 passed/);
  }, 300_000);

  it('installs from a lockfile (npm ci, npm install, pnpm --frozen-lockfile, yarn --frozen-lockfile) with no script and no compiler', () => {
    // pnpm 9 and yarn 1 run dependencies' install scripts by default, and like npm take a binding.gyp at a package's
    // root for `node-gyp rebuild`. From the npm registry, as CI can reach it.
    const tools = mkdtempSync(join(tmpdir(), 'windows-sessions-pm-'));
    const tooling = spawnSync(
      'npm',
      ['install', '--prefix', tools, 'pnpm@9', 'yarn@1', '--no-audit', '--no-fund', '--prefer-offline'],
      { encoding: 'utf8' },
    );
    expect(tooling.status, tooling.stderr).toBe(0);
    // A PATH with node, npm, the two package managers and a shell, and no Python: any node-gyp run fails. CC=false
    // makes any compiler use fail too.
    const bin = join(tools, 'path');
    mkdirSync(bin);
    const which = (command: string) => execFileSync('sh', ['-c', `command -v ${command}`], { encoding: 'utf8' }).trim();
    for (const command of ['node', 'npm', 'sh']) symlinkSync(which(command), join(bin, command));
    for (const command of ['pnpm', 'yarn'])
      symlinkSync(join(tools, 'node_modules', '.bin', command), join(bin, command));
    const pythonHints = ['PYTHON', 'npm_config_python', 'NODE_GYP_FORCE_PYTHON'];
    const env: NodeJS.ProcessEnv = {
      ...Object.fromEntries(Object.entries(process.env).filter(([key]) => !pythonHints.includes(key))),
      PATH: bin,
      CC: 'false',
      CXX: 'false',
      CI: 'true',
    };
    expect(spawnSync('sh', ['-c', 'command -v python3 python'], { env }).status).not.toBe(0);

    const run = (cwd: string, command: string, args: string[]) => {
      const result = spawnSync(command, args, { cwd, encoding: 'utf8', env });
      const output = result.stdout + result.stderr;
      expect(result.status, `${command} ${args.join(' ')}: ${output}`).toBe(0);
      // npm, pnpm and yarn each name the command when they run it; the package's dependency node-gyp-build is no match.
      expect(output, `${command} ${args.join(' ')}`).not.toMatch(/node-gyp rebuild|gyp (info|ERR)/);
      const installed = join(cwd, 'node_modules', 'windows-sessions');
      expect(readdirSync(installed).sort()).toEqual(
        ['CHANGELOG.md', 'LICENSE', 'README.md', 'dist', 'mock', 'native', 'package.json', 'prebuilds']
          .concat(
            // pnpm and yarn link the package's dependencies beside it
            existsSync(join(installed, 'node_modules')) ? ['node_modules'] : [],
          )
          .sort(),
      );
      expect(existsSync(join(installed, 'native', 'build'))).toBe(false);
      return output;
    };
    const project = (manager: string) => {
      const dir = mkdtempSync(join(tmpdir(), `windows-sessions-${manager}-`));
      const manifest = {
        name: `consumer-${manager}`,
        private: true,
        dependencies: { 'windows-sessions': `file:${tarball}` },
      };
      writeFileSync(join(dir, 'package.json'), JSON.stringify(manifest));
      return dir;
    };
    const fresh = (dir: string) => {
      rmSync(join(dir, 'node_modules'), { recursive: true, force: true });
    };
    const npmFlags = ['--no-audit', '--no-fund', '--prefer-offline'];

    const npmApp = project('npm');
    run(npmApp, 'npm', ['install', ...npmFlags]);
    const lock = JSON.parse(readFileSync(join(npmApp, 'package-lock.json'), 'utf8')) as {
      packages: Record<string, { hasInstallScript?: boolean }>;
    };
    expect(lock.packages['node_modules/windows-sessions']).toBeDefined();
    expect(lock.packages['node_modules/windows-sessions']!.hasInstallScript).toBeUndefined();
    fresh(npmApp);
    run(npmApp, 'npm', ['ci', ...npmFlags]);
    fresh(npmApp);
    run(npmApp, 'npm', ['install', ...npmFlags]);
    expect(run(npmApp, 'npm', ['install-scripts', 'ls'])).toMatch(/No packages with unreviewed install scripts/);

    const pnpmApp = project('pnpm');
    run(pnpmApp, 'pnpm', ['install', '--no-frozen-lockfile']);
    expect(existsSync(join(pnpmApp, 'pnpm-lock.yaml'))).toBe(true);
    fresh(pnpmApp);
    run(pnpmApp, 'pnpm', ['install', '--frozen-lockfile']);

    const yarnApp = project('yarn');
    run(yarnApp, 'yarn', ['install', '--non-interactive']);
    expect(existsSync(join(yarnApp, 'yarn.lock'))).toBe(true);
    fresh(yarnApp);
    run(yarnApp, 'yarn', ['install', '--frozen-lockfile', '--non-interactive']);
  }, 300_000);

  it('builds from source with the one documented command, into the folder node-gyp-build looks in first', () => {
    // The command the README and the load error give, run in an installed package. On Linux the target is empty (its
    // sources are Windows-only), so this checks the command, the layout and the copy step, not the C++ (the Windows
    // workflow builds that with MSVC). Needs Python, make and a C++ compiler, as any node-gyp build; Node's own
    // headers, so nothing is downloaded.
    const app = mkdtempSync(join(tmpdir(), 'windows-sessions-source-'));
    writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'consumer', private: true }));
    execFileSync('npm', ['install', tarball, '--no-audit', '--no-fund', '--prefer-offline'], {
      cwd: app,
      stdio: 'ignore',
    });
    const installed = join(app, 'node_modules', 'windows-sessions');
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    expect(readme).toContain('cd node_modules/windows-sessions && npx node-gyp rebuild --directory native');
    const nodedir = dirname(dirname(process.execPath));
    const build = spawnSync('sh', ['-c', 'npx -y node-gyp rebuild --directory native'], {
      cwd: installed,
      encoding: 'utf8',
      env: { ...process.env, npm_config_nodedir: nodedir },
    });
    expect(build.status, build.stdout + build.stderr).toBe(0);
    const built = join(installed, 'build', 'Release', 'windows_sessions.node');
    expect(existsSync(built)).toBe(true);
    // node-gyp-build, asked what Windows would load, picks the local build over the shipped prebuild.
    const lookup = spawnSync(
      process.execPath,
      ['-p', `require('node-gyp-build').resolve(${JSON.stringify(installed)})`],
      {
        cwd: installed,
        encoding: 'utf8',
        env: { ...process.env, npm_config_platform: 'win32', npm_config_arch: 'x64' },
      },
    );
    expect(lookup.stdout.trim(), lookup.stderr).toBe(built);
  }, 300_000);

  it('has exports that resolve in every module mode (publint, arethetypeswrong)', () => {
    const publint = spawnSync(process.execPath, [join(ROOT, 'node_modules', 'publint', 'src', 'cli.js'), '--strict'], {
      cwd: ROOT,
      encoding: 'utf8',
    });
    expect(publint.status, publint.stdout + publint.stderr).toBe(0);
    expect(publint.stdout).toContain('All good');
    const attw = spawnSync(
      process.execPath,
      [join(ROOT, 'node_modules', '@arethetypeswrong', 'cli', 'dist', 'index.js'), tarball, '--format', 'json'],
      { cwd: ROOT, encoding: 'utf8' },
    );
    const report = JSON.parse(attw.stdout) as { analysis: { problems: unknown[] } };
    expect(report.analysis.problems).toEqual([]);
  }, 120_000);
});

describe('the published package (toolchain gate)', () => {
  if (gate.failure) it('has MinGW-w64 installed', () => expect.fail(gate.failure));
  it('declares no "os" field and no install step: nothing to approve, nothing compiled at install, on any OS', async () => {
    const pkg = (await import('../../package.json', { with: { type: 'json' } })).default as {
      os?: unknown;
      scripts: Record<string, string>;
      files: string[];
    };
    expect(pkg.os).toBeUndefined();
    // npm, pnpm, yarn and Bun run `node-gyp rebuild` at install for any package with a binding.gyp at its root and
    // no install script of its own, and "gypfile": false is not recorded in lockfiles (so npm ci ignored it). Either
    // an install script or a root binding.gyp would make package managers that hold back install scripts (npm's
    // allowScripts, pnpm, Bun) ask every user, on every OS, to approve a build that a prebuild makes needless.
    expect(Object.keys(pkg.scripts).filter((s) => /^(pre|post)?install$/.test(s))).toEqual([]);
    expect(existsSync(join(ROOT, 'binding.gyp'))).toBe(false);
    expect(pkg.files).not.toContain('binding.gyp');
  });

  it("keeps package-lock.json as npm install writes it (a fresh clone's install changes nothing)", () => {
    // The root entry is what npm derives from package.json (and a root binding.gyp, were there one): an install
    // script flag npm no longer derives was dropped by every `npm install`, leaving the clone dirty.
    const dir = mkdtempSync(join(tmpdir(), 'windows-sessions-lock-'));
    const committed = readFileSync(join(ROOT, 'package-lock.json'), 'utf8');
    writeFileSync(join(dir, 'package.json'), readFileSync(join(ROOT, 'package.json')));
    writeFileSync(join(dir, 'package-lock.json'), committed);
    execFileSync(
      'npm',
      ['install', '--package-lock-only', '--ignore-scripts', '--no-audit', '--no-fund', '--prefer-offline'],
      // npm is npm.cmd on Windows, which runs only through a shell.
      { cwd: dir, stdio: 'ignore', shell: process.platform === 'win32' },
    );
    expect(readFileSync(join(dir, 'package-lock.json'), 'utf8')).toBe(committed);
    const root = (JSON.parse(committed) as { packages: Record<string, { hasInstallScript?: boolean }> }).packages[''];
    expect(root?.hasInstallScript).toBeUndefined();
  }, 120_000);
});
