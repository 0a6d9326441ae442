// Inputs for the property tests: everything a JavaScript caller could pass, weighted towards the edges.
import fc from 'fast-check';

/** Texts that have broken other tools: empty, huge, lone surrogates, NUL, non-BMP, control characters. */
export const edgyText = fc.oneof(
  fc.constantFrom(
    '',
    ' ',
    '\0',
    'a\0b',
    '\uD800',
    'x\uDC00y',
    '😀'.repeat(3),
    'Ünïcödé',
    '\r\n\t',
    'x'.repeat(10_001),
    'x'.repeat(300),
  ),
  fc.string({ unit: 'binary', maxLength: 64 }),
  fc.string({ maxLength: 16 }),
);

/** Session ids: valid ones, near-misses and wrong types. */
export const anyId = fc.oneof(
  fc.constantFrom(
    0,
    1,
    2,
    3,
    4,
    42,
    65536,
    0xfffffffd,
    0xfffffffe,
    0xffffffff,
    2 ** 32,
    -1,
    -0,
    1.5,
    NaN,
    Infinity,
    -Infinity,
  ),
  fc.integer(),
  fc.double(),
  fc.bigInt(),
  fc.constantFrom('3', '', null, undefined, true, [], {}, () => 3, Symbol('id')),
);

/** Servers: none, names, hostile strings, wrong types. */
export const anyServer = fc.oneof(
  fc.constantFrom(undefined, null, '', 'ts01.contoso.test', 'down.test', 42, {}, ['a']),
  edgyText,
);

/** An options object with plausible keys holding anything, or not an object at all. */
export const anyOptions = fc.oneof(
  fc.constantFrom(undefined, null, 42, 'x', [], () => ({})),
  fc.record(
    {
      server: anyServer,
      wait: fc.oneof(fc.boolean(), fc.anything()),
      message: edgyText,
      title: edgyText,
      buttons: fc.oneof(fc.constantFrom('ok', 'yesNo', 'okCancel', 'nope'), fc.anything()),
      icon: fc.oneof(fc.constantFrom('none', 'question', 'bad'), fc.anything()),
      timeoutSeconds: fc.oneof(fc.integer({ min: -5, max: 100 }), fc.double(), fc.anything()),
      idleFor: fc.oneof(fc.constantFrom('2h', '1h30m', '0s', 'soon', '', '-1h', 5, -5, NaN), fc.anything()),
      ask: fc.oneof(
        fc.record(
          { message: edgyText, timeoutSeconds: fc.anything(), onTimeout: fc.constantFrom('keep', 'logoff', 'x') },
          { requiredKeys: [] },
        ),
        fc.anything(),
      ),
      expect: fc.oneof(
        fc.record({ userName: fc.oneof(edgyText, fc.anything()), logonTime: fc.anything() }, { requiredKeys: [] }),
        fc.anything(),
      ),
      exclude: fc.oneof(fc.array(fc.oneof(edgyText, fc.integer())), fc.anything()),
      concurrency: fc.oneof(fc.integer({ min: -2, max: 300 }), fc.anything()),
      allowOwnSession: fc.anything(),
      sessionId: anyId,
      types: fc.oneof(fc.array(fc.constantFrom('logon', 'logoff', 'reboot')), fc.anything()),
    },
    { requiredKeys: [] },
  ),
);
