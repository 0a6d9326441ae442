import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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

  it('holds the compiled JS and types, the C++ sources, binding.gyp, the prebuild and the docs, nothing else', () => {
    const allowed = [
      /^package\.json$/,
      /^README\.md$/,
      /^LICENSE$/,
      /^CHANGELOG\.md$/,
      /^binding\.gyp$/,
      /^native\/[a-z0-9_]+\.(cc|h)$/,
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
      'binding.gyp',
      'dist/index.js',
      'dist/index.cjs',
      'dist/index.d.ts',
      'dist/index.d.cts',
      'dist/mock.js',
      'dist/mock.cjs',
      'dist/mock.d.ts',
      'dist/mock.d.cts',
      'dist/cli.cjs',
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

    writeFileSync(
      join(app, 'consumer.ts'),
      `import { listSessions, logoff, WtsError, type Session, type LogoffResult } from 'windows-sessions';
import { installMock, type InstalledMock } from 'windows-sessions/mock';

export async function signOutIdle(limitMs: number): Promise<LogoffResult[]> {
  const sessions: Session[] = await listSessions();
  const idle = sessions.filter((s) => s.userName !== null && (s.idleMs ?? 0) > limitMs && !s.isCurrent);
  return Promise.all(idle.map((s) => logoff(s.id, { expect: { userName: s.userName! } })));
}
export const isWtsError = (e: unknown): e is WtsError => e instanceof WtsError;
export const mock: InstalledMock = installMock();
mock.restore();
`,
    );
    const tsc = join(app, 'node_modules', 'typescript', 'bin', 'tsc');
    for (const [module, resolution] of [
      ['node16', 'node16'],
      ['esnext', 'bundler'],
    ]) {
      const check = spawnSync(
        process.execPath,
        [
          tsc,
          '--noEmit',
          '--strict',
          '--module',
          module!,
          '--moduleResolution',
          resolution!,
          '--target',
          'es2022',
          '--types',
          'node',
          'consumer.ts',
        ],
        { cwd: app, encoding: 'utf8' },
      );
      expect(check.status, `${resolution}: ${check.stdout}`).toBe(0);
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
      gypfile?: boolean;
      scripts: Record<string, string>;
    };
    expect(pkg.os).toBeUndefined();
    // npm runs `node-gyp rebuild` at install for any package with a binding.gyp unless it says gypfile: false or
    // has an install script of its own. Either would make package managers that hold back install scripts (npm's
    // allowScripts, pnpm, Bun) ask every user, on every OS, to approve a build that a prebuild makes needless.
    expect(pkg.gypfile).toBe(false);
    expect(Object.keys(pkg.scripts).filter((s) => /^(pre|post)?install$/.test(s))).toEqual([]);
  });
});
