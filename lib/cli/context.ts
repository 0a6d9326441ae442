import type { SessionsClient } from '../client.js';
import type { ParsedArgs } from './parse-args.js';

/** What a command gets: its arguments, the client (native or mock), and where to write. */
export interface CommandContext {
  args: ParsedArgs;
  client: SessionsClient;
  /** The one host a command acts on (the first of `servers`); `null` for this machine. */
  server: string | null;
  /** Every host `--server` names, in order; `[null]` for this machine. More than one only for `manyHosts` commands. */
  servers: (string | null)[];
  json: boolean;
  out: (text: string) => void;
  err: (text: string) => void;
  /** Asks a [y/N] question on the terminal. */
  confirm: (question: string) => Promise<Confirmation>;
  /** Standard input (a message's text can come from it). */
  stdin: NodeJS.ReadableStream & { isTTY?: boolean };
  /** Standard output itself, for a live view (`top`) that draws on a terminal. */
  stdout?: import('./screen.js').TerminalOut;
  /** Aborts on Ctrl+C (watch, waits for answers). */
  signal: AbortSignal;
}

/** The answer at a [y/N] prompt: y or yes; anything else; Ctrl+C or Ctrl+D; or no terminal to ask on. */
export type Confirmation = 'yes' | 'no' | 'cancelled' | 'noTerminal';

/** A command: its flags, its help, and what it does (resolving to an exit code). */
export interface Command {
  summary: string;
  usage: string;
  /** Whether `--server` may name several hosts (the commands that read). */
  manyHosts?: boolean;
  flags: Record<string, { kind: 'boolean' | 'string'; short?: string; help: string }>;
  run: (ctx: CommandContext) => Promise<number>;
}
