import { expect } from 'vitest';
import { SessionRefusedError, WtsError } from '../../lib/errors.js';

/** Messages of TypeErrors that JavaScript itself throws: a bug in the package, not a checked argument. */
const ENGINE_TYPE_ERROR =
  /Cannot read|Cannot convert|is not a function|is not iterable|is not a constructor|Cannot destructure/;

/**
 * Asserts the documented outcome of any call: it resolves, or rejects with a TypeError or RangeError (a checked
 * argument), a WtsError (Windows said no) or a SessionRefusedError (a guard said no); never anything else.
 */
export async function expectSettlesCleanly(call: () => Promise<unknown>, label: string): Promise<void> {
  let error: unknown;
  let timer: NodeJS.Timeout | undefined;
  // A hang is a failure too, and must say which call hung.
  const hang = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      reject(new Error(`${label} did not settle within 5 s`));
    }, 5_000);
  });
  try {
    await Promise.race([call(), hang]);
    return;
  } catch (e) {
    error = e;
  } finally {
    clearTimeout(timer);
  }
  if (error instanceof Error && error.message.endsWith('did not settle within 5 s')) throw error;
  const ok =
    ((error instanceof TypeError || error instanceof RangeError) && !ENGINE_TYPE_ERROR.test(error.message)) ||
    error instanceof WtsError ||
    error instanceof SessionRefusedError;
  expect(ok, `${label} rejected with ${String(error)}`).toBe(true);
}
