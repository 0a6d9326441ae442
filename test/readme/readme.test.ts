// Every code block of README.md, as a newcomer would paste it: the TypeScript ones type-checked strictly
// (exactOptionalPropertyTypes too, and the package's own declarations with them: no skipLibCheck) and run, the test example with vitest, the scenario file through the CLI, and
// the `npx windows-sessions … --mock` lines, and the CLI as a checkout runs it. Off Windows, a block that does not
// install the mock itself runs after the README's own lines that install it (the "Use" section's first block, which
// the README tells a reader on Linux or macOS to put first): nothing a reader would not have.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ts from 'typescript';
import { beforeAll, describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..', '..');
const CLI = join(ROOT, 'dist', 'cli.cjs');

interface Block {
  lang: string;
  code: string;
  line: number;
}

function blocks(): Block[] {
  const lines = readFileSync(join(ROOT, 'README.md'), 'utf8').split('\n');
  const found: Block[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = /^```(\w*)$/.exec(lines[i]!);
    if (!open) continue;
    const end = lines.indexOf('```', i + 1);
    found.push({ lang: open[1]!, code: lines.slice(i + 1, end).join('\n'), line: i + 1 });
    i = end;
  }
  return found;
}

const all = blocks();
const code = all.filter((b) => ['ts', 'js', 'typescript', 'javascript'].includes(b.lang));
const isTest = (b: Block) => b.code.includes("from 'vitest'");
const name = (b: Block) => `readme-line-${b.line}${isTest(b) ? '.test' : ''}.ts`;
const installsMock = (b: Block) => b.code.includes("'windows-sessions/mock'");

/** The lines the README tells a reader off Windows to put first: the first code block of its "Use" section. */
function mockPreamble(): Block {
  const text = readFileSync(join(ROOT, 'README.md'), 'utf8').split('\n');
  const use = text.indexOf('## Use') + 1;
  const first = code.find((b) => b.line > use);
  if (!first || !installsMock(first)) throw new Error('the "Use" section no longer starts with the mock\'s lines');
  return first;
}

// Every option left undefined on purpose: dependants that use exactOptionalPropertyTypes must be able to.
const EXPLICIT_UNDEFINED = `
import { listSessions, logoff, logoffIdle, sendMessage, watchSessions } from 'windows-sessions';
import { createMockBackend } from 'windows-sessions/mock';
const maybe = undefined as string | undefined;
export async function check(): Promise<void> {
  await listSessions({ server: maybe, signal: undefined });
  await logoff(2, { server: undefined, wait: undefined, ask: undefined, expect: { userName: undefined, domain: null } });
  await logoffIdle({ idleFor: '2h', dryRun: undefined, exclude: undefined, includeActiveConsole: undefined });
  await sendMessage(2, { message: 'hi', title: undefined, timeoutSeconds: undefined, wait: undefined });
  watchSessions({ types: undefined, server: undefined });
  createMockBackend({ sessions: [{ id: 2, userName: undefined, lastInputTime: undefined }], latencyMs: undefined });
}
`;

describe('README.md code blocks', () => {
  let dir: string;
  beforeAll(() => {
    // A project that installed the package (dist/ is built by npm test first), vitest and the Node types.
    dir = mkdtempSync(join(tmpdir(), 'windows-sessions-readme-'));
    mkdirSync(join(dir, 'node_modules'));
    symlinkSync(ROOT, join(dir, 'node_modules', 'windows-sessions'), 'dir');
    for (const dep of ['vitest', '@types'])
      symlinkSync(join(ROOT, 'node_modules', dep), join(dir, 'node_modules', dep), 'dir');
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'newcomer', private: true, type: 'module' }));
    writeFileSync(
      join(dir, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          target: 'ES2022',
          module: 'NodeNext',
          moduleResolution: 'NodeNext',
          strict: true,
          exactOptionalPropertyTypes: true,
          noUncheckedIndexedAccess: true,
          types: ['node'],
          noEmit: true,
          skipLibCheck: false,
        },
        include: ['*.ts'],
      }),
    );
    for (const b of code) writeFileSync(join(dir, name(b)), b.code);
    writeFileSync(join(dir, 'explicit-undefined.ts'), EXPLICIT_UNDEFINED);
  });

  it('has TypeScript blocks to check (the test would prove nothing without them)', () => {
    expect(code.length).toBeGreaterThanOrEqual(3);
  });

  it('type-check under strict settings, with exactOptionalPropertyTypes', () => {
    const tsc = spawnSync(process.execPath, [join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', dir], {
      encoding: 'utf8',
    });
    expect(tsc.stdout + tsc.stderr).toBe('');
    expect(tsc.status).toBe(0);
  }, 60_000);

  /** Runs a block as the README says to try it off Windows: its mock lines first, then the block. */
  function runBlock(b: Block) {
    const program = installsMock(b) ? b.code : `${mockPreamble().code}\n${b.code}`;
    const js = ts.transpileModule(program, {
      compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 },
    }).outputText;
    const file = join(dir, `${name(b)}.mjs`);
    writeFileSync(file, js);
    return spawnSync(process.execPath, [file], { cwd: dir, encoding: 'utf8' });
  }

  it('the "Use" block, after the README\'s mock lines, lists the remote host it names', () => {
    const use = code.find((b) => b.code.includes("server: 'ts01.contoso.com'"));
    expect(use).toBeDefined();
    const run = runBlock(use!);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    // The last line lists ts01.contoso.com: the session the README's mock lines seed there, with the services session
    // and the RDP listener the mock adds to every host (systemSessions, default true).
    expect(run.stdout.trim().split('\n').at(-1)).toBe("[ '0 -', '2 dave', '65536 -' ]");
  });

  for (const b of code.filter((x) => !isTest(x))) {
    it(`the block at line ${b.line} runs`, () => {
      const run = runBlock(b);
      // The Errors example reports a refusal with console.error by design: what counts is that it ends cleanly.
      expect(run.status, run.stderr).toBe(0);
      expect(run.stderr).not.toMatch(/^\s+at /m); // no uncaught error's stack
    });
  }

  for (const b of code.filter(isTest)) {
    it(`the test example at line ${b.line} passes with vitest`, () => {
      const run = spawnSync(
        process.execPath,
        [join(ROOT, 'node_modules', 'vitest', 'vitest.mjs'), 'run', '--root', dir, '--dir', dir, name(b)],
        { cwd: dir, encoding: 'utf8', env: { ...process.env, CI: 'true', NO_COLOR: '1', FORCE_COLOR: '0' } },
      );
      expect(run.status, run.stdout + run.stderr).toBe(0);
      // NO_COLOR leaves the summary plain.
      expect(run.stdout).toMatch(/Tests\s+\d+ passed/);
    }, 60_000);
  }

  it('the --mock scenario file is valid, and its scripted failure fires', () => {
    const json = all.filter((b) => b.lang === 'json' && !b.code.includes('"rules"'));
    expect(json).toHaveLength(1);
    const file = join(dir, 'scenario.json');
    writeFileSync(file, json[0]!.code);
    const list = spawnSync(process.execPath, [CLI, 'list', '--mock', file], { encoding: 'utf8' });
    expect([list.status, list.stderr]).toEqual([0, '']);
    const logoff = spawnSync(process.execPath, [CLI, 'logoff', '2', '--yes', '--mock', file], { encoding: 'utf8' });
    expect([logoff.status, logoff.stderr]).toEqual([1, expect.stringContaining('ERROR_ACCESS_DENIED')]);
  });

  it('the example policy is valid, and policy check plans with it on the demo server', () => {
    const policies = all.filter((b) => b.lang === 'json' && b.code.includes('"rules"'));
    expect(policies).toHaveLength(1);
    const file = join(dir, 'policy.json');
    writeFileSync(file, policies[0]!.code);
    const check = spawnSync(process.execPath, [CLI, 'policy', 'check', file, '--mock'], { encoding: 'utf8' });
    expect(check.stderr).toBe('');
    // The demo's bob connects from 192.0.2.15, outside every trusted range; alice is an admin; carol has not been
    // disconnected for 8 h.
    expect(check.status).toBe(6);
    expect(check.stdout).toMatch(/^\.\s+2\s+\S*bob\s+192\.0\.2\.15\s+untrustedClient\s+signOut/m);
  });

  it('the way to run the CLI in a checkout works there (npm run cli), where `npx windows-sessions` needs a link', () => {
    const lines = all
      .filter((b) => b.lang === 'sh')
      .flatMap((b) => b.code.split('\n'))
      .filter((l) => l.startsWith('npm run cli -- '));
    expect(lines.length).toBeGreaterThan(0);
    for (const line of lines) {
      // In the checkout itself (dist/ is built by npm test first; `npm run build` is not run here, under other suites).
      const run = spawnSync(line, { cwd: ROOT, encoding: 'utf8', shell: true });
      expect(run.status, `${line}: ${run.stderr}`).toBe(0);
      expect(run.stdout, line).toMatch(/^\s*USERNAME\s+SESSIONNAME\s+ID\s+STATE/m);
      expect(run.stdout, line).toMatch(/^\s+bob\s+RDP-Tcp#2\s+2\s+active/m);
    }
  });

  it("says what Windows's own session time limits (TerminalServer.admx) can do", () => {
    // From Microsoft's explain text of the Session Time Limits policies: an active-session limit besides the idle and
    // disconnected ones, a warning two minutes before the active or idle limit, signing out instead of disconnecting,
    // the same settings under User Configuration, and per-account limits on the Active Directory Sessions tab.
    const text = readFileSync(join(ROOT, 'README.md'), 'utf8');
    const section = text.slice(
      text.indexOf('## Keep untrusted users off this machine'),
      text.indexOf('```json', text.indexOf('## Keep untrusted')),
    );
    for (const fact of [
      'MaxConnectionTime',
      'MaxIdleTime',
      'MaxDisconnectionTime',
      'two minutes before the active or the idle limit',
      'End session when time limits are reached',
      'User Configuration',
      'Sessions tab of Active Directory Users and Computers',
    ]) {
      expect(section, fact).toContain(fact);
    }
    expect(section).not.toMatch(/covers only idle and disconnected|no warnings|no exceptions per user/);
  });

  it('the `npx windows-sessions … --mock` lines run', () => {
    const lines = all
      .filter((b) => b.lang === 'sh')
      .flatMap((b) => b.code.split('\n'))
      .filter((l) => l.startsWith('npx windows-sessions ') && l.includes('--mock'));
    expect(lines.length).toBeGreaterThan(0);
    for (const line of lines) {
      const args = line.replace(/#.*$/, '').trim().split(/\s+/).slice(2);
      expect(execFileSync(process.execPath, [CLI, ...args], { encoding: 'utf8' }).length, line).toBeGreaterThan(0);
    }
  });
});
