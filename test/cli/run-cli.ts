import { spawn, spawnSync } from 'node:child_process';
import { PassThrough, Readable } from 'node:stream';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runCli as runCliInProcess } from '../../lib/cli/main.js';

export const CLI = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'dist', 'cli.cjs');

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

// Times print the same anywhere: the in-process runs format dates in this process.
process.env.TZ = 'UTC';

/**
 * Runs the CLI in this process, from lib/ (lib/cli/main.ts, what bin.ts calls), with `input` as standard input that
 * is not a terminal. Most tests use this: the same output and exit code, faster, and reached by mutation testing.
 */
export async function runCli(args: string[], input?: string): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  const out = new PassThrough().on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  const err = new PassThrough().on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const stdin = Readable.from(input === undefined ? [] : [input]);
  const code = await runCliInProcess(args, { stdout: out, stderr: err, stdin }, new AbortController().signal);
  return { code, stdout, stderr };
}

/** Runs the built CLI as a user would (a separate node process), in UTC so that times print the same anywhere. */
export function spawnCli(args: string[], input?: string, env: Record<string, string> = {}): CliRun {
  const result = spawnSync(process.execPath, [CLI, ...args], {
    encoding: 'utf8',
    input,
    env: { ...process.env, TZ: 'UTC', NO_COLOR: '1', ...env },
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

/**
 * Runs the CLI on a pseudo-terminal and types `key` once `prompt` is on the screen. Keys that raise signals
 * (Ctrl+C) must wait for it: the terminal turns them into a signal the moment they are typed.
 */
export function runCliOnTerminalAfter(args: string[], prompt: string, key: string): Promise<CliRun> {
  const command = [process.execPath, CLI, ...args].map((a) => `'${a.replaceAll("'", "'\\''")}'`).join(' ');
  const child = spawn('script', ['-qec', command, '/dev/null'], { env: { ...process.env, TZ: 'UTC' } });
  let stdout = '';
  let typed = false;
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
    if (!typed && stdout.includes(prompt)) {
      typed = true;
      setTimeout(() => child.stdin.write(key), 100); // the prompt is drawn before readline listens
    }
  });
  const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
  return new Promise((resolve) => {
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr: '' });
    });
  });
}
