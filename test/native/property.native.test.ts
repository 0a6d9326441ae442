import { rmSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { baseScenario } from '../contract/scenario.js';
import { readStandinCalls, readStandinStats, writeStandinScenario } from './wine/standin-scenario.js';
import { useWine } from './wine/use-wine.js';
import { WindowsNode } from './wine/windows-node.js';

/** The largest real session id: 0xFFFFFFFE is WTS_ANY_SESSION and 0xFFFFFFFF WTS_CURRENT_SESSION (wtsapi32.h). */
const MAX_SESSION_ID = 0xfffffffd;

const wine = useWine();

/** Any value the RPC can carry to Windows node (specials are spelled { $: kind } and rebuilt there). */
const anyValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(
    0,
    2,
    3,
    65536,
    -1,
    1.5,
    2 ** 32,
    MAX_SESSION_ID,
    MAX_SESSION_ID + 1,
    true,
    false,
    null,
    '',
    'ts01.contoso.test',
    '\uD800',
    'a\0b',
    'x'.repeat(2000),
  ),
  fc.constantFrom(
    { $: 'NaN' },
    { $: 'Infinity' },
    { $: '-Infinity' },
    { $: 'undefined' },
    { $: 'bigint', v: '3' },
    { $: 'symbol', v: 's' },
    { $: 'function' },
  ),
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.array(fc.integer(), { maxLength: 3 }),
  fc.object({ maxDepth: 1 }),
);

// waitEvent is left out: with a real watch id and no events it waits, as it should, for ever.
const FUNCTIONS = [
  'listSessions',
  'getSession',
  'logoff',
  'disconnect',
  'sendMessage',
  'listProcesses',
  'takeSessions',
  'openWatch',
  'closeWatch',
  'currentSessionId',
];

describe.runIf(wine)('property: the addon itself, given any arguments, settles and never crashes', () => {
  let windows: WindowsNode;
  beforeAll(async () => {
    windows = await WindowsNode.start(wine!);
    rmSync(join(windows.standinDir, 'calls.log'), { force: true });
    writeStandinScenario(windows.standinDir, baseScenario());
  });
  afterAll(async () => {
    expect(await windows.stop()).toBe(0);
  });

  it('every call resolves or rejects with a TypeError, RangeError or Win32 error; only valid ids reach Windows', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...FUNCTIONS), fc.array(anyValue, { maxLength: 8 }), async (fn, args) => {
        const outcome = await windows.request('raw', { fn, args }).then(
          () => 'resolved',
          (e: unknown) => e as Error & { errno?: number },
        );
        if (typeof outcome !== 'string') {
          const acceptable =
            ['TypeError', 'RangeError'].includes(outcome.name) ||
            (outcome.name === 'WtsError' && typeof outcome.errno === 'number') ||
            typeof outcome.errno === 'number' ||
            outcome.message.includes('no such watch');
          expect(acceptable, `${fn}(${JSON.stringify(args)}) -> ${outcome.name}: ${outcome.message}`).toBe(true);
        }
      }),
      { numRuns: Number(process.env.NATIVE_PROPERTY_RUNS ?? 200), endOnFailure: true },
    );
    // Still alive, and nothing was acted on but real session ids.
    expect(await windows.request<{ platform: string }>('info')).toMatchObject({ platform: 'win32' });
    for (const call of readStandinCalls(windows.standinDir)) {
      expect(Number.isInteger(call.sessionId) && call.sessionId! >= 0 && call.sessionId! <= MAX_SESSION_ID).toBe(true);
    }
    const stats = readStandinStats(windows.standinDir);
    expect([stats.badFrees, stats.badHandles]).toEqual([0, 0]);
  }, 300_000);
});
