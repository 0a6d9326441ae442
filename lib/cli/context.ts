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
  /** Asks a [y/N] question on the terminal. */
  confirm: (question: string) => Promise<Confirmation>;
  /** Standard input (a message's text can come from it). */
  stdin: NodeJS.ReadableStream & { isTTY?: boolean };
  /** Aborts on Ctrl+C (watch, waits for answers). */
  signal: AbortSignal;
}

/** The answer at a [y/N] prompt: y or yes; anything else; Ctrl+C or Ctrl+D; or no terminal to ask on. */
export type Confirmation = 'yes' | 'no' | 'cancelled' | 'noTerminal';

/** A command: its flags, its help, and what it does (resolving to an exit code). */
export interface Command {
  summary: string;
  usage: string;
  flags: Record<string, { kind: 'boolean' | 'string'; short?: string; help: string }>;
  run: (ctx: CommandContext) => Promise<number>;
}
