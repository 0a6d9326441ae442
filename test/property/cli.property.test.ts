import { PassThrough } from 'node:stream';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../lib/cli/main.js';
import { edgyText } from './arbitraries.js';

const words = fc.oneof(
  fc.constantFrom('list', 'logoff', 'disconnect', 'message', 'idle', 'processes', 'watch', 'help', 'bogus'),
  fc.constantFrom(
    '--mock',
    '--json',
    '--all',
    '--yes',
    '-y',
    '--wait',
    '--help',
    '-h',
    '--dry-run',
    '--logoff',
    '--user',
    '--session',
    '--wide',
    '--allow-own',
    '--',
  ),
  fc.constantFrom(
    '--server',
    '--for',
    '--ask',
    '--timeout',
    '--buttons',
    '--icon',
    '--title',
    '--exclude',
    '--count',
    '--types',
    '--expect-user',
    '--on-timeout',
  ),
  fc.constantFrom(
    '2',
    '3',
    '0',
    '65536',
    '1',
    '-1',
    '1.5',
    '0x2',
    '99999999999',
    '2h',
    'yesNo',
    'logon,logoff',
    'x.json',
    '--server=ts01',
    '--timeout=5',
  ),
  edgyText,
);

describe('property: any command line settles with a documented exit code', () => {
  it('runCli resolves to 0..5 and never throws, whatever the arguments', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(words, { maxLength: 8 }), fc.boolean(), async (argv, mock) => {
        const stdout = new PassThrough();
        const stderr = new PassThrough();
        const stdin = Object.assign(new PassThrough(), { isTTY: false });
        stdin.end(); // piped-in input that is empty: a message without text must not wait for more
        // A watch on the mock waits for events that never come: the signal ends it, as Ctrl+C would.
        const controller = new AbortController();
        const timer = setTimeout(() => {
          controller.abort();
        }, 200);
        const args = mock ? [...argv, '--mock'] : argv;
        const code = await runCli(args, { stdout, stderr, stdin }, controller.signal);
        clearTimeout(timer);
        expect([0, 1, 2, 3, 4, 5], args.join(' ')).toContain(code);
        const err = stderr.read() as Buffer | null;
        if (code !== 0 && code !== 4 && err)
          expect(err.toString()).toMatch(
            /^windows-sessions: [A-Z][A-Z0-9_]*: \S|^Idle for |^Watching session events |^Session \d+: Windows refused/,
          );
        // Every error line has the one shape, its code once.
        for (const line of err?.toString().split('\n') ?? [])
          if (line.startsWith('windows-sessions'))
            expect(line).toMatch(/^windows-sessions: ([A-Z][A-Z0-9_]*): (?!\1)\S/);
      }),
      { numRuns: 300 },
    );
  }, 120_000);
});
