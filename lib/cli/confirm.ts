import { createInterface } from 'node:readline';
import type { CommandContext, Confirmation } from './context.js';
import { errorLine, EXIT } from './exit-codes.js';

/** A [y/N] prompt on `input`: Ctrl+C (SIGINT at the prompt) and Ctrl+D (end of input) cancel; no TTY, no prompt. */
export function promptOn(
  input: NodeJS.ReadableStream & { isTTY?: boolean },
  output: NodeJS.WritableStream,
): (question: string) => Promise<Confirmation> {
  return (question) => {
    if (!input.isTTY) return Promise.resolve('noTerminal');
    const rl = createInterface({ input, output });
    return new Promise<Confirmation>((resolve) => {
      let settled = false;
      const done = (answer: Confirmation) => {
        if (settled) return;
        settled = true;
        if (answer === 'cancelled') output.write('\n');
        rl.close();
        resolve(answer);
      };
      rl.question(question, (typed) => {
        done(/^y(es)?$/i.test(typed.trim()) ? 'yes' : 'no');
      });
      rl.on('SIGINT', () => {
        done('cancelled');
      });
      rl.on('close', () => {
        done('cancelled');
      });
    });
  };
}

/**
 * Asks before a destructive action and, unless the answer is yes, says why nothing was done: `null` to go on, or
 * the exit code to end with.
 */
export async function confirmAction(ctx: CommandContext, question: string, notDone: string): Promise<number | null> {
  const refuse = (message: string) => {
    ctx.err(errorLine('ERR_NOT_CONFIRMED', message));
  };
  switch (await ctx.confirm(`${question} [y/N] `)) {
    case 'yes':
      return null;
    case 'no':
      refuse(`${notDone}.`);
      break;
    case 'cancelled':
      refuse(`Cancelled: ${notDone.toLowerCase()}.`);
      break;
    case 'noTerminal':
      refuse(`${notDone}: there is no terminal to confirm on (pass --yes to skip the question).`);
      break;
  }
  return EXIT.refused;
}
