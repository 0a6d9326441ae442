import { readFileSync } from 'node:fs';
import { checkServer } from './validate.js';

/** The file's text: UTF-8, or UTF-16LE with its byte-order mark (what Windows PowerShell 5.1's `>` writes). */
function decode(bytes: Buffer): string {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return bytes.subarray(2).toString('utf16le');
  return bytes.toString('utf8').replace(/^\uFEFF/, '');
}

/**
 * readServerList: the hosts a file names, one a line, in order, for `servers` or `server` options (the CLI's
 * `--servers-from`). Blank lines and `#` comments (whole lines, or after a name) are skipped, and names are trimmed;
 * UTF-8 or UTF-16LE with a byte-order mark. Throws a RangeError naming the file and line for a name that is not a
 * host name (white space inside, too long), for a host listed twice (names compare without regard to case), and for
 * a file that names none; the error of `fs.readFileSync` when the file cannot be read.
 */
export function readServerList(path: string): string[] {
  if (typeof path !== 'string' || path === '') throw new TypeError('readServerList needs a file path');
  const hosts: string[] = [];
  const seen = new Map<string, number>();
  decode(readFileSync(path))
    .split(/\r?\n/)
    .forEach((raw, index) => {
      const line = index + 1;
      const name = raw.replace(/#.*/, '').trim();
      if (name === '') return;
      try {
        checkServer(name);
      } catch (error) {
        throw new RangeError(`${path}:${line}: ${(error as Error).message.replace('options.server', 'a host name')}`);
      }
      const key = name.toLowerCase();
      const first = seen.get(key);
      if (first !== undefined)
        throw new RangeError(`${path}:${line}: ${name} is listed twice (first on line ${first})`);
      seen.set(key, line);
      hosts.push(name);
    });
  if (hosts.length === 0) throw new RangeError(`${path} names no host (one host name a line; # starts a comment)`);
  return hosts;
}
