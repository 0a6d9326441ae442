import type { SessionsClient } from '../client.js';
import type { ParsedArgs } from './parse-args.js';

/** What a command gets: its arguments, the client (native or mock), and where to write. */
export interface CommandContext {
  args: ParsedArgs;
  client: SessionsClient;
  server: string | null;
  json: boolean;
  out: (text: string) => void;
  err: (text: string) => void;
  /** Asks a yes/no question on the terminal; resolves false when there is no terminal. */
  confirm: (question: string) => Promise<boolean>;
  /** Aborts on Ctrl+C (watch, waits for answers). */
  signal: AbortSignal;
}

/** A command: its flags, its help, and what it does (resolving to an exit code). */
export interface Command {
  summary: string;
  usage: string;
  flags: Record<string, { kind: 'boolean' | 'string'; short?: string; help: string }>;
  run: (ctx: CommandContext) => Promise<number>;
}
