// The options of sendMessage and listSessionsOn, at their limits: what passes, what is refused, and the words that
// name the option at fault. Nothing refused ever reaches the backend.
import { describe, expect, it } from 'vitest';
import { createClient } from '../../lib/client.js';
import type { WtsError } from '../../lib/errors.js';
import { createMockBackend } from '../../lib/mock/index.js';

function setup() {
  const mock = createMockBackend();
  return { mock, client: createClient(mock) };
}

/** The error a call rejects with, as [type name, message]. */
async function failure(call: Promise<unknown>): Promise<[string, string]> {
  const error = (await call.then(
    () => expect.fail('expected a rejection'),
    (e: unknown) => e,
  )) as Error;
  return [error.constructor.name, error.message];
}

describe('sendMessage options', () => {
  it('takes a title of up to 256 characters and a message of up to 511 UTF-16 units, and sends them as given', async () => {
    // MS-TSTS 3.7.4.1.8 bounds each at 1,024 bytes: 512 UTF-16 units, one kept for a terminator.
    const { mock, client } = setup();
    await client.sendMessage(2, { title: 't'.repeat(256), message: 'm'.repeat(511), wait: false });
    expect(mock.calls.at(-1)).toMatchObject({ title: 't'.repeat(256), message: 'm'.repeat(511), wait: false });
    // A character outside the BMP is two UTF-16 units: 255 of them and one more unit fill the limit exactly.
    const astral = '\u{1F600}'.repeat(255) + 'x';
    await client.sendMessage(2, { message: astral, wait: false });
    expect(mock.calls.at(-1)).toMatchObject({ message: astral });
  });

  it('sends a blank title for none, waits by default, and defaults the buttons, icon and timeout', async () => {
    const { mock, client } = setup();
    await client.sendMessage(2, { message: 'hello' });
    expect(mock.calls.at(-1)).toEqual({
      op: 'sendMessage',
      server: null,
      sessionId: 2,
      title: ' ',
      message: 'hello',
      buttons: 'ok',
      icon: 'none',
      timeoutSeconds: 0,
      wait: true,
    });
  });

  it('takes a timeout from 0 (none) to a year of seconds', async () => {
    const { mock, client } = setup();
    for (const timeoutSeconds of [0, 31_536_000]) {
      await client.sendMessage(2, { message: 'm', timeoutSeconds, wait: false });
      expect(mock.calls.at(-1)?.timeoutSeconds).toBe(timeoutSeconds);
    }
  });

  it('refuses the rest, naming the option', async () => {
    const { mock, client } = setup();
    const cases: [unknown, [string, string]][] = [
      [undefined, ['TypeError', 'options with a message are required']],
      [{}, ['TypeError', 'options.message must be a string']],
      [{ message: 5 }, ['TypeError', 'options.message must be a string']],
      [
        { message: 'm'.repeat(512) },
        [
          'RangeError',
          'options.message must be at most 511 UTF-16 characters (Windows takes 1,024 bytes at most), got 512',
        ],
      ],
      [
        { message: '\u{1F600}'.repeat(256) },
        [
          'RangeError',
          'options.message must be at most 511 UTF-16 characters (Windows takes 1,024 bytes at most), got 512',
        ],
      ],
      [{ message: 'm', title: 5 }, ['TypeError', 'options.title must be a string']],
      [
        { message: 'm', title: 't'.repeat(257) },
        [
          'RangeError',
          'options.title must be at most 256 UTF-16 characters (Windows takes 1,024 bytes at most), got 257',
        ],
      ],
      [{ message: 'm', buttons: 'maybe' }, ['RangeError', 'options.buttons must be one of ']],
      [{ message: 'm', icon: 'skull' }, ['RangeError', 'options.icon must be one of ']],
      [{ message: 'm', timeoutSeconds: '5' }, ['TypeError', 'options.timeoutSeconds must be a number of seconds']],
      [
        { message: 'm', timeoutSeconds: -1 },
        ['RangeError', 'options.timeoutSeconds must be an integer from 0 to 31536000 seconds, got -1'],
      ],
      [
        { message: 'm', timeoutSeconds: 31_536_001 },
        ['RangeError', 'options.timeoutSeconds must be an integer from 0 to 31536000 seconds, got 31536001'],
      ],
      [{ message: 'm', timeoutSeconds: 1.5 }, ['RangeError', 'options.timeoutSeconds must be an integer']],
      [{ message: 'm', wait: 'yes' }, ['TypeError', 'options.wait must be a boolean']],
    ];
    for (const [options, [type, message]] of cases) {
      const [gotType, gotMessage] = await failure(client.sendMessage(2, options as never));
      expect(gotType, JSON.stringify(options)).toBe(type);
      expect(gotMessage, JSON.stringify(options)).toContain(message);
    }
    // The button and icon errors list what is accepted.
    expect((await failure(client.sendMessage(2, { message: 'm', buttons: 'maybe' } as never)))[1]).toMatch(
      /^options\.buttons must be one of ok, okCancel, .*, got the string "maybe"$/,
    );
    expect(mock.calls.filter((c) => c.op === 'sendMessage')).toEqual([]);
  });
});

describe("Windows's 1,024-byte bound on a message box (MS-TSTS 3.7.4.1.8)", () => {
  it("refuses a longer question or title for logoff's ask before anything reaches the backend", async () => {
    const { mock, client } = setup();
    const before = mock.calls.length;
    expect(await failure(client.logoff(2, { ask: { message: 'q'.repeat(512) } }))).toEqual([
      'RangeError',
      'options.ask.message must be at most 511 UTF-16 characters (Windows takes 1,024 bytes at most), got 512',
    ]);
    expect(await failure(client.logoff(2, { ask: { message: 'q', title: 't'.repeat(257) } }))).toEqual([
      'RangeError',
      'options.ask.title must be at most 256 UTF-16 characters (Windows takes 1,024 bytes at most), got 257',
    ]);
    expect(await failure(client.logoff(2, { ask: { message: 'q', title: 7 as never } }))).toEqual([
      'TypeError',
      'options.ask.title must be a string',
    ]);
    expect(mock.calls.length).toBe(before);
  });

  it("the mock backend, asked directly, fails past 1,024 bytes as Windows's RPC layer does (1734), and not at it", async () => {
    const mock = createMockBackend();
    const request = { title: ' ', buttons: 'ok', icon: 'none', timeoutSeconds: 0, wait: false } as const;
    expect(await mock.sendMessage(2, { ...request, message: 'm'.repeat(512) }, null)).toBe('async');
    for (const over of [{ message: 'm'.repeat(513) }, { message: 'm', title: 't'.repeat(513) }]) {
      const error = (await mock.sendMessage(2, { ...request, ...over }, null).catch((e: unknown) => e)) as WtsError;
      expect([error.code, error.errno, error.syscall]).toEqual(['RPC_S_INVALID_BOUND', 1734, 'WTSSendMessageW']);
    }
  });
});

describe('waitTimeout of logoff and disconnect', () => {
  it('takes a duration from 1 s to 1 d, and refuses the rest before anything is acted on', async () => {
    const { mock, client } = setup();
    const before = mock.calls.filter((c) => c.op === 'logoff' || c.op === 'disconnect').length;
    const cases: [unknown, [string, string]][] = [
      [999, ['RangeError', 'options.waitTimeout must be from 1 s to 1 d, got 999 ms']],
      ['2d', ['RangeError', 'options.waitTimeout must be from 1 s to 1 d, got 172800000 ms']],
      [-1, ['RangeError', 'options.waitTimeout must be a finite number of ms >= 0, got -1']],
    ];
    for (const [waitTimeout, expected] of cases) {
      expect(await failure(client.logoff(2, { wait: true, waitTimeout: waitTimeout as never }))).toEqual(expected);
      expect(await failure(client.disconnect(2, { wait: true, waitTimeout: waitTimeout as never }))).toEqual(expected);
    }
    expect(mock.calls.filter((c) => c.op === 'logoff' || c.op === 'disconnect').length).toBe(before);
    expect((await client.logoff(2, { wait: true, waitTimeout: '1s' })).outcome).toBe('signedOut');
  });
});

describe('listSessionsOn hosts', () => {
  it('refuses anything but an array of host names, before asking any host', async () => {
    const { mock, client } = setup();
    const cases: [unknown, string][] = [
      ['ts01', 'servers must be an array of host names'],
      [undefined, 'servers must be an array of host names'],
      [[null], 'servers must be non-empty host names'],
      [['ts01', 5], 'server must be'],
    ];
    for (const [servers, message] of cases) {
      const [type, text] = await failure(client.listSessionsOn(servers as never));
      expect(type, JSON.stringify(servers)).toBe('TypeError');
      expect(text, JSON.stringify(servers)).toContain(message);
    }
    expect(mock.calls).toEqual([]);
  });
});
