import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const CLI = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'dist', 'cli.cjs');

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the built CLI as a user would (a separate node process), in UTC so that times print the same anywhere. */
export function runCli(args: string[], input?: string): CliRun {
  const result = spawnSync(process.execPath, [CLI, ...args], {
    encoding: 'utf8',
    input,
    env: { ...process.env, TZ: 'UTC', NO_COLOR: '1' },
    timeout: 30_000,
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** Runs the CLI with a pseudo-terminal on stdin (util-linux `script`), typing `typed` at its prompt. */
export function runCliOnTerminal(args: string[], typed: string): CliRun {
  const command = [process.execPath, CLI, ...args].map((a) => `'${a.replaceAll("'", "'\\''")}'`).join(' ');
  const result = spawnSync('script', ['-qec', command, '/dev/null'], {
    encoding: 'utf8',
    input: typed,
    env: { ...process.env, TZ: 'UTC' },
    timeout: 30_000,
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** Writes a --mock scenario file and returns its path. */
export function scenarioFile(scenario: unknown): string {
  const path = join(mkdtempSync(join(tmpdir(), 'windows-sessions-cli-')), 'scenario.json');
  writeFileSync(path, JSON.stringify(scenario));
  return path;
}
