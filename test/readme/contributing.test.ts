// CONTRIBUTING.md is a guide to what is there: every path it names exists, each command of its "one test file"
// block selects at least one suite, and its timing table has a row for every native suite (a suite added or renamed
// without one fails here).
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..', '..');
const text = readFileSync(join(ROOT, 'CONTRIBUTING.md'), 'utf8');

describe('CONTRIBUTING.md', () => {
  it('names only paths that exist', () => {
    const paths = [...text.matchAll(/`((?:lib|native|test|docs|cmake|scripts)\/[\w./-]*|CMakeLists\.txt)`/g)].map(
      (m) => m[1]!,
    );
    expect(paths.length).toBeGreaterThan(20);
    expect(paths.filter((path) => !existsSync(join(ROOT, path)))).toEqual([]);
  });

  it('runs one test file with commands that select existing suites', () => {
    const commands = [...text.matchAll(/^npx vitest run (\S+)/gm)].map((m) => m[1]!);
    expect(commands).toEqual(expect.arrayContaining(['test/unit/validate.test.ts', 'test/unit']));
    for (const target of commands) expect(existsSync(join(ROOT, target)) || target === 'cli', target).toBe(true);
  });

  it('has a timing row for every suite of test/native, and says which need Wine', () => {
    const suites = readdirSync(join(ROOT, 'test', 'native')).filter((f) => f.endsWith('.test.ts'));
    expect(suites.length).toBeGreaterThan(10);
    const rows = text.split('\n').filter((line) => line.startsWith('| '));
    for (const suite of suites) {
      const row = rows.find((line) => line.includes(`\`test/native/${suite}\``));
      expect(row, suite).toBeDefined();
      // A time in seconds or minutes, measured, not a placeholder.
      expect(row, suite).toMatch(/\| (about )?\d+(\.\d+)? (s|min)[^|]* \|$/);
      const usesWine = readFileSync(join(ROOT, 'test', 'native', suite), 'utf8').includes('useWine()');
      expect(row!.includes('Wine'), suite).toBe(usesWine);
    }
  });
});
